// ProjectWriter and SetStream: a new version of a project file, built in a temporary file and
// renamed over the target on commit.

#include "store/AtomicReplace.h"
#include "store/MatrixDataset.h"
#include "store/ProjectionJson.h"
#include "store/StoreImpl.h"

#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace scenelens::store {

namespace {

/// HDF5 link names cannot hold '/', and "." names the group itself.
void checkName(const char* kind, const std::string& name) {
    if (name.empty())
        throw std::invalid_argument(std::string(kind) + " name is empty");
    if (name.find('/') != std::string::npos || name == ".")
        throw std::invalid_argument(std::string(kind) + " name '" + name +
                                    "' cannot be stored: it holds '/' or is '.'");
}

void checkUnique(std::set<std::string>& names, const char* kind, const std::string& name,
                 const std::string& target) {
    checkName(kind, name);
    if (!names.insert(name).second)
        throw std::invalid_argument("a " + std::string(kind) + " named '" + name +
                                    "' was already written to " + target);
}

std::string utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

void checkOptions(const StorageOptions& options) {
    if (options.chunkBytes < 1)
        throw std::invalid_argument("StorageOptions: chunkBytes must be at least 1");
    if (options.deflateLevel < 0 || options.deflateLevel > 9)
        throw std::invalid_argument("StorageOptions: deflateLevel must be 0..9, not " +
                                    std::to_string(options.deflateLevel));
    if (options.threads < 0)
        throw std::invalid_argument("StorageOptions: threads must be 0 (one per core) or more");
}

/// writeSet's checks: validate(), except that a set may have no rows.
void checkWholeSet(const embed::EmbeddingSet& set) {
    const std::string what = "set '" + set.name + "'";
    if (set.rows != 0) {
        embed::validate(set, what);
        return;
    }
    if (set.dims <= 0)
        throw std::invalid_argument(what + ": embeddings have 0 dimensions");
    if (!set.values.empty())
        throw std::invalid_argument(what + ": no rows, but " + std::to_string(set.values.size()) +
                                    " values");
    for (const auto& [column, values] : set.textColumns)
        if (!values.empty())
            throw std::invalid_argument(what + ": no rows, but metadata column '" + column +
                                        "' has entries");
    for (const auto& [column, values] : set.numberColumns)
        if (!values.empty())
            throw std::invalid_argument(what + ": no rows, but metadata column '" + column +
                                        "' has entries");
}

template <typename Columns> std::vector<std::string> columnNames(const Columns& columns) {
    std::vector<std::string> names;
    for (const auto& entry : columns)
        names.push_back(entry.first);
    return names;
}

template <typename Columns>
void checkColumns(const Columns& columns, const std::vector<std::string>& expected, int rows,
                  const char* kind, const std::string& what) {
    if (columnNames(columns) != expected)
        throw std::invalid_argument(what + ": the block's " + kind +
                                    " columns differ from the header's");
    for (const auto& [column, values] : columns)
        if (values.size() != std::size_t(rows))
            throw std::invalid_argument(what + ": metadata column '" + column + "' has " +
                                        std::to_string(values.size()) + " entries, expected " +
                                        std::to_string(rows));
}

} // namespace

struct ProjectWriter::Impl {
    std::string target, temporary;
    StorageOptions options;
    h5::Handle file, scenes, embeddings, projections, session;
    std::set<std::string> sceneIds, setNames, projectionNames;
    std::unique_ptr<WorkerPool> pool;
    SetStream::Impl* openStream = nullptr;
    bool committed = false;

    void requireOpen() const {
        if (committed)
            throw std::logic_error("ProjectWriter: " + target + " was already committed");
    }
    /// The threads that compress chunks; none when nothing is compressed.
    WorkerPool* compressionPool() {
        if (options.deflateLevel == 0)
            return nullptr;
        if (!pool)
            pool = std::make_unique<WorkerPool>(options.threads);
        return pool.get();
    }
    void closeGroups() {
        session.reset();
        projections.reset();
        embeddings.reset();
        scenes.reset();
    }
    void createFile();
    std::unique_ptr<SetStream::Impl> startSet(const embed::EmbeddingSet& header);
};

struct SetStream::Impl {
    ProjectWriter::Impl* writer = nullptr;
    std::string name, modality, space, model, created;
    int dims = 0;
    std::vector<std::string> textNames, numberNames;
    h5::Handle group, meta;
    std::unique_ptr<MatrixWriter> vectors;
    std::vector<h5::Handle> textColumns, numberColumns;
    hsize_t chunkRows = 0; ///< rows per chunk unless the whole set is smaller
    Bytes chunk;           ///< the rows of the chunk being filled
    hsize_t bufferedRows = 0, flushedRows = 0;
    std::vector<std::vector<std::string>> textBuffers;
    std::vector<std::vector<double>> numberBuffers;
    bool finished = false, registered = false;

    std::string what() const { return "set '" + name + "'"; }
    void requireWriter() const {
        if (!writer)
            throw std::logic_error(what() + ": its ProjectWriter is gone");
        if (finished)
            throw std::logic_error(what() + ": already finished");
    }
    void checkBlock(const embed::EmbeddingSet& block, bool checkValues) const;
    void append(const embed::EmbeddingSet& block, ProgressSink* progress, bool checkValues);
    void bufferRows(const embed::EmbeddingSet& block, int first, int count);
    void createDatasets(hsize_t rowsPerChunk);
    void flush(bool last);
    void finish();
    void abandon() noexcept;
};

void ProjectWriter::Impl::createFile() {
    const std::string doing = "creating " + temporary;
    h5::Handle creation(H5Pcreate(H5P_FILE_CREATE), target, doing);
    h5::check(
        H5Pset_link_creation_order(creation.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        target, doing);
    h5::Handle access(H5Pcreate(H5P_FILE_ACCESS), target, doing);
    // Closing must fail while objects are open: a "closed" file still open would be renamed
    // half-written.
    h5::check(H5Pset_fclose_degree(access.get(), H5F_CLOSE_SEMI), target, doing);
    h5::check(H5Pset_file_locking(access.get(), false, true), target, doing);
    file = h5::Handle(H5Fcreate(temporary.c_str(), H5F_ACC_EXCL, creation.get(), access.get()),
                      target, doing);
    h5::writeStringAttribute(file.get(), "format", kFormatName, target);
    h5::writeIntAttribute(file.get(), "format_version", kFormatVersion, target);
    h5::writeStringAttribute(file.get(), "writer", std::string("SceneLens ") + SCENELENS_VERSION,
                             target);
    scenes = h5::createOrderedGroup(file.get(), kScenesGroup, target);
    embeddings = h5::createOrderedGroup(file.get(), kEmbeddingsGroup, target);
    projections = h5::createOrderedGroup(file.get(), kProjectionsGroup, target);
}

std::unique_ptr<SetStream::Impl> ProjectWriter::Impl::startSet(const embed::EmbeddingSet& header) {
    requireOpen();
    if (header.dims <= 0)
        throw std::invalid_argument("set '" + header.name + "': embeddings have 0 dimensions");
    checkUnique(setNames, "set", header.name, target);
    auto stream = std::make_unique<SetStream::Impl>();
    stream->writer = this;
    stream->name = header.name;
    stream->modality = header.modality;
    stream->space = header.space;
    stream->model = header.model;
    stream->created = header.created.empty() ? utcNow() : header.created;
    stream->dims = header.dims;
    stream->textNames = columnNames(header.textColumns);
    stream->numberNames = columnNames(header.numberColumns);
    stream->textBuffers.resize(stream->textNames.size());
    stream->numberBuffers.resize(stream->numberNames.size());
    stream->chunkRows = rowsPerChunk(options.chunkBytes, header.dims, -1);
    try {
        stream->group = h5::createOrderedGroup(embeddings.get(), header.name, target);
    } catch (...) {
        setNames.erase(header.name);
        throw;
    }
    return stream;
}

void SetStream::Impl::checkBlock(const embed::EmbeddingSet& block, bool checkValues) const {
    const std::string where = what() + ", block of " + std::to_string(block.rows) + " rows";
    if (block.rows < 0)
        throw std::invalid_argument(where + ": negative row count");
    if (block.dims != dims)
        throw std::invalid_argument(where + ": " + std::to_string(block.dims) +
                                    " dimensions, expected " + std::to_string(dims));
    if (block.values.size() != std::size_t(block.rows) * std::size_t(dims))
        throw std::invalid_argument(where + ": expected " +
                                    std::to_string(std::size_t(block.rows) * std::size_t(dims)) +
                                    " values, found " + std::to_string(block.values.size()));
    checkColumns(block.textColumns, textNames, block.rows, "text", where);
    checkColumns(block.numberColumns, numberNames, block.rows, "number", where);
    if (!checkValues)
        return;
    for (std::size_t i = 0; i < block.values.size(); ++i)
        if (!std::isfinite(block.values[i]))
            throw std::invalid_argument(what() + ": row " +
                                        std::to_string(flushedRows + bufferedRows + i / dims) +
                                        " holds " + (std::isnan(block.values[i]) ? "NaN" : "Inf"));
}

void SetStream::Impl::append(const embed::EmbeddingSet& block, ProgressSink* progress,
                             bool checkValues) {
    requireWriter();
    checkBlock(block, checkValues);
    const std::string phase = "writing " + what();
    for (int first = 0; first < block.rows;) {
        const int count =
            int(std::min<hsize_t>(hsize_t(block.rows - first), chunkRows - bufferedRows));
        bufferRows(block, first, count);
        first += count;
        if (bufferedRows == chunkRows) {
            flush(false);
            checkpoint(progress, phase, double(first) / block.rows);
        }
    }
}

void SetStream::Impl::bufferRows(const embed::EmbeddingSet& block, int first, int count) {
    const std::size_t rowBytes = std::size_t(dims) * sizeof(float);
    if (chunk.empty())
        chunk = vectors ? vectors->takeChunkBuffer() : Bytes(std::size_t(chunkRows) * rowBytes);
    std::memcpy(chunk.data() + std::size_t(bufferedRows) * rowBytes, block.row(first),
                std::size_t(count) * rowBytes);
    // The block's columns come in name order, as textNames and numberNames do.
    auto text = textBuffers.begin();
    for (const auto& entry : block.textColumns) {
        text->insert(text->end(), entry.second.begin() + first,
                     entry.second.begin() + first + count);
        ++text;
    }
    auto numbers = numberBuffers.begin();
    for (const auto& entry : block.numberColumns) {
        numbers->insert(numbers->end(), entry.second.begin() + first,
                        entry.second.begin() + first + count);
        ++numbers;
    }
    bufferedRows += hsize_t(count);
}

void SetStream::Impl::createDatasets(hsize_t rowsPerChunk) {
    const std::string& file = writer->target;
    const int level = writer->options.deflateLevel;
    vectors = std::make_unique<MatrixWriter>(group.get(), "vectors", dims, rowsPerChunk, level,
                                             writer->compressionPool(), file);
    meta = h5::createOrderedGroup(group.get(), "meta", file);
    for (const std::string& column : textNames)
        textColumns.push_back(h5::createTextColumn(meta.get(), column, rowsPerChunk, level, file));
    for (const std::string& column : numberNames)
        numberColumns.push_back(
            h5::createNumberColumn(meta.get(), column, rowsPerChunk, level, file));
}

void SetStream::Impl::flush(bool last) {
    if (!vectors) {
        // A set smaller than one chunk gets a chunk of exactly its rows, as writeSet promises.
        const bool wholeSetBuffered = last && bufferedRows > 0 && bufferedRows < chunkRows;
        if (wholeSetBuffered) {
            chunkRows = bufferedRows;
            chunk.resize(std::size_t(chunkRows) * std::size_t(dims) * sizeof(float));
        }
        createDatasets(chunkRows);
    }
    if (bufferedRows == 0)
        return;
    const std::string& file = writer->target;
    const std::size_t rowsBytes = std::size_t(bufferedRows) * std::size_t(dims) * sizeof(float);
    std::memset(chunk.data() + rowsBytes, 0, chunk.size() - rowsBytes); // the edge chunk's padding
    vectors->writeChunk(std::move(chunk), bufferedRows);
    chunk = Bytes();
    for (std::size_t i = 0; i < textColumns.size(); ++i) {
        h5::appendText(textColumns[i].get(), flushedRows, textBuffers[i], file);
        textBuffers[i].clear();
    }
    for (std::size_t i = 0; i < numberColumns.size(); ++i) {
        h5::appendNumbers(numberColumns[i].get(), flushedRows, numberBuffers[i], file);
        numberBuffers[i].clear();
    }
    flushedRows += bufferedRows;
    bufferedRows = 0;
}

void SetStream::Impl::finish() {
    requireWriter();
    flush(true);
    vectors->finish();
    const std::string& file = writer->target;
    h5::writeStringAttribute(group.get(), "modality", modality, file);
    h5::writeStringAttribute(group.get(), "space", space, file);
    h5::writeStringAttribute(group.get(), "model", model, file);
    h5::writeStringAttribute(group.get(), "created", created, file);
    vectors.reset();
    textColumns.clear();
    numberColumns.clear();
    meta.reset();
    group.reset();
    finished = true;
    if (registered)
        writer->openStream = nullptr;
}

void SetStream::Impl::abandon() noexcept {
    vectors.reset();
    textColumns.clear();
    numberColumns.clear();
    meta.reset();
    group.reset();
    if (!writer)
        return;
    // Unlinking leaves no trace of the unfinished set in the committed file.
    H5Ldelete(writer->embeddings.get(), name.c_str(), H5P_DEFAULT);
    writer->setNames.erase(name);
    if (registered)
        writer->openStream = nullptr;
    writer = nullptr;
}

SetStream::SetStream(std::unique_ptr<Impl> impl) : d_(std::move(impl)) {}

SetStream::~SetStream() {
    if (d_ && !d_->finished)
        d_->abandon();
}

SetStream::SetStream(SetStream&&) noexcept = default;

SetStream& SetStream::operator=(SetStream&& other) noexcept {
    if (this != &other) {
        if (d_ && !d_->finished)
            d_->abandon();
        d_ = std::move(other.d_);
    }
    return *this;
}

void SetStream::append(const embed::EmbeddingSet& block) {
    h5::silenceErrorPrinting();
    d_->append(block, nullptr, true);
}

void SetStream::finish() {
    h5::silenceErrorPrinting();
    d_->finish();
}

std::int64_t SetStream::rowsWritten() const {
    return std::int64_t(d_->flushedRows + d_->bufferedRows);
}

ProjectWriter::ProjectWriter(const std::string& target, StorageOptions options)
    : d_(std::make_unique<Impl>()) {
    h5::silenceErrorPrinting();
    checkOptions(options);
    d_->target = target;
    d_->options = options;
    const std::filesystem::path folder = std::filesystem::path(target).parent_path();
    std::error_code error;
    if (!folder.empty() && !std::filesystem::is_directory(folder, error))
        throw FileError(target, "",
                        "cannot save: the folder " + folder.string() + " does not exist");
    removeStaleTemporaries(target);
    d_->temporary = temporaryPathFor(target);
    try {
        d_->createFile();
    } catch (...) {
        d_->closeGroups();
        d_->file.reset();
        std::remove(d_->temporary.c_str());
        throw;
    }
}

ProjectWriter::~ProjectWriter() {
    if (d_->openStream) {
        SetStream::Impl* stream = d_->openStream;
        stream->abandon();
        stream->writer = nullptr;
    }
    if (d_->committed)
        return;
    d_->closeGroups();
    d_->file.reset();
    std::remove(d_->temporary.c_str());
}

const std::string& ProjectWriter::temporaryPath() const {
    return d_->temporary;
}

void ProjectWriter::writeScene(const StoredScene& scene) {
    h5::silenceErrorPrinting();
    d_->requireOpen();
    checkUnique(d_->sceneIds, "scene", scene.id, d_->target);
    h5::Handle group = h5::createOrderedGroup(d_->scenes.get(), scene.id, d_->target);
    h5::writeStringAttribute(group.get(), "source_path", scene.sourcePath, d_->target);
    h5::writeFloatAttribute(group.get(), "axis_alignment", {4, 4}, scene.axisAlignment.data(),
                            d_->target);
}

void ProjectWriter::writeSet(const embed::EmbeddingSet& set, ProgressSink* progress) {
    h5::silenceErrorPrinting();
    d_->requireOpen();
    checkWholeSet(set);
    SetStream stream(d_->startSet(set));
    stream.d_->append(set, progress, false);
    stream.d_->finish();
}

SetStream ProjectWriter::beginSet(const embed::EmbeddingSet& header) {
    h5::silenceErrorPrinting();
    d_->requireOpen();
    if (d_->openStream)
        throw std::logic_error("ProjectWriter: finish set '" + d_->openStream->name +
                               "' before beginning set '" + header.name + "'");
    SetStream stream(d_->startSet(header));
    stream.d_->registered = true;
    d_->openStream = stream.d_.get();
    return stream;
}

void ProjectWriter::copySet(const ProjectStore& from, const std::string& name) {
    h5::silenceErrorPrinting();
    d_->requireOpen();
    if (!from.hasSet(name))
        throw FileError(from.path(), "", "no embedding set '" + name + "'");
    checkUnique(d_->setNames, "set", name, d_->target);
    const std::string source = std::string("/") + kEmbeddingsGroup + "/" + name;
    h5::check(H5Ocopy(from.d_->file.get(), source.c_str(), d_->embeddings.get(), name.c_str(),
                      H5P_DEFAULT, H5P_DEFAULT),
              d_->target, "copying " + source + " from " + from.path());
}

void ProjectWriter::writeProjection(const StoredProjection& projection) {
    h5::silenceErrorPrinting();
    d_->requireOpen();
    const std::string what = "projection '" + projection.name + "'";
    if (projection.dims != 2 && projection.dims != 3)
        throw std::invalid_argument(what + ": dims must be 2 or 3, not " +
                                    std::to_string(projection.dims));
    if (projection.rows < 0 ||
        projection.coords.size() != std::size_t(projection.rows) * std::size_t(projection.dims))
        throw std::invalid_argument(what + ": expected " + std::to_string(projection.rows) + " x " +
                                    std::to_string(projection.dims) + " coordinates, found " +
                                    std::to_string(projection.coords.size()));
    checkUnique(d_->projectionNames, "projection", projection.name, d_->target);
    const std::string& file = d_->target;
    h5::Handle group = h5::createOrderedGroup(d_->projections.get(), projection.name, file);
    h5::writeStringAttribute(group.get(), "method", methodName(projection.options.method), file);
    h5::writeStringAttribute(group.get(), "parameters", parametersJson(projection.options), file);
    h5::writeStringListAttribute(group.get(), "input_sets", projection.inputSets, file);
    h5::writeStringAttribute(group.get(), "metrics", metricsJson(projection.metrics), file);
    h5::writeStringAttribute(group.get(), "title", projection.title, file);
    h5::writeStringAttribute(group.get(), "details", projection.details, file);
    h5::writeStringAttribute(group.get(), "view_state", projection.viewState, file);

    const hsize_t chunkRows =
        rowsPerChunk(d_->options.chunkBytes, projection.dims, (long long)projection.rows);
    MatrixWriter coords(group.get(), "coords", projection.dims, chunkRows, d_->options.deflateLevel,
                        d_->compressionPool(), file);
    const std::size_t rowValues = std::size_t(projection.dims);
    for (hsize_t first = 0; first < hsize_t(projection.rows); first += chunkRows) {
        const hsize_t rows = std::min<hsize_t>(chunkRows, hsize_t(projection.rows) - first);
        Bytes chunk = coords.takeChunkBuffer();
        const std::size_t rowsBytes = std::size_t(rows) * rowValues * sizeof(float);
        std::memcpy(chunk.data(), projection.coords.data() + first * rowValues, rowsBytes);
        std::memset(chunk.data() + rowsBytes, 0, chunk.size() - rowsBytes);
        coords.writeChunk(std::move(chunk), rows);
    }
    coords.finish();
}

void ProjectWriter::copyProjection(const ProjectStore& from, const std::string& name) {
    h5::silenceErrorPrinting();
    d_->requireOpen();
    const std::vector<std::string> names = from.projectionNames();
    if (std::find(names.begin(), names.end(), name) == names.end())
        throw FileError(from.path(), "", "no projection '" + name + "'");
    checkUnique(d_->projectionNames, "projection", name, d_->target);
    const std::string source = std::string("/") + kProjectionsGroup + "/" + name;
    h5::check(H5Ocopy(from.d_->file.get(), source.c_str(), d_->projections.get(), name.c_str(),
                      H5P_DEFAULT, H5P_DEFAULT),
              d_->target, "copying " + source + " from " + from.path());
}

void ProjectWriter::writeSession(const std::string& json) {
    h5::silenceErrorPrinting();
    d_->requireOpen();
    if (!d_->session)
        d_->session = h5::createOrderedGroup(d_->file.get(), kSessionGroup, d_->target);
    h5::writeStringAttribute(d_->session.get(), "state", json, d_->target);
}

void ProjectWriter::commit() {
    h5::silenceErrorPrinting();
    d_->requireOpen();
    if (d_->openStream)
        throw std::logic_error("ProjectWriter: finish set '" + d_->openStream->name +
                               "' before committing " + d_->target);
    d_->closeGroups();
    d_->pool.reset();
    const hid_t file = d_->file.release();
    h5::check(H5Fclose(file), d_->target, "closing " + d_->temporary);
    replaceDurably(d_->temporary, d_->target);
    d_->committed = true;
}

} // namespace scenelens::store

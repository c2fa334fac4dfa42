// ProjectStore: reading a project file. The writer is in ProjectWriter.cpp, single-set edits in
// ProjectEdits.cpp.

#include "store/ProjectStore.h"

#include "store/MatrixDataset.h"
#include "store/ProjectionJson.h"
#include "store/StoreImpl.h"

#include <climits>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace scenelens::store {

namespace {

/// The part of a read that goes to the vectors; the metadata columns share the rest.
constexpr double kVectorsShare = 0.9;

void requireReadable(const std::string& path) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!std::filesystem::exists(status))
        throw FileError(path, "", "no such file");
    if (std::filesystem::is_directory(status))
        throw FileError(path, "", "is a folder, not a SceneLens project file");
    const int descriptor = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0)
        throw FileError(path, "", std::string("cannot open: ") + std::strerror(errno));
    close(descriptor);
}

h5::Handle openHdf5(const std::string& path) {
    const htri_t isHdf5 = H5Fis_hdf5(path.c_str());
    if (isHdf5 == 0)
        throw FileError(path, "", "not an HDF5 file");
    if (isHdf5 < 0)
        throw FileError(path, "", "truncated or damaged HDF5 file (" + h5::innermostError() + ")");
    h5::Handle access(H5Pcreate(H5P_FILE_ACCESS), path, "opening");
    // Locks where the file system supports them, and opens anyway where it does not (NFS).
    h5::check(H5Pset_file_locking(access.get(), true, true), path, "opening");
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, access.get());
    if (file < 0) {
        const std::string message = h5::innermostError();
        if (message.find("unable to lock") != std::string::npos)
            throw FileError(path, "", "cannot open: another program holds it (" + message + ")");
        throw FileError(path, "", "truncated or damaged HDF5 file (" + message + ")");
    }
    return h5::Handle(file, path, "opening");
}

/// Checks the root attributes; returns format_version.
int readFormatVersion(hid_t file, const std::string& path) {
    if (!h5::hasAttribute(file, "format", path))
        throw FileError(path, "", "not a SceneLens project (no 'format' attribute)");
    const std::string format = h5::readStringAttribute(file, "format", path);
    if (format != kFormatName)
        throw FileError(path, "",
                        "not a SceneLens project (format is '" + format + "', expected '" +
                            kFormatName + "')");
    if (!h5::hasAttribute(file, "format_version", path))
        throw FileError(path, "", "not a SceneLens project (no 'format_version' attribute)");
    const std::int64_t version = h5::readIntAttribute(file, "format_version", path);
    if (version > kFormatVersion)
        throw FileError(path, "",
                        "written by a newer SceneLens (format " + std::to_string(version) +
                            "); this build reads format " + std::to_string(kFormatVersion));
    if (version < 1)
        throw FileError(path, "", "invalid format_version " + std::to_string(version));
    return int(version);
}

/// The names under a top-level group in write order; none when the group is absent.
std::vector<std::string> namesUnder(hid_t file, const char* group, const std::string& path) {
    if (!h5::hasLink(file, group, path))
        return {};
    h5::Handle opened = h5::openGroup(file, group, path);
    return h5::linkNames(opened.get(), path);
}

h5::Handle openSetGroup(hid_t file, const std::string& name, const std::string& path) {
    if (!h5::hasLink(file, kEmbeddingsGroup, path))
        throw FileError(path, "", "no embedding set '" + name + "' (the file has no sets)");
    h5::Handle sets = h5::openGroup(file, kEmbeddingsGroup, path);
    if (name.empty() || name.find('/') != std::string::npos || !h5::hasLink(sets.get(), name, path))
        throw FileError(path, "", "no embedding set '" + name + "'");
    return h5::openGroup(sets.get(), name, path);
}

int rowCount(hsize_t rows, const std::string& path, const std::string& what) {
    if (rows > hsize_t(INT_MAX))
        throw FileError(path, what,
                        std::to_string(rows) + " rows; SceneLens holds at most " +
                            std::to_string(INT_MAX) + " in memory");
    return int(rows);
}

SetInfo readSetInfo(hid_t group, const std::string& name, const std::string& path) {
    SetInfo info;
    info.name = name;
    info.modality = h5::readOptionalStringAttribute(group, "modality", path);
    info.space = h5::readOptionalStringAttribute(group, "space", path);
    info.model = h5::readOptionalStringAttribute(group, "model", path);
    info.created = h5::readOptionalStringAttribute(group, "created", path);
    h5::Handle vectors = h5::openDataset(group, "vectors", path);
    const std::vector<hsize_t> shape = h5::datasetShape(vectors.get(), path);
    const std::string where = "reading " + h5::objectPath(vectors.get());
    if (shape.size() != 2 || shape[1] == 0 || shape[1] > hsize_t(INT_MAX))
        throw FileError(path, where, "expected a [rows, dims] matrix");
    info.rows = std::int64_t(shape[0]);
    info.dims = int(shape[1]);
    if (!h5::hasLink(group, "meta", path))
        return info;
    h5::Handle meta = h5::openGroup(group, "meta", path);
    for (const std::string& column : h5::linkNamesByName(meta.get(), path)) {
        h5::Handle dataset = h5::openDataset(meta.get(), column, path);
        const std::string columnWhere = "reading " + h5::objectPath(dataset.get());
        const std::vector<hsize_t> columnShape = h5::datasetShape(dataset.get(), path);
        if (columnShape.size() != 1 || columnShape[0] != shape[0])
            throw FileError(path, columnWhere,
                            "expected a column of " + std::to_string(shape[0]) + " entries");
        const H5T_class_t type = h5::elementClass(dataset.get(), path);
        if (type == H5T_STRING)
            info.textColumns.push_back(column);
        else if (type == H5T_FLOAT || type == H5T_INTEGER)
            info.numberColumns.push_back(column);
        else
            throw FileError(path, columnWhere, "expected text or numbers");
    }
    return info;
}

/// Rows [first, first + count) of the set in group, reporting to progress over the whole read.
embed::EmbeddingSet readSetRows(hid_t group, const SetInfo& info, hsize_t first, hsize_t count,
                                ProgressSink* progress, const std::string& path) {
    const std::string& name = info.name;
    embed::EmbeddingSet set;
    set.name = name;
    set.modality = info.modality;
    set.space = info.space;
    set.model = info.model;
    set.created = info.created;
    set.dims = info.dims;
    set.rows = rowCount(count, path, "reading set '" + name + "'");
    set.values.resize(std::size_t(count) * std::size_t(info.dims));
    const std::string phase = "reading set '" + name + "'";
    MatrixReader(group, "vectors", path)
        .read(first, count, set.values.data(), 0, progress, phase, 0, kVectorsShare);

    const std::size_t columns = info.textColumns.size() + info.numberColumns.size();
    std::size_t done = 0;
    const auto columnRead = [&] {
        ++done;
        if (done < columns)
            checkpoint(progress, phase,
                       kVectorsShare + (1 - kVectorsShare) * double(done) / columns);
    };
    if (columns == 0) {
        checkpoint(progress, phase, 1);
        return set;
    }
    h5::Handle meta = h5::openGroup(group, "meta", path);
    for (const std::string& column : info.textColumns) {
        h5::Handle dataset = h5::openDataset(meta.get(), column, path);
        set.textColumns[column] = h5::readText(dataset.get(), first, count, path);
        columnRead();
    }
    for (const std::string& column : info.numberColumns) {
        h5::Handle dataset = h5::openDataset(meta.get(), column, path);
        set.numberColumns[column] = h5::readNumbers(dataset.get(), first, count, path);
        columnRead();
    }
    checkpoint(progress, phase, 1);
    return set;
}

std::string attributeText(hid_t object, const char* name, const std::string& path) {
    return h5::readOptionalStringAttribute(object, name, path);
}

/// Parses a text attribute with parse, turning its complaints into a FileError.
template <typename Parse>
void parseAttribute(hid_t object, const char* name, const std::string& path, Parse&& parse) {
    const std::string text = attributeText(object, name, path);
    if (text.empty())
        return;
    try {
        parse(text);
    } catch (const std::invalid_argument& e) {
        throw FileError(
            path, "reading attribute '" + std::string(name) + "' of " + h5::objectPath(object),
            e.what());
    }
}

} // namespace

ProjectStore::ProjectStore(const std::string& path) : d_(std::make_unique<Impl>()) {
    h5::silenceErrorPrinting();
    d_->path = path;
    requireReadable(path);
    d_->file = openHdf5(path);
    d_->formatVersion = readFormatVersion(d_->file.get(), path);
}

ProjectStore::~ProjectStore() = default;
ProjectStore::ProjectStore(ProjectStore&&) noexcept = default;
ProjectStore& ProjectStore::operator=(ProjectStore&&) noexcept = default;

const std::string& ProjectStore::path() const {
    return d_->path;
}

int ProjectStore::formatVersion() const {
    return d_->formatVersion;
}

std::vector<StoredScene> ProjectStore::scenes() const {
    h5::silenceErrorPrinting();
    const std::string& path = d_->path;
    std::vector<StoredScene> scenes;
    const std::vector<std::string> ids = namesUnder(d_->file.get(), kScenesGroup, path);
    if (ids.empty())
        return scenes;
    h5::Handle group = h5::openGroup(d_->file.get(), kScenesGroup, path);
    for (const std::string& id : ids) {
        h5::Handle sceneGroup = h5::openGroup(group.get(), id, path);
        StoredScene scene;
        scene.id = id;
        scene.sourcePath = attributeText(sceneGroup.get(), "source_path", path);
        if (h5::hasAttribute(sceneGroup.get(), "axis_alignment", path)) {
            const std::vector<float> matrix =
                h5::readFloatAttribute(sceneGroup.get(), "axis_alignment", path);
            if (matrix.size() != scene.axisAlignment.size())
                throw FileError(path, "reading /scenes/" + id + "/axis_alignment",
                                "expected a 4x4 matrix, found " + std::to_string(matrix.size()) +
                                    " values");
            std::copy(matrix.begin(), matrix.end(), scene.axisAlignment.begin());
        }
        scenes.push_back(std::move(scene));
    }
    return scenes;
}

std::vector<SetInfo> ProjectStore::sets() const {
    std::vector<SetInfo> infos;
    for (const std::string& name : namesUnder(d_->file.get(), kEmbeddingsGroup, d_->path))
        infos.push_back(setInfo(name));
    return infos;
}

std::vector<std::string> ProjectStore::projectionNames() const {
    h5::silenceErrorPrinting();
    return namesUnder(d_->file.get(), kProjectionsGroup, d_->path);
}

bool ProjectStore::hasSet(const std::string& name) const {
    h5::silenceErrorPrinting();
    if (name.empty() || name.find('/') != std::string::npos ||
        !h5::hasLink(d_->file.get(), kEmbeddingsGroup, d_->path))
        return false;
    h5::Handle sets = h5::openGroup(d_->file.get(), kEmbeddingsGroup, d_->path);
    return h5::hasLink(sets.get(), name, d_->path);
}

SetInfo ProjectStore::setInfo(const std::string& name) const {
    h5::silenceErrorPrinting();
    h5::Handle group = openSetGroup(d_->file.get(), name, d_->path);
    return readSetInfo(group.get(), name, d_->path);
}

embed::EmbeddingSet ProjectStore::readSet(const std::string& name, ProgressSink* progress) const {
    h5::silenceErrorPrinting();
    h5::Handle group = openSetGroup(d_->file.get(), name, d_->path);
    const SetInfo info = readSetInfo(group.get(), name, d_->path);
    return readSetRows(group.get(), info, 0, hsize_t(info.rows), progress, d_->path);
}

embed::EmbeddingSet ProjectStore::readRows(const std::string& name, std::int64_t first,
                                           std::int64_t count) const {
    h5::silenceErrorPrinting();
    h5::Handle group = openSetGroup(d_->file.get(), name, d_->path);
    const SetInfo info = readSetInfo(group.get(), name, d_->path);
    if (first < 0 || count < 0 || first > info.rows || count > info.rows - first)
        throw std::out_of_range("rows [" + std::to_string(first) + ", " +
                                std::to_string(first + count) + ") leave set '" + name + "' of " +
                                std::to_string(info.rows) + " rows");
    return readSetRows(group.get(), info, hsize_t(first), hsize_t(count), nullptr, d_->path);
}

StoredProjection ProjectStore::readProjection(const std::string& name) const {
    h5::silenceErrorPrinting();
    const std::string& path = d_->path;
    const std::vector<std::string> names = projectionNames();
    if (std::find(names.begin(), names.end(), name) == names.end())
        throw FileError(path, "", "no projection '" + name + "'");
    h5::Handle projections = h5::openGroup(d_->file.get(), kProjectionsGroup, path);
    h5::Handle group = h5::openGroup(projections.get(), name, path);

    StoredProjection projection;
    projection.name = name;
    parseAttribute(group.get(), "method", path, [&](const std::string& text) {
        projection.options.method = parseMethodName(text);
    });
    parseAttribute(group.get(), "parameters", path,
                   [&](const std::string& text) { readParametersJson(text, projection.options); });
    parseAttribute(group.get(), "metrics", path,
                   [&](const std::string& text) { projection.metrics = readMetricsJson(text); });
    if (h5::hasAttribute(group.get(), "input_sets", path))
        projection.inputSets = h5::readStringListAttribute(group.get(), "input_sets", path);
    projection.title = attributeText(group.get(), "title", path);
    projection.details = attributeText(group.get(), "details", path);
    projection.viewState = attributeText(group.get(), "view_state", path);

    MatrixReader coords(group.get(), "coords", path);
    if (coords.dims() != 2 && coords.dims() != 3)
        throw FileError(path, "reading /projections/" + name + "/coords",
                        "expected 2 or 3 columns, found " + std::to_string(coords.dims()));
    projection.rows = rowCount(coords.rows(), path, "reading /projections/" + name + "/coords");
    projection.dims = coords.dims();
    projection.coords.resize(std::size_t(projection.rows) * std::size_t(projection.dims));
    coords.read(0, coords.rows(), projection.coords.data(), 0, nullptr, "");
    return projection;
}

std::string ProjectStore::session() const {
    h5::silenceErrorPrinting();
    if (!h5::hasLink(d_->file.get(), kSessionGroup, d_->path))
        return {};
    h5::Handle group = h5::openGroup(d_->file.get(), kSessionGroup, d_->path);
    return attributeText(group.get(), "state", d_->path);
}

} // namespace scenelens::store

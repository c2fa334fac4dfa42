#include "store/MatrixDataset.h"

#include "Error.h"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace scenelens::store {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "chunks are moved as raw little-endian float32 bytes");

namespace {

bool isDirectFilterPipeline(hid_t properties) {
    if (H5Pget_nfilters(properties) != 2)
        return false;
    const auto filterAt = [properties](unsigned index) {
        unsigned flags = 0, config = 0;
        std::size_t values = 0;
        return H5Pget_filter2(properties, index, &flags, &values, nullptr, 0, nullptr, &config);
    };
    return filterAt(0) == H5Z_FILTER_SHUFFLE && filterAt(1) == H5Z_FILTER_DEFLATE;
}

} // namespace

hsize_t rowsPerChunk(int chunkBytes, int dims, long long rows) {
    const long long rowBytes = 4LL * std::max(dims, 1);
    long long chunkRows = std::max(1LL, (long long)chunkBytes / rowBytes);
    if (rows > 0)
        chunkRows = std::min(chunkRows, rows);
    return hsize_t(chunkRows);
}

MatrixWriter::MatrixWriter(hid_t parent, const std::string& name, int dims, hsize_t chunkRows,
                           int level, WorkerPool* pool, std::string file)
    : file_(std::move(file)), doing_("writing " + h5::objectPath(parent) + "/" + name),
      chunkBytes_(std::size_t(chunkRows) * std::size_t(dims) * sizeof(float)), dims_(hsize_t(dims)),
      level_(level), pool_(pool) {
    const hsize_t shape[2] = {0, hsize_t(dims)}, maxShape[2] = {H5S_UNLIMITED, hsize_t(dims)};
    const hsize_t chunk[2] = {chunkRows, hsize_t(dims)};
    h5::Handle space(H5Screate_simple(2, shape, maxShape), file_, doing_);
    h5::Handle properties(H5Pcreate(H5P_DATASET_CREATE), file_, doing_);
    h5::check(H5Pset_chunk(properties.get(), 2, chunk), file_, doing_);
    if (level > 0) {
        h5::check(H5Pset_shuffle(properties.get()), file_, doing_);
        h5::check(H5Pset_deflate(properties.get(), unsigned(level)), file_, doing_);
    }
    dataset_ = h5::Handle(H5Dcreate2(parent, name.c_str(), H5T_IEEE_F32LE, space.get(), H5P_DEFAULT,
                                     properties.get(), H5P_DEFAULT),
                          file_, doing_);
}

MatrixWriter::~MatrixWriter() = default;

Bytes MatrixWriter::takeChunkBuffer() {
    if (spare_.empty())
        return Bytes(chunkBytes_);
    Bytes buffer = std::move(spare_.back());
    spare_.pop_back();
    buffer.resize(chunkBytes_);
    return buffer;
}

void MatrixWriter::recycle(Bytes buffer) {
    const std::size_t inFlight = pool_ ? std::size_t(pool_->threads()) + 2 : 1;
    if (spare_.size() < 2 * inFlight)
        spare_.push_back(std::move(buffer));
}

void MatrixWriter::writeChunk(Bytes chunk, hsize_t rows) {
    const hsize_t firstRow = rows_;
    rows_ += rows;
    const hsize_t extent[2] = {rows_, dims_};
    h5::check(H5Dset_extent(dataset_.get(), extent), file_, doing_);
    if (level_ == 0 || !pool_) {
        writeStored(chunk.data(), chunk.size(), firstRow);
        recycle(std::move(chunk));
        return;
    }
    while (pending_.size() > std::size_t(pool_->threads()))
        writeOldest();
    auto job = std::make_shared<Job>();
    job->raw = std::move(chunk);
    if (!spare_.empty()) {
        job->encoded = std::move(spare_.back());
        spare_.pop_back();
    }
    const int level = level_;
    std::future<void> encoded = pool_->submit([job, level] {
        job->encodedBytes = encodeChunk(job->raw.data(), job->raw.size(), level, job->encoded);
    });
    pending_.push_back({std::move(encoded), std::move(job), firstRow});
}

void MatrixWriter::finish() {
    while (!pending_.empty())
        writeOldest();
}

void MatrixWriter::writeOldest() {
    Pending oldest = std::move(pending_.front());
    pending_.pop_front();
    try {
        oldest.encoded.get();
    } catch (const std::runtime_error& e) {
        throw FileError(file_, doing_, e.what());
    }
    Job& job = *oldest.job;
    writeStored(job.encoded.data(), job.encodedBytes, oldest.firstRow);
    recycle(std::move(job.raw));
    recycle(std::move(job.encoded));
}

void MatrixWriter::writeStored(const unsigned char* bytes, std::size_t size, hsize_t firstRow) {
    const hsize_t offset[2] = {firstRow, 0};
    h5::check(H5Dwrite_chunk(dataset_.get(), H5P_DEFAULT, 0, offset, size, bytes), file_, doing_);
}

MatrixReader::MatrixReader(hid_t parent, const std::string& name, std::string file)
    : file_(std::move(file)) {
    dataset_ = h5::openDataset(parent, name, file_);
    doing_ = "reading " + h5::objectPath(dataset_.get());
    const std::vector<hsize_t> shape = h5::datasetShape(dataset_.get(), file_);
    if (shape.size() != 2 || shape[1] == 0)
        throw FileError(file_, doing_, "expected a [rows, dims] matrix");
    const H5T_class_t type = h5::elementClass(dataset_.get(), file_);
    if (type != H5T_FLOAT && type != H5T_INTEGER)
        throw FileError(file_, doing_, "expected numbers");
    rows_ = shape[0];
    dims_ = int(shape[1]);

    h5::Handle properties(H5Dget_create_plist(dataset_.get()), file_, doing_);
    if (H5Pget_layout(properties.get()) != H5D_CHUNKED)
        return;
    hsize_t chunk[2] = {0, 0};
    if (H5Pget_chunk(properties.get(), 2, chunk) != 2 || chunk[1] != shape[1])
        return;
    chunkRows_ = chunk[0];
    h5::Handle fileType(H5Dget_type(dataset_.get()), file_, doing_);
    directChunks_ =
        H5Tequal(fileType.get(), H5T_IEEE_F32LE) > 0 && isDirectFilterPipeline(properties.get());
}

void MatrixReader::read(hsize_t first, hsize_t count, float* out, int threads,
                        ProgressSink* progress, std::string_view phase, double fractionStart,
                        double fractionSpan) const {
    if (count == 0)
        return;
    if (directChunks_)
        readDirect(first, count, out, threads, progress, phase, fractionStart, fractionSpan);
    else
        readThroughHdf5(first, count, out, progress, phase, fractionStart, fractionSpan);
}

void MatrixReader::readDirect(hsize_t first, hsize_t count, float* out, int threads,
                              ProgressSink* progress, std::string_view phase, double fractionStart,
                              double fractionSpan) const {
    const hsize_t chunkRows = chunkRows_, dims = hsize_t(dims_);
    const std::size_t chunkBytes = std::size_t(chunkRows * dims) * sizeof(float);
    const hsize_t firstChunk = first / chunkRows, lastChunk = (first + count - 1) / chunkRows;
    const hsize_t chunks = lastChunk - firstChunk + 1;
    std::optional<WorkerPool> pool;
    if (chunks > 1)
        pool.emplace(threadCount(threads, (long long)chunks));
    struct Pending {
        std::future<void> decoded;
        std::shared_ptr<Bytes> stored; ///< shared with the worker, so it never touches freed memory
    };
    std::deque<Pending> pending;
    std::vector<std::shared_ptr<Bytes>> spare; // buffers of decoded chunks, reused
    const auto finishOldest = [&] {
        Pending oldest = std::move(pending.front());
        pending.pop_front();
        oldest.decoded.get();
        spare.push_back(std::move(oldest.stored));
    };
    try {
        for (hsize_t c = firstChunk; c <= lastChunk; ++c) {
            const hsize_t chunkFirst = c * chunkRows;
            const hsize_t begin = std::max(first, chunkFirst);
            const hsize_t end = std::min(first + count, chunkFirst + chunkRows);
            float* destination = out + (begin - first) * dims;
            const hsize_t offset[2] = {chunkFirst, 0};
            hsize_t stored = 0;
            if (H5Dget_chunk_storage_size(dataset_.get(), offset, &stored) < 0 || stored == 0) {
                // Not written (HDF5 gives the fill value) or not found: HDF5 knows best.
                readThroughHdf5(begin, end - begin, destination, nullptr, phase, 0, 0);
                continue;
            }
            const std::string where = doing_ + ", chunk at row " + std::to_string(chunkFirst);
            // Other deflate implementations may overshoot zlib's bound a little; far more is
            // damage.
            if (stored > 2 * maxEncodedBytes(chunkBytes))
                throw FileError(file_, where,
                                "damaged chunk: " + std::to_string(stored) + " bytes stored for " +
                                    std::to_string(chunkBytes));
            std::shared_ptr<Bytes> bytes;
            if (spare.empty()) {
                bytes = std::make_shared<Bytes>(stored);
            } else {
                bytes = std::move(spare.back());
                spare.pop_back();
                bytes->resize(stored);
            }
            std::uint32_t skipped = 0;
            h5::check(H5Dread_chunk(dataset_.get(), H5P_DEFAULT, offset, &skipped, bytes->data()),
                      file_, where);
            const ChunkFilters filters{(skipped & 1u) == 0, (skipped & 2u) == 0};
            auto decode = [bytes, filters, chunkBytes, elementFirst = (begin - chunkFirst) * dims,
                           elementCount = (end - begin) * dims, destination, file = file_, where] {
                try {
                    decodeChunk(bytes->data(), bytes->size(), filters, chunkBytes, elementFirst,
                                elementCount, reinterpret_cast<unsigned char*>(destination));
                } catch (const std::runtime_error& e) {
                    throw FileError(file, where, e.what());
                }
            };
            if (!pool) {
                decode();
            } else {
                if (pending.size() > std::size_t(pool->threads()))
                    finishOldest();
                pending.push_back({pool->submit(decode), bytes});
            }
            checkpoint(progress, phase,
                       fractionStart + fractionSpan * double(c - firstChunk + 1) / double(chunks));
        }
        while (!pending.empty())
            finishOldest();
    } catch (...) {
        // Workers write into out: let them finish before the caller's buffer can go away.
        for (Pending& job : pending)
            job.decoded.wait();
        throw;
    }
}

void MatrixReader::readThroughHdf5(hsize_t first, hsize_t count, float* out, ProgressSink* progress,
                                   std::string_view phase, double fractionStart,
                                   double fractionSpan) const {
    const hsize_t dims = hsize_t(dims_);
    const hsize_t block = chunkRows_ > 0 ? chunkRows_ : rowsPerChunk(1 << 20, dims_, -1);
    h5::Handle fileSpace(H5Dget_space(dataset_.get()), file_, doing_);
    for (hsize_t done = 0; done < count;) {
        const hsize_t rows = std::min(block, count - done);
        h5::selectRows(fileSpace.get(), first + done, rows, file_);
        const hsize_t memoryShape[2] = {rows, dims};
        h5::Handle memorySpace(H5Screate_simple(2, memoryShape, nullptr), file_, doing_);
        h5::check(H5Dread(dataset_.get(), H5T_NATIVE_FLOAT, memorySpace.get(), fileSpace.get(),
                          H5P_DEFAULT, out + done * dims),
                  file_, doing_);
        done += rows;
        checkpoint(progress, phase, fractionStart + fractionSpan * double(done) / double(count));
    }
}

} // namespace scenelens::store

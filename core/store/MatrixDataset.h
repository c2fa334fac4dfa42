#pragma once
// Private to core/store: float32 [rows, dims] datasets (vectors, projection coordinates) chunked by
// whole rows, whose chunks are compressed and decompressed on worker threads while the calling
// thread moves them with H5Dwrite_chunk / H5Dread_chunk.

#include "Progress.h"
#include "store/ChunkCodec.h"
#include "store/Hdf5.h"
#include "store/WorkerPool.h"

#include <deque>
#include <future>
#include <memory>
#include <string>
#include <string_view>

namespace scenelens::store {

/// Rows per chunk for dims float32 columns: chunkBytes / (4 dims), at least 1, at most rows when
/// rows > 0 (rows < 0: not known yet).
hsize_t rowsPerChunk(int chunkBytes, int dims, long long rows);

/// Writes a new extendible float32 [0.., dims] dataset chunk after chunk, shuffled and deflated at
/// level (no filters at level 0). Keeps at most pool->threads() + 1 chunks in flight.
class MatrixWriter {
public:
    /// pool may be null at level 0, where nothing is compressed.
    MatrixWriter(hid_t parent, const std::string& name, int dims, hsize_t chunkRows, int level,
                 WorkerPool* pool, std::string file);
    ~MatrixWriter();
    MatrixWriter(const MatrixWriter&) = delete;
    MatrixWriter& operator=(const MatrixWriter&) = delete;

    std::size_t chunkBytes() const { return chunkBytes_; }
    /// A buffer of chunkBytes() bytes for the next chunk, recycled from written chunks when it
    /// can be (its bytes are then left over: fill them all).
    Bytes takeChunkBuffer();
    /// Appends the next `rows` rows: chunk holds chunkBytes() bytes, the rows then zeros.
    void writeChunk(Bytes chunk, hsize_t rows);
    /// Writes the chunks still being compressed.
    void finish();

private:
    struct Job {
        Bytes raw, encoded;
        std::size_t encodedBytes = 0;
    };
    struct Pending {
        std::future<void> encoded;
        std::shared_ptr<Job> job; ///< shared with the worker, so it never touches freed memory
        hsize_t firstRow = 0;
    };
    void writeOldest();
    void writeStored(const unsigned char* bytes, std::size_t size, hsize_t firstRow);
    void recycle(Bytes buffer);

    h5::Handle dataset_;
    std::string file_, doing_;
    std::size_t chunkBytes_ = 0;
    hsize_t dims_ = 0;
    int level_ = 0;
    WorkerPool* pool_ = nullptr;
    hsize_t rows_ = 0;
    std::deque<Pending> pending_;
    /// Buffers of written chunks: reusing them spares an allocation and its page faults per chunk.
    std::vector<Bytes> spare_;
};

/// A float32-convertible [rows, dims] dataset opened for reading rows.
class MatrixReader {
public:
    MatrixReader(hid_t parent, const std::string& name, std::string file);

    hsize_t rows() const { return rows_; }
    int dims() const { return dims_; }
    /// Reads rows [first, first + count) into out (count x dims floats). Chunks stored with
    /// exactly shuffle + deflate are decompressed on up to `threads` threads (0: one per core);
    /// other layouts go through H5Dread. Reports each chunk to progress as
    /// fractionStart + fractionSpan * (share done) and throws Cancelled when it asks to stop.
    void read(hsize_t first, hsize_t count, float* out, int threads, ProgressSink* progress,
              std::string_view phase, double fractionStart = 0, double fractionSpan = 1) const;

private:
    void readDirect(hsize_t first, hsize_t count, float* out, int threads, ProgressSink* progress,
                    std::string_view phase, double fractionStart, double fractionSpan) const;
    void readThroughHdf5(hsize_t first, hsize_t count, float* out, ProgressSink* progress,
                         std::string_view phase, double fractionStart, double fractionSpan) const;

    h5::Handle dataset_;
    std::string file_, doing_;
    hsize_t rows_ = 0;
    int dims_ = 0;
    hsize_t chunkRows_ = 0;     ///< rows per chunk, 0 when not chunked by whole rows
    bool directChunks_ = false; ///< float32 LE chunks of whole rows, shuffle + deflate
};

} // namespace scenelens::store

#pragma once
// Private to core/store: the bytes HDF5's shuffle + deflate filters store for a chunk of float32
// values, made and undone without HDF5 so that chunks can be (de)compressed on several threads and
// moved with H5Dwrite_chunk / H5Dread_chunk. HDF5, h5py and SceneLens read each other's chunks.

#include <cstddef>
#include <vector>

namespace scenelens::store {

using Bytes = std::vector<unsigned char>;

/// The most bytes a chunk of chunkBytes can take once encoded; more means the file is damaged.
std::size_t maxEncodedBytes(std::size_t chunkBytes);

/// Bytes per element the codec shuffles (float32).
inline constexpr std::size_t kElementBytes = 4;

/// HDF5's shuffle filter (element size 4) then its deflate filter (a zlib stream at level 1..9)
/// into out, which grows to maxEncodedBytes(bytes) when smaller and is never shrunk, so that a
/// recycled buffer is neither reallocated nor cleared. Returns the encoded size. bytes must be a
/// multiple of kElementBytes.
std::size_t encodeChunk(const unsigned char* chunk, std::size_t bytes, int level, Bytes& out);

/// Which filters a stored chunk went through (HDF5 may skip optional filters chunk by chunk).
struct ChunkFilters {
    bool shuffled = true;
    bool deflated = true;
};

/// Undoes encodeChunk for a chunk of chunkBytes raw bytes and writes its elements
/// [firstElement, firstElement + elementCount) to out. Throws std::runtime_error when the stored
/// bytes do not decode to exactly chunkBytes.
void decodeChunk(const unsigned char* stored, std::size_t storedBytes, ChunkFilters filters,
                 std::size_t chunkBytes, std::size_t firstElement, std::size_t elementCount,
                 unsigned char* out);

} // namespace scenelens::store

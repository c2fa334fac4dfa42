#pragma once
// NumPy .npy files: 2-D float matrices (float32 or float64 read as float) and 1-D integer labels.

#include <cstdint>
#include <string>
#include <vector>

namespace scenelens::embed {

/// A row-major float matrix read from a .npy file.
struct NpyMatrix {
    int rows = 0, cols = 0;
    std::vector<float> values; ///< rows x cols
};

/// Reads a C-order 2-D little-endian '<f4' or '<f8' array (format 1.0 or 2.0); throws FileError.
NpyMatrix readNpyMatrix(const std::string& path);

/// Reads a C-order 1-D little-endian '<i4', '<i8', '<u4' or '<u8' array; throws FileError.
std::vector<std::int64_t> readNpyIntegers(const std::string& path);

/// Writes rows x cols row-major values as a float32 C-order .npy (format 1.0); throws FileError.
void writeNpyMatrix(const std::string& path, const float* values, int rows, int cols);

/// Writes a 1-D int64 .npy (format 1.0); throws FileError.
void writeNpyIntegers(const std::string& path, const std::vector<std::int64_t>& values);

} // namespace scenelens::embed

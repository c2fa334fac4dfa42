#pragma once
// Plain C++ tensors: what the model runtime hands to and takes from LibTorch, so that no header
// outside core/ml/*.cpp needs torch. Row-major (C order), one of three element types.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace scenelens {

enum class TensorType { Float32, Int64, Bool };

struct Tensor {
    std::vector<std::int64_t> shape;
    TensorType type = TensorType::Float32;
    std::vector<float> floats;       ///< Float32 values
    std::vector<std::int64_t> ints;  ///< Int64 values
    std::vector<std::uint8_t> bools; ///< Bool values, 0 or 1

    static Tensor float32(std::vector<std::int64_t> shape, std::vector<float> values);
    static Tensor int64(std::vector<std::int64_t> shape, std::vector<std::int64_t> values);
    static Tensor boolean(std::vector<std::int64_t> shape, std::vector<std::uint8_t> values);

    /// Product of the shape (1 for a scalar).
    std::int64_t elementCount() const;
    /// shape[axis]; throws std::out_of_range when the tensor has fewer axes.
    std::int64_t dim(std::size_t axis) const { return shape.at(axis); }
    /// "[2,16,6]".
    std::string shapeText() const;
};

/// Named outputs of a module whose forward returns Dict[str, Tensor].
using TensorMap = std::map<std::string, Tensor>;

/// "float32", "int64", "bool".
const char* tensorTypeName(TensorType type);

/// Reads a little-endian C-order .npy of any rank: '<f4' / '<f8' as Float32, '<i4' / '<i8' as
/// Int64, '|b1' / '|u1' as Bool. Throws FileError naming the file and what is wrong.
Tensor readNpyTensor(const std::string& path);

/// Writes a Float32 tensor as a C-order '<f4' .npy (format 1.0); throws FileError.
void writeNpyTensor(const std::string& path, const Tensor& tensor);

} // namespace scenelens

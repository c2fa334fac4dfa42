#include "ml/Tensor.h"

#include "Error.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace scenelens {

Tensor Tensor::float32(std::vector<std::int64_t> shape, std::vector<float> values) {
    Tensor t;
    t.shape = std::move(shape);
    t.type = TensorType::Float32;
    t.floats = std::move(values);
    if (std::int64_t(t.floats.size()) != t.elementCount())
        throw std::invalid_argument("float32 tensor " + t.shapeText() + " given " +
                                    std::to_string(t.floats.size()) + " values");
    return t;
}

Tensor Tensor::int64(std::vector<std::int64_t> shape, std::vector<std::int64_t> values) {
    Tensor t;
    t.shape = std::move(shape);
    t.type = TensorType::Int64;
    t.ints = std::move(values);
    if (std::int64_t(t.ints.size()) != t.elementCount())
        throw std::invalid_argument("int64 tensor " + t.shapeText() + " given " +
                                    std::to_string(t.ints.size()) + " values");
    return t;
}

Tensor Tensor::boolean(std::vector<std::int64_t> shape, std::vector<std::uint8_t> values) {
    Tensor t;
    t.shape = std::move(shape);
    t.type = TensorType::Bool;
    t.bools = std::move(values);
    if (std::int64_t(t.bools.size()) != t.elementCount())
        throw std::invalid_argument("bool tensor " + t.shapeText() + " given " +
                                    std::to_string(t.bools.size()) + " values");
    return t;
}

std::int64_t Tensor::elementCount() const {
    std::int64_t n = 1;
    for (std::int64_t d : shape)
        n *= d;
    return n;
}

std::string Tensor::shapeText() const {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? "," : "") + std::to_string(shape[i]);
    return text + "]";
}

const char* tensorTypeName(TensorType type) {
    switch (type) {
    case TensorType::Float32:
        return "float32";
    case TensorType::Int64:
        return "int64";
    case TensorType::Bool:
        return "bool";
    }
    return "?";
}

namespace {

/// The text after `'key':` in a .npy header dict, up to the next top-level comma or brace.
std::string headerField(const std::string& header, const std::string& key,
                        const std::string& path) {
    const std::size_t at = header.find("'" + key + "'");
    if (at == std::string::npos)
        throw FileError(path, "header", "no '" + key + "' entry");
    std::size_t start = header.find(':', at);
    if (start == std::string::npos)
        throw FileError(path, "header", "malformed '" + key + "' entry");
    ++start;
    while (start < header.size() && header[start] == ' ')
        ++start;
    std::size_t end = start;
    int depth = 0;
    for (; end < header.size(); ++end) {
        const char c = header[end];
        if (c == '(')
            ++depth;
        else if (c == ')')
            --depth;
        else if ((c == ',' || c == '}') && depth == 0)
            break;
    }
    return header.substr(start, end - start);
}

std::vector<std::int64_t> parseShape(const std::string& text, const std::string& path) {
    if (text.size() < 2 || text.front() != '(' || text.back() != ')')
        throw FileError(path, "header", "malformed shape " + text);
    std::vector<std::int64_t> shape;
    std::string number;
    for (std::size_t i = 1; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            number += c;
        } else if (c == ',' || c == ')') {
            if (!number.empty())
                shape.push_back(std::stoll(number));
            number.clear();
        } else if (c != ' ') {
            throw FileError(path, "header", "malformed shape " + text);
        }
    }
    return shape;
}

} // namespace

Tensor readNpyTensor(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError(path, "", "cannot open the file");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
        throw FileError(path, "byte 0", "not a .npy file (no \\x93NUMPY magic)");
    const int major = std::uint8_t(bytes[6]);
    std::size_t headerLength = 0, headerStart = 0;
    if (major == 1) {
        headerLength = std::uint8_t(bytes[8]) | std::size_t(std::uint8_t(bytes[9])) << 8;
        headerStart = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12)
            throw FileError(path, "byte 8", "truncated header");
        for (int i = 0; i < 4; ++i)
            headerLength |= std::size_t(std::uint8_t(bytes[8 + i])) << (8 * i);
        headerStart = 12;
    } else {
        throw FileError(path, "byte 6", "unsupported .npy version " + std::to_string(major));
    }
    if (headerStart + headerLength > bytes.size())
        throw FileError(path, "header", "truncated header");
    const std::string header = bytes.substr(headerStart, headerLength);
    std::string descr = headerField(header, "descr", path);
    if (descr.size() >= 2 && (descr.front() == '\'' || descr.front() == '"'))
        descr = descr.substr(1, descr.size() - 2);
    if (headerField(header, "fortran_order", path) != "False")
        throw FileError(path, "header", "Fortran-order arrays are not supported");
    Tensor tensor;
    tensor.shape = parseShape(headerField(header, "shape", path), path);
    const std::size_t count = std::size_t(tensor.elementCount());
    const char* data = bytes.data() + headerStart + headerLength;
    const std::size_t available = bytes.size() - headerStart - headerLength;
    std::size_t width = 0;
    if (descr == "<f4" || descr == "<i4")
        width = 4;
    else if (descr == "<f8" || descr == "<i8")
        width = 8;
    else if (descr == "|b1" || descr == "|u1")
        width = 1;
    else
        throw FileError(path, "header",
                        "unsupported dtype '" + descr +
                            "', expected <f4, <f8, <i4, <i8, |b1 or |u1");
    if (available < count * width)
        throw FileError(path, "byte " + std::to_string(bytes.size()),
                        "truncated data: expected " + std::to_string(count) + " values of shape " +
                            tensor.shapeText());
    if (descr[1] == 'f') {
        tensor.type = TensorType::Float32;
        tensor.floats.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
            if (width == 4) {
                std::memcpy(&tensor.floats[i], data + i * 4, 4);
            } else {
                double v = 0;
                std::memcpy(&v, data + i * 8, 8);
                tensor.floats[i] = float(v);
            }
        }
    } else if (descr[1] == 'i') {
        tensor.type = TensorType::Int64;
        tensor.ints.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
            if (width == 4) {
                std::int32_t v = 0;
                std::memcpy(&v, data + i * 4, 4);
                tensor.ints[i] = v;
            } else {
                std::memcpy(&tensor.ints[i], data + i * 8, 8);
            }
        }
    } else {
        tensor.type = TensorType::Bool;
        tensor.bools.assign(data, data + count);
        for (std::uint8_t& b : tensor.bools)
            b = b != 0;
    }
    return tensor;
}

void writeNpyTensor(const std::string& path, const Tensor& tensor) {
    if (tensor.type != TensorType::Float32)
        throw FileError(path, "", "only float32 tensors can be written");
    std::string shape = "(";
    for (std::int64_t d : tensor.shape)
        shape += std::to_string(d) + ", ";
    if (tensor.shape.size() > 1)
        shape.resize(shape.size() - 2);
    else if (tensor.shape.size() == 1)
        shape.resize(shape.size() - 1);
    shape += ")";
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    // Pad so that the data starts on a 64-byte boundary, ending in a newline (format 1.0).
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw FileError(path, "", "cannot create the file");
    out.write("\x93NUMPY\x01\x00", 8);
    const char length[2] = {char(header.size() & 0xff), char(header.size() >> 8)};
    out.write(length, 2);
    out.write(header.data(), std::streamsize(header.size()));
    out.write(reinterpret_cast<const char*>(tensor.floats.data()),
              std::streamsize(tensor.floats.size() * sizeof(float)));
    if (!out)
        throw FileError(path, "", "write failed");
}

} // namespace scenelens

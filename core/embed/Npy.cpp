#include "embed/Npy.h"

#include "Error.h"

#include <cstring>
#include <fstream>
#include <iterator>

namespace scenelens::embed {

namespace {

const char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;

struct NpyHeader {
    std::string descr;
    bool fortranOrder = false;
    std::vector<std::int64_t> shape;
    std::size_t dataOffset = 0;
};

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError(path, "", "cannot open file");
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::uint32_t littleEndian(const std::string& bytes, std::size_t at, int size) {
    std::uint32_t value = 0;
    for (int i = size - 1; i >= 0; --i)
        value = (value << 8) | std::uint8_t(bytes[at + i]);
    return value;
}

// The header is a Python dict literal; numpy always writes the keys in the same simple form.
std::string dictValue(const std::string& path, const std::string& dict, const std::string& key) {
    const std::size_t keyAt = dict.find("'" + key + "'");
    const std::size_t colon = keyAt == std::string::npos ? keyAt : dict.find(':', keyAt);
    if (colon == std::string::npos)
        throw FileError(path, "header", "missing '" + key + "'");
    std::size_t begin = dict.find_first_not_of(' ', colon + 1);
    const bool tuple = begin < dict.size() && dict[begin] == '(';
    const std::size_t end = tuple ? dict.find(')', begin) + 1 : dict.find_first_of(",}", begin);
    if (begin == std::string::npos || end == std::string::npos || end == 0)
        throw FileError(path, "header", "malformed value of '" + key + "'");
    return dict.substr(begin, end - begin);
}

std::vector<std::int64_t> parseShape(const std::string& path, const std::string& text) {
    if (text.empty() || text.front() != '(' || text.back() != ')')
        throw FileError(path, "header", "malformed shape " + text);
    std::vector<std::int64_t> shape;
    std::size_t at = 1;
    while (at < text.size()) {
        at = text.find_first_of("0123456789", at);
        if (at == std::string::npos)
            break;
        std::size_t used = 0;
        shape.push_back(std::stoll(text.substr(at), &used));
        at += used;
    }
    return shape;
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + (shape.size() == 1 ? ",)" : ")");
}

NpyHeader parseHeader(const std::string& path, const std::string& bytes) {
    if (bytes.size() < kMagicSize + 4 || bytes.compare(0, kMagicSize, kMagic) != 0)
        throw FileError(path, "byte 0", "not a .npy file (bad magic)");
    const int major = std::uint8_t(bytes[6]);
    if (major != 1 && major != 2)
        throw FileError(path, "byte 6", "unsupported .npy format version " + std::to_string(major));
    const int lengthSize = major == 1 ? 2 : 4;
    const std::size_t headerAt = 8 + lengthSize;
    if (bytes.size() < headerAt)
        throw FileError(path, "byte 8", "truncated header");
    const std::size_t length = littleEndian(bytes, 8, lengthSize);
    if (bytes.size() < headerAt + length)
        throw FileError(path, "byte " + std::to_string(headerAt), "truncated header");
    const std::string dict = bytes.substr(headerAt, length);
    NpyHeader header;
    const std::string descr = dictValue(path, dict, "descr");
    header.descr = descr.size() >= 2 ? descr.substr(1, descr.size() - 2) : descr;
    header.fortranOrder = dictValue(path, dict, "fortran_order") == "True";
    header.shape = parseShape(path, dictValue(path, dict, "shape"));
    header.dataOffset = headerAt + length;
    if (header.fortranOrder)
        throw FileError(path, "header", "Fortran order is not supported");
    return header;
}

std::size_t elementCount(const NpyHeader& header) {
    std::size_t count = 1;
    for (std::int64_t extent : header.shape)
        count *= std::size_t(extent);
    return count;
}

void checkSize(const std::string& path, const std::string& bytes, const NpyHeader& header,
               std::size_t elementSize) {
    const std::size_t expected = elementCount(header) * elementSize;
    const std::size_t found = bytes.size() - header.dataOffset;
    if (found < expected)
        throw FileError(path, "byte " + std::to_string(header.dataOffset),
                        "truncated data: expected " + std::to_string(expected) + " bytes, found " +
                            std::to_string(found));
}

template <typename Source, typename Target>
void convert(const std::string& bytes, std::size_t at, std::size_t count, Target* out) {
    for (std::size_t i = 0; i < count; ++i) {
        Source value;
        std::memcpy(&value, bytes.data() + at + i * sizeof(Source), sizeof(Source));
        out[i] = Target(value);
    }
}

/// shape: "(rows, cols)" or "(n,)".
std::string makeHeader(const std::string& descr, const std::string& shape) {
    std::string dict =
        "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    // numpy pads the header with spaces so the data starts on a 64-byte boundary.
    const std::size_t unpadded = kMagicSize + 4 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict += '\n';
    std::string header(kMagic, kMagicSize);
    header += char(1);
    header += char(0);
    header += char(dict.size() & 0xff);
    header += char(dict.size() >> 8);
    return header + dict;
}

} // namespace

NpyMatrix readNpyMatrix(const std::string& path) {
    const std::string bytes = readAll(path);
    const NpyHeader header = parseHeader(path, bytes);
    if (header.descr != "<f4" && header.descr != "<f8")
        throw FileError(path, "header",
                        "expected float32 or float64, found '" + header.descr + "'");
    if (header.shape.size() != 2)
        throw FileError(path, "header",
                        "expected a 2-D array, found shape " + shapeText(header.shape));
    const bool doubles = header.descr == "<f8";
    checkSize(path, bytes, header, doubles ? 8 : 4);
    NpyMatrix matrix;
    matrix.rows = int(header.shape[0]);
    matrix.cols = int(header.shape[1]);
    matrix.values.resize(elementCount(header));
    if (doubles)
        convert<double>(bytes, header.dataOffset, matrix.values.size(), matrix.values.data());
    else
        convert<float>(bytes, header.dataOffset, matrix.values.size(), matrix.values.data());
    return matrix;
}

std::vector<std::int64_t> readNpyIntegers(const std::string& path) {
    const std::string bytes = readAll(path);
    const NpyHeader header = parseHeader(path, bytes);
    const std::string& d = header.descr;
    if (d != "<i4" && d != "<i8" && d != "<u4" && d != "<u8")
        throw FileError(path, "header",
                        "expected int32, int64, uint32 or uint64, found '" + d + "'");
    if (header.shape.size() != 1)
        throw FileError(path, "header",
                        "expected a 1-D array, found shape " + shapeText(header.shape));
    const bool wide = d[2] == '8';
    checkSize(path, bytes, header, wide ? 8 : 4);
    std::vector<std::int64_t> values(elementCount(header));
    const std::size_t at = header.dataOffset;
    if (d == "<i4")
        convert<std::int32_t>(bytes, at, values.size(), values.data());
    else if (d == "<u4")
        convert<std::uint32_t>(bytes, at, values.size(), values.data());
    else if (d == "<i8")
        convert<std::int64_t>(bytes, at, values.size(), values.data());
    else
        convert<std::uint64_t>(bytes, at, values.size(), values.data());
    return values;
}

namespace {

void writeNpy(const std::string& path, const std::string& header, const void* data,
              std::size_t bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw FileError(path, "", "cannot open file for writing");
    out.write(header.data(), std::streamsize(header.size()));
    out.write(static_cast<const char*>(data), std::streamsize(bytes));
    if (!out)
        throw FileError(path, "", "write failed");
}

} // namespace

void writeNpyMatrix(const std::string& path, const float* values, int rows, int cols) {
    writeNpy(path,
             makeHeader("<f4", "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")"),
             values, std::size_t(rows) * std::size_t(cols) * sizeof(float));
}

void writeNpyIntegers(const std::string& path, const std::vector<std::int64_t>& values) {
    writeNpy(path, makeHeader("<i8", "(" + std::to_string(values.size()) + ",)"), values.data(),
             values.size() * sizeof(std::int64_t));
}

} // namespace scenelens::embed

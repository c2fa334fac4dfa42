#include "PlyIO.h"

#include "../Error.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <string_view>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "PLY I/O assumes a little-endian host");

namespace scenelens {

namespace {

enum class PlyType : std::uint8_t { Int8, UInt8, Int16, UInt16, Int32, UInt32, Float32, Float64 };

struct TypeName {
    std::string_view name;
    PlyType type;
};
// Both the PLY 1.0 names and the sized aliases that many writers use.
constexpr TypeName kTypeNames[] = {
    {"char", PlyType::Int8},      {"int8", PlyType::Int8},       {"uchar", PlyType::UInt8},
    {"uint8", PlyType::UInt8},    {"short", PlyType::Int16},     {"int16", PlyType::Int16},
    {"ushort", PlyType::UInt16},  {"uint16", PlyType::UInt16},   {"int", PlyType::Int32},
    {"int32", PlyType::Int32},    {"uint", PlyType::UInt32},     {"uint32", PlyType::UInt32},
    {"float", PlyType::Float32},  {"float32", PlyType::Float32}, {"double", PlyType::Float64},
    {"float64", PlyType::Float64}};

std::optional<PlyType> parseType(std::string_view name) {
    for (const TypeName& t : kTypeNames)
        if (t.name == name)
            return t.type;
    return std::nullopt;
}

std::size_t sizeOf(PlyType type) {
    switch (type) {
    case PlyType::Int8:
    case PlyType::UInt8:
        return 1;
    case PlyType::Int16:
    case PlyType::UInt16:
        return 2;
    case PlyType::Int32:
    case PlyType::UInt32:
    case PlyType::Float32:
        return 4;
    case PlyType::Float64:
        return 8;
    }
    return 0;
}

bool isFloating(PlyType type) {
    return type == PlyType::Float32 || type == PlyType::Float64;
}

struct PlyProperty {
    std::string name;
    PlyType type = PlyType::Float32; ///< Item type for lists.
    bool isList = false;
    PlyType countType = PlyType::UInt8;
};

struct PlyElement {
    std::string name;
    std::size_t count = 0;
    std::vector<PlyProperty> properties;
    int line = 0; ///< Header line that declared it.

    int find(std::string_view propertyName) const {
        for (std::size_t i = 0; i < properties.size(); ++i)
            if (properties[i].name == propertyName)
                return int(i);
        return -1;
    }
    bool hasLists() const {
        return std::any_of(properties.begin(), properties.end(),
                           [](const PlyProperty& p) { return p.isList; });
    }
    std::size_t scalarStride() const {
        std::size_t stride = 0;
        for (const PlyProperty& p : properties)
            stride += sizeOf(p.type);
        return stride;
    }
};

struct PlyHeader {
    PlyFormat format = PlyFormat::Ascii;
    std::vector<PlyElement> elements;
    std::size_t bodyOffset = 0;
    int bodyLine = 0; ///< First line of an ASCII body.
};

std::string lineAt(int line) {
    return "line " + std::to_string(line);
}
std::string byteAt(std::size_t offset) {
    return "byte " + std::to_string(offset);
}

std::vector<std::string_view> splitWords(std::string_view line) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
            ++i;
        std::size_t start = i;
        while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])))
            ++i;
        if (i > start)
            words.push_back(line.substr(start, i - start));
    }
    return words;
}

PlyType requireType(std::string_view word, const std::string& name, int line) {
    if (auto type = parseType(word))
        return *type;
    throw FileError(name, lineAt(line),
                    "unknown property type '" + std::string(word) +
                        "'; expected char, uchar, short, ushort, int, uint, float or double");
}

void parseHeaderLine(const std::vector<std::string_view>& words, PlyHeader& header, bool& sawFormat,
                     const std::string& name, int line) {
    const std::string_view keyword = words[0];
    if (keyword == "comment" || keyword == "obj_info")
        return;
    if (keyword == "format") {
        if (words.size() < 2)
            throw FileError(name, lineAt(line), "'format' needs a format name");
        if (words[1] == "ascii")
            header.format = PlyFormat::Ascii;
        else if (words[1] == "binary_little_endian")
            header.format = PlyFormat::BinaryLittleEndian;
        else if (words[1] == "binary_big_endian")
            header.format = PlyFormat::BinaryBigEndian;
        else
            throw FileError(name, lineAt(line),
                            "unknown format '" + std::string(words[1]) +
                                "'; expected ascii, binary_little_endian or binary_big_endian");
        sawFormat = true;
        return;
    }
    if (keyword == "element") {
        std::size_t count = 0;
        const char* end = words.size() == 3 ? words[2].data() + words[2].size() : nullptr;
        if (words.size() != 3 || std::from_chars(words[2].data(), end, count).ptr != end)
            throw FileError(name, lineAt(line), "expected 'element <name> <count>'");
        header.elements.push_back({std::string(words[1]), count, {}, line});
        return;
    }
    if (keyword == "property") {
        if (header.elements.empty())
            throw FileError(name, lineAt(line), "'property' before any 'element'");
        PlyProperty property;
        if (words.size() == 5 && words[1] == "list") {
            property.isList = true;
            property.countType = requireType(words[2], name, line);
            property.type = requireType(words[3], name, line);
            property.name = std::string(words[4]);
            if (isFloating(property.countType))
                throw FileError(name, lineAt(line), "a list count must have an integer type");
        } else if (words.size() == 3) {
            property.type = requireType(words[1], name, line);
            property.name = std::string(words[2]);
        } else {
            throw FileError(name, lineAt(line),
                            "expected 'property <type> <name>' or "
                            "'property list <count type> <item type> <name>'");
        }
        header.elements.back().properties.push_back(std::move(property));
        return;
    }
    throw FileError(name, lineAt(line), "unexpected header keyword '" + std::string(keyword) + "'");
}

PlyHeader parseHeader(const char* data, std::size_t size, const std::string& name) {
    PlyHeader header;
    bool sawFormat = false;
    std::size_t pos = 0;
    int line = 0;
    while (true) {
        ++line;
        if (pos >= size)
            throw FileError(name, lineAt(line), "the header ends without 'end_header'");
        const char* newline = static_cast<const char*>(std::memchr(data + pos, '\n', size - pos));
        const std::size_t lineEnd = newline ? std::size_t(newline - data) : size;
        std::string_view text(data + pos, lineEnd - pos);
        if (!text.empty() && text.back() == '\r')
            text.remove_suffix(1);
        pos = lineEnd + 1;
        if (line == 1) {
            if (text != "ply")
                throw FileError(name, lineAt(1),
                                "not a PLY file: expected 'ply' on the first line");
            continue;
        }
        const std::vector<std::string_view> words = splitWords(text);
        if (words.empty())
            continue;
        if (words[0] == "end_header") {
            if (!sawFormat)
                throw FileError(name, lineAt(line), "the header has no 'format' line");
            header.bodyOffset = std::min(pos, size);
            header.bodyLine = line + 1;
            return header;
        }
        parseHeaderLine(words, header, sawFormat, name, line);
    }
}

// --- binary body ---------------------------------------------------------------------------

template <typename T> T loadBinary(const char* p, bool swap) {
    static_assert(sizeof(T) <= 8);
    T value;
    if (!swap) {
        std::memcpy(&value, p, sizeof(T));
        return value;
    }
    char bytes[sizeof(T)];
    for (std::size_t i = 0; i < sizeof(T); ++i)
        bytes[i] = p[sizeof(T) - 1 - i];
    std::memcpy(&value, bytes, sizeof(T));
    return value;
}

double loadScalar(const char* p, PlyType type, bool swap) {
    switch (type) {
    case PlyType::Int8:
        return double(loadBinary<std::int8_t>(p, swap));
    case PlyType::UInt8:
        return double(loadBinary<std::uint8_t>(p, swap));
    case PlyType::Int16:
        return double(loadBinary<std::int16_t>(p, swap));
    case PlyType::UInt16:
        return double(loadBinary<std::uint16_t>(p, swap));
    case PlyType::Int32:
        return double(loadBinary<std::int32_t>(p, swap));
    case PlyType::UInt32:
        return double(loadBinary<std::uint32_t>(p, swap));
    case PlyType::Float32:
        return double(loadBinary<float>(p, swap));
    case PlyType::Float64:
        return loadBinary<double>(p, swap);
    }
    return 0.0;
}

/// The vertex properties SceneLens keeps, in the order of VertexField.
enum VertexField { X, Y, Z, NX, NY, NZ, Red, Green, Blue, Alpha, Label, FieldCount };
constexpr std::string_view kVertexFieldNames[FieldCount] = {
    "x", "y", "z", "nx", "ny", "nz", "red", "green", "blue", "alpha", "label"};

/// Where each kept vertex property sits in the element (-1 when absent).
struct VertexLayout {
    int property[FieldCount];
    bool hasNormals = false, hasColors = false, hasAlpha = false, hasLabels = false;

    VertexLayout(const PlyElement& vertex, const std::string& name) {
        for (int f = 0; f < FieldCount; ++f) {
            property[f] = vertex.find(kVertexFieldNames[f]);
            if (property[f] >= 0 && vertex.properties[property[f]].isList)
                throw FileError(name, lineAt(vertex.line),
                                "vertex property '" + std::string(kVertexFieldNames[f]) +
                                    "' is a list; expected a scalar");
        }
        for (int f : {X, Y, Z})
            if (property[f] < 0)
                throw FileError(name, lineAt(vertex.line),
                                "element 'vertex' has no property '" +
                                    std::string(kVertexFieldNames[f]) + "'");
        hasNormals = property[NX] >= 0 && property[NY] >= 0 && property[NZ] >= 0;
        hasColors = property[Red] >= 0 && property[Green] >= 0 && property[Blue] >= 0;
        hasAlpha = property[Alpha] >= 0;
        hasLabels = property[Label] >= 0;
    }
};

std::uint8_t toColorByte(double value, PlyType type) {
    const double scaled = isFloating(type) ? value * 255.0 : value;
    return std::uint8_t(std::clamp(std::lround(scaled), 0L, 255L));
}

/// Sizes the mesh's arrays for `count` vertices of the given layout.
void allocateVertices(PlyMesh& mesh, const VertexLayout& layout, std::size_t count) {
    mesh.positions.resize(count);
    if (layout.hasNormals)
        mesh.normals.resize(count);
    if (layout.hasColors)
        mesh.colors.resize(count);
    if (layout.hasAlpha)
        mesh.alphas.resize(count);
    if (layout.hasLabels)
        mesh.labels.resize(count);
}

/// Stores vertex `i` from `values`, indexed by property, into the mesh.
void storeVertex(PlyMesh& mesh, const VertexLayout& layout, const PlyElement& vertex, std::size_t i,
                 const double* values) {
    const int* p = layout.property;
    mesh.positions[i] =
        Eigen::Vector3f(float(values[p[X]]), float(values[p[Y]]), float(values[p[Z]]));
    if (layout.hasNormals)
        mesh.normals[i] =
            Eigen::Vector3f(float(values[p[NX]]), float(values[p[NY]]), float(values[p[NZ]]));
    if (layout.hasColors)
        for (int c = 0; c < 3; ++c)
            mesh.colors[i][c] = toColorByte(values[p[Red + c]], vertex.properties[p[Red + c]].type);
    if (layout.hasAlpha)
        mesh.alphas[i] = toColorByte(values[p[Alpha]], vertex.properties[p[Alpha]].type);
    if (layout.hasLabels)
        mesh.labels[i] = std::uint16_t(std::clamp(values[p[Label]], 0.0, 65535.0));
}

/// The face element's vertex index list ("vertex_indices", or "vertex_index" as some writers say).
int faceIndexProperty(const PlyElement& face, const std::string& name) {
    int property = face.find("vertex_indices");
    if (property < 0)
        property = face.find("vertex_index");
    if (property < 0 || !face.properties[property].isList)
        throw FileError(name, lineAt(face.line),
                        "element 'face' has no list property 'vertex_indices'");
    return property;
}

/// A vertex index read as a number; negative ones become out of range so storeFace reports them.
std::uint32_t toVertexIndex(double index) {
    return index < 0 || index >= 4294967295.0 ? std::uint32_t(-1) : std::uint32_t(index);
}

/// Appends polygon `indices` as a triangle fan after checking them against the vertex count.
void storeFace(PlyMesh& mesh, const std::uint32_t* indices, std::size_t n, std::size_t face,
               const std::string& name, const std::string& where) {
    const std::size_t vertexCount = mesh.positions.size();
    for (std::size_t k = 0; k < n; ++k)
        if (indices[k] >= vertexCount)
            throw FileError(name, where,
                            "face " + std::to_string(face) + " refers to vertex " +
                                std::to_string(indices[k]) + ", but the file has " +
                                std::to_string(vertexCount) + " vertices");
    for (std::size_t k = 1; k + 1 < n; ++k)
        mesh.faces.push_back({indices[0], indices[k], indices[k + 1]});
}

class BinaryBody {
public:
    BinaryBody(const char* data, std::size_t size, std::size_t offset, bool swap,
               const std::string& name)
        : data_(data), size_(size), offset_(offset), swap_(swap), name_(name) {}

    void read(const PlyElement& element, PlyMesh& mesh) {
        if (element.name == "vertex")
            readVertices(element, mesh);
        else if (element.name == "face")
            readFaces(element, mesh);
        else
            skip(element);
    }

private:
    [[noreturn]] void truncated(const PlyElement& element, std::size_t item) const {
        throw FileError(name_, byteAt(offset_),
                        "truncated binary body: element '" + element.name + "' declares " +
                            std::to_string(element.count) + " items but the data ends in item " +
                            std::to_string(item) + " (" + std::to_string(size_ - offset_) +
                            " bytes remain)");
    }

    void require(const PlyElement& element, std::size_t item, std::size_t bytes) const {
        if (size_ - offset_ < bytes)
            truncated(element, item);
    }

    void readVertices(const PlyElement& element, PlyMesh& mesh) {
        const VertexLayout layout(element, name_);
        allocateVertices(mesh, layout, element.count);
        if (element.hasLists()) {
            readVerticesWithLists(element, layout, mesh);
            return;
        }
        std::vector<std::size_t> offsets;
        std::size_t stride = 0;
        for (const PlyProperty& p : element.properties) {
            offsets.push_back(stride);
            stride += sizeOf(p.type);
        }
        if ((size_ - offset_) / std::max<std::size_t>(stride, 1) < element.count)
            truncated(element, (size_ - offset_) / stride);
        std::vector<double> values(element.properties.size(), 0.0);
        for (std::size_t i = 0; i < element.count; ++i) {
            const char* item = data_ + offset_ + i * stride;
            for (int f = 0; f < FieldCount; ++f) {
                const int p = layout.property[f];
                if (p >= 0)
                    values[p] = loadScalar(item + offsets[p], element.properties[p].type, swap_);
            }
            storeVertex(mesh, layout, element, i, values.data());
        }
        offset_ += element.count * stride;
    }

    void readVerticesWithLists(const PlyElement& element, const VertexLayout& layout,
                               PlyMesh& mesh) {
        std::vector<double> values(element.properties.size(), 0.0);
        for (std::size_t i = 0; i < element.count; ++i) {
            for (std::size_t p = 0; p < element.properties.size(); ++p) {
                const PlyProperty& property = element.properties[p];
                if (property.isList) {
                    skipList(element, i, property);
                    continue;
                }
                require(element, i, sizeOf(property.type));
                values[p] = loadScalar(data_ + offset_, property.type, swap_);
                offset_ += sizeOf(property.type);
            }
            storeVertex(mesh, layout, element, i, values.data());
        }
    }

    void readFaces(const PlyElement& element, PlyMesh& mesh) {
        const int indexProperty = faceIndexProperty(element, name_);
        mesh.faces.reserve(mesh.faces.size() + element.count);
        std::vector<std::uint32_t> indices;
        for (std::size_t i = 0; i < element.count; ++i) {
            for (int p = 0; p < int(element.properties.size()); ++p) {
                const PlyProperty& property = element.properties[p];
                if (p != indexProperty) {
                    property.isList ? skipList(element, i, property)
                                    : skipScalar(element, i, property);
                    continue;
                }
                const std::size_t faceOffset = offset_;
                const std::size_t n = readCount(element, i, property);
                const std::size_t itemSize = sizeOf(property.type);
                require(element, i, n * itemSize);
                indices.resize(n);
                for (std::size_t k = 0; k < n; ++k) {
                    const double index =
                        loadScalar(data_ + offset_ + k * itemSize, property.type, swap_);
                    indices[k] = index < 0 ? std::uint32_t(-1) : std::uint32_t(index);
                }
                offset_ += n * itemSize;
                storeFace(mesh, indices.data(), n, i, name_, byteAt(faceOffset));
            }
        }
    }

    std::size_t readCount(const PlyElement& element, std::size_t item,
                          const PlyProperty& property) {
        require(element, item, sizeOf(property.countType));
        const double n = loadScalar(data_ + offset_, property.countType, swap_);
        if (n < 0)
            throw FileError(name_, byteAt(offset_),
                            "negative list length in element '" + element.name + "'");
        offset_ += sizeOf(property.countType);
        return std::size_t(n);
    }

    void skipList(const PlyElement& element, std::size_t item, const PlyProperty& property) {
        const std::size_t bytes = readCount(element, item, property) * sizeOf(property.type);
        require(element, item, bytes);
        offset_ += bytes;
    }

    void skipScalar(const PlyElement& element, std::size_t item, const PlyProperty& property) {
        require(element, item, sizeOf(property.type));
        offset_ += sizeOf(property.type);
    }

    void skip(const PlyElement& element) {
        if (!element.hasLists()) {
            const std::size_t stride = element.scalarStride();
            if (stride && (size_ - offset_) / stride < element.count)
                truncated(element, (size_ - offset_) / stride);
            offset_ += element.count * stride;
            return;
        }
        for (std::size_t i = 0; i < element.count; ++i)
            for (const PlyProperty& property : element.properties)
                property.isList ? skipList(element, i, property) : skipScalar(element, i, property);
    }

    const char* data_;
    std::size_t size_;
    std::size_t offset_;
    bool swap_;
    const std::string& name_;
};

// --- ASCII body ----------------------------------------------------------------------------

class AsciiBody {
public:
    AsciiBody(const char* data, std::size_t size, std::size_t offset, int line,
              const std::string& name)
        : p_(data + offset), end_(data + size), line_(line), name_(name) {}

    void read(const PlyElement& element, PlyMesh& mesh) {
        if (element.name == "vertex")
            readVertices(element, mesh);
        else if (element.name == "face")
            readFaces(element, mesh);
        else
            for (std::size_t i = 0; i < element.count; ++i)
                for (const PlyProperty& property : element.properties)
                    property.isList ? skipList(element, i, property)
                                    : (void)number(element, i, property.name);
    }

private:
    void readVertices(const PlyElement& element, PlyMesh& mesh) {
        const VertexLayout layout(element, name_);
        allocateVertices(mesh, layout, element.count);
        std::vector<double> values(element.properties.size(), 0.0);
        for (std::size_t i = 0; i < element.count; ++i) {
            for (std::size_t p = 0; p < element.properties.size(); ++p) {
                const PlyProperty& property = element.properties[p];
                if (property.isList)
                    skipList(element, i, property);
                else
                    values[p] = number(element, i, property.name);
            }
            storeVertex(mesh, layout, element, i, values.data());
        }
    }

    void readFaces(const PlyElement& element, PlyMesh& mesh) {
        const int indexProperty = faceIndexProperty(element, name_);
        std::vector<std::uint32_t> indices;
        for (std::size_t i = 0; i < element.count; ++i) {
            for (int p = 0; p < int(element.properties.size()); ++p) {
                const PlyProperty& property = element.properties[p];
                if (p != indexProperty) {
                    property.isList ? skipList(element, i, property)
                                    : (void)number(element, i, property.name);
                    continue;
                }
                const std::size_t n = count(element, i, property);
                indices.resize(n);
                for (std::size_t k = 0; k < n; ++k) {
                    indices[k] = toVertexIndex(number(element, i, property.name));
                }
                storeFace(mesh, indices.data(), n, i, name_, lineAt(line_));
            }
        }
    }

    std::size_t count(const PlyElement& element, std::size_t item, const PlyProperty& property) {
        const double n = number(element, item, property.name);
        if (n < 0 || n != std::floor(n))
            throw FileError(name_, lineAt(line_),
                            "list length of '" + property.name +
                                "' must be a non-negative integer");
        return std::size_t(n);
    }

    void skipList(const PlyElement& element, std::size_t item, const PlyProperty& property) {
        for (std::size_t k = count(element, item, property); k > 0; --k)
            number(element, item, property.name);
    }

    double number(const PlyElement& element, std::size_t item, const std::string& property) {
        while (p_ < end_ && std::isspace(static_cast<unsigned char>(*p_))) {
            if (*p_ == '\n')
                ++line_;
            ++p_;
        }
        const char* start = p_;
        while (p_ < end_ && !std::isspace(static_cast<unsigned char>(*p_)))
            ++p_;
        if (start == p_)
            throw FileError(name_, lineAt(line_),
                            "the data ends in " + element.name + " " + std::to_string(item) +
                                " of " + std::to_string(element.count) + " (property '" + property +
                                "')");
        double value = 0.0;
        const char* first = *start == '+' ? start + 1 : start;
        auto [ptr, ec] = std::from_chars(first, p_, value);
        if (ec != std::errc() || ptr != p_)
            throw FileError(name_, lineAt(line_),
                            "expected a number for property '" + property + "' of " + element.name +
                                " " + std::to_string(item) + ", found '" + std::string(start, p_) +
                                "'");
        return value;
    }

    const char* p_;
    const char* end_;
    int line_;
    const std::string& name_;
};

// --- writing -------------------------------------------------------------------------------

template <typename T> void appendBinary(std::string& out, T value, bool swap) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    if (swap)
        std::reverse(bytes, bytes + sizeof(T));
    out.append(bytes, sizeof(T));
}

template <typename T> void appendAscii(std::string& out, T value) {
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    out.append(buffer, result.ptr);
}

std::string plyHeader(const PlyMesh& mesh, PlyFormat format) {
    static constexpr const char* kFormatNames[] = {"ascii", "binary_little_endian",
                                                   "binary_big_endian"};
    std::string header = "ply\nformat ";
    header += kFormatNames[int(format)];
    header += " 1.0\ncomment written by SceneLens\nelement vertex " +
              std::to_string(mesh.positions.size()) + "\n";
    header += "property float x\nproperty float y\nproperty float z\n";
    if (!mesh.normals.empty())
        header += "property float nx\nproperty float ny\nproperty float nz\n";
    if (!mesh.colors.empty())
        header += "property uchar red\nproperty uchar green\nproperty uchar blue\n";
    if (!mesh.alphas.empty())
        header += "property uchar alpha\n";
    if (!mesh.labels.empty())
        header += "property ushort label\n";
    header += "element face " + std::to_string(mesh.faces.size()) +
              "\nproperty list uchar int vertex_indices\nend_header\n";
    return header;
}

template <typename Append> void appendVertex(const PlyMesh& mesh, std::size_t i, Append&& append) {
    for (int c = 0; c < 3; ++c)
        append(mesh.positions[i][c]);
    if (!mesh.normals.empty())
        for (int c = 0; c < 3; ++c)
            append(mesh.normals[i][c]);
    if (!mesh.colors.empty())
        for (int c = 0; c < 3; ++c)
            append(mesh.colors[i][c]);
    if (!mesh.alphas.empty())
        append(mesh.alphas[i]);
    if (!mesh.labels.empty())
        append(mesh.labels[i]);
}

void checkSizes(const PlyMesh& mesh, const std::string& path) {
    const std::size_t n = mesh.positions.size();
    auto ok = [n](std::size_t size) { return size == 0 || size == n; };
    if (!ok(mesh.normals.size()) || !ok(mesh.colors.size()) || !ok(mesh.alphas.size()) ||
        !ok(mesh.labels.size()))
        throw FileError(path, "",
                        "cannot write: per-vertex arrays differ in length from positions");
}

} // namespace

std::vector<char> readFileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        throw FileError(path, "", std::string("cannot open: ") + std::strerror(errno));
    const std::streamsize size = in.tellg();
    std::vector<char> bytes(std::size_t(std::max<std::streamsize>(size, 0)));
    in.seekg(0);
    if (size > 0 && !in.read(bytes.data(), size))
        throw FileError(path, "", "cannot read the file");
    return bytes;
}

PlyMesh parsePly(const char* data, std::size_t size, const std::string& name) {
    const PlyHeader header = parseHeader(data, size, name);
    PlyMesh mesh;
    mesh.format = header.format;
    const bool hasVertex = std::any_of(header.elements.begin(), header.elements.end(),
                                       [](const PlyElement& e) { return e.name == "vertex"; });
    if (!hasVertex)
        throw FileError(name, "", "the header declares no 'vertex' element");
    if (header.format == PlyFormat::Ascii) {
        AsciiBody body(data, size, header.bodyOffset, header.bodyLine, name);
        for (const PlyElement& element : header.elements)
            body.read(element, mesh);
    } else {
        BinaryBody body(data, size, header.bodyOffset, header.format == PlyFormat::BinaryBigEndian,
                        name);
        for (const PlyElement& element : header.elements)
            body.read(element, mesh);
    }
    return mesh;
}

PlyMesh readPly(const std::string& path) {
    const std::vector<char> bytes = readFileBytes(path);
    return parsePly(bytes.data(), bytes.size(), path);
}

void writePly(const std::string& path, const PlyMesh& mesh, PlyFormat format) {
    checkSizes(mesh, path);
    std::string out = plyHeader(mesh, format);
    if (format == PlyFormat::Ascii) {
        auto append = [&out](auto value) {
            appendAscii(out, +value); // unary + prints uint8 as a number
            out += ' ';
        };
        for (std::size_t i = 0; i < mesh.positions.size(); ++i) {
            appendVertex(mesh, i, append);
            out.back() = '\n';
        }
        for (const auto& f : mesh.faces) {
            out += "3 ";
            for (std::uint32_t index : f)
                append(std::int32_t(index));
            out.back() = '\n';
        }
    } else {
        const bool swap = format == PlyFormat::BinaryBigEndian;
        auto append = [&out, swap](auto value) { appendBinary(out, value, swap); };
        out.reserve(out.size() + mesh.positions.size() * 32 + mesh.faces.size() * 13);
        for (std::size_t i = 0; i < mesh.positions.size(); ++i)
            appendVertex(mesh, i, append);
        for (const auto& f : mesh.faces) {
            append(std::uint8_t(3));
            for (std::uint32_t index : f)
                append(std::int32_t(index));
        }
    }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file || !file.write(out.data(), std::streamsize(out.size())))
        throw FileError(path, "", std::string("cannot write: ") + std::strerror(errno));
}

} // namespace scenelens

#include "embed/EmbeddingImport.h"

#include "Error.h"
#include "embed/Npy.h"
#include "embed/PlotEncoding.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

namespace scenelens::embed {

namespace {

using Json = nlohmann::json;

constexpr double kMissingNumber = std::numeric_limits<double>::quiet_NaN();

// Columns that name things; a numeric-looking scene id or modality must stay text.
bool alwaysText(const std::string& column) {
    return column == columns::kModality || column == columns::kSet || column == columns::kScene ||
           column == columns::kText || column == columns::kImagePath;
}

std::string lowerExtension(const std::string& path) {
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return extension;
}

std::string readWholeFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError(path, "", std::string("cannot open file: ") + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<double> parseNumber(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::string formatNumber(double value) {
    if (std::isnan(value))
        return "";
    char text[64];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

std::string formatNumber(float value) {
    if (std::isnan(value))
        return "";
    char text[64];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

// One column as read: its values as text, and whether each was given as a number (JSON).
struct RawColumn {
    std::vector<std::string> text;
    std::vector<double> numbers; ///< JSON only: the number, or NaN for a non-number
    bool fromJson = false;
};

// Decides each column's type (see readMetadata) and fills the table.
MetadataTable typedTable(int rows, std::map<std::string, RawColumn> raw) {
    MetadataTable table;
    table.rows = rows;
    for (auto& [name, column] : raw) {
        bool anyValue = false, allNumbers = true;
        std::vector<double> numbers(rows, kMissingNumber);
        for (int i = 0; i < rows && allNumbers; ++i) {
            if (column.text[i].empty())
                continue;
            anyValue = true;
            if (column.fromJson) {
                allNumbers = !std::isnan(column.numbers[i]);
                numbers[i] = column.numbers[i];
            } else if (const auto number = parseNumber(column.text[i])) {
                numbers[i] = *number;
            } else {
                allNumbers = false;
            }
        }
        if (anyValue && allNumbers && !alwaysText(name))
            table.numberColumns[name] = std::move(numbers);
        else
            table.textColumns[name] = std::move(column.text);
    }
    return table;
}

// ---- UTF-8 and CSV -----------------------------------------------------------------------------

// Byte offset of the first malformed UTF-8 sequence, or npos.
std::size_t invalidUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char c = text[i];
        int length = c < 0x80           ? 1
                     : (c >> 5) == 0x6  ? 2
                     : (c >> 4) == 0xE  ? 3
                     : (c >> 3) == 0x1E ? 4
                                        : 0;
        if (length == 0 || i + length > text.size())
            return i;
        std::uint32_t code = length == 1 ? c : c & (0x7F >> length);
        for (int k = 1; k < length; ++k) {
            const unsigned char next = text[i + k];
            if ((next & 0xC0) != 0x80)
                return i;
            code = (code << 6) | (next & 0x3F);
        }
        const bool overlong = (length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
                              (length == 4 && code < 0x10000);
        if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return i;
        i += length;
    }
    return std::string_view::npos;
}

// "line L, column C" of a byte offset; columns count characters from 1.
std::string lineAndColumn(std::string_view text, std::size_t offset) {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

struct CsvRecord {
    int line = 0;
    std::vector<std::string> fields;
    bool blank = false; ///< an empty line: no field text, no quotes
};

class CsvParser {
public:
    CsvParser(const std::string& path, std::string_view text) : path_(path), text_(text) {}

    std::vector<CsvRecord> records() {
        std::vector<CsvRecord> out;
        while (pos_ < text_.size())
            out.push_back(record());
        while (!out.empty() && out.back().blank)
            out.pop_back();
        return out;
    }

private:
    bool atLineEnd() const { return text_[pos_] == '\n' || text_[pos_] == '\r'; }

    void skipLineEnd() {
        if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')
            ++pos_;
        ++pos_;
        ++line_;
    }

    CsvRecord record() {
        CsvRecord r;
        r.line = line_;
        r.blank = atLineEnd();
        while (true) {
            const bool quoted = pos_ < text_.size() && text_[pos_] == '"';
            r.fields.push_back(quoted ? quotedField() : plainField());
            if (pos_ >= text_.size())
                return r;
            if (atLineEnd()) {
                skipLineEnd();
                return r;
            }
            ++pos_; // the comma
        }
    }

    std::string plainField() {
        const std::size_t begin = pos_;
        while (pos_ < text_.size() && text_[pos_] != ',' && !atLineEnd()) {
            if (text_[pos_] == '"')
                throw FileError(path_, lineAndColumn(text_, pos_),
                                "a quote inside an unquoted field (quote the whole field and "
                                "double the quote)");
            ++pos_;
        }
        return std::string(text_.substr(begin, pos_ - begin));
    }

    std::string quotedField() {
        const int startLine = line_;
        std::string value;
        ++pos_; // opening quote
        while (true) {
            if (pos_ >= text_.size())
                throw FileError(path_, "line " + std::to_string(startLine),
                                "a quoted field is never closed");
            const char c = text_[pos_++];
            if (c == '"') {
                if (pos_ < text_.size() && text_[pos_] == '"') {
                    value += '"';
                    ++pos_;
                    continue;
                }
                break;
            }
            if (c == '\n' || (c == '\r' && (pos_ >= text_.size() || text_[pos_] != '\n')))
                ++line_;
            value += c;
        }
        if (pos_ < text_.size() && text_[pos_] != ',' && !atLineEnd())
            throw FileError(path_, lineAndColumn(text_, pos_),
                            "unexpected text after a closing quote");
        return value;
    }

    const std::string& path_;
    std::string_view text_;
    std::size_t pos_ = 0;
    int line_ = 1;
};

MetadataTable readCsv(const std::string& path) {
    const std::string content = readWholeFile(path);
    std::string_view text = content;
    if (const std::size_t bad = invalidUtf8(text); bad != std::string_view::npos)
        throw FileError(path, lineAndColumn(text, bad), "invalid UTF-8");
    const bool bom = text.substr(0, 3) == "\xEF\xBB\xBF";
    if (bom)
        text.remove_prefix(3);
    std::vector<CsvRecord> records = CsvParser(path, text).records();
    if (records.empty())
        throw FileError(path, "", "empty file: expected a header row");
    const std::vector<std::string>& header = records.front().fields;
    std::set<std::string> seen;
    for (std::size_t c = 0; c < header.size(); ++c) {
        if (header[c].empty())
            throw FileError(path, "line 1", "column " + std::to_string(c + 1) + " has no name");
        if (!seen.insert(header[c]).second)
            throw FileError(path, "line 1", "column '" + header[c] + "' appears twice");
    }
    const int rows = int(records.size()) - 1;
    std::map<std::string, RawColumn> raw;
    for (const std::string& name : header)
        raw[name].text.reserve(rows);
    for (std::size_t r = 1; r < records.size(); ++r) {
        const CsvRecord& record = records[r];
        if (record.fields.size() != header.size())
            throw FileError(path, "line " + std::to_string(record.line),
                            std::to_string(record.fields.size()) + " fields, expected " +
                                std::to_string(header.size()));
        for (std::size_t c = 0; c < header.size(); ++c)
            raw[header[c]].text.push_back(record.fields[c]);
    }
    return typedTable(rows, std::move(raw));
}

// ---- JSON --------------------------------------------------------------------------------------

std::string jsonTypeName(const Json& value) {
    if (value.is_array())
        return "an array";
    if (value.is_object())
        return "an object";
    if (value.is_string())
        return "a string";
    if (value.is_boolean())
        return "a boolean";
    if (value.is_number())
        return "a number";
    return "null";
}

// Appends one JSON cell to a column: strings and booleans as text, numbers as text and number.
void appendCell(RawColumn& column, const Json& value, const std::string& path,
                const std::string& where) {
    column.fromJson = true;
    if (value.is_null()) {
        column.text.emplace_back();
        column.numbers.push_back(kMissingNumber);
    } else if (value.is_number()) {
        const double number = value.get<double>();
        column.text.push_back(value.is_number_float() ? formatNumber(number) : value.dump());
        column.numbers.push_back(number);
    } else if (value.is_string() || value.is_boolean()) {
        column.text.push_back(value.is_string() ? value.get<std::string>() : value.dump());
        column.numbers.push_back(kMissingNumber);
    } else {
        throw FileError(path, where,
                        "expected a string, number, boolean or null, found " + jsonTypeName(value));
    }
}

// Keys missing from a row, like null and "", are missing values.
MetadataTable readRowObjects(const Json& rows, const std::string& path) {
    std::map<std::string, RawColumn> raw;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const Json& row = rows[r];
        if (!row.is_object())
            throw FileError(path, "row " + std::to_string(r),
                            "expected an object, found " + jsonTypeName(row));
        for (const auto& [key, value] : row.items()) {
            RawColumn& column = raw[key];
            // Rows before this key's first appearance lack it.
            column.text.resize(r);
            column.numbers.resize(r, kMissingNumber);
            appendCell(column, value, path, "row " + std::to_string(r) + ", key '" + key + "'");
        }
        for (auto& [key, column] : raw) {
            column.text.resize(r + 1);
            column.numbers.resize(r + 1, kMissingNumber);
            column.fromJson = true;
        }
    }
    return typedTable(int(rows.size()), std::move(raw));
}

MetadataTable readColumnArrays(const Json& object, const std::string& path) {
    std::map<std::string, RawColumn> raw;
    std::optional<std::pair<std::string, std::size_t>> first;
    for (const auto& [key, values] : object.items()) {
        const std::string where = "column '" + key + "'";
        if (!values.is_array())
            throw FileError(path, where, "expected an array, found " + jsonTypeName(values));
        if (!first)
            first.emplace(key, values.size());
        else if (values.size() != first->second)
            throw FileError(path, where,
                            std::to_string(values.size()) + " values, expected " +
                                std::to_string(first->second) + " (as column '" + first->first +
                                "')");
        RawColumn& column = raw[key];
        for (std::size_t r = 0; r < values.size(); ++r)
            appendCell(column, values[r], path, where + ", row " + std::to_string(r));
        column.fromJson = true;
    }
    return typedTable(first ? int(first->second) : 0, std::move(raw));
}

// nlohmann's message without its "[json.exception...] parse error at line 1, column 2: " prefix.
std::string parseErrorReason(const std::string& what) {
    const std::size_t column = what.find("column ");
    const std::size_t colon = column == std::string::npos ? column : what.find(": ", column);
    return colon == std::string::npos ? what : what.substr(colon + 2);
}

MetadataTable readJson(const std::string& path) {
    const std::string text = readWholeFile(path);
    Json root;
    try {
        root = Json::parse(text);
    } catch (const Json::parse_error& e) {
        const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        throw FileError(path, lineAndColumn(text, offset),
                        "invalid JSON: " + parseErrorReason(e.what()));
    }
    if (root.is_array())
        return readRowObjects(root, path);
    if (root.is_object())
        return readColumnArrays(root, path);
    throw FileError(path, "",
                    "expected a list of row objects or an object of column arrays, found " +
                        jsonTypeName(root));
}

// ---- CSV writing -------------------------------------------------------------------------------

std::string csvField(const std::string& value) {
    const bool quote = value.find_first_of(",\"\r\n") != std::string::npos ||
                       (!value.empty() && (value.front() == ' ' || value.back() == ' '));
    if (!quote)
        return value;
    std::string out = "\"";
    for (char c : value) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

void checkRows(const EmbeddingSet& set, const std::vector<int>& rows) {
    for (int r : rows)
        if (r < 0 || r >= set.rows)
            throw std::invalid_argument("selection row " + std::to_string(r) + " is outside the " +
                                        std::to_string(set.rows) + " rows of '" + set.name + "'");
}

std::string modalityOf(const EmbeddingSet& set, int row) {
    if (const auto column = set.textColumns.find(columns::kModality);
        column != set.textColumns.end() && !column->second[row].empty())
        return column->second[row];
    return set.modality;
}

std::string labelOf(const EmbeddingSet& set, int row) {
    if (const auto text = set.textColumns.find(columns::kLabel); text != set.textColumns.end())
        return text->second[row];
    if (const auto numbers = set.numberColumns.find(columns::kLabel);
        numbers != set.numberColumns.end())
        return formatNumber(numbers->second[row]);
    return "";
}

std::vector<std::pair<std::string, int>>
byDescendingCount(const std::map<std::string, int>& counts) {
    std::vector<std::pair<std::string, int>> out(counts.begin(), counts.end());
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
}

} // namespace

MetadataTable readMetadata(const std::string& path) {
    const std::string extension = lowerExtension(path);
    if (extension == ".csv")
        return readCsv(path);
    if (extension == ".json")
        return readJson(path);
    throw FileError(path, "",
                    "unknown metadata format '" + extension + "': expected .csv or .json");
}

EmbeddingSet importEmbeddings(const std::string& npyPath, const std::string& metadataPath,
                              const std::string& modality) {
    NpyMatrix matrix = readNpyMatrix(npyPath);
    if (matrix.rows <= 0 || matrix.cols <= 0)
        throw FileError(npyPath, "",
                        "no embeddings: the matrix is " + std::to_string(matrix.rows) + " x " +
                            std::to_string(matrix.cols));
    for (int r = 0; r < matrix.rows; ++r)
        for (int c = 0; c < matrix.cols; ++c) {
            const float v = matrix.values[std::size_t(r) * matrix.cols + c];
            if (!std::isfinite(v))
                throw FileError(npyPath, "row " + std::to_string(r),
                                std::isnan(v) ? "holds NaN" : "holds Inf");
        }
    EmbeddingSet set;
    set.name = std::filesystem::path(npyPath).stem().string();
    set.rows = matrix.rows;
    set.dims = matrix.cols;
    set.values = std::move(matrix.values);
    if (!metadataPath.empty()) {
        MetadataTable table = readMetadata(metadataPath);
        if (table.rows != set.rows)
            throw FileError(metadataPath, "",
                            std::to_string(table.rows) + " rows, expected " +
                                std::to_string(set.rows) + " (the rows of " +
                                std::filesystem::path(npyPath).filename().string() + ")");
        set.textColumns = std::move(table.textColumns);
        set.numberColumns = std::move(table.numberColumns);
    }
    auto column = set.textColumns.find(columns::kModality);
    if (!modality.empty()) {
        set.modality = modality;
        if (column != set.textColumns.end())
            column->second.assign(set.rows, modality);
    } else if (column != set.textColumns.end()) {
        const auto& values = column->second;
        if (std::all_of(values.begin(), values.end(),
                        [&](const std::string& v) { return v == values.front(); }))
            set.modality = values.front();
    }
    return set;
}

void writeSelectionCsv(const std::string& path, const EmbeddingSet& set,
                       const std::vector<int>& rows, const float* coords, int coordDims) {
    checkRows(set, rows);
    if (!coords)
        coordDims = 0;
    static const char* const kAxes[] = {"x", "y", "z"};
    coordDims = std::clamp(coordDims, 0, 3);
    std::set<std::string> taken = {"row"};
    for (int d = 0; d < coordDims; ++d)
        taken.insert(kAxes[d]);
    const bool addModality = !set.textColumns.count(columns::kModality) &&
                             !set.numberColumns.count(columns::kModality) &&
                             !taken.count("modality");
    if (addModality)
        taken.insert(columns::kModality);
    const auto headerName = [&](const std::string& name) {
        return taken.count(name) ? "meta_" + name : name;
    };

    const std::string temporary = path + ".part";
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out)
        throw FileError(path, "", std::string("cannot write: ") + std::strerror(errno));
    std::vector<std::string> header = {"row"};
    for (int d = 0; d < coordDims; ++d)
        header.push_back(kAxes[d]);
    if (addModality)
        header.push_back(columns::kModality);
    // Text and number columns interleaved by name, as one sorted list.
    std::map<std::string, bool> metadata; // name -> is text
    for (const auto& [name, column] : set.textColumns)
        metadata[name] = true;
    for (const auto& [name, column] : set.numberColumns)
        metadata.emplace(name, false);
    for (const auto& [name, text] : metadata)
        header.push_back(headerName(name));
    for (std::size_t c = 0; c < header.size(); ++c)
        out << (c ? "," : "") << csvField(header[c]);
    out << '\n';
    for (int r : rows) {
        out << r;
        for (int d = 0; d < coordDims; ++d)
            out << ',' << formatNumber(coords[std::size_t(r) * coordDims + d]);
        if (addModality)
            out << ',' << csvField(set.modality);
        for (const auto& [name, text] : metadata)
            out << ','
                << (text ? csvField(set.textColumns.at(name)[r])
                         : formatNumber(set.numberColumns.at(name)[r]));
        out << '\n';
    }
    out.close();
    if (!out)
        throw FileError(path, "", "writing failed (disk full?)");
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::filesystem::remove(temporary, error);
        throw FileError(path, "", "cannot replace the file: " + error.message());
    }
}

void writeSelectionCsv(const std::string& path, const PlotData& plot,
                       const std::vector<int>& rows) {
    writeSelectionCsv(path, plot.points, rows, plot.coords.data(), plot.coordDims);
}

SelectionSummary summarize(const EmbeddingSet& set, const std::vector<int>& rows) {
    checkRows(set, rows);
    std::map<std::string, int> modalities, labels;
    for (int r : rows) {
        const std::string modality = modalityOf(set, r);
        const std::string label = labelOf(set, r);
        ++modalities[modality.empty() ? kMissingCategory : modality];
        ++labels[label.empty() ? kMissingCategory : label];
    }
    SelectionSummary summary;
    summary.rows = int(rows.size());
    summary.modalities = byDescendingCount(modalities);
    summary.labels = byDescendingCount(labels);
    return summary;
}

} // namespace scenelens::embed

#include "LabelTable.h"

#include "../Error.h"
#include "PlyIO.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <vector>

namespace scenelens {

namespace {

constexpr std::array<std::string_view, 41> kNyu40Names = {
    "",           "wall",    "floor",       "cabinet",        "bed",
    "chair",      "sofa",    "table",       "door",           "window",
    "bookshelf",  "picture", "counter",     "blinds",         "desk",
    "shelves",    "curtain", "dresser",     "pillow",         "mirror",
    "floor mat",  "clothes", "ceiling",     "books",          "refrigerator",
    "television", "paper",   "towel",       "shower curtain", "box",
    "whiteboard", "person",  "night stand", "toilet",         "sink",
    "lamp",       "bathtub", "bag",         "otherstructure", "otherfurniture",
    "otherprop"};

/// Lower case without spaces or underscores: the spellings ScanNet mixes for one category.
std::string labelKey(std::string_view text) {
    std::string key;
    key.reserve(text.size());
    for (unsigned char c : text)
        if (!std::isspace(c) && c != '_')
            key += char(std::tolower(c));
    return key;
}

/// Parses a whole field as an integer in [low, high].
std::optional<int> parseInt(std::string_view text, int low, int high) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || value < low || value > high)
        return std::nullopt;
    return value;
}

std::vector<std::string_view> splitTabs(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t tab = line.find('\t', start);
        fields.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
        if (tab == std::string_view::npos)
            return fields;
        start = tab + 1;
    }
}

std::size_t requireColumn(const std::vector<std::string_view>& header, std::string_view column,
                          const std::string& path) {
    auto it = std::find(header.begin(), header.end(), column);
    if (it == header.end())
        throw FileError(path, "line 1",
                        "expected a tab-separated header with a '" + std::string(column) +
                            "' column");
    return std::size_t(it - header.begin());
}

} // namespace

std::string_view nyu40ClassName(int id) {
    return id >= 1 && id <= 40 ? kNyu40Names[std::size_t(id)] : std::string_view();
}

LabelTable LabelTable::readScanNetTsv(const std::string& path) {
    const std::vector<char> bytes = readFileBytes(path);
    std::string_view text(bytes.data(), bytes.size());
    LabelTable table;
    table.source_ = path;
    std::size_t scanNetIdColumn = 0, rawColumn = 0, idColumn = 0, classColumn = 0;
    int line = 0;
    while (!text.empty()) {
        const std::size_t newline = text.find('\n');
        std::string_view row = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
        ++line;
        if (!row.empty() && row.back() == '\r')
            row.remove_suffix(1);
        const std::vector<std::string_view> fields = splitTabs(row);
        if (line == 1) {
            scanNetIdColumn = requireColumn(fields, "id", path);
            rawColumn = requireColumn(fields, "raw_category", path);
            idColumn = requireColumn(fields, "nyu40id", path);
            classColumn = requireColumn(fields, "nyu40class", path);
            continue;
        }
        if (row.empty())
            continue;
        const std::size_t needed =
            std::max({scanNetIdColumn, rawColumn, idColumn, classColumn}) + 1;
        if (fields.size() < needed)
            throw FileError(path, "line " + std::to_string(line),
                            "expected at least " + std::to_string(needed) +
                                " tab-separated columns, found " + std::to_string(fields.size()));
        const std::optional<int> nyu40Id = parseInt(fields[idColumn], 0, 40);
        if (!nyu40Id)
            throw FileError(path, "line " + std::to_string(line),
                            "expected an NYU40 id from 0 to 40 in column 'nyu40id', found '" +
                                std::string(fields[idColumn]) + "'");
        const std::optional<int> scanNetId = parseInt(fields[scanNetIdColumn], 0, 65535);
        if (!scanNetId)
            throw FileError(path, "line " + std::to_string(line),
                            "expected a category id from 0 to 65535 in column 'id', found '" +
                                std::string(fields[scanNetIdColumn]) + "'");
        const Nyu40Label label{*nyu40Id, std::string(fields[classColumn])};
        // The first row wins: rows are ordered by how often ScanNet annotators used the label.
        table.labels_.emplace(labelKey(fields[rawColumn]), label);
        table.byScanNetId_.emplace(*scanNetId, label);
    }
    if (line == 0)
        throw FileError(path, "", "the label table is empty");
    return table;
}

LabelTable LabelTable::builtinNyu40() {
    LabelTable table;
    table.source_ = "built-in NYU40 table";
    for (int id = 1; id <= 40; ++id) {
        const std::string name(kNyu40Names[std::size_t(id)]);
        table.labels_[labelKey(name)] = {id, name};
    }
    return table;
}

Nyu40Label LabelTable::lookup(std::string_view rawLabel) const {
    auto it = labels_.find(labelKey(rawLabel));
    return it != labels_.end() ? it->second : Nyu40Label{};
}

Nyu40Label LabelTable::lookupScanNetId(int scanNetId) const {
    auto it = byScanNetId_.find(scanNetId);
    return it != byScanNetId_.end() ? it->second : Nyu40Label{};
}

} // namespace scenelens

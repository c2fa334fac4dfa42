#include "ScanNetFiles.h"

#include "../Error.h"
#include "PlyIO.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

namespace scenelens {

namespace {

using nlohmann::json;

/// "line L, column C" of a byte offset, for JSON syntax errors.
std::string lineColumn(const std::vector<char>& text, std::size_t offset) {
    offset = std::min(offset, text.size());
    const auto begin = text.begin(), at = text.begin() + std::ptrdiff_t(offset);
    const long line = 1 + std::count(begin, at, '\n');
    const auto lastNewline = std::find(std::make_reverse_iterator(at), text.rend(), '\n');
    const long column = long(std::distance(lastNewline.base(), at)) + 1;
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

json parseJson(const std::string& path) {
    const std::vector<char> text = readFileBytes(path);
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        // e.byte is 1-based and points just past the offending character.
        const std::string what = e.what();
        const std::size_t detail = what.find("syntax error");
        throw FileError(path, lineColumn(text, e.byte > 0 ? e.byte - 1 : 0),
                        "malformed JSON: " +
                            (detail == std::string::npos ? what : what.substr(detail)));
    }
}

const json& requireMember(const json& object, const char* key, json::value_t type,
                          const char* expected, const std::string& path, const std::string& where) {
    if (!object.is_object() || !object.contains(key) || object.at(key).type() != type)
        throw FileError(path, where, std::string("expected ") + expected);
    return object.at(key);
}

std::int64_t requireInteger(const json& value, const std::string& path, const std::string& where) {
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0)
        throw FileError(path, where, "expected a non-negative integer, found " + value.dump());
    return value.get<std::int64_t>();
}

} // namespace

std::vector<std::int64_t> readSegmentIndices(const std::string& path) {
    const json root = parseJson(path);
    const json& indices =
        requireMember(root, "segIndices", json::value_t::array,
                      "a ScanNet segments object with an array 'segIndices'", path, "");
    std::vector<std::int64_t> segments;
    segments.reserve(indices.size());
    for (std::size_t i = 0; i < indices.size(); ++i)
        segments.push_back(
            requireInteger(indices[i], path, "segIndices[" + std::to_string(i) + "]"));
    return segments;
}

Aggregation readAggregation(const std::string& path) {
    const json root = parseJson(path);
    const json& groups =
        requireMember(root, "segGroups", json::value_t::array,
                      "a ScanNet aggregation object with an array 'segGroups'", path, "");
    Aggregation aggregation;
    if (root.contains("sceneId") && root["sceneId"].is_string())
        aggregation.sceneId = root["sceneId"].get<std::string>();
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const std::string where = "segGroups[" + std::to_string(g) + "]";
        const json& group = groups[g];
        if (!group.is_object())
            throw FileError(path, where, "expected an object with objectId, label and segments");
        SegGroup out;
        const char* idKey = group.contains("objectId") ? "objectId" : "id";
        if (!group.contains(idKey))
            throw FileError(path, where, "expected an integer 'objectId'");
        out.objectId = int(requireInteger(group[idKey], path, where + "." + idKey));
        out.label =
            requireMember(group, "label", json::value_t::string, "a string 'label'", path, where)
                .get<std::string>();
        const json& segments = requireMember(group, "segments", json::value_t::array,
                                             "an array 'segments' of segment ids", path, where);
        for (std::size_t s = 0; s < segments.size(); ++s)
            out.segments.push_back(
                requireInteger(segments[s], path, where + ".segments[" + std::to_string(s) + "]"));
        aggregation.groups.push_back(std::move(out));
    }
    return aggregation;
}

SceneInfo readSceneInfo(const std::string& path) {
    const std::vector<char> bytes = readFileBytes(path);
    std::istringstream in(std::string(bytes.begin(), bytes.end()));
    SceneInfo info;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;
        const std::size_t equals = line.find('=');
        if (equals == std::string::npos)
            throw FileError(path, "line " + std::to_string(number), "expected 'key = value'");
        auto trim = [](std::string s) {
            s.erase(0, s.find_first_not_of(" \t"));
            s.erase(s.find_last_not_of(" \t") + 1);
            return s;
        };
        const std::string key = trim(line.substr(0, equals));
        const std::string value = trim(line.substr(equals + 1));
        info.metadata[key] = value;
        if (key != "axisAlignment")
            continue;
        std::istringstream numbers(value);
        std::vector<float> m;
        float x;
        while (numbers >> x)
            m.push_back(x);
        if (m.size() != 16 || !numbers.eof())
            throw FileError(path, "line " + std::to_string(number),
                            "axisAlignment must be 16 numbers (a row-major 4x4 matrix)");
        info.axisAlignment =
            Eigen::Map<const Eigen::Matrix<float, 4, 4, Eigen::RowMajor>>(m.data());
        info.hasAxisAlignment = true;
    }
    return info;
}

} // namespace scenelens

#include "ml/ModelBundle.h"

#include "Error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>

namespace scenelens {

namespace fs = std::filesystem;
using nlohmann::json;

const char* bundleKindName(BundleKind kind) {
    switch (kind) {
    case BundleKind::SceneEncoder:
        return "scene-encoder";
    case BundleKind::Qa:
        return "qa";
    case BundleKind::Clip:
        return "clip";
    }
    return "?";
}

int PointInputSpec::channelCount() const {
    int count = 0;
    for (const std::string& channel : channels)
        count += channel == "height" ? 1 : 3;
    return count;
}

namespace {

/// "must be auto, cpu, cuda or cuda:N, got 'X'": the CLI prefixes "device", the manifest its key.
std::string deviceChoices(const std::string& text) {
    return "must be auto, cpu, cuda or cuda:N, got '" + text + "'";
}

std::string badDevice(const std::string& text) {
    return "device " + deviceChoices(text);
}

} // namespace

DeviceRequest parseDeviceRequest(const std::string& text) {
    DeviceRequest request;
    if (text == "auto")
        return request;
    if (text == "cpu") {
        request.type = DeviceRequest::Type::Cpu;
        return request;
    }
    if (text == "cuda" || text.rfind("cuda:", 0) == 0) {
        request.type = DeviceRequest::Type::Cuda;
        if (text.size() > 5) {
            const std::string digits = text.substr(5);
            if (digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string::npos)
                throw std::invalid_argument(badDevice(text));
            request.index = std::stoi(digits);
        } else if (text.size() == 5) {
            throw std::invalid_argument(badDevice(text));
        }
        return request;
    }
    throw std::invalid_argument(badDevice(text));
}

namespace {

/// Reads keys of one JSON object, remembering which ones were used so that the rest can be
/// reported as unknown.
class KeyReader {
public:
    KeyReader(const json& object, std::string prefix, const std::string& file)
        : object_(object), prefix_(std::move(prefix)), file_(file) {}

    bool has(const std::string& key) const { return object_.contains(key); }

    const json& require(const std::string& key) {
        used_.insert(key);
        if (!object_.contains(key))
            throw FileError(file_, "", "missing key '" + path(key) + "'");
        return object_.at(key);
    }
    const json* optional(const std::string& key) {
        used_.insert(key);
        return object_.contains(key) ? &object_.at(key) : nullptr;
    }

    std::string string(const std::string& key) { return asString(require(key), key); }
    std::string asString(const json& value, const std::string& key) const {
        if (!value.is_string())
            typeError(key, "a string", value);
        return value.get<std::string>();
    }
    int positiveInt(const json& value, const std::string& key) const {
        if (!value.is_number_integer())
            typeError(key, "an integer", value);
        const long long v = value.get<long long>();
        if (v <= 0 || v > (1 << 30))
            throw FileError(file_, "",
                            "key '" + path(key) + "' must be positive, got " + std::to_string(v));
        return int(v);
    }
    float number(const json& value, const std::string& key) const {
        if (!value.is_number())
            typeError(key, "a number", value);
        return value.get<float>();
    }
    std::array<float, 3> triple(const json& value, const std::string& key) const {
        if (!value.is_array() || value.size() != 3)
            typeError(key, "a list of 3 numbers", value);
        std::array<float, 3> out{};
        for (int i = 0; i < 3; ++i)
            out[std::size_t(i)] =
                number(value[std::size_t(i)], key + "[" + std::to_string(i) + "]");
        return out;
    }
    std::vector<std::string> strings(const json& value, const std::string& key) const {
        if (!value.is_array())
            typeError(key, "a list of strings", value);
        std::vector<std::string> out;
        for (std::size_t i = 0; i < value.size(); ++i)
            out.push_back(asString(value[i], key + "[" + std::to_string(i) + "]"));
        return out;
    }
    KeyReader object(const std::string& key) {
        const json& value = require(key);
        if (!value.is_object())
            typeError(key, "an object", value);
        return KeyReader(value, path(key) + ".", file_);
    }

    [[noreturn]] void typeError(const std::string& key, const std::string& expected,
                                const json& value) const {
        throw FileError(file_, "",
                        "key '" + path(key) + "' must be " + expected + ", got " +
                            (value.is_array() ? "a list" : std::string(value.type_name())));
    }
    [[noreturn]] void valueError(const std::string& key, const std::string& message) const {
        throw FileError(file_, "", "key '" + path(key) + "' " + message);
    }

    void collectUnknown(std::vector<std::string>& warnings) const {
        for (auto it = object_.begin(); it != object_.end(); ++it)
            if (!used_.count(it.key()))
                warnings.push_back(file_ + ": unknown key '" + path(it.key()) + "' ignored");
    }
    std::string path(const std::string& key) const { return prefix_ + key; }

private:
    const json& object_;
    std::string prefix_;
    const std::string& file_;
    std::set<std::string> used_;
};

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError(path, "", fs::exists(path) ? "cannot read the file" : "no such file");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Parses JSON text, turning parse errors into "line L, column C" positions.
json parseJson(const std::string& text, const std::string& path) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        std::size_t line = 1, column = 1;
        const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
        for (std::size_t i = 0; i < end; ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        // nlohmann's text: "[json.exception.parse_error.101] parse error at line 3, column 1:
        // syntax error while parsing ..." — keep the part after the position.
        std::string reason = e.what();
        const std::size_t colon = reason.find(": ");
        if (colon != std::string::npos)
            reason = reason.substr(colon + 2);
        throw FileError(path, "line " + std::to_string(line) + ", column " + std::to_string(column),
                        "invalid JSON: " + reason);
    }
}

/// `name` relative to the bundle folder unless absolute; the file must exist.
std::string resolveFile(const std::string& dir, const std::string& name, const std::string& key,
                        const std::string& manifestPath) {
    const fs::path path = fs::path(name).is_absolute() ? fs::path(name) : fs::path(dir) / name;
    if (!fs::is_regular_file(path))
        throw FileError(manifestPath, "",
                        "the " + key + " file '" + path.string() + "' does not exist");
    return path.string();
}

PointInputSpec readInput(KeyReader input, std::vector<std::string>& warnings) {
    PointInputSpec spec;
    spec.numPoints = input.positiveInt(input.require("num_points"), "num_points");
    spec.channels = input.strings(input.require("channels"), "channels");
    if (spec.channels.empty())
        input.valueError("channels", "must name at least one channel");
    for (std::size_t i = 0; i < spec.channels.size(); ++i) {
        const std::string& c = spec.channels[i];
        if (c != "xyz" && c != "rgb" && c != "normal" && c != "height")
            input.valueError("channels[" + std::to_string(i) + "]",
                             "must be xyz, rgb, normal or height, got '" + c + "'");
    }
    if (input.optional("rgb_normalization")) {
        KeyReader rgb = input.object("rgb_normalization");
        spec.rgbMean = rgb.triple(rgb.require("mean"), "mean");
        spec.rgbScale = rgb.number(rgb.require("scale"), "scale");
        if (!(spec.rgbScale > 0.f))
            rgb.valueError("scale", "must be positive");
        rgb.collectUnknown(warnings);
    }
    input.collectUnknown(warnings);
    return spec;
}

} // namespace

ManifestReading readBundleManifest(const std::string& bundleDir) {
    ManifestReading reading;
    BundleManifest& m = reading.manifest;
    m.directory = bundleDir;
    m.manifestPath = (fs::path(bundleDir) / "bundle.json").string();
    const std::string& file = m.manifestPath;
    if (!fs::is_directory(bundleDir))
        throw FileError(bundleDir, "", "not a bundle folder (no such folder)");
    const json root = parseJson(readText(file), file);
    if (!root.is_object())
        throw FileError(file, "", std::string("expected a JSON object, got ") + root.type_name());

    KeyReader keys(root, "", file);
    const std::string format = keys.string("format");
    if (format != "scenelens-bundle/1")
        keys.valueError("format", "must be \"scenelens-bundle/1\", got '" + format + "'");
    const std::string kind = keys.string("kind");
    if (kind == "scene-encoder")
        m.kind = BundleKind::SceneEncoder;
    else if (kind == "qa")
        m.kind = BundleKind::Qa;
    else if (kind == "clip")
        m.kind = BundleKind::Clip;
    else
        keys.valueError("kind", "must be scene-encoder, qa or clip, got '" + kind + "'");
    m.name = keys.string("name");
    const std::string module = keys.string("module");
    m.embeddingSpace = keys.string("embedding_space");
    m.embeddingDim = keys.positiveInt(keys.require("embedding_dim"), "embedding_dim");
    if (const json* device = keys.optional("device")) {
        m.device = keys.asString(*device, "device");
        try {
            parseDeviceRequest(m.device);
        } catch (const std::invalid_argument&) {
            keys.valueError("device", deviceChoices(m.device));
        }
    }
    if (m.kind != BundleKind::Clip)
        m.input = readInput(keys.object("input"), reading.warnings);
    else if (keys.has("input"))
        keys.optional("input"); // harmless for clip: documented key, not used
    if (const json* classes = keys.optional("classes"))
        m.classes = keys.strings(*classes, "classes");
    else if (m.kind == BundleKind::SceneEncoder)
        keys.require("classes");
    if (const json* k = keys.optional("num_objects"))
        m.numObjects = keys.positiveInt(*k, "num_objects");
    if (const json* f = keys.optional("feature_dim"))
        m.featureDim = keys.positiveInt(*f, "feature_dim");

    if (m.kind != BundleKind::SceneEncoder || keys.has("tokenizer")) {
        KeyReader tok = keys.object("tokenizer");
        TokenizerSpec spec;
        spec.type = tok.string("type");
        if (spec.type != "clip-bpe" && spec.type != "word")
            tok.valueError("type", "must be clip-bpe or word, got '" + spec.type + "'");
        const std::string vocab = tok.string("vocab");
        spec.contextLength = tok.positiveInt(tok.require("context_length"), "context_length");
        if (spec.type == "clip-bpe" && spec.contextLength < 2)
            tok.valueError("context_length", "must be at least 2 for clip-bpe");
        spec.vocabPath = resolveFile(bundleDir, vocab, "tokenizer vocabulary", file);
        tok.collectUnknown(reading.warnings);
        m.tokenizer = spec;
    }
    if (m.kind == BundleKind::Qa) {
        m.answersPath = resolveFile(bundleDir, keys.string("answers"), "answers", file);
        const json answers = parseJson(readText(m.answersPath), m.answersPath);
        if (!answers.is_array() || answers.empty())
            throw FileError(m.answersPath, "", "expected a non-empty JSON list of answer strings");
        for (std::size_t i = 0; i < answers.size(); ++i) {
            if (!answers[i].is_string())
                throw FileError(m.answersPath, "entry " + std::to_string(i),
                                std::string("expected a string, got ") + answers[i].type_name());
            m.answers.push_back(answers[i].get<std::string>());
        }
        if (const json* situated = keys.optional("situated")) {
            if (!situated->is_boolean())
                keys.typeError("situated", "true or false", *situated);
            m.situated = situated->get<bool>();
        }
        m.situationLength = m.tokenizer->contextLength;
        if (const json* s = keys.optional("situation_length"))
            m.situationLength = keys.positiveInt(*s, "situation_length");
    }
    if (m.kind == BundleKind::Clip && keys.optional("image")) {
        KeyReader image = keys.object("image");
        if (const json* size = image.optional("size"))
            m.image.size = image.positiveInt(*size, "size");
        if (const json* mean = image.optional("mean"))
            m.image.mean = image.triple(*mean, "mean");
        if (const json* std = image.optional("std"))
            m.image.std = image.triple(*std, "std");
        for (int c = 0; c < 3; ++c)
            if (!(m.image.std[std::size_t(c)] > 0.f))
                image.valueError("std", "must be positive");
        image.collectUnknown(reading.warnings);
    }
    if (const json* info = keys.optional("modelkit")) {
        // Informational; only the parameter count is shown.
        if (info->is_object() && info->contains("parameters") &&
            info->at("parameters").is_number_integer())
            m.parameters = info->at("parameters").get<long long>();
    }
    keys.collectUnknown(reading.warnings);
    // The module last: a manifest with wrong keys is reported as such even without its module.
    m.modulePath = resolveFile(bundleDir, module, "module", file);
    return reading;
}

} // namespace scenelens

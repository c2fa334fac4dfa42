#include "ml/WordTokenizer.h"

#include "Error.h"
#include "ml/Unicode.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace scenelens {
namespace {

bool isWordCharacter(char32_t c) {
    return unicode::isLetter(c) || unicode::isNumber(c);
}

nlohmann::json readJson(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError(path, "", "cannot open the word vocabulary");
    std::stringstream text;
    text << in.rdbuf();
    try {
        return nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::parse_error& e) {
        throw FileError(path, "byte " + std::to_string(e.byte),
                        "not JSON: expected a list of words");
    }
}

std::string inQuotes(const std::string& word) {
    return '"' + word + '"';
}

} // namespace

WordTokenizer WordTokenizer::fromFile(const std::string& path, int contextLength) {
    const nlohmann::json json = readJson(path);
    if (!json.is_array())
        throw FileError(path, "",
                        std::string("expected a JSON list of words, found a ") + json.type_name());
    std::vector<std::string> words;
    words.reserve(json.size());
    for (std::size_t i = 0; i < json.size(); ++i) {
        if (!json[i].is_string())
            throw FileError(path, "entry " + std::to_string(i),
                            std::string("expected a string, found a ") + json[i].type_name());
        words.push_back(json[i].get<std::string>());
    }
    return fromWords(std::move(words), contextLength, path);
}

WordTokenizer WordTokenizer::fromWords(std::vector<std::string> words, int contextLength,
                                       const std::string& source) {
    if (contextLength < 1)
        throw std::invalid_argument("WordTokenizer: context length must be at least 1, got " +
                                    std::to_string(contextLength));
    const char* reserved[] = {"<pad>", "<unk>"};
    for (std::size_t i = 0; i < 2; ++i) {
        if (words.size() <= i || words[i] != reserved[i])
            throw FileError(source, "entry " + std::to_string(i),
                            "expected " + inQuotes(reserved[i]) + " at index " + std::to_string(i) +
                                (words.size() <= i ? ", the list is too short"
                                                   : ", found " + inQuotes(words[i])));
    }
    WordTokenizer tokenizer;
    tokenizer.contextLength_ = contextLength;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto [at, added] = tokenizer.ids_.emplace(words[i], std::int64_t(i));
        if (!added)
            throw FileError(source, "entry " + std::to_string(i),
                            "duplicate word " + inQuotes(words[i]) + " (also entry " +
                                std::to_string(at->second) + ")");
    }
    tokenizer.words_ = std::move(words);
    return tokenizer;
}

std::vector<std::string> WordTokenizer::split(std::string_view text) {
    const std::u32string lowered = unicode::toLower(unicode::decodeUtf8(text));
    std::vector<std::string> tokens;
    for (std::size_t i = 0; i < lowered.size();) {
        std::size_t end = i + 1;
        if (isWordCharacter(lowered[i])) {
            while (end < lowered.size() && isWordCharacter(lowered[end]))
                ++end;
        } else if (unicode::isSpace(lowered[i])) {
            i = end;
            continue;
        }
        tokens.push_back(unicode::encodeUtf8(std::u32string_view(lowered).substr(i, end - i)));
        i = end;
    }
    return tokens;
}

std::vector<std::int64_t> WordTokenizer::encode(std::string_view text) const {
    std::vector<std::int64_t> ids;
    for (const std::string& token : split(text)) {
        const auto found = ids_.find(token);
        ids.push_back(found == ids_.end() ? kUnknownId : found->second);
    }
    return ids;
}

TokenBatch WordTokenizer::tokenize(const std::vector<std::string>& texts) const {
    TokenBatch batch;
    batch.rows = int(texts.size());
    batch.cols = contextLength_;
    batch.ids.assign(texts.size() * std::size_t(contextLength_), kPadId);
    batch.mask.assign(batch.ids.size(), 0);
    for (std::size_t row = 0; row < texts.size(); ++row) {
        const std::vector<std::int64_t> ids = encode(texts[row]);
        const std::size_t count = std::min(ids.size(), std::size_t(contextLength_));
        const std::size_t offset = row * std::size_t(contextLength_);
        std::copy_n(ids.begin(), count, batch.ids.begin() + std::ptrdiff_t(offset));
        std::fill_n(batch.mask.begin() + std::ptrdiff_t(offset), count, 1);
    }
    return batch;
}

} // namespace scenelens

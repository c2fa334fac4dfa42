#pragma once
// Word-level tokenizer for the small models whose vocabulary ships in their bundle.
//
// Vocabulary file: a JSON list of strings, id = index, "<pad>" at 0 and "<unk>" at 1, no
// duplicates. Text -> Unicode lower case (Python's str.lower()) -> tokens = maximal runs of
// letters/digits (categories L*/N*) or single characters that are neither letters/digits nor
// whitespace -> id by exact lookup, unknown -> 1. No start/end tokens; cut to the context
// length; padded with 0; mask 1 for real tokens.

#include "ml/TokenBatch.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace scenelens {

class WordTokenizer {
public:
    static constexpr std::int64_t kPadId = 0;
    static constexpr std::int64_t kUnknownId = 1;

    /// Reads the vocabulary JSON; contextLength >= 1. Throws FileError naming the file and the
    /// offending entry when it is unreadable, not a list of strings, lacks "<pad>"/"<unk>" at
    /// 0/1 or repeats a word; std::invalid_argument for a bad contextLength.
    static WordTokenizer fromFile(const std::string& path, int contextLength);
    /// The same from an in-memory vocabulary; `source` names it in errors.
    static WordTokenizer fromWords(std::vector<std::string> words, int contextLength,
                                   const std::string& source = "<vocabulary>");

    /// The tokens of one text, before id lookup (UTF-8).
    static std::vector<std::string> split(std::string_view text);
    /// Ids of one text, not cut or padded.
    std::vector<std::int64_t> encode(std::string_view text) const;
    /// [texts, contextLength] ids and mask.
    TokenBatch tokenize(const std::vector<std::string>& texts) const;

    int contextLength() const { return contextLength_; }
    std::size_t vocabularySize() const { return words_.size(); }
    const std::string& word(std::int64_t id) const { return words_.at(std::size_t(id)); }

private:
    WordTokenizer() = default;

    std::vector<std::string> words_;
    std::unordered_map<std::string, std::int64_t> ids_;
    int contextLength_ = 0;
};

} // namespace scenelens

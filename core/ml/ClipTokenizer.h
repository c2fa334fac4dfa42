#pragma once
// OpenAI CLIP's byte-level BPE tokenizer (clip/simple_tokenizer.py), reimplemented without
// Python: same cleaning, lower-casing, pre-token split, byte mapping, merges and ids.

#include "ml/TokenBatch.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace scenelens {

class ClipTokenizer {
public:
    static constexpr std::int64_t kStartOfText = 49406;
    static constexpr std::int64_t kEndOfText = 49407;
    static constexpr int kContextLength = 77;

    /// Reads CLIP's merges file (bpe_simple_vocab_16e6.txt.gz). Throws FileError when it is
    /// missing, not gzip, truncated or has malformed merge lines.
    static ClipTokenizer fromFile(const std::string& path);

    ClipTokenizer(ClipTokenizer&&) noexcept;
    ClipTokenizer& operator=(ClipTokenizer&&) noexcept;
    ~ClipTokenizer();

    /// BPE ids of one text, without start/end tokens. Invalid UTF-8 reads as U+FFFD.
    std::vector<std::int64_t> encode(std::string_view text) const;
    /// [SOT, ids..., EOT] per text, zero padded to contextLength (>= 2); longer texts are cut
    /// so that EOT stays the last token (clip.tokenize(..., truncate=True)).
    TokenBatch tokenize(const std::vector<std::string>& texts,
                        int contextLength = kContextLength) const;
    /// Text of ids as CLIP's decode: word ends become spaces, bad UTF-8 becomes U+FFFD.
    /// Throws std::out_of_range for an id outside the vocabulary.
    std::string decode(const std::vector<std::int64_t>& ids) const;

    /// 49,408 for CLIP's file.
    std::size_t vocabularySize() const;
    /// Drops the per-instance cache of pre-token merges (for cold benchmarks). The cache is
    /// shared by all threads using this instance and guarded by a lock.
    void clearCache() const;

private:
    struct Impl;
    explicit ClipTokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace scenelens

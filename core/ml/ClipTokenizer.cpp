#include "ml/ClipTokenizer.h"

#include "Error.h"
#include "ml/HtmlEntities.h"
#include "ml/Unicode.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>

namespace scenelens {
namespace {

// CLIP keeps merges 1..48894 of the file (simple_tokenizer.py: merges[1:49152-256-2+1]).
constexpr std::size_t kMergeCount = 49152 - 256 - 2;
constexpr std::size_t kByteSymbols = 256;
// The merge cache is unbounded in CLIP; here it is emptied when it grows past this many words.
constexpr std::size_t kMaxCachedWords = 1 << 16;

/// CLIP's bytes_to_unicode(): printable Latin-1 bytes stand for themselves, the other bytes for
/// U+0100 onwards. Index = byte, value = its symbol.
std::array<char32_t, kByteSymbols> byteSymbols() {
    std::array<char32_t, kByteSymbols> symbols{};
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
        symbols[b] = printable ? char32_t(b) : next++;
    }
    return symbols;
}

/// Vocabulary order of the byte symbols: the printable bytes first, then the others, as the
/// insertion order of CLIP's bytes_to_unicode() dict.
std::array<int, kByteSymbols> byteOrder() {
    std::array<int, kByteSymbols> order{};
    int n = 0;
    const auto symbols = byteSymbols();
    for (int b = 0; b < 256; ++b)
        if (symbols[b] == char32_t(b))
            order[n++] = b;
    for (int b = 0; b < 256; ++b)
        if (symbols[b] != char32_t(b))
            order[n++] = b;
    return order;
}

std::string readGzipText(const std::string& path) {
    errno = 0;
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file)
        throw FileError(path, "",
                        std::string("cannot open CLIP BPE vocabulary: ") +
                            (errno ? std::strerror(errno) : "out of memory"));
    std::string text;
    std::array<char, 1 << 16> buffer{};
    int read = 0;
    while ((read = gzread(file, buffer.data(), unsigned(buffer.size()))) > 0) {
        if (gzdirect(file)) {
            gzclose(file);
            throw FileError(path, "byte 0", "not a gzip file (expected CLIP's .txt.gz)");
        }
        text.append(buffer.data(), std::size_t(read));
    }
    int code = Z_OK;
    std::string message = gzerror(file, &code);
    if (message.rfind(path + ": ", 0) == 0) // zlib prefixes its messages with the path
        message.erase(0, path.size() + 2);
    gzclose(file);
    if (read < 0 || (code != Z_OK && code != Z_STREAM_END))
        throw FileError(path, "byte " + std::to_string(text.size()) + " of the unpacked text",
                        "corrupt gzip data: " + message);
    return text;
}

/// The lines of the file (Python's str.split('\n')).
std::vector<std::string_view> splitLines(std::string_view text, std::size_t maxLines) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (lines.size() < maxLines) {
        const std::size_t end = text.find('\n', start);
        lines.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    return lines;
}

/// Python's str.split() of a merge line into its whitespace-separated fields.
std::vector<std::u32string> splitFields(std::string_view line) {
    std::vector<std::u32string> fields;
    std::u32string field;
    for (char32_t c : unicode::decodeUtf8(line)) {
        if (unicode::isSpace(c)) {
            if (!field.empty())
                fields.push_back(std::move(field));
            field.clear();
        } else {
            field.push_back(c);
        }
    }
    if (!field.empty())
        fields.push_back(std::move(field));
    return fields;
}

std::uint64_t pairKey(std::int32_t first, std::int32_t second) {
    return (std::uint64_t(std::uint32_t(first)) << 32) | std::uint32_t(second);
}

/// Matches `literal` (ASCII lower case) at text[at] the way CLIP's case-insensitive pattern
/// does on lower-cased text: U+017F LONG S folds to 's'.
bool matchesAt(std::u32string_view text, std::size_t at, std::u32string_view literal) {
    if (text.size() - at < literal.size())
        return false;
    for (std::size_t i = 0; i < literal.size(); ++i) {
        const char32_t c = text[at + i];
        if (c != literal[i] && !(literal[i] == U's' && c == 0x17F))
            return false;
    }
    return true;
}

/// `\s` of CLIP's pattern (the `regex` module's, i.e. Unicode White_Space): str.isspace() less
/// the information separators U+001C..U+001F, which str.strip() removes but `\s` does not.
bool isPatternSpace(char32_t c) {
    return unicode::isSpace(c) && !(c >= 0x1C && c <= 0x1F);
}

/// U+0345 COMBINING GREEK YPOGEGRAMMENI folds to a letter (iota), so under re.IGNORECASE the
/// regex module keeps it out of [^\s\p{L}\p{N}] without letting it into [\p{L}]: no
/// alternative matches it and it is dropped like a space.
bool matchesNoAlternative(char32_t c) {
    return c == 0x345;
}

bool isOther(char32_t c) {
    return !isPatternSpace(c) && !unicode::isLetter(c) && !unicode::isNumber(c) &&
           !matchesNoAlternative(c);
}

/// str.strip(): removes str.isspace() characters at both ends.
std::u32string_view stripped(std::u32string_view text) {
    while (!text.empty() && unicode::isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && unicode::isSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

/// CLIP's whitespace_clean(basic_clean(text)).lower(), without ftfy.fix_text (ftfy is not
/// available in C++; it only repairs mojibake and normalises to NFC, which questions rarely
/// need): html.unescape twice, strip, runs of `\s` to one space, strip, lower-case.
std::u32string cleanText(std::string_view text) {
    const std::u32string unescaped = html::unescape(html::unescape(unicode::decodeUtf8(text)));
    std::u32string collapsed;
    collapsed.reserve(unescaped.size());
    for (char32_t c : stripped(unescaped)) {
        if (!isPatternSpace(c))
            collapsed.push_back(c);
        else if (collapsed.empty() || collapsed.back() != U' ')
            collapsed.push_back(U' ');
    }
    return unicode::toLower(stripped(collapsed));
}

/// One match of CLIP's pre-token pattern.
struct PreToken {
    std::u32string_view text;
    std::int64_t specialId = -1; ///< SOT/EOT when the text is exactly their marker
};

/// re.findall(r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|
/// [^\s\p{L}\p{N}]+", text, re.IGNORECASE): the alternatives in order at each position.
std::vector<PreToken> splitPreTokens(std::u32string_view text) {
    static const std::u32string_view specials[] = {U"<|startoftext|>", U"<|endoftext|>"};
    static const std::u32string_view contractions[] = {U"'s", U"'t",  U"'re", U"'ve",
                                                       U"'m", U"'ll", U"'d"};
    std::vector<PreToken> tokens;
    std::size_t i = 0;
    auto take = [&](std::size_t length, std::int64_t specialId = -1) {
        tokens.push_back({text.substr(i, length), specialId});
        i += length;
    };
    auto runLength = [&](auto&& accepts) {
        std::size_t end = i;
        while (end < text.size() && accepts(text[end]))
            ++end;
        return end - i;
    };
    while (i < text.size()) {
        bool matched = false;
        for (int s = 0; s < 2 && !matched; ++s) {
            if (matchesAt(text, i, specials[s])) {
                const bool exact = text.substr(i, specials[s].size()) == specials[s];
                take(specials[s].size(), exact ? ClipTokenizer::kStartOfText + s : -1);
                matched = true;
            }
        }
        for (std::size_t c = 0; c < std::size(contractions) && !matched; ++c) {
            if (matchesAt(text, i, contractions[c])) {
                take(contractions[c].size());
                matched = true;
            }
        }
        if (matched)
            continue;
        const char32_t c = text[i];
        if (unicode::isLetter(c))
            take(runLength(unicode::isLetter));
        else if (unicode::isNumber(c))
            take(1);
        else if (isOther(c))
            take(runLength(isOther));
        else
            ++i;
    }
    return tokens;
}

} // namespace

struct ClipTokenizer::Impl {
    std::array<std::int32_t, kByteSymbols> byteId{};      ///< byte -> id of its symbol
    std::vector<std::string> tokenBytes;                  ///< id -> raw bytes ("</w>" kept)
    std::unordered_map<std::uint64_t, std::int32_t> rank; ///< (first, second) -> merge rank
    std::vector<std::int32_t> mergedId;                   ///< merge rank -> id of the result

    mutable std::shared_mutex cacheMutex;
    mutable std::unordered_map<std::string, std::vector<std::int32_t>> cache;

    void load(const std::string& path);
    std::vector<std::int32_t> mergeWord(std::string_view bytes) const;
    /// Appends the merged ids of one pre-token's bytes, through the cache.
    void appendWord(const std::string& bytes, std::vector<std::int64_t>& ids) const;
};

void ClipTokenizer::Impl::load(const std::string& path) {
    const std::string text = readGzipText(path);
    const std::vector<std::string_view> lines = splitLines(text, kMergeCount + 1);
    if (lines.size() < kMergeCount + 1)
        throw FileError(path, "line " + std::to_string(lines.size()),
                        "expected " + std::to_string(kMergeCount) +
                            " BPE merges after the #version line, found " +
                            std::to_string(lines.empty() ? 0 : lines.size() - 1));

    const auto symbols = byteSymbols();
    std::unordered_map<char32_t, char> byteOfSymbol;
    for (int b = 0; b < 256; ++b)
        byteOfSymbol[symbols[b]] = char(b);
    std::unordered_map<std::u32string, std::int32_t> encoder;
    std::vector<std::u32string> vocabulary;
    auto addToken = [&](const std::u32string& token) {
        encoder[token] = std::int32_t(vocabulary.size()); // later duplicates win, as in dict()
        vocabulary.push_back(token);
    };
    const auto order = byteOrder();
    for (int b : order)
        addToken(std::u32string(1, symbols[b]));
    for (int b : order)
        addToken(symbols[b] + std::u32string(U"</w>"));
    for (std::size_t b = 0; b < kByteSymbols; ++b)
        byteId[order[b]] = std::int32_t(b);

    std::vector<std::pair<std::u32string, std::u32string>> merges;
    merges.reserve(kMergeCount);
    for (std::size_t line = 1; line <= kMergeCount; ++line) {
        std::vector<std::u32string> fields = splitFields(lines[line]);
        if (fields.size() != 2)
            throw FileError(path, "line " + std::to_string(line + 1),
                            "expected a BPE merge of two symbols, found " +
                                std::to_string(fields.size()) + " fields");
        addToken(fields[0] + fields[1]);
        merges.emplace_back(std::move(fields[0]), std::move(fields[1]));
    }
    addToken(U"<|startoftext|>");
    addToken(U"<|endoftext|>");

    // A merge can only fire when both halves are vocabulary symbols; ids replace strings.
    mergedId.resize(merges.size());
    for (std::size_t r = 0; r < merges.size(); ++r) {
        const auto first = encoder.find(merges[r].first);
        const auto second = encoder.find(merges[r].second);
        mergedId[r] = encoder.at(merges[r].first + merges[r].second);
        if (first != encoder.end() && second != encoder.end())
            rank.emplace(pairKey(first->second, second->second), std::int32_t(r));
    }
    tokenBytes.reserve(vocabulary.size());
    for (std::size_t id = 0; id < vocabulary.size(); ++id) {
        std::string bytes;
        for (char32_t c : vocabulary[id]) {
            const auto found = byteOfSymbol.find(c);
            if (found == byteOfSymbol.end())
                throw FileError(path, "line " + std::to_string(id - 2 * kByteSymbols + 2),
                                "merge uses a character outside CLIP's byte alphabet");
            bytes.push_back(found->second);
        }
        tokenBytes.push_back(std::move(bytes));
    }
}

/// CLIP's bpe(): repeatedly merge every occurrence of the lowest-ranked adjacent pair.
std::vector<std::int32_t> ClipTokenizer::Impl::mergeWord(std::string_view bytes) const {
    std::vector<std::int32_t> word;
    word.reserve(bytes.size());
    for (char b : bytes)
        word.push_back(byteId[static_cast<unsigned char>(b)]);
    word.back() += std::int32_t(kByteSymbols); // the last symbol ends the word: "x</w>"
    std::vector<std::int32_t> merged;
    while (word.size() > 1) {
        std::int32_t best = -1;
        std::uint64_t bestPair = 0;
        for (std::size_t i = 0; i + 1 < word.size(); ++i) {
            const std::uint64_t pair = pairKey(word[i], word[i + 1]);
            const auto found = rank.find(pair);
            if (found != rank.end() && (best < 0 || found->second < best)) {
                best = found->second;
                bestPair = pair;
            }
        }
        if (best < 0)
            break;
        merged.clear();
        for (std::size_t i = 0; i < word.size();) {
            if (i + 1 < word.size() && pairKey(word[i], word[i + 1]) == bestPair) {
                merged.push_back(mergedId[std::size_t(best)]);
                i += 2;
            } else {
                merged.push_back(word[i++]);
            }
        }
        word.swap(merged);
    }
    return word;
}

void ClipTokenizer::Impl::appendWord(const std::string& bytes,
                                     std::vector<std::int64_t>& ids) const {
    {
        std::shared_lock lock(cacheMutex);
        if (const auto found = cache.find(bytes); found != cache.end()) {
            ids.insert(ids.end(), found->second.begin(), found->second.end());
            return;
        }
    }
    std::vector<std::int32_t> word = mergeWord(bytes);
    ids.insert(ids.end(), word.begin(), word.end());
    std::unique_lock lock(cacheMutex);
    if (cache.size() >= kMaxCachedWords)
        cache.clear();
    cache.try_emplace(bytes, std::move(word));
}

ClipTokenizer::ClipTokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ClipTokenizer::ClipTokenizer(ClipTokenizer&&) noexcept = default;
ClipTokenizer& ClipTokenizer::operator=(ClipTokenizer&&) noexcept = default;
ClipTokenizer::~ClipTokenizer() = default;

ClipTokenizer ClipTokenizer::fromFile(const std::string& path) {
    auto impl = std::make_unique<Impl>();
    impl->load(path);
    return ClipTokenizer(std::move(impl));
}

std::vector<std::int64_t> ClipTokenizer::encode(std::string_view text) const {
    const std::u32string cleaned = cleanText(text);
    std::vector<std::int64_t> ids;
    for (const PreToken& token : splitPreTokens(cleaned)) {
        if (token.specialId >= 0) {
            ids.push_back(token.specialId);
            continue;
        }
        impl_->appendWord(unicode::encodeUtf8(token.text), ids);
    }
    return ids;
}

TokenBatch ClipTokenizer::tokenize(const std::vector<std::string>& texts, int contextLength) const {
    if (contextLength < 2)
        throw std::invalid_argument("ClipTokenizer::tokenize: context length " +
                                    std::to_string(contextLength) +
                                    " leaves no room for the start and end tokens");
    TokenBatch batch;
    batch.rows = int(texts.size());
    batch.cols = contextLength;
    batch.ids.assign(texts.size() * std::size_t(contextLength), 0);
    batch.mask.assign(batch.ids.size(), 0);
    for (std::size_t row = 0; row < texts.size(); ++row) {
        std::vector<std::int64_t> tokens{kStartOfText};
        const std::vector<std::int64_t> body = encode(texts[row]);
        tokens.insert(tokens.end(), body.begin(), body.end());
        tokens.push_back(kEndOfText);
        if (tokens.size() > std::size_t(contextLength)) {
            tokens.resize(std::size_t(contextLength));
            tokens.back() = kEndOfText;
        }
        const std::size_t offset = row * std::size_t(contextLength);
        std::copy(tokens.begin(), tokens.end(), batch.ids.begin() + std::ptrdiff_t(offset));
        std::fill_n(batch.mask.begin() + std::ptrdiff_t(offset), tokens.size(), 1);
    }
    return batch;
}

std::string ClipTokenizer::decode(const std::vector<std::int64_t>& ids) const {
    std::string bytes;
    for (std::int64_t id : ids) {
        if (id < 0 || std::size_t(id) >= impl_->tokenBytes.size())
            throw std::out_of_range("ClipTokenizer::decode: id " + std::to_string(id) +
                                    " is outside the vocabulary of " +
                                    std::to_string(impl_->tokenBytes.size()));
        bytes += impl_->tokenBytes[std::size_t(id)];
    }
    // "</w>" is ASCII, so replacing it before the UTF-8 repair gives Python's result.
    std::string spaced;
    spaced.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
        if (bytes.compare(i, 4, "</w>") == 0) {
            spaced.push_back(' ');
            i += 4;
        } else {
            spaced.push_back(bytes[i++]);
        }
    }
    return unicode::encodeUtf8(unicode::decodeUtf8(spaced));
}

std::size_t ClipTokenizer::vocabularySize() const {
    return impl_->tokenBytes.size();
}

void ClipTokenizer::clearCache() const {
    std::unique_lock lock(impl_->cacheMutex);
    impl_->cache.clear();
}

} // namespace scenelens

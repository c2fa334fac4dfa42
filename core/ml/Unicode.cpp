#include "ml/Unicode.h"

#include "ml/UnicodeTables.h"

#include <algorithm>

namespace scenelens::unicode {
namespace {

using unicode_tables::CodePointRange;

constexpr char32_t kReplacement = 0xFFFD;
constexpr char32_t kCapitalSigma = 0x3A3;
constexpr char32_t kSmallSigma = 0x3C3;
constexpr char32_t kFinalSigma = 0x3C2;

bool inRanges(const CodePointRange* ranges, std::size_t count, char32_t c) {
    const CodePointRange* end = ranges + count;
    const CodePointRange* after = std::upper_bound(
        ranges, end, c, [](char32_t v, const CodePointRange& r) { return v < r.first; });
    return after != ranges && c <= (after - 1)->last;
}

bool isCased(char32_t c) {
    return inRanges(unicode_tables::kCased, unicode_tables::kCasedCount, c);
}

bool isCaseIgnorable(char32_t c) {
    return inRanges(unicode_tables::kCaseIgnorable, unicode_tables::kCaseIgnorableCount, c);
}

/// The lower-case mapping of c, or nullptr when c lower-cases to itself.
const unicode_tables::LowerMapping* lowerMapping(char32_t c) {
    const auto* begin = unicode_tables::kLowerMappings;
    const auto* end = begin + unicode_tables::kLowerMappingsCount;
    const auto* found =
        std::lower_bound(begin, end, c, [](const unicode_tables::LowerMapping& m, char32_t v) {
            return m.from < v;
        });
    return found != end && found->from == c ? found : nullptr;
}

/// Python's handle_capital_sigma: final form after a cased letter (skipping case-ignorable
/// characters) unless a cased letter follows (again skipping case-ignorable ones).
char32_t lowerSigma(std::u32string_view text, std::size_t i) {
    std::size_t j = i;
    while (j > 0 && isCaseIgnorable(text[j - 1]))
        --j;
    if (j == 0 || !isCased(text[j - 1]))
        return kSmallSigma;
    std::size_t k = i + 1;
    while (k < text.size() && isCaseIgnorable(text[k]))
        ++k;
    return k == text.size() || !isCased(text[k]) ? kFinalSigma : kSmallSigma;
}

/// Length of the UTF-8 sequence that starts with `lead` and the allowed range of its second
/// byte (UTF-8 excludes overlong forms and surrogates through that range); 0 for a bad lead.
int sequenceLength(unsigned char lead, unsigned char& secondMin, unsigned char& secondMax) {
    secondMin = 0x80;
    secondMax = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF)
        return 2;
    if (lead == 0xE0)
        secondMin = 0xA0;
    if (lead == 0xED)
        secondMax = 0x9F;
    if (lead >= 0xE0 && lead <= 0xEF)
        return 3;
    if (lead == 0xF0)
        secondMin = 0x90;
    if (lead == 0xF4)
        secondMax = 0x8F;
    if (lead >= 0xF0 && lead <= 0xF4)
        return 4;
    return 0;
}

} // namespace

std::u32string decodeUtf8(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            out.push_back(lead);
            ++i;
            continue;
        }
        unsigned char secondMin = 0, secondMax = 0;
        const int length = sequenceLength(lead, secondMin, secondMax);
        if (length == 0) {
            out.push_back(kReplacement);
            ++i;
            continue;
        }
        char32_t c = lead & (0xFF >> (length + 1));
        int valid = 1; // bytes of the sequence that are well formed so far
        for (; valid < length && i + valid < text.size(); ++valid) {
            const auto byte = static_cast<unsigned char>(text[i + valid]);
            const unsigned char low = valid == 1 ? secondMin : 0x80;
            const unsigned char high = valid == 1 ? secondMax : 0xBF;
            if (byte < low || byte > high)
                break;
            c = (c << 6) | (byte & 0x3F);
        }
        // A truncated or broken sequence is one replacement for its well-formed prefix.
        out.push_back(valid == length ? c : kReplacement);
        i += valid;
    }
    return out;
}

void appendUtf8(std::string& out, char32_t c) {
    if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
        c = kReplacement;
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::string encodeUtf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t c : text)
        appendUtf8(out, c);
    return out;
}

bool isLetter(char32_t c) {
    if (c < 0x80)
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    return inRanges(unicode_tables::kLetters, unicode_tables::kLettersCount, c);
}

bool isNumber(char32_t c) {
    if (c < 0x80)
        return c >= '0' && c <= '9';
    return inRanges(unicode_tables::kNumbers, unicode_tables::kNumbersCount, c);
}

bool isSpace(char32_t c) {
    return inRanges(unicode_tables::kSpaces, unicode_tables::kSpacesCount, c);
}

std::u32string toLower(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char32_t c = text[i];
        if (c < 0x80) {
            out.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
        } else if (c == kCapitalSigma) {
            out.push_back(lowerSigma(text, i));
        } else if (const auto* mapping = lowerMapping(c)) {
            out.push_back(mapping->to[0]);
            if (mapping->to[1] != 0)
                out.push_back(mapping->to[1]);
        } else {
            out.push_back(c);
        }
    }
    return out;
}

const char* tablesVersion() {
    return unicode_tables::kUnicodeVersion;
}

} // namespace scenelens::unicode

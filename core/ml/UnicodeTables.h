#pragma once
// Unicode property tables generated from Python's unicodedata by
// modelkit/tools/gen_unicode_tables.py (UnicodeTables.cpp). Internal to core/ml: use Unicode.h.

#include <cstddef>

namespace scenelens::unicode_tables {

/// Code points first..last inclusive.
struct CodePointRange {
    char32_t first;
    char32_t last;
};

/// str.lower() of one code point: one or two code points (to[1] == 0 when one).
struct LowerMapping {
    char32_t from;
    char32_t to[2];
};

extern const char* const kUnicodeVersion;
extern const CodePointRange kLetters[];
extern const std::size_t kLettersCount;
extern const CodePointRange kNumbers[];
extern const std::size_t kNumbersCount;
extern const CodePointRange kSpaces[];
extern const std::size_t kSpacesCount;
extern const CodePointRange kCased[];
extern const std::size_t kCasedCount;
extern const CodePointRange kCaseIgnorable[];
extern const std::size_t kCaseIgnorableCount;
extern const LowerMapping kLowerMappings[];
extern const std::size_t kLowerMappingsCount;

} // namespace scenelens::unicode_tables

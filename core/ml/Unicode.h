#pragma once
// The few Unicode operations the tokenizers need, matching Python 3's str semantics (tables
// generated from Python's unicodedata; see modelkit/tools/gen_unicode_tables.py).

#include <string>
#include <string_view>

namespace scenelens::unicode {

/// Decodes UTF-8; each maximal invalid subsequence becomes U+FFFD, as Python's
/// bytes.decode("utf-8", errors="replace") does.
std::u32string decodeUtf8(std::string_view text);
/// Encodes code points as UTF-8 (surrogates and values above U+10FFFF become U+FFFD).
std::string encodeUtf8(std::u32string_view text);
/// Appends one code point as UTF-8.
void appendUtf8(std::string& out, char32_t c);

/// General category L* (regex \p{L}).
bool isLetter(char32_t c);
/// General category N* (regex \p{N}).
bool isNumber(char32_t c);
/// Python's str.isspace().
bool isSpace(char32_t c);

/// Python's str.lower(): full lower-case mapping including the final-sigma rule.
std::u32string toLower(std::u32string_view text);

/// Unicode version of the tables (that of the Python which generated them).
const char* tablesVersion();

} // namespace scenelens::unicode

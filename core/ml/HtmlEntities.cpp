#include "ml/HtmlEntities.h"

#include "ml/HtmlEntitiesTable.h"
#include "ml/Unicode.h"

#include <algorithm>
#include <cstring>
#include <optional>

namespace scenelens::html {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
// html.unescape's pattern takes at most 32 characters of a name (then an optional ';').
constexpr std::size_t kMaxNameLength = 32;
// Anything larger is out of Unicode anyway; capping keeps long digit runs from overflowing.
constexpr char32_t kNumberCap = 0x110000;

bool isDigit(char32_t c) {
    return c >= '0' && c <= '9';
}
bool isHexDigit(char32_t c) {
    return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
int hexValue(char32_t c) {
    return isDigit(c) ? int(c - '0') : int((c | 0x20) - 'a' + 10);
}

/// A character the name alternative `[^\t\n\f <&#;]` accepts.
bool isNameCharacter(char32_t c) {
    return c != '\t' && c != '\n' && c != '\f' && c != ' ' && c != '<' && c != '&' && c != '#' &&
           c != ';';
}

/// The replacement of a named reference ("amp;", "amp"), when the HTML5 table has it.
std::optional<std::u32string> namedEntity(std::u32string_view name) {
    std::string ascii;
    for (char32_t c : name) {
        if (c >= 0x80)
            return std::nullopt; // all names are ASCII
        ascii.push_back(static_cast<char>(c));
    }
    const auto* begin = html_tables::kNamedEntities;
    const auto* end = begin + html_tables::kNamedEntitiesCount;
    const auto* found =
        std::lower_bound(begin, end, ascii, [](const auto& e, const std::string& n) {
            return std::strcmp(e.name, n.c_str()) < 0;
        });
    if (found == end || ascii != found->name)
        return std::nullopt;
    return unicode::decodeUtf8(found->value);
}

/// html._replace_charref for a numeric reference.
std::u32string numericReplacement(char32_t number) {
    const auto* refs = html_tables::kInvalidCharRefs;
    for (std::size_t i = 0; i < html_tables::kInvalidCharRefsCount; ++i)
        if (refs[i].number == number)
            return std::u32string(1, refs[i].replacement);
    if ((number >= 0xD800 && number <= 0xDFFF) || number > 0x10FFFF)
        return std::u32string(1, kReplacement);
    const auto* spans = html_tables::kInvalidCodePoints;
    for (std::size_t i = 0; i < html_tables::kInvalidCodePointsCount; ++i)
        if (number >= spans[i].first && number <= spans[i].last)
            return {};
    return std::u32string(1, number);
}

/// Parses `&#123;` or `&#x7b;` at text[at] == '#'. Returns the characters consumed after the
/// '&' (0 when no numeric reference starts there) and appends its replacement.
std::size_t numericReference(std::u32string_view text, std::size_t at, std::u32string& out) {
    std::size_t i = at + 1;
    const bool hex =
        i + 1 < text.size() && (text[i] == 'x' || text[i] == 'X') && isHexDigit(text[i + 1]);
    if (hex)
        ++i;
    else if (i >= text.size() || !isDigit(text[i]))
        return 0;
    char32_t number = 0;
    for (; i < text.size() && (hex ? isHexDigit(text[i]) : isDigit(text[i])); ++i)
        number = std::min<char32_t>(kNumberCap, number * (hex ? 16 : 10) +
                                                    (hex ? hexValue(text[i]) : text[i] - '0'));
    if (i < text.size() && text[i] == ';')
        ++i;
    out += numericReplacement(number);
    return i - at;
}

/// Parses a named reference at text[at] (just after '&'): the longest name the pattern accepts,
/// then the longest prefix of at least two characters that the table knows, as html.unescape.
std::size_t namedReference(std::u32string_view text, std::size_t at, std::u32string& out) {
    std::size_t end = at;
    while (end < text.size() && end - at < kMaxNameLength && isNameCharacter(text[end]))
        ++end;
    if (end == at)
        return 0;
    if (end < text.size() && text[end] == ';')
        ++end;
    const std::u32string_view name = text.substr(at, end - at);
    if (auto value = namedEntity(name)) {
        out += *value;
        return name.size();
    }
    for (std::size_t length = name.size() - 1; length > 1; --length) {
        if (auto value = namedEntity(name.substr(0, length))) {
            out += *value;
            out += name.substr(length);
            return name.size();
        }
    }
    out += U'&';
    out += name;
    return name.size();
}

} // namespace

std::u32string unescape(std::u32string_view text) {
    if (text.find(U'&') == std::u32string_view::npos)
        return std::u32string(text);
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] != U'&') {
            out.push_back(text[i++]);
            continue;
        }
        const std::size_t after = i + 1;
        std::size_t consumed = 0;
        if (after < text.size() && text[after] == U'#')
            consumed = numericReference(text, after, out);
        else
            consumed = namedReference(text, after, out);
        if (consumed == 0)
            out.push_back(U'&');
        i = after + consumed;
    }
    return out;
}

} // namespace scenelens::html

#pragma once
// HTML5 character reference tables generated from Python's html module by
// modelkit/tools/gen_html_entities.py (HtmlEntitiesTable.cpp). Internal to core/ml: use
// HtmlEntities.h.

#include <cstddef>

namespace scenelens::html_tables {

/// A named reference without its '&' ("amp;", "amp"), and its UTF-8 replacement.
struct NamedEntity {
    const char* name;
    const char* value;
};

/// A numeric reference html.unescape replaces by another code point.
struct InvalidCharRef {
    char32_t number;
    char32_t replacement;
};

/// Numeric references first..last (inclusive) that html.unescape drops.
struct CodePointSpan {
    char32_t first;
    char32_t last;
};

extern const NamedEntity kNamedEntities[];
extern const std::size_t kNamedEntitiesCount;
extern const InvalidCharRef kInvalidCharRefs[];
extern const std::size_t kInvalidCharRefsCount;
extern const CodePointSpan kInvalidCodePoints[];
extern const std::size_t kInvalidCodePointsCount;

} // namespace scenelens::html_tables

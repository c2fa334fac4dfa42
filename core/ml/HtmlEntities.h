#pragma once
// HTML character references resolved exactly as Python's html.unescape does (HTML5 named
// references, numeric references with the HTML5 fix-ups, longest-prefix match for names written
// without ';').

#include <string>
#include <string_view>

namespace scenelens::html {

/// Python's html.unescape(text) over code points.
std::u32string unescape(std::u32string_view text);

} // namespace scenelens::html

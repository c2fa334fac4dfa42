#pragma once
// Colours of an embedding plot: a categorical palette or a continuous colormap applied to one
// metadata column, with the legend (categories and counts) or colour bar (range) that explains it.

#include "embed/EmbeddingSet.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scenelens::embed {

using Rgba8 = std::array<std::uint8_t, 4>;

enum class Colormap { Viridis, Magma, Coolwarm };
std::string_view toString(Colormap map);
std::optional<Colormap> parseColormap(std::string_view name);

/// Colour of points whose value is missing (empty text, NaN): mid grey.
inline constexpr Rgba8 kMissingColor{128, 128, 128, 255};
/// Legend entry that counts the points with a missing value.
inline constexpr const char* kMissingCategory = "(none)";

/// 256-entry colormap lookup as matplotlib indexes it (entry min(255, floor(256 t))); t is clamped
/// to [0, 1]; NaN gives kMissingColor.
Rgba8 colormapColor(Colormap map, double t);

/// The default categorical palette: 22 colours, Okabe-Ito's seven (without black) first, then
/// extras chosen for the largest RGB distance to the colours before them; index i wraps.
Rgba8 categoricalColor(int index);
int categoricalPaletteSize();

struct LegendEntry {
    std::string category;
    int count = 0;
    Rgba8 color{};
    bool visible = true;
};

/// A column mapped to colours, one per point.
struct ColorEncoding {
    std::string column; ///< "" = one colour (categoricalColor(0)) for all, no legend
    bool continuous = false;
    Colormap colormap = Colormap::Viridis;
    double minValue = 0, maxValue = 1; ///< continuous: the colour bar's range (finite min..max)
    /// Categorical: categories by descending count, ties by name (number columns: by value), each
    /// coloured categoricalColor(position); kMissingCategory last when some values are missing.
    /// Continuous: only the kMissingCategory entry, when some values are missing.
    std::vector<LegendEntry> legend;
    std::vector<int> category; ///< per point: index into legend, or -1 when it has no entry
    std::vector<Rgba8> colors; ///< per point
};

/// Colours `set` by `column`: text columns are categorical; number columns are continuous unless
/// their finite values are at most 20 distinct whole numbers (ids, classes), which are
/// categorical. Empty text and NaN are missing: kMissingColor, counted in kMissingCategory. A
/// continuous column whose finite values are all equal maps them to the colormap's middle.
/// Throws std::invalid_argument for an unknown column.
ColorEncoding encodeColors(const EmbeddingSet& set, const std::string& column,
                           Colormap colormap = Colormap::Viridis);

} // namespace scenelens::embed

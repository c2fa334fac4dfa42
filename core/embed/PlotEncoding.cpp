#include "embed/PlotEncoding.h"

#include "embed/ColormapTables.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace scenelens::embed {

namespace {

// Okabe & Ito (2008) without black, then extras (Kelly, Tableau, Paul Tol's light and muted
// schemes) picked greedily for the largest RGB distance to every colour before them and to grey;
// the near-black green goes last. Minimum pairwise RGB distance: 67.
constexpr Rgba8 kCategorical[] = {
    {230, 159, 0, 255},  {86, 180, 233, 255},  {0, 158, 115, 255},   {240, 228, 66, 255},
    {0, 114, 178, 255},  {213, 94, 0, 255},    {204, 121, 167, 255}, {190, 0, 50, 255},
    {51, 34, 136, 255},  {152, 223, 138, 255}, {141, 182, 0, 255},   {174, 199, 232, 255},
    {170, 51, 119, 255}, {44, 160, 44, 255},   {68, 187, 153, 255},  {247, 182, 210, 255},
    {136, 45, 23, 255},  {238, 136, 102, 255}, {238, 221, 136, 255}, {23, 190, 207, 255},
    {68, 119, 170, 255}, {43, 61, 38, 255}};
constexpr int kCategoricalSize = int(sizeof(kCategorical) / sizeof(kCategorical[0]));

// Number columns with at most this many distinct whole values are ids or classes.
constexpr std::size_t kMaxWholeCategories = 20;

const std::uint8_t (*tableOf(Colormap map))[3] {
    switch (map) {
    case Colormap::Magma:
        return kMagmaTable;
    case Colormap::Coolwarm:
        return kCoolwarmTable;
    case Colormap::Viridis:
        break;
    }
    return kViridisTable;
}

struct Category {
    std::string name;
    double value = 0; ///< number columns: orders ties by value
    int count = 0;
};

// Orders categories as the legend lists them and fills legend, category and colours.
void applyCategories(std::vector<Category> categories, const std::vector<int>& categoryOfPoint,
                     int missingCount, ColorEncoding& encoding) {
    std::vector<int> order(categories.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = int(i);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        const Category& x = categories[a];
        const Category& y = categories[b];
        if (x.count != y.count)
            return x.count > y.count;
        return x.value != y.value ? x.value < y.value : x.name < y.name;
    });
    std::vector<int> position(categories.size());
    for (std::size_t p = 0; p < order.size(); ++p) {
        position[order[p]] = int(p);
        Category& c = categories[order[p]];
        encoding.legend.push_back({std::move(c.name), c.count, categoricalColor(int(p)), true});
    }
    const int missing = int(encoding.legend.size());
    if (missingCount > 0)
        encoding.legend.push_back({kMissingCategory, missingCount, kMissingColor, true});
    encoding.category.resize(categoryOfPoint.size());
    encoding.colors.resize(categoryOfPoint.size());
    for (std::size_t i = 0; i < categoryOfPoint.size(); ++i) {
        const int c = categoryOfPoint[i] < 0 ? missing : position[categoryOfPoint[i]];
        encoding.category[i] = c;
        encoding.colors[i] = encoding.legend[c].color;
    }
}

void encodeText(const std::vector<std::string>& values, ColorEncoding& encoding) {
    std::map<std::string, int> indexOf;
    std::vector<Category> categories;
    std::vector<int> categoryOfPoint(values.size(), -1);
    int missing = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i].empty()) {
            ++missing;
            continue;
        }
        const auto [it, added] = indexOf.emplace(values[i], int(categories.size()));
        if (added)
            categories.push_back({values[i], 0, 0});
        ++categories[it->second].count;
        categoryOfPoint[i] = it->second;
    }
    applyCategories(std::move(categories), categoryOfPoint, missing, encoding);
}

std::string wholeNumberName(double value) {
    return std::to_string(static_cast<long long>(value));
}

// The distinct finite values when they are few whole numbers, else nothing.
bool fewWholeNumbers(const std::vector<double>& values, std::map<double, int>& distinct) {
    for (double v : values) {
        if (std::isnan(v))
            continue;
        if (!std::isfinite(v) || v != std::floor(v) || std::abs(v) > 1e15)
            return false;
        distinct.emplace(v, 0);
        if (distinct.size() > kMaxWholeCategories)
            return false;
    }
    return true;
}

void encodeWholeNumbers(const std::vector<double>& values, std::map<double, int>& distinct,
                        ColorEncoding& encoding) {
    std::vector<Category> categories;
    for (auto& [value, index] : distinct) {
        index = int(categories.size());
        categories.push_back({wholeNumberName(value), value, 0});
    }
    std::vector<int> categoryOfPoint(values.size(), -1);
    int missing = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (std::isnan(values[i])) {
            ++missing;
            continue;
        }
        categoryOfPoint[i] = distinct[values[i]];
        ++categories[categoryOfPoint[i]].count;
    }
    applyCategories(std::move(categories), categoryOfPoint, missing, encoding);
}

void encodeContinuous(const std::vector<double>& values, ColorEncoding& encoding) {
    encoding.continuous = true;
    double lo = INFINITY, hi = -INFINITY;
    int missing = 0;
    for (double v : values) {
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        } else if (std::isnan(v)) {
            ++missing;
        }
    }
    encoding.minValue = lo;
    encoding.maxValue = hi;
    if (missing > 0)
        encoding.legend.push_back({kMissingCategory, missing, kMissingColor, true});
    encoding.category.assign(values.size(), -1);
    encoding.colors.resize(values.size());
    const double span = hi - lo;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if (std::isnan(v)) {
            encoding.category[i] = 0;
            encoding.colors[i] = kMissingColor;
        } else {
            encoding.colors[i] = colormapColor(encoding.colormap, span > 0 ? (v - lo) / span : 0.5);
        }
    }
}

} // namespace

std::string_view toString(Colormap map) {
    switch (map) {
    case Colormap::Magma:
        return "magma";
    case Colormap::Coolwarm:
        return "coolwarm";
    case Colormap::Viridis:
        break;
    }
    return "viridis";
}

std::optional<Colormap> parseColormap(std::string_view name) {
    for (Colormap map : {Colormap::Viridis, Colormap::Magma, Colormap::Coolwarm})
        if (toString(map) == name)
            return map;
    return std::nullopt;
}

Rgba8 colormapColor(Colormap map, double t) {
    if (std::isnan(t))
        return kMissingColor;
    const int index = std::clamp(int(std::floor(std::clamp(t, 0.0, 1.0) * 256.0)), 0, 255);
    const std::uint8_t* rgb = tableOf(map)[index];
    return {rgb[0], rgb[1], rgb[2], 255};
}

Rgba8 categoricalColor(int index) {
    const int wrapped = ((index % kCategoricalSize) + kCategoricalSize) % kCategoricalSize;
    return kCategorical[wrapped];
}

int categoricalPaletteSize() {
    return kCategoricalSize;
}

ColorEncoding encodeColors(const EmbeddingSet& set, const std::string& column, Colormap colormap) {
    ColorEncoding encoding;
    encoding.column = column;
    encoding.colormap = colormap;
    if (column.empty()) {
        encoding.category.assign(set.rows, -1);
        encoding.colors.assign(set.rows, categoricalColor(0));
        return encoding;
    }
    if (const auto text = set.textColumns.find(column); text != set.textColumns.end()) {
        encodeText(text->second, encoding);
        return encoding;
    }
    const auto numbers = set.numberColumns.find(column);
    if (numbers == set.numberColumns.end())
        throw std::invalid_argument(
            "no metadata column '" + column + "' in " +
            (set.name.empty() ? std::string("the embedding set") : "'" + set.name + "'"));
    std::map<double, int> distinct;
    if (fewWholeNumbers(numbers->second, distinct))
        encodeWholeNumbers(numbers->second, distinct, encoding);
    else
        encodeContinuous(numbers->second, encoding);
    return encoding;
}

} // namespace scenelens::embed

#include "NamedColors.h"

#include <limits>

namespace scenelens::synth {

const std::vector<NamedColor>& namedColors() {
    // At least 75 apart (Euclidean RGB) from each other, so a mean colour within a few units of a
    // name is never nearer another. "wooden" is a mid orange-brown, "brown" a dark one; "beige"
    // sits between white, yellow and wooden, far from each.
    static const std::vector<NamedColor> colors = {
        {"red", {200, 35, 35}},    {"brown", {100, 60, 30}},   {"white", {235, 235, 230}},
        {"black", {30, 30, 30}},   {"blue", {40, 75, 185}},    {"green", {45, 145, 60}},
        {"gray", {128, 128, 128}}, {"wooden", {185, 120, 60}}, {"yellow", {230, 200, 40}},
        {"beige", {215, 195, 150}}};
    return colors;
}

const std::string& nearestColorName(const Rgb8& rgb) {
    const NamedColor* best = nullptr;
    int bestDistance = std::numeric_limits<int>::max();
    for (const NamedColor& color : namedColors()) {
        int distance = 0;
        for (int c = 0; c < 3; ++c) {
            const int d = int(rgb[c]) - int(color.rgb[c]);
            distance += d * d;
        }
        if (distance < bestDistance) {
            bestDistance = distance;
            best = &color;
        }
    }
    return best->name;
}

Rgb8 meanColor(const Scene& scene, const std::vector<std::uint32_t>& vertices) {
    if (vertices.empty())
        return {0, 0, 0};
    std::uint64_t sum[3] = {0, 0, 0};
    for (std::uint32_t v : vertices)
        for (int c = 0; c < 3; ++c)
            sum[c] += scene.colors[v][c];
    const std::uint64_t n = vertices.size();
    return {std::uint8_t((sum[0] + n / 2) / n), std::uint8_t((sum[1] + n / 2) / n),
            std::uint8_t((sum[2] + n / 2) / n)};
}

} // namespace scenelens::synth

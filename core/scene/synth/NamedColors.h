#pragma once
// The colour names synthetic objects are painted with and questions are answered with.

#include "../Scene.h"

#include <string>
#include <vector>

namespace scenelens::synth {

struct NamedColor {
    std::string name;
    Rgb8 rgb;
};

/// "red", "brown", "white", "black", "blue", "green", "gray", "wooden", "yellow", "beige":
/// chosen far apart so the name of an object's mean colour is never in doubt.
const std::vector<NamedColor>& namedColors();

/// The name whose colour is nearest (Euclidean in RGB) to `rgb`.
const std::string& nearestColorName(const Rgb8& rgb);

/// The mean colour of the given vertices.
Rgb8 meanColor(const Scene& scene, const std::vector<std::uint32_t>& vertices);

} // namespace scenelens::synth

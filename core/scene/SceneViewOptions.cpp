#include "SceneViewOptions.h"

#include <array>
#include <utility>

namespace scenelens {

namespace {
constexpr std::array<std::pair<SceneColorMode, std::string_view>, 3> kColorModeNames{{
    {SceneColorMode::Rgb, "rgb"},
    {SceneColorMode::Instance, "instance"},
    {SceneColorMode::Class, "class"},
}};
} // namespace

std::string_view toString(SceneColorMode mode) {
    for (const auto& [value, name] : kColorModeNames)
        if (value == mode)
            return name;
    return "rgb";
}

std::optional<SceneColorMode> parseSceneColorMode(std::string_view text) {
    for (const auto& [value, name] : kColorModeNames)
        if (name == text)
            return value;
    return std::nullopt;
}

} // namespace scenelens

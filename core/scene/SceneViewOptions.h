#pragma once
// How a scene is drawn. One struct serves the GUI, the CLI (`scenelens render`) and settings.

#include <optional>
#include <string>
#include <string_view>

namespace scenelens {

enum class SceneColorMode { Rgb, Instance, Class };

struct SceneViewOptions {
    SceneColorMode colorBy = SceneColorMode::Rgb;
    bool showBoxes = false;
};

/// "rgb", "instance", "class".
std::string_view toString(SceneColorMode mode);
/// Inverse of toString; std::nullopt for any other text.
std::optional<SceneColorMode> parseSceneColorMode(std::string_view text);

} // namespace scenelens

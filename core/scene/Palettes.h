#pragma once
// Fixed categorical colours shared by every view, the CLI renderer and exported figures.

#include "Scene.h"

namespace scenelens {

/// Colour used for vertices without annotation in instance and class modes.
constexpr Rgb8 kUnannotatedColor{160, 160, 160};

/// NYU40 class colours: the palette of the ScanNet benchmark (util.py, create_color_palette),
/// so figures match those in ScanNet papers. 0 (unannotated) and ids > 40 get kUnannotatedColor.
Rgb8 nyu40Color(int nyu40Id);

/// Instance colours: Tableau 20 cycled by instance id (objectId + 1); 0 (unannotated) is grey.
Rgb8 instanceColor(int instanceId);

} // namespace scenelens

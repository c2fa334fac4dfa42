#pragma once
// CLIP's image preprocessing (clip.load's transform), reproduced without Python: resize the
// shorter side to 224 with PIL's antialiased bicubic filter, centre crop 224x224 as torchvision,
// scale to [0,1] and normalise with CLIP's mean and std. Output float32 CHW.

#include "ml/ClipImageIO.h"

#include <vector>

namespace scenelens {

constexpr int kClipImageSize = 224;
constexpr float kClipMean[3] = {0.48145466f, 0.4578275f, 0.40821073f};
constexpr float kClipStd[3] = {0.26862954f, 0.26130258f, 0.27577711f};

/// PIL's Image.resize((width, height), Image.BICUBIC) of an RGB image, to the same bytes
/// (fixed-point coefficients, rounding to uint8 between the horizontal and vertical pass).
RgbImage resizeBicubic(const RgbImage& image, int width, int height);

/// Writes one preprocessed image to out[3 * 224 * 224] (CHW). Throws std::invalid_argument for
/// an empty image.
void clipPreprocessInto(const RgbImage& image, float* out);
/// One preprocessed image, [3, 224, 224] contiguous.
std::vector<float> clipPreprocess(const RgbImage& image);
/// A batch, [images.size(), 3, 224, 224] contiguous.
std::vector<float> clipPreprocessBatch(const std::vector<RgbImage>& images);

} // namespace scenelens

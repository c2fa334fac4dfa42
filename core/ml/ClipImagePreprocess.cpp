#include "ml/ClipImagePreprocess.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace scenelens {
namespace {

// PIL's Resample.c: 8-bit passes use coefficients in fixed point with this many fraction bits.
constexpr int kPrecisionBits = 32 - 8 - 2;
constexpr double kBicubicSupport = 2.0;

/// PIL's bicubic kernel, a = -0.5.
double bicubic(double x) {
    constexpr double a = -0.5;
    x = std::abs(x);
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0)
        return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}

/// The taps of one resampling direction: output i reads input first[i] .. first[i]+count[i]-1
/// with weights[i * kernelSize + k].
struct Taps {
    int kernelSize = 0;
    std::vector<int> first;
    std::vector<int> count;
    std::vector<std::int32_t> weights;
};

/// PIL's precompute_coeffs + normalize_coeffs_8bpc for box (0, inSize): the kernel is widened
/// by the downscale factor (antialiasing), normalised to sum 1, then rounded to fixed point.
Taps bicubicTaps(int inSize, int outSize) {
    const double scale = double(float(inSize)) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = kBicubicSupport * filterScale;
    const double inverseScale = 1.0 / filterScale; // PIL multiplies by this, so do we
    Taps taps;
    taps.kernelSize = int(std::ceil(support)) * 2 + 1;
    taps.first.resize(std::size_t(outSize));
    taps.count.resize(std::size_t(outSize));
    taps.weights.assign(std::size_t(outSize) * std::size_t(taps.kernelSize), 0);
    std::vector<double> w(std::size_t(taps.kernelSize));
    for (int i = 0; i < outSize; ++i) {
        const double center = (i + 0.5) * scale;
        const int lo = std::max(0, int(center - support + 0.5));
        const int hi = std::min(inSize, int(center + support + 0.5));
        const int count = hi - lo;
        double sum = 0.0;
        for (int k = 0; k < count; ++k) {
            w[std::size_t(k)] = bicubic((k + lo - center + 0.5) * inverseScale);
            sum += w[std::size_t(k)];
        }
        for (int k = 0; k < count; ++k) {
            const double normalised = sum != 0.0 ? w[std::size_t(k)] / sum : w[std::size_t(k)];
            const double fixed = normalised * (1 << kPrecisionBits);
            taps.weights[std::size_t(i) * std::size_t(taps.kernelSize) + std::size_t(k)] =
                std::int32_t(normalised < 0 ? -0.5 + fixed : 0.5 + fixed);
        }
        taps.first[std::size_t(i)] = lo;
        taps.count[std::size_t(i)] = count;
    }
    return taps;
}

std::uint8_t clip8(std::int32_t value) {
    return std::uint8_t(std::clamp(value >> kPrecisionBits, 0, 255));
}

/// One output pixel: weighted sum of `count` input pixels `stride` bytes apart, per channel.
void resamplePixel(const std::uint8_t* in, std::size_t stride, const std::int32_t* weights,
                   int count, std::uint8_t* out) {
    for (int c = 0; c < 3; ++c) {
        std::int32_t sum = 1 << (kPrecisionBits - 1);
        for (int k = 0; k < count; ++k)
            sum += std::int32_t(in[std::size_t(k) * stride + std::size_t(c)]) * weights[k];
        out[c] = clip8(sum);
    }
}

/// The window [x0, x0+w) x [y0, y0+h) of PIL's resize of `image` to outWidth x outHeight,
/// computed without the rest (every output pixel depends only on its own taps). As PIL, the
/// horizontal pass runs first and a direction whose size does not change is not resampled.
RgbImage resizeWindow(const RgbImage& image, int outWidth, int outHeight, int x0, int y0, int w,
                      int h) {
    const bool horizontal = outWidth != image.width;
    const bool vertical = outHeight != image.height;
    const Taps across = horizontal ? bicubicTaps(image.width, outWidth) : Taps{};
    const Taps down = vertical ? bicubicTaps(image.height, outHeight) : Taps{};

    // Input rows the window needs (the taps' starts grow with the output row).
    const int rowFirst = vertical ? down.first[std::size_t(y0)] : y0;
    const int rowLast =
        vertical ? down.first[std::size_t(y0 + h - 1)] + down.count[std::size_t(y0 + h - 1)]
                 : y0 + h;
    RgbImage rows;
    rows.width = w;
    rows.height = rowLast - rowFirst;
    rows.pixels.resize(std::size_t(rows.width) * std::size_t(rows.height) * 3);
    for (int y = 0; y < rows.height; ++y) {
        for (int x = 0; x < w; ++x) {
            std::uint8_t* out = rows.pixels.data() + (std::size_t(y) * std::size_t(w) + x) * 3;
            if (!horizontal) {
                std::copy_n(image.pixel(x0 + x, rowFirst + y), 3, out);
                continue;
            }
            const std::size_t i = std::size_t(x0 + x);
            resamplePixel(image.pixel(across.first[i], rowFirst + y), 3,
                          across.weights.data() + i * std::size_t(across.kernelSize),
                          across.count[i], out);
        }
    }
    if (!vertical)
        return rows;

    RgbImage out;
    out.width = w;
    out.height = h;
    out.pixels.resize(std::size_t(w) * std::size_t(h) * 3);
    const std::size_t rowBytes = std::size_t(w) * 3;
    for (int y = 0; y < h; ++y) {
        const std::size_t i = std::size_t(y0 + y);
        const std::int32_t* weights = down.weights.data() + i * std::size_t(down.kernelSize);
        for (int x = 0; x < w; ++x)
            resamplePixel(rows.pixel(x, down.first[i] - rowFirst), rowBytes, weights, down.count[i],
                          out.pixels.data() + (std::size_t(y) * w + x) * 3);
    }
    return out;
}

/// Python's int(round(v / 2.0)) for an integer v >= 0: halves round to even.
int halfRoundedToEven(int v) {
    const int half = v / 2;
    return v % 2 == 0 || half % 2 == 0 ? half : half + 1;
}

void checkImage(const RgbImage& image, const char* what) {
    if (image.width <= 0 || image.height <= 0 ||
        image.pixels.size() != std::size_t(image.width) * std::size_t(image.height) * 3)
        throw std::invalid_argument(std::string(what) + ": expected a non-empty RGB8 image, got " +
                                    std::to_string(image.width) + "x" +
                                    std::to_string(image.height) + " with " +
                                    std::to_string(image.pixels.size()) + " bytes");
}

} // namespace

RgbImage resizeBicubic(const RgbImage& image, int width, int height) {
    checkImage(image, "resizeBicubic");
    if (width <= 0 || height <= 0)
        throw std::invalid_argument("resizeBicubic: target size must be positive");
    return resizeWindow(image, width, height, 0, 0, width, height);
}

void clipPreprocessInto(const RgbImage& image, float* out) {
    checkImage(image, "clipPreprocess");
    // torchvision Resize(224): shorter side to 224, longer side int(224 * long / short).
    const bool portrait = image.width <= image.height;
    const int shorter = portrait ? image.width : image.height;
    const int longer = portrait ? image.height : image.width;
    const int scaledLonger = int(double(kClipImageSize) * longer / shorter);
    const int width = portrait ? kClipImageSize : scaledLonger;
    const int height = portrait ? scaledLonger : kClipImageSize;
    // torchvision CenterCrop(224): offsets int(round((size - 224) / 2.0)).
    const int left = halfRoundedToEven(width - kClipImageSize);
    const int top = halfRoundedToEven(height - kClipImageSize);
    const RgbImage cropped =
        resizeWindow(image, width, height, left, top, kClipImageSize, kClipImageSize);

    constexpr std::size_t plane = std::size_t(kClipImageSize) * kClipImageSize;
    for (int c = 0; c < 3; ++c) {
        float* channel = out + std::size_t(c) * plane;
        for (std::size_t p = 0; p < plane; ++p) {
            // ToTensor then Normalize, in float32 as torchvision.
            const float unit = float(cropped.pixels[p * 3 + std::size_t(c)]) / 255.0f;
            channel[p] = (unit - kClipMean[c]) / kClipStd[c];
        }
    }
}

std::vector<float> clipPreprocess(const RgbImage& image) {
    std::vector<float> out(3 * std::size_t(kClipImageSize) * kClipImageSize);
    clipPreprocessInto(image, out.data());
    return out;
}

std::vector<float> clipPreprocessBatch(const std::vector<RgbImage>& images) {
    const std::size_t perImage = 3 * std::size_t(kClipImageSize) * kClipImageSize;
    std::vector<float> out(images.size() * perImage);
    for (std::size_t i = 0; i < images.size(); ++i)
        clipPreprocessInto(images[i], out.data() + i * perImage);
    return out;
}

} // namespace scenelens

#pragma once
// 8-bit RGB images for the CLIP image encoder: decoded from PNG/JPEG (stb_image) or copied from
// pixels already in memory (rendered views, video frames).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace scenelens {

/// Row-major RGB8 pixels, 3 bytes per pixel, no row padding: pixels.size() == width*height*3.
struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;

    const std::uint8_t* pixel(int x, int y) const {
        return pixels.data() + (std::size_t(y) * std::size_t(width) + std::size_t(x)) * 3;
    }
};

/// Decodes a PNG, JPEG, BMP, TGA or GIF (first frame) file to RGB (grey is replicated, alpha
/// dropped). Throws FileError naming the file and stb_image's reason when it cannot be read or
/// decoded.
RgbImage readRgbImage(const std::string& path);
/// The same from encoded bytes in memory; `name` identifies them in errors.
RgbImage decodeRgbImage(const std::uint8_t* data, std::size_t size,
                        const std::string& name = "<memory>");
/// Copies width x height pixels with 3 (RGB) or 4 (RGBA, alpha dropped) channels whose rows
/// start rowStride bytes apart (0: tightly packed). Throws std::invalid_argument on bad sizes.
RgbImage copyRgbImage(const std::uint8_t* pixels, int width, int height, int channels,
                      std::size_t rowStride = 0);

} // namespace scenelens

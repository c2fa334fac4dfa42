#include "ml/ClipImageIO.h"

#include "Error.h"

#include <stb/stb_image.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <stdexcept>

namespace scenelens {

RgbImage readRgbImage(const std::string& path) {
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError(path, "",
                        std::string("cannot open image: ") +
                            (errno ? std::strerror(errno) : "unknown error"));
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    if (in.bad())
        throw FileError(path, "", "cannot read image");
    return decodeRgbImage(bytes.data(), bytes.size(), path);
}

RgbImage decodeRgbImage(const std::uint8_t* data, std::size_t size, const std::string& name) {
    if (size == 0)
        throw FileError(name, "", "cannot decode image: the data is empty");
    if (size > std::size_t(std::numeric_limits<int>::max()))
        throw FileError(name, "", "cannot decode image: larger than 2 GiB");
    int width = 0, height = 0, channels = 0;
    // Requesting 3 channels makes stb replicate grey and drop alpha, as PIL's convert("RGB").
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(data, int(size), &width, &height, &channels, 3), stbi_image_free);
    if (!pixels) {
        const char* reason = stbi_failure_reason();
        throw FileError(name, "",
                        std::string("cannot decode image: ") +
                            (reason ? reason : "unknown stb_image error"));
    }
    RgbImage image;
    image.width = width;
    image.height = height;
    image.pixels.assign(pixels.get(), pixels.get() + std::size_t(width) * height * 3);
    return image;
}

RgbImage copyRgbImage(const std::uint8_t* pixels, int width, int height, int channels,
                      std::size_t rowStride) {
    if (width <= 0 || height <= 0 || (channels != 3 && channels != 4) || !pixels)
        throw std::invalid_argument("copyRgbImage: expected a non-empty RGB or RGBA buffer, got " +
                                    std::to_string(width) + "x" + std::to_string(height) + "x" +
                                    std::to_string(channels));
    const std::size_t packed = std::size_t(width) * std::size_t(channels);
    if (rowStride == 0)
        rowStride = packed;
    if (rowStride < packed)
        throw std::invalid_argument("copyRgbImage: row stride " + std::to_string(rowStride) +
                                    " is shorter than a row of " + std::to_string(packed) +
                                    " bytes");
    RgbImage image;
    image.width = width;
    image.height = height;
    image.pixels.resize(std::size_t(width) * std::size_t(height) * 3);
    std::uint8_t* out = image.pixels.data();
    for (int y = 0; y < height; ++y) {
        const std::uint8_t* row = pixels + std::size_t(y) * rowStride;
        for (int x = 0; x < width; ++x, out += 3)
            std::memcpy(out, row + std::size_t(x) * std::size_t(channels), 3);
    }
    return image;
}

} // namespace scenelens

#include "ExportedFrames.h"

#include "Error.h"

#include <Eigen/LU>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace scenelens {

namespace fs = std::filesystem;

namespace {

// Real ScanNet poses are orthonormal to about 1e-6; 1e-3 admits text rounding, not shear.
constexpr float kRigidTolerance = 1e-3f;

std::string lineName(int number) {
    return "line " + std::to_string(number);
}

/// Parses the whitespace-separated numbers of one line; "-inf" and "nan" parse as such.
std::optional<std::vector<float>> parseNumbers(const std::string& line) {
    std::vector<float> numbers;
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
        float value = 0.f;
        const char* end = word.data() + word.size();
        auto [ptr, ec] = std::from_chars(word.data(), end, value);
        if (ec != std::errc() || ptr != end)
            return std::nullopt;
        numbers.push_back(value);
    }
    return numbers;
}

/// A 4x4 row-major matrix written one row per line; blank lines after the fourth row are allowed.
Eigen::Matrix4f readMatrix(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw FileError(path, "", "cannot open: expected a 4x4 matrix, one row per line");
    Eigen::Matrix4f matrix;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        const auto numbers = parseNumbers(line);
        if (number > 4 && numbers && numbers->empty())
            continue;
        if (number > 4)
            throw FileError(path, lineName(number), "expected 4 lines of a 4x4 matrix, found more");
        if (!numbers || numbers->size() != 4)
            throw FileError(path, lineName(number), "expected 4 numbers, found '" + line + "'");
        for (int column = 0; column < 4; ++column)
            matrix(number - 1, column) = (*numbers)[column];
    }
    if (number < 4)
        throw FileError(path, lineName(number + 1), "expected 4 lines of a 4x4 matrix");
    return matrix;
}

/// Throws unless `pose` is a rotation and translation (finite poses only).
void checkRigid(const std::string& path, const Eigen::Matrix4f& pose) {
    if (!pose.row(3).isApprox(Eigen::RowVector4f(0, 0, 0, 1), kRigidTolerance))
        throw FileError(path, lineName(4), "expected '0 0 0 1' in a rigid camera pose");
    const Eigen::Matrix3f r = pose.topLeftCorner<3, 3>();
    const float error = (r.transpose() * r - Eigen::Matrix3f::Identity()).cwiseAbs().maxCoeff();
    if (error > kRigidTolerance || r.determinant() < 0.f)
        throw FileError(path, "lines 1-3",
                        "expected a rotation (orthonormal, determinant +1) in a rigid camera pose, "
                        "off by " +
                            std::to_string(error));
}

Eigen::Matrix4f readIntrinsic(const std::string& path) {
    if (!fs::exists(path))
        throw FileError(path, "", "missing: expected the colour camera's 4x4 intrinsic matrix");
    const Eigen::Matrix4f k = readMatrix(path);
    if (!k.allFinite() || k(0, 0) <= 0.f || k(1, 1) <= 0.f)
        throw FileError(path, "", "expected positive focal lengths fx (row 1) and fy (row 2)");
    return k;
}

std::uint32_t bigEndian(const unsigned char* bytes, int count) {
    std::uint32_t value = 0;
    for (int i = 0; i < count; ++i)
        value = value << 8 | bytes[i];
    return value;
}

/// Width and height from a PNG's IHDR chunk or a JPEG's start-of-frame marker.
std::optional<std::array<int, 2>> imageSize(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<unsigned char> head(64 * 1024);
    in.read(reinterpret_cast<char*>(head.data()), std::streamsize(head.size()));
    head.resize(std::size_t(in.gcount()));
    static constexpr unsigned char kPng[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (head.size() >= 24 && std::equal(std::begin(kPng), std::end(kPng), head.begin()))
        return std::array<int, 2>{int(bigEndian(&head[16], 4)), int(bigEndian(&head[20], 4))};
    if (head.size() < 4 || head[0] != 0xff || head[1] != 0xd8)
        return std::nullopt;
    // Walk the JPEG segments to the first SOFn (C0..CF except DHT C4, JPG C8 and DAC CC).
    for (std::size_t at = 2; at + 9 <= head.size();) {
        if (head[at] != 0xff)
            return std::nullopt;
        const unsigned char marker = head[at + 1];
        if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
            return std::array<int, 2>{int(bigEndian(&head[at + 7], 2)),
                                      int(bigEndian(&head[at + 5], 2))};
        at += 2 + bigEndian(&head[at + 2], 2);
    }
    return std::nullopt;
}

/// The frame index of a file name stem: digits only.
std::optional<int> frameIndex(const std::string& stem) {
    int index = 0;
    const char* end = stem.data() + stem.size();
    auto [ptr, ec] = std::from_chars(stem.data(), end, index);
    if (stem.empty() || ec != std::errc() || ptr != end || index < 0)
        return std::nullopt;
    return index;
}

std::string existing(const fs::path& path) {
    return fs::exists(path) ? path.string() : std::string();
}

void writeMatrix(const std::string& path, const Eigen::Matrix4f& matrix) {
    std::FILE* file = std::fopen(path.c_str(), "w");
    if (!file)
        throw FileError(path, "", "cannot be written");
    bool ok = true;
    // %.9g round-trips every float, so written poses reproject exactly as rendered.
    for (int row = 0; row < 4; ++row)
        ok = ok && std::fprintf(file, "%.9g %.9g %.9g %.9g\n", matrix(row, 0), matrix(row, 1),
                                matrix(row, 2), matrix(row, 3)) > 0;
    ok = std::fclose(file) == 0 && ok;
    if (!ok)
        throw FileError(path, "", "writing failed (disk full?)");
}

std::vector<CameraFrame> readFrames(const fs::path& root, int& skippedInvalidPoses) {
    const fs::path poses = root / "pose";
    if (!fs::is_directory(poses))
        throw FileError(poses.string(), "", "missing: expected a folder of <frame>.txt poses");
    std::vector<CameraFrame> frames;
    for (const fs::directory_entry& entry : fs::directory_iterator(poses)) {
        const fs::path& path = entry.path();
        const auto index = frameIndex(path.stem().string());
        if (path.extension() != ".txt" || !index)
            continue;
        const Eigen::Matrix4f pose = readMatrix(path.string());
        if (!pose.allFinite()) {
            ++skippedInvalidPoses;
            continue;
        }
        checkRigid(path.string(), pose);
        const std::string stem = path.stem().string();
        std::string color = existing(root / "color" / (stem + ".jpg"));
        if (color.empty())
            color = existing(root / "color" / (stem + ".png"));
        frames.push_back({*index, color, existing(root / "depth" / (stem + ".png")), pose});
    }
    std::sort(frames.begin(), frames.end(),
              [](const CameraFrame& a, const CameraFrame& b) { return a.index < b.index; });
    return frames;
}

} // namespace

ExportedFrames readExportedFrames(const std::string& folder) {
    const fs::path root(folder);
    if (!fs::is_directory(root))
        throw FileError(folder, "", "no such folder: expected exported ScanNet frames");
    ExportedFrames out;
    out.intrinsic = readIntrinsic((root / "intrinsic" / "intrinsic_color.txt").string());
    const fs::path extrinsic = root / "intrinsic" / "extrinsic_color.txt";
    if (fs::exists(extrinsic))
        out.extrinsic = readMatrix(extrinsic.string());
    out.frames = readFrames(root, out.skippedInvalidPoses);
    for (const CameraFrame& frame : out.frames) {
        if (frame.colorPath.empty())
            continue;
        if (const auto size = imageSize(frame.colorPath)) {
            out.width = (*size)[0];
            out.height = (*size)[1];
        }
        break;
    }
    return out;
}

void writePose(const std::string& path, const Eigen::Matrix4f& cameraToWorld) {
    writeMatrix(path, cameraToWorld);
}

void writeIntrinsic(const std::string& path, const Eigen::Matrix4f& intrinsic) {
    writeMatrix(path, intrinsic);
}

Eigen::Matrix4f pinholeIntrinsic(float fx, float fy, float cx, float cy) {
    Eigen::Matrix4f k = Eigen::Matrix4f::Identity();
    k(0, 0) = fx;
    k(1, 1) = fy;
    k(0, 2) = cx;
    k(1, 2) = cy;
    return k;
}

Eigen::Vector2f projectToPixel(const Eigen::Matrix4f& intrinsic,
                               const Eigen::Matrix4f& cameraToWorld, const Eigen::Vector3f& world,
                               float* depth) {
    const Eigen::Matrix3f r = cameraToWorld.topLeftCorner<3, 3>();
    const Eigen::Vector3f camera = r.transpose() * (world - cameraToWorld.topRightCorner<3, 1>());
    if (depth)
        *depth = camera.z();
    return {intrinsic(0, 0) * camera.x() / camera.z() + intrinsic(0, 2),
            intrinsic(1, 1) * camera.y() / camera.z() + intrinsic(1, 2)};
}

} // namespace scenelens

#pragma once
// ScanNet's exported RGB-D frames, the folder layout ScanNet's SensReader writes:
//   color/<i>.jpg (or .png)   depth/<i>.png (optional)   pose/<i>.txt
//   intrinsic/intrinsic_color.txt   intrinsic/extrinsic_color.txt (optional)
// Matrices are 4x4, row-major, one row per line. Cameras follow OpenCV's convention: x right,
// y down, looking along +z; pixel coordinates have pixel centres at integers, origin top left.

#include <Eigen/Core>

#include <string>
#include <vector>

namespace scenelens {

/// One exported frame; a frame exists when its pose file does.
struct CameraFrame {
    int index = 0;         ///< The number in the file names.
    std::string colorPath; ///< color/<i>.jpg or .png, empty when neither exists.
    std::string depthPath; ///< depth/<i>.png, empty when absent.
    Eigen::Matrix4f cameraToWorld = Eigen::Matrix4f::Identity(); ///< Rigid, metres.
};

struct ExportedFrames {
    Eigen::Matrix4f intrinsic = Eigen::Matrix4f::Identity(); ///< fx 0 cx 0 / 0 fy cy 0 / ...
    Eigen::Matrix4f extrinsic = Eigen::Matrix4f::Identity(); ///< extrinsic_color.txt if present.
    std::vector<CameraFrame> frames;                         ///< Sorted by index.
    /// Size of the colour images, read from the first frame's PNG or JPEG header; 0 when unknown.
    int width = 0;
    int height = 0;
    /// Frames left out because their pose holds -inf or nan (ScanNet's mark for lost tracking).
    int skippedInvalidPoses = 0;
};

/// Reads the layout under `folder`. Throws FileError naming the file, the line and what was
/// expected when the intrinsic or a pose file is missing, malformed, or a pose is not rigid.
ExportedFrames readExportedFrames(const std::string& folder);

/// Writes a 4x4 matrix in ScanNet's text format (pose/<i>.txt, intrinsic/*.txt); throws
/// FileError when the file cannot be written.
void writePose(const std::string& path, const Eigen::Matrix4f& cameraToWorld);
void writeIntrinsic(const std::string& path, const Eigen::Matrix4f& intrinsic);

/// The 4x4 intrinsic of a pinhole camera (focal lengths and principal point in pixels).
Eigen::Matrix4f pinholeIntrinsic(float fx, float fy, float cx, float cy);

/// Pixel (x right, y down) of world point `world` seen by a camera at `cameraToWorld`; `depth`
/// receives its distance along the viewing axis, which is <= 0 for points behind the camera.
Eigen::Vector2f projectToPixel(const Eigen::Matrix4f& intrinsic,
                               const Eigen::Matrix4f& cameraToWorld, const Eigen::Vector3f& world,
                               float* depth = nullptr);

} // namespace scenelens

#include "MultiViewRenderer.h"

#include "Error.h"
#include "SceneImageRenderer.h"
#include "scene/MeshRayPicker.h"

#include <QImageWriter>
#include <QString>

#include <Eigen/Geometry>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <tuple>

namespace scenelens {

namespace fs = std::filesystem;

namespace {

constexpr float kPi = 3.14159265358979f;
constexpr float kMinPitch = 10.f * kPi / 180.f;
constexpr float kMaxPitch = 30.f * kPi / 180.f;
// A view whose rays hit a drawn surface nearer than this is blocked (a curtain, a cupboard).
constexpr float kOpenDistance = 1.5f;
// Free space around a camera, so it does not stand in a plant or against a wall's back.
constexpr float kClearance = 0.4f;
// Floors of real scans are uneven: surfaces this high above the lowest point still count as floor.
constexpr float kFloorTolerance = 0.25f;
// Cameras nearer than this to the point they look at look past it instead.
constexpr float kMinTargetDistance = 1.5f;
constexpr int kViewRays = 9;

/// Walls, floors and ceilings bound the room; they are not the content to look at.
bool isStructural(const SceneObject& object) {
    return object.nyu40Id == 1 || object.nyu40Id == 2 || object.nyu40Id == 22;
}

Eigen::Vector2f contentCentre(const Scene& scene, const Box3& bounds) {
    Eigen::Vector2f sum = Eigen::Vector2f::Zero();
    int count = 0;
    for (const SceneObject& object : scene.objects) {
        if (isStructural(object) || object.box.isEmpty())
            continue;
        sum += object.box.center().head<2>();
        ++count;
    }
    return count > 0 ? Eigen::Vector2f(sum / float(count)) : bounds.center().head<2>();
}

/// Camera-to-world pose at `eye` facing `target` horizontally, pitched down within limits.
Eigen::Matrix4f lookAt(const Eigen::Vector3f& eye, const Eigen::Vector3f& target,
                       const Eigen::Vector2f& fallbackHeading) {
    Eigen::Vector2f heading = (target - eye).head<2>();
    const float distance = heading.norm();
    // Right beside the target, turning to it would show the floor at one's feet: look across.
    heading =
        distance >= kMinTargetDistance ? Eigen::Vector2f(heading / distance) : fallbackHeading;
    const float pitch =
        std::clamp(std::atan2(eye.z() - target.z(), std::max(distance, kMinTargetDistance)),
                   kMinPitch, kMaxPitch);
    const Eigen::Vector3f forward(std::cos(pitch) * heading.x(), std::cos(pitch) * heading.y(),
                                  -std::sin(pitch));
    // OpenCV axes: x right, y down, z forward; right-handed, so y = z cross x.
    const Eigen::Vector3f right = forward.cross(Eigen::Vector3f::UnitZ()).normalized();
    const Eigen::Vector3f down = forward.cross(right);
    Eigen::Matrix4f pose = Eigen::Matrix4f::Identity();
    pose.block<3, 1>(0, 0) = right;
    pose.block<3, 1>(0, 1) = down;
    pose.block<3, 1>(0, 2) = forward;
    pose.block<3, 1>(0, 3) = eye;
    return pose;
}

/// How bad a camera position is; compared lexicographically, {0, 0, 0} is a good view.
struct ViewFlaws {
    /// Not standing over open floor: above furniture, outside the room, or over a scan hole.
    bool offTheFloor = false;
    bool tooClose = false; ///< A vertex within kClearance: standing in or against something.
    int blockedRays = 0;   ///< Rays of the view hitting a drawn surface nearer than kOpenDistance.

    bool operator<(const ViewFlaws& other) const {
        return std::tie(offTheFloor, tooClose, blockedRays) <
               std::tie(other.offTheFloor, other.tooClose, other.blockedRays);
    }
    bool none() const { return !offTheFloor && !tooClose && blockedRays == 0; }
};

bool nearAVertex(const Scene& scene, const Eigen::Vector3f& eye) {
    return std::any_of(scene.positions.begin(), scene.positions.end(),
                       [&](const Eigen::Vector3f& p) {
                           return (p - eye).squaredNorm() < kClearance * kClearance;
                       });
}

/// What the renderer would show from `pose`, judged by a few rays against the drawn (front)
/// faces. Stops at the first flaw found: the cheaper checks come first.
ViewFlaws flawsOf(const Scene& scene, const Eigen::Matrix4f& pose, float floor) {
    const Eigen::Vector3f eye = pose.topRightCorner<3, 1>();
    ViewFlaws flaws{false, false, kViewRays}; // rays not cast count as blocked
    const auto below = pickFrontFace(scene, eye, -Eigen::Vector3f::UnitZ());
    flaws.offTheFloor = !below || below->position.z() > floor + kFloorTolerance;
    flaws.tooClose = !flaws.offTheFloor && nearAVertex(scene, eye);
    if (flaws.offTheFloor || flaws.tooClose)
        return flaws;
    flaws.blockedRays = 0;
    // A 3x3 grid over the middle of the image, in tangents of the angle off the optical axis.
    for (float x : {-0.35f, 0.f, 0.35f}) {
        for (float y : {-0.35f, 0.f, 0.35f}) {
            const Eigen::Vector3f ray = pose.topLeftCorner<3, 3>() * Eigen::Vector3f(x, y, 1.f);
            const auto hit = pickFrontFace(scene, eye, ray.normalized());
            flaws.blockedRays += hit && hit->distance < kOpenDistance;
        }
    }
    return flaws;
}

/// The ellipse the cameras stand on and the point they look at.
struct CameraRing {
    Eigen::Vector2f centre;
    Eigen::Vector2f radius;
    float floor = 0.f; ///< z of the floor
    float eyeZ = 0.f;  ///< z of the cameras
    Eigen::Vector3f target;
};

/// The view from `angle` on the ring, or nearer its centre or a little to the side when something
/// spoils it there; the least spoilt one when all are. `spread` is the angle between neighbours.
Eigen::Matrix4f viewAt(const Scene& scene, const CameraRing& ring, float angle, float spread) {
    Eigen::Matrix4f best;
    ViewFlaws fewest{true, true, kViewRays}; // worse than any candidate: the first one replaces it
    for (int step = 0; step < 10; ++step) {
        // Sideways by a quarter of the spread at most, so neighbouring views stay apart.
        for (float turn : {0.f, 0.25f * spread, -0.25f * spread}) {
            const Eigen::Vector2f outwards(std::cos(angle + turn), std::sin(angle + turn));
            const float shrink = 1.f - 0.1f * float(step);
            const Eigen::Vector2f ground =
                ring.centre + shrink * ring.radius.cwiseProduct(outwards);
            const Eigen::Matrix4f pose =
                lookAt({ground.x(), ground.y(), ring.eyeZ}, ring.target, -outwards);
            const ViewFlaws flaws = flawsOf(scene, pose, ring.floor);
            if (flaws.none())
                return pose;
            if (flaws < fewest) {
                best = pose;
                fewest = flaws;
            }
        }
    }
    return best;
}

/// Creates the layout's folders and refuses a folder whose older frames would outnumber ours.
void prepareFolder(const fs::path& root, int count) {
    for (const char* sub : {"color", "pose", "intrinsic"})
        fs::create_directories(root / sub);
    for (const fs::directory_entry& entry : fs::directory_iterator(root / "pose")) {
        const std::string stem = entry.path().stem().string();
        const bool frame =
            !stem.empty() && stem.size() < 10 && std::all_of(stem.begin(), stem.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c));
            });
        if (frame && entry.path().extension() == ".txt" && std::stoi(stem) >= count)
            throw std::runtime_error((root / "pose").string() + " already holds frame " + stem +
                                     " of an earlier export: remove the old frames or choose "
                                     "another folder");
    }
}

void writeImage(const std::string& path, const QImage& image) {
    QImageWriter writer(QString::fromStdString(path));
    if (!writer.write(image))
        throw FileError(path, "", "cannot write the image: " + writer.errorString().toStdString());
}

} // namespace

std::vector<Eigen::Matrix4f> placeViewCameras(const Scene& scene, int count,
                                              const ViewPlacement& placement) {
    if (count < 1 || scene.positions.empty())
        return {};
    const Box3 bounds = scene.bounds();
    CameraRing ring;
    ring.centre = bounds.center().head<2>();
    const Eigen::Vector2f half = 0.5f * bounds.size().head<2>();
    // Inside the walls, but never collapsing onto the centre of a small room.
    ring.radius = (half.array() - placement.wallMargin).max(0.4f * half.array()).matrix();
    ring.floor = bounds.min.z();
    ring.eyeZ = ring.floor + placement.eyeHeight;
    const Eigen::Vector2f content = contentCentre(scene, bounds);
    ring.target = {content.x(), content.y(), ring.floor + placement.targetHeight};
    const float spread = 2.f * kPi / float(count);
    std::vector<Eigen::Matrix4f> poses;
    // The first camera stands in the south-west, like the 3D view's default.
    for (int i = 0; i < count; ++i)
        poses.push_back(viewAt(scene, ring, 1.25f * kPi + spread * float(i), spread));
    return poses;
}

Eigen::Matrix4f viewIntrinsic(QSize size, double verticalFovDegrees) {
    const double fovRadians = verticalFovDegrees * double(kPi) / 180.0;
    const auto f = float(size.height() / (2.0 * std::tan(0.5 * fovRadians)));
    return pinholeIntrinsic(f, f, 0.5f * float(size.width()), 0.5f * float(size.height()));
}

ExportedFrames renderViewsToFolder(const Scene& scene, const std::string& folder,
                                   const MultiViewOptions& options, ProgressSink* progress) {
    checkpoint(progress, "placing cameras", 0.0);
    const fs::path root(folder);
    ExportedFrames out;
    out.intrinsic = viewIntrinsic(options.size, options.verticalFovDegrees);
    out.width = options.size.width();
    out.height = options.size.height();
    const std::vector<Eigen::Matrix4f> poses =
        placeViewCameras(scene, options.count, options.placement);
    prepareFolder(root, options.count);
    writeIntrinsic((root / "intrinsic" / "intrinsic_color.txt").string(), out.intrinsic);
    renderSceneViews(
        scene, options.look, options.size, out.intrinsic, poses,
        [&](std::size_t i, const QImage& image) {
            const std::string stem = std::to_string(i);
            CameraFrame frame{int(i), (root / "color" / (stem + ".png")).string(), "", poses[i]};
            writeImage(frame.colorPath, image);
            writePose((root / "pose" / (stem + ".txt")).string(), poses[i]);
            out.frames.push_back(frame);
            checkpoint(progress, "rendering views", double(i + 1) / poses.size());
        });
    return out;
}

} // namespace scenelens

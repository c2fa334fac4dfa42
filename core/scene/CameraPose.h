#pragma once
// Where the 3D camera is: enough to put it back exactly (sessions, bookmarks, scripted figures).

#include <array>
#include <string>

namespace scenelens {

struct CameraPose {
    std::array<double, 3> position{0, 0, 1};
    std::array<double, 3> focalPoint{0, 0, 0};
    std::array<double, 3> viewUp{0, 1, 0};
    double viewAngle = 30; ///< vertical field of view, degrees

    bool operator==(const CameraPose& other) const {
        return position == other.position && focalPoint == other.focalPoint &&
               viewUp == other.viewUp && viewAngle == other.viewAngle;
    }
    bool operator!=(const CameraPose& other) const { return !(*this == other); }
};

/// A named camera pose the user can return to.
struct CameraBookmark {
    std::string name;
    CameraPose pose;
};

} // namespace scenelens

#pragma once
// Where the objects of a synthetic room stand: the room type's plan placed by simple rules (against
// a wall, beside, in front of, around, on top of) so that no two objects interpenetrate.

#include "Recipes.h"
#include "SyntheticRoom.h"

#include <vector>

namespace scenelens::synth {

class Random;

/// Objects whose bottom is higher than this (metres) hang on a wall or stand on another object.
constexpr float kFloorLevel = 0.05f;

/// Object frame -> room frame: a rotation by quarter turns about z, then a translation.
struct Pose {
    Eigen::Vector3f origin = Eigen::Vector3f::Zero();
    int quarter = 0;

    Eigen::Vector3f apply(const Eigen::Vector3f& local) const;
    Box3 apply(const Box3& local) const;
    /// The pose of a frame given in this one's coordinates.
    Pose then(const Eigen::Vector3f& offset, int quarterTurns) const;
};

/// Wall w (0..3) runs counter-clockwise seen from above, starting with y = 0. Its frame has x along
/// the wall from its start corner, y pointing into the room and z up.
Pose wallFrame(int wall, const Eigen::Vector3f& roomSize);
float wallLength(int wall, const Eigen::Vector3f& roomSize);

struct PlacedObject {
    Blueprint blueprint;
    Pose pose;
    Box3 box;         ///< Room-frame bounds of the blueprint.
    int wall = -1;    ///< The wall its back is set against, -1 when free-standing.
    int support = -1; ///< Index of the object it stands on, -1 for the floor or a wall.
};

/// The door's opening, in metres along its wall.
struct DoorOpening {
    int wall = 0;
    float begin = 0.f, end = 0.f, height = 0.f;
};

struct RoomLayout {
    Eigen::Vector3f size = Eigen::Vector3f::Zero();
    DoorOpening door;
    std::vector<PlacedObject> objects;
};

/// Places the plan of `type` in a room of `size` (x, y, wall height). Objects that find no free
/// spot are left out; the door and the first window always fit the rooms the plans allow.
RoomLayout layoutRoom(RoomType type, const Eigen::Vector3f& size, Random& random);

} // namespace scenelens::synth

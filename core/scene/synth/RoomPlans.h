#pragma once
// What each room type contains and how its objects relate: a list of placement steps.

#include "Recipes.h"
#include "SyntheticRoom.h"

#include <vector>

namespace scenelens::synth {

enum class Rule {
    Door,        ///< In a gap of a wall.
    Window,      ///< On a wall, with room for curtains beside it.
    Wall,        ///< Back against a wall (or hung on it, for kinds with an elevation).
    Corner,      ///< Against a wall, at one of its ends.
    Center,      ///< Free-standing, near the middle of the room.
    Beside,      ///< Left or right of the anchor, aligned with its back.
    InFront,     ///< In front of the anchor, facing the same way.
    Facing,      ///< In front of the anchor, facing it.
    Around,      ///< At any side of the anchor, facing it (chairs at a table).
    On,          ///< Standing on the anchor's top.
    Above,       ///< Hung on the wall above the anchor.
    WindowSide,  ///< Hung beside and in front of a window (curtains).
    UnderWindow, ///< Hung on the wall below a window (radiators).
};

/// One line of a plan. For each object the anchor step placed (or once, without an anchor) the step
/// places, with `probability`, between `minCount` and `maxCount` objects of one of `kinds`.
struct Step {
    Rule rule;
    std::vector<Kind> kinds;
    int anchor = -1; ///< Index of an earlier step.
    int minCount = 1, maxCount = 1;
    float probability = 1.f;
    Range gap{0.04f, 0.1f};  ///< Distance to the anchor (Beside, InFront, Facing, Around).
    bool eachAnchor = true;  ///< false: relative to one of the anchor step's objects only.
    bool matchWidth = false; ///< InFront: as wide as the anchor.
};

struct RoomPlan {
    Range width, depth; ///< Room extent along x and y (metres).
    std::vector<Step> steps;
};

const RoomPlan& roomPlan(RoomType type);

} // namespace scenelens::synth

#include "RoomLayout.h"

#include "Random.h"
#include "RoomPlans.h"

#include <algorithm>

namespace scenelens::synth {

namespace {

constexpr int kAttempts = 30;
constexpr float kGap = 0.02f;     ///< Between the boxes of any two objects.
constexpr float kWallGap = 0.02f; ///< Between furniture and the wall behind it.
/// Kept free below hung objects, so that nothing under a picture or window seems to carry it.
constexpr float kHangClearance = 0.1f;
constexpr float kCurtainRoom = 0.45f; ///< Kept free beside windows for curtains.

Eigen::Vector2f rotate(int quarter, const Eigen::Vector2f& v) {
    switch (quarter & 3) {
    case 0:
        return v;
    case 1:
        return {-v.y(), v.x()};
    case 2:
        return -v;
    default:
        return {v.y(), -v.x()};
    }
}

bool overlaps(const Box3& a, const Box3& b) {
    return (a.min.array() < b.max.array()).all() && (b.min.array() < a.max.array()).all();
}

Box3 grown(Box3 box, float margin) {
    box.min.array() -= margin;
    box.max.array() += margin;
    return box;
}

Box3 boxOf(const Eigen::Vector3f& min, const Eigen::Vector3f& max) {
    Box3 box;
    box.min = min;
    box.max = max;
    return box;
}

/// The pose that puts an object of `size`, turned by `quarter` relative to `frame`, with its
/// footprint starting at `footprintMin` (frame coordinates) and its bottom at `elevation`.
Pose inFrame(const Pose& frame, int quarter, const Eigen::Vector2f& footprintMin,
             const Eigen::Vector3f& size, float elevation) {
    const Eigen::Vector2f a = rotate(quarter, size.head<2>());
    const Eigen::Vector2f cornerMin = a.cwiseMin(Eigen::Vector2f::Zero())
                                          .cwiseMin(rotate(quarter, {size.x(), 0.f}))
                                          .cwiseMin(rotate(quarter, {0.f, size.y()}));
    const Eigen::Vector2f origin = footprintMin - cornerMin;
    return frame.then({origin.x(), origin.y(), elevation}, quarter);
}

float uniform(Random& random, const Range& range) {
    return random.uniform(range.min, range.max);
}

/// Places objects one rule at a time, keeping track of the space they take.
class Placer {
public:
    Placer(const Eigen::Vector3f& size, Random& random) : random_(random) { layout_.size = size; }

    /// Places one object of `kind` by the step's rule; the index of the object, or -1.
    int place(const Step& step, Kind kind, int anchor) {
        switch (step.rule) {
        case Rule::Door:
            return door(kind);
        case Rule::Window:
            return window(kind);
        case Rule::Wall:
            return againstWall(kind, false);
        case Rule::Corner:
            return againstWall(kind, true);
        case Rule::Center:
            return center(kind);
        case Rule::Beside:
            return beside(kind, anchor, step.gap);
        case Rule::InFront:
            return inFront(kind, anchor, step.gap, false, step.matchWidth);
        case Rule::Facing:
            return inFront(kind, anchor, step.gap, true, false);
        case Rule::Around:
            return around(kind, anchor, step.gap);
        case Rule::On:
            return on(kind, anchor);
        case Rule::Above:
            return above(kind, anchor);
        case Rule::WindowSide:
            return windowSide(kind, anchor);
        case Rule::UnderWindow:
            return underWindow(kind, anchor);
        }
        return -1;
    }

    RoomLayout take() { return std::move(layout_); }

private:
    int door(Kind kind);
    int window(Kind kind);
    int againstWall(Kind kind, bool corner);
    int center(Kind kind);
    int beside(Kind kind, int anchor, const Range& gap);
    int inFront(Kind kind, int anchor, const Range& gap, bool facing, bool matchWidth);
    int around(Kind kind, int anchor, const Range& gap);
    int on(Kind kind, int anchor);
    int above(Kind kind, int anchor);
    int windowSide(Kind kind, int window);
    int underWindow(Kind kind, int window);

    Blueprint blueprint(Kind kind, const Eigen::Vector3f& size) {
        return buildBlueprint(kind, size, random_);
    }
    float elevation(Kind kind) { return uniform(random_, recipe(kind).elevation); }
    float alongWall(const PlacedObject& object) const {
        const Pose frame = wallFrame(object.wall, layout_.size);
        return rotate(-object.wall, (object.pose.origin - frame.origin).head<2>()).x();
    }

    /// Adds the object when it lies inside the room and clear of every other (but `support`),
    /// and `alsoFree` (space it needs around it) is clear too; its index, or -1.
    int tryAdd(Blueprint&& blueprint, const Pose& pose, int wall, int support,
               const Box3* alsoFree = nullptr);
    bool isFree(const Box3& box, int ignore) const;

    RoomLayout layout_;
    Random& random_;
    std::vector<Box3> taken_;    ///< Per object: its box and the clearance below it if it hangs.
    std::vector<Box3> reserved_; ///< Space no object may take (the door's swing).
};

bool Placer::isFree(const Box3& box, int ignore) const {
    const Box3 probe = grown(box, kGap);
    for (std::size_t i = 0; i < taken_.size(); ++i)
        if (int(i) != ignore && overlaps(probe, taken_[i]))
            return false;
    return std::none_of(reserved_.begin(), reserved_.end(),
                        [&](const Box3& r) { return overlaps(probe, r); });
}

int Placer::tryAdd(Blueprint&& blueprint, const Pose& pose, int wall, int support,
                   const Box3* alsoFree) {
    const Box3 box = pose.apply(boxOf(Eigen::Vector3f::Zero(), blueprint.size));
    const float epsilon = 1e-4f;
    if ((box.min.array() < -epsilon).any() ||
        (box.max.array() > layout_.size.array() + epsilon).any())
        return -1;
    Box3 taken = box;
    if (support < 0 && box.min.z() > kFloorLevel)
        taken.min.z() = std::max(0.f, box.min.z() - kHangClearance);
    if (!isFree(taken, support) || (alsoFree && !isFree(*alsoFree, support)))
        return -1;
    taken_.push_back(taken);
    layout_.objects.push_back({std::move(blueprint), pose, box, wall, support});
    return int(layout_.objects.size()) - 1;
}

int Placer::door(Kind kind) {
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const int wall = random_.uniformInt(0, 3);
        const float length = wallLength(wall, layout_.size);
        Blueprint b = blueprint(kind, sampleSize(kind, random_));
        const Eigen::Vector3f size = b.size;
        if (size.x() + 0.3f > length)
            continue;
        const float along = random_.uniform(0.15f, length - size.x() - 0.15f);
        const Pose frame = wallFrame(wall, layout_.size);
        const int index = tryAdd(std::move(b), frame.then({along, 0.f, 0.f}, 0), wall, -1);
        if (index < 0)
            continue;
        layout_.door = {wall, along, along + size.x(), size.z()};
        // The door swings into the room: keep a square in front of it free.
        reserved_.push_back(frame.apply(boxOf(
            {along - 0.05f, 0.f, 0.f}, {along + size.x() + 0.05f, size.x() + 0.1f, size.z()})));
        return index;
    }
    return -1;
}

int Placer::window(Kind kind) {
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const int wall = random_.uniformInt(0, 3);
        const float length = wallLength(wall, layout_.size), elev = elevation(kind);
        Eigen::Vector3f size = sampleSize(kind, random_);
        size.z() = std::min(size.z(), layout_.size.z() - elev - 0.25f);
        Blueprint b = blueprint(kind, size);
        const float margin = kCurtainRoom + 0.05f, w = b.size.x();
        if (w + 2 * margin > length)
            continue;
        const float along = random_.uniform(margin, length - w - margin);
        const Pose frame = wallFrame(wall, layout_.size);
        const Box3 curtains =
            frame.apply(boxOf({along - kCurtainRoom, 0.f, elev},
                              {along + w + kCurtainRoom, 0.15f, elev + b.size.z()}));
        const int index =
            tryAdd(std::move(b), frame.then({along, 0.f, elev}, 0), wall, -1, &curtains);
        if (index >= 0)
            return index;
    }
    return -1;
}

int Placer::againstWall(Kind kind, bool corner) {
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const int wall = random_.uniformInt(0, 3);
        const float length = wallLength(wall, layout_.size), elev = elevation(kind);
        Blueprint b = blueprint(kind, sampleSize(kind, random_));
        const float w = b.size.x();
        if (w + 2 * kWallGap > length)
            continue;
        const float along = !corner               ? random_.uniform(kWallGap, length - w - kWallGap)
                            : random_.chance(0.5) ? kWallGap
                                                  : length - w - kWallGap;
        // Hung objects touch the wall; furniture keeps a little gap.
        const float offset = elev > 0.f ? 0.f : kWallGap;
        const Pose pose = wallFrame(wall, layout_.size).then({along, offset, elev}, 0);
        const int index = tryAdd(std::move(b), pose, wall, -1);
        if (index >= 0)
            return index;
    }
    return -1;
}

int Placer::center(Kind kind) {
    const Eigen::Vector2f room = layout_.size.head<2>();
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        Blueprint b = blueprint(kind, sampleSize(kind, random_));
        const int quarter = random_.uniformInt(0, 3);
        const Eigen::Vector2f extent = rotate(quarter, b.size.head<2>()).cwiseAbs();
        const Eigen::Vector2f middle(room.x() * random_.uniform(0.35f, 0.65f),
                                     room.y() * random_.uniform(0.35f, 0.65f));
        const Pose pose = inFrame(Pose(), quarter, middle - extent / 2, b.size, 0.f);
        const int index = tryAdd(std::move(b), pose, -1, -1);
        if (index >= 0)
            return index;
    }
    return -1;
}

int Placer::beside(Kind kind, int anchor, const Range& gap) {
    const Pose frame = layout_.objects[std::size_t(anchor)].pose;
    const float anchorWidth = layout_.objects[std::size_t(anchor)].blueprint.size.x();
    const int wall = layout_.objects[std::size_t(anchor)].wall;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        Blueprint b = blueprint(kind, sampleSize(kind, random_));
        const float g = uniform(random_, gap);
        const float x = random_.chance(0.5) ? -g - b.size.x() : anchorWidth + g;
        const int index = tryAdd(std::move(b), frame.then({x, 0.f, 0.f}, 0), wall, -1);
        if (index >= 0)
            return index;
    }
    return -1;
}

int Placer::inFront(Kind kind, int anchor, const Range& gap, bool facing, bool matchWidth) {
    const Pose frame = layout_.objects[std::size_t(anchor)].pose;
    const Eigen::Vector3f anchorSize = layout_.objects[std::size_t(anchor)].blueprint.size;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        Eigen::Vector3f size = sampleSize(kind, random_);
        if (matchWidth)
            size.x() = anchorSize.x();
        Blueprint b = blueprint(kind, size);
        const float slack = std::max(0.f, anchorSize.x() - b.size.x());
        const float x = matchWidth ? 0.f : slack * random_.uniform(0.25f, 0.75f);
        const Eigen::Vector2f footprint(x, anchorSize.y() + uniform(random_, gap));
        const Pose pose = inFrame(frame, facing ? 2 : 0, footprint, b.size, elevation(kind));
        const int index = tryAdd(std::move(b), pose, -1, -1);
        if (index >= 0)
            return index;
    }
    return -1;
}

int Placer::around(Kind kind, int anchor, const Range& gap) {
    const Box3 table = layout_.objects[std::size_t(anchor)].box;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        Blueprint b = blueprint(kind, sampleSize(kind, random_));
        // Turned by `side` quarters, an object faces the table from that side (0: from -y).
        const int side = random_.uniformInt(0, 3);
        const Eigen::Vector2f extent = rotate(side, b.size.head<2>()).cwiseAbs();
        const int axis = side % 2 ? 1 : 0; // the table edge runs along this axis
        const float low = table.min[axis], high = table.max[axis] - extent[axis];
        const float along = low <= high ? random_.uniform(low, high) : 0.5f * (low + high);
        const float g = uniform(random_, gap);
        Eigen::Vector2f min;
        min[axis] = along;
        min[1 - axis] = side < 2 ? (side == 0 ? table.min.y() - g - extent.y() : table.max.x() + g)
                                 : (side == 2 ? table.max.y() + g : table.min.x() - g - extent.x());
        const Pose pose = inFrame(Pose(), side, min, b.size, 0.f);
        const int index = tryAdd(std::move(b), pose, -1, -1);
        if (index >= 0)
            return index;
    }
    return -1;
}

int Placer::on(Kind kind, int anchor) {
    const Pose frame = layout_.objects[std::size_t(anchor)].pose;
    const Box3 top = layout_.objects[std::size_t(anchor)].blueprint.top;
    if (top.isEmpty())
        return -1;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        Blueprint b = blueprint(kind, sampleSize(kind, random_));
        const Eigen::Vector2f room = top.size().head<2>() - b.size.head<2>();
        if ((room.array() < 0.f).any())
            continue;
        const float x = top.min.x() + random_.uniform(0.f, room.x());
        const float y = top.min.y() + random_.uniform(0.f, room.y());
        const int index = tryAdd(std::move(b), frame.then({x, y, top.min.z()}, 0), -1, anchor);
        if (index >= 0)
            return index;
    }
    return -1;
}

int Placer::above(Kind kind, int anchor) {
    const PlacedObject& a = layout_.objects[std::size_t(anchor)];
    if (a.wall < 0)
        return -1;
    const int wall = a.wall;
    const float start = alongWall(a), anchorWidth = a.blueprint.size.x();
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        Blueprint b = blueprint(kind, sampleSize(kind, random_));
        const float slack = anchorWidth - b.size.x();
        const float along = start + (slack > 0.f ? random_.uniform(0.f, slack) : 0.5f * slack);
        const Pose pose = wallFrame(wall, layout_.size).then({along, 0.f, elevation(kind)}, 0);
        const int index = tryAdd(std::move(b), pose, wall, -1);
        if (index >= 0)
            return index;
    }
    return -1;
}

int Placer::windowSide(Kind kind, int window) {
    const PlacedObject& w = layout_.objects[std::size_t(window)];
    const int wall = w.wall;
    const float start = alongWall(w), width = w.blueprint.size.x(), depth = w.blueprint.size.y();
    const float top = std::min(layout_.size.z() - 0.03f, w.box.max.z() + 0.12f);
    // Low windows get floor-length curtains, the others curtains down to below the sill.
    const float bottom = w.box.min.z() < 0.9f ? 0.02f : w.box.min.z() - 0.12f;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        Eigen::Vector3f size = sampleSize(kind, random_);
        size.z() = top - bottom;
        Blueprint b = blueprint(kind, size);
        const float along =
            random_.chance(0.5) ? start - b.size.x() + 0.04f : start + width - 0.04f;
        const Pose pose = wallFrame(wall, layout_.size).then({along, depth + 0.025f, bottom}, 0);
        const int index = tryAdd(std::move(b), pose, wall, -1);
        if (index >= 0)
            return index;
    }
    return -1;
}

int Placer::underWindow(Kind kind, int window) {
    const PlacedObject& w = layout_.objects[std::size_t(window)];
    const int wall = w.wall;
    const float start = alongWall(w), width = w.blueprint.size.x(), sill = w.box.min.z();
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const float elev = elevation(kind);
        Eigen::Vector3f size = sampleSize(kind, random_);
        size.x() = std::min(size.x(), width - 0.16f); // clear of the curtains
        size.z() = std::min(size.z(), sill - elev - kHangClearance - 2 * kGap);
        if (size.z() < 0.2f)
            return -1;
        Blueprint b = blueprint(kind, size);
        const float along = start + 0.5f * (width - b.size.x());
        const Pose pose = wallFrame(wall, layout_.size).then({along, 0.03f, elev}, 0);
        const int index = tryAdd(std::move(b), pose, wall, -1);
        if (index >= 0)
            return index;
    }
    return -1;
}

} // namespace

Eigen::Vector3f Pose::apply(const Eigen::Vector3f& local) const {
    const Eigen::Vector2f xy = origin.head<2>() + rotate(quarter, local.head<2>());
    return {xy.x(), xy.y(), origin.z() + local.z()};
}

Box3 Pose::apply(const Box3& local) const {
    const Eigen::Vector3f a = apply(local.min), b = apply(local.max);
    return boxOf(a.cwiseMin(b), a.cwiseMax(b));
}

Pose Pose::then(const Eigen::Vector3f& offset, int quarterTurns) const {
    return {apply(offset), (quarter + quarterTurns) & 3};
}

Pose wallFrame(int wall, const Eigen::Vector3f& roomSize) {
    const float x = roomSize.x(), y = roomSize.y();
    const Eigen::Vector3f corners[] = {{0.f, 0.f, 0.f}, {x, 0.f, 0.f}, {x, y, 0.f}, {0.f, y, 0.f}};
    return {corners[wall], wall};
}

float wallLength(int wall, const Eigen::Vector3f& roomSize) {
    return wall % 2 ? roomSize.y() : roomSize.x();
}

RoomLayout layoutRoom(RoomType type, const Eigen::Vector3f& size, Random& random) {
    const RoomPlan& plan = roomPlan(type);
    Placer placer(size, random);
    std::vector<std::vector<int>> placed(plan.steps.size());
    for (std::size_t s = 0; s < plan.steps.size(); ++s) {
        const Step& step = plan.steps[s];
        std::vector<int> anchors{-1};
        if (step.anchor >= 0) {
            anchors = placed[std::size_t(step.anchor)];
            if (!step.eachAnchor && anchors.size() > 1)
                anchors = {random.pick(anchors)};
        }
        for (int anchor : anchors) {
            if (!random.chance(step.probability))
                continue;
            const int count = random.uniformInt(step.minCount, step.maxCount);
            for (int i = 0; i < count; ++i)
                if (const int index = placer.place(step, random.pick(step.kinds), anchor);
                    index >= 0)
                    placed[s].push_back(index);
        }
    }
    return placer.take();
}

} // namespace scenelens::synth

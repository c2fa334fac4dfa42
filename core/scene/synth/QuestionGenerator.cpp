#include "QuestionGenerator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>

namespace scenelens::synth {

namespace {

using Rules = RelationRules;

constexpr float kPi = 3.14159265358979f;

Eigen::Vector2f centerXY(const Box3& box) {
    return box.center().head<2>();
}

/// Horizontal distance between two boxes (0 when their footprints overlap).
float horizontalGap(const Box3& a, const Box3& b) {
    const Eigen::Vector2f gap = (a.min.head<2>() - b.max.head<2>())
                                    .cwiseMax(b.min.head<2>() - a.max.head<2>())
                                    .cwiseMax(Eigen::Vector2f::Zero());
    return gap.norm();
}

/// The furniture of a room (no walls or floor) and facts about it that several templates use.
class RoomFacts {
public:
    explicit RoomFacts(const SyntheticRoom& room) : room_(room) {
        for (const SynthObject& o : room.objects) {
            if (o.structural)
                continue;
            furniture_.push_back(&o);
            ++labelCount_[o.rawLabel];
        }
    }

    const std::vector<const SynthObject*>& furniture() const { return furniture_; }
    bool uniqueLabel(const SynthObject& o) const { return labelCount_.at(o.rawLabel) == 1; }
    bool onFloor(const SynthObject& o) const { return o.box.min.z() < Rules::kFloorLevel; }

    const SynthObject* byId(int id) const {
        for (const SynthObject* o : furniture_)
            if (o->objectId == id)
                return o;
        return nullptr;
    }

    std::vector<const SynthObject*> supportedBy(const SynthObject& support) const {
        std::vector<const SynthObject*> out;
        for (const SynthObject* o : furniture_)
            if (o->supportId == support.objectId)
                out.push_back(o);
        return out;
    }

    /// The one floor-standing object clearly nearest to `o` within the "next to" gap.
    const SynthObject* uniqueNeighbour(const SynthObject& o) const {
        const SynthObject* best = nullptr;
        float bestGap = 1e9f, runnerUp = 1e9f;
        for (const SynthObject* other : furniture_) {
            if (other == &o || !onFloor(*other))
                continue;
            const float gap = horizontalGap(o.box, other->box);
            if (gap < bestGap) {
                runnerUp = bestGap;
                bestGap = gap;
                best = other;
            } else {
                runnerUp = std::min(runnerUp, gap);
            }
        }
        const bool clear = bestGap < Rules::kNextToGap && runnerUp > bestGap + Rules::kNextToMargin;
        return clear && uniqueLabel(*best) ? best : nullptr;
    }

    bool inCorner(const SynthObject& o) const {
        const float d = Rules::kCornerDistance;
        const bool nearX = o.box.min.x() < d || o.box.max.x() > room_.size.x() - d;
        const bool nearY = o.box.min.y() < d || o.box.max.y() > room_.size.y() - d;
        return nearX && nearY;
    }

    /// Objects of a NYU40 class; classes named "other…" are not countable nouns.
    std::map<std::string, std::vector<const SynthObject*>> byClass() const {
        std::map<std::string, std::vector<const SynthObject*>> classes;
        for (const SynthObject* o : furniture_)
            if (o->className.rfind("other", 0) != 0)
                classes[o->className].push_back(o);
        return classes;
    }

private:
    const SyntheticRoom& room_;
    std::vector<const SynthObject*> furniture_;
    std::map<std::string, int> labelCount_;
};

/// Collects ScanQA questions with running ids.
class ScanQAWriter {
public:
    ScanQAWriter(const SyntheticRoom& room, const std::string& split)
        : room_(room), split_(split) {}

    void add(const std::string& question, const std::string& answer,
             const std::vector<const SynthObject*>& objects) {
        qa::ScanQAQuestion q;
        q.sceneId = room_.sceneId;
        q.questionId = split_ + "-" + room_.sceneId.substr(0, room_.sceneId.rfind('_')) + "-" +
                       std::to_string(questions.size());
        q.question = question;
        q.answers = {answer};
        for (const SynthObject* o : objects) {
            q.objectIds.push_back(o->objectId);
            q.objectNames.push_back(o->rawLabel);
        }
        questions.push_back(std::move(q));
    }

    std::vector<qa::ScanQAQuestion> questions;

private:
    const SyntheticRoom& room_;
    std::string split_;
};

void askAboutObject(const RoomFacts& facts, const SynthObject& o, ScanQAWriter& out) {
    const std::string& label = o.rawLabel;
    out.add("What color is the " + label + "?", o.colorName, {&o});

    const std::vector<const SynthObject*> onTop = facts.supportedBy(o);
    const bool sameLabel =
        !onTop.empty() && std::all_of(onTop.begin(), onTop.end(), [&](const SynthObject* s) {
            return s->rawLabel == onTop.front()->rawLabel;
        });
    if (sameLabel)
        out.add("What is on the " + label + "?", onTop.front()->rawLabel, onTop);

    if (const SynthObject* support = facts.byId(o.supportId)) {
        out.add("What is the " + label + " placed on?", support->rawLabel, {support});
        out.add("What is under the " + label + "?", support->rawLabel, {support});
    }

    if (!facts.onFloor(o))
        return;
    const SynthObject* neighbour = facts.uniqueNeighbour(o);
    if (neighbour)
        out.add("What is next to the " + label + "?", neighbour->rawLabel, {neighbour});
    if (facts.inCorner(o))
        out.add("Where is the " + label + "?", "in corner of room", {&o});
    else if (neighbour)
        out.add("Where is the " + label + "?", "next to " + neighbour->rawLabel, {&o});
}

// --- SQA3D ---------------------------------------------------------------------------------

struct Pose {
    Eigen::Vector2f position;
    Eigen::Vector2f heading;
};

/// Grid points of free floor: inside the room, clear of every floor-standing object's footprint.
std::vector<Eigen::Vector2f> freeFloor(const SyntheticRoom& room, const RoomFacts& facts) {
    constexpr float kStep = 0.25f, kClearance = 0.25f, kWallMargin = 0.4f;
    std::vector<Eigen::Vector2f> points;
    for (float x = kWallMargin; x <= room.size.x() - kWallMargin; x += kStep)
        for (float y = kWallMargin; y <= room.size.y() - kWallMargin; y += kStep) {
            const Eigen::Vector2f p(x, y);
            const bool blocked = std::any_of(
                facts.furniture().begin(), facts.furniture().end(), [&](const SynthObject* o) {
                    return facts.onFloor(*o) &&
                           (p.array() > o->box.min.head<2>().array() - kClearance).all() &&
                           (p.array() < o->box.max.head<2>().array() + kClearance).all();
                });
            if (!blocked)
                points.push_back(p);
        }
    return points;
}

/// True when no angle of `bearings` lies within the margin of `boundary` (degrees, either sign).
bool clearOf(const std::vector<float>& bearings, float boundary) {
    return std::none_of(bearings.begin(), bearings.end(), [boundary](float b) {
        return std::abs(std::abs(b) - boundary) < Rules::kAngleMargin;
    });
}

class Sqa3dAsker {
public:
    Sqa3dAsker(const SyntheticRoom& room, const RoomFacts& facts) : room_(room), facts_(facts) {}

    /// Questions for one pose; `situation` is already written.
    void ask(const Pose& pose, const std::string& situation, std::vector<qa::Sqa3dQuestion>& out,
             long long& nextId) const {
        auto add = [&](const std::string& type, const std::string& question,
                       const std::string& answer) {
            qa::Sqa3dQuestion q;
            q.questionId = nextId++;
            q.sceneId = room_.sceneId;
            q.situation = situation;
            q.question = question;
            q.questionType = type;
            q.answers = {answer};
            q.position = Eigen::Vector3f(pose.position.x(), pose.position.y(), 0.f);
            q.rotation = Eigen::AngleAxisf(std::atan2(pose.heading.y(), pose.heading.x()),
                                           Eigen::Vector3f::UnitZ());
            out.push_back(std::move(q));
        };
        if (const SynthObject* front = inFront(pose))
            add("front", "What is in front of me?", front->rawLabel);
        for (const SynthObject* o : facts_.furniture()) {
            if (!facts_.uniqueLabel(*o))
                continue;
            const float b = bearing(pose, *o);
            if (std::abs(b) > 30.f && std::abs(b) < 150.f)
                add("left-right", "Is the " + o->rawLabel + " on my left or right?",
                    b > 0 ? "left" : "right");
            if (clearOf({b}, 45.f) && clearOf({b}, 135.f))
                add("direction", "Which direction should I go to reach the " + o->rawLabel + "?",
                    std::abs(b) < 45.f    ? "forward"
                    : std::abs(b) > 135.f ? "backward"
                    : b > 0               ? "left"
                                          : "right");
        }
        for (const auto& [className, objects] : facts_.byClass()) {
            std::vector<float> bearings;
            for (const SynthObject* o : objects)
                bearings.push_back(bearing(pose, *o));
            const auto count =
                std::count_if(bearings.begin(), bearings.end(), [](float b) { return b > 0.f; });
            if (clearOf(bearings, 0.f) && clearOf(bearings, 180.f))
                add("count", "How many " + pluralOf(className) + " are on my left?",
                    std::to_string(count));
            const bool behind = std::any_of(bearings.begin(), bearings.end(),
                                            [](float b) { return std::abs(b) > 120.f; });
            if (clearOf(bearings, 120.f))
                add("existence", "Is there a " + className + " behind me?", behind ? "yes" : "no");
        }
    }

    float bearing(const Pose& pose, const SynthObject& o) const {
        return bearingDegrees(pose.position, pose.heading, centerXY(o.box));
    }

private:
    /// The nearest object within 25 degrees of the heading, when no other candidate competes.
    const SynthObject* inFront(const Pose& pose) const {
        std::vector<std::pair<float, const SynthObject*>> ahead;
        for (const SynthObject* o : facts_.furniture()) {
            const float b = std::abs(bearing(pose, *o));
            const float distance = (centerXY(o->box) - pose.position).norm();
            if (b < 25.f)
                ahead.emplace_back(distance, o);
            else if (b < 25.f + Rules::kAngleMargin)
                ahead.emplace_back(distance, nullptr); // too close to the cone's edge to judge
        }
        std::sort(ahead.begin(), ahead.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        if (ahead.empty() || !ahead[0].second || !facts_.uniqueLabel(*ahead[0].second))
            return nullptr;
        if (ahead.size() > 1 && ahead[1].first < ahead[0].first + 0.5f)
            return nullptr;
        return ahead[0].second;
    }

    const SyntheticRoom& room_;
    const RoomFacts& facts_;
};

} // namespace

float bearingDegrees(const Eigen::Vector2f& position, const Eigen::Vector2f& heading,
                     const Eigen::Vector2f& target) {
    const Eigen::Vector2f d = target - position;
    const float cross = heading.x() * d.y() - heading.y() * d.x();
    return std::atan2(cross, heading.dot(d)) * 180.f / kPi;
}

std::string pluralOf(const std::string& noun) {
    if (noun.size() >= 5 && noun.compare(noun.size() - 5, 5, "shelf") == 0)
        return noun.substr(0, noun.size() - 1) + "ves";
    if (!noun.empty() && noun.back() == 's')
        return noun;
    if (!noun.empty() && (noun.back() == 'x' || noun.back() == 'h'))
        return noun + "es";
    return noun + "s";
}

std::vector<qa::ScanQAQuestion> generateScanQAQuestions(const SyntheticRoom& room,
                                                        const std::string& split) {
    const RoomFacts facts(room);
    ScanQAWriter out(room, split);
    for (const SynthObject* o : facts.furniture())
        if (facts.uniqueLabel(*o))
            askAboutObject(facts, *o, out);
    for (const auto& [className, objects] : facts.byClass())
        out.add("How many " + pluralOf(className) + " are in the room?",
                std::to_string(objects.size()), objects);
    out.add("What kind of room is this?", roomTypeName(room.type), {});
    return std::move(out.questions);
}

std::vector<qa::Sqa3dQuestion> generateSqa3dQuestions(const SyntheticRoom& room, std::uint64_t seed,
                                                      long long firstId) {
    constexpr int kPoses = 3;
    constexpr float kAnchorGap = 1.0f;
    const RoomFacts facts(room);
    const std::vector<Eigen::Vector2f> floor = freeFloor(room, facts);
    std::vector<const SynthObject*> targets;
    for (const SynthObject* o : facts.furniture())
        if (facts.uniqueLabel(*o) && facts.onFloor(*o))
            targets.push_back(o);
    std::vector<qa::Sqa3dQuestion> questions;
    if (floor.empty() || targets.size() < 2)
        return questions;

    // Raw engine output only (std distributions and std::hash differ between standard libraries).
    std::uint64_t sceneHash = 1469598103934665603ull; // FNV-1a
    for (unsigned char c : room.sceneId)
        sceneHash = (sceneHash ^ c) * 1099511628211ull;
    std::mt19937_64 rng(seed ^ sceneHash);
    const Sqa3dAsker asker(room, facts);
    long long nextId = firstId;
    for (int attempt = 0, made = 0; attempt < 40 && made < kPoses; ++attempt) {
        const Eigen::Vector2f p = floor[rng() % floor.size()];
        const SynthObject* target = targets[rng() % targets.size()];
        const SynthObject* anchor = nullptr;
        float anchorGap = kAnchorGap;
        for (const SynthObject* o : targets) {
            const Box3 point{Eigen::Vector3f(p.x(), p.y(), 0.f),
                             Eigen::Vector3f(p.x(), p.y(), 0.f)};
            const float gap = horizontalGap(point, o->box);
            if (o != target && gap < anchorGap) {
                anchorGap = gap;
                anchor = o;
            }
        }
        if (!anchor)
            continue;
        const Pose pose{p, (centerXY(target->box) - p).normalized()};
        asker.ask(pose,
                  "I am standing next to the " + anchor->rawLabel + " facing the " +
                      target->rawLabel + ".",
                  questions, nextId);
        ++made;
    }
    return questions;
}

} // namespace scenelens::synth

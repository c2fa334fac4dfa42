#pragma once
// ScanQA- and SQA3D-style questions about a synthetic room whose answers follow from its geometry.
// Questions that could have two readings (a label shared by two objects, an object near the
// boundary between left and right, two equally near neighbours) are not emitted.

#include "../../qa/QuestionSets.h"
#include "SyntheticRoom.h"

#include <cstdint>
#include <string>
#include <vector>

namespace scenelens::synth {

/// Thresholds shared by the generator and its checkers: what "on", "next to" and "in a corner"
/// mean in metres, and the angular margins that keep pose-relative answers unambiguous.
struct RelationRules {
    static constexpr float kSupportGap = 0.03f;     ///< |bottom of A - top of B| for "A on B"
    static constexpr float kNextToGap = 0.6f;       ///< horizontal gap for "next to"
    static constexpr float kNextToMargin = 0.4f;    ///< the runner-up must be this much farther
    static constexpr float kCornerDistance = 0.35f; ///< from two walls for "in corner of room"
    static constexpr float kFloorLevel = 0.05f;     ///< bottom below this: stands on the floor
    static constexpr float kAngleMargin = 15.f;     ///< degrees kept clear of every boundary
};

/// ScanQA questions (what colour, how many, what is on / under / placed on, next to, where is,
/// what kind of room) with ids "<split>-<scene>-<n>".
std::vector<qa::ScanQAQuestion> generateScanQAQuestions(const SyntheticRoom& room,
                                                        const std::string& split);

/// SQA3D questions: agent poses in free floor space with a situation ("I am standing next to the
/// desk facing the bed.") and pose-dependent questions (in front, left or right, how many on my
/// left, behind me, which direction). Ids start at `firstId`.
std::vector<qa::Sqa3dQuestion> generateSqa3dQuestions(const SyntheticRoom& room, std::uint64_t seed,
                                                      long long firstId);

/// Signed angle in degrees from the agent's heading to `target` (counter-clockwise = left, +).
float bearingDegrees(const Eigen::Vector2f& position, const Eigen::Vector2f& heading,
                     const Eigen::Vector2f& target);

/// "chairs", "books", "boxes", "bookshelves".
std::string pluralOf(const std::string& noun);

} // namespace scenelens::synth

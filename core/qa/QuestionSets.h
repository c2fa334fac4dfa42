#pragma once
// ScanQA and SQA3D question files: the records SceneLens reads, writes and evaluates, in the
// JSON shapes of the public releases (ScanQA_v1.0_*.json; SQA3D's v1_balanced_questions_* and
// v1_balanced_sqa_annotations_*).

#include <Eigen/Core>
#include <Eigen/Geometry>

#include <string>
#include <vector>

namespace scenelens::qa {

/// One ScanQA question: `object_ids` are ScanNet objectIds of the objects the question is about.
struct ScanQAQuestion {
    std::string questionId; ///< e.g. "val-scene0011-0"
    std::string sceneId;
    std::string question;
    std::vector<std::string> answers;
    std::vector<int> objectIds;
    std::vector<std::string> objectNames;
};

/// Where an SQA3D agent stands and which way it faces, in the scene's aligned frame.
struct AgentPose {
    Eigen::Vector3f position = Eigen::Vector3f::Zero();
    /// The agent faces rotation * (1, 0, 0) with z up.
    Eigen::Quaternionf rotation = Eigen::Quaternionf::Identity();
};

/// The rotation of an agent standing upright and facing `yaw` radians counter-clockwise from +x.
Eigen::Quaternionf headingRotation(float yaw);
/// The yaw (radians, -pi..pi) of the direction an agent with `rotation` faces, projected on the
/// floor.
float headingOf(const Eigen::Quaternionf& rotation);

/// Writes a pose as SQA3D's annotations hold it: {"position": {"x", "y", "z"}, "rotation":
/// {"_w", "_x", "_y", "_z"}}.
void writeAgentPose(const std::string& path, const AgentPose& pose);
/// Reads such a file, or one SQA3D annotation entry (it has the same keys); throws FileError naming
/// the key at fault.
AgentPose readAgentPose(const std::string& path);

/// One SQA3D question with its situation and the agent's pose in the scene's aligned frame.
struct Sqa3dQuestion {
    long long questionId = 0;
    std::string sceneId;
    std::string situation;
    std::string question;
    std::string questionType; ///< SceneLens' own tag of the template, e.g. "left-right"
    std::vector<std::string> answers;
    Eigen::Vector3f position = Eigen::Vector3f::Zero();
    /// The agent faces rotation * (1, 0, 0) with z up.
    Eigen::Quaternionf rotation = Eigen::Quaternionf::Identity();
};

/// Writes / reads a ScanQA list; reading throws FileError naming the entry and field at fault.
void writeScanQA(const std::string& path, const std::vector<ScanQAQuestion>& questions);
std::vector<ScanQAQuestion> readScanQA(const std::string& path);

/// Writes the two SQA3D files (questions with situations; annotations with answers and poses).
void writeSqa3d(const std::string& questionsPath, const std::string& annotationsPath,
                const std::vector<Sqa3dQuestion>& questions);
/// Reads and joins them by question_id; throws FileError for malformed entries or ids present
/// in one file only.
std::vector<Sqa3dQuestion> readSqa3d(const std::string& questionsPath,
                                     const std::string& annotationsPath);

} // namespace scenelens::qa

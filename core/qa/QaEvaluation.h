#pragma once
// Batch evaluation of a qa bundle on a ScanQA or SQA3D question file: every question whose scene
// folder is present is answered (scene by scene, each scene read once), the rest are counted as
// skipped, and the answers are scored with the metrics of QaMetrics.h.

#include "../Progress.h"
#include "QaMetrics.h"
#include "QuestionSets.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace scenelens {
class QaModel;
}

namespace scenelens::qa {

enum class QuestionStyle { ScanQA, Sqa3d };

/// One question of either set, as the evaluation runs it.
struct EvalQuestion {
    std::string questionId; ///< ScanQA's id, or SQA3D's integer id in decimal
    std::string sceneId;
    std::string question;
    std::string situation; ///< SQA3D only
    std::vector<std::string> answers;
    std::vector<int> objectIds; ///< ScanQA only
};

std::vector<EvalQuestion> evalQuestions(const std::vector<ScanQAQuestion>& questions);
std::vector<EvalQuestion> evalQuestions(const std::vector<Sqa3dQuestion>& questions);

/// The 8 corners of an axis-aligned box, ScanQA's `bbox`.
using BoxCorners = std::array<std::array<float, 3>, 8>;

/// Corners of the box with `centre` and `size` (metres): the four at +z/2, then the four at -z/2,
/// each four in the order (+x,+y), (+x,-y), (-x,-y), (-x,+y) of half sizes (ScanRefer's
/// construct_bbox_corners, which ScanQA's boxes follow).
BoxCorners boxCorners(const std::array<float, 3>& centre, const std::array<float, 3>& size);

/// One answered question.
struct QaPrediction {
    std::string sceneId;
    std::string questionId;
    std::vector<std::string> answers; ///< top-k, most probable first
    BoxCorners bbox{};                ///< the box of the model's top object
    int matchedObjectId = -1;         ///< annotated object that box overlaps best (-1: none)
};

struct QaEvaluationOptions {
    std::string scansDir;       ///< holds one folder per scene, named by its scene id
    std::string labelTablePath; ///< scannetv2-labels.combined.tsv; empty: found beside scenes
    int topK = 10;
    std::uint64_t seed = 0; ///< point sampling seed, the same for every scene
    int batchSize = 8;
};

struct QaEvaluation {
    QuestionStyle style = QuestionStyle::ScanQA;
    std::size_t questionsRead = 0;
    std::size_t scenesRead = 0; ///< distinct scene ids among the questions
    std::size_t questionsRun = 0;
    std::size_t scenesRun = 0;
    std::size_t questionsSkipped = 0;       ///< their scene folder is missing
    std::vector<std::string> missingScenes; ///< sorted
    std::size_t questionsScored = 0;        ///< run questions that have reference answers
    std::vector<QaPrediction> predictions;  ///< run questions, in the order of the file
    std::optional<ScanQAScores> scanQA;     ///< ScanQA style, when a question was scored
    std::optional<SqaAccuracy> sqa;         ///< SQA3D style, when a question was scored
    /// ScanQA style: run questions with object ids, and those whose top object's match is one
    /// of them.
    AccuracyCount objectMatch;
};

/// Answers every question whose scene folder `options.scansDir/<scene_id>` holds a ScanNet scene
/// and scores the answers. Throws FileError for an unreadable scans folder or scene, and
/// Cancelled through `progress` (checked between batches and scenes).
QaEvaluation evaluateQa(const QaModel& model, const std::vector<EvalQuestion>& questions,
                        QuestionStyle style, const QaEvaluationOptions& options,
                        ProgressSink* progress = nullptr);

/// Writes ScanQA's pred.<split>.json shape: a list of {scene_id, question_id, answer_top10,
/// bbox, matched_object_id} (SQA3D ids as integers). Throws FileError when it cannot write.
void writePredictions(const std::string& path, const QaEvaluation& evaluation);

} // namespace scenelens::qa

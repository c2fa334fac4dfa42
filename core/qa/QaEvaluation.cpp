#include "QaEvaluation.h"

#include "../Error.h"
#include "../ml/QaModel.h"
#include "../scene/ScanNetSceneReader.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

namespace scenelens::qa {

namespace {

namespace fs = std::filesystem;

/// Question indices per scene id, scenes sorted by id.
std::map<std::string, std::vector<std::size_t>>
questionsByScene(const std::vector<EvalQuestion>& questions) {
    std::map<std::string, std::vector<std::size_t>> byScene;
    for (std::size_t i = 0; i < questions.size(); ++i)
        byScene[questions[i].sceneId].push_back(i);
    return byScene;
}

QaPrediction predictionOf(const EvalQuestion& question, const QaResult& result) {
    QaPrediction prediction;
    prediction.sceneId = question.sceneId;
    prediction.questionId = question.questionId;
    for (const QaAnswer& answer : result.answers)
        prediction.answers.push_back(answer.text);
    if (!result.objects.empty()) {
        const QaObject& top = result.objects.front();
        prediction.bbox =
            boxCorners({top.box[0], top.box[1], top.box[2]}, {top.box[3], top.box[4], top.box[5]});
        prediction.matchedObjectId = top.match.objectId;
    }
    return prediction;
}

/// Answers the questions `indices` of one scene; predictions land at their question's index.
void answerScene(const QaModel& model, const Scene& scene,
                 const std::vector<EvalQuestion>& questions,
                 const std::vector<std::size_t>& indices, const QaEvaluationOptions& options,
                 ProgressSink* progress, std::vector<std::optional<QaPrediction>>& predictions) {
    std::vector<QaQuestion> asked;
    for (std::size_t index : indices)
        asked.push_back({&scene, questions[index].question, questions[index].situation});
    const std::vector<QaResult> results =
        model.askAll(asked, options.topK, options.seed, progress, options.batchSize);
    for (std::size_t i = 0; i < indices.size(); ++i)
        predictions[indices[i]] = predictionOf(questions[indices[i]], results[i]);
}

/// Scores the predictions; runIndices[i] is the question of evaluation.predictions[i].
void score(QaEvaluation& evaluation, const std::vector<EvalQuestion>& questions,
           const std::vector<std::size_t>& runIndices) {
    std::vector<std::vector<std::string>> ranked, references;
    std::vector<std::string> texts, top;
    for (std::size_t i = 0; i < runIndices.size(); ++i) {
        const QaPrediction& prediction = evaluation.predictions[i];
        const EvalQuestion& question = questions[runIndices[i]];
        if (!question.objectIds.empty()) {
            ++evaluation.objectMatch.questions;
            evaluation.objectMatch.correct +=
                std::count(question.objectIds.begin(), question.objectIds.end(),
                           prediction.matchedObjectId) > 0;
        }
        // The test split without objects has no answers to score against.
        if (question.answers.empty())
            continue;
        ranked.push_back(prediction.answers);
        references.push_back(question.answers);
        texts.push_back(question.question);
        top.push_back(prediction.answers.empty() ? std::string() : prediction.answers.front());
    }
    evaluation.questionsScored = ranked.size();
    if (ranked.empty())
        return;
    if (evaluation.style == QuestionStyle::ScanQA)
        evaluation.scanQA = scanQAScores(ranked, references);
    else
        evaluation.sqa = sqaAccuracy(texts, top, references);
}

} // namespace

std::vector<EvalQuestion> evalQuestions(const std::vector<ScanQAQuestion>& questions) {
    std::vector<EvalQuestion> out;
    for (const ScanQAQuestion& q : questions)
        out.push_back({q.questionId, q.sceneId, q.question, {}, q.answers, q.objectIds});
    return out;
}

std::vector<EvalQuestion> evalQuestions(const std::vector<Sqa3dQuestion>& questions) {
    std::vector<EvalQuestion> out;
    for (const Sqa3dQuestion& q : questions)
        out.push_back(
            {std::to_string(q.questionId), q.sceneId, q.question, q.situation, q.answers, {}});
    return out;
}

BoxCorners boxCorners(const std::array<float, 3>& centre, const std::array<float, 3>& size) {
    static const float kSigns[8][3] = {{1, 1, 1},  {1, -1, 1},  {-1, -1, 1},  {-1, 1, 1},
                                       {1, 1, -1}, {1, -1, -1}, {-1, -1, -1}, {-1, 1, -1}};
    BoxCorners corners{};
    for (std::size_t c = 0; c < 8; ++c)
        for (std::size_t axis = 0; axis < 3; ++axis)
            corners[c][axis] = centre[axis] + kSigns[c][axis] * size[axis] / 2.f;
    return corners;
}

QaEvaluation evaluateQa(const QaModel& model, const std::vector<EvalQuestion>& questions,
                        QuestionStyle style, const QaEvaluationOptions& options,
                        ProgressSink* progress) {
    std::error_code error;
    if (!fs::is_directory(options.scansDir, error))
        throw FileError(options.scansDir, "",
                        "no such folder: expected a folder of ScanNet scene folders named by "
                        "scene id");
    QaEvaluation evaluation;
    evaluation.style = style;
    evaluation.questionsRead = questions.size();
    const auto byScene = questionsByScene(questions);
    evaluation.scenesRead = byScene.size();

    std::vector<std::pair<std::string, const std::vector<std::size_t>*>> present;
    for (const auto& [sceneId, indices] : byScene) {
        const std::string folder = (fs::path(options.scansDir) / sceneId).string();
        if (isScanNetSceneFolder(folder)) {
            present.emplace_back(folder, &indices);
            evaluation.questionsRun += indices.size();
        } else {
            evaluation.missingScenes.push_back(sceneId);
            evaluation.questionsSkipped += indices.size();
        }
    }
    evaluation.scenesRun = present.size();

    ScanNetSceneReader::Options readerOptions;
    readerOptions.labelTablePath = options.labelTablePath;
    const ScanNetSceneReader reader(readerOptions);
    std::vector<std::optional<QaPrediction>> predictions(questions.size());
    std::size_t done = 0;
    const double total = double(std::max<std::size_t>(1, evaluation.questionsRun));
    for (const auto& [folder, indices] : present) {
        checkpoint(progress, "answering questions", double(done) / total);
        const Scene scene = reader.read(folder);
        ProgressRange range(progress, double(done) / total, double(done + indices->size()) / total);
        answerScene(model, scene, questions, *indices, options, &range, predictions);
        done += indices->size();
    }
    std::vector<std::size_t> runIndices;
    for (std::size_t i = 0; i < predictions.size(); ++i)
        if (predictions[i]) {
            evaluation.predictions.push_back(std::move(*predictions[i]));
            runIndices.push_back(i);
        }
    score(evaluation, questions, runIndices);
    return evaluation;
}

void writePredictions(const std::string& path, const QaEvaluation& evaluation) {
    nlohmann::json list = nlohmann::json::array();
    for (const QaPrediction& p : evaluation.predictions) {
        nlohmann::json id = p.questionId;
        if (evaluation.style == QuestionStyle::Sqa3d)
            id = std::stoll(p.questionId);
        list.push_back({{"scene_id", p.sceneId},
                        {"question_id", id},
                        {"answer_top10", p.answers},
                        {"bbox", p.bbox},
                        {"matched_object_id", p.matchedObjectId}});
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const std::string text = list.dump(1, '\t') + "\n";
    if (!out || !out.write(text.data(), std::streamsize(text.size())))
        throw FileError(path, "", "cannot write the predictions");
}

} // namespace scenelens::qa

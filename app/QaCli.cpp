// eval-qa: a qa bundle answers a ScanQA or SQA3D question file over a folder of scenes; the
// counts, the metrics (QaMetrics.h) and ScanQA-shaped predictions come out.

#include "Cli.h"
#include "CliSupport.h"

#include "ml/ModelBundle.h"
#include "ml/QaModel.h"
#include "ml/TorchModule.h"
#include "qa/QaEvaluation.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace scenelens::cli {

namespace {

using nlohmann::json;

constexpr const char* kMeteorNote = "not computed (needs Java)";

/// Reports print the metrics in percent, as ScanQA's score.py does (CIDEr-D included).
double percent(double fraction) {
    return 100.0 * fraction;
}

std::vector<qa::EvalQuestion> readQuestions(const Arguments& args) {
    const std::string questions = required(args, "--questions");
    if (const auto annotations = args.value("--annotations"))
        return qa::evalQuestions(qa::readSqa3d(questions, *annotations));
    return qa::evalQuestions(qa::readScanQA(questions));
}

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const std::string& item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

/// Accuracy is null for a type without questions.
json countJson(const qa::AccuracyCount& count) {
    return {{"questions", count.questions},
            {"correct", count.correct},
            {"accuracy", count.questions ? json(percent(count.accuracy())) : json(nullptr)}};
}

json metricsJson(const qa::QaEvaluation& evaluation) {
    if (evaluation.scanQA) {
        const qa::ScanQAScores& s = *evaluation.scanQA;
        return {{"em@1", percent(s.exactMatch1)},
                {"em@10", percent(s.exactMatch10)},
                {"bleu-1", percent(s.bleu[0])},
                {"bleu-2", percent(s.bleu[1])},
                {"bleu-3", percent(s.bleu[2])},
                {"bleu-4", percent(s.bleu[3])},
                {"rouge-l", percent(s.rougeL)},
                {"cider", percent(s.cider)},
                {"meteor", nullptr},
                {"meteor_note", kMeteorNote}};
    }
    if (evaluation.sqa) {
        json perType = json::object();
        for (std::size_t t = 0; t < qa::kSqaQuestionTypes; ++t)
            perType[qa::sqaQuestionTypeName(qa::SqaQuestionType(t))] =
                countJson(evaluation.sqa->perType[t]);
        return {{"overall", countJson(evaluation.sqa->overall)}, {"per_type", perType}};
    }
    return nullptr;
}

json evaluationJson(const qa::QaEvaluation& evaluation, const QaModel& model,
                    const Arguments& args) {
    const bool scanQA = evaluation.style == qa::QuestionStyle::ScanQA;
    json out = {{"style", scanQA ? "scanqa" : "sqa3d"},
                {"model", model.manifest().name},
                {"bundle", model.manifest().directory},
                {"device", model.module().runtime().device},
                {"questions_file", required(args, "--questions")},
                {"scans", required(args, "--scans")},
                {"questions_read", evaluation.questionsRead},
                {"scenes_read", evaluation.scenesRead},
                {"questions_run", evaluation.questionsRun},
                {"scenes_run", evaluation.scenesRun},
                {"questions_skipped", evaluation.questionsSkipped},
                {"missing_scenes", evaluation.missingScenes},
                {"questions_scored", evaluation.questionsScored},
                {"scale", "percent"},
                {"metrics", metricsJson(evaluation)},
                {"predictions", args.value("--out") ? json(*args.value("--out")) : json(nullptr)}};
    if (const auto annotations = args.value("--annotations"))
        out["annotations_file"] = *annotations;
    if (scanQA)
        out["object_match"] = countJson(evaluation.objectMatch);
    return out;
}

/// "1 scene", "2 scenes".
std::string counted(std::size_t count, const char* noun) {
    return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

void printCounts(const qa::QaEvaluation& e, const std::string& scans) {
    std::printf("read %s about %s; ran %s on %s", counted(e.questionsRead, "question").c_str(),
                counted(e.scenesRead, "scene").c_str(), counted(e.questionsRun, "question").c_str(),
                counted(e.scenesRun, "scene").c_str());
    if (e.questionsSkipped > 0)
        std::printf("; %s skipped: their scenes are missing from %s: %s",
                    counted(e.questionsSkipped, "question").c_str(), scans.c_str(),
                    joined(e.missingScenes).c_str());
    std::printf("\n");
}

void printRow(const char* name, double value) {
    std::printf("  %-9s %7.2f\n", (std::string(name) + ":").c_str(), value);
}

void printScanQA(const qa::QaEvaluation& e) {
    const qa::ScanQAScores& s = *e.scanQA;
    std::printf("\nScanQA metrics on %zu questions with answers (percent; BLEU, ROUGE-L and CIDEr "
                "score the top answer, CIDEr is pycocoevalcap's CIDEr-D):\n",
                e.questionsScored);
    printRow("EM@1", percent(s.exactMatch1));
    printRow("EM@10", percent(s.exactMatch10));
    const char* bleuNames[] = {"BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4"};
    for (std::size_t n = 0; n < 4; ++n)
        printRow(bleuNames[n], percent(s.bleu[n]));
    printRow("ROUGE-L", percent(s.rougeL));
    printRow("CIDEr", percent(s.cider));
    std::printf("  %-9s %s\n", "METEOR:", kMeteorNote);
    if (e.objectMatch.questions > 0)
        std::printf("\ntop object is one of the question's objects: %zu of %zu (%.2f%%)\n",
                    e.objectMatch.correct, e.objectMatch.questions,
                    percent(e.objectMatch.accuracy()));
}

void printSqa(const qa::QaEvaluation& e) {
    std::printf("\nSQA3D accuracy on %zu questions with answers (the top answer matches):\n",
                e.questionsScored);
    std::printf("  %-8s %9s %8s %9s\n", "type", "questions", "correct", "accuracy");
    auto row = [](const char* name, const qa::AccuracyCount& count) {
        if (count.questions == 0)
            std::printf("  %-8s %9zu %8zu %9s\n", name, count.questions, count.correct, "-");
        else
            std::printf("  %-8s %9zu %8zu %8.2f%%\n", name, count.questions, count.correct,
                        percent(count.accuracy()));
    };
    for (std::size_t t = 0; t < qa::kSqaQuestionTypes; ++t)
        row(qa::sqaQuestionTypeName(qa::SqaQuestionType(t)), e.sqa->perType[t]);
    row("overall", e.sqa->overall);
}

void printEvaluation(const qa::QaEvaluation& e, const QaModel& model, const std::string& scans) {
    std::printf("%s on %s\n", model.manifest().name.c_str(),
                model.module().runtime().device.c_str());
    printCounts(e, scans);
    if (e.scanQA)
        printScanQA(e);
    else if (e.sqa)
        printSqa(e);
    else
        std::printf("no metrics: none of the questions that ran has reference answers\n");
}

} // namespace

int runEvalQa(int argc, char** argv) {
    return guarded("eval-qa", [&] {
        const Arguments args = parse(argc, argv,
                                     {"--bundle", "--questions", "--annotations", "--scans",
                                      "--out", "--top-k", "--device", "--seed", "--labels"},
                                     {"--json"});
        qa::QaEvaluationOptions options;
        options.scansDir = required(args, "--scans");
        options.labelTablePath = args.value("--labels").value_or("");
        options.topK = int(parseCount(args.value("--top-k").value_or("10"), "--top-k", 100000));
        options.seed = seedOf(args);
        const qa::QuestionStyle style =
            args.value("--annotations") ? qa::QuestionStyle::Sqa3d : qa::QuestionStyle::ScanQA;
        const std::vector<qa::EvalQuestion> questions = readQuestions(args);
        const QaModel model(loadBundle("eval-qa", args, BundleKind::Qa));
        qa::QaEvaluation evaluation;
        {
            ConsoleProgress progress;
            evaluation = qa::evaluateQa(model, questions, style, options, &progress);
        }
        if (const auto out = args.value("--out"))
            qa::writePredictions(*out, evaluation);
        if (args.flag("--json")) {
            std::cout << evaluationJson(evaluation, model, args).dump(2) << '\n';
            return 0;
        }
        printEvaluation(evaluation, model, options.scansDir);
        if (const auto out = args.value("--out"))
            std::printf("\nwrote %s (%zu predictions)\n", out->c_str(),
                        evaluation.predictions.size());
        return 0;
    });
}

} // namespace scenelens::cli

// scenelens eval-qa as a real process with modelkit's tiny qa and sqa bundles (fixture
// tiny_bundles) on a synthetic dataset of three scenes, one of whose folders is deleted: the
// counts and the missing scene, the predictions file, metrics that the core functions recompute
// from that file, SQA3D accuracy per question type, cancellation between batches (core's
// evaluateQa called directly), and the errors for bad input.

#include "CliRunner.h"
#include "ErrorText.h"

#include "Error.h"
#include "ml/QaModel.h"
#include "qa/QaEvaluation.h"
#include "qa/QaMetrics.h"
#include "qa/QuestionSets.h"
#include "scene/synth/SyntheticDataset.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

using nlohmann::json;
using scenelens::test::runScenelens;
using Run = scenelens::test::CliRun;
using Strings = std::vector<std::string>;

namespace {

QString bundle(const QString& name) {
    return QStringLiteral(SCENELENS_TINY_BUNDLES "/") + name;
}

json parseJson(const QString& text) {
    try {
        return json::parse(text.toStdString());
    } catch (const json::exception&) {
        QTest::qFail(qPrintable("not JSON: " + text.left(400)), __FILE__, __LINE__);
    }
    return json();
}

json readJsonFile(const QString& path) {
    std::ifstream in(path.toStdString());
    return json::parse(in);
}

bool near(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

/// Questions per scene the test asks: enough for every kind of question, few enough to run fast.
constexpr std::size_t kQuestionsPerScene = 16;

/// The first kQuestionsPerScene questions of each scene, from every split of a synthetic
/// dataset's `questions` folder.
template <typename Question, typename Read>
std::vector<Question> allSplits(const QString& folder, Read&& read) {
    std::vector<Question> kept;
    std::map<std::string, std::size_t> perScene;
    for (const char* split : {"train", "val", "test"})
        for (const Question& question : read(folder, QString(split)))
            if (perScene[question.sceneId]++ < kQuestionsPerScene)
                kept.push_back(question);
    return kept;
}

} // namespace

class TestQaCli : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString scans_;
    QString scanQAPath_, sqaQuestionsPath_, sqaAnnotationsPath_;
    std::vector<scenelens::qa::ScanQAQuestion> scanQA_;
    std::vector<scenelens::qa::Sqa3dQuestion> sqa_;
    std::string missingScene_;

    /// Questions per scene id in `questions`.
    template <typename Question>
    static std::map<std::string, std::size_t> countByScene(const std::vector<Question>& questions) {
        std::map<std::string, std::size_t> counts;
        for (const Question& q : questions)
            ++counts[q.sceneId];
        return counts;
    }

    /// Checks the counts of an eval-qa --json report against the question list.
    template <typename Question>
    void checkCounts(const json& report, const std::vector<Question>& questions) {
        const std::map<std::string, std::size_t> byScene = countByScene(questions);
        QCOMPARE(byScene.size(), std::size_t(3));
        const std::size_t missing = byScene.at(missingScene_);
        QVERIFY(missing > 0);
        QCOMPARE(report["questions_read"].get<std::size_t>(), questions.size());
        QCOMPARE(report["scenes_read"].get<std::size_t>(), std::size_t(3));
        QCOMPARE(report["questions_run"].get<std::size_t>(), questions.size() - missing);
        QCOMPARE(report["scenes_run"].get<std::size_t>(), std::size_t(2));
        QCOMPARE(report["questions_skipped"].get<std::size_t>(), missing);
        QCOMPARE(report["missing_scenes"].get<Strings>(), Strings{missingScene_});
        QCOMPARE(report["questions_scored"].get<std::size_t>(), questions.size() - missing);
    }

    /// Checks the shape of a predictions file: one entry per question of a present scene, each
    /// with 10 answers and an 8 x 3 box; fills `byId` with the entries by question id.
    void checkPredictions(const QString& path, const std::map<std::string, std::string>& scenes,
                          std::map<std::string, json>& byId) {
        const json predictions = readJsonFile(path);
        for (const json& p : predictions) {
            const std::string id = p["question_id"].is_string()
                                       ? p["question_id"].get<std::string>()
                                       : std::to_string(p["question_id"].get<long long>());
            byId[id] = p;
            if (!scenes.count(id) || scenes.at(id) != p["scene_id"].get<std::string>())
                QTest::qFail(qPrintable(QString::fromStdString("unexpected prediction " + id)),
                             __FILE__, __LINE__);
            QCOMPARE(p["answer_top10"].size(), std::size_t(10));
            QCOMPARE(p["bbox"].size(), std::size_t(8));
            for (const json& corner : p["bbox"])
                QCOMPARE(corner.size(), std::size_t(3));
        }
        QCOMPARE(byId.size(), predictions.size()); // each question once
        std::size_t expected = 0;
        for (const auto& entry : scenes)
            expected += entry.second != missingScene_;
        QCOMPARE(byId.size(), expected);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        scenelens::synth::DatasetOptions options;
        options.outDir = dir_.filePath("data").toStdString();
        options.scenes = 3;
        options.seed = 7;
        const scenelens::synth::DatasetSummary summary =
            scenelens::synth::writeSyntheticDataset(options);
        const QString questions = dir_.filePath("data/questions/");
        scanQA_ = allSplits<scenelens::qa::ScanQAQuestion>(
            questions, [](const QString& folder, const QString& split) {
                return scenelens::qa::readScanQA(
                    (folder + "ScanQA_v1.0_" + split + ".json").toStdString());
            });
        sqa_ = allSplits<scenelens::qa::Sqa3dQuestion>(
            questions, [](const QString& folder, const QString& split) {
                return scenelens::qa::readSqa3d(
                    (folder + "v1_balanced_questions_" + split + "_scannetv2.json").toStdString(),
                    (folder + "v1_balanced_sqa_annotations_" + split + "_scannetv2.json")
                        .toStdString());
            });
        scanQAPath_ = dir_.filePath("scanqa_all.json");
        sqaQuestionsPath_ = dir_.filePath("sqa_questions.json");
        sqaAnnotationsPath_ = dir_.filePath("sqa_annotations.json");
        scenelens::qa::writeScanQA(scanQAPath_.toStdString(), scanQA_);
        scenelens::qa::writeSqa3d(sqaQuestionsPath_.toStdString(),
                                  sqaAnnotationsPath_.toStdString(), sqa_);
        // The val scene's folder goes: its questions must be counted as skipped.
        QCOMPARE(summary.val.size(), std::size_t(1));
        missingScene_ = summary.val.front();
        scans_ = dir_.filePath("data/scans");
        QVERIFY(QDir(scans_ + "/" + QString::fromStdString(missingScene_)).removeRecursively());
    }

    void evaluatesScanQAAsJson() {
        const QString out = dir_.filePath("pred.val.json");
        const Run run = runScenelens({"eval-qa", "--bundle", bundle("qa"), "--questions",
                                      scanQAPath_, "--scans", scans_, "--out", out, "--json",
                                      "--device", "cpu", "--seed", "3"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const json report = parseJson(run.out);
        QCOMPARE(report["style"].get<std::string>(), std::string("scanqa"));
        checkCounts(report, scanQA_);
        if (QTest::currentTestFailed())
            return;

        std::map<std::string, std::string> scenes;
        std::map<std::string, const scenelens::qa::ScanQAQuestion*> byId;
        for (const scenelens::qa::ScanQAQuestion& q : scanQA_) {
            scenes[q.questionId] = q.sceneId;
            byId[q.questionId] = &q;
        }
        std::map<std::string, json> predictions;
        checkPredictions(out, scenes, predictions);
        if (QTest::currentTestFailed())
            return;

        // The metrics recomputed from the file with the core functions are the printed ones.
        std::vector<Strings> ranked, references;
        scenelens::qa::AccuracyCount objects;
        for (const auto& [id, prediction] : predictions) {
            ranked.push_back(prediction["answer_top10"].get<Strings>());
            references.push_back(byId.at(id)->answers);
            const std::vector<int>& ids = byId.at(id)->objectIds;
            if (ids.empty())
                continue;
            ++objects.questions;
            objects.correct +=
                std::count(ids.begin(), ids.end(), prediction["matched_object_id"].get<int>()) > 0;
        }
        const scenelens::qa::ScanQAScores scores = scenelens::qa::scanQAScores(ranked, references);
        const json& metrics = report["metrics"];
        const std::map<std::string, double> expected = {
            {"em@1", scores.exactMatch1}, {"em@10", scores.exactMatch10},
            {"bleu-1", scores.bleu[0]},   {"bleu-2", scores.bleu[1]},
            {"bleu-3", scores.bleu[2]},   {"bleu-4", scores.bleu[3]},
            {"rouge-l", scores.rougeL},   {"cider", scores.cider}};
        for (const auto& [name, value] : expected)
            QVERIFY2(near(metrics[name].get<double>(), 100.0 * value), name.c_str());
        QVERIFY(metrics["meteor"].is_null());
        QCOMPARE(metrics["meteor_note"].get<std::string>(),
                 std::string("not computed (needs Java)"));
        QCOMPARE(report["object_match"]["questions"].get<std::size_t>(), objects.questions);
        QCOMPARE(report["object_match"]["correct"].get<std::size_t>(), objects.correct);
        QVERIFY(objects.questions > 0);
    }

    void reproducesTheDemoBundlesSliceMetrics() {
        // The committed demo bundles on the demo data's test scenes: eval-qa gives the numbers
        // modelkit recorded for them (resources/models/slice-metrics.json) within 0.02.
        const QString models = QStringLiteral(SCENELENS_DEMO_MODELS);
        const QString slice = QStringLiteral(SCENELENS_DEMO_SLICE);
        if (!QFileInfo::exists(models + "/slice-metrics.json"))
            QSKIP("the demo bundles are not in resources/models");
        const json recorded = readJsonFile(models + "/slice-metrics.json");
        const QString questions = slice + "/questions/";
        const Run scanqa = runScenelens({"eval-qa", "--bundle", models + "/qa", "--questions",
                                         questions + "ScanQA_v1.0_test.json", "--scans",
                                         slice + "/scans", "--json", "--device", "cpu"});
        QVERIFY2(scanqa.exitCode == 0, qPrintable(scanqa.err));
        const json qa = parseJson(scanqa.out);
        QCOMPARE(qa["questions_run"].get<int>(), recorded["qa_questions"].get<int>());
        QVERIFY2(std::abs(qa["metrics"]["em@1"].get<double>() / 100 -
                          recorded["qa_em1"].get<double>()) <= 0.02,
                 qa["metrics"].dump().c_str());
        QVERIFY(std::abs(qa["metrics"]["em@10"].get<double>() / 100 -
                         recorded["qa_em10"].get<double>()) <= 0.02);

        const Run sqa =
            runScenelens({"eval-qa", "--bundle", models + "/sqa", "--questions",
                          questions + "v1_balanced_questions_test_scannetv2.json", "--annotations",
                          questions + "v1_balanced_sqa_annotations_test_scannetv2.json", "--scans",
                          slice + "/scans", "--json", "--device", "cpu"});
        QVERIFY2(sqa.exitCode == 0, qPrintable(sqa.err));
        const json situated = parseJson(sqa.out);
        QCOMPARE(situated["questions_run"].get<int>(), recorded["sqa_questions"].get<int>());
        QVERIFY2(std::abs(situated["metrics"]["overall"]["accuracy"].get<double>() / 100 -
                          recorded["sqa_acc"].get<double>()) <= 0.02,
                 situated["metrics"].dump().c_str());
    }

    void printsScanQATable() {
        const Run run = runScenelens({"eval-qa", "--bundle", bundle("qa"), "--questions",
                                      scanQAPath_, "--scans", scans_, "--device", "cpu"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const std::map<std::string, std::size_t> byScene = countByScene(scanQA_);
        const std::size_t missing = byScene.at(missingScene_);
        const QString counts =
            QString("read %1 questions about 3 scenes; ran %2 questions on 2 scenes; %3 questions "
                    "skipped: their scenes are missing from %4: %5")
                .arg(scanQA_.size())
                .arg(scanQA_.size() - missing)
                .arg(missing)
                .arg(scans_, QString::fromStdString(missingScene_));
        VERIFY_CONTAINS(run.out, counts);
        for (const char* row : {"EM@1:", "EM@10:", "BLEU-1:", "BLEU-4:", "ROUGE-L:", "CIDEr:"})
            VERIFY_CONTAINS(run.out, QString("  ") + row);
        VERIFY_CONTAINS(run.out, "METEOR:   not computed (needs Java)");
    }

    void evaluatesSqa3dPerQuestionType() {
        const QString out = dir_.filePath("pred.sqa.json");
        const QStringList base = {"eval-qa",
                                  "--bundle",
                                  bundle("sqa"),
                                  "--questions",
                                  sqaQuestionsPath_,
                                  "--annotations",
                                  sqaAnnotationsPath_,
                                  "--scans",
                                  scans_,
                                  "--device",
                                  "cpu"};
        const Run run = runScenelens(base + QStringList{"--out", out, "--json"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const json report = parseJson(run.out);
        QCOMPARE(report["style"].get<std::string>(), std::string("sqa3d"));
        checkCounts(report, sqa_);
        if (QTest::currentTestFailed())
            return;

        std::map<std::string, std::string> scenes;
        std::map<std::string, const scenelens::qa::Sqa3dQuestion*> byId;
        for (const scenelens::qa::Sqa3dQuestion& q : sqa_) {
            scenes[std::to_string(q.questionId)] = q.sceneId;
            byId[std::to_string(q.questionId)] = &q;
        }
        std::map<std::string, json> predictions;
        checkPredictions(out, scenes, predictions);
        if (QTest::currentTestFailed())
            return;
        for (const json& p : readJsonFile(out))
            QVERIFY(p["question_id"].is_number_integer()); // SQA3D's ids stay integers

        Strings questions, top;
        std::vector<Strings> references;
        for (const auto& [id, prediction] : predictions) {
            questions.push_back(byId.at(id)->question);
            top.push_back(prediction["answer_top10"][0].get<std::string>());
            references.push_back(byId.at(id)->answers);
        }
        const scenelens::qa::SqaAccuracy accuracy =
            scenelens::qa::sqaAccuracy(questions, top, references);
        const json& metrics = report["metrics"];
        QCOMPARE(metrics["overall"]["questions"].get<std::size_t>(), predictions.size());
        QCOMPARE(metrics["overall"]["correct"].get<std::size_t>(), accuracy.overall.correct);
        std::size_t typed = 0;
        for (std::size_t t = 0; t < scenelens::qa::kSqaQuestionTypes; ++t) {
            const char* name =
                scenelens::qa::sqaQuestionTypeName(scenelens::qa::SqaQuestionType(t));
            const json& row = metrics["per_type"][name];
            QCOMPARE(row["questions"].get<std::size_t>(), accuracy.perType[t].questions);
            QCOMPARE(row["correct"].get<std::size_t>(), accuracy.perType[t].correct);
            if (accuracy.perType[t].questions == 0)
                QVERIFY(row["accuracy"].is_null());
            else
                QVERIFY(
                    near(row["accuracy"].get<double>(), 100.0 * accuracy.perType[t].accuracy()));
            typed += row["questions"].get<std::size_t>();
        }
        QCOMPARE(typed, predictions.size());

        const Run table = runScenelens(base);
        QVERIFY2(table.exitCode == 0, qPrintable(table.err));
        VERIFY_CONTAINS(table.out, "SQA3D accuracy on");
        for (const char* type : {"What", "Is", "How", "Can", "Which", "Others", "overall"})
            VERIFY_CONTAINS(table.out, QString("\n  %1").arg(type, -8));
    }

    void cancelsBetweenBatches() {
        /// Asks to stop once it has seen `limit` progress reports.
        class CancelAfter : public scenelens::ProgressSink {
        public:
            explicit CancelAfter(int limit) : limit_(limit) {}
            void report(std::string_view, double) override { ++reports; }
            bool cancelled() const override { return reports >= limit_; }
            int reports = 0;

        private:
            int limit_;
        };
        const scenelens::QaModel model =
            scenelens::QaModel::load(bundle("qa").toStdString(), "cpu");
        const std::vector<scenelens::qa::EvalQuestion> questions =
            scenelens::qa::evalQuestions(scanQA_);
        scenelens::qa::QaEvaluationOptions options;
        options.scansDir = scans_.toStdString();
        // Reports: the first scene's start, then one per batch of 8 of its 16 questions.
        CancelAfter sink(2);
        QVERIFY_THROWS_EXCEPTION(scenelens::Cancelled,
                                 scenelens::qa::evaluateQa(model, questions,
                                                           scenelens::qa::QuestionStyle::ScanQA,
                                                           options, &sink));
        QCOMPARE(sink.reports, 2);

        options.scansDir = dir_.filePath("no-such-scans").toStdString();
        QVERIFY(scenelens::test::errorOf([&] {
                    scenelens::qa::evaluateQa(model, questions,
                                              scenelens::qa::QuestionStyle::ScanQA, options);
                }).contains("no-such-scans: no such folder"));
    }

    void reportsBadInput() {
        const QString absent = dir_.filePath("no-such-scans");
        Run run = runScenelens({"eval-qa", "--bundle", bundle("qa"), "--questions", scanQAPath_,
                                "--scans", absent, "--device", "cpu"});
        QCOMPARE(run.exitCode, 1);
        VERIFY_CONTAINS(run.err, "scenelens eval-qa: " + absent + ": no such folder");

        const QString truncated = dir_.filePath("truncated.json");
        QFile file(truncated);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[{\"question_id\": \"val-x-0\", \"scene_id\": ");
        file.close();
        run = runScenelens(
            {"eval-qa", "--bundle", bundle("qa"), "--questions", truncated, "--scans", scans_});
        QCOMPARE(run.exitCode, 1);
        VERIFY_CONTAINS(run.err, truncated + ": byte");
        VERIFY_CONTAINS(run.err, "malformed JSON");

        const QString wrongField = dir_.filePath("wrong-field.json");
        QFile wrong(wrongField);
        QVERIFY(wrong.open(QIODevice::WriteOnly));
        wrong.write(R"([{"question_id": "q0", "scene_id": 12, "question": "What?"}])");
        wrong.close();
        run = runScenelens(
            {"eval-qa", "--bundle", bundle("qa"), "--questions", wrongField, "--scans", scans_});
        QCOMPARE(run.exitCode, 1);
        VERIFY_CONTAINS(run.err, wrongField + ": [0].scene_id: expected a string");

        run = runScenelens({"eval-qa", "--bundle", bundle("qa"), "--questions", scanQAPath_});
        QCOMPARE(run.exitCode, 2);
        VERIFY_CONTAINS(run.err, "--scans");

        run = runScenelens({"eval-qa", "--bundle", bundle("scene-encoder"), "--questions",
                            scanQAPath_, "--scans", scans_});
        QCOMPARE(run.exitCode, 1);
        VERIFY_CONTAINS(run.err, "a scene-encoder bundle, but eval-qa needs a qa bundle");
    }
};

QTEST_GUILESS_MAIN(TestQaCli)
#include "test_qa_cli.moc"

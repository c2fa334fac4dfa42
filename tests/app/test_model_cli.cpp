// The model subcommands run as a real process on modelkit's tiny bundles (fixture tiny_bundles):
// bundle-info, ask --json on a synthetic room, encode writing .npy files and metadata, and the
// exit codes and messages for broken bundles and bad options.

#include "CliRunner.h"
#include "ErrorText.h"

#include "ml/Tensor.h"
#include "scene/synth/SyntheticLabels.h"
#include "scene/synth/SyntheticRoom.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using scenelens::test::runScenelens;
using Run = scenelens::test::CliRun;

namespace {

QString bundle(const QString& name) {
    return QStringLiteral(SCENELENS_TINY_BUNDLES "/") + name;
}

QJsonObject parseObject(const QString& text) {
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(text.toUtf8(), &error).object();
    if (error.error != QJsonParseError::NoError)
        QTest::qFail(qPrintable("not JSON: " + text.left(400)), __FILE__, __LINE__);
    return object;
}

} // namespace

class TestModelCli : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString scenes_[2];
    QString labels_;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        for (int i = 0; i < 2; ++i) {
            const scenelens::synth::SyntheticRoom room =
                scenelens::synth::generateRoom({5, i, 0.f});
            scenes_[i] = dir_.filePath(QString::fromStdString("scans/" + room.sceneId));
            QVERIFY(QDir().mkpath(scenes_[i]));
            scenelens::synth::writeSyntheticScene(room, scenes_[i].toStdString());
        }
        labels_ = dir_.filePath("labels.tsv");
        scenelens::synth::writeSyntheticLabelTable(labels_.toStdString());
    }

    void bundleInfoDescribesABundle() {
        Run run = runScenelens({"bundle-info", bundle("scene-encoder"), "--device", "cpu"});
        QCOMPARE(run.exitCode, 0);
        VERIFY_CONTAINS(run.out, "tiny-scene-encoder  (scene-encoder bundle");
        VERIFY_CONTAINS(run.out, "parameters: 73849");
        VERIFY_CONTAINS(run.out, "input: 1024 points, channels xyz rgb height (C = 7)");
        VERIFY_CONTAINS(run.out, "object tokens: K = 16");
        VERIFY_CONTAINS(run.out, "device: cpu (manifest: auto)");
        VERIFY_CONTAINS(run.out, "LibTorch 1.13.0");

        run = runScenelens({"bundle-info", bundle("sqa"), "--json", "--device", "cpu"});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject info = parseObject(run.out);
        QCOMPARE(info["kind"].toString(), QStringLiteral("qa"));
        QCOMPARE(info["name"].toString(), QStringLiteral("tiny-sqa"));
        QCOMPARE(info["situated"].toBool(), true);
        QCOMPARE(info["answers"].toInt(), 32);
        QCOMPARE(info["parameters"].toInt(), 177057);
        QCOMPARE(info["device"].toString(), QStringLiteral("cpu"));
        QCOMPARE(info["libtorch"].toString(), QStringLiteral("1.13.0"));
        QVERIFY(info["methods"].toArray().contains(QStringLiteral("forward")));
        QCOMPARE(info["warnings"].toArray().size(), 0);
    }

    void askAnswersAsJson() {
        const Run run =
            runScenelens({"ask", "--bundle", bundle("sqa"), "--scene", scenes_[0], "--labels",
                          labels_, "--question", "What is on the table?", "--situation",
                          "I am facing the door.", "--top-k", "3", "--json", "--device", "cpu"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject answer = parseObject(run.out);
        QCOMPARE(answer["question"].toString(), QStringLiteral("What is on the table?"));
        const QJsonArray answers = answer["answers"].toArray();
        QCOMPARE(answers.size(), 3);
        double previous = 1.0, sum = 0.0;
        for (const QJsonValue& a : answers) {
            const double p = a.toObject()["probability"].toDouble();
            QVERIFY(p <= previous);
            previous = p;
            sum += p;
            QVERIFY(!a.toObject()["answer"].toString().isEmpty());
        }
        QVERIFY(sum <= 1.0 + 1e-6);
        QCOMPARE(answer["objects"].toArray().size(), 16);
        QCOMPARE(answer["position"].toArray().size(), 3);
        QCOMPARE(answer["rotation"].toArray().size(), 4);

        // The same question again gives the same answers (seeded sampling).
        const Run again =
            runScenelens({"ask", "--bundle", bundle("sqa"), "--scene", scenes_[0], "--labels",
                          labels_, "--question", "What is on the table?", "--situation",
                          "I am facing the door.", "--top-k", "3", "--json", "--device", "cpu"});
        QCOMPARE(again.out, run.out);
    }

    void encodeWritesEmbeddingsAndMetadata() {
        const QString out = dir_.filePath("objects.npy");
        const Run run = runScenelens({"encode", "--bundle", bundle("scene-encoder"), "--scene",
                                      scenes_[0], "--scene", scenes_[1], "--labels", labels_,
                                      "--out", out, "--device", "cpu", "--seed", "4"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const scenelens::Tensor objects = scenelens::readNpyTensor(out.toStdString());
        QCOMPARE(objects.shape, (std::vector<std::int64_t>{32, 32})); // 2 scenes x K 16, E 32
        const scenelens::Tensor scenes =
            scenelens::readNpyTensor(dir_.filePath("objects.scenes.npy").toStdString());
        QCOMPARE(scenes.shape, (std::vector<std::int64_t>{2, 32}));
        for (int row = 0; row < 2; ++row) {
            double norm = 0.0;
            for (int c = 0; c < 32; ++c)
                norm += double(scenes.floats[std::size_t(row * 32 + c)]) *
                        scenes.floats[std::size_t(row * 32 + c)];
            QVERIFY(std::abs(std::sqrt(norm) - 1.0) < 1e-4); // L2-normalised
        }

        QFile metaFile(dir_.filePath("objects.json"));
        QVERIFY(metaFile.open(QIODevice::ReadOnly));
        const QJsonObject meta = parseObject(QString::fromUtf8(metaFile.readAll()));
        QCOMPARE(meta["embedding_space"].toString(), QStringLiteral("tiny-test"));
        QCOMPARE(meta["scenes"].toArray().size(), 2);
        const QJsonArray rows = meta["objects"].toArray();
        QCOMPARE(rows.size(), 32);
        const QJsonObject first = rows[0].toObject();
        QCOMPARE(first["scene_id"].toString(), QStringLiteral("sceneSYN00_00"));
        QCOMPARE(first["object_index"].toInt(), 0);
        QCOMPARE(first["box"].toArray().size(), 6);
        QCOMPARE(rows[16].toObject()["scene_id"].toString(), QStringLiteral("sceneSYN01_00"));
        for (const QJsonValue& row : rows) {
            const QJsonObject o = row.toObject();
            QVERIFY(o["objectness"].toDouble() > 0.0 && o["objectness"].toDouble() < 1.0);
            QVERIFY(o["iou"].toDouble() >= 0.0 && o["iou"].toDouble() <= 1.0);
            QVERIFY(!o["predicted_class"].toString().isEmpty());
            QCOMPARE(o["matched_object_id"].toInt() >= 0, o["iou"].toDouble() > 0.0);
        }
    }

    void reportsBrokenBundlesAndBadOptions() {
        const QString broken = bundle("broken/");
        Run run = runScenelens({"bundle-info", broken + "wrong-shape"});
        QCOMPARE(run.exitCode, 1);
        VERIFY_CONTAINS(run.err, "scenelens bundle-info: " + broken +
                                     "wrong-shape/model.pt: scene-encoder output 'object_boxes' "
                                     "has shape [1,16,8,3], expected [B,K,6]");

        run = runScenelens({"bundle-info", broken + "missing-key"});
        QCOMPARE(run.exitCode, 1);
        VERIFY_CONTAINS(run.err, broken + "missing-key/bundle.json: missing key 'kind'");

        run = runScenelens({"ask", "--bundle", broken + "missing-module", "--scene", scenes_[0],
                            "--question", "what?"});
        QCOMPARE(run.exitCode, 1);
        VERIFY_CONTAINS(run.err, "missing-module/model.pt' does not exist");

        run = runScenelens({"encode", "--bundle", bundle("qa"), "--scene", scenes_[0], "--out",
                            dir_.filePath("x.npy")});
        QCOMPARE(run.exitCode, 1);
        VERIFY_CONTAINS(run.err, "a qa bundle, but encode needs a scene-encoder bundle");

        run = runScenelens({"bundle-info", bundle("clip"), "--device", "gpu"});
        QCOMPARE(run.exitCode, 2);
        VERIFY_CONTAINS(run.err, "device must be auto, cpu, cuda or cuda:N, got 'gpu'");

        run = runScenelens(
            {"encode", "--bundle", bundle("scene-encoder"), "--out", dir_.filePath("x.npy")});
        QCOMPARE(run.exitCode, 2);
        VERIFY_CONTAINS(run.err, "--scene is required");

        run = runScenelens({"encode", "--bundle", bundle("scene-encoder"), "--scene", scenes_[0],
                            "--out", dir_.filePath("x.npy"), "--store", dir_.filePath("x.slh5")});
        QCOMPARE(run.exitCode, 2);
        VERIFY_CONTAINS(run.err, "unknown option '--store'");
    }
};

QTEST_GUILESS_MAIN(TestModelCli)
#include "test_model_cli.moc"

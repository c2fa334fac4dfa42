// The model subcommands run as a real process on modelkit's tiny bundles (fixture tiny_bundles):
// bundle-info, ask --json on a synthetic room, encode writing .npy files and metadata or a
// project file (object, scene, class-prompt, text and view sets, read back through core/Session),
// and the exit codes and messages for broken bundles and bad options. Rendering views for the
// image set needs an X display (the test is labelled gui).

#include "CliRunner.h"
#include "ErrorText.h"

#include "Session.h"
#include "ml/Tensor.h"
#include "scene/synth/SyntheticLabels.h"
#include "scene/synth/SyntheticRoom.h"
#include "store/ProjectStore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <memory>
#include <set>

using scenelens::test::runScenelens;
using Run = scenelens::test::CliRun;
using SetPointer = std::shared_ptr<const scenelens::embed::EmbeddingSet>;

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

/// The tiny encoder's random weights give objectness 0.30 to 0.47 on the test rooms: this keeps
/// about half of the tokens.
constexpr float kMinObjectness = 0.36f;

QJsonObject readJsonFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        QTest::qFail(qPrintable("cannot read " + path), __FILE__, __LINE__);
    return parseObject(QString::fromUtf8(file.readAll()));
}

/// Writes synthetic room `index` of the set seeded by `seed` into `scans`; returns its folder.
QString writeRoom(const QString& scans, std::uint64_t seed, int index) {
    const scenelens::synth::SyntheticRoom room = scenelens::synth::generateRoom({seed, index, 0.f});
    const QString folder = scans + "/" + QString::fromStdString(room.sceneId);
    QDir().mkpath(folder);
    scenelens::synth::writeSyntheticScene(room, folder.toStdString());
    return folder;
}

/// The raw labels of the rooms' objects, sorted and unique, without walls, floors and ceilings.
std::vector<std::string> roomClasses(std::uint64_t seed, int rooms) {
    std::set<std::string> labels;
    for (int i = 0; i < rooms; ++i)
        for (const scenelens::SceneObject& object :
             scenelens::synth::generateRoom({seed, i, 0.f}).scene.objects)
            labels.insert(object.rawLabel);
    for (const char* shell : {"wall", "floor", "ceiling"})
        labels.erase(shell);
    return {labels.begin(), labels.end()};
}

SetPointer setNamed(const scenelens::Session& session, const std::string& name) {
    for (const SetPointer& set : session.sets)
        if (set->name == name)
            return set;
    QTest::qFail(qPrintable(QString("no set '%1'").arg(QString::fromStdString(name))), __FILE__,
                 __LINE__);
    return nullptr;
}

std::vector<std::string> setNames(const scenelens::Session& session) {
    std::vector<std::string> names;
    for (const SetPointer& set : session.sets)
        names.push_back(set->name);
    return names;
}

std::string absolute(const QString& path) {
    return QFileInfo(path).absoluteFilePath().toStdString();
}

/// The tiny clip bundle copied to `folder` with its embedding space renamed to `space`.
void copyClipInSpace(const QString& folder, const QString& space) {
    QDir().mkpath(folder);
    const QDir source(bundle("clip"));
    for (const QString& name : source.entryList(QDir::Files))
        QVERIFY(QFile::copy(source.filePath(name), folder + "/" + name));
    QFile manifest(folder + "/bundle.json");
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    QJsonObject json = QJsonDocument::fromJson(manifest.readAll()).object();
    manifest.close();
    json["embedding_space"] = space;
    QVERIFY(manifest.open(QIODevice::WriteOnly | QIODevice::Truncate));
    manifest.write(QJsonDocument(json).toJson());
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
        QCOMPARE(info["parameters"].toInt(), 181153);
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
        VERIFY_CONTAINS(run.err, "--scene DIR (repeat it for several scenes) or --scans DIR is "
                                 "required");

        run = runScenelens({"encode", "--bundle", bundle("scene-encoder"), "--scene", scenes_[0],
                            "--out", dir_.filePath("x.npy"), "--store", dir_.filePath("x.slh5")});
        QCOMPARE(run.exitCode, 2);
        VERIFY_CONTAINS(run.err, "unknown option '--store'");
    }

    void encodeWritesAProjectFile() {
        const QString npy = dir_.filePath("reference.npy");
        const QStringList sceneArgs = {"--scene", scenes_[0], "--scene", scenes_[1], "--labels",
                                       labels_,   "--device", "cpu",     "--seed",   "4"};
        Run run = runScenelens(
            QStringList{"encode", "--bundle", bundle("scene-encoder"), "--out", npy} + sceneArgs);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QString project = dir_.filePath("encoded.slh5");
        const QString threshold = QString::number(kMinObjectness);
        const QStringList textArgs = {"--text", "  a red chair ", "--text", " "};
        const QStringList projectArgs = {"--clip", bundle("clip"), "--out", project};
        run = runScenelens(QStringList{"encode", "--bundle", bundle("scene-encoder"),
                                       "--min-objectness", threshold} +
                           projectArgs + textArgs + sceneArgs);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        VERIFY_CONTAINS(run.err, "note: no scene has exported colour frames");

        const scenelens::Session session = scenelens::loadSession(project.toStdString());
        QCOMPARE(session.scenes.size(), std::size_t(2));
        QCOMPARE(session.scenes[0].id, std::string("sceneSYN00_00"));
        QCOMPARE(session.scenes[1].sourcePath, absolute(scenes_[1]));
        QCOMPARE(session.currentScene, std::string("sceneSYN00_00"));
        QCOMPARE(session.modelBundles, (std::vector<std::string>{absolute(bundle("scene-encoder")),
                                                                 absolute(bundle("clip"))}));
        QCOMPARE(setNames(session),
                 (std::vector<std::string>{"objects", "scenes", "class prompts", "texts"}));
        const std::vector<std::string> classes = roomClasses(5, 2);
        const std::size_t templates = 3;
        const QString expected =
            QString("wrote %1 (2 scenes): objects %2 x 32, scenes 2 x 32, class prompts %3 x 32, "
                    "texts 1 x 32")
                .arg(project)
                .arg(setNamed(session, "objects")->rows)
                .arg(classes.size() * templates);
        QCOMPARE(run.out.trimmed(), expected);

        checkObjectSet(*setNamed(session, "objects"), npy);
        const SetPointer scenes = setNamed(session, "scenes");
        QCOMPARE(scenes->rows, 2);
        QCOMPARE(scenes->modality, std::string("scene3d"));
        const scenelens::Tensor sceneRows =
            scenelens::readNpyTensor(dir_.filePath("reference.scenes.npy").toStdString());
        QCOMPARE(scenes->values, sceneRows.floats);
        QCOMPARE(scenes->textColumns.at("scene"),
                 (std::vector<std::string>{"sceneSYN00_00", "sceneSYN01_00"}));

        const SetPointer prompts = setNamed(session, "class prompts");
        QCOMPARE(std::size_t(prompts->rows), classes.size() * templates);
        QCOMPARE(prompts->dims, 32);
        QCOMPARE(prompts->modality, std::string("text"));
        QCOMPARE(prompts->space, std::string("tiny-test"));
        QCOMPARE(prompts->model, std::string("tiny-clip"));
        QCOMPARE(prompts->textColumns.at("text")[0], "a photo of a " + classes[0] + " in a scene");
        QCOMPARE(prompts->textColumns.at("label")[templates], classes[1]);
        const SetPointer texts = setNamed(session, "texts");
        QCOMPARE(texts->rows, 1);
        QCOMPARE(texts->textColumns.at("text"), std::vector<std::string>{"a red chair"});

        // The attributes as stored, read without loading the rows.
        const scenelens::store::SetInfo info =
            scenelens::store::ProjectStore(project.toStdString()).setInfo("objects");
        QCOMPARE(info.modality, std::string("object3d"));
        QCOMPARE(info.space, std::string("tiny-test"));
        QCOMPARE(info.model, std::string("tiny-scene-encoder"));
        QVERIFY(!info.created.empty());
        QVERIFY(info.numberColumns ==
                (std::vector<std::string>{"iou", "object_id", "object_token", "objectness"}));
        QVERIFY(info.textColumns ==
                (std::vector<std::string>{"label", "predicted_class", "scene"}));
    }

    void encodeRefusesAClipOfAnotherSpace() {
        const QString clip = dir_.filePath("other-clip");
        copyClipInSpace(clip, "other-space");
        const QString project = dir_.filePath("refused.slh5");
        const Run run = runScenelens({"encode", "--bundle", bundle("scene-encoder"), "--clip", clip,
                                      "--scene", scenes_[0], "--out", project});
        QCOMPARE(run.exitCode, 2);
        VERIFY_CONTAINS(run.err, "scenelens encode: 'tiny-clip' embeds into the space "
                                 "'other-space', but 'tiny-scene-encoder' embeds into "
                                 "'tiny-test': their vectors cannot be compared.");
        VERIFY_CONTAINS(run.err, "(--bundle " + bundle("scene-encoder") + ", --clip " + clip + ")");
        QVERIFY(!QFile::exists(project));
    }

    void encodeFindsScansAndEmbedsViews() {
        const QString scans = dir_.filePath("more-scans");
        const QString first = writeRoom(scans, 9, 0), second = writeRoom(scans, 9, 1);
        QVERIFY(QDir().mkpath(scans + "/not-a-scene"));
        const Run render = runScenelens({"render-views", "--scene", second, "--out", second,
                                         "--views", "10", "--size", "48", "--labels", labels_});
        QVERIFY2(render.exitCode == 0, qPrintable(render.err));

        const QString project = dir_.filePath("views.slh5");
        const Run run = runScenelens({"encode",
                                      "--bundle",
                                      bundle("scene-encoder"),
                                      "--clip",
                                      bundle("clip"),
                                      "--scans",
                                      scans,
                                      "--labels",
                                      labels_,
                                      "--classes",
                                      "chair, table,",
                                      "--prompt-template",
                                      "a {} in a room",
                                      "--max-views",
                                      "4",
                                      "--min-objectness",
                                      "0",
                                      "--out",
                                      project,
                                      "--device",
                                      "cpu"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const scenelens::Session session = scenelens::loadSession(project.toStdString());
        QCOMPARE(session.scenes.size(), std::size_t(2));
        QCOMPARE(session.scenes[0].sourcePath, absolute(first));
        QCOMPARE(session.scenes[1].sourcePath, absolute(second));
        QCOMPARE(setNames(session),
                 (std::vector<std::string>{"objects", "scenes", "class prompts", "images"}));
        QCOMPARE(setNamed(session, "objects")->rows, 32); // every token at --min-objectness 0
        QCOMPARE(setNamed(session, "class prompts")->textColumns.at("text"),
                 (std::vector<std::string>{"a chair in a room", "a table in a room"}));

        // Ten frames, four of them evenly spaced: frames 0, 2, 5 and 7.
        const SetPointer images = setNamed(session, "images");
        QCOMPARE(images->rows, 4);
        QCOMPARE(images->dims, 32);
        QCOMPARE(images->modality, std::string("image"));
        QCOMPARE(images->numberColumns.at("view"), (std::vector<double>{0, 2, 5, 7}));
        const std::string secondId = QFileInfo(second).fileName().toStdString();
        QCOMPARE(images->textColumns.at("scene"), std::vector<std::string>(4, secondId));
        QCOMPARE(QFileInfo(QString::fromStdString(images->textColumns.at("image_path")[2]))
                     .canonicalFilePath(),
                 QFileInfo(second + "/color/5.png").canonicalFilePath());
        for (int row = 0; row < images->rows; ++row) {
            double norm = 0.0;
            for (int c = 0; c < images->dims; ++c)
                norm += double(images->row(row)[c]) * images->row(row)[c];
            QVERIFY(std::abs(std::sqrt(norm) - 1.0) < 1e-4); // CLIP's L2-normalised output
        }
    }

    void encodeReportsBadProjectOptions() {
        const QStringList base = {"encode", "--bundle", bundle("scene-encoder"), "--scene",
                                  scenes_[0]};
        const QString project = dir_.filePath("bad.slh5");
        Run run = runScenelens(
            base + QStringList{"--out", dir_.filePath("x.npy"), "--clip", bundle("clip")});
        QCOMPARE(run.exitCode, 2);
        VERIFY_CONTAINS(run.err, "scenelens encode: --clip is for project files: --out FILE.slh5");

        run = runScenelens(base + QStringList{"--out", project, "--clip", bundle("clip"),
                                              "--prompt-template", "a photo"});
        QCOMPARE(run.exitCode, 2);
        VERIFY_CONTAINS(run.err, "--prompt-template 'a photo' has no {} where the class name goes");

        run = runScenelens(base + QStringList{"--out", project, "--text", "a chair"});
        QCOMPARE(run.exitCode, 2);
        VERIFY_CONTAINS(run.err, "--text needs a CLIP bundle: --clip DIR");

        run = runScenelens(base + QStringList{"--out", project, "--min-objectness", "1.5"});
        QCOMPARE(run.exitCode, 2);
        VERIFY_CONTAINS(run.err, "--min-objectness must be a probability from 0 to 1, got '1.5'");

        run = runScenelens(
            base + QStringList{"--out", project, "--clip", bundle("clip"), "--classes", " , "});
        QCOMPARE(run.exitCode, 2);
        VERIFY_CONTAINS(run.err, "--classes needs at least one class name, got ' , '");

        run = runScenelens(base + QStringList{"--out", project, "--clip", bundle("qa")});
        QCOMPARE(run.exitCode, 1);
        VERIFY_CONTAINS(run.err, "a qa bundle, but encode needs a clip bundle");

        const QString empty = dir_.filePath("empty-scans");
        QVERIFY(QDir().mkpath(empty));
        run = runScenelens(
            {"encode", "--bundle", bundle("scene-encoder"), "--scans", empty, "--out", project});
        QCOMPARE(run.exitCode, 1);
        VERIFY_CONTAINS(run.err, empty + ": no ScanNet scene folders in it");

        run = runScenelens(base + QStringList{"--scene", scenes_[0], "--out", project});
        QCOMPARE(run.exitCode, 2);
        VERIFY_CONTAINS(run.err, "the scene sceneSYN00_00 is given twice");
        QVERIFY(!QFile::exists(project));
    }

private:
    /// The object set holds the tokens of the .npy run (same seed) whose objectness is at least
    /// kMinObjectness, with their vectors, scenes, matched object ids and labels (the predicted
    /// class in a scene where no token matches an object).
    void checkObjectSet(const scenelens::embed::EmbeddingSet& set, const QString& npy) {
        const scenelens::Tensor all = scenelens::readNpyTensor(npy.toStdString());
        const QJsonArray tokens =
            readJsonFile(dir_.filePath("reference.json"))["objects"].toArray();
        QCOMPARE(tokens.size(), 32);
        std::set<QString> matchedScenes;
        for (const QJsonValue& token : tokens)
            if (token.toObject()["matched_object_id"].toInt() >= 0)
                matchedScenes.insert(token.toObject()["scene_id"].toString());
        std::vector<float> values;
        std::vector<std::string> scenes, labels;
        std::vector<double> objectIds;
        for (int i = 0; i < tokens.size(); ++i) {
            const QJsonObject token = tokens[i].toObject();
            if (float(token["objectness"].toDouble()) < kMinObjectness)
                continue;
            values.insert(values.end(), all.floats.begin() + i * 32,
                          all.floats.begin() + (i + 1) * 32);
            scenes.push_back(token["scene_id"].toString().toStdString());
            const bool annotated = matchedScenes.count(token["scene_id"].toString()) > 0;
            labels.push_back(
                token[annotated ? "matched_label" : "predicted_class"].toString().toStdString());
            objectIds.push_back(token["matched_object_id"].toDouble());
        }
        QVERIFY(!scenes.empty());
        QCOMPARE(set.rows, int(scenes.size()));
        QCOMPARE(set.dims, 32);
        QCOMPARE(set.values, values);
        QCOMPARE(set.textColumns.at("scene"), scenes);
        QCOMPARE(set.textColumns.at("label"), labels);
        QCOMPARE(set.numberColumns.at("object_id"), objectIds);
    }
};

QTEST_GUILESS_MAIN(TestModelCli)
#include "test_model_cli.moc"

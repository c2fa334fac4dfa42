// Session save and load (core/Session): every part of the app's state survives a round trip
// through a project file; inconsistent sessions and damaged state are refused with clear errors;
// a cancelled save leaves the previous file as it was.

#include "ErrorText.h"

#include "Session.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace scenelens;

namespace {

std::shared_ptr<const embed::EmbeddingSet> makeSet(const std::string& name, int rows, int dims,
                                                   float offset) {
    auto set = std::make_shared<embed::EmbeddingSet>();
    set->name = name;
    set->modality = "object3d";
    set->space = "clip-vit-b32";
    set->model = "demo-scene-encoder";
    set->created = "2026-11-23T12:00:00Z";
    set->rows = rows;
    set->dims = dims;
    for (int i = 0; i < rows * dims; ++i)
        set->values.push_back(offset + std::sin(0.37f * float(i)));
    for (int i = 0; i < rows; ++i) {
        set->textColumns["label"].push_back(i % 2 ? "стул" : "café ☕");
        set->numberColumns["object_id"].push_back(i);
    }
    return set;
}

store::StoredProjection makeProjection(const std::string& name, std::vector<std::string> inputs,
                                       int rows, int dims) {
    embed::PlotData plot;
    plot.points.rows = rows;
    plot.coordDims = dims;
    for (int i = 0; i < rows * dims; ++i)
        plot.coords.push_back(0.5f * float(i) - 3.f);
    plot.title = "t-SNE of " + name;
    plot.projection.method = embed::ProjectionMethod::Tsne;
    plot.projection.dims = dims;
    plot.projection.perplexity = 12.5;
    plot.projection.seed = 7;
    plot.projection.metric = embed::Metric::Cosine;
    plot.projectionDetails = "initialisation: pca";
    plot.metrics.values = {{"trustworthiness@15", 0.971}, {"continuity@15", 0.95}};
    plot.metrics.sampleSize = rows;
    return storedProjection(plot, name, std::move(inputs), R"({"color_by":"label"})");
}

Session makeSession() {
    Session session;
    store::StoredScene scene{"scene0000_00", "/data/scans/scene0000_00", {}};
    scene.axisAlignment = {0, -1, 0, 2.5f, 1, 0, 0, -1.25f, 0, 0, 1, 0, 0, 0, 0, 1};
    session.scenes = {scene, {"scene0001_00", "/data/scans/scene0001_00", {}}};
    session.currentScene = "scene0000_00";
    session.modelBundles = {"/models/demo-clip", "/models/scene-encoder"};
    session.sets = {makeSet("objects", 40, 6, 0.f), makeSet("text prompts", 10, 6, 1.f)};
    session.projections = {makeProjection("objects and text", {"objects", "text prompts"}, 50, 2),
                           makeProjection("objects 3d", {"objects"}, 40, 3)};
    session.selectedObjects = {3, 7, 12};
    session.camera = CameraPose{{1.5, -2.25, 3.0}, {0.25, 0.5, 0.75}, {0, 0, 1}, 35};
    session.bookmarks = {{"overview", {{0, 0, 10}, {0, 0, 0}, {0, 1, 0}, 30}},
                         {"sofa", {{2, 3, 1.5}, {2.5, 3.5, 0.5}, {0, 0, 1}, 40}}};
    session.viewOptions = {SceneColorMode::Instance, true};
    session.windowLayout = "AAAA/wAAAAD9AAAAAQ==";
    return session;
}

void compareSets(const embed::EmbeddingSet& a, const embed::EmbeddingSet& b) {
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.modality, b.modality);
    QCOMPARE(a.space, b.space);
    QCOMPARE(a.model, b.model);
    QCOMPARE(a.created, b.created);
    QCOMPARE(a.rows, b.rows);
    QCOMPARE(a.dims, b.dims);
    QVERIFY(a.values == b.values);
    QVERIFY(a.textColumns == b.textColumns);
    QVERIFY(a.numberColumns == b.numberColumns);
}

void compareProjections(const store::StoredProjection& a, const store::StoredProjection& b) {
    QCOMPARE(a.name, b.name);
    QVERIFY(a.inputSets == b.inputSets);
    QVERIFY(a.coords == b.coords);
    QCOMPARE(a.rows, b.rows);
    QCOMPARE(a.dims, b.dims);
    QCOMPARE(int(a.options.method), int(b.options.method));
    QCOMPARE(a.options.dims, b.options.dims);
    QCOMPARE(a.options.perplexity, b.options.perplexity);
    QCOMPARE(a.options.seed, b.options.seed);
    QCOMPARE(int(a.options.metric), int(b.options.metric));
    QCOMPARE(a.title, b.title);
    QCOMPARE(a.details, b.details);
    QVERIFY(a.metrics.values == b.metrics.values);
    QCOMPARE(a.metrics.sampleSize, b.metrics.sampleSize);
    QCOMPARE(a.viewState, b.viewState);
}

/// Cancels at the first progress report after `allowed` reports.
class CancelAfter : public ProgressSink {
public:
    explicit CancelAfter(int allowed) : allowed_(allowed) {}
    void report(std::string_view, double) override { --allowed_; }
    bool cancelled() const override { return allowed_ < 0; }

private:
    int allowed_;
};

} // namespace

class TestSession : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTripKeepsEveryPart() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("project.slh5")).toStdString();
        const Session saved = makeSession();
        saveSession(saved, path);
        const Session loaded = loadSession(path);

        QCOMPARE(loaded.scenes.size(), saved.scenes.size());
        for (std::size_t i = 0; i < saved.scenes.size(); ++i) {
            QCOMPARE(loaded.scenes[i].id, saved.scenes[i].id);
            QCOMPARE(loaded.scenes[i].sourcePath, saved.scenes[i].sourcePath);
            QVERIFY(loaded.scenes[i].axisAlignment == saved.scenes[i].axisAlignment);
        }
        QCOMPARE(loaded.currentScene, saved.currentScene);
        QVERIFY(loaded.modelBundles == saved.modelBundles);
        QCOMPARE(loaded.sets.size(), saved.sets.size());
        for (std::size_t i = 0; i < saved.sets.size(); ++i)
            compareSets(*loaded.sets[i], *saved.sets[i]);
        QCOMPARE(loaded.projections.size(), saved.projections.size());
        for (std::size_t i = 0; i < saved.projections.size(); ++i)
            compareProjections(loaded.projections[i], saved.projections[i]);
        QVERIFY(loaded.selectedObjects == saved.selectedObjects);
        QVERIFY(loaded.camera == saved.camera);
        QCOMPARE(loaded.bookmarks.size(), saved.bookmarks.size());
        for (std::size_t i = 0; i < saved.bookmarks.size(); ++i) {
            QCOMPARE(loaded.bookmarks[i].name, saved.bookmarks[i].name);
            QVERIFY(loaded.bookmarks[i].pose == saved.bookmarks[i].pose);
        }
        QCOMPARE(int(loaded.viewOptions.colorBy), int(saved.viewOptions.colorBy));
        QCOMPARE(loaded.viewOptions.showBoxes, saved.viewOptions.showBoxes);
        QCOMPARE(loaded.windowLayout, saved.windowLayout);
    }

    void emptySessionRoundTrips() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("empty.slh5")).toStdString();
        saveSession(Session{}, path);
        const Session loaded = loadSession(path);
        QVERIFY(loaded.scenes.empty() && loaded.sets.empty() && loaded.projections.empty());
        QVERIFY(!loaded.camera);
        QVERIFY(loaded.currentScene.empty());
    }

    void plotOfConcatenatesTheInputSets() {
        const Session session = makeSession();
        const auto inputs = projectionInputs(session, session.projections[0]);
        QCOMPARE(inputs.size(), std::size_t(2));
        QCOMPARE(inputs[1], session.sets[1]);
        const embed::PlotData plot = plotOf(inputs, session.projections[0]);
        QCOMPARE(plot.rows(), 50);
        QCOMPARE(plot.coordDims, 2);
        QVERIFY(plot.coords == session.projections[0].coords);
        QCOMPARE(plot.title, session.projections[0].title);
        // Rows 40.. are the text prompts' first rows, tagged with their set.
        QCOMPARE(plot.points.row(40)[0], session.sets[1]->row(0)[0]);
        QCOMPARE(plot.points.textColumns.at(embed::columns::kSet)[45], std::string("text prompts"));

        const embed::PlotData single =
            plotOf(projectionInputs(session, session.projections[1]), session.projections[1]);
        QCOMPARE(single.points.name, std::string("objects"));
        QVERIFY(single.points.values == session.sets[0]->values);
    }

    void inconsistentSessionsAreRefused() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("bad.slh5")).toStdString();
        Session twoNames = makeSession();
        twoNames.sets.push_back(makeSet("objects", 3, 6, 2.f));
        VERIFY_CONTAINS(test::errorOf<std::invalid_argument>([&] { saveSession(twoNames, path); }),
                        QStringLiteral("two embedding sets named 'objects'"));

        Session missing = makeSession();
        missing.projections[1].inputSets = {"gone"};
        VERIFY_CONTAINS(test::errorOf<std::invalid_argument>([&] { saveSession(missing, path); }),
                        QStringLiteral("missing embedding set 'gone'"));

        Session rows = makeSession();
        rows.projections[1].rows = 41;
        VERIFY_CONTAINS(test::errorOf<std::invalid_argument>([&] { saveSession(rows, path); }),
                        QStringLiteral("has 41 rows but its input sets have 40"));

        Session twice = makeSession();
        twice.projections[1].name = twice.projections[0].name;
        VERIFY_CONTAINS(test::errorOf<std::invalid_argument>([&] { saveSession(twice, path); }),
                        QStringLiteral("two projections named"));
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
    }

    void damagedStateIsAFileError() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("damaged.slh5")).toStdString();
        {
            store::ProjectWriter writer(path);
            writer.writeSession("{\"current_scene\": ");
            writer.commit();
        }
        const QString message = test::errorOf([&] { loadSession(path); });
        VERIFY_CONTAINS(message, QStringLiteral("damaged.slh5"));
        VERIFY_CONTAINS(message, QStringLiteral("damaged session"));

        // A projection whose set is not in the file.
        const std::string orphan = dir.filePath(QStringLiteral("orphan.slh5")).toStdString();
        {
            store::ProjectWriter writer(orphan);
            writer.writeProjection(makeProjection("lonely", {"absent"}, 4, 2));
            writer.commit();
        }
        VERIFY_CONTAINS(test::errorOf<FileError>([&] { loadSession(orphan); }),
                        QStringLiteral("missing embedding set 'absent'"));
    }

    void scenesMoveWithTheProject() {
        QTemporaryDir root;
        QDir dir(root.path());
        QVERIFY(dir.mkpath(QStringLiteral("lab/scans/scene0000_00")));
        const std::string scene =
            dir.filePath(QStringLiteral("lab/scans/scene0000_00")).toStdString();
        Session session;
        session.scenes = {{"scene0000_00", scene, {}},
                          {"scene0001_00", "/nowhere/scene0001_00", {}}};
        session.currentScene = "scene0000_00";
        saveSession(session, dir.filePath(QStringLiteral("lab/project.slh5")).toStdString());

        // Where it was saved, the paths are kept.
        QCOMPARE(loadSession(dir.filePath(QStringLiteral("lab/project.slh5")).toStdString())
                     .scenes[0]
                     .sourcePath,
                 scene);
        // Moved with its scans, the scene is found beside it; a scene that is nowhere keeps its
        // path.
        QVERIFY(dir.rename(QStringLiteral("lab"), QStringLiteral("copy")));
        const Session moved =
            loadSession(dir.filePath(QStringLiteral("copy/project.slh5")).toStdString());
        QCOMPARE(QString::fromStdString(moved.scenes[0].sourcePath),
                 QDir::cleanPath(dir.filePath(QStringLiteral("copy/scans/scene0000_00"))));
        QCOMPARE(moved.scenes[1].sourcePath, std::string("/nowhere/scene0001_00"));
    }

    void cancelledSaveKeepsThePreviousFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("project.slh5")).toStdString();
        Session first = makeSession();
        first.currentScene = "scene0001_00";
        saveSession(first, path);

        CancelAfter cancel(0);
        QVERIFY_THROWS_EXCEPTION(Cancelled, saveSession(makeSession(), path, &cancel));
        QCOMPARE(loadSession(path).currentScene, std::string("scene0001_00"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"project.slh5"});
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "test_session.moc"

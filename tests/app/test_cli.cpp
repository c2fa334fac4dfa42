// The scenelens command line, run as a real process: --version, info (text and JSON), render,
// and the exit codes and messages of bad input.

#include "TestData.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "CliRunner.h"
#include "embed/Npy.h"

using scenelens::test::runScenelens;
using Run = scenelens::test::CliRun;

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void printsVersion() {
        const Run run = runScenelens({"--version"});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.trimmed(), QStringLiteral("scenelens " SCENELENS_VERSION));
    }

    void infoAsJson() {
        SCENELENS_REQUIRE_REAL_SCENE();
        const Run run =
            runScenelens({"info", "--scene", scenelens::test::realSceneDir(), "--json"});
        QCOMPARE(run.exitCode, 0);
        QJsonParseError error;
        const QJsonObject info = QJsonDocument::fromJson(run.out.toUtf8(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(info["scene_id"].toString(), QStringLiteral("scene0000_00"));
        QCOMPARE(info["vertices"].toInt(), 81369);
        QCOMPARE(info["faces"].toInt(), 153587);
        const QJsonArray objects = info["objects"].toArray();
        QCOMPARE(objects.size(), 55);
        const QJsonObject bed = objects[37].toObject();
        QCOMPARE(bed["id"].toInt(), 37);
        QCOMPARE(bed["label"].toString(), QStringLiteral("bed"));
        QCOMPARE(bed["nyu40_class"].toString(), QStringLiteral("bed"));
        QCOMPARE(bed["vertices"].toInt(), 2601);
        QCOMPARE(info["axis_alignment"].toArray().size(), 16);
        QCOMPARE(info["metadata"].toObject()["sceneType"].toString(),
                 QStringLiteral("Bedroom / Hotel"));
    }

    void infoAsText() {
        SCENELENS_REQUIRE_REAL_SCENE();
        const Run run = runScenelens({"info", "--scene", scenelens::test::realSceneDir()});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("vertices 81369  faces 153587  objects 55"));
        QVERIFY(run.out.contains(QRegularExpression(R"(\n\s+37  bed\s+bed\s+2601)")));
    }

    void reportsBadInput() {
        Run run = runScenelens({"info"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("scenelens info: --scene is required"), qPrintable(run.err));

        run = runScenelens({"info", "--scene", "/no/such/scene"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("scenelens info: /no/such/scene: no such file or folder"),
                 qPrintable(run.err));

        run = runScenelens({"info", "--scene", "x", "--frobnicate"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("unknown option '--frobnicate'"));

        QTemporaryDir dir;
        QFile ply(dir.filePath("broken.ply"));
        QVERIFY(ply.open(QIODevice::WriteOnly));
        ply.write("ply\nformat binary_little_endian 1.0\nelement vertex 10\nproperty float x\n"
                  "property float y\nproperty float z\nend_header\n0123456789");
        ply.close();
        run = runScenelens({"info", "--scene", ply.fileName()});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("broken.ply: byte 116: truncated binary body"),
                 qPrintable(run.err));
    }

    void rendersPngOfRequestedSize() {
        SCENELENS_REQUIRE_REAL_SCENE();
        QTemporaryDir dir;
        const QString out = dir.filePath("scene.png");
        const Run run =
            runScenelens({"render", "--scene", scenelens::test::realSceneDir(), "--out", out,
                          "--size", "320x240", "--color-by", "instance", "--boxes"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QImage image(out);
        QCOMPARE(image.size(), QSize(320, 240));
        // Not blank: the scene covers a good part of the frame.
        const QRgb background = image.pixel(0, 0);
        int differing = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                differing += image.pixel(x, y) != background;
        QVERIFY2(differing > image.width() * image.height() / 4,
                 qPrintable(QString::number(differing)));
    }

    void renderRejectsBadOptions() {
        Run run = runScenelens({"render", "--scene", "x", "--out", "y.png", "--color-by", "depth"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--color-by must be rgb, instance or class, got 'depth'"));
        run = runScenelens({"render", "--scene", "x", "--out", "y.png", "--size", "0x10"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--size must be WIDTHxHEIGHT"));
        run = runScenelens({"render", "--scene", "x"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--out is required"));
    }

    void screenshotOfTheAppAsScriptsDemoHeadless() {
        // scripts/demo --headless runs exactly this under xvfb-run.
        QTemporaryDir dir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_CONFIG_HOME", dir.path()); // fresh settings: default window size
        const QString out = dir.filePath("demo.png");
        const Run run = runScenelens({"--screenshot", out}, env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QImage image(out);
        QCOMPARE(image.size(), QSize(1400, 900));
    }

    void synthWritesTheDatasetLayouts() {
        QTemporaryDir dir;
        const Run run = runScenelens({"synth", "--out", dir.path(), "--scenes", "3", "--seed", "5",
                                      "--renders", "2", "--size", "64"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(QRegularExpression(
            R"(wrote 3 scenes \(train 1, val 1, test 1\), \d+ ScanQA and \d+ SQA3D questions, 2 views per scene)")));
        for (const char* file :
             {"scans/sceneSYN02_00/sceneSYN02_00_vh_clean_2.ply",
              "scans/sceneSYN02_00/sceneSYN02_00.aggregation.json",
              "scans/sceneSYN00_00/color/1.png", "scans/sceneSYN00_00/pose/1.txt",
              "scans/sceneSYN00_00/intrinsic/intrinsic_color.txt", "questions/ScanQA_v1.0_val.json",
              "questions/v1_balanced_sqa_annotations_test_scannetv2.json",
              "meta/scannetv2_train.txt", "meta/scannetv2-labels.combined.tsv"})
            QVERIFY2(QFile::exists(dir.filePath(file)), file);
        QCOMPARE(QImage(dir.filePath("scans/sceneSYN01_00/color/0.png")).size(), QSize(64, 64));

        const Run bad = runScenelens({"synth", "--out", dir.path(), "--scenes", "0"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains("--scenes must be a whole number from 1 to 100, got '0'"));
    }

    void projectWritesCoordinatesAndMetrics() {
        // Three separated blobs in 8-D, written with SceneLens' own .npy writer.
        QTemporaryDir dir;
        const int rows = 300, dims = 8;
        std::vector<float> values(std::size_t(rows) * dims);
        for (int i = 0; i < rows; ++i)
            for (int d = 0; d < dims; ++d)
                values[std::size_t(i) * dims + d] =
                    float((i % 3 == d % 3) * 20 + ((i * 7919 + d * 104729) % 1000) / 1000.0);
        const QString in = dir.filePath("x.npy"), out = dir.filePath("y.npy");
        scenelens::embed::writeNpyMatrix(in.toStdString(), values.data(), rows, dims);
        for (const char* method : {"pca", "umap"}) { // t-SNE is covered by test_tsne
            const Run run = runScenelens({"project", "--in", in, "--method", method, "--out", out,
                                          "--perplexity", "10", "--seed", "3", "--metrics"});
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            const auto projected = scenelens::embed::readNpyMatrix(out.toStdString());
            QCOMPARE(projected.rows, rows);
            QCOMPARE(projected.cols, 2);
            const QRegularExpressionMatch trust =
                QRegularExpression(R"(\ntrustworthiness@15 ([0-9.]+)\n)").match(run.out);
            QVERIFY2(trust.hasMatch(), qPrintable(run.out));
            QVERIFY2(trust.captured(1).toDouble() > 0.8, qPrintable(run.out));
            QVERIFY(run.out.contains("\nmetric_sample_size 300\n"));
        }
        values[5 * dims + 2] = std::numeric_limits<float>::quiet_NaN();
        scenelens::embed::writeNpyMatrix(in.toStdString(), values.data(), rows, dims);
        Run run = runScenelens({"project", "--in", in, "--method", "pca", "--out", out});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("x.npy: row 5 holds NaN"), qPrintable(run.err));
        run = runScenelens({"project", "--in", in, "--method", "mds", "--out", out});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--method must be pca, tsne or umap, got 'mds'"));
    }

    void projectReportsCrossModalRecall() {
        // Three blobs labelled by class, and four "prompts": the three class directions plus a
        // wrong one (class 0's direction, nudged, labelled 1), so queries -> input is right for
        // 3 of 4 queries at any k, and every input row finds its own class's prompt first.
        QTemporaryDir dir;
        const int rows = 300, dims = 9;
        std::vector<float> values(std::size_t(rows) * dims), queries(4 * dims, 0.0f);
        std::vector<std::int64_t> labels(rows), queryLabels = {0, 1, 2, 1};
        for (int i = 0; i < rows; ++i) {
            labels[i] = i % 3;
            for (int d = 0; d < dims; ++d)
                values[std::size_t(i) * dims + d] =
                    float((i % 3 == d % 3) * 20 + ((i * 7919 + d * 104729) % 1000) / 1000.0);
        }
        for (int q = 0; q < 3; ++q)
            for (int d = q; d < dims; d += 3)
                queries[q * dims + d] = 20;
        for (int d = 0; d < dims; d += 3)
            queries[3 * dims + d] = 20;
        queries[3 * dims + 1] = 3;
        auto path = [&](const char* name) { return dir.filePath(name); };
        scenelens::embed::writeNpyMatrix(path("x.npy").toStdString(), values.data(), rows, dims);
        scenelens::embed::writeNpyMatrix(path("q.npy").toStdString(), queries.data(), 4, dims);
        scenelens::embed::writeNpyIntegers(path("l.npy").toStdString(), labels);
        scenelens::embed::writeNpyIntegers(path("ql.npy").toStdString(), queryLabels);
        const QStringList base = {"project", "--in",        path("x.npy"), "--method",   "pca",
                                  "--out",   path("y.npy"), "--labels",    path("l.npy")};
        Run run = runScenelens(base + QStringList{"--metrics", "--queries", path("q.npy"),
                                                  "--query-labels", path("ql.npy")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        for (const char* line :
             {"\nrecall_queries_to_input@1 0.7500\n", "\nrecall_queries_to_input@10 0.7500\n",
              "\nrecall_input_to_queries@1 1.0000\n", "\nrecall_input_to_queries@5 1.0000\n"})
            QVERIFY2(run.out.contains(QLatin1String(line)), qPrintable(run.out));
        run = runScenelens(base + QStringList{"--metrics", "--queries", path("q.npy"),
                                              "--query-labels", path("l.npy")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("l.npy: 300 labels for 4 rows of"), qPrintable(run.err));
        run = runScenelens(base + QStringList{"--queries", path("q.npy")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--queries is for --metrics"));
    }

    void renderWithoutDisplaySaysSo() {
        SCENELENS_REQUIRE_REAL_SCENE();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("DISPLAY");
        QTemporaryDir dir;
        const Run run = runScenelens(
            {"render", "--scene", scenelens::test::realSceneDir(), "--out", dir.filePath("x.png")},
            env);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("needs an X display; run it under xvfb-run -a"),
                 qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"

// Embedding sets that come from outside an encoder: per-object geometry descriptors (goldens on
// hand-built scenes, class structure on the synthetic rooms), .npy + .csv/.json import with every
// error it reports, selection CSV export and selection summaries.

#include "ErrorText.h"
#include "SceneBuilders.h"
#include "embed/EmbeddingImport.h"
#include "embed/Npy.h"
#include "embed/ObjectDescriptors.h"
#include "scene/synth/SyntheticRoom.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>

using namespace scenelens;
using namespace scenelens::embed;

namespace {

using Texts = std::vector<std::string>;

void writeBytes(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

// A rows x 2 .npy whose row i is (i, -i).
std::string writeMatrix(const QTemporaryDir& dir, int rows, const QString& name = "emb.npy") {
    std::vector<float> values;
    for (int i = 0; i < rows; ++i) {
        values.push_back(float(i));
        values.push_back(-float(i));
    }
    const std::string path = dir.filePath(name).toStdString();
    writeNpyMatrix(path, values.data(), rows, 2);
    return path;
}

std::string pathIn(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    writeBytes(dir.filePath(name), bytes);
    return dir.filePath(name).toStdString();
}

// The message a call throws, with the temporary folder left out of file names.
QString errorIn(const QTemporaryDir& dir, const std::function<void()>& call) {
    return test::errorOf(call).remove(dir.path() + "/");
}

void compareDescriptor(const std::vector<float>& actual, const std::vector<float>& expected) {
    QCOMPARE(int(actual.size()), kObjectDescriptorDims);
    for (int d = 0; d < kObjectDescriptorDims; ++d)
        QVERIFY2(std::abs(actual[d] - expected[d]) < 1e-5f,
                 qPrintable(QString("%1: %2, expected %3")
                                .arg(QString::fromStdString(objectDescriptorNames()[d]))
                                .arg(actual[d])
                                .arg(expected[d])));
}

double distance(const EmbeddingSet& set, int a, int b) {
    double sum = 0;
    for (int d = 0; d < set.dims; ++d) {
        const double x = double(set.row(a)[d]) - set.row(b)[d];
        sum += x * x;
    }
    return std::sqrt(sum);
}

} // namespace

class TestPlotCoreIo : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void descriptorsOfKnownBoxes() {
        Scene scene;
        scene.id = "hand";
        // A red 2 x 1 x 0.5 box on the floor, a blue 0.4 x 0.2 x 0.2 box on it, a grey cube.
        test::addBox(scene, {1, 1, 0}, {3, 2, 0.5f}, 0, 5, "chair", {255, 0, 0});
        test::addBox(scene, {1.2f, 1.2f, 0.5f}, {1.6f, 1.4f, 0.7f}, 1, 7, "table", {0, 0, 255});
        test::addBox(scene, {4, 4, 0}, {5, 5, 1}, 2, 3, "cabinet", {200, 200, 200});
        test::finishScene(scene);
        scene.objects[0].nyu40Class = "chair";
        scene.objects[1].nyu40Class = "table";
        scene.objects[2].nyu40Class = "cabinet";
        // Normals: the red box all up, half of the blue box sideways, the cube all sideways.
        for (int v = 0; v < 24; ++v)
            scene.normals[v] = v < 8 || (v < 16 && v % 2 == 0) ? Eigen::Vector3f(0, 0, 1)
                                                               : Eigen::Vector3f(1, 0, 0);
        QCOMPARE(floorHeight(scene), 0.0f);
        QCOMPARE(int(objectDescriptorNames().size()), kObjectDescriptorDims);

        std::vector<float> red(kObjectDescriptorDims, 0.0f);
        const float redValues[] = {2, 1, 0.5f, 0.25f, 0, std::log10(2.0f), 0, 1, 0, 0};
        std::copy(std::begin(redValues), std::end(redValues), red.begin());
        red[10] = 1;     // hue 0 degrees
        red[18] = 1;     // saturation
        red[19] = 1;     // value
        red[20] = 0.75f; // variances 1, 0.25, 0.0625
        red[21] = 0.1875f;
        red[22] = 0.0625f;
        red[23] = 1;
        compareDescriptor(rawObjectDescriptor(scene, scene.objects[0], 0), red);

        std::vector<float> blue(kObjectDescriptorDims, 0.0f);
        const float blueValues[] = {
            0.4f, 0.2f, 0.2f, 0.6f, 0.5f, std::log10(0.08f), std::log10(0.016f), 0, 0, 1};
        std::copy(std::begin(blueValues), std::end(blueValues), blue.begin());
        blue[15] = 1; // hue 240 degrees: bin 5
        blue[18] = 1;
        blue[19] = 1;
        blue[20] = 0.75f; // variances 0.04, 0.01, 0.01
        blue[21] = 0;
        blue[22] = 0.25f;
        blue[23] = 0.5f;
        compareDescriptor(rawObjectDescriptor(scene, scene.objects[1], 0), blue);

        // Grey has no hue; a cube is spherical.
        const std::vector<float> grey = rawObjectDescriptor(scene, scene.objects[2], 0);
        for (int k = 10; k < 19; ++k)
            QCOMPARE(grey[k], 0.0f);
        QVERIFY(std::abs(grey[19] - 200.0f / 255.0f) < 1e-6f);
        QVERIFY(std::abs(grey[22] - 1.0f) < 1e-5f);
        QCOMPARE(grey[23], 0.0f);

        // Heights are taken above the floor given.
        QVERIFY(std::abs(rawObjectDescriptor(scene, scene.objects[1], 0.25f)[4] - 0.25f) < 1e-6f);
    }

    void descriptorSetMetadataAndStandardisation() {
        Scene a, b;
        a.id = "sceneA";
        b.id = "sceneB";
        test::addBox(a, {0, 0, 0}, {1, 1, 1}, 3, 5, "office chair", {10, 200, 30});
        test::addBox(b, {0, 0, 0}, {2, 1, 1}, 0, 7, "desk", {200, 10, 30});
        test::addBox(b, {3, 3, 0}, {4, 5, 2}, 4, 3, "cabinet", {30, 10, 200});
        SceneObject empty;
        empty.id = 9;
        b.objects.push_back(empty); // no vertices: left out
        for (Scene* s : {&a, &b}) {
            test::finishScene(*s);
            for (SceneObject& o : s->objects)
                o.nyu40Class = o.rawLabel.empty() ? "" : "class of " + o.rawLabel;
        }
        const EmbeddingSet raw = rawObjectDescriptors({&a, &b});
        QCOMPARE(raw.rows, 3);
        QCOMPARE(raw.dims, kObjectDescriptorDims);
        QCOMPARE(raw.name, std::string("object descriptors"));
        QCOMPARE(raw.modality, std::string("object3d"));
        QCOMPARE(raw.textColumns.at("scene"), (Texts{"sceneA", "sceneB", "sceneB"}));
        QCOMPARE(raw.textColumns.at("label"),
                 (Texts{"class of office chair", "class of desk", "class of cabinet"}));
        QCOMPARE(raw.textColumns.at("raw_label"), (Texts{"office chair", "desk", "cabinet"}));
        QCOMPARE(raw.textColumns.at("modality"), Texts(3, "object3d"));
        QCOMPARE(raw.numberColumns.at("object_id"), (std::vector<double>{3, 0, 4}));
        QCOMPARE(raw.numberColumns.at("nyu40_id"), (std::vector<double>{5, 7, 3}));
        validate(raw, "raw descriptors");

        const EmbeddingSet z = objectDescriptors({&a, &b});
        QCOMPARE(z.rows, 3);
        for (int d = 0; d < z.dims; ++d) {
            double mean = 0, squares = 0;
            for (int i = 0; i < 3; ++i)
                mean += z.row(i)[d] / 3.0;
            for (int i = 0; i < 3; ++i)
                squares += (z.row(i)[d] - mean) * (z.row(i)[d] - mean) / 3.0;
            QVERIFY(std::abs(mean) < 1e-5);
            const bool constant = raw.row(0)[d] == raw.row(1)[d] && raw.row(1)[d] == raw.row(2)[d];
            QVERIFY(std::abs(squares - (constant ? 0.0 : 1.0)) < 1e-4);
        }
        // Long sides 1, 2 and 2 (the cabinet's is along y): the first is below the mean.
        QVERIFY(z.row(0)[0] < 0 && z.row(2)[0] > 0);

        Scene nothing;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, objectDescriptors({&nothing}));
    }

    void sameClassObjectsAreCloserInSyntheticRooms() {
        std::vector<synth::SyntheticRoom> rooms;
        for (int i = 0; i < 8; ++i)
            rooms.push_back(synth::generateRoom({7, i, 0.004f}));
        std::vector<const Scene*> scenes;
        for (const auto& room : rooms)
            scenes.push_back(&room.scene);
        const EmbeddingSet set = objectDescriptors(scenes);
        const Texts& labels = set.textColumns.at("label");
        double same = 0, other = 0;
        int sameCount = 0, otherCount = 0;
        std::map<std::string, std::pair<double, double>> byClass; // mean same, mean other
        std::map<std::string, std::pair<int, int>> counts;
        for (int i = 0; i < set.rows; ++i)
            for (int j = 0; j < set.rows; ++j) {
                if (i == j)
                    continue;
                const double d = distance(set, i, j);
                const bool match = labels[i] == labels[j];
                (match ? same : other) += d;
                ++(match ? sameCount : otherCount);
                (match ? byClass[labels[i]].first : byClass[labels[i]].second) += d;
                ++(match ? counts[labels[i]].first : counts[labels[i]].second);
            }
        QVERIFY(sameCount > 0 && otherCount > 0);
        qInfo("%d objects; mean distance within a class %.3f, between classes %.3f", set.rows,
              same / sameCount, other / otherCount);
        QVERIFY(same / sameCount < 0.7 * (other / otherCount));
        int classes = 0, closer = 0;
        for (const auto& [label, sums] : byClass) {
            if (counts[label].first == 0)
                continue;
            ++classes;
            closer += sums.first / counts[label].first < sums.second / counts[label].second;
        }
        qInfo("%d of %d classes with several objects are closer to themselves", closer, classes);
        QVERIFY(classes >= 5);
        QVERIFY(closer >= classes * 9 / 10);
    }

    void csvImportRoundTrip() {
        QTemporaryDir dir;
        const std::string npy = writeMatrix(dir, 4);
        // BOM, CRLF, quoted commas, doubled quotes, a line break in a field, UTF-8, empty values.
        const QByteArray csv = "\xEF\xBB\xBFlabel,object_id,text,score,scene,note\r\n"
                               "chair,1,\"a chair, red\",0.5,0001,x\r\n"
                               "\"table \"\"big\"\"\",2,\"two\nlines\",,0002,7\r\n"
                               "St\xC3\xBChle \xE2\x9C\x93,,\xE6\x97\xA5\xE6\x9C\xAC,1e3,0003,\r\n"
                               ",4,,-2,0004,\"\"\r\n";
        const std::string meta = pathIn(dir, "meta.csv", csv);
        const EmbeddingSet set = importEmbeddings(npy, meta);
        QCOMPARE(set.name, std::string("emb"));
        QCOMPARE(set.rows, 4);
        QCOMPARE(set.dims, 2);
        QCOMPARE(set.row(3)[1], -3.0f);
        QCOMPARE(set.textColumns.at("label"),
                 (Texts{"chair", "table \"big\"", "St\xC3\xBChle \xE2\x9C\x93", ""}));
        QCOMPARE(set.textColumns.at("text"),
                 (Texts{"a chair, red", "two\nlines", "\xE6\x97\xA5\xE6\x9C\xAC", ""}));
        QCOMPARE(set.textColumns.at("scene"), (Texts{"0001", "0002", "0003", "0004"}));
        QCOMPARE(set.textColumns.at("note"), (Texts{"x", "7", "", ""}));
        const auto& ids = set.numberColumns.at("object_id");
        QCOMPARE(ids[0], 1.0);
        QVERIFY(std::isnan(ids[2]));
        const auto& score = set.numberColumns.at("score");
        QCOMPARE(score[2], 1000.0);
        QCOMPARE(score[3], -2.0);
        QVERIFY(std::isnan(score[1]));
        QCOMPARE(set.modality, std::string());
    }

    void csvColumnTypes() {
        QTemporaryDir dir;
        const std::string meta =
            pathIn(dir, "types.CSV", "a,b,c,d,modality\n1, 2 ,,+3,7\n-1.5e-2,x,,nan,7\n");
        const MetadataTable table = readMetadata(meta);
        QCOMPARE(table.rows, 2);
        QCOMPARE(table.numberColumns.at("a"), (std::vector<double>{1, -0.015}));
        QCOMPARE(table.textColumns.at("b"), (Texts{" 2 ", "x"}));
        QCOMPARE(table.textColumns.at("c"), (Texts{"", ""})); // no values: text
        QCOMPARE(table.numberColumns.at("d")[0], 3.0);
        QVERIFY(std::isnan(table.numberColumns.at("d")[1]));
        QCOMPARE(table.textColumns.at("modality"), (Texts{"7", "7"})); // always text

        // Single column with an empty value in the middle; trailing blank lines are ignored.
        const MetadataTable one = readMetadata(pathIn(dir, "one.csv", "label\nchair\n\nbed\n\n\n"));
        QCOMPARE(one.textColumns.at("label"), (Texts{"chair", "", "bed"}));
        // No newline at the end, a quoted empty last field.
        const MetadataTable last = readMetadata(pathIn(dir, "last.csv", "a,b\n1,\"\""));
        QCOMPARE(last.rows, 1);
        QCOMPARE(last.textColumns.at("b"), (Texts{""}));
    }

    void jsonImportBothShapes() {
        QTemporaryDir dir;
        const std::string npy = writeMatrix(dir, 3);
        const std::string rows = pathIn(
            dir, "rows.json",
            "[{\"label\": \"chair\", \"object_id\": 3, \"flag\": true, \"modality\": "
            "\"object3d\"},\n"
            " {\"label\": \"a \\\"bed\\\", with ✓\", \"score\": 0.25, \"modality\": "
            "\"object3d\"},\n"
            " {\"object_id\": null, \"flag\": false, \"score\": 2, \"modality\": \"object3d\"}]");
        const EmbeddingSet set = importEmbeddings(npy, rows);
        QCOMPARE(set.modality, std::string("object3d"));
        QCOMPARE(set.textColumns.at("label"), (Texts{"chair", "a \"bed\", with ✓", ""}));
        QCOMPARE(set.textColumns.at("flag"), (Texts{"true", "", "false"}));
        const auto& ids = set.numberColumns.at("object_id");
        QCOMPARE(ids[0], 3.0);
        QVERIFY(std::isnan(ids[1]) && std::isnan(ids[2]));
        QVERIFY(std::isnan(set.numberColumns.at("score")[0]));
        QCOMPARE(set.numberColumns.at("score")[2], 2.0);

        const std::string columns =
            pathIn(dir, "columns.json",
                   "{\"label\": [\"a\", \"b\", \"c\"], \"score\": [1.5, null, -3],\n"
                   " \"mixed\": [1, \"two\", 3.5], \"modality\": [\"text\", \"image\", \"text\"]}");
        const EmbeddingSet byColumn = importEmbeddings(npy, columns);
        QCOMPARE(byColumn.modality, std::string()); // rows differ
        QCOMPARE(byColumn.textColumns.at("mixed"), (Texts{"1", "two", "3.5"}));
        QCOMPARE(byColumn.numberColumns.at("score")[2], -3.0);
        const EmbeddingSet given = importEmbeddings(npy, columns, "scene3d");
        QCOMPARE(given.modality, std::string("scene3d"));
        QCOMPARE(given.textColumns.at("modality"), Texts(3, "scene3d"));
        QCOMPARE(importEmbeddings(npy, {}, "text").modality, std::string("text"));
        QVERIFY(importEmbeddings(npy).textColumns.empty());
    }

    void importErrors_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char* tag, const char* name, const QByteArray& content,
                            const char* expected) {
            QTest::newRow(tag) << QString(name) << content << QString(expected);
        };
        row("field count", "meta.csv", "a,b,c,d,e\n1,2,3,4,5\n1,2,3,4\n1,2,3,4,5\n",
            "meta.csv: line 3: 4 fields, expected 5");
        row("line after a multi-line field", "meta.csv", "a,b\n\"x\ny\",1\n\"p\nq\nr\",2,3\n",
            "meta.csv: line 4: 3 fields, expected 2");
        row("unterminated quote", "meta.csv", "a,b\n1,2\n3,\"open\n4,5\n",
            "meta.csv: line 3: a quoted field is never closed");
        row("text after quote", "meta.csv", "a,b\n1,\"x\"y\n",
            "meta.csv: line 2, column 6: unexpected text after a closing quote");
        row("quote in plain field", "meta.csv", "a,b\n1,x\"y\n",
            "meta.csv: line 2, column 4: a quote inside an unquoted field");
        row("empty file", "meta.csv", "", "meta.csv: empty file: expected a header row");
        row("duplicate column", "meta.csv", "a,b,a\n1,2,3\n",
            "meta.csv: line 1: column 'a' appears twice");
        row("unnamed column", "meta.csv", "a,,c\n1,2,3\n",
            "meta.csv: line 1: column 2 has no name");
        row("invalid UTF-8", "meta.csv", "a,b\n\xC3\xBC\xFF,1\n",
            "meta.csv: line 2, column 2: invalid UTF-8");
        row("row count csv", "meta.csv", "a\n1\n2\n",
            "meta.csv: 2 rows, expected 3 (the rows of emb.npy)");
        row("invalid json", "meta.json", "[{\"a\": 1},\n {\"a\": tru}]",
            "meta.json: line 2, column 11: invalid JSON: syntax error");
        row("json scalar", "meta.json", "42",
            "meta.json: expected a list of row objects or an object of column arrays, found a "
            "number");
        row("json row not object", "meta.json", "[{\"a\": 1}, [1], {\"a\": 2}]",
            "meta.json: row 1: expected an object, found an array");
        row("json nested value", "meta.json", "[{\"a\": 1}, {\"a\": {\"b\": 2}}, {}]",
            "meta.json: row 1, key 'a': expected a string, number, boolean or null, found an "
            "object");
        row("json column not array", "meta.json", "{\"a\": [1, 2, 3], \"b\": \"x\"}",
            "meta.json: column 'b': expected an array, found a string");
        row("json column length", "meta.json", "{\"a\": [1, 2, 3], \"b\": [1, 2]}",
            "meta.json: column 'b': 2 values, expected 3 (as column 'a')");
        row("json nested in column", "meta.json", "{\"a\": [1, [2], 3]}",
            "meta.json: column 'a', row 1: expected a string, number, boolean or null, found an "
            "array");
        row("row count json", "meta.json", "[{}, {}, {}, {}]",
            "meta.json: 4 rows, expected 3 (the rows of emb.npy)");
        row("unknown format", "meta.tsv", "a\tb\n", "meta.tsv: unknown metadata format '.tsv'");
    }
    void importErrors() {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string npy = writeMatrix(dir, 3);
        const std::string meta = pathIn(dir, name, content);
        const QString message = errorIn(dir, [&] { importEmbeddings(npy, meta); });
        QVERIFY2(message.startsWith(expected),
                 qPrintable(QString("'%1' does not start with '%2'").arg(message, expected)));
    }

    void importErrorsOfTheMatrix() {
        QTemporaryDir dir;
        std::vector<float> values = {1, 2, 3, NAN};
        const std::string npy = dir.filePath("nan.npy").toStdString();
        writeNpyMatrix(npy, values.data(), 2, 2);
        QCOMPARE(errorIn(dir, [&] { importEmbeddings(npy); }),
                 QString("nan.npy: row 1: holds NaN"));
        VERIFY_CONTAINS(
            errorIn(dir, [&] { importEmbeddings(dir.filePath("absent.npy").toStdString()); }),
            QString("absent.npy"));
        const std::string good = writeMatrix(dir, 2);
        VERIFY_CONTAINS(
            errorIn(dir, [&] { importEmbeddings(good, dir.filePath("no.csv").toStdString()); }),
            QString("no.csv: cannot open file"));
    }

    void selectionCsvRoundTrip() {
        EmbeddingSet set;
        set.name = "mine";
        set.modality = "text";
        set.rows = 3;
        set.dims = 1;
        set.values = {0, 1, 2};
        set.textColumns["text"] = {"plain", "comma, \"quote\"\nnew line", " padded ✓ "};
        set.textColumns["x"] = {"clash", "with", "coordinate"};
        set.numberColumns["score"] = {0.1, NAN, -1e-300};
        const std::vector<float> coords = {0.1f, 1.0f / 3.0f, -2, 1e-7f, 5, 6};
        QTemporaryDir dir;
        const std::string path = dir.filePath("selection.csv").toStdString();
        writeSelectionCsv(path, set, {2, 0}, coords.data(), 2);

        const MetadataTable table = readMetadata(path);
        QCOMPARE(table.rows, 2);
        QCOMPARE(table.numberColumns.at("row"), (std::vector<double>{2, 0}));
        // Coordinates are floats: written shortest, they read back as the same float.
        QCOMPARE(table.numberColumns.at("x")[0], 5.0);
        QCOMPARE(float(table.numberColumns.at("x")[1]), 0.1f);
        QCOMPARE(table.numberColumns.at("y")[0], 6.0);
        QCOMPARE(float(table.numberColumns.at("y")[1]), 1.0f / 3.0f);
        QCOMPARE(table.textColumns.at("modality"), Texts(2, "text"));
        QCOMPARE(table.textColumns.at("text"), (Texts{" padded ✓ ", "plain"}));
        QCOMPARE(table.textColumns.at("meta_x"), (Texts{"coordinate", "clash"}));
        QCOMPARE(table.numberColumns.at("score"), (std::vector<double>{-1e-300, 0.1}));

        writeSelectionCsv(path, set, {1});
        const MetadataTable other = readMetadata(path);
        QCOMPARE(other.textColumns.at("text"), (Texts{"comma, \"quote\"\nnew line"}));
        QCOMPARE(other.textColumns.at("x"), (Texts{"with"}));
        QCOMPARE(other.textColumns.at("score"), (Texts{""})); // NaN only: no value to type
        QVERIFY(!other.numberColumns.count("y"));

        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, writeSelectionCsv(path, set, {3}));
        VERIFY_CONTAINS(errorIn(dir,
                                [&] {
                                    writeSelectionCsv(dir.filePath("no/such.csv").toStdString(),
                                                      set, {0});
                                }),
                        QString("no/such.csv: cannot write"));
    }

    void selectionSummary() {
        EmbeddingSet set;
        set.rows = 6;
        set.dims = 1;
        set.values.assign(6, 0);
        set.modality = "object3d";
        set.textColumns["modality"] = {"", "text", "text", "", "image", "text"};
        set.textColumns["label"] = {"chair", "bed", "chair", "", "bed", "sofa"};
        const SelectionSummary s = summarize(set, {0, 1, 2, 3, 5});
        QCOMPARE(s.rows, 5);
        using Counts = std::vector<std::pair<std::string, int>>;
        QCOMPARE(s.modalities, (Counts{{"text", 3}, {"object3d", 2}}));
        QCOMPARE(s.labels, (Counts{{"chair", 2}, {"(none)", 1}, {"bed", 1}, {"sofa", 1}}));
        QCOMPARE(summarize(set, {}).rows, 0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, summarize(set, {6}));

        EmbeddingSet numbered = set;
        numbered.textColumns.erase("label");
        numbered.numberColumns["label"] = {3, 3, 4, NAN, 3, 4};
        QCOMPARE(summarize(numbered, {0, 1, 2, 3}).labels,
                 (Counts{{"3", 2}, {"(none)", 1}, {"4", 1}}));
    }
};

QTEST_GUILESS_MAIN(TestPlotCoreIo)
#include "test_plot_core_io.moc"

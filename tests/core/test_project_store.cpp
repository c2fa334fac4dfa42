// The project file store: every object type round trips exactly; ranges, streaming, edits and
// storage options give the same values; h5py reads our files and we read h5py's; damaged, foreign
// and newer files are FileErrors; a save killed at any moment leaves the previous or the new
// version.

#include "Error.h"
#include "ErrorText.h"
#include "StoreKillData.h"
#include "store/ProjectStore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <hdf5.h>
#include <nlohmann/json.hpp>

#include <random>

using namespace scenelens;
using namespace scenelens::store;
using Json = nlohmann::json;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

embed::EmbeddingSet sampleSet(const std::string& name, int rows, int dims, unsigned seed) {
    static const char* const labels[] = {"chair", "стул", "椅子", "café ☕", "table", ""};
    embed::EmbeddingSet set;
    set.name = name;
    set.modality = "object3d";
    set.space = "clip-vit-b32";
    set.model = "openscene-3d-" + std::to_string(seed);
    set.created = "2024-06-01T10:20:3" + std::to_string(seed % 10) + "Z";
    set.rows = rows;
    set.dims = dims;
    std::mt19937 engine(seed);
    std::normal_distribution<float> normal;
    for (int i = 0; i < rows * dims; ++i)
        set.values.push_back(normal(engine));
    auto& label = set.textColumns["label"];
    auto& scene = set.textColumns["scene"];
    auto& objectId = set.numberColumns["object_id"];
    auto& score = set.numberColumns["score"];
    for (int i = 0; i < rows; ++i) {
        label.push_back(labels[(i + seed) % 6]);
        scene.push_back("scene000" + std::to_string(i % 3) + "_00");
        objectId.push_back(i * 2 + 0.5);
        score.push_back(std::uniform_real_distribution<double>(-1, 1)(engine));
    }
    return set;
}

/// A set with no rows that still declares its columns.
embed::EmbeddingSet emptySet(const std::string& name, int dims) {
    embed::EmbeddingSet set = sampleSet(name, 0, dims, 3);
    set.created = "";
    return set;
}

StoredScene sampleScene(const std::string& id, float shift) {
    StoredScene scene;
    scene.id = id;
    scene.sourcePath = "/data/scannet/scans/" + id;
    scene.axisAlignment = {0.5f, -0.866f, 0, shift,  0.866f, 0.5f, 0, -2.25f,
                           0,    0,       1, 0.125f, 0,      0,    0, 1};
    return scene;
}

StoredProjection sampleProjection(const std::string& name, int rows) {
    StoredProjection projection;
    projection.name = name;
    projection.inputSets = {"zeta", "mid"};
    projection.rows = rows;
    projection.dims = 3;
    std::mt19937 engine(9);
    std::uniform_real_distribution<float> uniform(-30, 30);
    for (int i = 0; i < rows * 3; ++i)
        projection.coords.push_back(uniform(engine));
    projection.options.method = embed::ProjectionMethod::Umap;
    projection.options.dims = 3;
    projection.options.perplexity = 12.5;
    projection.options.neighbours = 7;
    projection.options.minDist = 0.25;
    projection.options.seed = 123456789012345ull;
    projection.options.metric = embed::Metric::Cosine;
    projection.options.knn = embed::KnnMethod::Approximate;
    projection.title = "UMAP of zeta + mid";
    projection.details = "initialisation: spectral";
    projection.metrics.values = {{"trustworthiness@15", 0.9375}, {"continuity@15", 0.8125}};
    projection.metrics.sampleSize = rows;
    projection.viewState = R"({"colourBy":"label","pointSize":4})";
    return projection;
}

/// Larger than HDF5's 64 KiB limit on what an object header holds.
const std::string kSession =
    R"({"openSets":["zeta"],"camera":[1,2,3],"note":"стул","selection":")" +
    std::string(200000, 'x') + "\"}";

/// The first difference between two sets, "" when they are equal (values compared exactly).
QString differences(const embed::EmbeddingSet& actual, const embed::EmbeddingSet& expected) {
    const auto text = [](const std::string& s) { return QString::fromStdString(s); };
    if (actual.name != expected.name)
        return "name " + text(actual.name) + " != " + text(expected.name);
    if (actual.modality != expected.modality || actual.space != expected.space ||
        actual.model != expected.model || actual.created != expected.created)
        return "attributes of " + text(expected.name) + " differ: " + text(actual.created) +
               " vs " + text(expected.created);
    if (actual.rows != expected.rows || actual.dims != expected.dims)
        return QString("shape %1x%2 != %3x%4")
            .arg(actual.rows)
            .arg(actual.dims)
            .arg(expected.rows)
            .arg(expected.dims);
    for (std::size_t i = 0; i < expected.values.size(); ++i)
        if (actual.values[i] != expected.values[i])
            return QString("value %1: %2 != %3")
                .arg(i)
                .arg(actual.values[i])
                .arg(expected.values[i]);
    if (actual.values.size() != expected.values.size())
        return "value counts differ";
    if (actual.textColumns != expected.textColumns)
        return "text columns of " + text(expected.name) + " differ";
    if (actual.numberColumns != expected.numberColumns)
        return "number columns of " + text(expected.name) + " differ";
    return {};
}

/// Rows [first, first + count) of set, as readRows gives them.
embed::EmbeddingSet slice(const embed::EmbeddingSet& set, int first, int count) {
    embed::EmbeddingSet part = set;
    part.rows = count;
    part.values.assign(set.values.begin() + std::ptrdiff_t(first) * set.dims,
                       set.values.begin() + std::ptrdiff_t(first + count) * set.dims);
    for (auto& [name, column] : part.textColumns)
        column.assign(set.textColumns.at(name).begin() + first,
                      set.textColumns.at(name).begin() + first + count);
    for (auto& [name, column] : part.numberColumns)
        column.assign(set.numberColumns.at(name).begin() + first,
                      set.numberColumns.at(name).begin() + first + count);
    return part;
}

QString differences(const StoredProjection& actual, const StoredProjection& expected) {
    if (actual.name != expected.name || actual.inputSets != expected.inputSets ||
        actual.title != expected.title || actual.details != expected.details ||
        actual.viewState != expected.viewState)
        return "names, inputs or texts differ";
    if (actual.rows != expected.rows || actual.dims != expected.dims ||
        actual.coords != expected.coords)
        return "coordinates differ";
    const embed::ProjectionOptions &a = actual.options, &e = expected.options;
    if (a.method != e.method || a.dims != e.dims || a.perplexity != e.perplexity ||
        a.neighbours != e.neighbours || a.minDist != e.minDist || a.seed != e.seed ||
        a.metric != e.metric || a.knn != e.knn)
        return "options differ";
    if (actual.metrics.values != expected.metrics.values ||
        actual.metrics.sampleSize != expected.metrics.sampleSize)
        return "metrics differ";
    return {};
}

QString differences(const StoredScene& actual, const StoredScene& expected) {
    if (actual.id != expected.id || actual.sourcePath != expected.sourcePath ||
        actual.axisAlignment != expected.axisAlignment)
        return "scene " + QString::fromStdString(expected.id) + " differs";
    return {};
}

#define COMPARE_EQUAL(actual, expected)                                                            \
    do {                                                                                           \
        const QString difference = differences(actual, expected);                                  \
        QVERIFY2(difference.isEmpty(), qPrintable(difference));                                    \
    } while (false)

/// What roundTrip and the h5py tests write: scenes, sets (one empty) and a projection, in an
/// order that is not alphabetical.
struct SampleProject {
    std::vector<StoredScene> scenes{sampleScene("scene0002_00", 1.5f),
                                    sampleScene("scene0001_00", -4.0f)};
    std::vector<embed::EmbeddingSet> sets{sampleSet("zeta", 300, 16, 1), emptySet("alpha", 8),
                                          sampleSet("mid", 41, 16, 2)};
    StoredProjection projection = sampleProjection("umap 3d", 341);

    void write(const std::string& path, StorageOptions options = {}) const {
        ProjectWriter writer(path, options);
        for (const StoredScene& scene : scenes)
            writer.writeScene(scene);
        for (const embed::EmbeddingSet& set : sets)
            writer.writeSet(set);
        writer.writeProjection(projection);
        writer.writeSession(kSession);
        writer.commit();
    }
};

std::vector<std::string> setNames(const ProjectStore& store) {
    std::vector<std::string> names;
    for (const SetInfo& info : store.sets())
        names.push_back(info.name);
    return names;
}

/// Stored bytes of every chunk of a dataset, read with HDF5 itself.
struct StoredChunks {
    std::vector<std::vector<unsigned char>> chunks;
    std::vector<hsize_t> chunkShape;
    int filters = -1;
};

StoredChunks storedChunks(const std::string& path, const std::string& dataset) {
    StoredChunks stored;
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t data = H5Dopen2(file, dataset.c_str(), H5P_DEFAULT);
    const hid_t properties = H5Dget_create_plist(data);
    stored.filters = H5Pget_nfilters(properties);
    stored.chunkShape.resize(2);
    H5Pget_chunk(properties, 2, stored.chunkShape.data());
    const hid_t space = H5Dget_space(data);
    hsize_t count = 0;
    H5Dget_num_chunks(data, space, &count);
    for (hsize_t i = 0; i < count; ++i) {
        hsize_t offset[2];
        unsigned mask = 0;
        haddr_t address = 0;
        hsize_t size = 0;
        H5Dget_chunk_info(data, space, i, offset, &mask, &address, &size);
        std::vector<unsigned char> bytes(size);
        std::uint32_t filterMask = 0;
        H5Dread_chunk(data, H5P_DEFAULT, offset, &filterMask, bytes.data());
        stored.chunks.push_back(std::move(bytes));
    }
    H5Sclose(space);
    H5Pclose(properties);
    H5Dclose(data);
    H5Fclose(file);
    return stored;
}

/// Where the last chunk of a dataset lies in its file: byte offset and size.
std::pair<haddr_t, hsize_t> lastChunkLocation(const std::string& path, const std::string& dataset) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t data = H5Dopen2(file, dataset.c_str(), H5P_DEFAULT);
    const hid_t space = H5Dget_space(data);
    hsize_t count = 0, offset[2], size = 0;
    haddr_t address = 0;
    unsigned mask = 0;
    H5Dget_num_chunks(data, space, &count);
    H5Dget_chunk_info(data, space, count - 1, offset, &mask, &address, &size);
    H5Sclose(space);
    H5Dclose(data);
    H5Fclose(file);
    return {address, size};
}

void setFormatVersion(const std::string& path, int version) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    const hid_t attribute = H5Aopen(file, "format_version", H5P_DEFAULT);
    H5Awrite(attribute, H5T_NATIVE_INT, &version);
    H5Aclose(attribute);
    H5Fclose(file);
}

void writeHdf5WithoutFormat(const std::string& path) {
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Gclose(H5Gcreate2(file, "embeddings", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Fclose(file);
}

bool pythonHasH5py() {
    QProcess probe;
    probe.start(kPython, {"-c", "import h5py, numpy"});
    return probe.waitForFinished(60000) && probe.exitStatus() == QProcess::NormalExit &&
           probe.exitCode() == 0;
}

/// Runs read_store_h5py.py with args and parses the JSON it prints.
Json runH5pyScript(const QStringList& args, QString& error) {
    QProcess process;
    process.start(kPython, QStringList{QStringLiteral(SCENELENS_READ_STORE_SCRIPT)} + args);
    if (!process.waitForFinished(120000) || process.exitCode() != 0) {
        error = "read_store_h5py.py failed: " + QString::fromUtf8(process.readAllStandardError());
        return {};
    }
    return Json::parse(process.readAllStandardOutput().toStdString());
}

std::vector<float> floatsOf(const Json& rows) {
    std::vector<float> values;
    for (const Json& row : rows)
        for (const Json& value : row)
            values.push_back(float(value.get<double>()));
    return values;
}

/// A string value of a dumped object, "" when it is absent or null.
std::string textAt(const Json& object, const char* key) {
    const auto entry = object.find(key);
    return entry == object.end() || entry->is_null() ? std::string() : entry->get<std::string>();
}

/// The first difference between what ProjectStore reads and what h5py dumped, "" when none.
QString differencesFromDump(const ProjectStore& store, const Json& dump) {
    if (dump.at("format") != "scenelens-project" || dump.at("format_version") != 1)
        return "root attributes differ";
    std::vector<std::string> sceneIds;
    for (const StoredScene& scene : store.scenes()) {
        const Json& stored = dump.at("scenes").at(scene.id);
        sceneIds.push_back(scene.id);
        if (textAt(stored, "source_path") != scene.sourcePath)
            return "source_path differs";
        for (int i = 0; i < 16; ++i)
            if (float(stored.at("axis_alignment")[i].get<double>()) != scene.axisAlignment[i])
                return "axis_alignment differs";
    }
    if (sceneIds.size() != dump.at("scenes").size())
        return "scene count differs";
    if (setNames(store) != dump.at("set_order").get<std::vector<std::string>>())
        return "set order differs";
    for (const SetInfo& info : store.sets()) {
        const Json& stored = dump.at("sets").at(info.name);
        const embed::EmbeddingSet set = store.readSet(info.name);
        if (stored.at("shape") != Json::array({set.rows, set.dims}))
            return "shape of " + QString::fromStdString(info.name) + " differs";
        if (textAt(stored, "modality") != set.modality || textAt(stored, "space") != set.space ||
            textAt(stored, "model") != set.model || textAt(stored, "created") != set.created)
            return "attributes of " + QString::fromStdString(info.name) + " differ";
        if (floatsOf(stored.at("vectors")) != set.values)
            return "vectors of " + QString::fromStdString(info.name) + " differ";
        if (stored.at("text").get<std::map<std::string, std::vector<std::string>>>() !=
            set.textColumns)
            return "text columns of " + QString::fromStdString(info.name) + " differ";
        if (stored.at("numbers").get<std::map<std::string, std::vector<double>>>() !=
            set.numberColumns)
            return "number columns of " + QString::fromStdString(info.name) + " differ";
    }
    if (store.projectionNames().size() != dump.at("projections").size())
        return "projection count differs";
    for (const std::string& name : store.projectionNames()) {
        const Json& stored = dump.at("projections").at(name);
        const StoredProjection projection = store.readProjection(name);
        const Json& parameters = stored.at("parameters");
        if (textAt(stored, "method") != embed::toString(projection.options.method) ||
            parameters.at("dims") != projection.options.dims ||
            parameters.at("perplexity") != projection.options.perplexity ||
            parameters.at("neighbours") != projection.options.neighbours ||
            parameters.at("min_dist") != projection.options.minDist ||
            parameters.at("seed") != projection.options.seed)
            return "parameters of " + QString::fromStdString(name) + " differ";
        if (stored.at("input_sets").get<std::vector<std::string>>() != projection.inputSets ||
            textAt(stored, "title") != projection.title ||
            textAt(stored, "details") != projection.details ||
            textAt(stored, "view_state") != projection.viewState)
            return "attributes of " + QString::fromStdString(name) + " differ";
        if (floatsOf(stored.at("coords")) != projection.coords ||
            stored.at("shape") != Json::array({projection.rows, projection.dims}))
            return "coords of " + QString::fromStdString(name) + " differ";
        const Json& metrics = stored.at("metrics");
        if (metrics.at("sample_size") != projection.metrics.sampleSize ||
            metrics.size() != projection.metrics.values.size() + 1)
            return "metrics of " + QString::fromStdString(name) + " differ";
        for (const auto& [metric, value] : projection.metrics.values)
            if (metrics.at(metric) != value)
                return "metric " + QString::fromStdString(metric) + " differs";
    }
    if (textAt(dump, "session") != store.session())
        return "session differs";
    return {};
}

class RecordingSink : public ProgressSink {
public:
    explicit RecordingSink(int cancelAfter = -1) : cancelAfter_(cancelAfter) {}
    void report(std::string_view phase, double fraction) override {
        phases.emplace_back(phase);
        fractions.push_back(fraction);
    }
    bool cancelled() const override {
        return cancelAfter_ >= 0 && int(fractions.size()) >= cancelAfter_;
    }
    std::vector<std::string> phases;
    std::vector<double> fractions;

private:
    int cancelAfter_;
};

/// Everything a reader can get from the file; throws what the store throws.
void readEverything(const std::string& path) {
    ProjectStore store(path);
    store.scenes();
    for (const SetInfo& info : store.sets())
        store.readSet(info.name);
    for (const std::string& name : store.projectionNames())
        store.readProjection(name);
    store.session();
}

QStringList savingFiles(const QString& folder) {
    return QDir(folder).entryList({"*.saving-*"}, QDir::Files | QDir::Hidden);
}

} // namespace

class TestProjectStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QVERIFY(dir_.isValid());
        path_ = dir_.filePath(QString("project-%1.slh5").arg(++fileNumber_)).toStdString();
    }

    void everyObjectRoundTripsExactly();
    void readRowsAcrossChunkBoundariesMatchesTheSet();
    void editsChangeOneSetAndKeepTheRest();
    void duplicatesAndNonFiniteValuesAreRefused();
    void unfinishedWorkLeavesNoTrace();
    void streamingWritesWhatWriteSetWrites();
    void storageOptionsKeepTheValues();
    void readingReportsProgressAndCancels();
    void h5pyReadsWhatSceneLensWrites();
    void sceneLensReadsWhatH5pyWrites();
    void foreignAndNewerFilesAreFileErrors();
    void truncatedFilesAreFileErrorsOrWhole();
    void damagedChunksAreFileErrorsWhereRead();
    void killedSavesLeaveAWholeVersion();

private:
    QTemporaryDir dir_;
    std::string path_;
    int fileNumber_ = 0;
};

void TestProjectStore::everyObjectRoundTripsExactly() {
    const SampleProject project;
    project.write(path_, {4096, 1, 2});

    const ProjectStore store(path_);
    QCOMPARE(store.formatVersion(), kFormatVersion);
    const std::vector<StoredScene> scenes = store.scenes();
    QCOMPARE(scenes.size(), std::size_t(2));
    COMPARE_EQUAL(scenes[0], project.scenes[0]);
    COMPARE_EQUAL(scenes[1], project.scenes[1]);

    QCOMPARE(setNames(store), (std::vector<std::string>{"zeta", "alpha", "mid"}));
    const SetInfo zeta = store.setInfo("zeta");
    QCOMPARE(zeta.rows, std::int64_t(300));
    QCOMPARE(zeta.dims, 16);
    QCOMPARE(zeta.space, std::string("clip-vit-b32"));
    QCOMPARE(zeta.textColumns, (std::vector<std::string>{"label", "scene"}));
    QCOMPARE(zeta.numberColumns, (std::vector<std::string>{"object_id", "score"}));
    QVERIFY(store.hasSet("alpha"));
    QVERIFY(!store.hasSet("missing"));
    COMPARE_EQUAL(store.readSet("zeta"), project.sets[0]);
    COMPARE_EQUAL(store.readSet("mid"), project.sets[2]);

    const embed::EmbeddingSet alpha = store.readSet("alpha");
    QCOMPARE(alpha.rows, 0);
    QCOMPARE(alpha.dims, 8);
    QVERIFY(alpha.values.empty());
    QCOMPARE(alpha.textColumns.size(), std::size_t(2));
    QVERIFY(alpha.textColumns.at("label").empty());
    QCOMPARE(alpha.numberColumns.size(), std::size_t(2));
    QCOMPARE(alpha.created.size(), std::string("2024-06-01T10:20:30Z").size());
    QVERIFY(alpha.created.back() == 'Z');

    QCOMPARE(store.projectionNames(), (std::vector<std::string>{"umap 3d"}));
    COMPARE_EQUAL(store.readProjection("umap 3d"), project.projection);
    QCOMPARE(store.session(), kSession);

    VERIFY_CONTAINS(test::errorOf([&] { store.readSet("missing"); }), "no embedding set 'missing'");
    VERIFY_CONTAINS(test::errorOf([&] { store.readProjection("pca"); }), "no projection 'pca'");
}

void TestProjectStore::readRowsAcrossChunkBoundariesMatchesTheSet() {
    const embed::EmbeddingSet set = sampleSet("rows", 1000, 10, 4);
    {
        ProjectWriter writer(path_, {4 * 10 * 64, 1, 2}); // 64 rows per chunk
        writer.writeSet(set);
        writer.commit();
    }
    const ProjectStore store(path_);
    QCOMPARE(storedChunks(path_, "/embeddings/rows/vectors").chunkShape,
             (std::vector<hsize_t>{64, 10}));
    const std::pair<int, int> ranges[] = {{0, 1000}, {63, 2}, {100, 250}, {999, 1},
                                          {500, 0},  {0, 64}, {64, 64},   {127, 600}};
    for (const auto& [first, count] : ranges)
        COMPARE_EQUAL(store.readRows("rows", first, count), slice(set, first, count));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, store.readRows("rows", 990, 20));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, store.readRows("rows", -1, 5));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, store.readRows("rows", 0, -1));
}

void TestProjectStore::editsChangeOneSetAndKeepTheRest() {
    const SampleProject project;
    const embed::EmbeddingSet a = sampleSet("a", 120, 6, 5), b = sampleSet("b", 30, 6, 6);
    const StorageOptions options{2048, 1, 2};
    appendSet(path_, a, options); // creates the file
    appendSet(path_, b, options);
    VERIFY_CONTAINS(test::errorOf<std::invalid_argument>([&] { appendSet(path_, a, options); }),
                    "set 'a' already exists in");
    QCOMPARE(setNames(ProjectStore(path_)), (std::vector<std::string>{"a", "b"}));

    {
        // Scenes, a projection and the session join the file; the edits must keep them.
        const ProjectStore old(path_);
        ProjectWriter writer(path_, options);
        writer.writeScene(project.scenes[0]);
        writer.copySet(old, "a");
        writer.copySet(old, "b");
        writer.writeProjection(project.projection);
        writer.writeSession(kSession);
        writer.commit();
    }
    embed::EmbeddingSet replacement = sampleSet("a", 77, 9, 7);
    replaceSet(path_, replacement, options);
    const embed::EmbeddingSet c = sampleSet("c", 5, 3, 8);
    replaceSet(path_, c, options); // a new name: written at the end
    deleteSet(path_, "b", options);
    VERIFY_CONTAINS(test::errorOf<std::invalid_argument>([&] { deleteSet(path_, "b", options); }),
                    "no set 'b' in");
    VERIFY_CONTAINS(test::errorOf([&] { deleteSet(path_ + ".missing", "a", options); }),
                    "no such file");

    const ProjectStore store(path_);
    QCOMPARE(setNames(store), (std::vector<std::string>{"a", "c"}));
    COMPARE_EQUAL(store.readSet("a"), replacement);
    COMPARE_EQUAL(store.readSet("c"), c);
    QCOMPARE(store.scenes().size(), std::size_t(1));
    COMPARE_EQUAL(store.scenes()[0], project.scenes[0]);
    COMPARE_EQUAL(store.readProjection("umap 3d"), project.projection);
    QCOMPARE(store.session(), kSession);
    QVERIFY(savingFiles(dir_.path()).isEmpty());
}

void TestProjectStore::duplicatesAndNonFiniteValuesAreRefused() {
    const embed::EmbeddingSet set = sampleSet("set", 40, 4, 1);
    ProjectWriter writer(path_, {256, 1, 2});
    writer.writeSet(set);
    VERIFY_CONTAINS(test::errorOf<std::invalid_argument>([&] { writer.writeSet(set); }),
                    "a set named 'set' was already written to");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, writer.beginSet(set));
    writer.writeScene(sampleScene("s", 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, writer.writeScene(sampleScene("s", 1)));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, writer.writeScene(sampleScene("a/b", 1)));

    embed::EmbeddingSet withNan = sampleSet("nan", 40, 4, 2);
    withNan.values[5 * 4 + 2] = std::nanf("");
    VERIFY_CONTAINS(test::errorOf<std::invalid_argument>([&] { writer.writeSet(withNan); }),
                    "set 'nan': row 5 holds NaN");
    embed::EmbeddingSet withInf = sampleSet("inf", 40, 4, 2);
    withInf.values.back() = INFINITY;
    VERIFY_CONTAINS(test::errorOf<std::invalid_argument>([&] { writer.writeSet(withInf); }),
                    "set 'inf': row 39 holds Inf");

    embed::EmbeddingSet header = sampleSet("streamed", 0, 4, 3);
    SetStream stream = writer.beginSet(header);
    stream.append(slice(withNan, 0, 3));
    // The NaN is row 5 of the set, row 2 of the block.
    VERIFY_CONTAINS(
        test::errorOf<std::invalid_argument>([&] { stream.append(slice(withNan, 3, 10)); }),
        "set 'streamed': row 5 holds NaN");
    embed::EmbeddingSet wrongDims = sampleSet("streamed", 2, 5, 3);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stream.append(wrongDims));
    embed::EmbeddingSet wrongColumns = slice(set, 0, 2);
    wrongColumns.textColumns.erase("scene");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stream.append(wrongColumns));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, writer.commit()); // the stream is not finished
    stream.append(slice(set, 10, 30));
    stream.finish();
    QCOMPARE(stream.rowsWritten(), std::int64_t(33));
    writer.commit();

    const ProjectStore store(path_);
    QCOMPARE(setNames(store), (std::vector<std::string>{"set", "streamed"}));
    embed::EmbeddingSet expected = slice(withNan, 0, 3);
    const embed::EmbeddingSet rest = slice(set, 10, 30);
    expected.name = "streamed";
    expected.model = header.model;
    expected.created = header.created;
    expected.rows = 33;
    expected.values.insert(expected.values.end(), rest.values.begin(), rest.values.end());
    for (auto& [name, column] : expected.textColumns)
        column.insert(column.end(), rest.textColumns.at(name).begin(),
                      rest.textColumns.at(name).end());
    for (auto& [name, column] : expected.numberColumns)
        column.insert(column.end(), rest.numberColumns.at(name).begin(),
                      rest.numberColumns.at(name).end());
    COMPARE_EQUAL(store.readSet("streamed"), expected);
}

void TestProjectStore::unfinishedWorkLeavesNoTrace() {
    const embed::EmbeddingSet first = sampleSet("first", 20, 4, 1);
    appendSet(path_, first);
    const QByteArray before = [&] {
        QFile file(QString::fromStdString(path_));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }();
    std::string temporary;
    {
        ProjectWriter writer(path_);
        temporary = writer.temporaryPath();
        QVERIFY(QFile::exists(QString::fromStdString(temporary)));
        writer.writeSet(sampleSet("second", 10, 4, 2));
    }
    QVERIFY(!QFile::exists(QString::fromStdString(temporary)));
    QFile file(QString::fromStdString(path_));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before);

    {
        // A stream dropped before finish() leaves no set behind, and the writer goes on.
        ProjectWriter writer(path_);
        {
            SetStream stream = writer.beginSet(sampleSet("dropped", 0, 4, 3));
            stream.append(sampleSet("dropped", 10, 4, 3));
        }
        writer.writeSet(first);
        writer.commit();
        QVERIFY_THROWS_EXCEPTION(std::logic_error, writer.writeSet(first));
    }
    QCOMPARE(setNames(ProjectStore(path_)), (std::vector<std::string>{"first"}));
    VERIFY_CONTAINS(test::errorOf([&] { ProjectWriter writer(path_ + ".d/x.slh5"); }),
                    "does not exist");
}

void TestProjectStore::streamingWritesWhatWriteSetWrites() {
    const embed::EmbeddingSet set = sampleSet("streamed", 1000, 24, 5);
    const StorageOptions options{4 * 24 * 50, 1, 2}; // 50 rows per chunk
    const std::string whole = path_ + ".whole.slh5";
    {
        ProjectWriter writer(whole, options);
        writer.writeSet(set);
        writer.writeSet(sampleSet("small", 30, 24, 6));
        writer.commit();
    }
    {
        ProjectWriter writer(path_, options);
        SetStream stream = writer.beginSet(set);
        int first = 0;
        for (int rows : {1, 49, 0, 77, 200, 3, 670}) {
            stream.append(slice(set, first, rows));
            first += rows;
            QCOMPARE(stream.rowsWritten(), std::int64_t(first));
        }
        stream.finish();
        const embed::EmbeddingSet small = sampleSet("small", 30, 24, 6);
        SetStream smallStream = writer.beginSet(small);
        smallStream.append(slice(small, 0, 10));
        smallStream.append(slice(small, 10, 20));
        smallStream.finish();
        writer.commit();
    }
    const ProjectStore streamed(path_), written(whole);
    COMPARE_EQUAL(streamed.readSet("streamed"), written.readSet("streamed"));
    COMPARE_EQUAL(streamed.readSet("small"), written.readSet("small"));
    for (const std::string name : {"streamed", "small"}) {
        const std::string dataset = "/embeddings/" + name + "/vectors";
        const StoredChunks a = storedChunks(path_, dataset), b = storedChunks(whole, dataset);
        QCOMPARE(a.chunkShape, b.chunkShape);
        QVERIFY(a.chunks == b.chunks);
    }
    QCOMPARE(storedChunks(path_, "/embeddings/small/vectors").chunkShape,
             (std::vector<hsize_t>{30, 24}));
    QCOMPARE(storedChunks(path_, "/embeddings/streamed/vectors").chunks.size(), std::size_t(20));
}

void TestProjectStore::storageOptionsKeepTheValues() {
    const embed::EmbeddingSet set = sampleSet("odd", 700, 33, 6);
    const StorageOptions variants[] = {{1000, 0, 1}, {1000, 1, 1},    {1000, 1, 2},
                                       {5000, 9, 4}, {1 << 20, 1, 0}, {1, 3, 3}};
    for (const StorageOptions& options : variants) {
        const std::string path = path_ + "." + std::to_string(options.chunkBytes) + "-" +
                                 std::to_string(options.deflateLevel) + "-" +
                                 std::to_string(options.threads);
        {
            ProjectWriter writer(path, options);
            writer.writeSet(set);
            writer.writeProjection(sampleProjection("p", 700));
            writer.commit();
        }
        const ProjectStore store(path);
        COMPARE_EQUAL(store.readSet("odd"), set);
        COMPARE_EQUAL(store.readProjection("p"), sampleProjection("p", 700));
        const StoredChunks chunks = storedChunks(path, "/embeddings/odd/vectors");
        QCOMPARE(chunks.filters, options.deflateLevel == 0 ? 0 : 2);
        const hsize_t rows = std::min<hsize_t>(700, std::max(1, options.chunkBytes / (4 * 33)));
        QCOMPARE(chunks.chunkShape, (std::vector<hsize_t>{rows, 33}));
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ProjectWriter(path_, {4096, 10, 1}));
}

void TestProjectStore::readingReportsProgressAndCancels() {
    const embed::EmbeddingSet set = sampleSet("big", 2000, 16, 7);
    {
        ProjectWriter writer(path_, {4 * 16 * 100, 1, 2}); // 20 chunks
        RecordingSink writing;
        writer.writeSet(set, &writing);
        QCOMPARE(writing.fractions.size(), std::size_t(20));
        writer.commit();
    }
    const ProjectStore store(path_);
    RecordingSink reading;
    COMPARE_EQUAL(store.readSet("big", &reading), set);
    QVERIFY(reading.fractions.size() >= 20);
    QVERIFY(std::is_sorted(reading.fractions.begin(), reading.fractions.end()));
    QCOMPARE(reading.fractions.back(), 1.0);
    QCOMPARE(reading.phases.front(), std::string("reading set 'big'"));

    RecordingSink cancelling(5);
    QVERIFY_THROWS_EXCEPTION(Cancelled, store.readSet("big", &cancelling));
    QCOMPARE(cancelling.fractions.size(), std::size_t(5));
    COMPARE_EQUAL(store.readRows("big", 10, 20), slice(set, 10, 20)); // the store goes on
}

void TestProjectStore::h5pyReadsWhatSceneLensWrites() {
    if (!pythonHasH5py())
        QSKIP("/usr/bin/python3 cannot import h5py");
    const SampleProject project;
    project.write(path_, {4 * 16 * 32, 4, 2}); // 32 rows per chunk: 10 chunks, an edge chunk
    QString error;
    const Json dump = runH5pyScript({QString::fromStdString(path_)}, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(dump.at("writer").get<std::string>(), std::string("SceneLens ") + SCENELENS_VERSION);
    const Json& zeta = dump.at("sets").at("zeta");
    QCOMPARE(zeta.at("chunks"), Json::array({32, 16}));
    QCOMPARE(zeta.at("compression"), Json("gzip"));
    QCOMPARE(zeta.at("compression_opts"), Json(4));
    QCOMPARE(zeta.at("shuffle"), Json(true));
    QCOMPARE(zeta.at("dtype"), Json("float32"));
    QCOMPARE(dump.at("sets").at("alpha").at("maxshape"), Json::array({-1, 8}));
    QCOMPARE(floatsOf(zeta.at("vectors")), project.sets[0].values);
    QCOMPARE(dump.at("sets").at("mid").at("text").at("label").at(1), Json("café ☕"));
    QVERIFY2(dump.at("not_utf8").empty(), dump.at("not_utf8").dump().c_str());

    const ProjectStore store(path_);
    const QString difference = differencesFromDump(store, dump);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestProjectStore::sceneLensReadsWhatH5pyWrites() {
    if (!pythonHasH5py())
        QSKIP("/usr/bin/python3 cannot import h5py");
    QString error;
    const Json dump = runH5pyScript({"--write", QString::fromStdString(path_)}, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const ProjectStore store(path_);
    const QString difference = differencesFromDump(store, dump);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));

    const SetInfo info = store.setInfo("gzip_shuffle");
    QCOMPARE(info.textColumns, (std::vector<std::string>{"label"}));
    QCOMPARE(info.numberColumns, (std::vector<std::string>{"object_id", "score"}));
    QCOMPARE(store.setInfo("no_filters").textColumns, (std::vector<std::string>{"code"}));
    for (const SetInfo& set : store.sets()) {
        const embed::EmbeddingSet whole = store.readSet(set.name);
        const int first = whole.rows / 3, count = whole.rows / 2;
        COMPARE_EQUAL(store.readRows(set.name, first, count), slice(whole, first, count));
    }
    QCOMPARE(store.readSet("gzip_shuffle").textColumns.at("label").at(2), std::string("椅子"));

    // Our copy of h5py's chunks reads the same.
    const std::string copy = path_ + ".copy.slh5";
    {
        ProjectWriter writer(copy);
        for (const SetInfo& set : store.sets())
            writer.copySet(store, set.name);
        writer.copyProjection(store, "umap 3d");
        writer.commit();
    }
    const ProjectStore copied(copy);
    for (const SetInfo& set : store.sets())
        COMPARE_EQUAL(copied.readSet(set.name), store.readSet(set.name));
    COMPARE_EQUAL(copied.readProjection("umap 3d"), store.readProjection("umap 3d"));
}

void TestProjectStore::foreignAndNewerFilesAreFileErrors() {
    const QString folder = dir_.path();
    const auto write = [&](const QString& name, const QByteArray& bytes) {
        QFile file(folder + "/" + name);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    };
    write("notes.slh5", "these are my notes, not a project\n");
    write("empty.slh5", "");
    const auto errorOpening = [&](const QString& name) {
        return test::errorOf([&] { ProjectStore store((folder + "/" + name).toStdString()); });
    };
    QString error = errorOpening("missing.slh5");
    VERIFY_CONTAINS(error, "missing.slh5");
    VERIFY_CONTAINS(error, "no such file");
    error = errorOpening("notes.slh5");
    VERIFY_CONTAINS(error, "notes.slh5");
    VERIFY_CONTAINS(error, "not an HDF5 file");
    VERIFY_CONTAINS(errorOpening("empty.slh5"), "empty.slh5: not an HDF5 file");

    writeHdf5WithoutFormat((folder + "/plain.h5").toStdString());
    VERIFY_CONTAINS(errorOpening("plain.h5"),
                    "plain.h5: not a SceneLens project (no 'format' attribute)");

    appendSet(path_, sampleSet("s", 10, 4, 1));
    setFormatVersion(path_, 2);
    error = test::errorOf([&] { ProjectStore store(path_); });
    VERIFY_CONTAINS(error, QString::fromStdString(path_));
    VERIFY_CONTAINS(error, "written by a newer SceneLens (format 2); this build reads format 1");
    VERIFY_CONTAINS(test::errorOf([&] { appendSet(path_, sampleSet("t", 10, 4, 1)); }),
                    "written by a newer SceneLens");

    if (!pythonHasH5py())
        return;
    // h5py holding a project open for writing locks it.
    const std::string held = path_ + ".held.slh5";
    appendSet(held, sampleSet("s", 10, 4, 1));
    QProcess holder;
    holder.start(kPython, {"-c",
                           "import h5py, sys\nf = h5py.File(sys.argv[1], 'r+')\n"
                           "print('open', flush=True)\nsys.stdin.read()",
                           QString::fromStdString(held)});
    QVERIFY(holder.waitForReadyRead(60000));
    error = test::errorOf([&] { ProjectStore store(held); });
    holder.closeWriteChannel();
    QVERIFY(holder.waitForFinished(60000));
    VERIFY_CONTAINS(error,
                    QString::fromStdString(held) + ": cannot open: another program holds it");
    QCOMPARE(ProjectStore(held).sets().size(), std::size_t(1));
}

void TestProjectStore::truncatedFilesAreFileErrorsOrWhole() {
    const SampleProject project;
    project.write(path_, {4 * 16 * 32, 1, 2});
    QFile file(QString::fromStdString(path_));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray whole = file.readAll();
    const qint64 size = whole.size();
    // Inside the superblock, the root group's metadata, the first chunks, the middle and the end.
    const qint64 offsets[] = {4,    10,       40,       96,           300,        800,
                              2000, size / 4, size / 2, size * 3 / 4, size - 100, size - 1};
    for (qint64 offset : offsets) {
        const std::string path = path_ + ".cut-" + std::to_string(offset);
        QFile cut(QString::fromStdString(path));
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(whole.left(offset));
        cut.close();
        try {
            readEverything(path);
            const ProjectStore store(path); // whole after all: every value must be right
            COMPARE_EQUAL(store.readSet("zeta"), project.sets[0]);
            COMPARE_EQUAL(store.readProjection("umap 3d"), project.projection);
        } catch (const FileError& e) {
            const QString message = e.what();
            VERIFY_CONTAINS(message, QString::fromStdString(path));
            QVERIFY2(message.contains("truncated or damaged") || message.contains("not an HDF5"),
                     qPrintable(message));
        }
    }
}

void TestProjectStore::damagedChunksAreFileErrorsWhereRead() {
    const embed::EmbeddingSet set = sampleSet("rows", 1000, 10, 4);
    {
        ProjectWriter writer(path_, {4 * 10 * 64, 1, 2}); // 64 rows per chunk
        writer.writeSet(set);
        writer.commit();
    }
    const auto [address, size] = lastChunkLocation(path_, "/embeddings/rows/vectors");
    QFile file(QString::fromStdString(path_));
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.seek(qint64(address + size / 2)));
    file.write(QByteArray(16, '\x5a'));
    file.close();

    const ProjectStore store(path_);
    COMPARE_EQUAL(store.readRows("rows", 0, 900), slice(set, 0, 900)); // reads only its chunks
    const QString error = test::errorOf([&] { store.readSet("rows"); });
    VERIFY_CONTAINS(error, QString::fromStdString(path_) +
                               ": reading /embeddings/rows/vectors, chunk at row 960: damaged");
}

void TestProjectStore::killedSavesLeaveAWholeVersion() {
    const QString child = QStringLiteral(SCENELENS_STORE_KILL_CHILD);
    const QString target = QString::fromStdString(path_);
    const int rows = 120000, dims = 64;
    const auto save = [&](unsigned seed, int saveRows) {
        QProcess process;
        process.start(child, {target, QString::number(seed), QString::number(saveRows),
                              QString::number(dims)});
        return process.waitForFinished(120000) && process.exitCode() == 0;
    };
    QVERIFY(save(1, 1000));
    QElapsedTimer timer;
    timer.start();
    QVERIFY(save(2, rows));
    const qint64 fullRunMs = timer.elapsed();

    const auto versionIn = [&]() -> std::uint64_t {
        const ProjectStore store(path_);
        const Json session = Json::parse(store.session());
        const embed::EmbeddingSet set = store.readSet("vectors");
        const std::uint64_t checksum = std::stoull(session.at("checksum").get<std::string>());
        if (test::vectorsChecksum(set.values) != checksum)
            throw std::runtime_error("the vectors do not match the session's checksum");
        return session.at("seed").get<std::uint64_t>();
    };
    std::uint64_t previous = 2;
    QCOMPARE(versionIn(), previous);
    std::mt19937 engine(17);
    // Past the full duration now and then, so that some saves commit before the kill.
    std::uniform_int_distribution<qint64> delay(0, fullRunMs * 13 / 10);
    int killedMidway = 0;
    for (unsigned trial = 3; trial < 23; ++trial) {
        QProcess process;
        process.start(
            child, {target, QString::number(trial), QString::number(rows), QString::number(dims)});
        QVERIFY(process.waitForStarted());
        QThread::msleep(unsigned(delay(engine)));
        process.kill();
        process.waitForFinished();
        std::uint64_t found = 0;
        try {
            found = versionIn();
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QString("trial %1: %2").arg(trial).arg(e.what())));
        }
        QVERIFY2(found == previous || found == trial,
                 qPrintable(QString("trial %1 found version %2").arg(trial).arg(found)));
        killedMidway += found == previous;
        previous = found;
    }
    qInfo("%d of 20 saves were killed before they committed (a full save: %lld ms)", killedMidway,
          fullRunMs);
    QVERIFY2(killedMidway > 0, "no save was interrupted: the delays are too long");
    {
        ProjectWriter writer(path_); // removes the temporary files the killed children left
        writer.writeSession("{}");
        writer.commit();
    }
    QVERIFY2(savingFiles(dir_.path()).isEmpty(), qPrintable(savingFiles(dir_.path()).join(' ')));
}

QTEST_GUILESS_MAIN(TestProjectStore)
#include "test_project_store.moc"

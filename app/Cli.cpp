#include "Cli.h"
#include "CliSupport.h"

#include "MultiViewRenderer.h"
#include "SceneImageRenderer.h"
#include "embed/EmbeddingSet.h"
#include "embed/Metrics.h"
#include "embed/Npy.h"
#include "embed/Projection.h"
#include "scene/synth/SyntheticDataset.h"

#include <QImageWriter>
#include <QString>

#include <Eigen/LU>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

namespace scenelens::cli {

namespace {

nlohmann::json toJson(const Eigen::Vector3f& v) {
    return {v.x(), v.y(), v.z()};
}

nlohmann::json sceneJson(const Scene& scene) {
    nlohmann::json objects = nlohmann::json::array();
    for (const SceneObject& object : scene.objects)
        objects.push_back({{"id", object.id},
                           {"label", object.rawLabel},
                           {"nyu40_id", object.nyu40Id},
                           {"nyu40_class", object.nyu40Class},
                           {"vertices", object.vertexIndices.size()},
                           {"box_min", toJson(object.box.min)},
                           {"box_max", toJson(object.box.max)}});
    const Box3 bounds = scene.bounds();
    std::vector<float> alignment(16);
    Eigen::Map<Eigen::Matrix<float, 4, 4, Eigen::RowMajor>>(alignment.data()) = scene.axisAlignment;
    return {{"scene_id", scene.id},
            {"source", scene.sourcePath},
            {"vertices", scene.vertexCount()},
            {"faces", scene.faceCount()},
            {"objects", objects},
            {"bounds_min", toJson(bounds.min)},
            {"bounds_max", toJson(bounds.max)},
            {"axis_alignment", alignment},
            {"metadata", scene.metadata}};
}

void printSceneText(const Scene& scene) {
    std::printf("%s  (%s)\n", scene.id.c_str(), scene.sourcePath.c_str());
    std::printf("vertices %zu  faces %zu  objects %zu\n", scene.vertexCount(), scene.faceCount(),
                scene.objects.size());
    auto table = scene.metadata.find("labelTable");
    if (table != scene.metadata.end())
        std::printf("label table: %s\n", table->second.c_str());
    std::printf("axis alignment: %s\n", scene.axisAlignment.isIdentity() ? "identity" : "applied");
    if (scene.objects.empty())
        return;
    std::printf("\n%4s  %-24s %-16s %8s  %s\n", "id", "label", "nyu40 class", "vertices",
                "box centre / size (m)");
    for (const SceneObject& o : scene.objects) {
        const Eigen::Vector3f c = o.box.center(), s = o.box.size();
        std::printf("%4d  %-24s %-16s %8zu  (%.2f %.2f %.2f) / (%.2f %.2f %.2f)\n", o.id,
                    o.rawLabel.c_str(), o.nyu40Class.c_str(), o.vertexIndices.size(), c.x(), c.y(),
                    c.z(), s.x(), s.y(), s.z());
    }
}

std::pair<int, int> parseSize(const std::string& text) {
    int width = 0, height = 0;
    char x = 0, extra = 0;
    if (std::sscanf(text.c_str(), "%d%c%d%c", &width, &x, &height, &extra) != 3 ||
        (x != 'x' && x != 'X') || width <= 0 || height <= 0 || width > kMaxRenderSize ||
        height > kMaxRenderSize)
        throw UsageError("--size must be WIDTHxHEIGHT with each between 1 and " +
                         std::to_string(kMaxRenderSize) + ", got '" + text + "'");
    return {width, height};
}

/// `S` (a square of side S) or `WxH`.
std::pair<int, int> parseViewSize(const std::string& text) {
    if (text.find_first_of("xX") != std::string::npos)
        return parseSize(text);
    const int side = int(parseCount(text, "--size", kMaxRenderSize));
    return {side, side};
}

} // namespace

const char* usage() {
    return "usage:\n"
           "  scenelens [--scene DIR|FILE.ply] [--screenshot OUT.png]   start the app\n"
           "  scenelens --version\n"
           "  scenelens info --scene DIR [--labels TSV] [--json]\n"
           "  scenelens render --scene DIR --out FILE.png [--size WxH] [--color-by "
           "rgb|instance|class]\n"
           "                   [--boxes] [--labels TSV]   (needs an X display: xvfb-run -a)\n"
           "  scenelens render-views --scene DIR --out DIR [--views N] [--size S|WxH]\n"
           "                   [--color-by rgb|instance|class] [--labels TSV]   (X display too)\n"
           "  scenelens synth --out DIR [--scenes N] [--seed S] [--renders V] [--size S] "
           "[--noise-mm M]\n"
           "                   synthetic ScanNet/ScanQA/SQA3D data (renders need an X display)\n"
           "  scenelens project --in X.npy --method pca|tsne|umap --out Y.npy [--dims 2|3]\n"
           "                   [--perplexity P] [--neighbors K] [--min-dist D] [--metric "
           "euclidean|cosine]\n"
           "                   [--seed S] [--labels L.npy] [--metrics [--queries Q.npy "
           "--query-labels QL.npy]]\n"
           "  scenelens plot --in X.npy [--meta M.csv|M.json] [--modality M] --method "
           "pca|tsne|umap\n"
           "                   --out FIG.svg|pdf|png [project's options] [--color-by COL]\n"
           "                   [--colormap viridis|magma|coolwarm] [--title T] [--size WxH] "
           "[--point-size S]\n"
           "                   [--opacity O] [--scale F] [--transparent] [--axes] [--no-legend] "
           "[--metrics]\n"
           "  scenelens bundle-info DIR [--json] [--device auto|cpu|cuda|cuda:N]\n"
           "  scenelens encode --bundle DIR (--scene DIR [--scene DIR...] | --scans DIR)\n"
           "                   --out FILE.npy [--device D] [--seed S] [--labels TSV]\n"
           "                   (also writes FILE.json metadata and FILE.scenes.npy)\n"
           "  scenelens encode ... --out FILE.slh5 [--min-objectness P] [--clip DIR\n"
           "                   [--classes a,b,c] [--prompt-template T...] [--text T...]\n"
           "                   [--max-views N]]   a project: object and scene sets, with --clip\n"
           "                   class prompts, texts and views of the scenes\n"
           "  scenelens ask --bundle DIR --scene DIR --question TEXT [--situation TEXT]\n"
           "                   [--top-k K] [--json] [--device D] [--seed S] [--labels TSV]\n"
           "  scenelens eval-qa --bundle DIR --questions FILE [--annotations FILE] --scans DIR\n"
           "                   [--out PRED.json] [--json] [--top-k K] [--device D] [--seed S]\n"
           "                   [--labels TSV]   ScanQA metrics, or SQA3D accuracy with "
           "--annotations\n";
}

int runInfo(int argc, char** argv) {
    return guarded("info", [&] {
        const Arguments args = parse(argc, argv, {"--scene", "--labels"}, {"--json"});
        const Scene scene = readScene(args);
        if (args.flag("--json"))
            std::cout << sceneJson(scene).dump(2) << '\n';
        else
            printSceneText(scene);
        return 0;
    });
}

int runRender(int argc, char** argv) {
    return guarded("render", [&] {
        const Arguments args = parse(
            argc, argv, {"--scene", "--out", "--size", "--color-by", "--labels"}, {"--boxes"});
        const std::string out = required(args, "--out");
        const auto [width, height] = parseSize(args.value("--size").value_or("1600x1200"));
        SceneViewOptions options;
        const std::string mode = args.value("--color-by").value_or("rgb");
        const auto colorBy = parseSceneColorMode(mode);
        if (!colorBy)
            throw UsageError("--color-by must be rgb, instance or class, got '" + mode + "'");
        options.colorBy = *colorBy;
        options.showBoxes = args.flag("--boxes");
        required(args, "--scene");
        const Scene scene = readScene(args);
        const QImage image = renderSceneImage(scene, options, QSize(width, height));
        QImageWriter writer(QString::fromStdString(out));
        if (!writer.write(image))
            throw std::runtime_error(
                out + ": cannot write the image: " + writer.errorString().toStdString());
        std::printf("wrote %s (%dx%d)\n", out.c_str(), image.width(), image.height());
        return 0;
    });
}

int runRenderViews(int argc, char** argv) {
    return guarded("render-views", [&] {
        const Arguments args = parse(
            argc, argv, {"--scene", "--out", "--views", "--size", "--color-by", "--labels"}, {});
        const std::string out = required(args, "--out");
        MultiViewOptions options;
        options.count = int(parseCount(args.value("--views").value_or("8"), "--views", 10000));
        const auto [width, height] = parseViewSize(args.value("--size").value_or("320"));
        options.size = QSize(width, height);
        const std::string mode = args.value("--color-by").value_or("rgb");
        const auto colorBy = parseSceneColorMode(mode);
        if (!colorBy)
            throw UsageError("--color-by must be rgb, instance or class, got '" + mode + "'");
        options.look.colorBy = *colorBy;
        required(args, "--scene");
        const Scene scene = readScene(args);
        const ExportedFrames frames = renderViewsToFolder(scene, out, options);
        std::printf("wrote %zu views (%dx%d) to %s\n", frames.frames.size(), width, height,
                    out.c_str());
        return 0;
    });
}

int runSynth(int argc, char** argv) {
    return guarded("synth", [&] {
        const Arguments args = parse(
            argc, argv, {"--out", "--scenes", "--seed", "--renders", "--size", "--noise-mm"}, {});
        synth::DatasetOptions options;
        options.outDir = required(args, "--out");
        options.scenes = int(parseCount(args.value("--scenes").value_or("24"), "--scenes", 100));
        options.seed =
            std::uint64_t(parseCount(args.value("--seed").value_or("1"), "--seed", 1LL << 62, 0));
        // Millimetres on the command line: whole numbers parse without locale surprises.
        options.noise =
            float(parseCount(args.value("--noise-mm").value_or("4"), "--noise-mm", 50, 0)) / 1000.f;
        const int renders =
            int(parseCount(args.value("--renders").value_or("0"), "--renders", 1000, 0));
        MultiViewOptions views;
        views.count = renders;
        const auto [width, height] = parseViewSize(args.value("--size").value_or("320"));
        views.size = QSize(width, height);
        // Views are rendered from the written (unaligned) mesh so that their poses live in the
        // same frame as the mesh, as in ScanNet's exported frames.
        auto renderViews = [&views](const synth::SyntheticRoom& room, const std::string& sceneDir) {
            Scene written = room.scene;
            transformScene(written, room.alignment.inverse());
            renderViewsToFolder(written, sceneDir, views);
        };
        ConsoleProgress progress;
        const synth::DatasetSummary summary = synth::writeSyntheticDataset(
            options, &progress,
            renders > 0 ? renderViews
                        : std::function<void(const synth::SyntheticRoom&, const std::string&)>());
        std::printf("wrote %d scenes (train %zu, val %zu, test %zu), %zu ScanQA and %zu SQA3D "
                    "questions%s to %s\n",
                    options.scenes, summary.train.size(), summary.val.size(), summary.test.size(),
                    summary.scanQAQuestions, summary.sqa3dQuestions,
                    renders > 0 ? (", " + std::to_string(renders) + " views per scene").c_str()
                                : "",
                    options.outDir.c_str());
        return 0;
    });
}

embed::ProjectionOptions projectionOptions(const Arguments& args) {
    embed::ProjectionOptions options;
    const std::string method = required(args, "--method");
    const auto parsed = embed::parseProjectionMethod(method);
    if (!parsed)
        throw UsageError("--method must be pca, tsne or umap, got '" + method + "'");
    options.method = *parsed;
    options.dims = int(parseCount(args.value("--dims").value_or("2"), "--dims", 3));
    options.perplexity = parseNumber(args.value("--perplexity").value_or("30"), "--perplexity");
    options.neighbours =
        int(parseCount(args.value("--neighbors").value_or("15"), "--neighbors", 1000, 2));
    options.minDist = parseNumber(args.value("--min-dist").value_or("0.1"), "--min-dist");
    options.seed =
        std::uint64_t(parseCount(args.value("--seed").value_or("0"), "--seed", 1LL << 62, 0));
    const std::string metric = args.value("--metric").value_or("euclidean");
    if (metric != "euclidean" && metric != "cosine")
        throw UsageError("--metric must be euclidean or cosine, got '" + metric + "'");
    options.metric = metric == "cosine" ? embed::Metric::Cosine : embed::Metric::Euclidean;
    return options;
}

namespace {

/// An .npy of integer labels, one per row of `rowsOf`.
std::vector<std::int64_t> readLabels(const std::string& path, int rows, const std::string& rowsOf) {
    std::vector<std::int64_t> labels = embed::readNpyIntegers(path);
    if (int(labels.size()) != rows)
        throw std::runtime_error(path + ": " + std::to_string(labels.size()) + " labels for " +
                                 std::to_string(rows) + " rows of " + rowsOf);
    return labels;
}

/// Cross-modal retrieval in the original space, both ways, at k = 1, 5, 10 (cosine).
void printCrossModalRecall(const embed::EmbeddingSet& set, const std::vector<std::int64_t>& labels,
                           const Arguments& args) {
    const std::string path = required(args, "--queries");
    const embed::NpyMatrix queries = embed::readNpyMatrix(path);
    if (queries.cols != set.dims)
        throw std::runtime_error(path + ": " + std::to_string(queries.cols) +
                                 " columns, but the input has " + std::to_string(set.dims));
    if (labels.empty())
        throw UsageError("--queries needs --labels for the input rows");
    const std::vector<std::int64_t> queryLabels =
        readLabels(required(args, "--query-labels"), queries.rows, path);
    for (int k : {1, 5, 10}) {
        std::printf("recall_queries_to_input@%d %.4f\n", k,
                    embed::recallAtK(queries.values.data(), queries.rows, set.values.data(),
                                     set.rows, set.dims, queryLabels, labels,
                                     std::min(k, set.rows)));
        std::printf("recall_input_to_queries@%d %.4f\n", k,
                    embed::recallAtK(set.values.data(), set.rows, queries.values.data(),
                                     queries.rows, set.dims, labels, queryLabels,
                                     std::min(k, queries.rows)));
    }
}

} // namespace

int runProject(int argc, char** argv) {
    return guarded("project", [&] {
        const Arguments args =
            parse(argc, argv,
                  {"--in", "--method", "--out", "--dims", "--perplexity", "--neighbors",
                   "--min-dist", "--seed", "--labels", "--metric", "--queries", "--query-labels"},
                  {"--metrics"});
        const embed::ProjectionOptions options = projectionOptions(args);
        const std::string in = required(args, "--in"), out = required(args, "--out");
        embed::NpyMatrix matrix = embed::readNpyMatrix(in);
        embed::EmbeddingSet set;
        set.name = in;
        set.rows = matrix.rows;
        set.dims = matrix.cols;
        set.values = std::move(matrix.values);
        embed::validate(set, in);
        std::vector<std::int64_t> labels;
        if (const auto labelPath = args.value("--labels"))
            labels = readLabels(*labelPath, set.rows, in);
        if (args.value("--queries") && !args.flag("--metrics"))
            throw UsageError("--queries is for --metrics");
        ConsoleProgress progress;
        const embed::Projection projection =
            embed::project(set.values.data(), set.rows, set.dims, options, &progress);
        embed::writeNpyMatrix(out, projection.coords.data(), set.rows, projection.dims);
        std::printf("wrote %s (%d x %d, %s; %s)\n", out.c_str(), set.rows, projection.dims,
                    std::string(embed::toString(options.method)).c_str(),
                    projection.details.c_str());
        if (args.flag("--metrics")) {
            const int k = std::min(15, set.rows / 2 - 1);
            const embed::MetricReport report = embed::projectionMetrics(
                set.values.data(), set.dims, projection.coords.data(), projection.dims, set.rows, k,
                labels.empty() ? nullptr : &labels, options.seed);
            for (const auto& [name, value] : report.values)
                std::printf("%s %.4f\n", name.c_str(), value);
            std::printf("metric_sample_size %d\n", report.sampleSize);
            if (args.value("--queries"))
                printCrossModalRecall(set, labels, args);
        }
        return 0;
    });
}

} // namespace scenelens::cli

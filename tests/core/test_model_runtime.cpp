// The LibTorch model runtime on the tiny bundles that modelkit exports (CTest fixture
// tiny_bundles): every bundle reproduces its Python reference outputs, broken bundles fail with
// precise messages, and the services (PointSampler, SceneEncoder, ClipEmbedder, QaModel) decode
// what the modules return.

#include "BundleReference.h"
#include "ErrorText.h"
#include "SceneBuilders.h"

#include "Error.h"
#include "ml/ClipEmbedder.h"
#include "ml/ModelBundle.h"
#include "ml/PointSampler.h"
#include "ml/QaModel.h"
#include "ml/SceneEncoder.h"
#include "ml/TorchModule.h"
#include "ml/WordTokenizer.h"

#include <QDir>
#include <QFileInfo>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <set>

using namespace scenelens;
using scenelens::test::errorOf;

namespace {

using test::compareWithReference;

std::string bundleDir(const QString& name) {
    return (QStringLiteral(SCENELENS_TINY_BUNDLES "/") + name).toStdString();
}

/// A room-sized scene of two boxes (a table and a chair) with known colours.
Scene twoBoxScene() {
    Scene scene;
    scene.id = "scene_two_boxes";
    test::addBox(scene, {0.f, 0.f, 0.f}, {1.f, 0.5f, 0.75f}, 0, 7, "table", {250, 0, 10});
    test::addBox(scene, {2.f, 1.f, 0.2f}, {2.5f, 1.5f, 1.2f}, 1, 5, "chair", {0, 128, 255});
    test::finishScene(scene);
    scene.objects[0].nyu40Class = "table";
    scene.objects[1].nyu40Class = "chair";
    return scene;
}

/// Stops a job at its second checkpoint.
class CancelAfterFirst : public ProgressSink {
public:
    void report(std::string_view, double) override { ++reports; }
    bool cancelled() const override { return reports >= 1; }
    int reports = 0;
};

} // namespace

class TestModelRuntime : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFileInfo::exists(QStringLiteral(SCENELENS_TINY_BUNDLES "/scene-encoder")),
                 "run the modelkit_export_tiny fixture first");
    }

    void sceneEncoderReproducesReference() {
        const std::string dir = bundleDir("scene-encoder");
        const TorchModule module = TorchModule::load(readBundleManifest(dir).manifest, "cpu");
        QCOMPARE(module.runtime().device, std::string("cpu"));
        QCOMPARE(module.objectCount(), 16);
        QCOMPARE(module.parameterCount(), 73849LL);
        compareWithReference(dir, module.forward({test::bundleReference(dir, "points")}));

        // The decoded form carries the same numbers.
        const SceneEncoder encoder(TorchModule::load(readBundleManifest(dir).manifest, "cpu"));
        const std::vector<EncodedScene> scenes =
            encoder.encodePoints(test::bundleReference(dir, "points"));
        QCOMPARE(scenes.size(), std::size_t(2));
        const Tensor embeddings = test::bundleReference(dir, "out_object_embeddings");
        const Tensor logits = test::bundleReference(dir, "out_object_class_logits");
        const Tensor objectness = test::bundleReference(dir, "out_objectness");
        for (std::size_t b = 0; b < 2; ++b) {
            QCOMPARE(scenes[b].objectCount, 16);
            QCOMPARE(scenes[b].objectEmbeddings.size(), std::size_t(16 * 32));
            for (std::size_t i = 0; i < scenes[b].objectEmbeddings.size(); ++i)
                QVERIFY(std::abs(scenes[b].objectEmbeddings[i] -
                                 embeddings.floats[b * 16 * 32 + i]) <= 1e-5f);
            for (std::size_t k = 0; k < 16; ++k) {
                const float* row = logits.floats.data() + (b * 16 + k) * 18;
                const int argmax = int(std::max_element(row, row + 18) - row);
                QCOMPARE(scenes[b].objects[k].classIndex, argmax);
                QCOMPARE(scenes[b].objects[k].className,
                         encoder.manifest().classes[std::size_t(argmax)]);
                const float p = 1.f / (1.f + std::exp(-objectness.floats[b * 16 + k]));
                QVERIFY(std::abs(scenes[b].objects[k].objectness - p) <= 1e-6f);
            }
        }
    }

    void qaBundlesReproduceReference() {
        for (const QString& name : {QStringLiteral("qa"), QStringLiteral("sqa")}) {
            const std::string dir = bundleDir(name);
            const TorchModule module = TorchModule::load(readBundleManifest(dir).manifest, "cpu");
            const TensorMap outputs =
                module.forward({test::bundleReference(dir, "points"),
                                test::bundleReference(dir, "question_tokens"),
                                test::bundleReference(dir, "question_mask"),
                                test::bundleReference(dir, "situation_tokens"),
                                test::bundleReference(dir, "situation_mask")});
            QCOMPARE(outputs.count("position"), std::size_t(name == "sqa" ? 1 : 0));
            compareWithReference(dir, outputs);
        }
    }

    void clipBundlesReproduceReference() {
        for (const QString& name : {QStringLiteral("clip"), QStringLiteral("clip-bpe")}) {
            const std::string dir = bundleDir(name);
            if (!QFileInfo::exists(QString::fromStdString(dir))) {
                QVERIFY(name == "clip-bpe"); // only exported when the CLIP vocabulary exists
                continue;
            }
            const TorchModule module = TorchModule::load(readBundleManifest(dir).manifest, "cpu");
            const std::vector<std::string> methods = module.methods();
            QVERIFY(std::count(methods.begin(), methods.end(), "encode_image") == 1);
            TensorMap outputs;
            outputs["encode_text"] =
                module.call("encode_text", test::bundleReference(dir, "tokens"));
            outputs["encode_image"] =
                module.call("encode_image", test::bundleReference(dir, "images"));
            compareWithReference(dir, outputs);
        }
    }

    void brokenBundlesFailWithPreciseMessages() {
        auto loadError = [](const char* name) {
            const std::string dir = bundleDir(QStringLiteral("broken/") + name);
            return errorOf([&] { TorchModule::load(readBundleManifest(dir).manifest, "cpu"); });
        };
        const QString broken = QStringLiteral(SCENELENS_TINY_BUNDLES "/broken/");
        QCOMPARE(loadError("wrong-shape"),
                 broken + "wrong-shape/model.pt: scene-encoder output 'object_boxes' has shape "
                          "[1,16,8,3], expected [B,K,6]");
        QCOMPARE(loadError("missing-method"),
                 broken + "missing-method/model.pt: clip module lacks method 'encode_image'");
        const QString badJson = loadError("bad-json");
        QVERIFY2(badJson.startsWith(broken + "bad-json/bundle.json: line "), qPrintable(badJson));
        VERIFY_CONTAINS(badJson, "invalid JSON");
        QCOMPARE(loadError("missing-module"),
                 broken + "missing-module/bundle.json: the module file '" + broken +
                     "missing-module/model.pt' does not exist");
        QCOMPARE(loadError("missing-key"), broken + "missing-key/bundle.json: missing key 'kind'");
    }

    void rejectsUnavailableDevices() {
        const BundleManifest m = readBundleManifest(bundleDir("scene-encoder")).manifest;
        try {
            TorchModule::load(m, "tpu");
            QFAIL("accepted 'tpu'");
        } catch (const std::invalid_argument& e) {
            QCOMPARE(QString(e.what()),
                     QStringLiteral("device must be auto, cpu, cuda or cuda:N, got 'tpu'"));
        }
        const RuntimeInfo info = torchRuntimeInfo();
        QCOMPARE(QString::fromStdString(info.torchVersion), QStringLiteral("1.13.0"));
        QVERIFY(info.threads >= 1);
        QCOMPARE(QString::fromStdString(info.device),
                 info.cudaAvailable ? QStringLiteral("cuda:0") : QStringLiteral("cpu"));
        if (!info.cudaAvailable) {
            try {
                TorchModule::load(m, "cuda:1");
                QFAIL("accepted cuda without CUDA");
            } catch (const std::invalid_argument& e) {
                VERIFY_CONTAINS(QString(e.what()), "has no usable CUDA device");
            }
        }
    }

    void clipTextEmbeddingsUseTheWordTokenizer() {
        const std::string dir = bundleDir("clip");
        const ClipEmbedder embedder = ClipEmbedder::load(dir, "cpu");
        const std::vector<std::string> texts = {"a red chair", "What's on the table?", ""};
        const EmbeddingRows rows = embedder.embedTexts(texts, nullptr, 2);
        QCOMPARE(rows.rows, 3);
        QCOMPARE(rows.cols, 32);

        const BundleManifest& m = embedder.manifest();
        const TokenBatch tokens =
            WordTokenizer::fromFile(m.tokenizer->vocabPath, m.tokenizer->contextLength)
                .tokenize(texts);
        const Tensor direct = embedder.module().call(
            "encode_text", Tensor::int64({tokens.rows, tokens.cols}, tokens.ids));
        QCOMPARE(direct.floats.size(), rows.values.size());
        for (std::size_t i = 0; i < direct.floats.size(); ++i)
            QVERIFY(std::abs(direct.floats[i] - rows.values[i]) <= 1e-6f);
        for (int r = 0; r < rows.rows; ++r) {
            double norm = 0.0;
            for (int c = 0; c < rows.cols; ++c)
                norm += double(rows.row(r)[c]) * rows.row(r)[c];
            QVERIFY(std::abs(std::sqrt(norm) - 1.0) < 1e-4);
        }

        RgbImage image;
        image.width = 40;
        image.height = 30;
        image.pixels.assign(40 * 30 * 3, 128);
        const EmbeddingRows images = embedder.embedImages({image, image});
        QCOMPARE(images.rows, 2);
        for (int c = 0; c < 32; ++c)
            QCOMPARE(images.row(0)[c], images.row(1)[c]);
    }

    void pointSamplerIsSeededAndLaysOutChannels() {
        const Scene scene = twoBoxScene(); // 16 vertices
        PointInputSpec spec;
        spec.numPoints = 10;
        spec.channels = {"xyz", "rgb", "normal", "height"};
        spec.rgbMean = {100.f, 50.f, 25.f};
        spec.rgbScale = 200.f;
        const PointSampler sampler(spec);
        const SampledPoints a = sampler.sample(scene, 7), b = sampler.sample(scene, 7);
        QCOMPARE(a.vertices, b.vertices);
        QCOMPARE(a.points.floats, b.points.floats);
        QCOMPARE(a.points.shape, (std::vector<std::int64_t>{10, 10}));
        QCOMPARE(std::set<std::uint32_t>(a.vertices.begin(), a.vertices.end()).size(),
                 std::size_t(10)); // without replacement
        QVERIFY(sampler.sample(scene, 8).vertices != a.vertices);

        // Expected floor: numpy.percentile(z, 1) of the sampled z.
        std::vector<float> z;
        for (std::uint32_t v : a.vertices)
            z.push_back(scene.positions[v].z());
        std::sort(z.begin(), z.end());
        const double rank = 0.01 * 9;
        const float floor = float(z[0] + rank * (z[1] - z[0]));
        for (std::size_t i = 0; i < 10; ++i) {
            const std::uint32_t v = a.vertices[i];
            const float* row = a.points.floats.data() + i * 10;
            for (int k = 0; k < 3; ++k) {
                QCOMPARE(row[k], scene.positions[v][k]);
                QCOMPARE(row[3 + k],
                         (float(scene.colors[v][std::size_t(k)]) - spec.rgbMean[std::size_t(k)]) /
                             200.f);
                QCOMPARE(row[6 + k], scene.normals[v][k]);
            }
            QVERIFY(std::abs(row[9] - (scene.positions[v].z() - floor)) < 1e-6f);
        }

        // Fewer vertices than points: every vertex at least once, the rest drawn again.
        spec.numPoints = 40;
        const SampledPoints many = PointSampler(spec).sample(scene, 1);
        QCOMPARE(many.vertices.size(), std::size_t(40));
        QCOMPARE(std::set<std::uint32_t>(many.vertices.begin(), many.vertices.end()).size(),
                 std::size_t(16));

        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sampler.sample(Scene(), 0));
    }

    void sceneEncoderEncodesScenesAndMatchesGroundTruth() {
        const SceneEncoder encoder = SceneEncoder::load(bundleDir("scene-encoder"), "cpu");
        const Scene scene = twoBoxScene();
        const EncodedScene one = encoder.encode(scene, 3);
        QCOMPARE(one.sceneId, scene.id);
        QCOMPARE(one.objects.size(), std::size_t(16));
        QCOMPARE(one.sceneEmbedding.size(), std::size_t(32));
        for (const ObjectPrediction& o : one.objects) {
            QVERIFY(o.objectness > 0.f && o.objectness < 1.f);
            QVERIFY(o.match.objectId == -1 || o.match.objectId == 0 || o.match.objectId == 1);
            QVERIFY(o.match.iou >= 0.f && o.match.iou <= 1.f);
            if (o.match.objectId >= 0)
                QCOMPARE(o.match.iou,
                         boxIou(o.box, scene.objects[std::size_t(o.match.objectId)].box));
        }
        // Batched and single encodes agree; the same seed gives the same result.
        const std::vector<EncodedScene> batch =
            encoder.encode({&scene, &scene, &scene}, 3, nullptr, 2);
        QCOMPARE(batch.size(), std::size_t(3));
        for (const EncodedScene& e : batch)
            for (std::size_t i = 0; i < e.objectEmbeddings.size(); ++i)
                QVERIFY(std::abs(e.objectEmbeddings[i] - one.objectEmbeddings[i]) <= 1e-5f);

        // IoU of a box with itself, half-overlapping and apart.
        Box3 unit;
        unit.extend({0.f, 0.f, 0.f});
        unit.extend({1.f, 1.f, 1.f});
        QCOMPARE(boxIou({0.5f, 0.5f, 0.5f, 1.f, 1.f, 1.f}, unit), 1.f);
        QCOMPARE(boxIou({1.f, 0.5f, 0.5f, 1.f, 1.f, 1.f}, unit), 1.f / 3.f);
        QCOMPARE(boxIou({5.f, 5.f, 5.f, 1.f, 1.f, 1.f}, unit), 0.f);
    }

    void cancelledBatchReturnsNothing() {
        const SceneEncoder encoder = SceneEncoder::load(bundleDir("scene-encoder"), "cpu");
        const Scene scene = twoBoxScene();
        CancelAfterFirst sink;
        std::vector<EncodedScene> result;
        bool cancelled = false;
        try {
            result = encoder.encode({&scene, &scene, &scene}, 0, &sink, 1);
        } catch (const Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QVERIFY(result.empty());
        QCOMPARE(sink.reports, 1); // stopped before the second batch

        const ClipEmbedder clip = ClipEmbedder::load(bundleDir("clip"), "cpu");
        CancelAfterFirst textSink;
        EmbeddingRows rows;
        cancelled = false;
        try {
            rows = clip.embedTexts({"a", "b", "c", "d"}, &textSink, 1);
        } catch (const Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QCOMPARE(rows.rows, 0);
        QCOMPARE(textSink.reports, 1);
    }

    void qaAnswersAreRankedProbabilities() {
        for (const QString& name : {QStringLiteral("qa"), QStringLiteral("sqa")}) {
            const std::string dir = bundleDir(name);
            const QaModel model = QaModel::load(dir, "cpu");
            const QaInputs inputs{test::bundleReference(dir, "points"),
                                  test::bundleReference(dir, "question_tokens"),
                                  test::bundleReference(dir, "question_mask"),
                                  test::bundleReference(dir, "situation_tokens"),
                                  test::bundleReference(dir, "situation_mask")};
            const std::vector<QaResult> results = model.answer(inputs, 10);
            const Tensor logits = test::bundleReference(dir, "out_answer_logits");
            const std::size_t a = std::size_t(logits.dim(1));
            QCOMPARE(results.size(), std::size_t(2));
            for (std::size_t b = 0; b < 2; ++b) {
                const QaResult& r = results[b];
                QCOMPARE(r.answers.size(), std::size_t(10));
                float sum = 0.f;
                for (std::size_t i = 0; i < r.answers.size(); ++i) {
                    sum += r.answers[i].probability;
                    if (i > 0)
                        QVERIFY(r.answers[i - 1].probability >= r.answers[i].probability);
                    QCOMPARE(r.answers[i].text,
                             model.manifest().answers[std::size_t(r.answers[i].index)]);
                }
                QVERIFY(sum <= 1.f + 1e-6f);
                const float* row = logits.floats.data() + b * a;
                QCOMPARE(r.answers[0].index, int(std::max_element(row, row + a) - row));
                QCOMPARE(r.objects.size(), std::size_t(16));
                for (std::size_t i = 1; i < r.objects.size(); ++i)
                    QVERIFY(r.objects[i - 1].score >= r.objects[i].score);
                QCOMPARE(r.position.has_value(), name == "sqa");
                if (name == "sqa") {
                    const Tensor position = test::bundleReference(dir, "out_position");
                    for (int k = 0; k < 3; ++k)
                        QVERIFY(std::abs((*r.position)[std::size_t(k)] -
                                         position.floats[b * 3 + std::size_t(k)]) <= 1e-5f);
                }
            }
        }
    }

    void qaAsksAboutAScene() {
        const QaModel model = QaModel::load(bundleDir("sqa"), "cpu");
        const Scene scene = twoBoxScene();
        const QaResult r =
            model.ask(scene, "What color is the chair?", "I am sitting on the chair.", 5, 0);
        QCOMPARE(r.answers.size(), std::size_t(5));
        QVERIFY(r.position && r.rotation);
        const QaResult again =
            model.ask(scene, "What color is the chair?", "I am sitting on the chair.", 5, 0);
        QCOMPARE(again.answers[0].index, r.answers[0].index);
        QCOMPARE(again.answers[0].probability, r.answers[0].probability);
        // Capped at the answer count.
        QCOMPARE(model.ask(scene, "chair?", "", 100000).answers.size(),
                 model.manifest().answers.size());
    }
};

QTEST_GUILESS_MAIN(TestModelRuntime)
#include "test_model_runtime.moc"

// The committed demo bundles (resources/models): each reproduces its Python reference outputs,
// the scene encoder and demo-clip share one embedding space, the point sampler agrees with
// modelkit's port, and the C++ runtime re-computes the slice metrics that modelkit wrote to
// slice-metrics.json (QA EM@1/EM@10, SQA accuracy, text-to-object retrieval R@1/R@5) on the test
// scenes of `scenelens synth --scenes 24 --seed 1` (fixture demo_slice).

#include "BundleReference.h"
#include "SceneBuilders.h"

#include "ml/ClipEmbedder.h"
#include "ml/ModelBundle.h"
#include "ml/PointSampler.h"
#include "ml/QaModel.h"
#include "ml/SceneEncoder.h"
#include "ml/TorchModule.h"
#include "qa/QuestionSets.h"
#include "scene/ScanNetSceneReader.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <numeric>
#include <set>

using namespace scenelens;
using scenelens::test::bundleReference;
using scenelens::test::compareWithReference;

namespace {

const std::string kModels = SCENELENS_DEMO_MODELS;
const std::string kSlice = SCENELENS_DEMO_SLICE;
constexpr double kMetricTolerance = 0.02;

std::string bundle(const std::string& name) {
    return kModels + "/" + name;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

/// True when one of the top `k` answers equals a reference answer, case-insensitively.
bool exactMatch(const QaResult& result, const std::vector<std::string>& references, int k) {
    std::set<std::string> wanted;
    for (const std::string& r : references)
        wanted.insert(lower(r));
    const int n = std::min<int>(k, int(result.answers.size()));
    return std::any_of(result.answers.begin(), result.answers.begin() + n,
                       [&](const QaAnswer& a) { return wanted.count(lower(a.text)) > 0; });
}

QJsonObject readJsonObject(const std::string& path) {
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

std::vector<std::string> testSceneIds() {
    std::ifstream in(kSlice + "/meta/scannetv2_test.txt");
    std::vector<std::string> ids;
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            ids.push_back(line);
    return ids;
}

void compareMetric(const QJsonObject& expected, const char* key, double actual) {
    const double wanted = expected.value(key).toDouble(-1.0);
    QVERIFY2(std::abs(actual - wanted) <= kMetricTolerance,
             qPrintable(QStringLiteral("%1: C++ %2, slice-metrics.json %3")
                            .arg(key)
                            .arg(actual, 0, 'f', 3)
                            .arg(wanted, 0, 'f', 3)));
}

} // namespace

class TestDemoBundles : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFile::exists(QString::fromStdString(kSlice + "/meta/scannetv2_test.txt")),
                 "run the demo_slice fixture first");
        expected_ = readJsonObject(kModels + "/slice-metrics.json");
        QVERIFY2(!expected_.isEmpty(), "resources/models/slice-metrics.json is missing");
        const ScanNetSceneReader reader;
        for (const std::string& id : testSceneIds())
            scenes_.emplace(id, reader.read(kSlice + "/scans/" + id));
        QVERIFY(!scenes_.empty());
    }

    void bundlesReproduceTheirReferenceOutputs() {
        for (const char* name : {"scene-encoder", "qa", "sqa"}) {
            const std::string dir = bundle(name);
            const TorchModule module = TorchModule::load(readBundleManifest(dir).manifest, "cpu");
            std::vector<Tensor> inputs{bundleReference(dir, "points")};
            if (module.manifest().kind == BundleKind::Qa)
                for (const char* input :
                     {"question_tokens", "question_mask", "situation_tokens", "situation_mask"})
                    inputs.push_back(bundleReference(dir, input));
            compareWithReference(dir, module.forward(inputs));
        }
        const std::string dir = bundle("demo-clip");
        const TorchModule clip = TorchModule::load(readBundleManifest(dir).manifest, "cpu");
        TensorMap outputs;
        outputs["encode_text"] = clip.call("encode_text", bundleReference(dir, "tokens"));
        outputs["encode_image"] = clip.call("encode_image", bundleReference(dir, "images"));
        compareWithReference(dir, outputs);
    }

    void sceneEncoderSharesTheClipSpace() {
        const BundleManifest clip = readBundleManifest(bundle("demo-clip")).manifest;
        for (const char* name : {"scene-encoder", "qa", "sqa"}) {
            const BundleManifest m = readBundleManifest(bundle(name)).manifest;
            QCOMPARE(m.embeddingSpace, clip.embeddingSpace);
            QCOMPARE(m.embeddingDim, clip.embeddingDim);
        }
        QCOMPARE(clip.embeddingSpace, std::string("demo-clip"));
    }

    void pointSamplerMatchesModelkitPort() {
        // Golden indices of modelkit.pointsampler.sample_vertices (tests/test_demo_training.py
        // holds the same numbers): 1000 vertices, 8 points, seed 0; 5 vertices, 8 points, seed 3.
        Scene scene;
        for (int i = 0; i < 1000; ++i) {
            scene.positions.emplace_back(float(i), 0.f, 0.f);
            scene.colors.push_back({0, 0, 0});
        }
        PointInputSpec spec;
        spec.numPoints = 8;
        spec.channels = {"xyz"};
        QCOMPARE(PointSampler(spec).sample(scene, 0).vertices,
                 (std::vector<std::uint32_t>{535, 28, 321, 922, 851, 630, 511, 927}));
        scene.positions.resize(5);
        scene.colors.resize(5);
        QCOMPARE(PointSampler(spec).sample(scene, 3).vertices,
                 (std::vector<std::uint32_t>{3, 2, 1, 4, 0, 0, 2, 0}));
    }

    void questionAnsweringMatchesSliceMetrics() {
        const std::vector<qa::ScanQAQuestion> questions =
            qa::readScanQA(kSlice + "/questions/ScanQA_v1.0_test.json");
        std::vector<QaQuestion> asked;
        for (const qa::ScanQAQuestion& q : questions)
            asked.push_back({&scenes_.at(q.sceneId), q.question, {}});
        const std::vector<QaResult> results =
            QaModel::load(bundle("qa"), "cpu").askAll(asked, 10, 0, nullptr, 16);
        double em1 = 0.0, em10 = 0.0;
        for (std::size_t i = 0; i < results.size(); ++i) {
            em1 += exactMatch(results[i], questions[i].answers, 1);
            em10 += exactMatch(results[i], questions[i].answers, 10);
        }
        QCOMPARE(int(questions.size()), expected_.value("qa_questions").toInt());
        compareMetric(expected_, "qa_em1", em1 / double(questions.size()));
        compareMetric(expected_, "qa_em10", em10 / double(questions.size()));
    }

    void situatedAnsweringMatchesSliceMetrics() {
        const std::vector<qa::Sqa3dQuestion> questions =
            qa::readSqa3d(kSlice + "/questions/v1_balanced_questions_test_scannetv2.json",
                          kSlice + "/questions/v1_balanced_sqa_annotations_test_scannetv2.json");
        std::vector<QaQuestion> asked;
        for (const qa::Sqa3dQuestion& q : questions)
            asked.push_back({&scenes_.at(q.sceneId), q.question, q.situation});
        const std::vector<QaResult> results =
            QaModel::load(bundle("sqa"), "cpu").askAll(asked, 1, 0, nullptr, 16);
        double correct = 0.0;
        for (std::size_t i = 0; i < results.size(); ++i)
            correct += exactMatch(results[i], questions[i].answers, 1);
        QCOMPARE(int(questions.size()), expected_.value("sqa_questions").toInt());
        compareMetric(expected_, "sqa_acc", correct / double(questions.size()));
    }

    void retrievalMatchesSliceMetrics() {
        const QJsonObject definition = expected_.value("definition").toObject();
        const float objectness = float(definition.value("objectness_threshold").toDouble());
        const float minIou = float(definition.value("iou_threshold").toDouble());
        const QString prompt = definition.value("retrieval_prompt").toString();
        QVERIFY(prompt.contains("{label}"));
        const SceneEncoder encoder = SceneEncoder::load(bundle("scene-encoder"), "cpu");
        const ClipEmbedder clip = ClipEmbedder::load(bundle("demo-clip"), "cpu");
        double hits1 = 0.0, hits5 = 0.0;
        int queries = 0;
        for (const auto& [id, scene] : scenes_) {
            const EncodedScene encoded = encoder.encode(scene, 0);
            std::vector<int> candidates;
            for (int k = 0; k < encoded.objectCount; ++k) {
                const ObjectPrediction& p = encoded.objects[std::size_t(k)];
                if (p.objectness > objectness && p.match.objectId >= 0 && p.match.iou >= minIou)
                    candidates.push_back(k);
            }
            std::set<std::string> labels;
            for (const SceneObject& o : scene.objects)
                if (o.rawLabel != "floor" && o.rawLabel != "wall")
                    labels.insert(o.rawLabel);
            std::vector<std::string> texts;
            for (const std::string& label : labels)
                texts.push_back(QString(prompt).replace("{label}", QString::fromStdString(label))
                                    .toStdString());
            const EmbeddingRows rows = clip.embedTexts(texts);
            int row = 0;
            for (const std::string& label : labels) {
                const float* query = rows.row(row++);
                std::vector<std::pair<float, std::string>> ranked;
                for (int k : candidates) {
                    const float* e = encoded.objectEmbeddings.data() +
                                     std::size_t(k) * std::size_t(encoded.embeddingDim);
                    ranked.emplace_back(std::inner_product(e, e + encoded.embeddingDim, query, 0.f),
                                        encoded.objects[std::size_t(k)].match.rawLabel);
                }
                std::stable_sort(ranked.begin(), ranked.end(),
                                 [](const auto& a, const auto& b) { return a.first > b.first; });
                auto within = [&](std::size_t top) {
                    return std::any_of(ranked.begin(),
                                       ranked.begin() + std::ptrdiff_t(std::min(top, ranked.size())),
                                       [&](const auto& r) { return r.second == label; });
                };
                hits1 += within(1);
                hits5 += within(5);
                ++queries;
            }
        }
        QCOMPARE(queries, expected_.value("retrieval_queries").toInt());
        compareMetric(expected_, "retrieval_r1", hits1 / double(queries));
        compareMetric(expected_, "retrieval_r5", hits5 / double(queries));
    }

private:
    QJsonObject expected_;
    std::map<std::string, Scene> scenes_;
};

QTEST_GUILESS_MAIN(TestDemoBundles)
#include "test_demo_bundles.moc"

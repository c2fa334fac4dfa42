// Model bundle manifests (bundle.json) read without LibTorch: valid manifests of each kind, the
// warnings for unknown keys and the messages for missing keys, wrong types, bad JSON and missing
// files; the device strings; plain tensors through .npy files.

#include "ErrorText.h"

#include "ml/ModelBundle.h"
#include "ml/Tensor.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <stdexcept>

using namespace scenelens;
using nlohmann::json;
using scenelens::test::errorOf;

namespace {

void writeFile(const QString& path, const std::string& text) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text.data(), qint64(text.size()));
}

json sceneEncoderManifest() {
    return {{"format", "scenelens-bundle/1"},
            {"kind", "scene-encoder"},
            {"name", "test-encoder"},
            {"module", "model.pt"},
            {"device", "cpu"},
            {"embedding_space", "tiny-test"},
            {"embedding_dim", 32},
            {"input",
             {{"num_points", 1024},
              {"channels", {"xyz", "rgb", "normal", "height"}},
              {"rgb_normalization", {{"mean", {100.0, 90.0, 80.0}}, {"scale", 255.0}}}}},
            {"classes", {"chair", "table"}},
            {"num_objects", 16},
            {"feature_dim", 64},
            {"modelkit", {{"config", "tiny"}, {"parameters", 1234}}}};
}

json qaManifest() {
    return {{"format", "scenelens-bundle/1"},
            {"kind", "qa"},
            {"name", "test-qa"},
            {"module", "model.pt"},
            {"embedding_space", "tiny-test"},
            {"embedding_dim", 32},
            {"input", {{"num_points", 512}, {"channels", {"xyz", "height"}}}},
            {"tokenizer", {{"type", "word"}, {"vocab", "vocab.json"}, {"context_length", 16}}},
            {"answers", "answer_vocab.json"},
            {"situated", true}};
}

json clipManifest(const std::string& vocab) {
    return {{"format", "scenelens-bundle/1"},
            {"kind", "clip"},
            {"name", "test-clip"},
            {"module", "model.pt"},
            {"embedding_space", "clip-vit-b32"},
            {"embedding_dim", 512},
            {"tokenizer", {{"type", "clip-bpe"}, {"vocab", vocab}, {"context_length", 77}}}};
}

} // namespace

class TestModelBundle : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    /// A bundle folder `name` with the manifest `manifest` (text) and the files it usually names.
    QString bundle(const QString& name, const std::string& manifest) {
        QDir(dir_.path()).mkpath(name);
        const QString folder = dir_.filePath(name);
        writeFile(folder + "/bundle.json", manifest);
        writeFile(folder + "/model.pt", "not read by the manifest reader");
        writeFile(folder + "/vocab.json", R"(["<pad>", "<unk>", "chair"])");
        writeFile(folder + "/answer_vocab.json", R"(["chair", "table", "two"])");
        return folder;
    }
    QString bundle(const QString& name, const json& manifest) {
        return bundle(name, manifest.dump(2));
    }
    static QString errorReading(const QString& folder) {
        return errorOf([&] { readBundleManifest(folder.toStdString()); });
    }

private Q_SLOTS:
    void readsSceneEncoder() {
        const QString folder = bundle("encoder", sceneEncoderManifest());
        const ManifestReading reading = readBundleManifest(folder.toStdString());
        const BundleManifest& m = reading.manifest;
        QVERIFY(reading.warnings.empty());
        QCOMPARE(int(m.kind), int(BundleKind::SceneEncoder));
        QCOMPARE(m.name, std::string("test-encoder"));
        QCOMPARE(m.modulePath, (folder + "/model.pt").toStdString());
        QCOMPARE(m.manifestPath, (folder + "/bundle.json").toStdString());
        QCOMPARE(m.device, std::string("cpu"));
        QCOMPARE(m.embeddingSpace, std::string("tiny-test"));
        QCOMPARE(m.embeddingDim, 32);
        QVERIFY(m.input.has_value());
        QCOMPARE(m.input->numPoints, 1024);
        QCOMPARE(m.input->channels.size(), std::size_t(4));
        QCOMPARE(m.input->channelCount(), 10);
        QCOMPARE(m.input->rgbMean[1], 90.f);
        QCOMPARE(m.input->rgbScale, 255.f);
        QCOMPARE(m.classes, (std::vector<std::string>{"chair", "table"}));
        QCOMPARE(m.numObjects.value_or(0), 16);
        QCOMPARE(m.featureDim.value_or(0), 64);
        QCOMPARE(m.parameters.value_or(0), 1234LL);
        QVERIFY(!m.tokenizer.has_value());
    }

    void readsQaWithDefaults() {
        const QString folder = bundle("qa", qaManifest());
        const ManifestReading reading = readBundleManifest(folder.toStdString());
        const BundleManifest& m = reading.manifest;
        QVERIFY(reading.warnings.empty());
        QCOMPARE(int(m.kind), int(BundleKind::Qa));
        QCOMPARE(m.device, std::string("auto"));
        QCOMPARE(m.answers, (std::vector<std::string>{"chair", "table", "two"}));
        QVERIFY(m.situated);
        QCOMPARE(m.tokenizer->type, std::string("word"));
        QCOMPARE(m.tokenizer->vocabPath, (folder + "/vocab.json").toStdString());
        QCOMPARE(m.tokenizer->contextLength, 16);
        QCOMPARE(m.situationLength, 16); // defaults to the context length
        QCOMPARE(m.input->channelCount(), 4);
        // ScanQA's colour normalisation when the manifest has none.
        QCOMPARE(m.input->rgbMean[0], 109.8f);
        QCOMPARE(m.input->rgbScale, 256.f);
        QVERIFY(m.classes.empty());

        json manifest = qaManifest();
        manifest["situation_length"] = 24;
        const QString second = bundle("qa-situation", manifest);
        QCOMPARE(readBundleManifest(second.toStdString()).manifest.situationLength, 24);
    }

    void readsClipWithAbsoluteVocabularyAndImageDefaults() {
        const QString vocab = dir_.filePath("shared-bpe.txt.gz");
        writeFile(vocab, "merges");
        const QString folder = bundle("clip", clipManifest(vocab.toStdString()));
        const BundleManifest m = readBundleManifest(folder.toStdString()).manifest;
        QCOMPARE(int(m.kind), int(BundleKind::Clip));
        QCOMPARE(m.tokenizer->vocabPath, vocab.toStdString());
        QCOMPARE(m.tokenizer->contextLength, 77);
        QCOMPARE(m.image.size, 224);
        QCOMPARE(m.image.mean[0], 0.48145466f);
        QCOMPARE(m.image.std[2], 0.27577711f);
        QVERIFY(!m.input.has_value());

        json custom = clipManifest(vocab.toStdString());
        custom["image"] = {{"size", 224}, {"mean", {0.5, 0.5, 0.5}}, {"std", {0.25, 0.25, 0.25}}};
        const BundleManifest c =
            readBundleManifest(bundle("clip-image", custom).toStdString()).manifest;
        QCOMPARE(c.image.mean[1], 0.5f);
        QCOMPARE(c.image.std[0], 0.25f);
    }

    void warnsAboutUnknownKeys() {
        json manifest = sceneEncoderManifest();
        manifest["colour_scheme"] = "viridis";
        manifest["input"]["voxel_size"] = 0.05;
        const QString folder = bundle("unknown", manifest);
        const ManifestReading reading = readBundleManifest(folder.toStdString());
        QCOMPARE(reading.warnings.size(), std::size_t(2));
        const QString all =
            QString::fromStdString(reading.warnings[0] + "\n" + reading.warnings[1]);
        VERIFY_CONTAINS(all, folder + "/bundle.json: unknown key 'colour_scheme' ignored");
        VERIFY_CONTAINS(all, "unknown key 'input.voxel_size' ignored");
        QCOMPARE(reading.manifest.embeddingDim, 32); // still read
    }

    void reportsMissingKeys() {
        json manifest = sceneEncoderManifest();
        manifest.erase("kind");
        QString folder = bundle("no-kind", manifest);
        QCOMPARE(errorReading(folder), folder + "/bundle.json: missing key 'kind'");

        manifest = sceneEncoderManifest();
        manifest["input"].erase("num_points");
        folder = bundle("no-points", manifest);
        QCOMPARE(errorReading(folder), folder + "/bundle.json: missing key 'input.num_points'");

        manifest = qaManifest();
        manifest.erase("answers");
        folder = bundle("no-answers", manifest);
        QCOMPARE(errorReading(folder), folder + "/bundle.json: missing key 'answers'");

        manifest = sceneEncoderManifest();
        manifest.erase("classes");
        folder = bundle("no-classes", manifest);
        QCOMPARE(errorReading(folder), folder + "/bundle.json: missing key 'classes'");
    }

    void reportsWrongTypes() {
        json manifest = sceneEncoderManifest();
        manifest["embedding_dim"] = "32";
        QString folder = bundle("dim-string", manifest);
        QCOMPARE(errorReading(folder),
                 folder + "/bundle.json: key 'embedding_dim' must be an integer, got string");

        manifest = sceneEncoderManifest();
        manifest["input"]["channels"] = "xyz";
        folder = bundle("channels-string", manifest);
        QCOMPARE(errorReading(folder),
                 folder +
                     "/bundle.json: key 'input.channels' must be a list of strings, got string");

        manifest = sceneEncoderManifest();
        manifest["classes"] = {"chair", 3};
        folder = bundle("class-number", manifest);
        QCOMPARE(errorReading(folder),
                 folder + "/bundle.json: key 'classes[1]' must be a string, got number");

        manifest = qaManifest();
        manifest["situated"] = "yes";
        folder = bundle("situated-string", manifest);
        QCOMPARE(errorReading(folder),
                 folder + "/bundle.json: key 'situated' must be true or false, got string");

        manifest = qaManifest();
        manifest["tokenizer"] = "word";
        folder = bundle("tokenizer-string", manifest);
        QCOMPARE(errorReading(folder),
                 folder + "/bundle.json: key 'tokenizer' must be an object, got string");
    }

    void reportsBadValues() {
        json manifest = sceneEncoderManifest();
        manifest["kind"] = "detector";
        QString folder = bundle("bad-kind", manifest);
        QCOMPARE(errorReading(folder),
                 folder + "/bundle.json: key 'kind' must be scene-encoder, qa or clip, got "
                          "'detector'");

        manifest = sceneEncoderManifest();
        manifest["input"]["channels"] = {"xyz", "depth"};
        folder = bundle("bad-channel", manifest);
        QCOMPARE(errorReading(folder),
                 folder + "/bundle.json: key 'input.channels[1]' must be xyz, rgb, normal or "
                          "height, got 'depth'");

        manifest = sceneEncoderManifest();
        manifest["device"] = "gpu";
        folder = bundle("bad-device", manifest);
        QCOMPARE(errorReading(folder),
                 folder + "/bundle.json: key 'device' must be auto, cpu, cuda or cuda:N, "
                          "got 'gpu'");

        manifest = sceneEncoderManifest();
        manifest["format"] = "scenelens-bundle/2";
        folder = bundle("bad-format", manifest);
        VERIFY_CONTAINS(errorReading(folder), "key 'format' must be \"scenelens-bundle/1\"");

        manifest = sceneEncoderManifest();
        manifest["embedding_dim"] = 0;
        folder = bundle("zero-dim", manifest);
        QCOMPARE(errorReading(folder),
                 folder + "/bundle.json: key 'embedding_dim' must be positive, got 0");
    }

    void reportsBadJsonWithPosition() {
        const QString folder =
            bundle("bad-json", std::string("{\n  \"format\": \"scenelens-bundle/1\",\n"
                                           "  \"kind\": \"qa\",\n  \"na"));
        const QString error = errorReading(folder);
        QVERIFY2(error.startsWith(folder + "/bundle.json: line 4, column "), qPrintable(error));
        VERIFY_CONTAINS(error, "invalid JSON");

        const QString array = bundle("array", std::string("[1, 2]"));
        QCOMPARE(errorReading(array), array + "/bundle.json: expected a JSON object, got array");
    }

    void reportsMissingFiles() {
        QCOMPARE(errorReading(dir_.filePath("absent")),
                 dir_.filePath("absent") + ": not a bundle folder (no such folder)");

        QDir(dir_.path()).mkpath("empty");
        QCOMPARE(errorReading(dir_.filePath("empty")),
                 dir_.filePath("empty") + "/bundle.json: no such file");

        QString folder = bundle("no-module", sceneEncoderManifest());
        QFile::remove(folder + "/model.pt");
        QCOMPARE(errorReading(folder),
                 folder + "/bundle.json: the module file '" + folder + "/model.pt' does not exist");

        folder = bundle("no-vocab", qaManifest());
        QFile::remove(folder + "/vocab.json");
        QCOMPARE(errorReading(folder), folder + "/bundle.json: the tokenizer vocabulary file '" +
                                           folder + "/vocab.json' does not exist");

        folder = bundle("no-answer-file", qaManifest());
        QFile::remove(folder + "/answer_vocab.json");
        QCOMPARE(errorReading(folder), folder + "/bundle.json: the answers file '" + folder +
                                           "/answer_vocab.json' does not exist");

        folder = bundle("bad-answers", qaManifest());
        writeFile(folder + "/answer_vocab.json", R"(["chair", 2])");
        QCOMPARE(errorReading(folder),
                 folder + "/answer_vocab.json: entry 1: expected a string, got number");

        const QString vocab = dir_.filePath("no-such-bpe.txt.gz");
        folder = bundle("no-bpe", clipManifest(vocab.toStdString()));
        QCOMPARE(errorReading(folder), folder + "/bundle.json: the tokenizer vocabulary file '" +
                                           vocab + "' does not exist");
    }

    void parsesDeviceStrings() {
        QCOMPARE(int(parseDeviceRequest("auto").type), int(DeviceRequest::Type::Auto));
        QCOMPARE(int(parseDeviceRequest("cpu").type), int(DeviceRequest::Type::Cpu));
        const DeviceRequest cuda = parseDeviceRequest("cuda");
        QCOMPARE(int(cuda.type), int(DeviceRequest::Type::Cuda));
        QCOMPARE(cuda.index, 0);
        QCOMPARE(parseDeviceRequest("cuda:3").index, 3);
        for (const char* bad : {"gpu", "cuda:", "cuda:x", "CPU", "cuda:-1", ""}) {
            try {
                parseDeviceRequest(bad);
                QFAIL(qPrintable(QStringLiteral("accepted '%1'").arg(bad)));
            } catch (const std::invalid_argument& e) {
                QCOMPARE(
                    QString(e.what()),
                    QStringLiteral("device must be auto, cpu, cuda or cuda:N, got '%1'").arg(bad));
            }
        }
    }

    void tensorsRoundTripThroughNpy() {
        const Tensor t = Tensor::float32({2, 3, 2}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -11.5f});
        QCOMPARE(QString::fromStdString(t.shapeText()), QStringLiteral("[2,3,2]"));
        const QString path = dir_.filePath("t.npy");
        writeNpyTensor(path.toStdString(), t);
        const Tensor back = readNpyTensor(path.toStdString());
        QCOMPARE(back.shape, t.shape);
        QCOMPARE(int(back.type), int(TensorType::Float32));
        QCOMPARE(back.floats, t.floats);

        writeFile(dir_.filePath("bad.npy"), "NUMPY");
        QCOMPARE(errorOf([&] { readNpyTensor(dir_.filePath("bad.npy").toStdString()); }),
                 dir_.filePath("bad.npy") + ": byte 0: not a .npy file (no \\x93NUMPY magic)");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Tensor::int64({2, 2}, {1, 2, 3}));
    }
};

QTEST_GUILESS_MAIN(TestModelBundle)
#include "test_model_bundle.moc"

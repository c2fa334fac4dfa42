// Embedding sets made from model outputs (core/ml/ModelEmbeddings) on hand-made encoder and CLIP
// outputs: rows and metadata of object, scene, text and image sets, prompts, cosine ranking,
// principal-component colours, the embedding-space check, and embed::centreModalities.

#include "ErrorText.h"

#include "embed/PlotData.h"
#include "ml/ModelEmbeddings.h"

#include <QtTest>

#include <cmath>

using namespace scenelens;
namespace cols = embed::columns;
namespace mcols = model_columns;

namespace {

BundleManifest manifest(const std::string& name, const std::string& space, int dims) {
    BundleManifest m;
    m.name = name;
    m.embeddingSpace = space;
    m.embeddingDim = dims;
    return m;
}

ObjectPrediction prediction(float objectness, const std::string& className, int matchedId = -1,
                            const std::string& matchedLabel = {}, float iou = 0.f) {
    ObjectPrediction object;
    object.objectness = objectness;
    object.className = className;
    object.match.objectId = matchedId;
    object.match.rawLabel = matchedLabel;
    object.match.iou = iou;
    return object;
}

/// Three tokens of width 2: token 0 matches object 4 ("office chair"), token 1 is below 0.5,
/// token 2 sits exactly at 0.5 and matches nothing.
EncodedScene annotatedScene() {
    EncodedScene scene;
    scene.sceneId = "scene0001_00";
    scene.objectCount = 3;
    scene.embeddingDim = 2;
    scene.objects = {prediction(0.9f, "chair", 4, "office chair", 0.625f),
                     prediction(0.3f, "table", 7, "table", 0.25f), prediction(0.5f, "bed")};
    scene.objectEmbeddings = {1, 0, 0, 1, 0.6f, 0.8f};
    scene.sceneEmbedding = {0.8f, -0.6f};
    return scene;
}

/// A scene without annotations: no token matches, so labels come from the detection head.
EncodedScene unannotatedScene() {
    EncodedScene scene;
    scene.sceneId = "room";
    scene.objectCount = 2;
    scene.embeddingDim = 2;
    scene.objects = {prediction(0.75f, "sofa"), prediction(0.125f, "lamp")};
    scene.objectEmbeddings = {-1, 0, 0, -1};
    scene.sceneEmbedding = {0, 1};
    return scene;
}

embed::EmbeddingSet setOf(int rows, int dims, std::vector<float> values) {
    embed::EmbeddingSet set;
    set.name = "rows";
    set.rows = rows;
    set.dims = dims;
    set.values = std::move(values);
    return set;
}

EmbeddingRows embeddingRows(int rows, int cols) {
    EmbeddingRows out;
    out.rows = rows;
    out.cols = cols;
    for (int i = 0; i < rows * cols; ++i)
        out.values.push_back(float(i));
    return out;
}

std::vector<std::string> texts(const std::vector<PromptText>& prompts) {
    std::vector<std::string> out;
    for (const PromptText& prompt : prompts)
        out.push_back(prompt.text);
    return out;
}

void compareRow(const float* row, std::initializer_list<float> expected, float tolerance = 1e-6f) {
    int d = 0;
    for (float value : expected) {
        QVERIFY2(std::abs(row[d] - value) <= tolerance,
                 qPrintable(QStringLiteral("dimension %1: %2, expected %3")
                                .arg(d)
                                .arg(double(row[d]))
                                .arg(double(value))));
        ++d;
    }
}

} // namespace

class TestModelEmbeddings : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void objectSetKeepsTokensAtOrAboveTheThreshold() {
        const auto set = objectEmbeddingSet({annotatedScene(), unannotatedScene()},
                                            manifest("tiny-se", "tiny-test", 2), 0.5f, "objects");
        QCOMPARE(set.name, std::string("objects"));
        QCOMPARE(set.modality, std::string("object3d"));
        QCOMPARE(set.space, std::string("tiny-test"));
        QCOMPARE(set.model, std::string("tiny-se"));
        QCOMPARE(set.rows, 3);
        QCOMPARE(set.dims, 2);
        QCOMPARE(set.values, (std::vector<float>{1, 0, 0.6f, 0.8f, -1, 0}));
        using Texts = std::vector<std::string>;
        using Numbers = std::vector<double>;
        QCOMPARE(set.textColumns.at(cols::kScene), (Texts{"scene0001_00", "scene0001_00", "room"}));
        // An unmatched token of an annotated scene has no label; the unannotated scene's tokens
        // are labelled by the detection head.
        QCOMPARE(set.textColumns.at(cols::kLabel), (Texts{"office chair", "", "sofa"}));
        QCOMPARE(set.textColumns.at(mcols::kPredictedClass), (Texts{"chair", "bed", "sofa"}));
        QCOMPARE(set.numberColumns.at(cols::kObjectId), (Numbers{4, -1, -1}));
        QCOMPARE(set.numberColumns.at(mcols::kObjectToken), (Numbers{0, 2, 0}));
        QCOMPARE(set.numberColumns.at(mcols::kObjectness), (Numbers{0.9f, 0.5, 0.75}));
        QCOMPARE(set.numberColumns.at(mcols::kIou), (Numbers{0.625, 0, 0}));
        embed::validate(set, "objects");

        const auto everything = objectEmbeddingSet({annotatedScene(), unannotatedScene()},
                                                   manifest("tiny-se", "tiny-test", 2), 0.f, "all");
        QCOMPARE(everything.rows, 5);
        const auto none =
            objectEmbeddingSet({annotatedScene()}, manifest("tiny-se", "tiny-test", 2), 0.95f, "x");
        QCOMPARE(none.rows, 0);
        QVERIFY(none.values.empty());
    }

    void objectSetRefusesEmbeddingsOfAnotherWidth() {
        QCOMPARE(test::errorOf<std::invalid_argument>([] {
                     objectEmbeddingSet({annotatedScene()}, manifest("wide", "s", 3), 0.5f, "o");
                 }),
                 QStringLiteral("scene0001_00: object embeddings have 2 dimensions, wide "
                                "declares 3"));
        EncodedScene shortScene = annotatedScene();
        shortScene.objectEmbeddings.resize(4);
        QCOMPARE(test::errorOf<std::invalid_argument>(
                     [&] { objectEmbeddingSet({shortScene}, manifest("se", "s", 2), 0.5f, "o"); }),
                 QStringLiteral("scene0001_00: 4 object embedding values for 3 objects, "
                                "expected 6"));
    }

    void sceneSetHasOneRowPerScene() {
        const auto set = sceneEmbeddingSet({annotatedScene(), unannotatedScene()},
                                           manifest("tiny-se", "tiny-test", 2), "scenes");
        QCOMPARE(set.modality, std::string("scene3d"));
        QCOMPARE(set.rows, 2);
        QCOMPARE(set.values, (std::vector<float>{0.8f, -0.6f, 0, 1}));
        QCOMPARE(set.textColumns.at(cols::kScene),
                 (std::vector<std::string>{"scene0001_00", "room"}));
        QCOMPARE(set.textColumns.at(cols::kLabel),
                 (std::vector<std::string>{"scene0001_00", "room"}));
        QCOMPARE(test::errorOf<std::invalid_argument>(
                     [] { sceneEmbeddingSet({annotatedScene()}, manifest("wide", "s", 4), "s"); }),
                 QStringLiteral("scene0001_00: the scene embedding has 2 values, wide declares 4"));
    }

    void classPromptsFillEveryTemplateClassByClass() {
        const auto prompts = classPrompts({"a photo of a {}", "{} in a room"}, {"cup", "bed"});
        QCOMPARE(texts(prompts), (std::vector<std::string>{"a photo of a cup", "cup in a room",
                                                           "a photo of a bed", "bed in a room"}));
        QCOMPARE(prompts[2].label, std::string("bed"));
        QCOMPARE(prompts[3].promptTemplate, std::string("{} in a room"));
        QCOMPARE(classPrompts(defaultPromptTemplates(), {"sink"}).size(),
                 defaultPromptTemplates().size());

        QCOMPARE(test::errorOf<std::invalid_argument>([] {
                     classPrompts({"a {}", "a photo"}, {"cup"});
                 }),
                 QStringLiteral("the prompt template 'a photo' has no {} where the class goes"));
        QCOMPARE(test::errorOf<std::invalid_argument>([] { classPrompts({"a {}"}, {}); }),
                 QStringLiteral("class prompts need at least one class"));
        QCOMPARE(test::errorOf<std::invalid_argument>([] { classPrompts({}, {"cup"}); }),
                 QStringLiteral("class prompts need at least one template"));
    }

    void freeTextsAreTrimmedWithoutBlankLines() {
        const auto prompts = freeTexts({"  a red chair \t", "", " \t ", "lamp\r\n"});
        QCOMPARE(texts(prompts), (std::vector<std::string>{"a red chair", "lamp"}));
        QCOMPARE(prompts[0].label, std::string("a red chair"));
        QCOMPARE(prompts[1].promptTemplate, std::string());
        QVERIFY(freeTexts({}).empty());
    }

    void textAndImageSetsCarryTheirSources() {
        const BundleManifest clip = manifest("tiny-clip", "tiny-test", 2);
        const auto prompts = classPrompts({"a {}"}, {"cup", "bed"});
        const auto text = textEmbeddingSet(embeddingRows(2, 2), prompts, clip, "class prompts");
        QCOMPARE(text.modality, std::string("text"));
        QCOMPARE(text.model, std::string("tiny-clip"));
        QCOMPARE(text.rows, 2);
        QCOMPARE(text.values, (std::vector<float>{0, 1, 2, 3}));
        QCOMPARE(text.textColumns.at(cols::kText), (std::vector<std::string>{"a cup", "a bed"}));
        QCOMPARE(text.textColumns.at(cols::kLabel), (std::vector<std::string>{"cup", "bed"}));
        QCOMPARE(text.textColumns.at(mcols::kTemplate), (std::vector<std::string>{"a {}", "a {}"}));

        const std::vector<ImageSource> images = {{"/s/color/0.jpg", "scene0001_00", 0},
                                                 {"/s/color/40.jpg", "scene0001_00", 40},
                                                 {"/t/color/3.png", "room", 3}};
        const auto image = imageEmbeddingSet(embeddingRows(3, 2), images, clip, "images");
        QCOMPARE(image.modality, std::string("image"));
        QCOMPARE(image.rows, 3);
        QCOMPARE(image.textColumns.at(cols::kScene),
                 (std::vector<std::string>{"scene0001_00", "scene0001_00", "room"}));
        QCOMPARE(image.textColumns.at(cols::kImagePath),
                 (std::vector<std::string>{"/s/color/0.jpg", "/s/color/40.jpg", "/t/color/3.png"}));
        QCOMPARE(image.numberColumns.at(mcols::kView), (std::vector<double>{0, 40, 3}));
        embed::validate(image, "images");

        QCOMPARE(test::errorOf<std::invalid_argument>(
                     [&] { textEmbeddingSet(embeddingRows(3, 2), prompts, clip, "t"); }),
                 QStringLiteral("tiny-clip: got 3 x 2 embeddings, expected 2 x 2"));
        QCOMPARE(test::errorOf<std::invalid_argument>(
                     [&] { imageEmbeddingSet(embeddingRows(3, 4), images, clip, "i"); }),
                 QStringLiteral("tiny-clip: got 3 x 4 embeddings, expected 3 x 2"));
    }

    void rankByCosineOrdersBySimilarityThenRow() {
        const auto set = setOf(5, 2, {1, 0, 0, 2, 1, 1, 0, 0, 3, 0});
        const float query[] = {2, 0};
        const auto ranked = rankByCosine(set, query);
        QCOMPARE(ranked.size(), std::size_t(5));
        const int rows[] = {0, 4, 2, 1, 3};
        const float similarities[] = {1, 1, float(std::sqrt(0.5)), 0, 0};
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(ranked[std::size_t(i)].row, rows[i]);
            QVERIFY(std::abs(ranked[std::size_t(i)].similarity - similarities[i]) < 1e-6f);
        }
        // Against (-1, -1) every non-zero row is opposed, so the zero row (similarity 0) leads and
        // (1, 1), pointing exactly away, comes last.
        const float opposite[] = {-1, -1};
        const auto away = rankByCosine(set, opposite);
        QCOMPARE(away.front().row, 3);
        QCOMPARE(away[1].row, 0);
        QCOMPARE(away.back().row, 2);
        QVERIFY(std::abs(away.back().similarity + 1.f) < 1e-6f);

        const float zero[] = {0, 0};
        QCOMPARE(test::errorOf<std::invalid_argument>([&] { rankByCosine(set, zero); }),
                 QStringLiteral("ranking 'rows': the query vector is zero"));
    }

    void principalComponentColorsFollowTheData() {
        // Points along the line t * (1, 2, 2) + (5, 0, -1), in shuffled order.
        const float ts[] = {0, 3, 1, 4, 2};
        std::vector<float> values;
        for (float t : ts)
            values.insert(values.end(), {5 + t, 2 * t, 2 * t - 1});
        const auto line = principalComponentColors(setOf(5, 3, values));
        QCOMPARE(line.size(), std::size_t(5));
        for (int i = 0; i < 5; ++i) {
            QVERIFY(std::abs(line[std::size_t(i)][0] - ts[i] / 4) < 1e-5f);
            QCOMPARE(line[std::size_t(i)][1], 0.5f); // the line spans one component only
            QCOMPARE(line[std::size_t(i)][2], 0.5f);
        }

        const auto two = principalComponentColors(setOf(2, 3, {0, 0, 0, 1, 2, 3}));
        QCOMPARE(two[0], (std::array<float, 3>{0.f, 0.5f, 0.5f}));
        QCOMPARE(two[1], (std::array<float, 3>{1.f, 0.5f, 0.5f}));

        const auto oneDim = principalComponentColors(setOf(3, 1, {1, 3, 2}));
        QCOMPARE(oneDim[0], (std::array<float, 3>{0.f, 0.5f, 0.5f}));
        QCOMPARE(oneDim[1], (std::array<float, 3>{1.f, 0.5f, 0.5f}));
        QCOMPARE(oneDim[2], (std::array<float, 3>{0.5f, 0.5f, 0.5f}));

        const auto same = principalComponentColors(setOf(2, 2, {1, 1, 1, 1}));
        QCOMPARE(same[1], (std::array<float, 3>{0.5f, 0.5f, 0.5f}));
        QVERIFY(principalComponentColors(setOf(0, 3, {})).empty());
    }

    void requireSameSpaceNamesBothBundles() {
        requireSameSpace(manifest("se", "tiny-test", 32), manifest("clip", "tiny-test", 32));
        QCOMPARE(test::errorOf<std::invalid_argument>([] {
                     requireSameSpace(manifest("tiny-se", "tiny-test", 32),
                                      manifest("big-clip", "clip-vit-b32", 512));
                 }),
                 QStringLiteral("'big-clip' embeds into the space 'clip-vit-b32', but 'tiny-se' "
                                "embeds into 'tiny-test': their vectors cannot be compared. Use "
                                "bundles trained for the same space."));
    }

    void centreModalitiesRemovesEachModalitysMean() {
        embed::EmbeddingSet set = setOf(7, 3, {3, 1, 1, 1, 1, 1, 2, 1, 1,            // text
                                               0, 4, 2, 0, 2, 2, 0, 3, 5, 0, 0, 0}); // image
        set.textColumns[cols::kModality] = {"text",  "text",  "text", "image",
                                            "image", "image", "image"};
        embed::centreModalities(set);
        // text mean (2, 1, 1); image mean (0, 3, 3) without the zero row, which stays zero.
        const float h = float(std::sqrt(0.5));
        compareRow(set.row(0), {1, 0, 0});
        compareRow(set.row(1), {-1, 0, 0});
        compareRow(set.row(2), {0, 0, 0}); // the text mean itself
        compareRow(set.row(3), {0, h, -h});
        compareRow(set.row(4), {0, -h, -h});
        compareRow(set.row(5), {0, 0, 1});
        compareRow(set.row(6), {0, 0, 0});

        // Without a modality column the whole set is one modality.
        embed::EmbeddingSet single = setOf(2, 2, {1, 5, 3, 5});
        single.modality = "object3d";
        embed::centreModalities(single);
        compareRow(single.row(0), {-1, 0});
        compareRow(single.row(1), {1, 0});
    }
};

QTEST_GUILESS_MAIN(TestModelEmbeddings)
#include "test_model_embeddings.moc"

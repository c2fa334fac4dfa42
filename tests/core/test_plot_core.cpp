// What an embedding view computes without OpenGL: colormaps against matplotlib's values, the
// categorical palette, legends and the categorical/continuous rule, the spatial index against
// brute force (nearest, rectangle, lasso), plot data and set concatenation.

#include "embed/PlotData.h"
#include "embed/PlotEncoding.h"
#include "embed/PointIndex2D.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace scenelens;
using namespace scenelens::embed;

namespace {

QString hex(const Rgba8& c) {
    return QString::asprintf("#%02x%02x%02x", c[0], c[1], c[2]);
}

double rgbDistance(const Rgba8& a, const Rgba8& b) {
    double sum = 0;
    for (int k = 0; k < 3; ++k)
        sum += (double(a[k]) - b[k]) * (double(a[k]) - b[k]);
    return std::sqrt(sum);
}

EmbeddingSet setWithRows(int rows, int dims = 2) {
    EmbeddingSet set;
    set.name = "s";
    set.rows = rows;
    set.dims = dims;
    set.values.assign(std::size_t(rows) * dims, 0.0f);
    return set;
}

std::vector<float> randomPoints(int rows, unsigned seed) {
    std::mt19937 engine(seed);
    std::uniform_real_distribution<float> uniform(-10.0f, 10.0f);
    std::vector<float> xy(2 * std::size_t(rows));
    for (float& v : xy)
        v = uniform(engine);
    return xy;
}

int bruteNearest(const std::vector<float>& xy, const Point2& p, double radius) {
    double best = INFINITY;
    int index = -1;
    for (int i = 0; i < int(xy.size() / 2); ++i) {
        const double dx = double(xy[2 * i]) - p.x, dy = double(xy[2 * i + 1]) - p.y;
        const double d2 = dx * dx + dy * dy;
        if (d2 <= radius * radius && d2 < best) {
            best = d2;
            index = i;
        }
    }
    return index;
}

std::vector<int> brutePolygon(const std::vector<float>& xy, const std::vector<Point2>& polygon) {
    std::vector<int> out;
    for (int i = 0; i < int(xy.size() / 2); ++i)
        if (pointInPolygon({xy[2 * i], xy[2 * i + 1]}, polygon))
            out.push_back(i);
    return out;
}

// A star-shaped (hence concave) polygon around a centre with random radii.
std::vector<Point2> randomStar(std::mt19937& engine, int vertices) {
    std::uniform_real_distribution<double> centre(-8, 8), radius(0.5, 9);
    const Point2 c{centre(engine), centre(engine)};
    std::vector<Point2> polygon;
    for (int k = 0; k < vertices; ++k) {
        const double angle = 2 * M_PI * k / vertices, r = radius(engine);
        polygon.push_back({c.x + r * std::cos(angle), c.y + r * std::sin(angle)});
    }
    return polygon;
}

// A hand-drawn-like lasso that crosses itself: a random walk of vertices.
std::vector<Point2> randomLasso(std::mt19937& engine, int vertices) {
    std::uniform_real_distribution<double> start(-12, 12), step(-4, 4);
    std::vector<Point2> polygon{{start(engine), start(engine)}};
    for (int k = 1; k < vertices; ++k)
        polygon.push_back({polygon.back().x + step(engine), polygon.back().y + step(engine)});
    return polygon;
}

} // namespace

class TestPlotCore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // matplotlib 3.6: matplotlib.colors.to_hex(matplotlib.colormaps[name](t)).
    void colormapsMatchMatplotlib_data() {
        QTest::addColumn<int>("map");
        QTest::addColumn<double>("t");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char* name, Colormap map, double t, const char* expected) {
            QTest::newRow(name) << int(map) << t << QString(expected);
        };
        row("viridis 0", Colormap::Viridis, 0.0, "#440154");
        row("viridis 0.25", Colormap::Viridis, 0.25, "#3b528b");
        row("viridis 0.5", Colormap::Viridis, 0.5, "#21918c");
        row("viridis 1", Colormap::Viridis, 1.0, "#fde725");
        row("magma 0", Colormap::Magma, 0.0, "#000004");
        row("magma 0.25", Colormap::Magma, 0.25, "#51127c");
        row("magma 0.5", Colormap::Magma, 0.5, "#b73779");
        row("magma 1", Colormap::Magma, 1.0, "#fcfdbf");
        row("coolwarm 0", Colormap::Coolwarm, 0.0, "#3b4cc0");
        row("coolwarm 1", Colormap::Coolwarm, 1.0, "#b40426");
        row("viridis below 0 clamps", Colormap::Viridis, -3.0, "#440154");
        row("viridis above 1 clamps", Colormap::Viridis, 7.0, "#fde725");
    }
    void colormapsMatchMatplotlib() {
        QFETCH(int, map);
        QFETCH(double, t);
        QFETCH(QString, expected);
        QCOMPARE(hex(colormapColor(Colormap(map), t)), expected);
        QCOMPARE(colormapColor(Colormap(map), t)[3], std::uint8_t(255));
    }

    void coolwarmIsMorelandsDivergingMap() {
        // White in the middle (Moreland's M = 88: RGB 221), blue below, red above, and within
        // 4/255 of matplotlib's 33-point sampling (#dddcdc at 0.5, #8db0fe at 0.25).
        const Rgba8 middle = colormapColor(Colormap::Coolwarm, 0.5);
        for (int k = 0; k < 3; ++k)
            QVERIFY(std::abs(int(middle[k]) - 221) <= 2);
        const Rgba8 quarter = colormapColor(Colormap::Coolwarm, 0.25);
        QVERIFY(rgbDistance(quarter, {0x8d, 0xb0, 0xfe, 255}) <= 4 * std::sqrt(3.0));
        QVERIFY(quarter[2] > quarter[0]);
        const Rgba8 threeQuarters = colormapColor(Colormap::Coolwarm, 0.75);
        QVERIFY(threeQuarters[0] > threeQuarters[2]);
    }

    void colormapNamesAndMissingValues() {
        for (Colormap map : {Colormap::Viridis, Colormap::Magma, Colormap::Coolwarm})
            QCOMPARE(parseColormap(toString(map)), std::optional<Colormap>(map));
        QCOMPARE(parseColormap("jet"), std::optional<Colormap>());
        QCOMPARE(colormapColor(Colormap::Magma, NAN), kMissingColor);
    }

    void categoricalPaletteIsLargeAndDistinct() {
        const int size = categoricalPaletteSize();
        QVERIFY(size >= 20);
        // Okabe-Ito first: orange, sky blue, bluish green.
        QCOMPARE(hex(categoricalColor(0)), QString("#e69f00"));
        QCOMPARE(hex(categoricalColor(1)), QString("#56b4e9"));
        QCOMPARE(hex(categoricalColor(2)), QString("#009e73"));
        double closest = INFINITY;
        for (int i = 0; i < size; ++i) {
            QVERIFY(rgbDistance(categoricalColor(i), kMissingColor) >= 60);
            for (int j = i + 1; j < size; ++j)
                closest = std::min(closest, rgbDistance(categoricalColor(i), categoricalColor(j)));
        }
        QVERIFY2(closest >= 60, qPrintable(QString::number(closest)));
        QCOMPARE(categoricalColor(size), categoricalColor(0));
        QCOMPARE(categoricalColor(-1), categoricalColor(size - 1));
    }

    void textLegendByDescendingCountThenName() {
        EmbeddingSet set = setWithRows(9);
        set.textColumns["label"] = {"chair", "table", "", "bed",  "table",
                                    "chair", "sofa",  "", "table"};
        const ColorEncoding e = encodeColors(set, "label");
        QVERIFY(!e.continuous);
        QCOMPARE(int(e.legend.size()), 5);
        const std::vector<std::pair<std::string, int>> expected = {
            {"table", 3}, {"chair", 2}, {"bed", 1}, {"sofa", 1}, {kMissingCategory, 2}};
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(e.legend[i].category, expected[i].first);
            QCOMPARE(e.legend[i].count, expected[i].second);
            QVERIFY(e.legend[i].visible);
        }
        for (int i = 0; i < 4; ++i)
            QCOMPARE(e.legend[i].color, categoricalColor(i));
        QCOMPARE(e.legend[4].color, kMissingColor);
        const std::vector<int> category = {1, 0, 4, 2, 0, 1, 3, 4, 0};
        QCOMPARE(e.category, category);
        for (int i = 0; i < set.rows; ++i)
            QCOMPARE(e.colors[i], e.legend[e.category[i]].color);
    }

    void fewWholeNumbersAreCategorical() {
        EmbeddingSet set = setWithRows(6);
        set.numberColumns["object_id"] = {10, 2, 2, NAN, 10, 7};
        const ColorEncoding e = encodeColors(set, "object_id");
        QVERIFY(!e.continuous);
        QCOMPARE(int(e.legend.size()), 4);
        // Ties are ordered by value, not by text ("10" < "2").
        QCOMPARE(e.legend[0].category, std::string("2"));
        QCOMPARE(e.legend[1].category, std::string("10"));
        QCOMPARE(e.legend[2].category, std::string("7"));
        QCOMPARE(e.legend[3].category, std::string(kMissingCategory));
        QCOMPARE(e.category[3], 3);
        QCOMPARE(e.colors[3], kMissingColor);
    }

    void manyOrFractionalNumbersAreContinuous() {
        EmbeddingSet many = setWithRows(21);
        auto& ids = many.numberColumns["id"];
        for (int i = 0; i < 21; ++i)
            ids.push_back(i);
        QVERIFY(encodeColors(many, "id").continuous);
        many.numberColumns["id"].pop_back();
        many.numberColumns["id"].push_back(3);
        QVERIFY(!encodeColors(many, "id").continuous); // 20 distinct whole numbers

        EmbeddingSet set = setWithRows(5);
        set.numberColumns["score"] = {0.5, NAN, 2.5, 1.5, INFINITY};
        const ColorEncoding e = encodeColors(set, "score", Colormap::Magma);
        QVERIFY(e.continuous);
        QCOMPARE(e.minValue, 0.5);
        QCOMPARE(e.maxValue, 2.5);
        QCOMPARE(int(e.legend.size()), 1);
        QCOMPARE(e.legend[0].category, std::string(kMissingCategory));
        QCOMPARE(e.legend[0].count, 1);
        QCOMPARE(e.colors[0], colormapColor(Colormap::Magma, 0.0));
        QCOMPARE(e.colors[3], colormapColor(Colormap::Magma, 0.5));
        QCOMPARE(e.colors[2], colormapColor(Colormap::Magma, 1.0));
        QCOMPARE(e.colors[4], colormapColor(Colormap::Magma, 1.0));
        QCOMPARE(e.colors[1], kMissingColor);
        QCOMPARE(e.category, (std::vector<int>{-1, 0, -1, -1, -1}));
    }

    void constantContinuousColumnAndNoColumn() {
        EmbeddingSet set = setWithRows(3);
        set.numberColumns["v"] = {0.25, 0.25, 0.25};
        const ColorEncoding e = encodeColors(set, "v");
        QVERIFY(e.continuous);
        QCOMPARE(e.colors[1], colormapColor(Colormap::Viridis, 0.5));
        const ColorEncoding plain = encodeColors(set, "");
        QVERIFY(plain.legend.empty());
        QCOMPARE(plain.colors, std::vector<Rgba8>(3, categoricalColor(0)));
        QCOMPARE(plain.category, std::vector<int>(3, -1));
        bool threw = false;
        try {
            encodeColors(set, "nope");
        } catch (const std::invalid_argument& e) {
            threw = QString(e.what()).contains("'nope'");
        }
        QVERIFY(threw);
    }

    void nearestMatchesBruteForce() {
        const std::vector<float> xy = randomPoints(10000, 1);
        const PointIndex2D index(xy.data(), 10000);
        QCOMPARE(index.size(), 10000);
        std::mt19937 engine(2);
        std::uniform_real_distribution<double> where(-12, 12);
        for (double radius : {0.0, 0.001, 0.01, 0.05, 0.2, 1.0, 5.0, 40.0}) {
            for (int q = 0; q < 300; ++q) {
                const Point2 p{where(engine), where(engine)};
                QCOMPARE(index.nearest(p, radius), bruteNearest(xy, p, radius));
            }
        }
        // A query exactly on a point finds it at radius 0.
        QCOMPARE(index.nearest({xy[2 * 77], xy[2 * 77 + 1]}, 0.0), 77);
    }

    void nearestTiesGoToTheLowerIndex() {
        const std::vector<float> xy = {1, 1, 0, 0, 1, 1, 2, 2, 0, 0};
        const PointIndex2D index(xy.data(), 5);
        QCOMPARE(index.nearest({1, 1}, 0.5), 0);
        QCOMPARE(index.nearest({0.1, 0.1}, 0.5), 1);
        QCOMPARE(index.nearest({1.5, 1.5}, 1.0), 0); // equidistant from (1,1) and (2,2)
        QCOMPARE(index.nearest({5, 5}, 1.0), -1);
        QCOMPARE(index.nearest({NAN, 0}, 1.0), -1);
    }

    void rectanglesMatchBruteForce() {
        const std::vector<float> xy = randomPoints(10000, 3);
        const PointIndex2D index(xy.data(), 10000);
        std::mt19937 engine(4);
        std::uniform_real_distribution<double> where(-12, 12);
        for (int q = 0; q < 200; ++q) {
            const Point2 a{where(engine), where(engine)}, b{where(engine), where(engine)};
            std::vector<int> expected;
            for (int i = 0; i < 10000; ++i)
                if (xy[2 * i] >= std::min(a.x, b.x) && xy[2 * i] <= std::max(a.x, b.x) &&
                    xy[2 * i + 1] >= std::min(a.y, b.y) && xy[2 * i + 1] <= std::max(a.y, b.y))
                    expected.push_back(i);
            QCOMPARE(index.inRectangle(a, b), expected);
        }
        // Corners on stored coordinates include those points.
        const Point2 p{xy[0], xy[1]};
        QVERIFY(!index.inRectangle(p, p).empty());
        QCOMPARE(index.inRectangle(p, p).front(), 0);
    }

    void polygonsMatchBruteForce() {
        const std::vector<float> xy = randomPoints(10000, 5);
        const PointIndex2D index(xy.data(), 10000);
        std::mt19937 engine(6);
        for (int q = 0; q < 60; ++q) {
            const std::vector<Point2> star = randomStar(engine, 5 + q % 40);
            QCOMPARE(index.inPolygon(star), brutePolygon(xy, star));
            const std::vector<Point2> lasso = randomLasso(engine, 4 + q * 3);
            const std::vector<int> selected = index.inPolygon(lasso);
            QCOMPARE(selected, brutePolygon(xy, lasso));
        }
        // The whole plane, a triangle, and degenerate polygons.
        const std::vector<Point2> all = {{-100, -100}, {100, -100}, {100, 100}, {-100, 100}};
        QCOMPARE(int(index.inPolygon(all).size()), 10000);
        QVERIFY(index.inPolygon({{0, 0}, {1, 1}}).empty());
        QVERIFY(index.inPolygon({{0, 0}, {1, 1}, {NAN, 1}}).empty());
        QVERIFY(index.inPolygon({{50, 50}, {60, 50}, {55, 60}}).empty());
    }

    void pointInPolygonEvenOdd() {
        const std::vector<Point2> square = {{0, 0}, {4, 0}, {4, 4}, {0, 4}};
        QVERIFY(pointInPolygon({2, 2}, square));
        QVERIFY(!pointInPolygon({5, 2}, square));
        QVERIFY(!pointInPolygon({-1, 2}, square));
        // Concave "C": the notch is outside.
        const std::vector<Point2> c = {{0, 0}, {4, 0}, {4, 1}, {1, 1},
                                       {1, 3}, {4, 3}, {4, 4}, {0, 4}};
        QVERIFY(pointInPolygon({0.5, 2}, c));
        QVERIFY(!pointInPolygon({2, 2}, c));
        // Pentagram: the centre is covered twice, so even-odd leaves it out; the points are in.
        std::vector<Point2> star;
        for (int k = 0; k < 5; ++k) {
            const double angle = M_PI / 2 + 2 * M_PI * (2 * k) / 5;
            star.push_back({std::cos(angle), std::sin(angle)});
        }
        QVERIFY(!pointInPolygon({0, 0}, star));
        QVERIFY(pointInPolygon({0, 0.8}, star));
        // Figure eight (bow tie): both lobes in, outside out.
        const std::vector<Point2> bowTie = {{0, 0}, {2, 2}, {2, 0}, {0, 2}};
        QVERIFY(pointInPolygon({0.2, 1}, bowTie));
        QVERIFY(pointInPolygon({1.8, 1}, bowTie));
        QVERIFY(!pointInPolygon({1, 0.2}, bowTie));
        QVERIFY(!pointInPolygon({1, 1}, {{0, 0}, {2, 2}}));
    }

    void indexHandlesDegenerateInput() {
        const PointIndex2D empty(nullptr, 0);
        QCOMPARE(empty.nearest({0, 0}, 10), -1);
        QVERIFY(empty.inRectangle({-1, -1}, {1, 1}).empty());
        QVERIFY(empty.inPolygon({{-1, -1}, {1, -1}, {0, 1}}).empty());
        QVERIFY(PointIndex2D().inRectangle({-1, -1}, {1, 1}).empty());

        // All points equal, on one line, and some not finite.
        const std::vector<float> same = {3, 3, 3, 3, 3, 3};
        const PointIndex2D one(same.data(), 3);
        QCOMPARE(one.inRectangle({3, 3}, {3, 3}), (std::vector<int>{0, 1, 2}));
        QCOMPARE(one.nearest({3.1, 3}, 0.2), 0);
        const std::vector<float> line = {0, 1, 1, 1, 2, 1, NAN, 1, 3, INFINITY};
        const PointIndex2D row(line.data(), 5);
        QCOMPARE(row.inRectangle({0.5, 0}, {5, 5}), (std::vector<int>{1, 2}));
        QCOMPARE(row.inPolygon({{-1, 0}, {5, 0}, {5, 2}, {-1, 2}}), (std::vector<int>{0, 1, 2}));
        QCOMPARE(row.nearest({1.9, 1}, 10), 2);
    }

    void clusteredPointsMatchBruteForce() {
        // Most points in a tiny cluster and a few far away: cells are then uneven.
        std::mt19937 engine(8);
        std::normal_distribution<float> tight(0.0f, 0.001f);
        std::vector<float> xy;
        for (int i = 0; i < 5000; ++i) {
            xy.push_back(tight(engine));
            xy.push_back(tight(engine));
        }
        for (float far : {-1000.0f, 1000.0f}) {
            xy.push_back(far);
            xy.push_back(far);
        }
        const PointIndex2D index(xy.data(), int(xy.size() / 2));
        const std::vector<Point2> lasso = {
            {-0.002, -0.003}, {0.003, -0.001}, {-0.0005, 0.0001}, {0.002, 0.003}, {-0.003, 0.001}};
        QCOMPARE(index.inPolygon(lasso), brutePolygon(xy, lasso));
        for (double radius : {0.0001, 0.001, 100.0, 2000.0})
            QCOMPARE(index.nearest({0.0005, -0.0002}, radius),
                     bruteNearest(xy, {0.0005, -0.0002}, radius));
    }

    void concatenationAddsSetAndModality() {
        EmbeddingSet a = setWithRows(2, 3);
        a.name = "objects";
        a.modality = "object3d";
        a.textColumns["label"] = {"chair", "bed"};
        a.numberColumns["object_id"] = {4, 5};
        a.numberColumns["mixed"] = {1.5, 2};
        EmbeddingSet b = setWithRows(1, 3);
        b.name = "prompts";
        b.modality = "text";
        b.values = {7, 8, 9};
        b.textColumns["text"] = {"a chair"};
        b.textColumns["mixed"] = {"x"};
        const EmbeddingSet all = concatenateSets({&a, &b});
        QCOMPARE(all.rows, 3);
        QCOMPARE(all.dims, 3);
        QCOMPARE(all.name, std::string("objects + prompts"));
        QCOMPARE(all.modality, std::string());
        QCOMPARE(all.values.back(), 9.0f);
        using Texts = std::vector<std::string>;
        QCOMPARE(all.textColumns.at("set"), (Texts{"objects", "objects", "prompts"}));
        QCOMPARE(all.textColumns.at("modality"), (Texts{"object3d", "object3d", "text"}));
        QCOMPARE(all.textColumns.at("label"), (Texts{"chair", "bed", ""}));
        QCOMPARE(all.textColumns.at("text"), (Texts{"", "", "a chair"}));
        QCOMPARE(all.textColumns.at("mixed"), (Texts{"1.5", "2", "x"}));
        const auto& ids = all.numberColumns.at("object_id");
        QCOMPARE(ids[1], 5.0);
        QVERIFY(std::isnan(ids[2]));
        validate(all, "concatenation");

        // Concatenating again keeps the per-row set and modality.
        const EmbeddingSet again = concatenateSets({&all});
        QCOMPARE(again.textColumns.at("set"), all.textColumns.at("set"));
        QCOMPARE(again.textColumns.at("modality"), all.textColumns.at("modality"));

        EmbeddingSet wrong = setWithRows(1, 4);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, concatenateSets({&a, &wrong}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, concatenateSets({}));
    }

    void plotDataProjectsAndMeasures() {
        // Two separated Gaussian blobs in 8-D, labelled by blob.
        std::mt19937 engine(9);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        EmbeddingSet set = setWithRows(200, 8);
        set.name = "blobs";
        auto& labels = set.textColumns["label"];
        for (int i = 0; i < 200; ++i) {
            for (int d = 0; d < 8; ++d)
                set.values[std::size_t(i) * 8 + d] = normal(engine) + (i < 100 ? 0.0f : 10.0f);
            labels.push_back(i < 100 ? "a" : "b");
        }
        ProjectionOptions options;
        options.method = ProjectionMethod::Pca;
        const PlotData plot = makePlotData(set, options, true);
        QCOMPARE(plot.rows(), 200);
        QCOMPARE(plot.coordDims, 2);
        QCOMPARE(int(plot.coords.size()), 400);
        QCOMPARE(plot.coord(3), plot.coords.data() + 6);
        QCOMPARE(plot.title, std::string("PCA of blobs"));
        QVERIFY(!plot.projectionDetails.empty());
        QCOMPARE(plot.metrics.sampleSize, 200);
        std::map<std::string, double> metrics(plot.metrics.values.begin(),
                                              plot.metrics.values.end());
        QVERIFY(metrics.count("trustworthiness@15"));
        QCOMPARE(metrics.at("neighbourhood_hit@15"), 1.0);
        QVERIFY(metrics.at("silhouette") > 0.8);

        // A tiny set gets a smaller k; without metrics none are computed.
        EmbeddingSet tiny = setWithRows(7, 3);
        for (std::size_t i = 0; i < tiny.values.size(); ++i)
            tiny.values[i] = float(i % 5) + float(i) * 0.01f;
        const PlotData small = makePlotData(tiny, options, true);
        QCOMPARE(small.metrics.values.front().first, std::string("trustworthiness@3"));
        QVERIFY(makePlotData(tiny, options, false).metrics.values.empty());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 makePlotData(setWithRows(0), options, false));
    }
};

QTEST_GUILESS_MAIN(TestPlotCore)
#include "test_plot_core.moc"

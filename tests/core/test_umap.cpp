// UMAP: the fitted curve against umap-learn's values, the smooth-kNN and fuzzy-union invariants,
// spectral initialisation and its fallbacks, layout quality on a Gaussian mixture, determinism and
// cancellation. Neighbours and quality metrics are computed here by brute force, independently of
// the library's kNN and metrics code.

#include "Error.h"
#include "embed/FastPow.h"
#include "embed/FuzzyGraph.h"
#include "embed/SpectralInit.h"
#include "embed/Umap.h"
#include "embed/Xorshift.h"

#include <Eigen/Dense>

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace scenelens;
using namespace scenelens::embed;

namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct Mixture {
    RowMatrixF points;
    std::vector<int> labels;
};

// Clusters of equal size around centres drawn with standard deviation `separation`; unit spread.
Mixture gaussianMixture(int rows, int dims, int clusters, double separation, std::uint64_t seed) {
    Xorshift rng(seed);
    RowMatrixF centres(clusters, dims);
    for (Eigen::Index i = 0; i < centres.size(); ++i)
        centres.data()[i] = float(separation * rng.normal());
    Mixture m{RowMatrixF(rows, dims), std::vector<int>(rows)};
    for (int r = 0; r < rows; ++r) {
        m.labels[r] = r % clusters;
        for (int d = 0; d < dims; ++d)
            m.points(r, d) = centres(m.labels[r], d) + float(rng.normal());
    }
    return m;
}

// Squared Euclidean distances from rows [begin, begin + count) to every row.
Eigen::MatrixXf squaredDistances(const RowMatrixF& x, Eigen::Index begin, Eigen::Index count) {
    const Eigen::VectorXf norms = x.rowwise().squaredNorm();
    Eigen::MatrixXf d = -2.0f * x.middleRows(begin, count) * x.transpose();
    d.colwise() += norms.segment(begin, count);
    d.rowwise() += norms.transpose();
    return d.cwiseMax(0.0f);
}

// Row i's k nearest other rows, ascending, from a row of squared distances.
std::vector<int> nearest(const Eigen::MatrixXf& d, Eigen::Index row, int self, int k,
                         std::vector<int>& order) {
    order.resize(std::size_t(d.cols()));
    std::iota(order.begin(), order.end(), 0);
    order.erase(order.begin() + self);
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](int a, int b) { return d(row, a) < d(row, b); });
    return {order.begin(), order.begin() + k};
}

KnnGraph bruteForceKnn(const RowMatrixF& x, int k) {
    KnnGraph g{int(x.rows()), k, {}, {}};
    std::vector<int> order;
    constexpr Eigen::Index kBlock = 512;
    for (Eigen::Index begin = 0; begin < x.rows(); begin += kBlock) {
        const Eigen::Index count = std::min(kBlock, x.rows() - begin);
        const Eigen::MatrixXf d = squaredDistances(x, begin, count);
        for (Eigen::Index r = 0; r < count; ++r) {
            for (int j : nearest(d, r, int(begin + r), k, order)) {
                g.indices.push_back(j);
                g.distances.push_back(std::sqrt(d(r, j)));
            }
        }
    }
    return g;
}

RowMatrixF asMatrix(const std::vector<float>& coords, int dims) {
    return Eigen::Map<const RowMatrixF>(coords.data(), Eigen::Index(coords.size() / dims), dims);
}

double neighbourhoodHit(const RowMatrixF& low, const std::vector<int>& labels, int k) {
    const KnnGraph g = bruteForceKnn(low, k);
    double hits = 0.0;
    for (std::size_t i = 0; i < g.indices.size(); ++i)
        hits += labels[i / k] == labels[std::size_t(g.indices[i])];
    return hits / double(g.indices.size());
}

// Venna & Kaski, ranks taken in the original space among the given rows.
double trustworthiness(const RowMatrixF& high, const RowMatrixF& low, int k) {
    const int n = int(high.rows());
    const Eigen::MatrixXf dHigh = squaredDistances(high, 0, n);
    const KnnGraph lowKnn = bruteForceKnn(low, k);
    std::vector<int> order, rank(n);
    double penalty = 0.0;
    for (int i = 0; i < n; ++i) {
        const std::vector<int> byHigh = nearest(dHigh, i, i, n - 1, order);
        for (int r = 0; r < n - 1; ++r)
            rank[byHigh[r]] = r + 1;
        for (int j = 0; j < k; ++j)
            penalty += std::max(0, rank[lowKnn.indices[std::size_t(i) * k + j]] - k);
    }
    return 1.0 - 2.0 * penalty / (double(n) * k * (2.0 * n - 3.0 * k - 1.0));
}

class CancelAfter : public ProgressSink {
public:
    explicit CancelAfter(int reports) : remaining_(reports) {}
    void report(std::string_view, double) override { --remaining_; }
    bool cancelled() const override { return remaining_ <= 0; }

private:
    int remaining_;
};

} // namespace

class TestUmap : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fastPowMatchesStdPow() {
        // The layout's exponents are b - 1 and b with b in about (0.5, 2); distances span many
        // decades, down to coincident points.
        double worst = 0;
        for (float y : {-0.5f, -0.105f, 0.895f, 1.0f, 1.58f, 2.0f})
            for (float x = 1e-9f; x < 1e7f; x *= 1.0137f)
                worst =
                    std::max(worst, std::abs(double(fastPow(x, y)) / std::pow(double(x), y) - 1));
        qInfo("fastPow: largest relative error %.2e", worst);
        QVERIFY(worst < 5e-6); // float rounding of y log2(x) dominates for large powers
        QCOMPARE(fastPow(1.0f, 0.895f), 1.0f);
        QVERIFY(fastPow(0.0f, 0.895f) >= 0.0f && fastPow(0.0f, 0.895f) < 1e-20f);
    }

    void fitsCurveLikeUmapLearn_data() {
        QTest::addColumn<double>("minDist");
        QTest::addColumn<double>("a");
        QTest::addColumn<double>("b");
        QTest::newRow("min_dist 0.1") << 0.1 << 1.577 << 0.895;
        QTest::newRow("min_dist 0.5") << 0.5 << 0.583 << 1.334;
    }

    void fitsCurveLikeUmapLearn() {
        QFETCH(double, minDist);
        QFETCH(double, a);
        QFETCH(double, b);
        const auto [fa, fb] = fitAB(1.0, minDist);
        QVERIFY2(std::abs(fa - a) < 0.01 * a, qPrintable(QString::number(fa)));
        QVERIFY2(std::abs(fb - b) < 0.01 * b, qPrintable(QString::number(fb)));
    }

    void smoothDistancesHitLog2K() {
        const Mixture m = gaussianMixture(400, 8, 4, 3.0, 1);
        const KnnGraph g = bruteForceKnn(m.points, 15);
        const SmoothKnn s = smoothKnnDistances(g, 15);
        for (int i = 0; i < g.rows; ++i) {
            QCOMPARE(s.rho[i], double(g.distances[std::size_t(i) * g.k]));
            double sum = 0.0;
            for (int j = 0; j < g.k; ++j)
                sum += std::exp(-std::max(0.0, g.distances[std::size_t(i) * g.k + j] - s.rho[i]) /
                                s.sigma[i]);
            QVERIFY2(std::abs(sum - std::log2(15.0)) < 1e-3 * std::log2(15.0),
                     qPrintable(QString("row %1: %2").arg(i).arg(sum)));
        }
    }

    void fuzzyUnionIsSymmetricMembership() {
        const Mixture m = gaussianMixture(400, 8, 4, 3.0, 2);
        const Eigen::SparseMatrix<double> p = fuzzySimplicialSet(bruteForceKnn(m.points, 10), 10);
        const Eigen::SparseMatrix<double> pt = p.transpose();
        const Eigen::SparseMatrix<double> asymmetry = p - pt;
        QCOMPARE(asymmetry.coeffs().cwiseAbs().maxCoeff(), 0.0);
        QVERIFY(p.coeffs().minCoeff() > 0.0);
        QVERIFY(p.coeffs().maxCoeff() <= 1.0);
        QVERIFY(p.nonZeros() >= 400 * 10);
    }

    void spectralSeparatesWeaklyJoinedClusters() {
        // Two rings with random chords, joined by one weak edge.
        constexpr int kHalf = 60;
        std::vector<Eigen::Triplet<double>> edges;
        Xorshift rng(3);
        const auto join = [&](int u, int v, double w) {
            edges.emplace_back(u, v, w);
            edges.emplace_back(v, u, w);
        };
        for (int c = 0; c < 2; ++c) {
            for (int i = 0; i < kHalf; ++i) {
                join(c * kHalf + i, c * kHalf + (i + 1) % kHalf, 1.0);
                join(c * kHalf + i, c * kHalf + rng.below(kHalf), 0.5);
            }
        }
        join(0, kHalf, 0.01);
        Eigen::SparseMatrix<double> graph(2 * kHalf, 2 * kHalf);
        graph.setFromTriplets(edges.begin(), edges.end());
        const SpectralLayout layout = spectralLayout(graph, 2, 7);
        QVERIFY2(layout.failure.empty(), layout.failure.c_str());
        for (int i = 0; i < 2 * kHalf; ++i) {
            const bool firstCluster = i < kHalf;
            QCOMPARE(layout.coords[std::size_t(i) * 2] > 0.0f,
                     layout.coords[0] > 0.0f ? firstCluster : !firstCluster);
        }
    }

    void separatesGaussianMixture() {
        const Mixture m = gaussianMixture(5000, 50, 10, 4.0, 11);
        const KnnGraph g = bruteForceKnn(m.points, 15);
        QElapsedTimer timer;
        timer.start();
        const UmapResult r = umap(g, UmapOptions{}, m.points.data(), 50);
        qInfo("UMAP of 5000 x 50 (%s): %lld ms", r.initialisation.c_str(), qint64(timer.elapsed()));
        QCOMPARE(r.coords.size(), std::size_t(5000 * 2));
        const RowMatrixF low = asMatrix(r.coords, 2);
        QVERIFY(low.allFinite());
        const double hit = neighbourhoodHit(low, m.labels, 15);
        const double trust = trustworthiness(m.points.topRows(1000), low.topRows(1000), 15);
        qInfo("neighbourhood hit@15 %.4f, trustworthiness@15 %.4f", hit, trust);
        QVERIFY(hit >= 0.95);
        QVERIFY(trust >= 0.95);
    }

    void deterministicModeRepeats() {
        const Mixture m = gaussianMixture(600, 10, 3, 1.5, 5);
        const KnnGraph g = bruteForceKnn(m.points, 15);
        UmapOptions options;
        options.deterministic = true;
        options.epochs = 60;
        options.seed = 42;
        const UmapResult first = umap(g, options, m.points.data(), 10);
        const UmapResult second = umap(g, options, m.points.data(), 10);
        QCOMPARE(first.initialisation, std::string("spectral"));
        QVERIFY(first.coords == second.coords);
        options.seed = 43;
        QVERIFY(umap(g, options, m.points.data(), 10).coords != first.coords);
    }

    void disconnectedGraphFallsBack() {
        const Mixture m = gaussianMixture(300, 6, 2, 100.0, 9);
        const KnnGraph g = bruteForceKnn(m.points, 10);
        UmapOptions options;
        options.epochs = 20;
        const UmapResult withData = umap(g, options, m.points.data(), 6);
        QVERIFY2(withData.initialisation ==
                     "pca (spectral failed: graph has 2 connected components)",
                 withData.initialisation.c_str());
        const UmapResult withoutData = umap(g, options);
        QVERIFY2(withoutData.initialisation.rfind("random (spectral failed: graph has 2", 0) == 0,
                 withoutData.initialisation.c_str());
        QVERIFY(asMatrix(withoutData.coords, 2).allFinite());
    }

    void cancelsWithinAFewEpochs() {
        const Mixture m = gaussianMixture(500, 8, 3, 3.0, 4);
        CancelAfter sink(3);
        QVERIFY_THROWS_EXCEPTION(
            Cancelled, umap(bruteForceKnn(m.points, 15), UmapOptions{}, nullptr, 0, &sink));
    }
};

QTEST_GUILESS_MAIN(TestUmap)
#include "test_umap.moc"

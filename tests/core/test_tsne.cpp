// t-SNE: perplexity calibration, symmetrised affinities, the FFT repulsion against the exact
// O(N^2) sum, embedding quality on separated clusters in 2-D and 3-D, cancellation and determinism.
// Neighbourhoods and trustworthiness are computed here by brute force, independently of the
// library.

#include "Error.h"
#include "embed/Knn.h"
#include "embed/Tsne.h"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

using namespace scenelens;
using namespace scenelens::embed;

namespace {

constexpr double kPerplexity = 30;
constexpr int kNeighbours = 90;

struct Mixture {
    std::vector<float> points; ///< rows x dims
    std::vector<int> labels;
    int rows = 0, dims = 0;
};

/// Ten Gaussian clusters of unit spread whose centres lie ~100 apart.
Mixture gaussianMixture(int rows, int dims, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> centres(10 * dims);
    for (float& c : centres)
        c = 10 * normal(random);
    Mixture m{std::vector<float>(std::size_t(rows) * dims), std::vector<int>(rows), rows, dims};
    for (int i = 0; i < rows; ++i) {
        m.labels[i] = i % 10;
        for (int d = 0; d < dims; ++d)
            m.points[std::size_t(i) * dims + d] = centres[m.labels[i] * dims + d] + normal(random);
    }
    return m;
}

SparseAffinities affinities(const Mixture& m) {
    const KnnGraph graph = nearestNeighbours(m.points.data(), m.rows, m.dims, kNeighbours,
                                             Metric::Euclidean, KnnMethod::Exact);
    std::vector<float> conditional;
    calibrateAffinities(graph, kPerplexity, conditional);
    return symmetrize(graph, conditional);
}

double squaredDistance(const float* a, const float* b, int dims) {
    double sum = 0;
    for (int d = 0; d < dims; ++d)
        sum += (double(a[d]) - b[d]) * (double(a[d]) - b[d]);
    return sum;
}

/// Rows of `subset` ordered by distance to subset[i] (itself excluded), by brute force.
std::vector<int> rankedNeighbours(const std::vector<float>& points, int dims,
                                  const std::vector<int>& subset, int i) {
    std::vector<std::pair<double, int>> order;
    for (int j = 0; j < int(subset.size()); ++j)
        if (j != i)
            order.push_back({squaredDistance(&points[std::size_t(subset[i]) * dims],
                                             &points[std::size_t(subset[j]) * dims], dims),
                             j});
    std::sort(order.begin(), order.end());
    std::vector<int> ranked;
    for (const auto& entry : order)
        ranked.push_back(entry.second);
    return ranked;
}

std::vector<int> allRows(int rows) {
    std::vector<int> subset(rows);
    std::iota(subset.begin(), subset.end(), 0);
    return subset;
}

/// Mean fraction of each point's k nearest embedded neighbours that share its label.
double neighbourhoodHit(const std::vector<float>& embedding, int dims,
                        const std::vector<int>& labels, int k) {
    const std::vector<int> subset = allRows(int(labels.size()));
    double hits = 0;
    for (int i = 0; i < int(labels.size()); ++i) {
        const std::vector<int> ranked = rankedNeighbours(embedding, dims, subset, i);
        for (int t = 0; t < k; ++t)
            hits += labels[ranked[t]] == labels[i];
    }
    return hits / (double(labels.size()) * k);
}

/// Venna & Kaski's trustworthiness on `subset`: penalises embedded neighbours that are far in the
/// original space by their original rank beyond k.
double trustworthiness(const Mixture& m, const std::vector<float>& embedding, int dims,
                       const std::vector<int>& subset, int k) {
    const int n = int(subset.size());
    double penalty = 0;
    std::vector<int> rank(n);
    for (int i = 0; i < n; ++i) {
        const std::vector<int> original = rankedNeighbours(m.points, m.dims, subset, i);
        for (int r = 0; r < n - 1; ++r)
            rank[original[r]] = r + 1;
        const std::vector<int> embedded = rankedNeighbours(embedding, dims, subset, i);
        for (int t = 0; t < k; ++t)
            penalty += std::max(0, rank[embedded[t]] - k);
    }
    return 1 - 2.0 / (double(n) * k * (2.0 * n - 3.0 * k - 1)) * penalty;
}

/// Ten blobs of spread 3 on a circle of radius 30, like a t-SNE embedding mid-optimisation.
std::vector<float> blobs2d(int rows) {
    std::mt19937_64 random(7);
    std::normal_distribution<float> normal(0.0f, 3.0f);
    std::vector<float> y(std::size_t(rows) * 2);
    for (int i = 0; i < rows; ++i) {
        const double angle = 2 * M_PI * (i % 10) / 10;
        y[2 * i] = float(30 * std::cos(angle)) + normal(random);
        y[2 * i + 1] = float(30 * std::sin(angle)) + normal(random);
    }
    return y;
}

double relativeError(const std::vector<float>& approx, const std::vector<float>& exact) {
    double diff = 0, norm = 0;
    for (std::size_t t = 0; t < exact.size(); ++t) {
        diff += (double(approx[t]) - exact[t]) * (double(approx[t]) - exact[t]);
        norm += double(exact[t]) * exact[t];
    }
    return std::sqrt(diff / norm);
}

/// Requests cancellation at a given report, as a GUI would between two checkpoints, and
/// remembers when.
class CancelAfter : public ProgressSink {
public:
    explicit CancelAfter(int reports) : reports_(reports) {}
    void report(std::string_view, double) override {
        if (++seen_ == reports_)
            requestedAt_ = std::chrono::steady_clock::now();
    }
    bool cancelled() const override { return seen_ >= reports_; }
    std::chrono::steady_clock::time_point requestedAt() const { return requestedAt_; }

private:
    int reports_;
    int seen_ = 0;
    std::chrono::steady_clock::time_point requestedAt_;
};

} // namespace

class TestTsne : public QObject {
    Q_OBJECT

private:
    Mixture mixture_;
    SparseAffinities affinities_;

private Q_SLOTS:
    void initTestCase() {
        mixture_ = gaussianMixture(5000, 50, 1);
        affinities_ = affinities(mixture_);
    }

    void calibrationHitsTargetEntropy() {
        const Mixture m = gaussianMixture(2000, 50, 2);
        const KnnGraph graph = nearestNeighbours(m.points.data(), m.rows, m.dims, kNeighbours,
                                                 Metric::Euclidean, KnnMethod::Exact);
        std::vector<float> P;
        const std::vector<double> betas = calibrateAffinities(graph, kPerplexity, P);
        QCOMPARE(int(betas.size()), m.rows);
        for (int i = 0; i < m.rows; ++i) {
            double entropy = 0, sum = 0;
            for (int j = 0; j < kNeighbours; ++j) {
                const double p = P[std::size_t(i) * kNeighbours + j];
                sum += p;
                if (p > 0)
                    entropy -= p * std::log(p);
            }
            QVERIFY2(std::abs(entropy - std::log(kPerplexity)) < 1e-5,
                     qPrintable(QString::number(i)));
            QVERIFY(std::abs(sum - 1) < 1e-5);
            QVERIFY(betas[i] > 0);
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, calibrateAffinities(graph, 90, P));
    }

    void symmetrisedAffinitiesAreSymmetricAndSumToOne() {
        const SparseAffinities& P = affinities_;
        QCOMPARE(P.rows, mixture_.rows);
        QCOMPARE(int(P.rowStart.size()), P.rows + 1);
        double total = 0;
        for (int i = 0; i < P.rows; ++i)
            for (int t = P.rowStart[i]; t < P.rowStart[i + 1]; ++t) {
                const int j = P.columns[t];
                QVERIFY(j != i);
                QVERIFY(t == P.rowStart[i] || P.columns[t - 1] < j);
                total += P.values[t];
                const auto begin = P.columns.begin() + P.rowStart[j];
                const auto end = P.columns.begin() + P.rowStart[j + 1];
                const auto back = std::lower_bound(begin, end, i);
                QVERIFY(back != end && *back == i);
                QCOMPARE(P.values[back - P.columns.begin()], P.values[t]);
            }
        QVERIFY(std::abs(total - 1) < 1e-4);
    }

    void fftGradientMatchesExact() {
        const std::vector<float> y = blobs2d(2000);
        double zFft = 0, zExact = 0;
        const std::vector<float> fft = repulsiveGradient(y, 2, &zFft);
        const std::vector<float> exact = exactRepulsiveGradient(y, 2, &zExact);
        const double error = relativeError(fft, exact);
        qInfo("FFT repulsion: relative gradient error %.2e, Z error %.2e", error,
              std::abs(zFft - zExact) / zExact);
        QVERIFY(error < 0.02); // 4 interpolation nodes per unit box: ~1%
        QVERIFY(std::abs(zFft - zExact) < 0.01 * zExact);
    }

    void barnesHutGradientMatchesExact() {
        std::vector<float> y3;
        const std::vector<float> y = blobs2d(2000);
        std::mt19937_64 random(3);
        std::normal_distribution<float> normal(0.0f, 3.0f);
        for (int i = 0; i < 2000; ++i)
            y3.insert(y3.end(), {y[2 * i], y[2 * i + 1], normal(random)});
        double zTree = 0, zExact = 0;
        const double error =
            relativeError(repulsiveGradient(y3, 3, &zTree), exactRepulsiveGradient(y3, 3, &zExact));
        qInfo("Barnes-Hut repulsion: relative gradient error %.2e, Z error %.2e", error,
              std::abs(zTree - zExact) / zExact);
        QVERIFY(error < 0.05);
        QVERIFY(std::abs(zTree - zExact) < 0.05 * zExact);
    }

    void embedsSeparatedClustersIn2d() {
        TsneOptions options;
        options.iterations = 500;
        std::vector<double> kl;
        QElapsedTimer timer;
        timer.start();
        const std::vector<float> y =
            tsne(affinities_, {}, options, nullptr, [&](const TsneProgress& p) {
                if (!std::isnan(p.klDivergence))
                    kl.push_back(p.klDivergence);
            });
        qInfo("t-SNE 2-D, N = 5000, 500 iterations: %lld ms", timer.elapsed());
        QCOMPARE(y.size(), std::size_t(5000 * 2));
        QCOMPARE(int(kl.size()), 10);
        QVERIFY(kl.back() > 0 && kl.back() < kl[5]);
        const double hit = neighbourhoodHit(y, 2, mixture_.labels, 15);
        std::vector<int> subset = allRows(5000);
        std::shuffle(subset.begin(), subset.end(), std::mt19937_64(5));
        subset.resize(1000);
        const double trust = trustworthiness(mixture_, y, 2, subset, 15);
        qInfo("neighbourhood hit %.4f, trustworthiness %.4f, KL %.3f", hit, trust, kl.back());
        QVERIFY(hit >= 0.95);
        QVERIFY(trust >= 0.95);
    }

    void separatesClustersIn3dWithBarnesHut() {
        const Mixture m = gaussianMixture(2000, 50, 4);
        TsneOptions options;
        options.dims = 3;
        options.iterations = 400;
        QElapsedTimer timer;
        timer.start();
        const std::vector<float> y = tsne(affinities(m), {}, options);
        qInfo("t-SNE 3-D, N = 2000, 400 iterations: %lld ms", timer.elapsed());
        QCOMPARE(y.size(), std::size_t(2000 * 3));
        QVERIFY(neighbourhoodHit(y, 3, m.labels, 15) >= 0.9);
    }

    void cancelsPromptly() {
        CancelAfter sink(10);
        TsneOptions options;
        bool cancelled = false;
        try {
            tsne(affinities_, {}, options, &sink);
        } catch (const Cancelled&) {
            cancelled = true;
        }
        const auto waited = std::chrono::steady_clock::now() - sink.requestedAt();
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(waited).count();
        qInfo("stopped %lld ms after the cancel request", (long long)ms);
        QVERIFY(cancelled);
        QVERIFY(ms < 1000);
    }

    void sameSeedGivesIdenticalOutput() {
        TsneOptions options;
        options.iterations = 60;
        options.seed = 11;
        const std::vector<float> a = tsne(affinities_, {}, options);
        const std::vector<float> b = tsne(affinities_, {}, options);
        QVERIFY(a == b);
        options.seed = 12;
        QVERIFY(tsne(affinities_, {}, options) != a);
    }

    void rejectsBadArguments() {
        TsneOptions options;
        options.dims = 4;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tsne(affinities_, {}, options));
        options.dims = 2;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 tsne(affinities_, std::vector<float>(3), options));
    }
};

QTEST_GUILESS_MAIN(TestTsne)
#include "test_tsne.moc"

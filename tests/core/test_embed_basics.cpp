// Embedding basics: kNN against brute force, HNSW recall, PCA against Eigen's SVD, .npy files
// (ours, hand-written bytes and numpy's own), projection metrics on known cases, validation and
// cancellation.

#include "Error.h"
#include "embed/EmbeddingSet.h"
#include "embed/Knn.h"
#include "embed/Metrics.h"
#include "embed/Npy.h"
#include "embed/Pca.h"

#include <Eigen/Dense>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <set>

using namespace scenelens;
using namespace scenelens::embed;

namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::vector<float> gaussian(int rows, int dims, unsigned seed, float scale = 1.0f) {
    std::mt19937 engine(seed);
    std::normal_distribution<float> normal(0.0f, scale);
    std::vector<float> values(std::size_t(rows) * dims);
    for (float& v : values)
        v = normal(engine);
    return values;
}

// Sorted distances from every row to all others, in double, as the reference for the kNN tests.
std::vector<std::pair<double, int>> bruteForceRow(const std::vector<float>& data, int rows,
                                                  int dims, int i, Metric metric) {
    std::vector<std::pair<double, int>> out;
    const float* a = data.data() + std::size_t(i) * dims;
    for (int j = 0; j < rows; ++j) {
        if (j == i)
            continue;
        const float* b = data.data() + std::size_t(j) * dims;
        double dot = 0, na = 0, nb = 0, sq = 0;
        for (int d = 0; d < dims; ++d) {
            dot += double(a[d]) * b[d];
            na += double(a[d]) * a[d];
            nb += double(b[d]) * b[d];
            sq += (double(a[d]) - b[d]) * (double(a[d]) - b[d]);
        }
        out.emplace_back(metric == Metric::Cosine ? 1.0 - dot / std::sqrt(na * nb) : std::sqrt(sq),
                         j);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string errorOf(const std::function<void()>& work) {
    try {
        work();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no exception)";
}

class CancellingSink : public ProgressSink {
public:
    bool cancelled() const override { return true; }
};

QByteArray npyBytes(const QByteArray& dict, const QByteArray& data, int major = 1) {
    QByteArray header = dict;
    const int prefix = major == 1 ? 10 : 12;
    while ((prefix + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    QByteArray bytes("\x93NUMPY", 6);
    bytes += char(major);
    bytes += char(0);
    const quint32 length = quint32(header.size());
    for (int i = 0; i < (major == 1 ? 2 : 4); ++i)
        bytes += char((length >> (8 * i)) & 0xff);
    return bytes + header + data;
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

template <typename T> QByteArray rawBytes(const std::vector<T>& values) {
    return QByteArray(reinterpret_cast<const char*>(values.data()), int(values.size() * sizeof(T)));
}

// Compares PCA coordinates with a reference column by column, allowing a sign flip per column.
void compareUpToSign(const std::vector<float>& coords, const Eigen::MatrixXd& reference,
                     double tolerance) {
    const int components = int(reference.cols());
    for (int c = 0; c < components; ++c) {
        double same = 0, flipped = 0;
        for (Eigen::Index i = 0; i < reference.rows(); ++i) {
            const double v = coords[std::size_t(i) * components + c];
            same = std::max(same, std::abs(v - reference(i, c)));
            flipped = std::max(flipped, std::abs(v + reference(i, c)));
        }
        QVERIFY2(
            std::min(same, flipped) < tolerance,
            qPrintable(QString("component %1 differs by %2").arg(c).arg(std::min(same, flipped))));
    }
}

} // namespace

class TestEmbedBasics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void exactKnnMatchesBruteForce_data() {
        QTest::addColumn<int>("metric");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("k");
        QTest::newRow("euclidean") << int(Metric::Euclidean) << 2000 << 10;
        QTest::newRow("cosine") << int(Metric::Cosine) << 2000 << 10;
        // t-SNE's k = 3 x perplexity, over a row count that fills no block of the search evenly.
        QTest::newRow("euclidean, k 91") << int(Metric::Euclidean) << 1301 << 91;
    }

    void exactKnnMatchesBruteForce() {
        QFETCH(int, metric);
        QFETCH(int, rows);
        QFETCH(int, k);
        const int dims = 20;
        const std::vector<float> data = gaussian(rows, dims, 1);
        const KnnGraph graph =
            nearestNeighbours(data.data(), rows, dims, k, Metric(metric), KnnMethod::Exact);
        QCOMPARE(graph.rows, rows);
        QCOMPARE(graph.k, k);
        int agree = 0;
        for (int i = 0; i < rows; ++i) {
            const auto reference = bruteForceRow(data, rows, dims, i, Metric(metric));
            for (int j = 0; j < k; ++j) {
                const std::size_t at = std::size_t(i) * k + j;
                QVERIFY(graph.indices[at] != i);
                QVERIFY(std::abs(graph.distances[at] - reference[j].first) < 1e-4);
                agree += graph.indices[at] == reference[j].second;
                if (j > 0)
                    QVERIFY(graph.distances[at] >= graph.distances[at - 1]);
            }
        }
        // Float rounding may swap neighbours whose distances agree to 1e-6.
        QVERIFY(agree >= rows * k - 5);
    }

    void hnswRecallAgainstExact() {
        const int rows = 3000, dims = 20, k = 10;
        const std::vector<float> data = gaussian(rows, dims, 2);
        const KnnGraph exact =
            nearestNeighbours(data.data(), rows, dims, k, Metric::Euclidean, KnnMethod::Exact);
        const KnnGraph approx = nearestNeighbours(data.data(), rows, dims, k, Metric::Euclidean,
                                                  KnnMethod::Approximate);
        int found = 0;
        for (int i = 0; i < rows; ++i) {
            const auto begin = exact.indices.begin() + std::ptrdiff_t(i) * k;
            const std::set<int> truth(begin, begin + k);
            for (int j = 0; j < k; ++j) {
                const int neighbour = approx.indices[std::size_t(i) * k + j];
                QVERIFY(neighbour != i);
                found += truth.count(neighbour);
            }
        }
        const double recall = double(found) / (rows * k);
        QVERIFY2(recall >= 0.95, qPrintable(QString("recall %1").arg(recall)));
    }

    void knnExcludesSelfAmongDuplicates() {
        // Every point appears three times, so each query has two neighbours at distance 0.
        const std::vector<float> base = gaussian(50, 4, 3);
        std::vector<float> data;
        for (int copy = 0; copy < 3; ++copy)
            data.insert(data.end(), base.begin(), base.end());
        for (int method : {int(KnnMethod::Exact), int(KnnMethod::Approximate)}) {
            const KnnGraph graph =
                nearestNeighbours(data.data(), 150, 4, 2, Metric::Euclidean, KnnMethod(method));
            for (int i = 0; i < 150; ++i)
                for (int j = 0; j < 2; ++j) {
                    QVERIFY(graph.indices[std::size_t(i) * 2 + j] != i);
                    QCOMPARE(graph.indices[std::size_t(i) * 2 + j] % 50, i % 50);
                    QCOMPARE(graph.distances[std::size_t(i) * 2 + j], 0.0f);
                }
        }
    }

    void knnRejectsBadK() {
        const std::vector<float> data = gaussian(10, 3, 4);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 nearestNeighbours(data.data(), 10, 3, 10, Metric::Euclidean));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 nearestNeighbours(data.data(), 10, 3, 0, Metric::Euclidean));
    }

    void knnStopsWhenCancelled() {
        const std::vector<float> data = gaussian(500, 8, 5);
        CancellingSink sink;
        QVERIFY_THROWS_EXCEPTION(
            Cancelled,
            nearestNeighbours(data.data(), 500, 8, 5, Metric::Euclidean, KnnMethod::Auto, &sink));
    }

    void pcaMatchesSvd() {
        const int rows = 200, dims = 8, components = 3;
        std::vector<float> data = gaussian(rows, dims, 6);
        for (int i = 0; i < rows; ++i)
            for (int d = 0; d < dims; ++d)
                data[std::size_t(i) * dims + d] = data[std::size_t(i) * dims + d] * (dims - d) + d;
        const PcaResult result = pca(data.data(), rows, dims, components);
        QVERIFY(!result.randomized);
        QCOMPARE(result.components, components);
        const Eigen::MatrixXd x =
            Eigen::Map<const RowMatrixF>(data.data(), rows, dims).cast<double>();
        const Eigen::MatrixXd centred = x.rowwise() - x.colwise().mean();
        const Eigen::JacobiSVD<Eigen::MatrixXd> svd(centred, Eigen::ComputeThinU);
        const Eigen::VectorXd s = svd.singularValues();
        compareUpToSign(result.coords,
                        svd.matrixU().leftCols(components) * s.head(components).asDiagonal(), 1e-3);
        for (int c = 0; c < components; ++c)
            QVERIFY(std::abs(result.explainedVarianceRatio[c] - s(c) * s(c) / s.squaredNorm()) <
                    1e-9);
    }

    void pcaRecoversPlaneExactly() {
        const int rows = 400, dims = 10;
        const Eigen::MatrixXd basis =
            Eigen::HouseholderQR<Eigen::MatrixXd>(Eigen::MatrixXd::Random(dims, 2)).householderQ() *
            Eigen::MatrixXd::Identity(dims, 2);
        const std::vector<float> ab = gaussian(rows, 2, 7);
        std::vector<float> data(std::size_t(rows) * dims);
        for (int i = 0; i < rows; ++i) {
            const Eigen::VectorXd point = basis.col(0) * 3.0 * ab[2 * i] +
                                          basis.col(1) * ab[2 * i + 1] +
                                          Eigen::VectorXd::Constant(dims, 2.0);
            for (int d = 0; d < dims; ++d)
                data[std::size_t(i) * dims + d] = float(point(d));
        }
        const PcaResult result = pca(data.data(), rows, dims, 4);
        const auto& ratio = result.explainedVarianceRatio;
        QVERIFY(ratio[0] > 0.8 && ratio[1] > 0.05);
        QVERIFY(ratio[2] < 1e-10 && ratio[3] < 1e-10);
        QVERIFY(std::abs(ratio[0] + ratio[1] + ratio[2] + ratio[3] - 1.0) < 1e-9);
        // The plane coordinates up to rotation: every pairwise distance is preserved.
        for (int i = 0; i < rows; i += 7)
            for (int j = 0; j < rows; ++j) {
                double high = 0, low = 0;
                for (int d = 0; d < dims; ++d)
                    high += std::pow(double(data[std::size_t(i) * dims + d]) -
                                         data[std::size_t(j) * dims + d],
                                     2);
                for (int c = 0; c < 2; ++c)
                    low += std::pow(double(result.coords[std::size_t(i) * 4 + c]) -
                                        result.coords[std::size_t(j) * 4 + c],
                                    2);
                QVERIFY(std::abs(std::sqrt(high) - std::sqrt(low)) < 1e-5);
            }
    }

    void randomizedPcaMatchesExact() {
        const int rows = 300, dims = 1200, rank = 5, components = 3;
        const std::vector<float> left = gaussian(rows, rank, 8);
        const std::vector<float> right = gaussian(rank, dims, 9);
        const Eigen::MatrixXf scales = Eigen::VectorXf::LinSpaced(rank, 5.0f, 1.0f).asDiagonal();
        const RowMatrixF x = Eigen::Map<const RowMatrixF>(left.data(), rows, rank) * scales *
                             Eigen::Map<const RowMatrixF>(right.data(), rank, dims);
        const PcaResult result = pca(x.data(), rows, dims, components, 42);
        QVERIFY(result.randomized);
        const Eigen::MatrixXd xd = x.cast<double>();
        const Eigen::MatrixXd centred = xd.rowwise() - xd.colwise().mean();
        const Eigen::BDCSVD<Eigen::MatrixXd> svd(centred, Eigen::ComputeThinU);
        const Eigen::VectorXd s = svd.singularValues();
        const double scale = s(0);
        compareUpToSign(result.coords,
                        svd.matrixU().leftCols(components) * s.head(components).asDiagonal(),
                        1e-3 * scale);
        for (int c = 0; c < components; ++c)
            QVERIFY(std::abs(result.explainedVarianceRatio[c] - s(c) * s(c) / s.squaredNorm()) <
                    1e-4);
        // Same seed, same answer.
        QVERIFY(pca(x.data(), rows, dims, components, 42).coords == result.coords);
    }

    void npyRoundTrip() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/m.npy").toStdString();
        const std::vector<float> values = gaussian(7, 3, 10);
        writeNpyMatrix(path, values.data(), 7, 3);
        const NpyMatrix back = readNpyMatrix(path);
        QCOMPARE(back.rows, 7);
        QCOMPARE(back.cols, 3);
        QVERIFY(back.values == values);
        const std::vector<std::int64_t> labels = {-3, 0, 1LL << 40};
        writeNpyIntegers(path, labels);
        QVERIFY(readNpyIntegers(path) == labels);
    }

    void npyReadsHandWrittenFiles() {
        QTemporaryDir dir;
        const QString f8 = dir.path() + "/f8.npy";
        writeFile(f8, npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
                               rawBytes(std::vector<double>{1.5, -2.25, 3.0, 1e-3}), 2));
        const NpyMatrix m = readNpyMatrix(f8.toStdString());
        QCOMPARE(m.rows, 2);
        QVERIFY((m.values == std::vector<float>{1.5f, -2.25f, 3.0f, 1e-3f}));

        const QString i8 = dir.path() + "/i8.npy";
        writeFile(i8, npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
                               rawBytes(std::vector<std::int64_t>{-1, 7, 1LL << 40})));
        QVERIFY((readNpyIntegers(i8.toStdString()) == std::vector<std::int64_t>{-1, 7, 1LL << 40}));
        const QString u4 = dir.path() + "/u4.npy";
        writeFile(u4, npyBytes("{'descr': '<u4', 'fortran_order': False, 'shape': (2,), }",
                               rawBytes(std::vector<std::uint32_t>{4000000000u, 3})));
        QVERIFY((readNpyIntegers(u4.toStdString()) == std::vector<std::int64_t>{4000000000LL, 3}));
    }

    void npyErrors_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        QTest::newRow("int16") << npyBytes(
                                      "{'descr': '<i2', 'fortran_order': False, 'shape': (1, 1), }",
                                      QByteArray(2, 0))
                               << "expected float32 or float64, found '<i2'";
        QTest::newRow("fortran")
            << npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }",
                        QByteArray(4, 0))
            << "Fortran order is not supported";
        QTest::newRow("truncated")
            << npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (10, 100), }",
                        QByteArray(12, 0))
            << "truncated data: expected 4000 bytes, found 12";
        QTest::newRow("1-D") << npyBytes(
                                    "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
                                    QByteArray(12, 0))
                             << "expected a 2-D array, found shape (3,)";
        QTest::newRow("magic") << QByteArray("PK\x03\x04 not numpy at all") << "bad magic";
    }

    void npyErrors() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString path = dir.path() + "/bad.npy";
        writeFile(path, bytes);
        const QString error =
            QString::fromStdString(errorOf([&] { readNpyMatrix(path.toStdString()); }));
        QVERIFY2(error.contains(message) && error.contains("bad.npy"), qPrintable(error));
    }

    void npyReadsNumpySave() {
        if (!QFile::exists("/usr/bin/python3"))
            QSKIP("/usr/bin/python3 is absent");
        QTemporaryDir dir;
        const QString script =
            "import numpy as np, sys\n"
            "np.save(sys.argv[1], np.arange(12, dtype=np.float64).reshape(4, 3) / 8)\n"
            "np.save(sys.argv[2], np.array([3, -4, 5], dtype=np.int64))\n";
        QProcess python;
        python.start("/usr/bin/python3",
                     {"-c", script, dir.path() + "/m.npy", dir.path() + "/l.npy"});
        if (!python.waitForFinished(30000) || python.exitCode() != 0)
            QSKIP("python3 with numpy is not available");
        const NpyMatrix m = readNpyMatrix((dir.path() + "/m.npy").toStdString());
        QCOMPARE(m.rows, 4);
        QCOMPARE(m.cols, 3);
        for (int i = 0; i < 12; ++i)
            QCOMPARE(m.values[i], float(i) / 8.0f);
        QVERIFY((readNpyIntegers((dir.path() + "/l.npy").toStdString()) ==
                 std::vector<std::int64_t>{3, -4, 5}));
    }

    void metricsOfIdentityEmbedding() {
        const std::vector<float> data = gaussian(300, 5, 11);
        QCOMPARE(trustworthiness(data.data(), 5, data.data(), 5, 300, 10), 1.0);
        QCOMPARE(continuity(data.data(), 5, data.data(), 5, 300, 10), 1.0);
        QCOMPARE(knnPreservation(data.data(), 5, data.data(), 5, 300, 10), 1.0);
        const MetricReport report =
            projectionMetrics(data.data(), 5, data.data(), 5, 300, 10, nullptr, 1, 200);
        QCOMPARE(report.sampleSize, 200);
        QCOMPARE(report.values.size(), std::size_t(3));
        QCOMPARE(report.values[0].first, std::string("trustworthiness@10"));
        QCOMPARE(report.values[2].first, std::string("knn_preservation@10"));
        for (const auto& [name, value] : report.values)
            QCOMPARE(value, 1.0);
    }

    void trustworthinessOfRandomEmbeddingIsLow() {
        // A smooth curve in 10-D, embedded at random positions in 2-D.
        const int rows = 400;
        std::vector<float> curve(std::size_t(rows) * 10);
        for (int i = 0; i < rows; ++i)
            for (int d = 0; d < 10; ++d)
                curve[std::size_t(i) * 10 + d] = float(std::sin(0.01 * i * (d + 1) + d));
        const std::vector<float> random = gaussian(rows, 2, 12);
        const double t = trustworthiness(curve.data(), 10, random.data(), 2, rows, 10);
        QVERIFY2(t < 0.8, qPrintable(QString::number(t)));
        QVERIFY(continuity(curve.data(), 10, random.data(), 2, rows, 10) < 0.8);
    }

    void separatedClustersScoreHigh() {
        const int rows = 400;
        std::vector<float> points = gaussian(rows, 2, 13, 0.1f);
        std::vector<std::int64_t> labels(rows);
        for (int i = 0; i < rows; ++i) {
            labels[i] = i % 2 ? 7 : -3;
            points[std::size_t(i) * 2] += i % 2 ? 10.0f : 0.0f;
        }
        QVERIFY(neighbourhoodHit(points.data(), 2, rows, labels, 10) > 0.99);
        QVERIFY(silhouette(points.data(), 2, rows, labels) > 0.95);
        const MetricReport report =
            projectionMetrics(points.data(), 2, points.data(), 2, rows, 10, &labels, 3);
        QCOMPARE(report.sampleSize, rows);
        QCOMPARE(report.values.size(), std::size_t(5));
        QCOMPARE(report.values[3].first, std::string("neighbourhood_hit@10"));
        QCOMPARE(report.values[4].first, std::string("silhouette"));
        QVERIFY(report.values[4].second > 0.95);
    }

    void recallIsOneWhenQueriesAreKeys() {
        const std::vector<float> data = gaussian(200, 16, 14);
        std::vector<std::int64_t> labels(200);
        for (int i = 0; i < 200; ++i)
            labels[i] = i;
        QCOMPARE(recallAtK(data.data(), 200, data.data(), 200, 16, labels, labels, 1), 1.0);
        QCOMPARE(
            recallAtK(data.data(), 200, data.data(), 200, 16, labels, labels, 1, Metric::Euclidean),
            1.0);
    }

    void validateReportsProblems() {
        EmbeddingSet set;
        set.rows = 20;
        set.dims = 3;
        set.values.assign(60, 0.5f);
        validate(set, "clip text");
        set.values[12 * 3 + 1] = std::nanf("");
        QVERIFY(QString::fromStdString(errorOf([&] {
                    validate(set, "clip text");
                })).contains("clip text: row 12 holds NaN"));
        set.values[12 * 3 + 1] = 0.0f;
        set.textColumns["class"] = std::vector<std::string>(19, "chair");
        QVERIFY(QString::fromStdString(errorOf([&] { validate(set, "s"); })).contains("'class'"));
        set.textColumns.clear();
        set.dims = 0;
        QVERIFY(
            QString::fromStdString(errorOf([&] { validate(set, "s"); })).contains("0 dimensions"));
        set.rows = 0;
        QVERIFY(QString::fromStdString(errorOf([&] { validate(set, "s"); })).contains("no rows"));
    }
};

QTEST_GUILESS_MAIN(TestEmbedBasics)
#include "test_embed_basics.moc"

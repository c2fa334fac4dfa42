#pragma once
// Quality of a projection and of an embedding space. All point arrays are row-major rows x dims;
// projections are compared with Euclidean distances in the low-dimensional space.

#include "embed/Knn.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace scenelens::embed {

/// Trustworthiness (Venna & Kaski; van der Maaten's definition): 1 when no point enters a
/// k-neighbourhood of the embedding from far away, ranks taken in the original space. k < rows / 2.
double trustworthiness(const float* high, int dimsHigh, const float* low, int dimsLow, int rows,
                       int k, Metric highMetric = Metric::Euclidean);

/// Continuity: 1 when every original k-neighbour stays among the embedding's k neighbours (ranks in
/// the embedding). k < rows / 2.
double continuity(const float* high, int dimsHigh, const float* low, int dimsLow, int rows, int k,
                  Metric highMetric = Metric::Euclidean);

/// Mean fraction of each point's k original neighbours that are also its k embedding neighbours.
double knnPreservation(const float* high, int dimsHigh, const float* low, int dimsLow, int rows,
                       int k, Metric highMetric = Metric::Euclidean);

/// Mean fraction of each point's k embedding neighbours that share its label.
double neighbourhoodHit(const float* low, int dimsLow, int rows,
                        const std::vector<std::int64_t>& labels, int k);

/// Mean silhouette coefficient with Euclidean distances; needs at least two distinct labels.
/// Points alone in their cluster count 0.
double silhouette(const float* data, int dims, int rows, const std::vector<std::int64_t>& labels);

/// Fraction of queries whose k nearest keys include one with the query's label.
double recallAtK(const float* queries, int nq, const float* keys, int nk, int dims,
                 const std::vector<std::int64_t>& queryLabels,
                 const std::vector<std::int64_t>& keyLabels, int k, Metric metric = Metric::Cosine);

/// Named metric values ("trustworthiness@15", "silhouette", ...) and the points they were taken on.
struct MetricReport {
    std::vector<std::pair<std::string, double>> values;
    int sampleSize = 0;
};

/// Trustworthiness, continuity and kNN preservation at k (plus neighbourhood hit and silhouette of
/// the embedding when labels are given), computed exactly on a subsample of at most maxSample rows
/// drawn with seed; ranks are taken among the subsample. Throws std::invalid_argument unless
/// 1 <= k < sampleSize / 2.
MetricReport projectionMetrics(const float* high, int dimsHigh, const float* low, int dimsLow,
                               int rows, int k, const std::vector<std::int64_t>* labels,
                               std::uint64_t seed, int maxSample = 5000);

} // namespace scenelens::embed

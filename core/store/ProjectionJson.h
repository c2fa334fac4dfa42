#pragma once
// Private to core/store: the JSON text of a projection's "parameters" and "metrics" attributes.

#include "embed/Metrics.h"
#include "embed/Projection.h"

#include <string>

namespace scenelens::store {

/// The "method" attribute: "pca", "tsne" or "umap". The schema's own names, so that the store does
/// not link the projection algorithms (store_kill_child and store_bench link only the store).
std::string methodName(embed::ProjectionMethod method);
/// Throws std::invalid_argument for other names.
embed::ProjectionMethod parseMethodName(const std::string& name);

/// {"dims":2,"perplexity":30,"neighbours":15,"min_dist":0.1,"seed":0,"metric":"euclidean",
/// "knn":"auto"}; the method is an attribute of its own.
std::string parametersJson(const embed::ProjectionOptions& options);
/// Reads parametersJson's text into options (method left as it is); missing keys keep their
/// defaults. Throws std::invalid_argument saying what is wrong.
void readParametersJson(const std::string& text, embed::ProjectionOptions& options);

/// {"trustworthiness@15":0.93,...,"sample_size":5000} in the report's order; NaN is null.
std::string metricsJson(const embed::MetricReport& metrics);
/// Throws std::invalid_argument saying what is wrong.
embed::MetricReport readMetricsJson(const std::string& text);

} // namespace scenelens::store

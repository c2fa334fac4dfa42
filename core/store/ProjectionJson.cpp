#include "store/ProjectionJson.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>

namespace scenelens::store {

namespace {

using Json = nlohmann::ordered_json;

const char* metricName(embed::Metric metric) {
    return metric == embed::Metric::Cosine ? "cosine" : "euclidean";
}

embed::Metric parseMetric(const std::string& text) {
    if (text == "euclidean")
        return embed::Metric::Euclidean;
    if (text == "cosine")
        return embed::Metric::Cosine;
    throw std::invalid_argument("unknown metric '" + text + "'; expected euclidean or cosine");
}

const char* knnName(embed::KnnMethod knn) {
    switch (knn) {
    case embed::KnnMethod::Exact:
        return "exact";
    case embed::KnnMethod::Approximate:
        return "approximate";
    case embed::KnnMethod::Auto:
        break;
    }
    return "auto";
}

embed::KnnMethod parseKnn(const std::string& text) {
    if (text == "auto")
        return embed::KnnMethod::Auto;
    if (text == "exact")
        return embed::KnnMethod::Exact;
    if (text == "approximate")
        return embed::KnnMethod::Approximate;
    throw std::invalid_argument("unknown knn '" + text + "'; expected auto, exact or approximate");
}

Json parseObject(const std::string& text) {
    Json json = Json::parse(text, nullptr, false);
    if (json.is_discarded())
        throw std::invalid_argument("not valid JSON");
    if (!json.is_object())
        throw std::invalid_argument("expected a JSON object");
    return json;
}

template <typename Value> void readKey(const Json& json, const char* key, Value& value) {
    const auto entry = json.find(key);
    if (entry == json.end())
        return;
    try {
        value = entry->template get<Value>();
    } catch (const nlohmann::json::exception&) {
        throw std::invalid_argument(std::string("'") + key + "' has the wrong type");
    }
}

} // namespace

std::string methodName(embed::ProjectionMethod method) {
    switch (method) {
    case embed::ProjectionMethod::Tsne:
        return "tsne";
    case embed::ProjectionMethod::Umap:
        return "umap";
    case embed::ProjectionMethod::Pca:
        break;
    }
    return "pca";
}

embed::ProjectionMethod parseMethodName(const std::string& name) {
    for (const auto method : {embed::ProjectionMethod::Pca, embed::ProjectionMethod::Tsne,
                              embed::ProjectionMethod::Umap})
        if (methodName(method) == name)
            return method;
    throw std::invalid_argument("unknown method '" + name + "'; expected pca, tsne or umap");
}

std::string parametersJson(const embed::ProjectionOptions& options) {
    Json json;
    json["dims"] = options.dims;
    json["perplexity"] = options.perplexity;
    json["neighbours"] = options.neighbours;
    json["min_dist"] = options.minDist;
    json["seed"] = options.seed;
    json["metric"] = metricName(options.metric);
    json["knn"] = knnName(options.knn);
    json["centre_modalities"] = options.centreModalities;
    return json.dump();
}

void readParametersJson(const std::string& text, embed::ProjectionOptions& options) {
    const Json json = parseObject(text);
    readKey(json, "dims", options.dims);
    readKey(json, "perplexity", options.perplexity);
    readKey(json, "neighbours", options.neighbours);
    readKey(json, "min_dist", options.minDist);
    readKey(json, "seed", options.seed);
    readKey(json, "centre_modalities", options.centreModalities);
    std::string metric = metricName(options.metric), knn = knnName(options.knn);
    readKey(json, "metric", metric);
    readKey(json, "knn", knn);
    options.metric = parseMetric(metric);
    options.knn = parseKnn(knn);
}

std::string metricsJson(const embed::MetricReport& metrics) {
    Json json = Json::object();
    for (const auto& [name, value] : metrics.values)
        json[name] = std::isfinite(value) ? Json(value) : Json(nullptr);
    json["sample_size"] = metrics.sampleSize;
    return json.dump();
}

embed::MetricReport readMetricsJson(const std::string& text) {
    const Json json = parseObject(text);
    embed::MetricReport metrics;
    for (const auto& [name, value] : json.items()) {
        if (name == "sample_size") {
            readKey(json, "sample_size", metrics.sampleSize);
        } else if (value.is_number()) {
            metrics.values.emplace_back(name, value.get<double>());
        } else if (value.is_null()) {
            metrics.values.emplace_back(name, std::nan(""));
        } else {
            throw std::invalid_argument("metric '" + name + "' is not a number");
        }
    }
    return metrics;
}

} // namespace scenelens::store

#include "embed/PlotData.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>

namespace scenelens::embed {

namespace {

constexpr int kMetricNeighbours = 15;

std::string methodName(ProjectionMethod method) {
    switch (method) {
    case ProjectionMethod::Tsne:
        return "t-SNE";
    case ProjectionMethod::Umap:
        return "UMAP";
    case ProjectionMethod::Pca:
        break;
    }
    return "PCA";
}

// Dense integer labels from the "label" column (text or number), or nothing when it is absent.
bool labelsOf(const EmbeddingSet& set, std::vector<std::int64_t>& labels) {
    if (const auto text = set.textColumns.find(columns::kLabel); text != set.textColumns.end()) {
        std::map<std::string, std::int64_t> ids;
        for (const std::string& label : text->second)
            labels.push_back(ids.emplace(label, std::int64_t(ids.size())).first->second);
        return true;
    }
    if (const auto numbers = set.numberColumns.find(columns::kLabel);
        numbers != set.numberColumns.end()) {
        for (double v : numbers->second)
            labels.push_back(std::isfinite(v) ? std::llround(v)
                                              : std::numeric_limits<std::int64_t>::min());
        return true;
    }
    return false;
}

MetricReport metricsOf(const EmbeddingSet& set, const PlotData& plot, ProgressSink* progress) {
    // k = 15 where the set allows it; tiny sets get the largest k the metrics accept.
    const int sample = std::min(set.rows, 5000);
    const int k = std::min(kMetricNeighbours, (sample - 1) / 2);
    if (k < 1)
        return {};
    checkpoint(progress, "quality metrics", 1.0);
    std::vector<std::int64_t> labels;
    const bool labelled = labelsOf(set, labels);
    return projectionMetrics(set.values.data(), set.dims, plot.coords.data(), plot.coordDims,
                             set.rows, k, labelled ? &labels : nullptr, plot.projection.seed,
                             sample);
}

std::string formatNumber(double value) {
    if (std::isnan(value))
        return "";
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

// A column of the concatenation: text when any set holds it as text, else numbers.
struct MergedColumn {
    bool text = false;
    std::vector<std::string> texts;
    std::vector<double> numbers;
};

void appendColumn(MergedColumn& merged, const EmbeddingSet& set, const std::string& name) {
    if (const auto text = set.textColumns.find(name); text != set.textColumns.end()) {
        merged.texts.insert(merged.texts.end(), text->second.begin(), text->second.end());
        return;
    }
    const auto numbers = set.numberColumns.find(name);
    if (numbers == set.numberColumns.end()) {
        merged.texts.insert(merged.texts.end(), std::size_t(set.rows), std::string());
        merged.numbers.insert(merged.numbers.end(), std::size_t(set.rows),
                              std::numeric_limits<double>::quiet_NaN());
        return;
    }
    if (merged.text)
        for (double v : numbers->second)
            merged.texts.push_back(formatNumber(v));
    else
        merged.numbers.insert(merged.numbers.end(), numbers->second.begin(), numbers->second.end());
}

// Per row: the set's own column value where it has one, else `fallback`.
std::vector<std::string> rowsOrFallback(const EmbeddingSet& set, const char* column,
                                        const std::string& fallback) {
    std::vector<std::string> values(set.rows, fallback);
    if (const auto own = set.textColumns.find(column); own != set.textColumns.end())
        for (int i = 0; i < set.rows; ++i)
            if (!own->second[i].empty())
                values[i] = own->second[i];
    return values;
}

} // namespace

PlotData makePlotData(EmbeddingSet set, const ProjectionOptions& options, bool withMetrics,
                      ProgressSink* progress) {
    validate(set, set.name.empty() ? "embedding set" : set.name);
    if (options.centreModalities)
        centreModalities(set);
    Projection projection = project(set.values.data(), set.rows, set.dims, options, progress);
    PlotData plot;
    plot.coords = std::move(projection.coords);
    plot.coordDims = projection.dims;
    plot.projection = options;
    plot.projectionDetails = std::move(projection.details);
    plot.title = methodName(options.method) + " of " + (set.name.empty() ? "embeddings" : set.name);
    if (withMetrics)
        plot.metrics = metricsOf(set, plot, progress);
    plot.points = std::move(set);
    return plot;
}

EmbeddingSet concatenateSets(const std::vector<const EmbeddingSet*>& sets) {
    if (sets.empty())
        throw std::invalid_argument("concatenating embedding sets: no sets given");
    EmbeddingSet out;
    out.dims = sets.front()->dims;
    out.modality = sets.front()->modality;
    std::map<std::string, MergedColumn> merged;
    for (const EmbeddingSet* set : sets) {
        if (set->dims != out.dims)
            throw std::invalid_argument("concatenating embedding sets: '" + set->name + "' has " +
                                        std::to_string(set->dims) + " dimensions, '" +
                                        sets.front()->name + "' has " + std::to_string(out.dims));
        out.name += (out.name.empty() ? "" : " + ") + set->name;
        if (set->modality != out.modality)
            out.modality.clear();
        for (const auto& [name, column] : set->textColumns)
            merged[name].text = true;
        for (const auto& [name, column] : set->numberColumns)
            merged.emplace(name, MergedColumn{});
    }
    for (const EmbeddingSet* set : sets) {
        out.rows += set->rows;
        out.values.insert(out.values.end(), set->values.begin(), set->values.end());
        for (auto& [name, column] : merged)
            if (name != columns::kSet && name != columns::kModality)
                appendColumn(column, *set, name);
        auto& setColumn = out.textColumns[columns::kSet];
        const auto setNames = rowsOrFallback(*set, columns::kSet, set->name);
        setColumn.insert(setColumn.end(), setNames.begin(), setNames.end());
        auto& modalityColumn = out.textColumns[columns::kModality];
        const auto modalities = rowsOrFallback(*set, columns::kModality, set->modality);
        modalityColumn.insert(modalityColumn.end(), modalities.begin(), modalities.end());
    }
    for (auto& [name, column] : merged) {
        if (name == columns::kSet || name == columns::kModality)
            continue;
        if (column.text)
            out.textColumns[name] = std::move(column.texts);
        else
            out.numberColumns[name] = std::move(column.numbers);
    }
    return out;
}

void centreModalities(EmbeddingSet& set) {
    const auto modalityColumn = set.textColumns.find(columns::kModality);
    const auto modalityOf = [&](int row) -> const std::string& {
        return modalityColumn == set.textColumns.end() ? set.modality
                                                       : modalityColumn->second[std::size_t(row)];
    };
    const auto isZero = [&](int row) {
        const float* values = set.row(row);
        return std::all_of(values, values + set.dims, [](float v) { return v == 0.f; });
    };
    // Zero rows carry no direction (a missing embedding): they neither shift a mean nor move.
    std::vector<bool> zeroRows(std::size_t(set.rows));
    for (int i = 0; i < set.rows; ++i)
        zeroRows[std::size_t(i)] = isZero(i);
    std::map<std::string, std::pair<std::vector<double>, int>> means;
    for (int i = 0; i < set.rows; ++i) {
        if (zeroRows[std::size_t(i)])
            continue;
        auto& [sum, count] = means[modalityOf(i)];
        sum.resize(std::size_t(set.dims), 0.0);
        const float* row = set.row(i);
        for (int d = 0; d < set.dims; ++d)
            sum[std::size_t(d)] += row[d];
        ++count;
    }
    for (auto& [modality, mean] : means)
        for (double& v : mean.first)
            v /= mean.second;
    for (int i = 0; i < set.rows; ++i) {
        if (zeroRows[std::size_t(i)])
            continue;
        const std::vector<double>& mean = means[modalityOf(i)].first;
        float* row = set.values.data() + std::size_t(i) * std::size_t(set.dims);
        double length = 0;
        for (int d = 0; d < set.dims; ++d) {
            row[d] = float(row[d] - mean[std::size_t(d)]);
            length += double(row[d]) * row[d];
        }
        length = std::sqrt(length);
        if (length > 0)
            for (int d = 0; d < set.dims; ++d)
                row[d] = float(row[d] / length);
    }
}

} // namespace scenelens::embed

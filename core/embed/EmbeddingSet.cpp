#include "embed/EmbeddingSet.h"

#include <cmath>
#include <stdexcept>

namespace scenelens::embed {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& message) {
    throw std::invalid_argument(what + ": " + message);
}

void validateShape(const EmbeddingSet& set, const std::string& what) {
    if (set.rows <= 0)
        fail(what, "no rows");
    if (set.dims <= 0)
        fail(what, "embeddings have 0 dimensions");
    const std::size_t expected = std::size_t(set.rows) * std::size_t(set.dims);
    if (set.values.size() != expected)
        fail(what, "expected " + std::to_string(expected) + " values for " +
                       std::to_string(set.rows) + " x " + std::to_string(set.dims) + ", found " +
                       std::to_string(set.values.size()));
}

void validateValues(const EmbeddingSet& set, const std::string& what) {
    for (int i = 0; i < set.rows; ++i) {
        const float* row = set.row(i);
        for (int j = 0; j < set.dims; ++j) {
            if (std::isnan(row[j]))
                fail(what, "row " + std::to_string(i) + " holds NaN");
            if (std::isinf(row[j]))
                fail(what, "row " + std::to_string(i) + " holds Inf");
        }
    }
}

template <typename Columns>
void validateColumns(const Columns& columns, int rows, const std::string& what) {
    for (const auto& [name, column] : columns)
        if (column.size() != std::size_t(rows))
            fail(what, "metadata column '" + name + "' has " + std::to_string(column.size()) +
                           " entries, expected " + std::to_string(rows));
}

} // namespace

void validate(const EmbeddingSet& set, const std::string& what) {
    validateShape(set, what);
    validateValues(set, what);
    validateColumns(set.textColumns, set.rows, what);
    validateColumns(set.numberColumns, set.rows, what);
}

} // namespace scenelens::embed

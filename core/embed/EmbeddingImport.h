#pragma once
// Embeddings from outside SceneLens: a .npy matrix with an optional metadata table (.csv or
// .json), and the way back out: selected rows with their projected coordinates as CSV, and a
// summary of a selection.

#include "embed/EmbeddingSet.h"
#include "embed/PlotData.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace scenelens::embed {

/// Metadata columns read from a file, each `rows` long. Missing values are "" or NaN.
struct MetadataTable {
    int rows = 0;
    std::map<std::string, std::vector<std::string>> textColumns;
    std::map<std::string, std::vector<double>> numberColumns;
};

/// Reads a metadata table; the extension picks the format (case-insensitive):
/// - .csv: RFC 4180 (header row, comma-separated, "quoted" fields may hold commas, doubled quotes
///   and line breaks; LF or CRLF), UTF-8 with an optional BOM;
/// - .json: a list of row objects ([{"label": "chair", "x": 1}, ...], keys missing from a row are
///   missing values) or an object of column arrays ({"label": [...], "x": [...]}).
/// A column whose every non-empty value is a number (JSON: a number) becomes a number column,
/// else a text column; columns with no value at all, and the columns modality, set, scene, text
/// and image_path are always text. Throws FileError naming the file and the line (CSV) or row and
/// column (JSON) at fault, e.g. "meta.csv: line 7: 4 fields, expected 5".
MetadataTable readMetadata(const std::string& path);

/// Reads a 2-D .npy matrix (see readNpyMatrix) and, unless metadataPath is empty, its metadata
/// table, whose row count must match. The set is named after the .npy file's stem. Its modality
/// is `modality` when given (which also overwrites a modality column), else the value every row
/// of a modality column shares, else "". Throws FileError: unreadable files, a row count that
/// differs, NaN or Inf in the matrix ("emb.npy: row 3: holds NaN").
EmbeddingSet importEmbeddings(const std::string& npyPath, const std::string& metadataPath = {},
                              const std::string& modality = {});

/// Writes the given rows of `set` (in the order given) as CSV: a "row" column (index in the set),
/// coordDims coordinate columns "x", "y"[, "z"] from `coords` (rows of the whole set, row-major;
/// none when coords is null), a "modality" column from set.modality when the set has none, then
/// every metadata column by name (a name taken by the columns before gets the prefix "meta_").
/// Quoting as readMetadata reads it; numbers round-trip exactly; NaN is written empty. Throws
/// std::invalid_argument for a row outside the set and FileError when the file cannot be written.
void writeSelectionCsv(const std::string& path, const EmbeddingSet& set,
                       const std::vector<int>& rows, const float* coords = nullptr,
                       int coordDims = 0);
/// The same for the points and projected coordinates of a plot.
void writeSelectionCsv(const std::string& path, const PlotData& plot, const std::vector<int>& rows);

/// How many selected rows each modality and each label has, by descending count, ties by name.
/// A row's modality is its modality column's value, else set.modality; its label the "label"
/// column's value; "(none)" when missing.
struct SelectionSummary {
    int rows = 0;
    std::vector<std::pair<std::string, int>> modalities;
    std::vector<std::pair<std::string, int>> labels;
};

/// Summarises `rows` of `set`; throws std::invalid_argument for a row outside the set.
SelectionSummary summarize(const EmbeddingSet& set, const std::vector<int>& rows);

} // namespace scenelens::embed

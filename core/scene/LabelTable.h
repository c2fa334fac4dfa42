#pragma once
// Raw ScanNet category -> NYU40 class mapping (scannetv2-labels.combined.tsv), with a built-in
// NYU40 table as the fallback when no tsv is available.

#include <string>
#include <string_view>
#include <unordered_map>

namespace scenelens {

struct Nyu40Label {
    int id = 0; ///< 1..40; 0 = no NYU40 class.
    std::string name;
};

/// NYU40 class name for id 1..40 ("wall", ..., "otherprop"); empty for any other id.
std::string_view nyu40ClassName(int id);

class LabelTable {
public:
    /// Reads scannetv2-labels.combined.tsv, locating the id, raw_category, nyu40id and nyu40class
    /// columns by their header names. Throws FileError naming the line on malformed rows.
    static LabelTable readScanNetTsv(const std::string& path);

    /// The 40 NYU40 classes, each mapping its own name to itself. Used when no tsv is found; raw
    /// labels that are not NYU40 names get no class.
    static LabelTable builtinNyu40();

    /// The NYU40 class of a raw label; id 0 when unknown. Lookup ignores case, spaces and
    /// underscores, so ScanNet's "trashcan" finds the tsv's "trash can".
    Nyu40Label lookup(std::string_view rawLabel) const;

    /// The NYU40 class of a ScanNet category id (the tsv's "id" column, which is what the `label`
    /// property of *_vh_clean_2.labels.ply holds); id 0 when unknown.
    Nyu40Label lookupScanNetId(int scanNetId) const;

    /// The tsv path, or "built-in NYU40 table".
    const std::string& source() const { return source_; }
    std::size_t size() const { return labels_.size(); }

private:
    std::string source_;
    std::unordered_map<std::string, Nyu40Label> labels_; // keyed by labelKey(raw label)
    std::unordered_map<int, Nyu40Label> byScanNetId_;
};

} // namespace scenelens

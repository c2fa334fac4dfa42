#pragma once
// The ScanNet label rows of the raw categories synthetic rooms use, and writing a room as files.

#include "SyntheticRoom.h"

#include <string>

namespace scenelens::synth {

/// ScanNet category id (the tsv's "id" column) of a raw label the generator uses; 0 otherwise.
int scanNetCategoryId(const std::string& rawLabel);

/// Writes a scannetv2-labels.combined.tsv (the real 17-column header) holding the rows of every
/// raw label in syntheticRawLabels(): id, raw_category, category, nyu40id and nyu40class as in
/// ScanNet's table, the other columns empty.
void writeSyntheticLabelTable(const std::string& path);

/// Writes the room as <scansDir>/<sceneId>/ in ScanNet's files (see writeScanNetScene).
void writeSyntheticScene(const SyntheticRoom& room, const std::string& sceneDir);

} // namespace scenelens::synth

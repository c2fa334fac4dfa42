#pragma once
// A whole synthetic dataset on disk in the layouts of ScanNet, ScanQA and SQA3D, so every reader
// and evaluator in SceneLens works on it exactly as on the real data.

#include "../../Progress.h"
#include "SyntheticRoom.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace scenelens::synth {

struct DatasetOptions {
    std::string outDir;
    int scenes = 24;
    std::uint64_t seed = 1;
    float noise = 0.004f;
};

struct DatasetSummary {
    std::vector<std::string> train, val, test; ///< scene ids per split
    std::size_t scanQAQuestions = 0;
    std::size_t sqa3dQuestions = 0;
};

/// The split of scene `index` of `count`: the last 15% (at least one from 3 scenes on) are test,
/// the 15% before them val, the rest train.
std::string splitOf(int index, int count);

/// Writes <out>/scans/<scene>/ (ScanNet files), <out>/questions/ (ScanQA_v1.0_<split>.json,
/// v1_balanced_questions_<split>_scannetv2.json,
/// v1_balanced_sqa_annotations_<split>_scannetv2.json) and <out>/meta/ (scannetv2_<split>.txt,
/// scannetv2-labels.combined.tsv). `perScene` runs after each scene is written (e.g. to render its
/// views into the scene folder). Deterministic: the same options give byte-identical files. Throws
/// FileError, or Cancelled through `progress`.
DatasetSummary writeSyntheticDataset(
    const DatasetOptions& options, ProgressSink* progress = nullptr,
    const std::function<void(const SyntheticRoom& room, const std::string& sceneDir)>& perScene =
        {});

} // namespace scenelens::synth

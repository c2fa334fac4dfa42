#include "SyntheticDataset.h"

#include "../../Error.h"
#include "QuestionGenerator.h"
#include "SyntheticLabels.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

namespace scenelens::synth {

namespace fs = std::filesystem;

namespace {

const char* const kSplits[] = {"train", "val", "test"};

void createDirectories(const fs::path& dir) {
    std::error_code error;
    fs::create_directories(dir, error);
    if (error)
        throw FileError(dir.string(), "", "cannot create the folder: " + error.message());
}

void writeLines(const fs::path& path, const std::vector<std::string>& lines) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (const std::string& line : lines)
        out << line << '\n';
    if (!out)
        throw FileError(path.string(), "", "cannot write the file");
}

std::vector<std::string>& splitList(DatasetSummary& summary, const std::string& split) {
    return split == "train" ? summary.train : split == "val" ? summary.val : summary.test;
}

} // namespace

std::string splitOf(int index, int count) {
    const int held = count >= 3 ? std::max(1, count * 15 / 100) : 0;
    if (index >= count - held)
        return "test";
    if (index >= count - 2 * held)
        return "val";
    return "train";
}

DatasetSummary writeSyntheticDataset(
    const DatasetOptions& options, ProgressSink* progress,
    const std::function<void(const SyntheticRoom&, const std::string&)>& perScene) {
    const fs::path out(options.outDir);
    const fs::path scans = out / "scans", questions = out / "questions", meta = out / "meta";
    for (const fs::path& dir : {scans, questions, meta})
        createDirectories(dir);

    DatasetSummary summary;
    std::map<std::string, std::vector<qa::ScanQAQuestion>> scanQA;
    std::map<std::string, std::vector<qa::Sqa3dQuestion>> sqa3d;
    for (int i = 0; i < options.scenes; ++i) {
        checkpoint(progress, "generating scenes", double(i) / options.scenes);
        const SyntheticRoom room = generateRoom({options.seed, i, options.noise});
        const fs::path sceneDir = scans / room.sceneId;
        writeSyntheticScene(room, sceneDir.string());
        if (perScene)
            perScene(room, sceneDir.string());

        const std::string split = splitOf(i, options.scenes);
        splitList(summary, split).push_back(room.sceneId);
        auto scanQAQuestions = generateScanQAQuestions(room, split);
        scanQA[split].insert(scanQA[split].end(), scanQAQuestions.begin(), scanQAQuestions.end());
        // SQA3D ids are integers: scene index times 1000 keeps them unique and stable.
        auto situated = generateSqa3dQuestions(room, options.seed, (i + 1) * 1000LL);
        sqa3d[split].insert(sqa3d[split].end(), situated.begin(), situated.end());
    }
    checkpoint(progress, "writing questions", 0.99);
    for (const std::string split : kSplits) {
        qa::writeScanQA((questions / ("ScanQA_v1.0_" + split + ".json")).string(), scanQA[split]);
        qa::writeSqa3d(
            (questions / ("v1_balanced_questions_" + split + "_scannetv2.json")).string(),
            (questions / ("v1_balanced_sqa_annotations_" + split + "_scannetv2.json")).string(),
            sqa3d[split]);
        writeLines(meta / ("scannetv2_" + split + ".txt"), splitList(summary, split));
        summary.scanQAQuestions += scanQA[split].size();
        summary.sqa3dQuestions += sqa3d[split].size();
    }
    writeSyntheticLabelTable((meta / "scannetv2-labels.combined.tsv").string());
    checkpoint(progress, "done", 1.0);
    return summary;
}

} // namespace scenelens::synth

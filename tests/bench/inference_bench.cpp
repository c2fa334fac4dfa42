// Model-runtime figures: per-scene latency of the paper-sized scene encoder (modelkit's `paper`
// config: 40k points, K = 256, E = 512) on CPU at 10k and 40k points, and on CUDA when LibTorch
// has a GPU; the process's peak memory; and the throughput of the LibTorch-free model inputs
// (CLIP BPE tokenization of the ScanQA sample questions, CLIP image preprocessing).
//
// Usage: inference_bench [--bundle DIR] [--data DIR] [--runs R] [--points 10000,40000]
//   --bundle: a paper scene-encoder bundle to reuse; by default one is exported into a temporary
//             folder with `/usr/bin/python3 -m modelkit export --config paper --kind scene-encoder
//             --no-reference` (run from modelkit/).

#include "ml/ClipImagePreprocess.h"
#include "ml/ClipTokenizer.h"
#include "ml/ModelBundle.h"
#include "ml/SceneEncoder.h"
#include "ml/TorchModule.h"
#include "scene/synth/SyntheticRoom.h"

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

using namespace scenelens;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Runs `pass` until at least a second has gone by; returns passes per second.
double passesPerSecond(const std::function<void()>& pass) {
    const Clock::time_point start = Clock::now();
    int passes = 0;
    double seconds = 0.0;
    do {
        pass();
        ++passes;
        seconds = secondsSince(start);
    } while (seconds < 1.0);
    return passes / seconds;
}

double peakMemoryMiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0; // ru_maxrss is in KiB on Linux
}

std::vector<std::string> readQuestions(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        return {};
    std::vector<std::string> questions;
    for (const auto& entry : nlohmann::json::parse(in))
        questions.push_back(entry.at("question").get<std::string>());
    return questions;
}

RgbImage frame640x480() {
    RgbImage image;
    image.width = 640;
    image.height = 480;
    image.pixels.resize(640 * 480 * 3);
    for (std::size_t i = 0; i < image.pixels.size(); ++i)
        image.pixels[i] = std::uint8_t((i * 2654435761u) >> 24);
    return image;
}

void tokenizerFigures(const std::string& data) {
    const std::string vocab = data + "/clip/bpe_simple_vocab_16e6.txt.gz";
    const std::vector<std::string> questions =
        readQuestions(data + "/scanqa/ScanQA_v1.0_val_sample.json");
    if (questions.empty() || !std::filesystem::exists(vocab)) {
        std::printf("tokenizer: skipped (no CLIP vocabulary or ScanQA sample under %s)\n",
                    data.c_str());
    } else {
        const Clock::time_point loadStart = Clock::now();
        const ClipTokenizer clip = ClipTokenizer::fromFile(vocab);
        std::printf("CLIP BPE vocabulary load: %.1f ms (%zu tokens)\n",
                    1000.0 * secondsSince(loadStart), clip.vocabularySize());
        const double n = double(questions.size());
        const double cold = passesPerSecond([&] {
            clip.clearCache();
            clip.tokenize(questions);
        });
        std::printf("CLIP tokenize, cold cache: %.0f questions/s (%zu questions per pass)\n",
                    cold * n, questions.size());
        clip.tokenize(questions);
        const double warm = passesPerSecond([&] { clip.tokenize(questions); });
        std::printf("CLIP tokenize, warm cache: %.0f questions/s\n", warm * n);
    }
    const RgbImage frame = frame640x480();
    std::vector<float> out(3 * kClipImageSize * kClipImageSize);
    const double images = passesPerSecond([&] { clipPreprocessInto(frame, out.data()); });
    std::printf("CLIP image preprocessing 640x480 -> 3x224x224: %.0f images/s (%.2f ms each)\n",
                images, 1000.0 / images);
}

/// Median of `runs` encodes of `scene` after two warm-up runs, in milliseconds.
void encoderLatency(const BundleManifest& paper, int points, const std::string& device,
                    const Scene& scene, int runs) {
    BundleManifest manifest = paper;
    manifest.input->numPoints = points;
    const Clock::time_point loadStart = Clock::now();
    const SceneEncoder encoder(TorchModule::load(manifest, device));
    const double loadSeconds = secondsSince(loadStart);
    // Warm-up: TorchScript's profiling executor profiles the first run and optimises the graph
    // on the second, so neither is representative.
    for (int warm = 0; warm < 2; ++warm)
        encoder.encode(scene, 0);
    std::vector<double> ms;
    for (int r = 0; r < runs; ++r) {
        const Clock::time_point start = Clock::now();
        encoder.encode(scene, std::uint64_t(r));
        ms.push_back(1000.0 * secondsSince(start));
    }
    std::sort(ms.begin(), ms.end());
    std::printf("scene encoder (paper), %s, %5d points: median %.0f ms, min %.0f ms, max %.0f ms "
                "over %d runs (load + probe %.1f s, %d threads)\n",
                encoder.module().runtime().device.c_str(), points, ms[ms.size() / 2], ms.front(),
                ms.back(), runs, loadSeconds, encoder.module().runtime().threads);
}

std::vector<int> parsePointCounts(const std::string& text) {
    std::vector<int> counts;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        counts.push_back(std::max(1, std::atoi(text.substr(start, comma - start).c_str())));
        start = comma + 1;
    }
    return counts;
}

} // namespace

int main(int argc, char** argv) {
    std::string bundle, data = SCENELENS_SHARED_DATA_DIR;
    int runs = 5;
    std::vector<int> sizes{10000, 40000};
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string option = argv[i];
        if (option == "--bundle")
            bundle = argv[i + 1];
        else if (option == "--data")
            data = argv[i + 1];
        else if (option == "--runs")
            runs = std::max(1, std::atoi(argv[i + 1]));
        else if (option == "--points") // e.g. 40000,10000: the order they are measured in
            sizes = parsePointCounts(argv[i + 1]);
    }

    tokenizerFigures(data);

    if (bundle.empty()) {
        bundle = (std::filesystem::temp_directory_path() / "scenelens-bench-paper-se").string();
        std::filesystem::remove_all(bundle);
        const std::string command = "cd '" SCENELENS_MODELKIT_DIR "' && /usr/bin/python3 -m "
                                    "modelkit export --config paper --kind scene-encoder --out '" +
                                    bundle + "' --no-reference > /dev/null";
        std::printf("exporting the paper scene encoder to %s ...\n", bundle.c_str());
        std::fflush(stdout);
        if (std::system(command.c_str()) != 0) {
            std::fprintf(stderr, "inference_bench: the modelkit export failed: %s\n",
                         command.c_str());
            return 1;
        }
    }
    const ManifestReading reading = readBundleManifest(bundle);
    const BundleManifest& paper = reading.manifest;
    // A synthetic bedroom: ~all of its vertices are sampled at 40k points.
    const synth::SyntheticRoom room = synth::generateRoom({1, 0, 0.004f});
    std::printf("scene %s: %zu vertices; bundle %s (%lld parameters)\n", room.sceneId.c_str(),
                room.scene.vertexCount(), paper.name.c_str(), paper.parameters.value_or(0));

    const RuntimeInfo info = torchRuntimeInfo("cpu");
    std::printf("LibTorch %s, CUDA available: %s (%d devices)\n", info.torchVersion.c_str(),
                info.cudaAvailable ? "yes" : "no", info.cudaDeviceCount);
    for (int points : sizes)
        encoderLatency(paper, points, "cpu", room.scene, runs);
    if (info.cudaAvailable)
        for (int points : sizes)
            encoderLatency(paper, points, "cuda", room.scene, runs);
    else
        std::printf("CUDA: not available in this LibTorch build / machine, skipped\n");
    std::printf("peak memory (ru_maxrss): %.0f MiB\n", peakMemoryMiB());
    return 0;
}

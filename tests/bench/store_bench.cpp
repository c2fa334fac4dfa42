// store_bench: the project store against h5py on the same vectors and metadata. Writes and reads a
// set of float32 vectors (unit length, clustered like CLIP embeddings) with a 'label' text column
// (40 class names) and an 'object_id' number column, in blocks, with both; prints wall time,
// throughput, file size and the peak memory of each writer and reader, each run in its own process.
// Usage: store_bench [--rows 1000000] [--dims 512] [--dir DIR] [--level 1] [--threads 0] [--keep]
//
// The vectors are generated once into a raw float32 file that every writer reads block by block, so
// that all store the same values and none holds the whole matrix. Reads follow writes, so both
// tools read from the page cache.

#include "store/ProjectStore.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace scenelens;
namespace fs = std::filesystem;

namespace {

constexpr int kBlockRows = 8192;
constexpr int kClusters = 40;
constexpr int kChunkBytes = 1 << 20; // StorageOptions' default

// Must match store_bench_h5py.py: the label of row i is kClasses[labelIndex(i)].
const std::array<const char*, kClusters> kClasses = {
    "chair",   "table",   "door",       "window",       "bookshelf",      "picture",
    "counter", "desk",    "curtain",    "refrigerator", "shower curtain", "toilet",
    "sink",    "bathtub", "cabinet",    "bed",          "sofa",           "lamp",
    "pillow",  "mirror",  "floor mat",  "clothes",      "ceiling",        "books",
    "towel",   "box",     "whiteboard", "person",       "nightstand",     "kitchen cabinet",
    "shelves", "blinds",  "dresser",    "television",   "paper",          "bag",
    "plant",   "monitor", "trash can",  "radiator"};

int labelIndex(std::int64_t row) {
    return int(((std::uint64_t(row) * 2654435761ull) & 0xFFFFFFFFull) >> 16) % kClusters;
}

struct Options {
    std::int64_t rows = 1000000;
    int dims = 512;
    std::string dir = "store-bench-files";
    int level = 1;
    int threads = 0;
    bool keep = false;
};

/// xorshift64* with an approximately Gaussian draw (sum of four uniforms).
class Noise {
public:
    explicit Noise(std::uint64_t seed) : state_(seed | 1) {}
    float gaussian() {
        float sum = 0;
        for (int i = 0; i < 4; ++i)
            sum += float(next() >> 40) * (1.0f / 16777216.0f);
        return (sum - 2.0f) * 1.7320508f;
    }

private:
    std::uint64_t next() {
        state_ ^= state_ >> 12;
        state_ ^= state_ << 25;
        state_ ^= state_ >> 27;
        return state_ * 0x2545F4914F6CDD1Dull;
    }
    std::uint64_t state_;
};

std::uint32_t xorOf(const float* values, std::size_t count) {
    std::uint32_t result = 0;
    for (std::size_t i = 0; i < count; ++i) {
        std::uint32_t bits;
        std::memcpy(&bits, values + i, sizeof bits);
        result ^= bits;
    }
    return result;
}

/// Unit vectors around 40 cluster centres; returns the xor of their bit patterns.
std::uint32_t writeRawVectors(const std::string& path, std::int64_t rows, int dims) {
    Noise noise(42);
    std::vector<float> centres(std::size_t(kClusters) * dims);
    for (float& value : centres)
        value = noise.gaussian();
    std::ofstream out(path, std::ios::binary);
    std::vector<float> block;
    std::uint32_t checksum = 0;
    for (std::int64_t first = 0; first < rows; first += kBlockRows) {
        const std::int64_t count = std::min<std::int64_t>(kBlockRows, rows - first);
        block.assign(std::size_t(count) * dims, 0);
        for (std::int64_t r = 0; r < count; ++r) {
            float* row = block.data() + r * dims;
            const float* centre = centres.data() + std::size_t(labelIndex(first + r)) * dims;
            double norm = 0;
            for (int j = 0; j < dims; ++j) {
                row[j] = centre[j] + 0.8f * noise.gaussian();
                norm += double(row[j]) * row[j];
            }
            const float scale = float(1 / std::sqrt(norm));
            for (int j = 0; j < dims; ++j)
                row[j] *= scale;
        }
        out.write(reinterpret_cast<const char*>(block.data()),
                  std::streamsize(block.size() * sizeof(float)));
        checksum ^= xorOf(block.data(), block.size());
    }
    if (!out)
        throw std::runtime_error("cannot write " + path);
    return checksum;
}

double secondsSince(const timespec& start) {
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return double(now.tv_sec - start.tv_sec) + 1e-9 * double(now.tv_nsec - start.tv_nsec);
}

timespec now() {
    timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return time;
}

/// Child: streams the raw file into a project with SetStream.
int childWrite(const std::string& raw, const std::string& out, std::int64_t rows, int dims,
               int level, int threads) {
    const timespec start = now();
    std::ifstream in(raw, std::ios::binary);
    store::ProjectWriter writer(out, {kChunkBytes, level, threads});
    embed::EmbeddingSet header;
    header.name = "bench";
    header.modality = "object3d";
    header.space = "bench";
    header.dims = dims;
    header.textColumns["label"];
    header.numberColumns["object_id"];
    store::SetStream stream = writer.beginSet(header);
    embed::EmbeddingSet block = header;
    std::uint32_t checksum = 0;
    for (std::int64_t first = 0; first < rows; first += kBlockRows) {
        block.rows = int(std::min<std::int64_t>(kBlockRows, rows - first));
        block.values.resize(std::size_t(block.rows) * dims);
        in.read(reinterpret_cast<char*>(block.values.data()),
                std::streamsize(block.values.size() * sizeof(float)));
        auto& labels = block.textColumns["label"];
        auto& ids = block.numberColumns["object_id"];
        labels.clear();
        ids.clear();
        for (int r = 0; r < block.rows; ++r) {
            labels.emplace_back(kClasses[std::size_t(labelIndex(first + r))]);
            ids.push_back(double(first + r));
        }
        stream.append(block);
        checksum ^= xorOf(block.values.data(), block.values.size());
    }
    stream.finish();
    writer.commit();
    std::printf("seconds %.6f xor %u\n", secondsSince(start), checksum);
    return 0;
}

/// Child: reads the whole set back in blocks with readRows.
int childRead(const std::string& path) {
    const timespec start = now();
    const store::ProjectStore store(path);
    const std::int64_t rows = store.setInfo("bench").rows;
    std::uint32_t checksum = 0;
    for (std::int64_t first = 0; first < rows; first += kBlockRows) {
        const std::int64_t count = std::min<std::int64_t>(kBlockRows, rows - first);
        const embed::EmbeddingSet block = store.readRows("bench", first, count);
        checksum ^= xorOf(block.values.data(), block.values.size());
    }
    std::printf("seconds %.6f xor %u\n", secondsSince(start), checksum);
    return 0;
}

struct Run {
    double seconds = 0; ///< as the child timed its work
    unsigned checksum = 0;
    double peakMiB = 0; ///< ru_maxrss of the child
};

/// Runs argv in a child process; parses its "seconds S xor X" line and takes its peak RSS.
Run runChild(const std::vector<std::string>& argv) {
    int pipeEnds[2];
    if (pipe(pipeEnds) != 0)
        throw std::runtime_error("pipe failed");
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(pipeEnds[1], STDOUT_FILENO);
        close(pipeEnds[0]);
        close(pipeEnds[1]);
        std::vector<char*> args;
        for (const std::string& arg : argv)
            args.push_back(const_cast<char*>(arg.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        std::perror(args[0]);
        _exit(127);
    }
    close(pipeEnds[1]);
    std::string output;
    char buffer[256];
    for (ssize_t n; (n = read(pipeEnds[0], buffer, sizeof buffer)) > 0;)
        output.append(buffer, std::size_t(n));
    close(pipeEnds[0]);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    Run run;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        std::sscanf(output.c_str(), "seconds %lf xor %u", &run.seconds, &run.checksum) != 2)
        throw std::runtime_error("child failed: " + argv[0] + " " + argv[1] + ": " + output);
    run.peakMiB = double(usage.ru_maxrss) / 1024.0;
    return run;
}

Options parseOptions(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--rows")
            options.rows = std::stoll(value());
        else if (arg == "--dims")
            options.dims = std::stoi(value());
        else if (arg == "--dir")
            options.dir = value();
        else if (arg == "--level")
            options.level = std::stoi(value());
        else if (arg == "--threads")
            options.threads = std::stoi(value());
        else if (arg == "--keep")
            options.keep = true;
        else
            throw std::invalid_argument("unknown option " + arg +
                                        "; usage: store_bench [--rows N] [--dims D] [--dir DIR] "
                                        "[--level L] [--threads T] [--keep]");
    }
    return options;
}

void printRow(const char* tool, const char* work, const Run& run, double rawMiB, double fileMiB) {
    std::printf("%-10s %-6s %9.2f %9.1f %10.1f %10.1f\n", tool, work, run.seconds,
                rawMiB / run.seconds, fileMiB, run.peakMiB);
}

int benchmark(const Options& options) {
    fs::create_directories(options.dir);
    const std::string raw = options.dir + "/vectors.f32";
    const std::string ours = options.dir + "/scenelens.slh5";
    const std::string theirs = options.dir + "/h5py.slh5";
    const std::string rows = std::to_string(options.rows), dims = std::to_string(options.dims);
    const std::string chunkRows = std::to_string(std::max(1, kChunkBytes / (4 * options.dims)));
    const std::string block = std::to_string(kBlockRows), level = std::to_string(options.level);
    const std::string exe = fs::canonical("/proc/self/exe").string();

    std::printf("generating %lld x %d float32 vectors...\n", (long long)options.rows, options.dims);
    std::fflush(stdout);
    const unsigned expected = writeRawVectors(raw, options.rows, options.dims);
    const double rawMiB = double(fs::file_size(raw)) / (1 << 20);

    const Run ourWrite = runChild(
        {exe, "--child-write", raw, ours, rows, dims, level, std::to_string(options.threads)});
    const Run ourRead = runChild({exe, "--child-read", ours});
    const std::string python = "/usr/bin/python3", script = SCENELENS_STORE_BENCH_H5PY;
    const Run theirWrite =
        runChild({python, script, "write", raw, theirs, rows, dims, level, chunkRows, block});
    const Run theirRead = runChild({python, script, "read", theirs, block});
    for (const Run* run : {&ourWrite, &ourRead, &theirWrite, &theirRead})
        if (run->checksum != expected)
            throw std::runtime_error("a reader or writer saw other values than were generated");

    const double ourMiB = double(fs::file_size(ours)) / (1 << 20);
    const double theirMiB = double(fs::file_size(theirs)) / (1 << 20);
    std::printf("\n%lld x %d float32 (%.0f MiB raw) + label + object_id; chunks of %s rows, "
                "shuffle + deflate level %d; blocks of %d rows; SceneLens threads %d (0: one per "
                "core, %u cores)\n",
                (long long)options.rows, options.dims, rawMiB, chunkRows.c_str(), options.level,
                kBlockRows, options.threads, std::thread::hardware_concurrency());
    std::printf("%-10s %-6s %9s %9s %10s %10s\n", "tool", "work", "wall s", "MiB/s", "file MiB",
                "peak MiB");
    printRow("SceneLens", "write", ourWrite, rawMiB, ourMiB);
    printRow("SceneLens", "read", ourRead, rawMiB, ourMiB);
    printRow("h5py", "write", theirWrite, rawMiB, theirMiB);
    printRow("h5py", "read", theirRead, rawMiB, theirMiB);
    std::printf("SceneLens / h5py: write %.2fx, read %.2fx faster\n",
                theirWrite.seconds / ourWrite.seconds, theirRead.seconds / ourRead.seconds);
    if (!options.keep)
        for (const std::string& path : {raw, ours, theirs})
            fs::remove(path);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        const std::string mode = argc > 1 ? argv[1] : "";
        if (mode == "--child-write" && argc == 8)
            return childWrite(argv[2], argv[3], std::stoll(argv[4]), std::stoi(argv[5]),
                              std::stoi(argv[6]), std::stoi(argv[7]));
        if (mode == "--child-read" && argc == 3)
            return childRead(argv[2]);
        return benchmark(parseOptions(argc, argv));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "store_bench: %s\n", e.what());
        return 1;
    }
}

// projection_bench: SceneLens t-SNE and UMAP against Debian's Rtsne (r-cran-rtsne), uwot
// (r-cran-uwot) and umap-learn on the same generated data, in one run; prints a comparison table
// at one size and a growth table of the SceneLens tools over several sizes.
//
//   projection_bench [--sizes 10000,70000,250000] [--compare-at 70000]
//                    [--tools tsne,umap,rtsne,uwot,umap-learn] [--workdir DIR]
//
// Every tool runs as its own child process, started by projection_bench_spawn, which reports the
// child's wall time (fork to exit: interpreter or program start-up, input reading and neighbour
// search included) and peak resident memory (wait4() ru_maxrss). SceneLens runs as this binary
// re-executed in worker mode (`projection_bench --worker tsne|umap IN.npy OUT.npy`, calling
// embed::project()). Quality is trustworthiness@15 (embed::trustworthiness) on a fixed seeded
// subsample of 5,000 rows, the same for every tool at a size. The data are described in
// projection_bench_data.cpp. A peer that is missing or fails is reported as skipped.

#include "embed/Metrics.h"
#include "embed/Npy.h"
#include "embed/Projection.h"
#include "projection_bench_data.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
namespace embed = scenelens::embed;
using scenelens::bench::BenchData;

namespace {

constexpr int kTrustK = 15;
constexpr int kTrustSample = 5000;
constexpr std::uint64_t kTrustSeed = 7;
constexpr std::uint64_t kProjectionSeed = 0;
constexpr const char* kRscript = "/usr/bin/Rscript";
constexpr const char* kPython = "/usr/bin/python3";

// ---------------------------------------------------------------------------------------------
// Worker mode: one SceneLens projection in this process.

int runWorker(int argc, char** argv) {
    const std::string mode = argc > 2 ? argv[2] : "";
    if (mode == "startup") // measures process start-up only
        return 0;
    if ((mode != "tsne" && mode != "umap") || argc != 5) {
        std::fprintf(stderr, "usage: projection_bench --worker tsne|umap|startup IN.npy OUT.npy\n");
        return 2;
    }
    try {
        const embed::NpyMatrix in = embed::readNpyMatrix(argv[3]);
        embed::ProjectionOptions options;
        options.method =
            mode == "tsne" ? embed::ProjectionMethod::Tsne : embed::ProjectionMethod::Umap;
        options.dims = 2;
        options.perplexity = 30;
        options.neighbours = 15;
        options.minDist = 0.1;
        options.seed = kProjectionSeed;
        const embed::Projection result =
            embed::project(in.values.data(), in.rows, in.cols, options);
        embed::writeNpyMatrix(argv[4], result.coords.data(), in.rows, result.dims);
        std::printf("%s: %s\n", mode.c_str(), result.details.c_str());
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "projection_bench worker: %s\n", error.what());
        return 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Child processes through projection_bench_spawn.

struct ChildResult {
    int status = -1;
    double wallSeconds = 0;
    double peakMiB = 0;
};

/// Talks to one projection_bench_spawn process over two pipes.
class Spawner {
public:
    explicit Spawner(const std::string& helper) {
        int toChild[2], fromChild[2];
        if (pipe(toChild) != 0 || pipe(fromChild) != 0)
            throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
        pid_ = fork();
        if (pid_ < 0)
            throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
        if (pid_ == 0) {
            dup2(toChild[0], STDIN_FILENO);
            dup2(fromChild[1], STDOUT_FILENO);
            close(toChild[0]);
            close(toChild[1]);
            close(fromChild[0]);
            close(fromChild[1]);
            execl(helper.c_str(), helper.c_str(), static_cast<char*>(nullptr));
            std::fprintf(stderr, "cannot run %s: %s\n", helper.c_str(), std::strerror(errno));
            _exit(127);
        }
        close(toChild[0]);
        close(fromChild[1]);
        to_ = toChild[1];
        from_ = fromChild[0];
    }
    ~Spawner() {
        close(to_);
        close(from_);
        int status;
        waitpid(pid_, &status, 0);
    }
    Spawner(const Spawner&) = delete;
    Spawner& operator=(const Spawner&) = delete;

    /// Runs argv (argv[0] an absolute path) with stdout and stderr to log; waits for it.
    ChildResult run(const std::vector<std::string>& argv, const std::string& log) {
        std::string request = log + '\0';
        for (const std::string& arg : argv)
            request += arg + '\0';
        request += '\0';
        for (std::size_t done = 0; done < request.size();) {
            const ssize_t n = write(to_, request.data() + done, request.size() - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw std::runtime_error("projection_bench_spawn stopped answering");
            done += std::size_t(n);
        }
        std::string line;
        char c;
        for (;;) {
            const ssize_t n = read(from_, &c, 1);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw std::runtime_error("projection_bench_spawn stopped answering");
            if (c == '\n')
                break;
            line.push_back(c);
        }
        ChildResult result;
        long maxRssKiB = 0;
        std::istringstream(line) >> result.status >> result.wallSeconds >> maxRssKiB;
        result.peakMiB = maxRssKiB / 1024.0;
        return result;
    }

private:
    pid_t pid_ = -1;
    int to_ = -1, from_ = -1;
};

// ---------------------------------------------------------------------------------------------
// Tools.

enum class Tool { Tsne, Umap, Rtsne, Uwot, UmapLearn };

struct ToolInfo {
    Tool tool;
    const char* key;  ///< --tools name
    const char* name; ///< table name
    bool sceneLens;
    Tool reference; ///< the SceneLens tool a peer is compared with
};

constexpr ToolInfo kTools[] = {
    {Tool::Tsne, "tsne", "SceneLens t-SNE", true, Tool::Tsne},
    {Tool::Umap, "umap", "SceneLens UMAP", true, Tool::Umap},
    {Tool::Rtsne, "rtsne", "Rtsne (R)", false, Tool::Tsne},
    {Tool::Uwot, "uwot", "uwot (R)", false, Tool::Umap},
    {Tool::UmapLearn, "umap-learn", "umap-learn (Python)", false, Tool::Umap},
};

const ToolInfo& info(Tool tool) {
    for (const ToolInfo& t : kTools)
        if (t.tool == tool)
            return t;
    return kTools[0];
}

struct RunResult {
    bool ok = false;
    std::string reason; ///< why not ok
    double wallSeconds = 0, startupSeconds = NAN, peakMiB = 0;
    double trust = NAN;
};

/// The last non-empty line of a log file, for a skip reason.
std::string lastLine(const std::string& path) {
    std::ifstream in(path);
    std::string line, last;
    while (std::getline(in, line))
        if (line.find_first_not_of(" \t\r") != std::string::npos)
            last = line;
    if (last.size() > 160)
        last = last.substr(0, 157) + "...";
    return last;
}

std::string dpkgVersion(const std::string& package) {
    const std::string command = "dpkg-query -W -f='${Version}' " + package + " 2>/dev/null";
    std::string version;
    if (FILE* pipe = popen(command.c_str(), "r")) {
        char buffer[128];
        while (std::fgets(buffer, sizeof(buffer), pipe))
            version += buffer;
        pclose(pipe);
    }
    return version.empty() ? "not installed" : version;
}

/// Reads rows x 2 little-endian float32 coordinates, raw or .npy.
std::vector<float> readCoords(const std::string& path, int rows, bool npy) {
    if (npy) {
        const embed::NpyMatrix m = embed::readNpyMatrix(path);
        if (m.rows != rows || m.cols != 2)
            throw std::runtime_error("output is " + std::to_string(m.rows) + " x " +
                                     std::to_string(m.cols) + ", expected " + std::to_string(rows) +
                                     " x 2");
        return m.values;
    }
    std::vector<float> coords(std::size_t(rows) * 2);
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(coords.data()), std::streamsize(coords.size() * sizeof(float)));
    if (!in || in.peek() != std::char_traits<char>::eof())
        throw std::runtime_error("output " + path + " is not " + std::to_string(rows) +
                                 " x 2 float32");
    return coords;
}

struct Bench {
    fs::path workdir;
    std::string self;  ///< this executable
    std::string peers; ///< folder of the peer scripts
    Spawner* spawner = nullptr;
    std::map<Tool, double> startup; ///< measured once per tool

    std::vector<std::string> command(Tool tool, const std::string& in, const std::string& out,
                                     int rows, int dims) const {
        switch (tool) {
        case Tool::Tsne:
            return {self, "--worker", "tsne", in, out};
        case Tool::Umap:
            return {self, "--worker", "umap", in, out};
        case Tool::Rtsne:
            return {kRscript, "--vanilla",          peers + "/rtsne.R",  in,
                    out,      std::to_string(rows), std::to_string(dims)};
        case Tool::Uwot:
            return {kRscript, "--vanilla",          peers + "/uwot.R",   in,
                    out,      std::to_string(rows), std::to_string(dims)};
        case Tool::UmapLearn:
            return {kPython, peers + "/umap_learn.py", in, out};
        }
        return {};
    }

    std::vector<std::string> startupCommand(Tool tool) const {
        switch (tool) {
        case Tool::Tsne:
        case Tool::Umap:
            return {self, "--worker", "startup"};
        case Tool::Rtsne:
            return {kRscript, "--vanilla", "-e", "suppressPackageStartupMessages(library(Rtsne))"};
        case Tool::Uwot:
            return {kRscript, "--vanilla", "-e", "suppressPackageStartupMessages(library(uwot))"};
        case Tool::UmapLearn:
            return {kPython, "-c", "import umap"};
        }
        return {};
    }

    /// Why a tool cannot run here, or nothing.
    std::optional<std::string> missing(Tool tool) const {
        const char* program = tool == Tool::UmapLearn ? kPython
                              : info(tool).sceneLens  ? nullptr
                                                      : kRscript;
        if (program && access(program, X_OK) != 0)
            return std::string(program) + " not found (apt-get install " +
                   (tool == Tool::UmapLearn ? "umap-learn" : "r-base-core") + ")";
        return std::nullopt;
    }

    RunResult run(Tool tool, const BenchData& data, const std::string& dataNpy,
                  const std::string& dataRaw) {
        RunResult result;
        const ToolInfo& t = info(tool);
        if (const auto why = missing(tool)) {
            result.reason = *why;
            return result;
        }
        const bool raw = tool == Tool::Rtsne || tool == Tool::Uwot;
        const std::string stem =
            (workdir / (std::string(t.key) + "-" + std::to_string(data.rows))).string();
        const std::string out = stem + (raw ? ".f32" : ".npy");
        const std::string log = stem + ".log";
        fs::remove(out);
        if (!startup.count(tool)) {
            const ChildResult s = spawner->run(startupCommand(tool), stem + "-startup.log");
            startup[tool] = s.status == 0 ? s.wallSeconds : NAN;
        }
        result.startupSeconds = startup[tool];
        std::fprintf(stderr, "projection_bench: running %s on %d rows...\n", t.name, data.rows);
        const ChildResult child =
            spawner->run(command(tool, raw ? dataRaw : dataNpy, out, data.rows, data.dims), log);
        result.wallSeconds = child.wallSeconds;
        result.peakMiB = child.peakMiB;
        if (child.status != 0) {
            const std::string line = lastLine(log);
            result.reason = "exit status " + std::to_string(child.status) +
                            (line.empty() ? "" : ": " + line) + " (log " + log + ")";
            return result;
        }
        try {
            const std::vector<float> coords = readCoords(out, data.rows, !raw);
            if (!std::all_of(coords.begin(), coords.end(),
                             [](float x) { return std::isfinite(x); }))
                throw std::runtime_error("output holds NaN or Inf");
            result.trust = trust(data, coords);
            result.ok = true;
        } catch (const std::exception& error) {
            result.reason = error.what();
        }
        return result;
    }

    /// trustworthiness@15 on the fixed subsample of this size.
    double trust(const BenchData& data, const std::vector<float>& coords) {
        if (sampleRows != data.rows) {
            sampleRows = data.rows;
            sample.resize(std::size_t(data.rows));
            std::iota(sample.begin(), sample.end(), 0);
            std::mt19937_64 rng(kTrustSeed);
            const int m = std::min(kTrustSample, data.rows);
            for (int i = 0; i < m; ++i) { // partial Fisher-Yates
                std::uniform_int_distribution<int> pick(i, data.rows - 1);
                std::swap(sample[i], sample[pick(rng)]);
            }
            sample.resize(std::size_t(m));
            std::sort(sample.begin(), sample.end());
            sampleHigh.clear();
            for (int i : sample)
                sampleHigh.insert(sampleHigh.end(),
                                  data.values.begin() + std::size_t(i) * data.dims,
                                  data.values.begin() + std::size_t(i + 1) * data.dims);
        }
        std::vector<float> low;
        low.reserve(sample.size() * 2);
        for (int i : sample) {
            low.push_back(coords[std::size_t(i) * 2]);
            low.push_back(coords[std::size_t(i) * 2 + 1]);
        }
        return embed::trustworthiness(sampleHigh.data(), data.dims, low.data(), 2,
                                      int(sample.size()), kTrustK);
    }

    int sampleRows = -1;
    std::vector<int> sample;
    std::vector<float> sampleHigh;
};

// ---------------------------------------------------------------------------------------------
// Command line and report.

struct Options {
    std::vector<int> sizes{10000, 70000, 250000};
    int compareAt = 70000;
    std::vector<Tool> tools{Tool::Tsne, Tool::Umap, Tool::Rtsne, Tool::Uwot, Tool::UmapLearn};
    std::string workdir;
};

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ','))
        if (!part.empty())
            parts.push_back(part);
    return parts;
}

int parseSize(const std::string& text) {
    std::size_t used = 0;
    long value = 0;
    try {
        value = std::stol(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || value < 100 || value > 100000000)
        throw std::invalid_argument("a size must be a whole number of rows >= 100, not '" + text +
                                    "'");
    return int(value);
}

void usage() {
    std::printf("usage: projection_bench [--sizes 10000,70000,250000] [--compare-at 70000]\n"
                "                        [--tools tsne,umap,rtsne,uwot,umap-learn] [--workdir "
                "DIR]\n"
                "       projection_bench --worker tsne|umap|startup IN.npy OUT.npy\n");
}

Options parseOptions(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            usage();
            std::exit(0);
        }
        if (i + 1 >= argc)
            throw std::invalid_argument("unknown option or missing value: " + arg);
        const std::string value = argv[++i];
        if (arg == "--sizes") {
            options.sizes.clear();
            for (const std::string& s : split(value))
                options.sizes.push_back(parseSize(s));
        } else if (arg == "--compare-at") {
            options.compareAt = parseSize(value);
        } else if (arg == "--tools") {
            options.tools.clear();
            for (const std::string& name : split(value)) {
                const auto found = std::find_if(std::begin(kTools), std::end(kTools),
                                                [&](const ToolInfo& t) { return name == t.key; });
                if (found == std::end(kTools))
                    throw std::invalid_argument("unknown tool '" + name +
                                                "' (tsne, umap, rtsne, uwot, umap-learn)");
                if (std::find(options.tools.begin(), options.tools.end(), found->tool) ==
                    options.tools.end())
                    options.tools.push_back(found->tool);
            }
        } else if (arg == "--workdir") {
            options.workdir = value;
        } else {
            throw std::invalid_argument("unknown option " + arg);
        }
    }
    std::sort(options.sizes.begin(), options.sizes.end());
    options.sizes.erase(std::unique(options.sizes.begin(), options.sizes.end()),
                        options.sizes.end());
    return options;
}

bool wants(const Options& options, Tool tool) {
    return std::find(options.tools.begin(), options.tools.end(), tool) != options.tools.end();
}

void printHeader(const Options& options, const fs::path& workdir) {
    std::printf("projection_bench: SceneLens t-SNE / UMAP vs Debian peers\n");
    std::printf("data: %d Gaussian clusters (random rotation x axis scales U(0.1,1)) + noisy swiss "
                "roll (~1/11 of rows, sigma 0.05) in %d-D, mt19937_64 seed %llu\n",
                scenelens::bench::kBenchClusters, scenelens::bench::kBenchDims,
                static_cast<unsigned long long>(scenelens::bench::kBenchSeed));
    std::printf("timing: full child wall time (process start-up, reading input, neighbour search, "
                "layout, writing output); 'start s' = the same program doing nothing but start "
                "(R: library(), Python: import umap), not subtracted\n");
    std::printf("memory: peak RSS of the child (wait4 ru_maxrss); quality: trustworthiness@%d on a "
                "fixed subsample of min(%d, N) rows (seed %llu), embed::trustworthiness\n",
                kTrustK, kTrustSample, static_cast<unsigned long long>(kTrustSeed));
    std::printf("threads: children pinned to 2 CPUs when more are allowed; OMP/OpenBLAS/MKL/Numba "
                "threads = 2; this machine: %u hardware threads (SceneLens uses "
                "std::thread::hardware_concurrency() threads)\n",
                std::thread::hardware_concurrency());
    std::printf("workdir: %s\n", workdir.c_str());
    std::printf("tools and parameters:\n");
    if (wants(options, Tool::Tsne))
        std::printf(
            "  SceneLens t-SNE: embed::project(Tsne): dims 2, perplexity 30, exact kNN k=90 "
            "(BLAS; faiss HNSW M=32 above 200,000 rows), PCA init (sd 1e-4), FFT-interpolated "
            "repulsion, 750 iterations = 250 with exaggeration 12 + 500, momentum "
            "0.5->0.8 at 250, learning rate max(N/12, 200), seed 0\n");
    if (wants(options, Tool::Umap))
        std::printf(
            "  SceneLens UMAP: embed::project(Umap): dims 2, n_neighbors 15, min_dist 0.1, "
            "spread 1, exact kNN (BLAS; faiss HNSW above 200,000 rows), spectral init, epochs "
            "500 if N <= 10,000 else 200, learning rate 1, negative sample rate 5, "
            "threaded SGD, seed 0\n");
    if (wants(options, Tool::Rtsne))
        std::printf("  Rtsne %s (r-cran-rtsne): Rtsne(X, dims=2, perplexity=30, theta=0.5, "
                    "max_iter=750, pca=FALSE, num_threads=2, check_duplicates=FALSE); defaults: "
                    "exaggeration 12 for 250 iterations, momentum 0.5->0.8, eta 200, "
                    "normalize=TRUE, random init; set.seed(42)\n",
                    dpkgVersion("r-cran-rtsne").c_str());
    if (wants(options, Tool::Uwot))
        std::printf("  uwot %s (r-cran-uwot): umap(X, n_neighbors=15, min_dist=0.1, n_threads=2, "
                    "n_sgd_threads=2, verbose=FALSE); defaults: spectral init, n_epochs 500 if N "
                    "<= 10,000 else 200, exact FNN below 4,096 rows else Annoy (50 trees, "
                    "search_k 1500); set.seed(42)\n",
                    dpkgVersion("r-cran-uwot").c_str());
    if (wants(options, Tool::UmapLearn))
        std::printf("  umap-learn %s: umap.UMAP(n_neighbors=15, min_dist=0.1, n_jobs=2), no "
                    "random_state; defaults: spectral init, n_epochs 500 if N <= 10,000 else 200, "
                    "exact below 4,096 rows else NN-descent; Numba JIT time included\n",
                    dpkgVersion("umap-learn").c_str());
    std::printf("\n");
}

std::string cell(double value, const char* format) {
    if (std::isnan(value))
        return "-";
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), format, value);
    return buffer;
}

} // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "--worker")
        return runWorker(argc, argv);

    Options options;
    try {
        options = parseOptions(argc, argv);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "projection_bench: %s\n", error.what());
        usage();
        return 2;
    }

    Bench bench;
    std::error_code ec;
    bench.self = fs::read_symlink("/proc/self/exe", ec).string();
    if (ec) {
        std::fprintf(stderr, "projection_bench: cannot read /proc/self/exe: %s\n",
                     ec.message().c_str());
        return 1;
    }
    bench.peers = SCENELENS_BENCH_PEERS_DIR;
    const std::string helper =
        (fs::path(bench.self).parent_path() / "projection_bench_spawn").string();
    if (access(helper.c_str(), X_OK) != 0) {
        std::fprintf(stderr, "projection_bench: %s is missing; build projection_bench again\n",
                     helper.c_str());
        return 1;
    }
    bool removeWorkdir = false;
    if (options.workdir.empty()) {
        std::string pattern = (fs::temp_directory_path() / "projection_bench.XXXXXX").string();
        if (!mkdtemp(pattern.data())) {
            std::fprintf(stderr, "projection_bench: mkdtemp: %s\n", std::strerror(errno));
            return 1;
        }
        bench.workdir = pattern;
        removeWorkdir = true;
    } else {
        bench.workdir = fs::absolute(options.workdir);
        fs::create_directories(bench.workdir, ec);
        if (ec) {
            std::fprintf(stderr, "projection_bench: cannot create %s: %s\n", bench.workdir.c_str(),
                         ec.message().c_str());
            return 1;
        }
    }

    printHeader(options, bench.workdir);
    std::fflush(stdout);

    std::vector<int> allSizes = options.sizes;
    allSizes.push_back(options.compareAt);
    std::sort(allSizes.begin(), allSizes.end());
    allSizes.erase(std::unique(allSizes.begin(), allSizes.end()), allSizes.end());

    std::map<std::pair<Tool, int>, RunResult> results;
    double floorMiB = NAN;
    try {
        Spawner spawner(helper);
        bench.spawner = &spawner;
        std::signal(SIGPIPE, SIG_IGN); // after the helper started: it and its children keep default
        // What a child inherits from the helper: the least peak memory a tool can show.
        const ChildResult floor =
            spawner.run({"/bin/true"}, (bench.workdir / "floor.log").string());
        floorMiB = floor.status == 0 ? floor.peakMiB : NAN;
        for (const int rows : allSizes) {
            const bool inGrowth = std::count(options.sizes.begin(), options.sizes.end(), rows) > 0;
            const bool compare = rows == options.compareAt;
            std::vector<Tool> torun;
            for (Tool tool : options.tools)
                if (compare || (inGrowth && info(tool).sceneLens))
                    torun.push_back(tool);
            if (torun.empty())
                continue;
            std::fprintf(stderr, "projection_bench: generating %d rows...\n", rows);
            const BenchData data = scenelens::bench::makeBenchData(rows);
            const std::string stem = (bench.workdir / ("data-" + std::to_string(rows))).string();
            const std::string dataNpy = stem + ".npy", dataRaw = stem + ".f32";
            embed::writeNpyMatrix(dataNpy, data.values.data(), data.rows, data.dims);
            {
                std::ofstream raw(dataRaw, std::ios::binary);
                raw.write(reinterpret_cast<const char*>(data.values.data()),
                          std::streamsize(data.values.size() * sizeof(float)));
                if (!raw)
                    throw std::runtime_error("cannot write " + dataRaw);
            }
            for (Tool tool : torun)
                results[{tool, rows}] = bench.run(tool, data, dataNpy, dataRaw);
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "projection_bench: %s\n", error.what());
        return 1;
    }

    // Comparison at one size.
    std::printf("comparison at N = %d (wall and peak per child process, /bin/true peaks at %s MiB; "
                "speedup = peer wall / SceneLens wall of the same method, and in brackets the "
                "same with each one's start-up time subtracted)\n",
                options.compareAt, cell(floorMiB, "%.1f").c_str());
    std::printf("%-20s %8s %9s %8s %9s %9s  %s\n", "tool", "N", "wall s", "start s", "peak MiB",
                "trust@15", "SceneLens speedup");
    for (Tool tool : options.tools) {
        const ToolInfo& t = info(tool);
        const RunResult& r = results[{tool, options.compareAt}];
        if (!r.ok) {
            std::printf("%-20s %8d  skipped: %s\n", t.name, options.compareAt, r.reason.c_str());
            continue;
        }
        std::string speedup = "";
        if (!t.sceneLens) {
            const auto ref = results.find({t.reference, options.compareAt});
            if (ref != results.end() && ref->second.ok) {
                const RunResult& s = ref->second;
                speedup =
                    cell(r.wallSeconds / s.wallSeconds, "%.2fx") + " (" +
                    cell((r.wallSeconds - r.startupSeconds) / (s.wallSeconds - s.startupSeconds),
                         "%.2fx") +
                    ") vs " + info(t.reference).name;
            } else
                speedup = std::string("n/a (") + info(t.reference).name + " not run)";
        }
        std::printf("%-20s %8d %9.2f %8s %9.1f %9.4f  %s\n", t.name, options.compareAt,
                    r.wallSeconds, cell(r.startupSeconds, "%.2f").c_str(), r.peakMiB, r.trust,
                    speedup.c_str());
    }

    // Growth of the SceneLens tools.
    std::vector<Tool> growthTools;
    for (Tool tool : {Tool::Tsne, Tool::Umap})
        if (wants(options, tool))
            growthTools.push_back(tool);
    if (!growthTools.empty() && !options.sizes.empty()) {
        std::printf("\nSceneLens growth (wall s, peak MiB, trust@15; 'x' = wall relative to the "
                    "smallest N)\n");
        std::printf("%9s", "N");
        for (Tool tool : growthTools) {
            const char* m = tool == Tool::Tsne ? "t-SNE" : "UMAP";
            std::printf(" %7s wall s %6s MiB %5s T@15 %7s x", m, m, m, m);
        }
        std::printf("\n");
        for (const int rows : options.sizes) {
            std::printf("%9d", rows);
            for (Tool tool : growthTools) {
                const RunResult& r = results[{tool, rows}];
                const RunResult& first = results[{tool, options.sizes.front()}];
                if (!r.ok) {
                    std::printf(" %14s %10s %10s %9s", "failed", "-", "-", "-");
                    continue;
                }
                std::printf(" %14.2f %10.1f %10.4f %9s", r.wallSeconds, r.peakMiB, r.trust,
                            first.ok ? cell(r.wallSeconds / first.wallSeconds, "%.2fx").c_str()
                                     : "-");
            }
            std::printf("\n");
        }
        for (const int rows : options.sizes)
            for (Tool tool : growthTools)
                if (!results[{tool, rows}].ok)
                    std::printf("%s at N = %d failed: %s\n", info(tool).name, rows,
                                results[{tool, rows}].reason.c_str());
    }

    const bool anyFailed = std::any_of(results.begin(), results.end(),
                                       [](const auto& entry) { return !entry.second.ok; });
    if (removeWorkdir && anyFailed)
        std::printf("\nlogs of the failed runs are kept in %s\n", bench.workdir.c_str());
    else if (removeWorkdir)
        fs::remove_all(bench.workdir, ec);
    return 0;
}

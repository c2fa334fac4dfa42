// scene_load_bench [SCENE_DIR]: loads scene0000_00 with the SceneLens reader and with VTK's
// vtkPLYReader in the same run; prints the minimum of 10 runs of each and their ratio.

#include "scene/PlyIO.h"
#include "scene/ScanNetSceneReader.h"

#ifdef SCENELENS_BENCH_WITH_VTK
#include <vtkNew.h>
#include <vtkPLYReader.h>
#include <vtkPolyData.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>

namespace {

constexpr int kRuns = 10;

/// Minimum wall time of kRuns calls, in milliseconds.
double minimumMs(const std::function<std::size_t()>& load, std::size_t& vertices) {
    double best = 1e30;
    for (int run = 0; run < kRuns; ++run) {
        const auto start = std::chrono::steady_clock::now();
        vertices = load();
        const std::chrono::duration<double, std::milli> elapsed =
            std::chrono::steady_clock::now() - start;
        best = std::min(best, elapsed.count());
    }
    return best;
}

} // namespace

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? argv[1] : SCENELENS_DEFAULT_SCENE;
    const std::string ply = dir + "/scene0000_00_vh_clean_2.ply";
    if (!std::filesystem::exists(ply)) {
        std::printf("scene_load_bench: %s is absent; pass a ScanNet scene folder\n", ply.c_str());
        return 0;
    }
    std::size_t vertices = 0;
    const double plyMs =
        minimumMs([&] { return scenelens::readPly(ply).positions.size(); }, vertices);
    std::printf("SceneLens readPly (mesh only)        %8.2f ms  (%zu vertices)\n", plyMs, vertices);
    const double sceneMs = minimumMs(
        [&] { return scenelens::ScanNetSceneReader().read(dir).vertexCount(); }, vertices);
    std::printf("SceneLens full scene (mesh, normals, labels, objects) %8.2f ms\n", sceneMs);
#ifdef SCENELENS_BENCH_WITH_VTK
    const double vtkMs = minimumMs(
        [&] {
            vtkNew<vtkPLYReader> reader;
            reader->SetFileName(ply.c_str());
            reader->Update();
            return std::size_t(reader->GetOutput()->GetNumberOfPoints());
        },
        vertices);
    std::printf("VTK vtkPLYReader (mesh only)         %8.2f ms  (%zu vertices)\n", vtkMs, vertices);
    std::printf("ratio VTK / SceneLens (mesh only)    %8.2fx\n", vtkMs / plyMs);
#endif
    return 0;
}

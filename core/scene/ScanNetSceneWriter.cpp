#include "ScanNetSceneWriter.h"

#include "../Error.h"
#include "PlyIO.h"

#include <Eigen/Geometry>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

namespace scenelens {

namespace fs = std::filesystem;

namespace {

using nlohmann::json;

void writeText(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(text.data(), std::streamsize(text.size())))
        throw FileError(path.string(), "", "cannot write the file");
}

/// ScanNet's segmentation parameters, recorded as its segmentator writes them.
json segmentationParams() {
    return {{"kThresh", "0.0001"},  {"segMinVerts", "20"},  {"minPoints", "750"},
            {"maxPoints", "30000"}, {"thinThresh", "0.05"}, {"flatThresh", "0.001"},
            {"minLength", "0.02"},  {"maxLength", "1"}};
}

json aggregationJson(const Scene& scene, const std::vector<std::int64_t>& segmentOfVertex) {
    json groups = json::array();
    for (std::size_t g = 0; g < scene.objects.size(); ++g) {
        const SceneObject& object = scene.objects[g];
        std::set<std::int64_t> segments;
        for (std::uint32_t v : object.vertexIndices)
            segments.insert(segmentOfVertex[v]);
        groups.push_back({{"id", g},
                          {"objectId", object.id},
                          {"segments", std::vector<std::int64_t>(segments.begin(), segments.end())},
                          {"label", object.rawLabel}});
    }
    return {{"sceneId", "scannet." + scene.id},
            {"appId", "Aggregator.v2"},
            {"segGroups", groups},
            {"segmentsFile", "scannet." + scene.id + "_vh_clean_2.0.010000.segs.json"}};
}

std::string sceneInfoText(const Scene& scene, const Eigen::Matrix4f& alignment) {
    std::string text = "axisAlignment =";
    char number[32];
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) {
            std::snprintf(number, sizeof(number), " %.9g", double(alignment(r, c)));
            text += number;
        }
    text += "\n";
    for (const auto& [key, value] : scene.metadata)
        if (key != "axisAlignment" && key != "labelTable")
            text += key + " = " + value + "\n";
    return text;
}

} // namespace

void writeScanNetScene(const std::string& folder, const Scene& scene,
                       const ScanNetSceneFilesContent& content) {
    const std::size_t n = scene.vertexCount();
    if (content.segmentOfVertex.size() != n || content.categoryOfVertex.size() != n)
        throw FileError(folder, "",
                        "cannot write: segments or categories do not cover every vertex");
    std::error_code error;
    fs::create_directories(folder, error);
    if (error)
        throw FileError(folder, "", "cannot create the folder: " + error.message());
    const fs::path dir(folder);
    const std::string& id = scene.id;

    PlyMesh mesh;
    const Eigen::Matrix4f toWritten = content.alignment.inverse();
    mesh.positions.reserve(n);
    for (const Eigen::Vector3f& p : scene.positions)
        mesh.positions.push_back((toWritten * p.homogeneous()).head<3>());
    mesh.colors = scene.colors;
    mesh.alphas.assign(n, 255);
    mesh.faces = scene.faces;
    writePly((dir / (id + "_vh_clean_2.ply")).string(), mesh, PlyFormat::BinaryLittleEndian);
    mesh.labels = content.categoryOfVertex;
    writePly((dir / (id + "_vh_clean_2.labels.ply")).string(), mesh, PlyFormat::BinaryLittleEndian);

    const json segments = {
        {"params", segmentationParams()}, {"sceneId", id}, {"segIndices", content.segmentOfVertex}};
    writeText(dir / (id + "_vh_clean_2.0.010000.segs.json"), segments.dump(1, '\t'));
    writeText(dir / (id + ".aggregation.json"),
              aggregationJson(scene, content.segmentOfVertex).dump(1, '\t'));
    writeText(dir / (id + ".txt"), sceneInfoText(scene, content.alignment));
}

} // namespace scenelens

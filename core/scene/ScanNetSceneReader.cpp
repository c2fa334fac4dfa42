#include "ScanNetSceneReader.h"

#include "../Error.h"
#include "LabelTable.h"
#include "PlyIO.h"
#include "ScanNetFiles.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace scenelens {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMeshSuffix = "_vh_clean_2.ply";
constexpr const char* kLabelTableName = "scannetv2-labels.combined.tsv";

std::string existing(const fs::path& path) {
    std::error_code error;
    return fs::is_regular_file(path, error) ? path.string() : std::string();
}

/// The scene id of a folder: its name when <name>_vh_clean_2.ply exists, else the prefix of its
/// only *_vh_clean_2.ply file; empty when there is none.
std::string sceneIdOf(const fs::path& folder) {
    const std::string name = folder.filename().string();
    if (!existing(folder / (name + kMeshSuffix)).empty())
        return name;
    std::string found;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
        const std::string file = entry.path().filename().string();
        const std::size_t suffix =
            file.size() > std::strlen(kMeshSuffix) ? file.size() - std::strlen(kMeshSuffix) : 0;
        if (suffix > 0 && file.compare(suffix, std::string::npos, kMeshSuffix) == 0) {
            if (!found.empty())
                return {}; // ambiguous: several meshes
            found = file.substr(0, suffix);
        }
    }
    return found;
}

std::string findLabelTable(const fs::path& folder) {
    const fs::path parent = folder.parent_path(), grandparent = parent.parent_path();
    for (const fs::path& dir : {folder, parent, grandparent, grandparent / "meta"})
        if (std::string path = existing(dir / kLabelTableName); !path.empty())
            return path;
    return {};
}

void fillGeometry(Scene& scene, PlyMesh&& mesh) {
    scene.positions = std::move(mesh.positions);
    scene.faces = std::move(mesh.faces);
    scene.colors = std::move(mesh.colors);
    if (scene.colors.empty())
        scene.colors.assign(scene.positions.size(), Rgb8{128, 128, 128});
    scene.normals = mesh.normals.empty() ? computeVertexNormals(scene.positions, scene.faces)
                                         : std::move(mesh.normals);
    scene.instanceIds.assign(scene.positions.size(), 0);
    scene.nyu40Ids.assign(scene.positions.size(), 0);
}

/// NYU40 ids from the ScanNet category ids of a labels.ply.
void labelVerticesFromCategoryIds(Scene& scene, const std::vector<std::uint16_t>& categoryIds,
                                  const LabelTable& labels) {
    for (std::size_t v = 0; v < categoryIds.size(); ++v)
        scene.nyu40Ids[v] = std::uint16_t(labels.lookupScanNetId(categoryIds[v]).id);
}

/// Per-vertex instance ids from the segmentation and its aggregation; objects from the groups.
void applyAggregation(Scene& scene, const ScanNetSceneFiles& files, const LabelTable& labels) {
    const std::vector<std::int64_t> segIndices = readSegmentIndices(files.segments);
    if (segIndices.size() != scene.vertexCount())
        throw FileError(files.segments, "segIndices",
                        "has " + std::to_string(segIndices.size()) + " entries, but the mesh " +
                            fs::path(files.mesh).filename().string() + " has " +
                            std::to_string(scene.vertexCount()) + " vertices");
    const Aggregation aggregation = readAggregation(files.aggregation);

    const std::int64_t maxSegment =
        segIndices.empty() ? -1 : *std::max_element(segIndices.begin(), segIndices.end());
    std::vector<std::int32_t> instanceOfSegment(std::size_t(maxSegment) + 1, -1);
    for (std::int64_t segment : segIndices)
        instanceOfSegment[std::size_t(segment)] = 0; // exists, not yet annotated

    for (std::size_t g = 0; g < aggregation.groups.size(); ++g) {
        const SegGroup& group = aggregation.groups[g];
        if (scene.findObject(group.objectId))
            throw FileError(files.aggregation, "segGroups[" + std::to_string(g) + "]",
                            "objectId " + std::to_string(group.objectId) + " appears twice");
        for (std::size_t s = 0; s < group.segments.size(); ++s) {
            const std::int64_t segment = group.segments[s];
            if (segment > maxSegment || instanceOfSegment[std::size_t(segment)] < 0)
                throw FileError(files.aggregation,
                                "segGroups[" + std::to_string(g) + "].segments[" +
                                    std::to_string(s) + "]",
                                "segment " + std::to_string(segment) + " does not exist in " +
                                    fs::path(files.segments).filename().string());
            instanceOfSegment[std::size_t(segment)] = group.objectId + 1;
        }
        SceneObject object;
        object.id = group.objectId;
        object.rawLabel = group.label;
        const Nyu40Label nyu40 = labels.lookup(group.label);
        object.nyu40Id = nyu40.id;
        object.nyu40Class = nyu40.name;
        // Keep objects sorted by id so findObject can binary-search.
        auto at = std::lower_bound(scene.objects.begin(), scene.objects.end(), object.id,
                                   [](const SceneObject& o, int id) { return o.id < id; });
        scene.objects.insert(at, std::move(object));
    }
    for (std::size_t v = 0; v < segIndices.size(); ++v)
        scene.instanceIds[v] = instanceOfSegment[std::size_t(segIndices[v])];
}

/// NYU40 ids from the objects' labels for annotated vertices that have none yet (no labels.ply,
/// or a category id the table does not know).
void labelVerticesFromObjects(Scene& scene) {
    for (std::size_t v = 0; v < scene.vertexCount(); ++v)
        if (scene.nyu40Ids[v] == 0)
            if (const SceneObject* object = scene.objectOfVertex(std::uint32_t(v)))
                scene.nyu40Ids[v] = std::uint16_t(object->nyu40Id);
}

LabelTable loadLabelTable(const std::string& path) {
    return path.empty() ? LabelTable::builtinNyu40() : LabelTable::readScanNetTsv(path);
}

} // namespace

bool isScanNetSceneFolder(const std::string& folder) {
    std::error_code error;
    return fs::is_directory(folder, error) && !sceneIdOf(fs::path(folder)).empty();
}

ScanNetSceneFiles findScanNetSceneFiles(const std::string& folder) {
    fs::path dir = fs::absolute(fs::path(folder)).lexically_normal();
    if (dir.filename().empty())
        dir = dir.parent_path(); // "scans/scene0000_00/" has an empty filename
    const std::string id = sceneIdOf(dir);
    if (id.empty())
        throw FileError(folder, "",
                        "not a ScanNet scene folder: expected a <scene>_vh_clean_2.ply mesh in it");
    ScanNetSceneFiles files;
    files.folder = dir.string();
    files.sceneId = id;
    files.mesh = existing(dir / (id + kMeshSuffix));
    files.labelsMesh = existing(dir / (id + "_vh_clean_2.labels.ply"));
    files.segments = existing(dir / (id + "_vh_clean_2.0.010000.segs.json"));
    files.aggregation = existing(dir / (id + ".aggregation.json"));
    if (files.aggregation.empty())
        files.aggregation = existing(dir / (id + "_vh_clean.aggregation.json"));
    files.info = existing(dir / (id + ".txt"));
    files.labelTable = findLabelTable(dir);
    return files;
}

Scene ScanNetSceneReader::read(const std::string& path, ProgressSink* progress) const {
    std::error_code error;
    if (fs::is_directory(path, error))
        return readFolder(findScanNetSceneFiles(path), progress);
    if (!fs::exists(path, error))
        throw FileError(path, "", "no such file or folder");
    if (fs::path(path).extension() != ".ply")
        throw FileError(path, "", "expected a ScanNet scene folder or a .ply mesh");
    return readLonePly(path, progress);
}

Scene ScanNetSceneReader::readFolder(const ScanNetSceneFiles& files, ProgressSink* progress) const {
    Scene scene;
    scene.id = files.sceneId;
    scene.sourcePath = files.folder;
    checkpoint(progress, "reading mesh", 0.0);
    fillGeometry(scene, readPly(files.mesh));

    const LabelTable labels = loadLabelTable(
        options_.labelTablePath.empty() ? files.labelTable : options_.labelTablePath);
    scene.metadata["labelTable"] = labels.source();

    if (!files.labelsMesh.empty()) {
        checkpoint(progress, "reading labels", 0.4);
        const PlyMesh labelsMesh = readPly(files.labelsMesh);
        if (labelsMesh.positions.size() != scene.vertexCount())
            throw FileError(files.labelsMesh, "",
                            "has " + std::to_string(labelsMesh.positions.size()) +
                                " vertices, but the mesh has " +
                                std::to_string(scene.vertexCount()));
        labelVerticesFromCategoryIds(scene, labelsMesh.labels, labels);
    }

    if (!files.segments.empty() && !files.aggregation.empty()) {
        checkpoint(progress, "reading objects", 0.7);
        applyAggregation(scene, files, labels);
        labelVerticesFromObjects(scene);
    }

    if (!files.info.empty()) {
        checkpoint(progress, "aligning axes", 0.9);
        const SceneInfo info = readSceneInfo(files.info);
        scene.metadata.insert(info.metadata.begin(), info.metadata.end());
        scene.axisAlignment = info.axisAlignment;
        if (info.hasAxisAlignment)
            transformScene(scene, info.axisAlignment);
    }
    rebuildObjectGeometry(scene);
    checkpoint(progress, "done", 1.0);
    return scene;
}

Scene ScanNetSceneReader::readLonePly(const std::string& path, ProgressSink* progress) const {
    Scene scene;
    scene.id = fs::path(path).stem().string();
    scene.sourcePath = fs::absolute(path).string();
    checkpoint(progress, "reading mesh", 0.0);
    PlyMesh mesh = readPly(path);
    const std::vector<std::uint16_t> categoryIds = std::move(mesh.labels);
    fillGeometry(scene, std::move(mesh));
    if (!categoryIds.empty()) {
        const fs::path folder = fs::absolute(path).parent_path();
        const LabelTable labels = loadLabelTable(
            options_.labelTablePath.empty() ? findLabelTable(folder) : options_.labelTablePath);
        scene.metadata["labelTable"] = labels.source();
        labelVerticesFromCategoryIds(scene, categoryIds, labels);
    }
    checkpoint(progress, "done", 1.0);
    return scene;
}

} // namespace scenelens

#pragma once
// Opens a ScanNet scene folder (scans/sceneXXXX_XX/) or a lone .ply into a Scene.

#include "../Progress.h"
#include "Scene.h"

#include <string>

namespace scenelens {

/// The files of one ScanNet scene folder; optional ones are empty when absent.
struct ScanNetSceneFiles {
    std::string folder;
    std::string sceneId;
    std::string mesh;        ///< <id>_vh_clean_2.ply (required)
    std::string labelsMesh;  ///< <id>_vh_clean_2.labels.ply
    std::string segments;    ///< <id>_vh_clean_2.0.010000.segs.json
    std::string aggregation; ///< <id>.aggregation.json or <id>_vh_clean.aggregation.json
    std::string info;        ///< <id>.txt
    std::string labelTable;  ///< scannetv2-labels.combined.tsv found beside or above the folder
};

/// True when `folder` holds a ScanNet mesh (<name>_vh_clean_2.ply or any single *_vh_clean_2.ply).
bool isScanNetSceneFolder(const std::string& folder);

/// Finds the files of a scene folder; throws FileError naming the folder when it has no mesh.
/// The label table is looked for in the folder, its parent, grandparent and <grandparent>/meta.
ScanNetSceneFiles findScanNetSceneFiles(const std::string& folder);

class ScanNetSceneReader {
public:
    struct Options {
        /// scannetv2-labels.combined.tsv to use; empty = the one found beside the scene, else the
        /// built-in NYU40 table (raw labels that are NYU40 class names map to their class).
        std::string labelTablePath;
    };

    ScanNetSceneReader() = default;
    explicit ScanNetSceneReader(Options options) : options_(std::move(options)) {}

    /// Reads a scene folder or a .ply file. Throws FileError (file, position, expectation) on any
    /// malformed input and Cancelled when `progress` asks to stop.
    Scene read(const std::string& path, ProgressSink* progress = nullptr) const;

private:
    Scene readFolder(const ScanNetSceneFiles& files, ProgressSink* progress) const;
    Scene readLonePly(const std::string& path, ProgressSink* progress) const;

    Options options_;
};

} // namespace scenelens

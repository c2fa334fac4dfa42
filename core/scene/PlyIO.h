#pragma once
// Reading and writing PLY meshes: ASCII and binary (little/big endian), any vertex property order
// and scalar type, triangle or polygon faces ("list uchar int" / "list uchar uint" and friends).

#include "Scene.h"

#include <string>
#include <vector>

namespace scenelens {

enum class PlyFormat { Ascii, BinaryLittleEndian, BinaryBigEndian };

/// What SceneLens reads from a PLY file; optional arrays are empty when the file lacks them.
struct PlyMesh {
    PlyFormat format = PlyFormat::BinaryLittleEndian;
    std::vector<Eigen::Vector3f> positions; ///< x y z
    std::vector<Eigen::Vector3f> normals;   ///< nx ny nz
    std::vector<Rgb8> colors;               ///< red green blue (float colours scaled from [0,1])
    std::vector<std::uint8_t> alphas;       ///< alpha
    std::vector<std::uint16_t> labels;      ///< label (ScanNet category id, in labels.ply)
    std::vector<std::array<std::uint32_t, 3>> faces; ///< Polygons are fan-triangulated.
};

/// Reads a PLY file. Throws FileError naming the file, the header line or byte offset (binary) or
/// line (ASCII), and what was expected.
PlyMesh readPly(const std::string& path);

/// Parses PLY data held in memory; `name` is used in error messages.
PlyMesh parsePly(const char* data, std::size_t size, const std::string& name);

/// Writes the non-empty arrays of `mesh` in `format` (floats exactly round-trip in ASCII too).
/// Throws FileError when the file cannot be written.
void writePly(const std::string& path, const PlyMesh& mesh, PlyFormat format);

/// Reads a whole file into memory; throws FileError when it cannot be opened or read.
std::vector<char> readFileBytes(const std::string& path);

} // namespace scenelens

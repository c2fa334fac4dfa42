#include "SyntheticLabels.h"

#include "../../Error.h"
#include "../ScanNetSceneWriter.h"

#include <fstream>

namespace scenelens::synth {

namespace {

struct LabelRow {
    int scanNetId;
    const char* rawCategory;
    const char* category;
    int nyu40Id;
    const char* nyu40Class;
};

// The rows of scannetv2-labels.combined.tsv for syntheticRawLabels(), sorted by raw label.
constexpr LabelRow kRows[] = {
    {23, "armchair", "armchair", 5, "chair"},
    {1173, "bathroom cabinet", "bathroom cabinet", 3, "cabinet"},
    {1164, "bathroom vanity", "bathroom vanity", 3, "cabinet"},
    {42, "bathtub", "bathtub", 36, "bathtub"},
    {11, "bed", "bed", 4, "bed"},
    {22, "books", "book", 23, "books"},
    {18, "bookshelf", "bookshelf", 10, "bookshelf"},
    {26, "box", "box", 29, "box"},
    {7, "cabinet", "cabinet", 3, "cabinet"},
    {2, "chair", "chair", 5, "chair"},
    {24, "coffee table", "coffee table", 7, "table"},
    {6, "couch", "couch", 6, "sofa"},
    {35, "counter", "counter", 12, "counter"},
    {130, "cup", "cup", 40, "otherprop"},
    {21, "curtain", "curtain", 16, "curtain"},
    {9, "desk", "desk", 14, "desk"},
    {45, "dining table", "dining table", 7, "table"},
    {5, "door", "door", 8, "door"},
    {36, "dresser", "dresser", 17, "dresser"},
    {44, "end table", "end table", 7, "table"},
    {75, "file cabinet", "file cabinet", 3, "cabinet"},
    {3, "floor", "floor", 2, "floor"},
    {81, "headboard", "headboard", 39, "otherfurniture"},
    {46, "keyboard", "keyboard", 40, "otherprop"},
    {29, "kitchen cabinet", "kitchen cabinet", 3, "cabinet"},
    {28, "lamp", "lamp", 35, "lamp"},
    {59, "microwave", "microwave", 40, "otherprop"},
    {71, "mirror", "mirror", 19, "mirror"},
    {19, "monitor", "monitor", 40, "otherprop"},
    {34, "nightstand", "nightstand", 32, "night stand"},
    {10, "office chair", "office chair", 5, "chair"},
    {67, "ottoman", "ottoman", 39, "otherfurniture"},
    {15, "picture", "picture", 11, "picture"},
    {13, "pillow", "pillow", 18, "pillow"},
    {40, "plant", "plant", 40, "otherprop"},
    {96, "radiator", "radiator", 39, "otherfurniture"},
    {27, "refrigerator", "refrigerator", 24, "refrigerator"},
    {55, "shower curtain", "shower curtain", 28, "shower curtain"},
    {14, "sink", "sink", 34, "sink"},
    {4, "table", "table", 7, "table"},
    {17, "toilet", "toilet", 33, "toilet"},
    {56, "trash can", "trash can", 39, "otherfurniture"},
    {33, "tv", "tv", 25, "television"},
    {1, "wall", "wall", 1, "wall"},
    {16, "window", "window", 9, "window"},
};

} // namespace

int scanNetCategoryId(const std::string& rawLabel) {
    for (const LabelRow& row : kRows)
        if (rawLabel == row.rawCategory)
            return row.scanNetId;
    return 0;
}

void writeSyntheticLabelTable(const std::string& path) {
    std::string text =
        "id\traw_category\tcategory\tcount\tnyu40id\teigen13id\tnyuClass\tnyu40class\t"
        "eigen13class\tModelNet40\tModelNet10\tShapeNetCore55\tsynsetoffset\twnsynsetid\t"
        "wnsynsetkey\tmpcat40\tmpcat40index\n";
    for (const LabelRow& row : kRows)
        text += std::to_string(row.scanNetId) + "\t" + row.rawCategory + "\t" + row.category +
                "\t\t" + std::to_string(row.nyu40Id) + "\t\t\t" + row.nyu40Class +
                "\t\t\t\t\t\t\t\t\t\n";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(text.data(), std::streamsize(text.size())))
        throw FileError(path, "", "cannot write the file");
}

void writeSyntheticScene(const SyntheticRoom& room, const std::string& sceneDir) {
    ScanNetSceneFilesContent content;
    content.segmentOfVertex = room.segmentOfVertex;
    content.alignment = room.alignment;
    content.categoryOfVertex.resize(room.scene.vertexCount(), 0);
    for (const SceneObject& object : room.scene.objects) {
        const auto category = std::uint16_t(scanNetCategoryId(object.rawLabel));
        for (std::uint32_t v : object.vertexIndices)
            content.categoryOfVertex[v] = category;
    }
    writeScanNetScene(sceneDir, room.scene, content);
}

} // namespace scenelens::synth

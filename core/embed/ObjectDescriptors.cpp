#include "embed/ObjectDescriptors.h"

#include "embed/PlotData.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace scenelens::embed {

namespace {

constexpr int kHueBins = 8;
constexpr float kChromatic = 0.2f;      // HSV saturation and value above which a hue is meaningful
constexpr float kVerticalNormal = 0.9f; // |n.z| of a surface facing up or down (within ~25 deg)

struct Hsv {
    float h = 0, s = 0, v = 0; ///< h in [0, 360)
};

Hsv toHsv(const Rgb8& rgb) {
    const float r = rgb[0] / 255.0f, g = rgb[1] / 255.0f, b = rgb[2] / 255.0f;
    const float max = std::max({r, g, b}), min = std::min({r, g, b}), delta = max - min;
    Hsv hsv;
    hsv.v = max;
    hsv.s = max > 0 ? delta / max : 0.0f;
    if (delta <= 0)
        return hsv;
    if (max == r)
        hsv.h = 60.0f * std::fmod((g - b) / delta + 6.0f, 6.0f);
    else if (max == g)
        hsv.h = 60.0f * ((b - r) / delta + 2.0f);
    else
        hsv.h = 60.0f * ((r - g) / delta + 4.0f);
    return hsv;
}

void addBoxDimensions(const Box3& box, float floor, float* out) {
    const Eigen::Vector3f size = box.size();
    out[0] = std::max(size.x(), size.y());
    out[1] = std::min(size.x(), size.y());
    out[2] = size.z();
    out[3] = box.center().z() - floor;
    out[4] = box.min.z() - floor;
    out[5] = std::log10(std::max(out[0] * out[1], 1e-4f));
    out[6] = std::log10(std::max(out[0] * out[1] * out[2], 1e-6f));
}

void addColourDimensions(const Scene& scene, const std::vector<std::uint32_t>& vertices,
                         float* out) {
    if (scene.colors.size() != scene.positions.size())
        return;
    double sum[3] = {0, 0, 0}, saturation = 0, value = 0;
    double hues[kHueBins] = {};
    for (std::uint32_t v : vertices) {
        const Rgb8& c = scene.colors[v];
        for (int k = 0; k < 3; ++k)
            sum[k] += c[k] / 255.0;
        const Hsv hsv = toHsv(c);
        saturation += hsv.s;
        value += hsv.v;
        if (hsv.s >= kChromatic && hsv.v >= kChromatic)
            hues[std::min(int(hsv.h / (360.0f / kHueBins)), kHueBins - 1)] += 1;
    }
    const double n = double(vertices.size());
    for (int k = 0; k < 3; ++k)
        out[7 + k] = float(sum[k] / n);
    for (int k = 0; k < kHueBins; ++k)
        out[10 + k] = float(hues[k] / n);
    out[18] = float(saturation / n);
    out[19] = float(value / n);
}

void addShapeDimensions(const Scene& scene, const std::vector<std::uint32_t>& vertices,
                        float* out) {
    Eigen::Vector3d mean = Eigen::Vector3d::Zero();
    for (std::uint32_t v : vertices)
        mean += scene.positions[v].cast<double>();
    mean /= double(vertices.size());
    Eigen::Matrix3d covariance = Eigen::Matrix3d::Zero();
    for (std::uint32_t v : vertices) {
        const Eigen::Vector3d d = scene.positions[v].cast<double>() - mean;
        covariance += d * d.transpose();
    }
    covariance /= double(vertices.size());
    const Eigen::Vector3d ascending =
        Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d>(covariance, Eigen::EigenvaluesOnly)
            .eigenvalues()
            .cwiseMax(0.0);
    const double l1 = ascending[2], l2 = ascending[1], l3 = ascending[0];
    if (l1 <= 0) {
        out[22] = 1.0f;
        return;
    }
    out[20] = float((l1 - l2) / l1);
    out[21] = float((l2 - l3) / l1);
    out[22] = float(l3 / l1);
}

void addNormalDimension(const Scene& scene, const std::vector<std::uint32_t>& vertices,
                        float* out) {
    if (scene.normals.size() != scene.positions.size())
        return;
    int vertical = 0;
    for (std::uint32_t v : vertices)
        vertical += std::abs(scene.normals[v].z()) >= kVerticalNormal;
    out[23] = float(vertical) / float(vertices.size());
}

void standardize(EmbeddingSet& set) {
    for (int d = 0; d < set.dims; ++d) {
        double sum = 0, squares = 0;
        for (int i = 0; i < set.rows; ++i)
            sum += set.values[std::size_t(i) * set.dims + d];
        const double mean = sum / set.rows;
        for (int i = 0; i < set.rows; ++i) {
            const double x = set.values[std::size_t(i) * set.dims + d] - mean;
            squares += x * x;
        }
        const double deviation = std::sqrt(squares / set.rows);
        for (int i = 0; i < set.rows; ++i) {
            float& x = set.values[std::size_t(i) * set.dims + d];
            x = deviation > 1e-12 ? float((x - mean) / deviation) : 0.0f;
        }
    }
}

} // namespace

const std::vector<std::string>& objectDescriptorNames() {
    static const std::vector<std::string> names = {
        "size_long",     "size_short", "height",     "centre_height",   "bottom_height",
        "log_footprint", "log_volume", "mean_r",     "mean_g",          "mean_b",
        "hue_0",         "hue_1",      "hue_2",      "hue_3",           "hue_4",
        "hue_5",         "hue_6",      "hue_7",      "mean_saturation", "mean_value",
        "linearity",     "planarity",  "sphericity", "vertical_normals"};
    return names;
}

float floorHeight(const Scene& scene) {
    if (scene.positions.empty())
        return 0.0f;
    std::vector<float> heights(scene.positions.size());
    for (std::size_t i = 0; i < heights.size(); ++i)
        heights[i] = scene.positions[i].z();
    const std::size_t percentile = heights.size() / 100;
    std::nth_element(heights.begin(), heights.begin() + percentile, heights.end());
    return heights[percentile];
}

std::vector<float> rawObjectDescriptor(const Scene& scene, const SceneObject& object, float floor) {
    std::vector<float> out(kObjectDescriptorDims, 0.0f);
    if (object.vertexIndices.empty())
        return out;
    addBoxDimensions(object.box, floor, out.data());
    addColourDimensions(scene, object.vertexIndices, out.data());
    addShapeDimensions(scene, object.vertexIndices, out.data());
    addNormalDimension(scene, object.vertexIndices, out.data());
    return out;
}

EmbeddingSet rawObjectDescriptors(const std::vector<const Scene*>& scenes) {
    EmbeddingSet set;
    set.name = "object descriptors";
    set.modality = "object3d";
    set.dims = kObjectDescriptorDims;
    auto& sceneIds = set.textColumns[columns::kScene];
    auto& labels = set.textColumns[columns::kLabel];
    auto& rawLabels = set.textColumns["raw_label"];
    auto& objectIds = set.numberColumns[columns::kObjectId];
    auto& nyu40Ids = set.numberColumns["nyu40_id"];
    for (const Scene* scene : scenes) {
        const float floor = floorHeight(*scene);
        for (const SceneObject& object : scene->objects) {
            if (object.vertexIndices.empty())
                continue;
            const std::vector<float> row = rawObjectDescriptor(*scene, object, floor);
            set.values.insert(set.values.end(), row.begin(), row.end());
            sceneIds.push_back(scene->id);
            labels.push_back(object.nyu40Class);
            rawLabels.push_back(object.rawLabel);
            objectIds.push_back(object.id);
            nyu40Ids.push_back(object.nyu40Id);
            ++set.rows;
        }
    }
    if (set.rows == 0)
        throw std::invalid_argument(
            "object descriptors: the scenes hold no annotated object with vertices");
    set.textColumns[columns::kModality].assign(set.rows, set.modality);
    return set;
}

EmbeddingSet objectDescriptors(const std::vector<const Scene*>& scenes) {
    EmbeddingSet set = rawObjectDescriptors(scenes);
    standardize(set);
    return set;
}

} // namespace scenelens::embed

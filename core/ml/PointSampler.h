#pragma once
// The point input of scene-encoder and qa models: N vertices sampled from a scene and laid out in
// the channels the bundle's manifest declares (docs/model-bundles.md, "input").

#include "ml/ModelBundle.h"
#include "ml/Tensor.h"
#include "scene/Scene.h"

#include <cstdint>
#include <vector>

namespace scenelens {

struct SampledPoints {
    std::vector<std::uint32_t> vertices; ///< the scene vertex of each row
    Tensor points;                       ///< float32 [N, C] in the manifest's channel order
};

class PointSampler {
public:
    explicit PointSampler(PointInputSpec spec) : spec_(std::move(spec)) {}

    /// Samples spec.numPoints vertices uniformly without replacement (when the scene has fewer,
    /// every vertex once plus uniform draws with replacement), then builds the channels: xyz,
    /// rgb as (rgb255 - mean) / scale, unit normal, height = z - the 1st percentile of the sampled
    /// z. The same scene and seed give the same sample. Throws std::invalid_argument for a scene
    /// without vertices or without the normals/colours a channel needs.
    SampledPoints sample(const Scene& scene, std::uint64_t seed) const;

    const PointInputSpec& spec() const { return spec_; }

private:
    PointInputSpec spec_;
};

} // namespace scenelens

#include "ml/PointSampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace scenelens {

namespace {

/// SplitMix64: a small, fully specified generator, so a seed gives the same sample on every
/// platform (std::uniform_int_distribution is implementation-defined).
class SplitMix {
public:
    explicit SplitMix(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, n) without modulo bias.
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t limit = ~std::uint64_t(0) - (~std::uint64_t(0) % n);
        std::uint64_t r = 0;
        do {
            r = next();
        } while (r >= limit);
        return r % n;
    }

private:
    std::uint64_t state_;
};

/// numpy.percentile(values, q) with linear interpolation.
float percentile(std::vector<float> values, double q) {
    std::sort(values.begin(), values.end());
    const double rank = q / 100.0 * double(values.size() - 1);
    const std::size_t lo = std::size_t(std::floor(rank));
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    const double t = rank - double(lo);
    return float(double(values[lo]) + t * (double(values[hi]) - double(values[lo])));
}

} // namespace

SampledPoints PointSampler::sample(const Scene& scene, std::uint64_t seed) const {
    const std::size_t available = scene.positions.size();
    if (available == 0)
        throw std::invalid_argument("scene '" + scene.id + "' has no vertices to sample");
    const std::size_t n = std::size_t(spec_.numPoints);
    for (const std::string& channel : spec_.channels) {
        if (channel == "rgb" && scene.colors.size() != available)
            throw std::invalid_argument("scene '" + scene.id + "' lacks vertex colours for 'rgb'");
        if (channel == "normal" && scene.normals.size() != available)
            throw std::invalid_argument("scene '" + scene.id +
                                        "' lacks vertex normals for 'normal'");
    }

    SplitMix random(seed);
    SampledPoints out;
    std::vector<std::uint32_t> order(available);
    std::iota(order.begin(), order.end(), 0u);
    // Partial Fisher-Yates: the first min(n, available) entries are a uniform sample without
    // replacement.
    const std::size_t distinct = std::min(n, available);
    for (std::size_t i = 0; i < distinct; ++i)
        std::swap(order[i], order[i + random.below(available - i)]);
    out.vertices.assign(order.begin(), order.begin() + std::ptrdiff_t(distinct));
    while (out.vertices.size() < n)
        out.vertices.push_back(std::uint32_t(random.below(available)));

    float floor = 0.f;
    if (std::find(spec_.channels.begin(), spec_.channels.end(), "height") != spec_.channels.end()) {
        std::vector<float> z(n);
        for (std::size_t i = 0; i < n; ++i)
            z[i] = scene.positions[out.vertices[i]].z();
        floor = percentile(std::move(z), 1.0);
    }

    const int c = spec_.channelCount();
    std::vector<float> values(n * std::size_t(c));
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t v = out.vertices[i];
        float* row = values.data() + i * std::size_t(c);
        for (const std::string& channel : spec_.channels) {
            if (channel == "xyz") {
                const Eigen::Vector3f& p = scene.positions[v];
                *row++ = p.x();
                *row++ = p.y();
                *row++ = p.z();
            } else if (channel == "rgb") {
                for (int k = 0; k < 3; ++k)
                    *row++ =
                        (float(scene.colors[v][std::size_t(k)]) - spec_.rgbMean[std::size_t(k)]) /
                        spec_.rgbScale;
            } else if (channel == "normal") {
                const Eigen::Vector3f& normal = scene.normals[v];
                *row++ = normal.x();
                *row++ = normal.y();
                *row++ = normal.z();
            } else { // height
                *row++ = scene.positions[v].z() - floor;
            }
        }
    }
    out.points = Tensor::float32({std::int64_t(n), c}, std::move(values));
    return out;
}

} // namespace scenelens

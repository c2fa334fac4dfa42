#pragma once
// Seeded random numbers that are the same with every standard library: std::mt19937_64's output is
// fixed by the standard, its distributions are not, so the few we need are written here.

#include <cstdint>
#include <random>
#include <vector>

namespace scenelens::synth {

/// SplitMix64 of `a` combined with `b`: independent seeds for independent streams.
inline std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b) {
    std::uint64_t z = a + 0x9e3779b97f4a7c15ull * (b + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

class Random {
public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}

    /// Uniform in [0, 1), from the top 53 bits.
    double uniform() { return double(engine_() >> 11) * 0x1.0p-53; }
    /// Uniform in [low, high).
    float uniform(float low, float high) {
        return float(double(low) + (double(high) - double(low)) * uniform());
    }
    /// Uniform integer in [low, high]; the modulo bias of a 64-bit draw is negligible.
    int uniformInt(int low, int high) {
        return low + int(engine_() % std::uint64_t(std::int64_t(high) - low + 1));
    }
    bool chance(double probability) { return uniform() < probability; }
    /// Approximately standard normal, truncated to [-2.5, 2.5]: a sum of 12 uniforms needs no libm
    /// (whose last bits differ between platforms), and the bound keeps jittered objects apart.
    float normal() {
        double sum = -6.0;
        for (int i = 0; i < 12; ++i)
            sum += uniform();
        return float(sum < -2.5 ? -2.5 : sum > 2.5 ? 2.5 : sum);
    }
    template <typename T> const T& pick(const std::vector<T>& items) {
        return items[std::size_t(uniformInt(0, int(items.size()) - 1))];
    }

private:
    std::mt19937_64 engine_;
};

} // namespace scenelens::synth

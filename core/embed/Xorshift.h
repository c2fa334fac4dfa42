#pragma once
// A small seeded generator for UMAP: the same numbers on every standard library and platform,
// cheap enough to call per negative sample.

#include <cmath>
#include <cstdint>

namespace scenelens::embed {

/// xorshift64* seeded through splitmix64, so that nearby seeds give unrelated streams.
class Xorshift {
public:
    explicit Xorshift(std::uint64_t seed) {
        std::uint64_t z = seed + 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        state_ = (z ^ (z >> 31)) | 1u;
    }

    std::uint64_t next() {
        state_ ^= state_ >> 12;
        state_ ^= state_ << 25;
        state_ ^= state_ >> 27;
        return state_ * 0x2545F4914F6CDD1Dull;
    }

    /// Uniform in [0, n) by Lemire's multiply-shift, without a division: the SGD draws one per
    /// negative sample. The bias, below n / 2^32, is negligible.
    int below(int n) { return int(((next() >> 32) * std::uint64_t(n)) >> 32); }

    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }

    /// Standard normal by Box-Muller (one of the pair is discarded: init noise only).
    double normal() {
        const double u = 1.0 - uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * uniform());
    }

private:
    std::uint64_t state_;
};

} // namespace scenelens::embed

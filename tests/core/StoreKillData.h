#pragma once
// The project store_kill_child saves: vectors that follow from a seed and a checksum that tells
// whether a file holds them whole (test_project_store's kill test).

#include <cstdint>
#include <cstring>
#include <vector>

namespace scenelens::test {

/// rows x dims values in [-1, 1), a splitmix64 stream seeded with seed.
inline std::vector<float> killTestVectors(std::uint64_t seed, int rows, int dims) {
    std::vector<float> values(std::size_t(rows) * std::size_t(dims));
    std::uint64_t state = seed;
    for (float& value : values) {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        value = float(double(z >> 40) / double(1ull << 23) - 1.0);
    }
    return values;
}

/// FNV-1a over the values' bytes.
inline std::uint64_t vectorsChecksum(const std::vector<float>& values) {
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (float value : values) {
        unsigned char bytes[sizeof value];
        std::memcpy(bytes, &value, sizeof value);
        for (unsigned char byte : bytes)
            hash = (hash ^ byte) * 0x100000001b3ull;
    }
    return hash;
}

} // namespace scenelens::test

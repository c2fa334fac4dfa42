#pragma once
// A fast x^y for the UMAP layout's inner loop. Private to embed.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace scenelens::embed {

/// x^y for x > 0 as 2^(y log2 x), with polynomial log2 on the mantissa (absolute error 4e-7) and
/// exp2 on the fraction (relative error 1e-7): within 3e-6 of std::pow, and the SGD
/// takes one per sample, where std::pow was a quarter of the run.
inline float fastPow(float x, float y) {
    x = std::max(x, 1e-30f);
    std::uint32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    const float exponent = float(int(bits >> 23) - 127);
    bits = (bits & 0x007fffffu) | 0x3f800000u;
    float t;
    std::memcpy(&t, &bits, sizeof t);
    t -= 1.0f; // mantissa - 1, in [0, 1)
    const float log2Mantissa =
        t *
        (1.4426640f +
         t * (-0.72051541f +
              t * (0.47311261f + t * (-0.32461398f + t * (0.19238113f + t * (-0.078155068f +
                                                                             t * 0.015126939f))))));
    const float power = std::clamp(y * (exponent + log2Mantissa), -126.0f, 127.0f);
    const float whole = std::floor(power), f = power - whole;
    const float fraction =
        0.99999990f +
        f * (0.69315462f +
             f * (0.24014079f + f * (0.055863258f + f * (0.0089462249f + f * 0.0018951086f))));
    const std::uint32_t scale = std::uint32_t(int(whole) + 127) << 23;
    float twoToWhole;
    std::memcpy(&twoToWhole, &scale, sizeof twoToWhole);
    return fraction * twoToWhole;
}

} // namespace scenelens::embed

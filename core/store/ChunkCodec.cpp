#include "store/ChunkCodec.h"

#include <zlib.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace scenelens::store {

namespace {

static_assert(kElementBytes == 4, "the SSE2 shuffle transposes 4-byte elements");

/// Byte k of every element goes to plane k, as HDF5's H5Z_filter_shuffle does; 16 elements at a
/// time with SSE2 (three rounds of byte interleaving transpose 16 x 4 bytes into 4 x 16).
void shuffle(const unsigned char* in, std::size_t elements, unsigned char* out) {
    unsigned char* const planes[kElementBytes] = {out, out + elements, out + 2 * elements,
                                                  out + 3 * elements};
    std::size_t i = 0;
#if defined(__SSE2__)
    for (; i + 16 <= elements; i += 16) {
        const auto load = [&](int part) {
            return _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + (i + 4 * part) * 4));
        };
        const __m128i v0 = load(0), v1 = load(1), v2 = load(2), v3 = load(3);
        const __m128i t0 = _mm_unpacklo_epi8(v0, v1), t1 = _mm_unpackhi_epi8(v0, v1);
        const __m128i t2 = _mm_unpacklo_epi8(v2, v3), t3 = _mm_unpackhi_epi8(v2, v3);
        const __m128i u0 = _mm_unpacklo_epi8(t0, t1), u1 = _mm_unpackhi_epi8(t0, t1);
        const __m128i u2 = _mm_unpacklo_epi8(t2, t3), u3 = _mm_unpackhi_epi8(t2, t3);
        const __m128i w0 = _mm_unpacklo_epi8(u0, u1), w1 = _mm_unpackhi_epi8(u0, u1);
        const __m128i w2 = _mm_unpacklo_epi8(u2, u3), w3 = _mm_unpackhi_epi8(u2, u3);
        const auto store = [&](int plane, __m128i bytes) {
            _mm_storeu_si128(reinterpret_cast<__m128i*>(planes[plane] + i), bytes);
        };
        store(0, _mm_unpacklo_epi64(w0, w2));
        store(1, _mm_unpackhi_epi64(w0, w2));
        store(2, _mm_unpacklo_epi64(w1, w3));
        store(3, _mm_unpackhi_epi64(w1, w3));
    }
#endif
    for (; i < elements; ++i)
        for (std::size_t k = 0; k < kElementBytes; ++k)
            planes[k][i] = in[i * kElementBytes + k];
}

/// Gathers elements [first, first + count) of a shuffled buffer of `elements` elements; 16 at a
/// time with SSE2.
void unshuffle(const unsigned char* in, std::size_t elements, std::size_t first, std::size_t count,
               unsigned char* out) {
    const unsigned char* const planes[kElementBytes] = {
        in + first, in + elements + first, in + 2 * elements + first, in + 3 * elements + first};
    std::size_t i = 0;
#if defined(__SSE2__)
    for (; i + 16 <= count; i += 16) {
        const auto load = [&](int plane) {
            return _mm_loadu_si128(reinterpret_cast<const __m128i*>(planes[plane] + i));
        };
        const __m128i p0 = load(0), p1 = load(1), p2 = load(2), p3 = load(3);
        const __m128i lowPairs = _mm_unpacklo_epi8(p0, p1), highPairs = _mm_unpackhi_epi8(p0, p1);
        const __m128i lowTops = _mm_unpacklo_epi8(p2, p3), highTops = _mm_unpackhi_epi8(p2, p3);
        const auto store = [&](int part, __m128i bytes) {
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out + (i + 4 * part) * 4), bytes);
        };
        store(0, _mm_unpacklo_epi16(lowPairs, lowTops));
        store(1, _mm_unpackhi_epi16(lowPairs, lowTops));
        store(2, _mm_unpacklo_epi16(highPairs, highTops));
        store(3, _mm_unpackhi_epi16(highPairs, highTops));
    }
#endif
    for (; i < count; ++i)
        for (std::size_t k = 0; k < kElementBytes; ++k)
            out[i * kElementBytes + k] = planes[k][i];
}

/// A buffer kept by each thread between chunks, so that no chunk allocates it again.
Bytes& scratch(std::size_t bytes) {
    thread_local Bytes buffer;
    if (buffer.size() < bytes)
        buffer.resize(bytes);
    return buffer;
}

} // namespace

std::size_t encodeChunk(const unsigned char* chunk, std::size_t bytes, int level, Bytes& out) {
    Bytes& shuffled = scratch(bytes);
    shuffle(chunk, bytes / kElementBytes, shuffled.data());
    if (out.size() < maxEncodedBytes(bytes))
        out.resize(maxEncodedBytes(bytes));
    uLongf compressedBytes = uLongf(out.size());
    const int status =
        compress2(out.data(), &compressedBytes, shuffled.data(), uLong(bytes), level);
    if (status != Z_OK)
        throw std::runtime_error("zlib could not compress a chunk (error " +
                                 std::to_string(status) + ")");
    return compressedBytes;
}

std::size_t maxEncodedBytes(std::size_t chunkBytes) {
    return std::max<std::size_t>(chunkBytes, compressBound(uLong(chunkBytes)));
}

void decodeChunk(const unsigned char* stored, std::size_t storedBytes, ChunkFilters filters,
                 std::size_t chunkBytes, std::size_t firstElement, std::size_t elementCount,
                 unsigned char* out) {
    const unsigned char* raw = stored;
    if (filters.deflated) {
        Bytes& inflated = scratch(chunkBytes);
        uLongf inflatedBytes = uLongf(chunkBytes);
        const int status = uncompress(inflated.data(), &inflatedBytes, stored, uLong(storedBytes));
        if (status != Z_OK || inflatedBytes != chunkBytes)
            throw std::runtime_error("damaged compressed chunk (zlib: " +
                                     std::string(status == Z_OK ? "wrong size" : zError(status)) +
                                     ")");
        raw = inflated.data();
    } else if (storedBytes != chunkBytes) {
        throw std::runtime_error("damaged chunk: " + std::to_string(storedBytes) +
                                 " bytes stored, expected " + std::to_string(chunkBytes));
    }
    if (filters.shuffled)
        unshuffle(raw, chunkBytes / kElementBytes, firstElement, elementCount, out);
    else
        std::memcpy(out, raw + firstElement * kElementBytes, elementCount * kElementBytes);
}

} // namespace scenelens::store

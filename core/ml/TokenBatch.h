#pragma once
// Token ids of a batch of texts, as the models take them: [rows, cols] row-major, zero padded.

#include <cstdint>
#include <vector>

namespace scenelens {

struct TokenBatch {
    int rows = 0;                   ///< texts
    int cols = 0;                   ///< context length
    std::vector<std::int64_t> ids;  ///< rows * cols token ids, 0 after the last real token
    std::vector<std::uint8_t> mask; ///< rows * cols, 1 for real tokens, 0 for padding

    std::int64_t id(int row, int col) const { return ids[std::size_t(row) * cols + col]; }
    bool real(int row, int col) const { return mask[std::size_t(row) * cols + col] != 0; }
};

} // namespace scenelens

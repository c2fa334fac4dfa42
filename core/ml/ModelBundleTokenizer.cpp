#include "ml/ModelBundleTokenizer.h"

#include "ml/ClipTokenizer.h"
#include "ml/WordTokenizer.h"

#include <algorithm>
#include <optional>

namespace scenelens {

struct ModelBundleTokenizer::Impl {
    std::optional<ClipTokenizer> clip;
    std::optional<WordTokenizer> word;
};

ModelBundleTokenizer::ModelBundleTokenizer(const TokenizerSpec& spec)
    : spec_(spec), impl_(std::make_unique<Impl>()) {
    if (spec.type == "clip-bpe")
        impl_->clip = ClipTokenizer::fromFile(spec.vocabPath);
    else
        impl_->word = WordTokenizer::fromFile(spec.vocabPath, spec.contextLength);
}

ModelBundleTokenizer::ModelBundleTokenizer(ModelBundleTokenizer&&) noexcept = default;
ModelBundleTokenizer& ModelBundleTokenizer::operator=(ModelBundleTokenizer&&) noexcept = default;
ModelBundleTokenizer::~ModelBundleTokenizer() = default;

TokenBatch ModelBundleTokenizer::tokenize(const std::vector<std::string>& texts) const {
    return tokenize(texts, spec_.contextLength);
}

TokenBatch ModelBundleTokenizer::tokenize(const std::vector<std::string>& texts, int length) const {
    if (impl_->clip)
        return impl_->clip->tokenize(texts, length);
    // Word ids need no start/end tokens: cut or pad the ids to `length` (the word tokenizer's own
    // context may differ, e.g. the situation length of a qa model).
    TokenBatch batch;
    batch.rows = int(texts.size());
    batch.cols = length;
    batch.ids.assign(std::size_t(batch.rows) * std::size_t(length), 0);
    batch.mask.assign(batch.ids.size(), 0);
    for (int row = 0; row < batch.rows; ++row) {
        const std::vector<std::int64_t> ids = impl_->word->encode(texts[std::size_t(row)]);
        const int n = std::min<int>(int(ids.size()), length);
        for (int col = 0; col < n; ++col) {
            batch.ids[std::size_t(row) * std::size_t(length) + std::size_t(col)] =
                ids[std::size_t(col)];
            batch.mask[std::size_t(row) * std::size_t(length) + std::size_t(col)] = 1;
        }
    }
    return batch;
}

} // namespace scenelens

#pragma once
// The text tokenizer a bundle's manifest names ("clip-bpe" or "word"), behind one interface.

#include "ml/ModelBundle.h"
#include "ml/TokenBatch.h"

#include <memory>
#include <string>
#include <vector>

namespace scenelens {

class ModelBundleTokenizer {
public:
    /// Loads the vocabulary of spec; throws FileError when it cannot be read.
    explicit ModelBundleTokenizer(const TokenizerSpec& spec);
    ModelBundleTokenizer(ModelBundleTokenizer&&) noexcept;
    ModelBundleTokenizer& operator=(ModelBundleTokenizer&&) noexcept;
    ~ModelBundleTokenizer();

    /// [texts, length] ids and mask, zero padded; clip-bpe keeps its start/end tokens.
    TokenBatch tokenize(const std::vector<std::string>& texts, int length) const;
    /// The same at the manifest's context length.
    TokenBatch tokenize(const std::vector<std::string>& texts) const;
    const TokenizerSpec& spec() const { return spec_; }

private:
    struct Impl;
    TokenizerSpec spec_;
    std::unique_ptr<Impl> impl_;
};

} // namespace scenelens

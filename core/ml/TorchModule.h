#pragma once
// A bundle's TorchScript module loaded with LibTorch, behind a header without torch: plain
// Tensor in, plain Tensor out. Loading checks the methods the bundle kind needs and runs a tiny
// probe input through them, so a module that does not fit its manifest fails here with a
// message naming the output, its shape and the expected one.

#include "ml/ModelBundle.h"
#include "ml/Tensor.h"

#include <memory>
#include <string>
#include <vector>

namespace scenelens {

/// What LibTorch offers in this process.
struct RuntimeInfo {
    std::string torchVersion; ///< "1.13.0" (TORCH_VERSION_* of the headers built against)
    bool cudaAvailable = false;
    int cudaDeviceCount = 0;
    std::string device; ///< "cpu" or "cuda:0": where a module runs (or "auto" picks)
    int threads = 0;    ///< intra-op CPU threads
};

/// LibTorch facts without a module; `device` is what `request` resolves to. Throws
/// std::invalid_argument for a bad or unavailable device.
RuntimeInfo torchRuntimeInfo(const std::string& request = "auto");

class TorchModule {
public:
    /// Loads manifest.modulePath on `device` ("" = the manifest's), checks methods and output
    /// shapes. Throws FileError (module unreadable, method missing, contract broken) or
    /// std::invalid_argument (bad device string, CUDA asked for but absent).
    static TorchModule load(const BundleManifest& manifest, const std::string& device = {});

    TorchModule(TorchModule&&) noexcept;
    TorchModule& operator=(TorchModule&&) noexcept;
    ~TorchModule();

    /// scene-encoder / qa: forward(inputs...) -> its dictionary, contract-checked, on the CPU.
    TensorMap forward(const std::vector<Tensor>& inputs) const;
    /// clip: encode_text(tokens) or encode_image(images) -> [B, E].
    Tensor call(const std::string& method, const Tensor& input) const;

    const BundleManifest& manifest() const;
    const RuntimeInfo& runtime() const;
    /// Names of the module's methods (forward, encode_text, ...).
    std::vector<std::string> methods() const;
    long long parameterCount() const;
    /// K, the object tokens per scene (0 for clip), as the probe found it.
    int objectCount() const;

private:
    struct Impl;
    explicit TorchModule(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace scenelens

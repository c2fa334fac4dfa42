// The only translation unit that includes LibTorch (slow to compile; clashes with Qt keywords).

#include "ml/TorchModule.h"

#include "Error.h"
#include "ml/TensorContract.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/script.h>
#include <torch/version.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace scenelens {

namespace {

/// Sets LibTorch's intra-op threads to the hardware threads once per process: LibTorch's default
/// follows OMP_NUM_THREADS, which is often unset or 1 in desktop sessions.
void configureThreadsOnce() {
    static std::once_flag once;
    std::call_once(once, [] {
        const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
        at::set_num_threads(int(hardware));
    });
}

std::string torchVersionText() {
    return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
           std::to_string(TORCH_VERSION_PATCH);
}

/// c10::Error's message without its C++ backtrace, first line only.
std::string shortMessage(const c10::Error& e) {
    std::string text = e.what_without_backtrace();
    const std::size_t newline = text.find('\n');
    return newline == std::string::npos ? text : text.substr(0, newline);
}

torch::Device resolveDevice(const std::string& text) {
    const DeviceRequest request = parseDeviceRequest(text);
    const bool cuda = torch::cuda::is_available();
    switch (request.type) {
    case DeviceRequest::Type::Auto:
        return cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    case DeviceRequest::Type::Cpu:
        return torch::Device(torch::kCPU);
    case DeviceRequest::Type::Cuda:
        break;
    }
    const int count = cuda ? int(torch::cuda::device_count()) : 0;
    if (!cuda)
        throw std::invalid_argument("device '" + text + "' requested, but this LibTorch " +
                                    torchVersionText() + " has no usable CUDA device");
    if (request.index >= count)
        throw std::invalid_argument("device '" + text + "' requested, but only " +
                                    std::to_string(count) + " CUDA device(s) exist");
    return torch::Device(torch::kCUDA, c10::DeviceIndex(request.index));
}

RuntimeInfo describe(const torch::Device& device) {
    RuntimeInfo info;
    info.torchVersion = torchVersionText();
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDeviceCount = info.cudaAvailable ? int(torch::cuda::device_count()) : 0;
    info.device = device.str();
    info.threads = at::get_num_threads();
    return info;
}

at::Tensor toTorch(const Tensor& t, const torch::Device& device) {
    const std::size_t count = std::size_t(t.elementCount());
    at::Tensor cpu;
    switch (t.type) {
    case TensorType::Float32:
        if (t.floats.size() != count)
            throw std::invalid_argument("tensor " + t.shapeText() + " has the wrong value count");
        cpu =
            torch::from_blob(const_cast<float*>(t.floats.data()), t.shape, torch::kFloat32).clone();
        break;
    case TensorType::Int64:
        if (t.ints.size() != count)
            throw std::invalid_argument("tensor " + t.shapeText() + " has the wrong value count");
        cpu = torch::from_blob(const_cast<std::int64_t*>(t.ints.data()), t.shape, torch::kInt64)
                  .clone();
        break;
    case TensorType::Bool:
        if (t.bools.size() != count)
            throw std::invalid_argument("tensor " + t.shapeText() + " has the wrong value count");
        cpu = torch::from_blob(const_cast<std::uint8_t*>(t.bools.data()), t.shape, torch::kUInt8)
                  .to(torch::kBool);
        break;
    }
    return device.is_cpu() ? cpu : cpu.to(device);
}

Tensor fromTorch(const at::Tensor& value) {
    at::Tensor t = value.detach().to(torch::kCPU).contiguous();
    Tensor out;
    out.shape.assign(t.sizes().begin(), t.sizes().end());
    const std::size_t count = std::size_t(t.numel());
    if (t.scalar_type() == torch::kBool) {
        out.type = TensorType::Bool;
        t = t.to(torch::kUInt8);
        out.bools.assign(t.data_ptr<std::uint8_t>(), t.data_ptr<std::uint8_t>() + count);
    } else if (at::isFloatingType(t.scalar_type())) {
        out.type = TensorType::Float32;
        t = t.to(torch::kFloat32);
        out.floats.assign(t.data_ptr<float>(), t.data_ptr<float>() + count);
    } else {
        out.type = TensorType::Int64;
        t = t.to(torch::kInt64);
        out.ints.assign(t.data_ptr<std::int64_t>(), t.data_ptr<std::int64_t>() + count);
    }
    return out;
}

/// Deterministic points for the load-time probe: a small room's worth of xyz, mid-grey colours.
Tensor probePoints(const PointInputSpec& input) {
    const int n = std::min(input.numPoints, 256);
    const int c = input.channelCount();
    std::vector<float> values(std::size_t(n) * std::size_t(c));
    std::uint32_t state = 12345u;
    auto next = [&state] {
        state = state * 1664525u + 1013904223u;
        return float(state >> 8) / float(1u << 24);
    };
    for (int i = 0; i < n; ++i) {
        float* row = values.data() + std::size_t(i) * std::size_t(c);
        int col = 0;
        for (const std::string& channel : input.channels) {
            if (channel == "xyz") {
                row[col] = 4.f * next();
                row[col + 1] = 4.f * next();
                row[col + 2] = 2.5f * next();
                col += 3;
            } else if (channel == "height") {
                row[col++] = 2.5f * next();
            } else if (channel == "normal") {
                row[col + 2] = 1.f;
                col += 3;
            } else {
                for (int k = 0; k < 3; ++k)
                    row[col + k] = 0.1f * next();
                col += 3;
            }
        }
    }
    return Tensor::float32({1, n, c}, std::move(values));
}

} // namespace

RuntimeInfo torchRuntimeInfo(const std::string& request) {
    configureThreadsOnce();
    return describe(resolveDevice(request));
}

struct TorchModule::Impl {
    BundleManifest manifest;
    RuntimeInfo runtime;
    torch::Device device{torch::kCPU};
    mutable torch::jit::Module module;
    int objectCount = 0;

    TensorMap forward(const std::vector<Tensor>& inputs) const {
        if (inputs.empty() || inputs.front().shape.empty())
            throw std::invalid_argument("forward needs a batched first input");
        torch::NoGradGuard noGrad;
        std::vector<torch::jit::IValue> values;
        for (const Tensor& input : inputs)
            values.emplace_back(toTorch(input, device));
        torch::jit::IValue result;
        try {
            result = module.forward(values);
        } catch (const c10::Error& e) {
            throw std::runtime_error(manifest.modulePath + ": forward failed: " + shortMessage(e));
        }
        if (!result.isGenericDict())
            throw FileError(manifest.modulePath, "",
                            std::string(bundleKindName(manifest.kind)) +
                                " forward must return Dict[str, Tensor], got " + result.tagKind());
        TensorMap outputs;
        for (const auto& item : result.toGenericDict()) {
            if (!item.key().isString() || !item.value().isTensor())
                throw FileError(manifest.modulePath, "",
                                "forward must return Dict[str, Tensor], got an entry of " +
                                    item.key().tagKind() + " -> " + item.value().tagKind());
            outputs[item.key().toStringRef()] = fromTorch(item.value().toTensor());
        }
        checkModuleOutputs(manifest, outputs, inputs.front().shape.front());
        return outputs;
    }

    Tensor call(const std::string& name, const Tensor& input) const {
        if (input.shape.empty())
            throw std::invalid_argument(name + " needs a batched input");
        torch::NoGradGuard noGrad;
        torch::jit::IValue result;
        try {
            result = module.get_method(name)({toTorch(input, device)});
        } catch (const c10::Error& e) {
            throw std::runtime_error(manifest.modulePath + ": " + name +
                                     " failed: " + shortMessage(e));
        }
        if (!result.isTensor())
            throw FileError(manifest.modulePath, "",
                            name + " must return a Tensor, got " + result.tagKind());
        Tensor output = fromTorch(result.toTensor());
        checkEmbeddingOutput(manifest, name, output, input.shape.front());
        return output;
    }

    /// Runs each method the kind needs on a one-element batch and checks the outputs.
    void probe() {
        const BundleManifest& m = manifest;
        if (m.kind == BundleKind::Clip) {
            const int length = m.tokenizer->contextLength;
            std::vector<std::int64_t> tokens(std::size_t(length), 0);
            // A short real text: start and end tokens for clip-bpe, one unknown word otherwise.
            if (m.tokenizer->type == "clip-bpe") {
                tokens[0] = 49406;
                tokens[1] = 49407;
            } else {
                tokens[0] = 1;
            }
            call("encode_text", Tensor::int64({1, length}, tokens));
            const int size = m.image.size;
            call("encode_image", Tensor::float32({1, 3, size, size},
                                                 std::vector<float>(3 * std::size_t(size) * size)));
            return;
        }
        std::vector<Tensor> inputs{probePoints(*m.input)};
        if (m.kind == BundleKind::Qa) {
            const int length = std::min(4, m.tokenizer->contextLength);
            std::vector<std::int64_t> question(std::size_t(length), 1);
            inputs.push_back(Tensor::int64({1, length}, question));
            inputs.push_back(Tensor::boolean({1, length}, std::vector<std::uint8_t>(length, 1)));
            inputs.push_back(Tensor::int64({1, 1}, {0}));
            inputs.push_back(Tensor::boolean({1, 1}, {0}));
        }
        objectCount = checkModuleOutputs(m, forward(inputs), 1);
    }
};

TorchModule::TorchModule(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TorchModule::TorchModule(TorchModule&&) noexcept = default;
TorchModule& TorchModule::operator=(TorchModule&&) noexcept = default;
TorchModule::~TorchModule() = default;

TorchModule TorchModule::load(const BundleManifest& manifest, const std::string& device) {
    configureThreadsOnce();
    auto impl = std::make_unique<Impl>();
    impl->manifest = manifest;
    impl->device = resolveDevice(device.empty() ? manifest.device : device);
    impl->runtime = describe(impl->device);
    try {
        impl->module = torch::jit::load(manifest.modulePath, impl->device);
    } catch (const c10::Error& e) {
        throw FileError(manifest.modulePath, "",
                        "not a loadable TorchScript module: " + shortMessage(e));
    }
    impl->module.eval();
    std::vector<std::string> needed{"forward"};
    if (manifest.kind == BundleKind::Clip)
        needed = {"encode_text", "encode_image"};
    for (const std::string& method : needed)
        if (!impl->module.find_method(method))
            throw FileError(manifest.modulePath, "",
                            std::string(bundleKindName(manifest.kind)) + " module lacks method '" +
                                method + "'");
    try {
        impl->probe();
    } catch (const FileError&) {
        throw;
    } catch (const std::exception& e) {
        throw FileError(manifest.modulePath, "",
                        std::string("the load-time probe failed: ") + e.what());
    }
    return TorchModule(std::move(impl));
}

TensorMap TorchModule::forward(const std::vector<Tensor>& inputs) const {
    return impl_->forward(inputs);
}

Tensor TorchModule::call(const std::string& method, const Tensor& input) const {
    return impl_->call(method, input);
}

const BundleManifest& TorchModule::manifest() const {
    return impl_->manifest;
}
const RuntimeInfo& TorchModule::runtime() const {
    return impl_->runtime;
}
int TorchModule::objectCount() const {
    return impl_->objectCount;
}

std::vector<std::string> TorchModule::methods() const {
    std::vector<std::string> names;
    for (const auto& method : impl_->module.get_methods())
        names.push_back(method.name());
    return names;
}

long long TorchModule::parameterCount() const {
    long long count = 0;
    for (const at::Tensor& p : impl_->module.parameters())
        count += p.numel();
    return count;
}

} // namespace scenelens

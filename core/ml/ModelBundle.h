#pragma once
// The manifest (bundle.json) of a model bundle folder, read and validated without LibTorch.
// Format and tensor contracts: docs/model-bundles.md.

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace scenelens {

enum class BundleKind { SceneEncoder, Qa, Clip };

/// "scene-encoder", "qa", "clip".
const char* bundleKindName(BundleKind kind);

/// How points are fed to scene-encoder and qa models.
struct PointInputSpec {
    int numPoints = 0;                 ///< N
    std::vector<std::string> channels; ///< in order; each "xyz", "rgb", "normal" or "height"
    std::array<float, 3> rgbMean{109.8f, 97.2f, 83.8f}; ///< rgb_in = (rgb255 - mean) / scale
    float rgbScale = 256.f;

    /// C: 3 per xyz/rgb/normal, 1 for height.
    int channelCount() const;
};

struct TokenizerSpec {
    std::string type;      ///< "clip-bpe" or "word"
    std::string vocabPath; ///< resolved: absolute, or relative to the bundle folder
    int contextLength = 0;
};

/// CLIP image normalisation; CLIP's values when the manifest has no "image" key.
struct ImageSpec {
    int size = 224;
    std::array<float, 3> mean{0.48145466f, 0.4578275f, 0.40821073f};
    std::array<float, 3> std{0.26862954f, 0.26130258f, 0.27577711f};
};

struct BundleManifest {
    std::string directory;    ///< the bundle folder as given
    std::string manifestPath; ///< <directory>/bundle.json
    BundleKind kind = BundleKind::SceneEncoder;
    std::string name;
    std::string modulePath; ///< resolved TorchScript file
    std::string device = "auto";
    std::string embeddingSpace;
    int embeddingDim = 0;
    std::optional<PointInputSpec> input;    ///< scene-encoder, qa
    std::optional<TokenizerSpec> tokenizer; ///< qa, clip
    std::vector<std::string> answers;       ///< qa: loaded answer vocabulary
    std::string answersPath;                ///< qa: resolved answers file
    bool situated = false;                  ///< qa
    std::vector<std::string> classes;       ///< detection classes (may be empty for qa)
    std::optional<int> numObjects;          ///< K, when the manifest states it
    std::optional<int> featureDim;          ///< F, when the manifest states it
    int situationLength = 0;                ///< qa: S (defaults to the tokenizer's context)
    ImageSpec image;                        ///< clip
    std::optional<long long> parameters;    ///< modelkit.parameters (informational)
};

/// Where to run a module: "auto" (CUDA when available, else CPU), "cpu", "cuda" or "cuda:<i>".
struct DeviceRequest {
    enum class Type { Auto, Cpu, Cuda };
    Type type = Type::Auto;
    int index = 0; ///< CUDA device ordinal
};

/// Parses a device string; throws std::invalid_argument with the accepted forms otherwise.
DeviceRequest parseDeviceRequest(const std::string& text);

/// A manifest and the keys the loader did not know (one line each, for the user to see).
struct ManifestReading {
    BundleManifest manifest;
    std::vector<std::string> warnings;
};

/// Reads <bundleDir>/bundle.json, checks required keys, types and the files it names (module,
/// vocabulary, answers) and loads the answer list. Throws FileError naming the file and the key
/// ("…/bundle.json: missing key 'kind'"), the line/column of bad JSON, or the missing path.
ManifestReading readBundleManifest(const std::string& bundleDir);

} // namespace scenelens

#pragma once
// What every headless subcommand shares: option parsing, number parsing with usage errors, console
// progress, and the error-to-exit-code boundary.

#include "Progress.h"
#include "scene/Scene.h"

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

namespace scenelens {
class TorchModule;
enum class BundleKind;
} // namespace scenelens

namespace scenelens::cli {

/// A subcommand's parsed options: flags take no value, the others one (the last one given) or, for
/// `repeatable` options, every value in order.
struct Arguments {
    std::map<std::string, std::string> values;
    std::map<std::string, std::vector<std::string>> lists;
    std::set<std::string> flags;

    std::optional<std::string> value(const std::string& name) const;
    std::vector<std::string> all(const std::string& name) const;
    bool flag(const std::string& name) const { return flags.count(name) > 0; }
};

/// A mistake on the command line: reported with the usage text and exit code 2.
class UsageError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Parses argv[2..]; throws UsageError for unknown options or missing values.
Arguments parse(int argc, char** argv, const std::set<std::string>& valued,
                const std::set<std::string>& flags, const std::set<std::string>& repeatable = {});

std::string required(const Arguments& args, const std::string& name);

/// A whole number in [min, max] given for option `name`.
long long parseCount(const std::string& text, const std::string& name, long long max,
                     long long min = 1);

/// A finite number given for option `name`.
double parseNumber(const std::string& text, const std::string& name);

/// The scene of `--scene DIR`, with `--labels TSV` when given.
Scene readScene(const Arguments& args);
Scene readScene(const std::string& path, const Arguments& args);

/// The --bundle module on --device (printing the manifest's warnings); throws unless the bundle
/// is of the `expected` kind, and UsageError for a device this machine lacks.
TorchModule loadBundle(const char* command, const Arguments& args, BundleKind expected);

/// --seed, 0 when absent.
std::uint64_t seedOf(const Arguments& args);

/// Progress on stderr: one line per phase, updated in place on a terminal.
class ConsoleProgress : public ProgressSink {
public:
    void report(std::string_view phase, double fraction) override;
    ~ConsoleProgress() override;

private:
    std::string phase_;
    int percent_ = -1;
    bool first_ = true;
};

const char* usage();

/// Runs a subcommand body, turning every error into a message and an exit code.
template <typename Body> int guarded(const char* command, Body&& body) {
    try {
        return body();
    } catch (const UsageError& e) {
        std::fprintf(stderr, "scenelens %s: %s\n\n%s", command, e.what(), usage());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "scenelens %s: %s\n", command, e.what());
        return 1;
    }
}

} // namespace scenelens::cli

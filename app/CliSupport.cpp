#include "CliSupport.h"

#include "scene/ScanNetSceneReader.h"

#include <charconv>
#include <cmath>

#include <unistd.h>

namespace scenelens::cli {

std::optional<std::string> Arguments::value(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional(it->second);
}

std::vector<std::string> Arguments::all(const std::string& name) const {
    auto it = lists.find(name);
    return it == lists.end() ? std::vector<std::string>() : it->second;
}

Arguments parse(int argc, char** argv, const std::set<std::string>& valued,
                const std::set<std::string>& flags, const std::set<std::string>& repeatable) {
    Arguments args;
    for (int i = 2; i < argc; ++i) {
        const std::string name = argv[i];
        if (flags.count(name)) {
            args.flags.insert(name);
        } else if (valued.count(name) || repeatable.count(name)) {
            if (i + 1 >= argc)
                throw UsageError(name + " needs a value");
            args.values[name] = argv[++i];
            if (repeatable.count(name))
                args.lists[name].push_back(argv[i]);
        } else {
            throw UsageError("unknown option '" + name + "'");
        }
    }
    return args;
}

std::string required(const Arguments& args, const std::string& name) {
    if (auto value = args.value(name))
        return *value;
    throw UsageError(name + " is required");
}

long long parseCount(const std::string& text, const std::string& name, long long max,
                     long long min) {
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < min || value > max)
        throw UsageError(name + " must be a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", got '" + text + "'");
    return value;
}

double parseNumber(const std::string& text, const std::string& name) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(value))
        throw UsageError(name + " must be a number, got '" + text + "'");
    return value;
}

Scene readScene(const std::string& path, const Arguments& args) {
    ScanNetSceneReader::Options options;
    options.labelTablePath = args.value("--labels").value_or("");
    return ScanNetSceneReader(options).read(path);
}

Scene readScene(const Arguments& args) {
    return readScene(required(args, "--scene"), args);
}

void ConsoleProgress::report(std::string_view phase, double fraction) {
    const int percent = int(fraction * 100.0);
    if (phase == phase_ && percent == percent_)
        return;
    const bool newPhase = phase != phase_;
    phase_ = phase;
    percent_ = percent;
    if (isatty(fileno(stderr)))
        std::fprintf(stderr, "%s%s %3d%%", newPhase && !first_ ? "\n" : "\r", phase_.c_str(),
                     percent);
    else if (newPhase)
        std::fprintf(stderr, "%s\n", phase_.c_str());
    first_ = false;
}

ConsoleProgress::~ConsoleProgress() {
    if (!first_ && isatty(fileno(stderr)))
        std::fputc('\n', stderr);
}

} // namespace scenelens::cli

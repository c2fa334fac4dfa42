#pragma once
// Errors at the boundaries of core: what went wrong, in which file, where, and what was expected.

#include <stdexcept>
#include <string>

namespace scenelens {

/// An input file could not be used. what() reads "<file>: <where>: <message>", e.g.
/// "scene0000_00_vh_clean_2.ply: byte 1024: truncated binary body: expected 81369 vertices".
class FileError : public std::runtime_error {
public:
    /// where: "byte 1024", "line 12", "line 3, column 7" or empty when the whole file is at fault.
    FileError(std::string file, std::string where, const std::string& message);

    const std::string& file() const { return file_; }
    const std::string& where() const { return where_; }

private:
    std::string file_;
    std::string where_;
};

/// The user cancelled a long operation through its ProgressSink.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

} // namespace scenelens

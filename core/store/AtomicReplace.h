#pragma once
// Private to core/store: replacing a file so that a crash at any moment leaves either the old or
// the new version, and cleaning up after writers that were killed.

#include <string>

namespace scenelens::store {

/// "<target>.saving-<pid>-<n>", unique within this process.
std::string temporaryPathFor(const std::string& target);

/// Removes "<target>.saving-<pid>-*" files whose process no longer exists.
void removeStaleTemporaries(const std::string& target);

/// Flushes temporary to disk, renames it over target and flushes the folder, so that the rename
/// survives a power cut. Throws FileError naming target when a step fails.
void replaceDurably(const std::string& temporary, const std::string& target);

} // namespace scenelens::store

#pragma once
// Private to core/store: what ProjectStore and ProjectWriter share about an open project file.

#include "store/Hdf5.h"
#include "store/ProjectStore.h"

#include <string>

namespace scenelens::store {

/// Root attributes and top-level groups of the schema (docs/project-files.md).
inline constexpr const char* kFormatName = "scenelens-project";
inline constexpr const char* kScenesGroup = "scenes";
inline constexpr const char* kEmbeddingsGroup = "embeddings";
inline constexpr const char* kProjectionsGroup = "projections";
inline constexpr const char* kSessionGroup = "session";

struct ProjectStore::Impl {
    std::string path;
    h5::Handle file;
    int formatVersion = 0;
};

} // namespace scenelens::store

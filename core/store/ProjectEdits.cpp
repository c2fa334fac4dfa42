// appendSet, replaceSet, deleteSet: a new version of the file with one set changed, everything
// else copied as stored.

#include "store/ProjectStore.h"

#include <filesystem>
#include <optional>
#include <stdexcept>

namespace scenelens::store {

namespace {

enum class Edit { Append, Replace, Delete };

/// Writes path's next version: its scenes, sets (the named one replaced by `set`, or dropped when
/// set is null), projections and session.
void rewrite(const std::string& path, Edit edit, const std::string& name,
             const embed::EmbeddingSet* set, const StorageOptions& options) {
    std::optional<ProjectStore> old;
    if (edit == Edit::Delete || std::filesystem::exists(path))
        old.emplace(path);
    const bool present = old && old->hasSet(name);
    if (edit == Edit::Append && present)
        throw std::invalid_argument("set '" + name + "' already exists in " + path +
                                    "; replace it or choose another name");
    if (edit == Edit::Delete && !present)
        throw std::invalid_argument("no set '" + name + "' in " + path);

    ProjectWriter writer(path, options);
    bool written = false;
    if (old) {
        for (const StoredScene& scene : old->scenes())
            writer.writeScene(scene);
        for (const SetInfo& info : old->sets()) {
            if (info.name != name) {
                writer.copySet(*old, info.name);
            } else if (set) {
                writer.writeSet(*set);
                written = true;
            }
        }
        for (const std::string& projection : old->projectionNames())
            writer.copyProjection(*old, projection);
        const std::string session = old->session();
        if (!session.empty())
            writer.writeSession(session);
    }
    if (set && !written)
        writer.writeSet(*set);
    writer.commit();
}

} // namespace

void appendSet(const std::string& path, const embed::EmbeddingSet& set, StorageOptions options) {
    rewrite(path, Edit::Append, set.name, &set, options);
}

void replaceSet(const std::string& path, const embed::EmbeddingSet& set, StorageOptions options) {
    rewrite(path, Edit::Replace, set.name, &set, options);
}

void deleteSet(const std::string& path, const std::string& name, StorageOptions options) {
    rewrite(path, Edit::Delete, name, nullptr, options);
}

} // namespace scenelens::store

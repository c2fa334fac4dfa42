#pragma once
// The app's state as one value: what a project file (*.slh5) holds and what the app rebuilds from
// it. Scenes are kept as the paths they were loaded from; embedding sets and projections are
// stored whole, so a project opens without the files they were imported from.

#include "Progress.h"
#include "embed/EmbeddingSet.h"
#include "embed/PlotData.h"
#include "scene/CameraPose.h"
#include "scene/SceneViewOptions.h"
#include "store/ProjectStore.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace scenelens {

struct Scene;

struct Session {
    std::vector<store::StoredScene> scenes; ///< loaded scenes, the shown one included
    std::string currentScene;               ///< id of the scene shown, "" when none
    std::vector<std::string> modelBundles;  ///< folders of the loaded model bundles
    /// Unique names; projections refer to them.
    std::vector<std::shared_ptr<const embed::EmbeddingSet>> sets;
    /// Unique names; each refers to sets by name and carries its view's settings (viewState).
    std::vector<store::StoredProjection> projections;
    std::vector<int> selectedObjects; ///< objectIds in the current scene, ascending
    std::optional<CameraPose> camera; ///< of the current scene's view
    std::vector<CameraBookmark> bookmarks;
    SceneViewOptions viewOptions;
    std::string windowLayout; ///< opaque (the window's dock layout), "" when none
};

/// How a project refers to a loaded scene: its id, where it was read from and its alignment.
store::StoredScene storedSceneOf(const Scene& scene);

/// Writes `session` to `path` atomically (a crash leaves the previous file intact). Throws
/// FileError, or std::invalid_argument when the session is inconsistent: duplicate set or
/// projection names, a projection naming a missing set or whose rows differ from its sets'.
void saveSession(const Session& session, const std::string& path, ProgressSink* progress = nullptr,
                 const store::StorageOptions& options = {});

/// Reads a project file. A scene folder that no longer exists but lies where it was relative to
/// the project file (the project moved together with its scans) is found there. Throws FileError
/// naming the file when it cannot be read or is inconsistent (a projection naming a missing set,
/// malformed session state).
Session loadSession(const std::string& path, ProgressSink* progress = nullptr);

/// The session's sets whose rows, in this order, a projection shows. Throws std::invalid_argument
/// when one is missing or their rows differ from the projection's.
std::vector<std::shared_ptr<const embed::EmbeddingSet>>
projectionInputs(const Session& session, const store::StoredProjection& projection);

/// The plot a projection shows, from its projectionInputs(): the sets' rows (concatenated when
/// there are several) with the projection's coordinates.
embed::PlotData plotOf(const std::vector<std::shared_ptr<const embed::EmbeddingSet>>& inputs,
                       const store::StoredProjection& projection);

/// A projection record for `plot`, whose rows are those of `inputSets` (by name) in order.
store::StoredProjection storedProjection(const embed::PlotData& plot, std::string name,
                                         std::vector<std::string> inputSets,
                                         std::string viewState = {});

} // namespace scenelens

#include "Session.h"

#include "scene/Scene.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

namespace scenelens {

namespace {

using nlohmann::json;

/// Fraction of the save or load spent on sets (the rest is small attributes).
constexpr double kSetShare = 0.95;

json toJson(const CameraPose& pose) {
    return {{"position", pose.position},
            {"focal_point", pose.focalPoint},
            {"view_up", pose.viewUp},
            {"view_angle", pose.viewAngle}};
}

CameraPose cameraFromJson(const json& j) {
    CameraPose pose;
    j.at("position").get_to(pose.position);
    j.at("focal_point").get_to(pose.focalPoint);
    j.at("view_up").get_to(pose.viewUp);
    j.at("view_angle").get_to(pose.viewAngle);
    return pose;
}

/// Everything but scenes, sets and projections, which have their own groups in the file, plus
/// where the file was written (to find scenes again after the project folder moved).
std::string stateJson(const Session& session, const std::string& projectPath) {
    json bookmarks = json::array();
    for (const CameraBookmark& bookmark : session.bookmarks)
        bookmarks.push_back({{"name", bookmark.name}, {"camera", toJson(bookmark.pose)}});
    json state = {{"current_scene", session.currentScene},
                  {"model_bundles", session.modelBundles},
                  {"selected_objects", session.selectedObjects},
                  {"bookmarks", bookmarks},
                  {"view",
                   {{"color_by", std::string(toString(session.viewOptions.colorBy))},
                    {"show_boxes", session.viewOptions.showBoxes}}},
                  {"window_layout", session.windowLayout},
                  {"project_path", projectPath}};
    if (session.camera)
        state["camera"] = toJson(*session.camera);
    return state.dump();
}

/// Scenes whose folder is gone but that lie where they were relative to the project file: a
/// project moved or copied together with its scans (another machine, a colleague) still opens
/// them. Paths that exist, or whose relocated path does not, are kept as they are.
void relocateScenes(std::vector<store::StoredScene>& scenes, const std::string& savedAt,
                    const std::string& openedAt) {
    namespace fs = std::filesystem;
    const fs::path from = fs::path(savedAt).parent_path(), to = fs::path(openedAt).parent_path();
    std::error_code error;
    for (store::StoredScene& scene : scenes) {
        if (scene.sourcePath.empty() || fs::exists(scene.sourcePath, error))
            continue;
        const fs::path relative = fs::path(scene.sourcePath).lexically_relative(from);
        if (relative.empty())
            continue;
        const fs::path moved = (fs::absolute(to, error) / relative).lexically_normal();
        if (fs::exists(moved, error))
            scene.sourcePath = moved.string();
    }
}

void readState(const std::string& text, Session& session, const std::string& openedAt) {
    if (text.empty())
        return;
    const json state = json::parse(text);
    state.at("current_scene").get_to(session.currentScene);
    state.at("model_bundles").get_to(session.modelBundles);
    state.at("selected_objects").get_to(session.selectedObjects);
    for (const json& bookmark : state.at("bookmarks"))
        session.bookmarks.push_back(
            {bookmark.at("name").get<std::string>(), cameraFromJson(bookmark.at("camera"))});
    const json& view = state.at("view");
    const auto colorBy = parseSceneColorMode(view.at("color_by").get<std::string>());
    if (!colorBy)
        throw std::invalid_argument("unknown colour mode '" + view.at("color_by").dump() + "'");
    session.viewOptions.colorBy = *colorBy;
    view.at("show_boxes").get_to(session.viewOptions.showBoxes);
    state.at("window_layout").get_to(session.windowLayout);
    if (state.contains("camera"))
        session.camera = cameraFromJson(state.at("camera"));
    if (state.contains("project_path"))
        relocateScenes(session.scenes, state.at("project_path").get<std::string>(), openedAt);
}

/// Where set `index` of `count` starts in the whole job's progress.
double setShare(std::size_t index, std::size_t count) {
    return kSetShare * double(index) / double(std::max<std::size_t>(count, 1));
}

using SetsByName = std::map<std::string, std::shared_ptr<const embed::EmbeddingSet>>;

SetsByName setsByName(const Session& session) {
    SetsByName byName;
    for (const auto& set : session.sets)
        if (!byName.emplace(set->name, set).second)
            throw std::invalid_argument("the session holds two embedding sets named '" + set->name +
                                        "'");
    return byName;
}

/// The sets a projection names, in its order; throws naming the first that is missing.
std::vector<std::shared_ptr<const embed::EmbeddingSet>>
inputsOf(const SetsByName& byName, const store::StoredProjection& projection) {
    std::vector<std::shared_ptr<const embed::EmbeddingSet>> inputs;
    std::int64_t rows = 0;
    for (const std::string& name : projection.inputSets) {
        const auto found = byName.find(name);
        if (found == byName.end())
            throw std::invalid_argument("projection '" + projection.name +
                                        "' refers to a missing embedding set '" + name + "'");
        inputs.push_back(found->second);
        rows += found->second->rows;
    }
    if (inputs.empty())
        throw std::invalid_argument("projection '" + projection.name + "' names no input set");
    if (rows != projection.rows)
        throw std::invalid_argument("projection '" + projection.name + "' has " +
                                    std::to_string(projection.rows) +
                                    " rows but its input sets have " + std::to_string(rows));
    return inputs;
}

void checkConsistent(const Session& session) {
    const auto byName = setsByName(session);
    std::set<std::string> names;
    for (const store::StoredProjection& projection : session.projections) {
        if (!names.insert(projection.name).second)
            throw std::invalid_argument("the session holds two projections named '" +
                                        projection.name + "'");
        inputsOf(byName, projection);
    }
}

} // namespace

store::StoredScene storedSceneOf(const Scene& scene) {
    store::StoredScene stored{scene.id, scene.sourcePath, {}};
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
            stored.axisAlignment[std::size_t(4 * r + c)] = scene.axisAlignment(r, c);
    return stored;
}

void saveSession(const Session& session, const std::string& path, ProgressSink* progress,
                 const store::StorageOptions& options) {
    checkConsistent(session);
    store::ProjectWriter writer(path, options);
    for (const store::StoredScene& scene : session.scenes)
        writer.writeScene(scene);
    for (std::size_t i = 0; i < session.sets.size(); ++i) {
        ProgressRange share(progress, setShare(i, session.sets.size()),
                            setShare(i + 1, session.sets.size()));
        writer.writeSet(*session.sets[i], &share);
    }
    checkpoint(progress, "writing projections", kSetShare);
    for (const store::StoredProjection& projection : session.projections)
        writer.writeProjection(projection);
    writer.writeSession(stateJson(session, std::filesystem::absolute(path).string()));
    checkpoint(progress, "saving", 0.99);
    writer.commit();
}

Session loadSession(const std::string& path, ProgressSink* progress) {
    const store::ProjectStore file(path);
    Session session;
    session.scenes = file.scenes();
    const std::vector<store::SetInfo> sets = file.sets();
    for (std::size_t i = 0; i < sets.size(); ++i) {
        ProgressRange share(progress, setShare(i, sets.size()), setShare(i + 1, sets.size()));
        session.sets.push_back(
            std::make_shared<const embed::EmbeddingSet>(file.readSet(sets[i].name, &share)));
    }
    checkpoint(progress, "reading projections", kSetShare);
    for (const std::string& name : file.projectionNames())
        session.projections.push_back(file.readProjection(name));
    try {
        readState(file.session(), session, path);
        checkConsistent(session);
    } catch (const std::exception& e) {
        // json errors and inconsistencies alike: the file is at fault, not the caller.
        throw FileError(path, "", std::string("damaged session: ") + e.what());
    }
    return session;
}

std::vector<std::shared_ptr<const embed::EmbeddingSet>>
projectionInputs(const Session& session, const store::StoredProjection& projection) {
    return inputsOf(setsByName(session), projection);
}

embed::PlotData plotOf(const std::vector<std::shared_ptr<const embed::EmbeddingSet>>& inputs,
                       const store::StoredProjection& projection) {
    embed::PlotData plot;
    if (inputs.size() == 1) {
        plot.points = *inputs.front();
    } else {
        std::vector<const embed::EmbeddingSet*> sets;
        for (const auto& set : inputs)
            sets.push_back(set.get());
        plot.points = embed::concatenateSets(sets);
    }
    if (projection.options.centreModalities)
        embed::centreModalities(plot.points);
    plot.coords = projection.coords;
    plot.coordDims = projection.dims;
    plot.title = projection.title;
    plot.projection = projection.options;
    plot.projectionDetails = projection.details;
    plot.metrics = projection.metrics;
    return plot;
}

store::StoredProjection storedProjection(const embed::PlotData& plot, std::string name,
                                         std::vector<std::string> inputSets,
                                         std::string viewState) {
    store::StoredProjection projection;
    projection.name = std::move(name);
    projection.inputSets = std::move(inputSets);
    projection.coords = plot.coords;
    projection.rows = plot.rows();
    projection.dims = plot.coordDims;
    projection.options = plot.projection;
    projection.title = plot.title;
    projection.details = plot.projectionDetails;
    projection.metrics = plot.metrics;
    projection.viewState = std::move(viewState);
    return projection;
}

} // namespace scenelens

#pragma once
// QSettings keys in one place: what the app remembers between runs.

#include "scene/SceneViewOptions.h"

#include <QSettings>
#include <QStringList>

namespace scenelens::settings {

constexpr int kMaxRecentScenes = 10;

SceneViewOptions loadSceneViewOptions(const QSettings& settings);
void saveSceneViewOptions(QSettings& settings, const SceneViewOptions& options);

QStringList recentScenes(const QSettings& settings);
/// Puts `path` first, drops duplicates and paths beyond kMaxRecentScenes.
void addRecentScene(QSettings& settings, const QString& path);
void clearRecentScenes(QSettings& settings);

QString lastDirectory(const QSettings& settings);
void setLastDirectory(QSettings& settings, const QString& dir);

} // namespace scenelens::settings

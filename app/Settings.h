#pragma once
// QSettings keys in one place: what the app remembers between runs.

#include "scene/SceneViewOptions.h"

#include <QSettings>
#include <QStringList>

namespace scenelens::settings {

constexpr int kMaxRecentFiles = 10;

/// The File menu's lists of recently opened files.
enum class RecentList { Scenes, Projects };

SceneViewOptions loadSceneViewOptions(const QSettings& settings);
void saveSceneViewOptions(QSettings& settings, const SceneViewOptions& options);

QStringList recentFiles(const QSettings& settings, RecentList list);
/// Puts `path` first, drops duplicates and paths beyond kMaxRecentFiles.
void addRecentFile(QSettings& settings, RecentList list, const QString& path);
void clearRecentFiles(QSettings& settings, RecentList list);

/// Minutes between autosaves of a modified project to the recovery file (default 3; 0: never).
int autosaveMinutes(const QSettings& settings);
void setAutosaveMinutes(QSettings& settings, int minutes);

QString lastDirectory(const QSettings& settings);
void setLastDirectory(QSettings& settings, const QString& dir);

} // namespace scenelens::settings

#include "Settings.h"

#include <QDir>

#include <algorithm>

namespace scenelens::settings {

namespace {
const QString kColorBy = QStringLiteral("view/colorBy");
const QString kShowBoxes = QStringLiteral("view/showBoxes");
const QString kAutosave = QStringLiteral("project/autosaveMinutes");
const QString kLastDir = QStringLiteral("scenes/lastDirectory");
} // namespace

SceneViewOptions loadSceneViewOptions(const QSettings& settings) {
    SceneViewOptions options;
    const QByteArray mode = settings.value(kColorBy, QStringLiteral("rgb")).toString().toUtf8();
    options.colorBy = parseSceneColorMode(mode.toStdString()).value_or(SceneColorMode::Rgb);
    options.showBoxes = settings.value(kShowBoxes, false).toBool();
    return options;
}

void saveSceneViewOptions(QSettings& settings, const SceneViewOptions& options) {
    const std::string_view mode = toString(options.colorBy);
    settings.setValue(kColorBy, QString::fromUtf8(mode.data(), qsizetype(mode.size())));
    settings.setValue(kShowBoxes, options.showBoxes);
}

static QString recentKey(RecentList list) {
    return list == RecentList::Scenes ? QStringLiteral("scenes/recent")
                                      : QStringLiteral("projects/recent");
}

QStringList recentFiles(const QSettings& settings, RecentList list) {
    return settings.value(recentKey(list)).toStringList();
}

void addRecentFile(QSettings& settings, RecentList list, const QString& path) {
    QStringList recent = recentFiles(settings, list);
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecentFiles)
        recent.removeLast();
    settings.setValue(recentKey(list), recent);
}

void clearRecentFiles(QSettings& settings, RecentList list) {
    settings.remove(recentKey(list));
}

int autosaveMinutes(const QSettings& settings) {
    return std::max(0, settings.value(kAutosave, 3).toInt());
}

void setAutosaveMinutes(QSettings& settings, int minutes) {
    settings.setValue(kAutosave, minutes);
}

QString lastDirectory(const QSettings& settings) {
    return settings.value(kLastDir, QDir::homePath()).toString();
}

void setLastDirectory(QSettings& settings, const QString& dir) {
    settings.setValue(kLastDir, dir);
}

} // namespace scenelens::settings

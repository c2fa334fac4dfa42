#include "Settings.h"

#include <QDir>

namespace scenelens::settings {

namespace {
const QString kColorBy = QStringLiteral("view/colorBy");
const QString kShowBoxes = QStringLiteral("view/showBoxes");
const QString kRecent = QStringLiteral("scenes/recent");
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

QStringList recentScenes(const QSettings& settings) {
    return settings.value(kRecent).toStringList();
}

void addRecentScene(QSettings& settings, const QString& path) {
    QStringList recent = recentScenes(settings);
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecentScenes)
        recent.removeLast();
    settings.setValue(kRecent, recent);
}

void clearRecentScenes(QSettings& settings) {
    settings.remove(kRecent);
}

QString lastDirectory(const QSettings& settings) {
    return settings.value(kLastDir, QDir::homePath()).toString();
}

void setLastDirectory(QSettings& settings, const QString& dir) {
    settings.setValue(kLastDir, dir);
}

} // namespace scenelens::settings

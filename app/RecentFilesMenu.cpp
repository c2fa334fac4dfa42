#include "RecentFilesMenu.h"

#include <QSettings>

namespace scenelens {

RecentFilesMenu::RecentFilesMenu(const QString& title, settings::RecentList list, QWidget* parent)
    : QMenu(title, parent), list_(list) {
    rebuild();
}

QStringList RecentFilesMenu::files() const {
    return settings::recentFiles(QSettings(), list_);
}

void RecentFilesMenu::add(const QString& path) {
    QSettings settings;
    settings::addRecentFile(settings, list_, path);
    rebuild();
}

void RecentFilesMenu::rebuild() {
    const QStringList recent = files();
    clear();
    for (const QString& path : recent)
        addAction(path, this, [this, path] { Q_EMIT fileChosen(path); });
    addSeparator();
    addAction(tr("Clear Recent"), this, [this] {
        QSettings settings;
        settings::clearRecentFiles(settings, list_);
        rebuild();
    });
    setEnabled(!recent.isEmpty());
    Q_EMIT filesChanged(recent);
}

} // namespace scenelens

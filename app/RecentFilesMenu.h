#pragma once
// A File menu's list of recently opened files (scenes or projects), kept in QSettings.

#include "Settings.h"

#include <QMenu>

namespace scenelens {

class RecentFilesMenu : public QMenu {
    Q_OBJECT
public:
    RecentFilesMenu(const QString& title, settings::RecentList list, QWidget* parent = nullptr);

    QStringList files() const;
    /// Puts `path` first in the list and the menu.
    void add(const QString& path);

Q_SIGNALS:
    /// The user chose a file from the menu.
    void fileChosen(const QString& path);
    /// The list changed (added to or cleared).
    void filesChanged(const QStringList& files);

private:
    void rebuild();

    settings::RecentList list_;
};

} // namespace scenelens

#pragma once
// Shown while no scene is open: how to open one, and the recent projects and scenes one click
// away.

#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace scenelens {

class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);

    void setRecentScenes(const QStringList& paths);
    void setRecentProjects(const QStringList& paths);

Q_SIGNALS:
    void openFolderRequested();
    void openMeshRequested();
    void openProjectRequested();
    void openPathRequested(const QString& path);

private:
    /// A titled list of links, hidden when empty.
    struct RecentSection {
        QLabel* title;
        QVBoxLayout* links;
    };
    void fillRecent(RecentSection& section, const QStringList& paths);

    RecentSection projects_, scenes_;
};

} // namespace scenelens

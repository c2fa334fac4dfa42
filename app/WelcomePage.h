#pragma once
// Shown while no scene is open: how to open one, and the recent scenes one click away.

#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace scenelens {

class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);

    void setRecentScenes(const QStringList& paths);

Q_SIGNALS:
    void openFolderRequested();
    void openMeshRequested();
    void openPathRequested(const QString& path);

private:
    QVBoxLayout* recentLayout_;
    QLabel* recentTitle_;
};

} // namespace scenelens

#pragma once
// Helpers for tests that drive the main window.

#include <QAction>
#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QString>
#include <QWidget>

namespace scenelens::test {

/// The window's action with this menu text (mnemonics included), or nullptr.
inline QAction* actionNamed(QWidget& window, const QString& text) {
    for (QAction* action : window.findChildren<QAction*>())
        if (action->text() == text)
            return action;
    return nullptr;
}

/// Keeps the test's QSettings apart from the user's, and empty when the test starts.
inline void isolateSettings(const QString& application) {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SceneLensTests"));
    QCoreApplication::setApplicationName(application);
    QSettings().clear();
}

} // namespace scenelens::test

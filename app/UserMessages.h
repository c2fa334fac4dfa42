#pragma once
// Telling the user that something could not be done, without blocking scripted use or tests.

#include <QString>

class QMainWindow;

namespace scenelens {

/// Shows `message` in the status bar and in a window-modal warning box that returns at once
/// (open(), not exec()); `details` goes below the message when given.
void showWarning(QMainWindow* window, const QString& title, const QString& message,
                 const QString& details = {});

} // namespace scenelens

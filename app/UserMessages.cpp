#include "UserMessages.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QStatusBar>

namespace scenelens {

void showWarning(QMainWindow* window, const QString& title, const QString& message,
                 const QString& details) {
    window->statusBar()->showMessage(QString(message).replace(QLatin1Char('\n'), QLatin1Char(' ')),
                                     10000);
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, window);
    if (!details.isEmpty())
        box->setInformativeText(details);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace scenelens

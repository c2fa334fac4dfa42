#pragma once
// Status-bar progress for a BackgroundJob: title, phase, a bar and a Cancel button (Esc).

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace scenelens {

class BackgroundJob;

class JobProgressWidget : public QWidget {
    Q_OBJECT
public:
    /// Shows itself while `job` runs and hides when it ends. The job is not owned.
    explicit JobProgressWidget(BackgroundJob* job, QWidget* parent = nullptr);

private:
    void showProgress(const QString& phase, double fraction);

    BackgroundJob* job_;
    QLabel* label_;
    QProgressBar* bar_;
    QToolButton* cancel_;
};

} // namespace scenelens

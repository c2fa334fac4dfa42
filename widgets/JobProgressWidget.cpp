#include "JobProgressWidget.h"

#include "BackgroundJob.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace scenelens {

JobProgressWidget::JobProgressWidget(BackgroundJob* job, QWidget* parent)
    : QWidget(parent), job_(job), label_(new QLabel(this)), bar_(new QProgressBar(this)),
      cancel_(new QToolButton(this)) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(label_);
    layout->addWidget(bar_);
    layout->addWidget(cancel_);
    bar_->setRange(0, 1000);
    bar_->setFixedWidth(160);
    bar_->setTextVisible(false);
    cancel_->setText(tr("Cancel"));
    cancel_->setToolTip(tr("Stop this operation (Esc)"));
    cancel_->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(cancel_, &QToolButton::clicked, job_, &BackgroundJob::cancel);
    connect(job_, &BackgroundJob::started, this, [this](const QString&) {
        showProgress(tr("starting"), 0.0);
        show();
    });
    connect(job_, &BackgroundJob::progressChanged, this, &JobProgressWidget::showProgress);
    for (auto signal : {&BackgroundJob::finished, &BackgroundJob::cancelled})
        connect(job_, signal, this, &QWidget::hide);
    connect(job_, &BackgroundJob::failed, this, &QWidget::hide);
    hide();
}

void JobProgressWidget::showProgress(const QString& phase, double fraction) {
    label_->setText(QStringLiteral("%1: %2").arg(job_->title(), phase));
    bar_->setValue(int(fraction * 1000.0));
}

} // namespace scenelens

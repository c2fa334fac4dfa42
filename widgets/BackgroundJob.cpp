#include "BackgroundJob.h"

#include "Error.h"
#include "Progress.h"

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace scenelens {

/// What the worker and the GUI thread share for one run.
struct BackgroundJob::State : ProgressSink {
    std::atomic<bool> cancelRequested{false};
    QPointer<BackgroundJob> job;

    void report(std::string_view phase, double fraction) override {
        const QString text = QString::fromUtf8(phase.data(), qsizetype(phase.size()));
        // Queued to the GUI thread (the application object lives there); `job` is read there
        // only, and the report is dropped when the job is gone or has started another run.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [job = job, self = this, text, fraction] {
                if (job && job->state_.get() == self)
                    Q_EMIT job->progressChanged(text, fraction);
            },
            Qt::QueuedConnection);
    }
    bool cancelled() const override { return cancelRequested.load(); }
};

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) {}

BackgroundJob::~BackgroundJob() {
    abandon();
}

void BackgroundJob::start(const QString& title, Work work) {
    cancel();
    auto state = std::make_shared<State>();
    state->job = this;
    state_ = state;
    title_ = title;
    Q_EMIT started(title);
    (void)QtConcurrent::run([state, work = std::move(work)] {
        enum class Outcome { Finished, Failed, Cancelled } outcome = Outcome::Finished;
        QString message;
        try {
            work(*state);
        } catch (const Cancelled&) {
            outcome = Outcome::Cancelled;
        } catch (const std::exception& e) {
            outcome = Outcome::Failed;
            message = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [state, outcome, message] {
                BackgroundJob* job = state->job;
                if (!job || job->state_ != state)
                    return; // superseded or cancelled by a newer start()
                job->state_.reset();
                if (outcome == Outcome::Finished)
                    Q_EMIT job->finished();
                else if (outcome == Outcome::Failed)
                    Q_EMIT job->failed(message);
                else
                    Q_EMIT job->cancelled();
            },
            Qt::QueuedConnection);
    });
}

void BackgroundJob::cancel() {
    if (abandon())
        Q_EMIT cancelled();
}

bool BackgroundJob::abandon() {
    if (!state_)
        return false;
    state_->cancelRequested = true;
    state_.reset();
    return true;
}

} // namespace scenelens

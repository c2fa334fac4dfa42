#pragma once
// Runs long core work off the GUI thread, relays its progress and lets the user cancel it.

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace scenelens {

class ProgressSink;

class BackgroundJob : public QObject {
    Q_OBJECT
public:
    /// The work receives a sink to report through; it throws Cancelled (core/Error.h) to stop.
    using Work = std::function<void(ProgressSink&)>;

    explicit BackgroundJob(QObject* parent = nullptr);
    ~BackgroundJob() override;

    /// Starts `work` on the global thread pool; `title` names the job in progress displays.
    /// Exactly one of finished(), failed() or cancelled() follows. A running job is cancelled
    /// first and its outcome is dropped.
    void start(const QString& title, Work work);
    void cancel();
    bool isRunning() const { return state_ != nullptr; }
    const QString& title() const { return title_; }

Q_SIGNALS:
    void started(const QString& title);
    void progressChanged(const QString& phase, double fraction);
    void finished();
    void failed(const QString& message);
    void cancelled();

private:
    /// Asks the running work to stop and forgets it; false when nothing was running.
    bool abandon();

    struct State;
    std::shared_ptr<State> state_; // shared with the worker; replaced per run
    QString title_;
};

} // namespace scenelens

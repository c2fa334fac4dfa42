#pragma once
// How long work in core reports progress and learns that it should stop.

#include <string_view>

namespace scenelens {

/// Receives progress from long operations. Implementations must be thread-safe when the work runs
/// off the GUI thread; the default does nothing and never cancels.
class ProgressSink {
public:
    virtual ~ProgressSink() = default;
    /// phase: a short human-readable step ("reading mesh"); fraction in [0, 1] over the whole job.
    virtual void report(std::string_view phase, double fraction) {
        (void)phase;
        (void)fraction;
    }
    /// Polled between steps; returning true makes the operation throw scenelens::Cancelled.
    virtual bool cancelled() const { return false; }
};

/// One part of a longer job: reports its own 0..1 progress as [begin, end] of the outer sink's
/// (which may be null) and stops when the outer sink does.
class ProgressRange : public ProgressSink {
public:
    ProgressRange(ProgressSink* outer, double begin, double end)
        : outer_(outer), begin_(begin), end_(end) {}
    void report(std::string_view phase, double fraction) override {
        if (outer_)
            outer_->report(phase, begin_ + (end_ - begin_) * fraction);
    }
    bool cancelled() const override { return outer_ && outer_->cancelled(); }

private:
    ProgressSink* outer_;
    double begin_, end_;
};

/// Reports progress and throws Cancelled when the sink asks to stop.
void checkpoint(ProgressSink* sink, std::string_view phase, double fraction);

} // namespace scenelens

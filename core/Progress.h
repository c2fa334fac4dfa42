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

/// Reports progress and throws Cancelled when the sink asks to stop.
void checkpoint(ProgressSink* sink, std::string_view phase, double fraction);

} // namespace scenelens

#include "Progress.h"

#include "Error.h"

namespace scenelens {

void checkpoint(ProgressSink* sink, std::string_view phase, double fraction) {
    if (!sink)
        return;
    if (sink->cancelled())
        throw Cancelled();
    sink->report(phase, fraction);
}

} // namespace scenelens

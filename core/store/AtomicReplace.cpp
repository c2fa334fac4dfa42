#include "store/AtomicReplace.h"

#include "Error.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace scenelens::store {

namespace fs = std::filesystem;

namespace {

const std::string kSavingTag = ".saving-";

/// The pid in "<pid>-<n>", or -1 when the text has another form.
long writerPid(const std::string& suffix) {
    const std::size_t dash = suffix.find('-');
    if (dash == 0 || dash == std::string::npos || dash + 1 == suffix.size())
        return -1;
    const auto digitsOnly = [](const std::string& text) {
        return text.find_first_not_of("0123456789") == std::string::npos;
    };
    const std::string pid = suffix.substr(0, dash), counter = suffix.substr(dash + 1);
    if (!digitsOnly(pid) || !digitsOnly(counter) || pid.size() > 9)
        return -1;
    return std::stol(pid);
}

bool processIsGone(long pid) {
    return kill(pid_t(pid), 0) != 0 && errno == ESRCH;
}

std::string folderOf(const std::string& target) {
    const fs::path folder = fs::path(target).parent_path();
    return folder.empty() ? "." : folder.string();
}

/// fsync(2) of a file or folder opened read-only: 0, or the errno of the step that failed.
int syncToDisk(const std::string& path, int flags) {
    const int descriptor = open(path.c_str(), O_RDONLY | O_CLOEXEC | flags);
    if (descriptor < 0)
        return errno;
    const int error = fsync(descriptor) == 0 ? 0 : errno;
    close(descriptor);
    return error;
}

} // namespace

std::string temporaryPathFor(const std::string& target) {
    static std::atomic<unsigned> counter{0};
    return target + kSavingTag + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

void removeStaleTemporaries(const std::string& target) {
    const std::string prefix = fs::path(target).filename().string() + kSavingTag;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(folderOf(target), error)) {
        const std::string name = entry.path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        const long pid = writerPid(name.substr(prefix.size()));
        if (pid > 0 && processIsGone(pid))
            fs::remove(entry.path(), error);
    }
}

void replaceDurably(const std::string& temporary, const std::string& target) {
    if (const int error = syncToDisk(temporary, 0))
        throw FileError(target, "",
                        "cannot flush " + temporary + " to disk: " + std::strerror(error));
    if (std::rename(temporary.c_str(), target.c_str()) != 0)
        throw FileError(target, "",
                        "cannot rename " + temporary + " over it: " + std::strerror(errno));
    if (const int error = syncToDisk(folderOf(target), O_DIRECTORY))
        throw FileError(target, "",
                        "saved, but its folder could not be flushed to disk: " +
                            std::string(std::strerror(error)));
}

} // namespace scenelens::store

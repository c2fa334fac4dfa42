// projection_bench_spawn: the small process that starts projection_bench's tools, so that each
// tool's peak memory (wait4() ru_maxrss) counts only the tool: a forked child starts with its
// parent's resident pages, and this helper's are few. It links nothing but libc and libstdc++.
//
// Protocol on stdin/stdout: a request is NUL-terminated strings, the log file then argv, ended by
// an empty string; the answer is one line "exit_status wall_seconds maxrss_kib". The child runs
// with stdin from /dev/null, stdout and stderr to the log, and the environment and CPU affinity
// this helper set up at start: OMP/OpenBLAS/MKL/Numba threads = 2, affinity = the first two CPUs
// the helper may use.

#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <vector>

namespace {

constexpr int kThreads = 2;

/// Reads one NUL-terminated string from stdin; false at end of input.
bool readString(std::string& out) {
    out.clear();
    char c;
    for (;;) {
        const ssize_t n = read(STDIN_FILENO, &c, 1);
        if (n == 0)
            return false;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (c == '\0')
            return true;
        out.push_back(c);
    }
}

void pinToTwoCpus() {
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 || CPU_COUNT(&allowed) <= kThreads)
        return;
    cpu_set_t chosen;
    CPU_ZERO(&chosen);
    int taken = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && taken < kThreads; ++cpu)
        if (CPU_ISSET(cpu, &allowed)) {
            CPU_SET(cpu, &chosen);
            ++taken;
        }
    sched_setaffinity(0, sizeof(chosen), &chosen);
}

} // namespace

int main() {
    const std::string threads = std::to_string(kThreads);
    for (const char* name :
         {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"})
        setenv(name, threads.c_str(), 1);
    pinToTwoCpus();

    std::string log, arg;
    for (;;) {
        if (!readString(log))
            return 0;
        std::vector<std::string> args;
        while (readString(arg) && !arg.empty())
            args.push_back(arg);
        if (args.empty())
            return 0;
        std::vector<char*> argv;
        for (std::string& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);

        const auto start = std::chrono::steady_clock::now();
        const pid_t pid = fork();
        if (pid == 0) {
            const int in = open("/dev/null", O_RDONLY);
            const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (in >= 0)
                dup2(in, STDIN_FILENO);
            if (out >= 0) {
                dup2(out, STDOUT_FILENO);
                dup2(out, STDERR_FILENO);
            }
            execv(argv[0], argv.data());
            std::fprintf(stderr, "cannot run %s: %s\n", argv[0], std::strerror(errno));
            _exit(127);
        }
        int status = -1;
        rusage usage{};
        if (pid > 0)
            while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
            }
        const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
        char line[128];
        const int exitStatus = pid < 0               ? -1
                               : WIFEXITED(status)   ? WEXITSTATUS(status)
                               : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                                     : -1;
        const int length = std::snprintf(line, sizeof(line), "%d %.6f %ld\n", exitStatus,
                                         wall.count(), long(usage.ru_maxrss));
        if (write(STDOUT_FILENO, line, std::size_t(length)) != length)
            return 1;
    }
}

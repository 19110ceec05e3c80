#include "bench_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace ntsem_bench {

std::string bench_name(const std::string& what) {
  return "ntsem-bench-" + std::to_string(getpid()) + "-" + what;
}

// ---- Child processes ----------------------------------------------------------

std::string spawn_self(const std::vector<std::string>& args, spawned* out,
                       std::span<const int> inherit) {
  int in[2], outp[2];
  if (pipe2(in, O_CLOEXEC) != 0) return std::string("pipe2: ") + std::strerror(errno);
  if (pipe2(outp, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    return std::string("pipe2: ") + std::strerror(errno);
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);  // dup2 clears close-on-exec
  posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
  // dup2 of a descriptor onto itself clears close-on-exec in the child
  // (POSIX; glibc 2.29 and later), which a plain dup2 onto itself would not.
  for (int fd : inherit) posix_spawn_file_actions_adddup2(&fa, fd, fd);
  std::vector<std::string> all{program_invocation_short_name};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, "/proc/self/exe", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]);
  close(outp[1]);
  if (rc != 0) {
    close(in[1]);
    close(outp[0]);
    return std::string("posix_spawn: ") + std::strerror(rc);
  }
  *out = {pid, in[1], outp[0]};
  return {};
}

std::string read_line(int fd) {
  std::string line;
  char c;
  while (read(fd, &c, 1) == 1 && c != '\n') line += c;
  return line;
}

std::string reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return std::string("waitpid: ") + std::strerror(errno);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  return "child exited with status " + std::to_string(status);
}

void kill_and_reap(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGKILL);
  reap(pid);
}

void die_with_parent() {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() == 1) _exit(3);
}

int child_failed(const char* what) {
  std::fprintf(stderr, "%s child: %s failed, error %u, errno %d\n", program_invocation_short_name,
               what, static_cast<unsigned>(GetLastError()), errno);
  return 1;
}

// ---- CPU pinning ----------------------------------------------------------------

pin_to_one_cpu::pin_to_one_cpu(bool pin) {
  if (!pin) return;
  if (sched_getaffinity(0, sizeof saved_, &saved_) != 0) return;
  cpu_set_t one;
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &saved_)) {
      CPU_SET(cpu, &one);
      break;
    }
  }
  active_ = sched_setaffinity(0, sizeof one, &one) == 0;
}

pin_to_one_cpu::~pin_to_one_cpu() {
  if (active_) sched_setaffinity(0, sizeof saved_, &saved_);
}

void loop_failed(const std::string& what) {
  std::fprintf(stderr, "%s --loop: %s\n", program_invocation_short_name, what.c_str());
}

// ---- Cross-process ping-pong over named ntsem semaphores -----------------------------

namespace {

std::string request_name(const std::string& prefix, int i) { return prefix + "-" + std::to_string(i); }
std::string reply_name(const std::string& prefix) { return prefix + "-reply"; }

// The child side of ntsem_pingpong: opens the COUNT requests and the reply by
// name, then N times waits for any request and releases the reply.
int child_sem_pingpong(char** args) {
  die_with_parent();
  const std::string prefix = args[0];
  const int count = std::atoi(args[1]);
  const long long n = std::atoll(args[2]);
  if (count < 1 || count > MAXIMUM_WAIT_OBJECTS) return child_failed("COUNT out of range");
  HANDLE requests[MAXIMUM_WAIT_OBJECTS];
  for (int i = 0; i < count; ++i) {
    requests[i] = OpenSemaphoreA(open_access, FALSE, request_name(prefix, i).c_str());
    if (!requests[i]) return child_failed("OpenSemaphoreA");
  }
  HANDLE reply = OpenSemaphoreA(open_access, FALSE, reply_name(prefix).c_str());
  if (!reply) return child_failed("OpenSemaphoreA");
  const DWORD last = WAIT_OBJECT_0 + static_cast<DWORD>(count) - 1;
  for (long long i = 0; i < n; ++i) {
    // The single wait is the reference the multiple wait is held against: it
    // must stay WaitForSingleObject, not a WaitForMultipleObjects of one.
    DWORD r = count == 1 ? WaitForSingleObject(requests[0], INFINITE)
                         : WaitForMultipleObjects(static_cast<DWORD>(count), requests, FALSE,
                                                  INFINITE);
    if (r > last) return child_failed("wait");
    if (!ReleaseSemaphore(reply, 1, nullptr)) return child_failed("ReleaseSemaphore");
  }
  for (int i = 0; i < count; ++i) CloseHandle(requests[i]);
  CloseHandle(reply);
  return 0;
}

}  // namespace

// start() starts the child for n + 1 round trips and makes the first one,
// untimed, so that the child is known to be in its loop when timing starts.
std::string ntsem_pingpong::start(std::int64_t n) {
  for (int i = 0; i < count_; ++i) {
    requests_.push_back(CreateSemaphoreA(nullptr, 0, 1, request_name(prefix_, i).c_str()));
    if (!requests_.back()) return "CreateSemaphoreA failed, error " + std::to_string(GetLastError());
  }
  reply_ = CreateSemaphoreA(nullptr, 0, 1, reply_name(prefix_).c_str());
  if (!reply_) return "CreateSemaphoreA failed, error " + std::to_string(GetLastError());
  spawned child;
  if (std::string e = spawn_self({"--child-sem-pingpong", prefix_, std::to_string(count_),
                                  std::to_string(n + 1)},
                                 &child);
      !e.empty())
    return e;
  close(child.to_child);  // no conversation: the semaphores say everything
  close(child.from_child);
  pid_ = child.pid;
  if (!release() || WaitForSingleObject(reply_, 10000) != WAIT_OBJECT_0)
    return "the ping-pong child did not answer (see its stderr)";
  return {};
}

bool ntsem_pingpong::release() { return ReleaseSemaphore(requests_[index_], 1, nullptr); }

bool ntsem_pingpong::await_reply() { return WaitForSingleObject(reply_, INFINITE) == WAIT_OBJECT_0; }

std::string ntsem_pingpong::stop() {
  std::string e;
  if (pid_ > 0) e = reap(pid_);
  pid_ = -1;
  for (HANDLE h : requests_)
    if (h) CloseHandle(h);
  requests_.clear();
  if (reply_) CloseHandle(reply_);
  reply_ = nullptr;
  return e;
}

void ntsem_pingpong::abandon() {
  kill_and_reap(pid_);
  pid_ = -1;
}

// ---- main ----------------------------------------------------------------------------

namespace {

int usage(std::span<const loop_entry> loops) {
  std::fprintf(stderr,
               "usage: %s [benchmark flags]\n"
               "       %s --loop OP N [pinned]   OP is one of:\n",
               program_invocation_short_name, program_invocation_short_name);
  for (const loop_entry& l : loops) std::fprintf(stderr, "         %s\n", l.name);
  return 2;
}

}  // namespace

int bench_main(int argc, char** argv, std::span<const child_mode> children,
               std::span<const loop_entry> loops) {
  if (argc >= 2) {
    const std::string mode = argv[1];
    if (mode == "--child-sem-pingpong" && argc == 5) return child_sem_pingpong(argv + 2);
    for (const child_mode& c : children)
      if (mode == c.flag && argc == 2 + c.args) return c.run(argv + 2);
    if (mode == "--loop") {
      if (argc < 4 || argc > 5) return usage(loops);
      const bool pinned = argc == 5 && std::string(argv[4]) == "pinned";
      const std::int64_t n = std::atoll(argv[3]);
      for (const loop_entry& l : loops)
        if (l.name == std::string(argv[2])) return l.run(n, pinned);
      return usage(loops);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace ntsem_bench

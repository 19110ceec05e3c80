#include "support/child_process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace ntsem::test {
namespace {

using steady = std::chrono::steady_clock;

std::string errno_text(int err) { return std::strerror(err); }

[[noreturn]] void fail(const std::string& what, int err) {
  throw std::runtime_error("child_process: " + what + ": " + errno_text(err));
}

void close_fd(int& fd) noexcept {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// A close-on-exec pipe whose ends are both >= 3, so that the dup2 calls onto
// 0 and 1 in the child can never overwrite one another.
void make_pipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) fail("pipe2", errno);
  for (int i = 0; i < 2; ++i) {
    if (fds[i] >= 3) continue;
    int moved = ::fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
    int err = errno;
    ::close(fds[i]);
    fds[i] = moved;
    if (moved < 0) {
      close_fd(fds[1 - i]);
      fail("fcntl(F_DUPFD_CLOEXEC)", err);
    }
  }
}

// What the child reports on its error pipe when it cannot reach exec.
enum class stage : int { dup_stdin, dup_stdout, setgroups, setgid, setuid, parent_gone, cloexec, exec };
struct spawn_error {
  stage where;
  int err;
};

const char* stage_name(stage s) {
  switch (s) {
    case stage::dup_stdin: return "dup2 onto stdin";
    case stage::dup_stdout: return "dup2 onto stdout";
    case stage::setgroups: return "setgroups";
    case stage::setgid: return "setgid";
    case stage::setuid: return "setuid";
    case stage::parent_gone: return "prctl(PR_SET_PDEATHSIG)";
    case stage::cloexec: return "close_range(CLOEXEC)";
    case stage::exec: return "exec";
  }
  return "?";
}

// Between fork and exec: async-signal-safe calls only.
[[noreturn]] void child_fail(int report_fd, stage where, int err) {
  spawn_error e{where, err};
  ssize_t ignored = ::write(report_fd, &e, sizeof e);
  (void)ignored;
  ::_exit(127);
}

struct exec_plan {
  const char* path;
  char* const* argv;
  char* const* envp;
  int stdin_fd, stdout_fd, report_fd;
  const user_ids* user;
  bool die_with_parent;
  pid_t parent;
  int max_fd;  // fallback when close_range is missing
};

[[noreturn]] void exec_child(const exec_plan& p) {
  // Every signal is blocked (by the parent, around fork).  No handler of the
  // parent may run here: back to the default dispositions first.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);

  if (::dup2(p.stdin_fd, STDIN_FILENO) < 0) child_fail(p.report_fd, stage::dup_stdin, errno);
  if (::dup2(p.stdout_fd, STDOUT_FILENO) < 0) child_fail(p.report_fd, stage::dup_stdout, errno);

  if (p.user != nullptr) {
    gid_t groups[1] = {p.user->gid};
    if (::setgroups(1, groups) != 0) child_fail(p.report_fd, stage::setgroups, errno);
    if (::setgid(p.user->gid) != 0) child_fail(p.report_fd, stage::setgid, errno);
    if (::setuid(p.user->uid) != 0) child_fail(p.report_fd, stage::setuid, errno);
  }
  // After setuid, which clears it.
  if (p.die_with_parent) {
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) child_fail(p.report_fd, stage::parent_gone, errno);
    if (::getppid() != p.parent) ::_exit(126);  // the parent died before prctl
  }

  // Nothing but 0, 1, 2 crosses exec, whatever the test process has open
  // without O_CLOEXEC (the report pipe is close-on-exec already).
  if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    for (int fd = 3; fd <= p.max_fd; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  }

  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::execve(p.path, p.argv, p.envp);
  child_fail(p.report_fd, stage::exec, errno);
}

// The inherited environment with `overrides` ("NAME=value") in place.
std::vector<std::string> environment_with(const std::vector<std::string>& overrides) {
  const auto name_of = [](std::string_view entry) { return entry.substr(0, entry.find('=')); };
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    bool replaced = false;
    for (const std::string& o : overrides) replaced = replaced || name_of(o) == name_of(entry);
    if (!replaced) out.emplace_back(entry);
  }
  out.insert(out.end(), overrides.begin(), overrides.end());
  return out;
}

int highest_fd() {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur == RLIM_INFINITY || r.rlim_cur > 1 << 20)
    return 1 << 20;
  return static_cast<int>(r.rlim_cur) - 1;
}

exit_status decode(int raw) {
  exit_status s;
  if (WIFEXITED(raw)) {
    s.how = exit_status::kind::exited;
    s.code = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    s.how = exit_status::kind::signaled;
    s.signal = WTERMSIG(raw);
    s.core_dumped = WCOREDUMP(raw);
  }
  return s;
}

int remaining_ms(steady::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()).count();
  if (left <= 0) return 0;
  return left > INT32_MAX ? INT32_MAX : static_cast<int>(left);
}

void pause_briefly() {
  timespec t{0, 1000000};  // 1 ms
  ::nanosleep(&t, nullptr);
}

// The first line of a /proc file; empty if unreadable.
std::string proc_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

std::string exit_status::describe() const {
  switch (how) {
    case kind::running: return "still running";
    case kind::exited: return "exited " + std::to_string(code);
    case kind::signaled:
      return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")" +
             (core_dumped ? ", core dumped" : "");
  }
  return "?";
}

child_process::child_process(child_options options) {
  std::string path = options.path.empty() ? default_path() : options.path;
  if (path.empty())
    throw std::runtime_error("child_process: no ntsem_child (NTSEM_CHILD_PATH not compiled in, NTSEM_CHILD unset)");
  if (options.user && !can_switch_user())
    throw std::runtime_error("child_process: running as another user needs CAP_SETUID and CAP_SETGID");

  // Everything the child needs is prepared before fork.
  std::vector<char*> argv;
  argv.push_back(path.data());
  for (std::string& c : options.commands) argv.push_back(c.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment = environment_with(options.environment);
  std::vector<char*> envp;
  for (std::string& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);

  int in[2], out[2] = {-1, -1}, report[2] = {-1, -1};
  make_pipe(in);
  try {
    make_pipe(out);
    make_pipe(report);
  } catch (...) {
    close_fd(in[0]), close_fd(in[1]), close_fd(out[0]), close_fd(out[1]);
    throw;
  }

  exec_plan plan{path.c_str(), argv.data(), envp.data(), in[0], out[1], report[1],
                 options.user ? &*options.user : nullptr, options.die_with_parent, ::getpid(), highest_fd()};

  sigset_t all, old;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = ::fork();
  if (pid == 0) exec_child(plan);
  int fork_err = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);

  close_fd(in[0]);
  close_fd(out[1]);
  close_fd(report[1]);
  if (pid < 0) {
    close_fd(in[1]), close_fd(out[0]), close_fd(report[0]);
    fail("fork", fork_err);
  }
  pid_ = pid;
  to_child_ = in[1];
  from_child_ = out[0];

  // End of file on the report pipe: exec succeeded (close-on-exec).
  spawn_error e{};
  ssize_t got;
  do {
    got = ::read(report[0], &e, sizeof e);
  } while (got < 0 && errno == EINTR);
  close_fd(report[0]);
  if (got == static_cast<ssize_t>(sizeof e)) {
    wait_exit(child_guard);
    release();
    std::string who = options.user ? " as uid " + std::to_string(options.user->uid) + " gid " +
                                         std::to_string(options.user->gid)
                                   : "";
    fail(std::string(stage_name(e.where)) + " (starting " + path + who + ")", e.err);
  }
}

child_process::~child_process() { release(); }

child_process::child_process(child_process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      to_child_(std::exchange(other.to_child_, -1)),
      from_child_(std::exchange(other.from_child_, -1)),
      buffer_(std::move(other.buffer_)),
      eof_(other.eof_),
      reaped_(other.reaped_),
      status_(other.status_) {}

child_process& child_process::operator=(child_process&& other) noexcept {
  if (this != &other) {
    release();
    pid_ = std::exchange(other.pid_, -1);
    to_child_ = std::exchange(other.to_child_, -1);
    from_child_ = std::exchange(other.from_child_, -1);
    buffer_ = std::move(other.buffer_);
    eof_ = other.eof_;
    reaped_ = other.reaped_;
    status_ = other.status_;
  }
  return *this;
}

void child_process::release() noexcept {
  // SIGKILL before closing the pipes: end of file on stdin would start an
  // orderly exit (with a sanitizer, a leak check in a helper process) that
  // the SIGKILL would then cut short, orphaning that helper.
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    int raw = 0;
    pid_t r;
    do {
      r = ::waitpid(pid_, &raw, 0);
    } while (r < 0 && errno == EINTR);
    reaped_ = true;
    if (r == pid_) status_ = decode(raw);
  }
  close_fd(to_child_);
  close_fd(from_child_);
}

bool child_process::send(std::string_view line) {
  if (to_child_ < 0) return false;
  std::string text(line);
  text.push_back('\n');

  // A write to a pipe nobody reads raises SIGPIPE: block it in this thread and
  // discard the one this write raised, so only EPIPE is seen.
  sigset_t pipe_only, old;
  ::sigemptyset(&pipe_only);
  ::sigaddset(&pipe_only, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
  sigset_t pending;
  ::sigpending(&pending);
  bool was_pending = ::sigismember(&pending, SIGPIPE) == 1;

  bool ok = true;
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(to_child_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ok = false;
      if (errno == EPIPE && !was_pending) {
        timespec zero{0, 0};
        while (::sigtimedwait(&pipe_only, nullptr, &zero) < 0 && errno == EINTR) {
        }
      }
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return ok;
}

void child_process::close_stdin() { close_fd(to_child_); }

std::optional<std::string> child_process::read_line(std::chrono::milliseconds guard) {
  const auto deadline = steady::now() + guard;
  for (;;) {
    if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    if (eof_ || from_child_ < 0) {
      if (buffer_.empty()) return std::nullopt;
      return std::exchange(buffer_, std::string{});  // a last line without newline
    }
    pollfd p{from_child_, POLLIN, 0};
    int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) fail("poll", errno);
    if (ready == 0) return std::nullopt;  // the guard expired
    char chunk[4096];
    ssize_t n = ::read(from_child_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("read", errno);
    if (n == 0) eof_ = true;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string child_process::expect_line(std::chrono::milliseconds guard) {
  if (auto line = read_line(guard)) return *line;
  if (eof_) return "<eof>";
  return "<no line within " + std::to_string(guard.count()) + " ms>";
}

std::string child_process::ask(std::string_view line, std::chrono::milliseconds guard) {
  if (!send(line)) return "<child does not read stdin>";
  return expect_line(guard);
}

std::vector<std::string> child_process::read_all(std::chrono::milliseconds guard) {
  const auto deadline = steady::now() + guard;
  std::vector<std::string> lines;
  while (auto line = read_line(std::chrono::milliseconds(remaining_ms(deadline)))) lines.push_back(*line);
  return lines;
}

bool child_process::kill(int sig) {
  if (pid_ <= 0 || reaped_) return false;  // never a pid the kernel may have reused
  return ::kill(pid_, sig) == 0;
}

exit_status child_process::wait_exit(std::chrono::milliseconds guard) {
  if (pid_ <= 0 || reaped_) return status_;
  close_stdin();
  const auto deadline = steady::now() + guard;
  for (;;) {
    int raw = 0;
    pid_t r = ::waitpid(pid_, &raw, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      status_ = decode(raw);
      return status_;
    }
    if (r < 0 && errno != EINTR) fail("waitpid", errno);
    if (steady::now() >= deadline) return exit_status{};
    pause_briefly();
  }
}

std::string child_process::main_task() const {
  return "/proc/" + std::to_string(pid_) + "/task/" + std::to_string(pid_) + "/";
}

char child_process::main_thread_state() const {
  const std::string stat = proc_line(main_task() + "stat");
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat.size()) return 'X';  // gone
  return stat[paren + 2];
}

bool child_process::wait_until_sleeping(std::chrono::milliseconds guard) {
  if (pid_ <= 0 || reaped_) return false;
  const std::string task = main_task();
  const auto deadline = steady::now() + guard;
  for (;;) {
    const char state = main_thread_state();
    if (state == 'Z' || state == 'X' || state == 'x') return false;
    if (state == 'S') {
      std::string syscall_line = proc_line(task + "syscall");
      if (syscall_line.empty()) return true;  // unreadable: asleep is all we can tell
      long nr = std::strtol(syscall_line.c_str(), nullptr, 10);
      if (nr == SYS_futex) return true;
#ifdef SYS_futex_waitv
      if (nr == SYS_futex_waitv) return true;
#endif
    }
    if (steady::now() >= deadline) return false;
    pause_briefly();
  }
}

bool child_process::wait_until_stopped(std::chrono::milliseconds guard) {
  if (pid_ <= 0 || reaped_) return false;
  const auto deadline = steady::now() + guard;
  for (;;) {
    const char state = main_thread_state();
    if (state == 'T' || state == 't') return true;
    if (state == 'Z' || state == 'X' || state == 'x' || steady::now() >= deadline) return false;
    pause_briefly();
  }
}

bool child_process::can_switch_user() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("CapEff:", 0) != 0) continue;
    unsigned long long caps = std::strtoull(line.c_str() + 7, nullptr, 16);
    constexpr unsigned long long setgid_cap = 1ULL << 6, setuid_cap = 1ULL << 7;
    return (caps & setgid_cap) && (caps & setuid_cap);
  }
  return ::geteuid() == 0;
}

user_ids child_process::unprivileged_user() {
  passwd entry{};
  passwd* found = nullptr;
  char buf[4096];
  if (::getpwnam_r("nobody", &entry, buf, sizeof buf, &found) == 0 && found != nullptr)
    return {found->pw_uid, found->pw_gid};
  return {65534, 65534};
}

std::string child_process::cannot_run_as(user_ids user) {
  if (!can_switch_user()) return "the tests run without CAP_SETUID/CAP_SETGID (not as root)";
  try {
    child_run run = run_child({"print-uid"}, user);
    std::string expected = "uid=" + std::to_string(user.uid) + " ";
    if (run.exit_code == 0 && run.output_lines.size() == 1 && run.output_lines[0].rfind(expected, 0) == 0)
      return {};
    std::string what = "ntsem_child as uid " + std::to_string(user.uid) + " " + run.status.describe();
    for (const std::string& l : run.output_lines) what += " | " + l;
    return what;
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::string child_process::default_path() {
  if (const char* env = std::getenv("NTSEM_CHILD"); env != nullptr && *env != '\0') return env;
#ifdef NTSEM_CHILD_PATH
  return NTSEM_CHILD_PATH;
#else
  return {};
#endif
}

child_run run_child(std::vector<std::string> commands, std::optional<user_ids> user,
                    std::chrono::milliseconds guard) {
  return run_program(child_options{std::move(commands), user, {}, true}, guard);
}

child_run run_program(child_options options, std::chrono::milliseconds guard) {
  const auto deadline = steady::now() + guard;
  child_process child(std::move(options));
  child.close_stdin();
  child_run run;
  run.output_lines = child.read_all(std::chrono::milliseconds(remaining_ms(deadline)));
  run.status = child.wait_exit(std::chrono::milliseconds(remaining_ms(deadline)));
  if (run.status.how == exit_status::kind::exited) run.exit_code = run.status.code;
  if (run.status.how == exit_status::kind::signaled) run.exit_code = 128 + run.status.signal;
  return run;
}

::testing::AssertionResult asleep_in_wait(child_process& child, std::string_view handles) {
  child.send("block-on " + std::string(handles));
  if (std::string line = child.expect_line(); line != "blocking")
    return ::testing::AssertionFailure() << "block-on answered '" << line << "'";
  if (!child.wait_until_sleeping()) return ::testing::AssertionFailure() << "never slept";
  return ::testing::AssertionSuccess();
}

}  // namespace ntsem::test

#include "demo_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <utility>

namespace ntsem_tool {

namespace {

// Signals that ask the demo to stop (SIGPIPE: its output went away).
constexpr std::array handled_signals{SIGINT, SIGTERM, SIGHUP, SIGPIPE};

// What the signal handler reads: plain lock-free atomics, so that it may.
// A slot holds the pid of a child not yet reaped, or 0.  A pid is cleared
// before its child is reaped, so the handler never kills a pid that has been
// given to some other process since.
std::array<std::atomic<pid_t>, max_worker_processes> children{};
std::atomic<int> stop_signal_seen{0};
static_assert(std::atomic<pid_t>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

// The actions in place before ours, put back by the destructor and given
// back to each child before exec.
std::array<struct sigaction, handled_signals.size()> previous_actions{};
std::array<bool, handled_signals.size()> handler_installed{};
std::atomic<bool> instance_alive{false};

extern "C" void on_stop_signal(int signal_number) {
  const int saved_errno = errno;
  int none = 0;
  stop_signal_seen.compare_exchange_strong(none, signal_number);
  for (const std::atomic<pid_t>& child : children) {
    const pid_t pid = child.load();
    if (pid > 0) {
      ::kill(pid, SIGKILL);
    }
  }
  errno = saved_errno;
}

sigset_t handled_set() {
  sigset_t set;
  sigemptyset(&set);
  for (const int signal_number : handled_signals) {
    sigaddset(&set, signal_number);
  }
  return set;
}

// In the child, between fork and exec: async-signal-safe calls only.
[[noreturn]] void become_worker(char* const* argv, int inherited_fd, pid_t parent,
                                const sigset_t& previous_mask) {
  for (std::size_t index = 0; index < handled_signals.size(); ++index) {
    if (handler_installed[index]) {
      sigaction(handled_signals[index], &previous_actions[index], nullptr);
    }
  }
  // Should the demo die, by any means, its workers die with it.  A parent that
  // died before this call would not be noticed by it: hence the check.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) {
    _exit(127);
  }
  // The descriptor was made with O_CLOEXEC, like every other; only this one
  // goes on into the worker.
  if (fcntl(inherited_fd, F_SETFD, 0) != 0) {
    _exit(127);
  }
  sigprocmask(SIG_SETMASK, &previous_mask, nullptr);
  execv("/proc/self/exe", argv);
  static constexpr char message[] = "ntsem: cannot exec /proc/self/exe for a demo worker\n";
  [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
  _exit(127);
}

std::string signal_name(int signal_number) {
  switch (signal_number) {
    case SIGHUP:
      return "SIGHUP";
    case SIGINT:
      return "SIGINT";
    case SIGQUIT:
      return "SIGQUIT";
    case SIGILL:
      return "SIGILL";
    case SIGTRAP:
      return "SIGTRAP";
    case SIGABRT:
      return "SIGABRT";
    case SIGBUS:
      return "SIGBUS";
    case SIGFPE:
      return "SIGFPE";
    case SIGKILL:
      return "SIGKILL";
    case SIGSEGV:
      return "SIGSEGV";
    case SIGPIPE:
      return "SIGPIPE";
    case SIGALRM:
      return "SIGALRM";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "signal " + std::to_string(signal_number);
  }
}

}  // namespace

std::string describe_end(int wait_status) {
  if (WIFEXITED(wait_status)) {
    return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  }
  if (WIFSIGNALED(wait_status)) {
    std::string text = "was killed by ";
    text += signal_name(WTERMSIG(wait_status));
    return text;
  }
  return "ended with wait status " + std::to_string(wait_status);
}

bool ended_well(int wait_status) { return WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0; }

bool killed_by(int wait_status, int signal_number) {
  return WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == signal_number;
}

WorkerProcesses::WorkerProcesses() {
  if (instance_alive.exchange(true)) {
    std::abort();  // a second set of children would share the one table
  }
  stop_signal_seen.store(0);
  struct sigaction action = {};
  action.sa_handler = on_stop_signal;
  action.sa_flags = SA_RESTART;  // poll(2) still returns EINTR, as it always does
  sigfillset(&action.sa_mask);
  for (std::size_t index = 0; index < handled_signals.size(); ++index) {
    sigaction(handled_signals[index], nullptr, &previous_actions[index]);
    // A signal the caller chose to ignore (as a shell does for a background
    // job) stays ignored.
    handler_installed[index] = previous_actions[index].sa_handler != SIG_IGN;
    if (handler_installed[index]) {
      sigaction(handled_signals[index], &action, nullptr);
    }
  }
}

WorkerProcesses::~WorkerProcesses() {
  kill_all();
  reap_all();
  for (std::size_t index = 0; index < handled_signals.size(); ++index) {
    if (handler_installed[index]) {
      sigaction(handled_signals[index], &previous_actions[index], nullptr);
      handler_installed[index] = false;
    }
  }
  instance_alive.store(false);
}

pid_t WorkerProcesses::spawn(std::span<const std::string> arguments, int inherited_fd) {
  std::atomic<pid_t>* slot = nullptr;
  for (std::atomic<pid_t>& child : children) {
    if (child.load() == 0) {
      slot = &child;
      break;
    }
  }
  if (slot == nullptr) {
    errno = EAGAIN;
    return -1;
  }
  // Everything the child needs is made before fork: after it, the child may
  // only make async-signal-safe calls.
  std::vector<char*> argv;
  argv.reserve(arguments.size() + 1);
  for (const std::string& argument : arguments) {
    argv.push_back(const_cast<char*>(argument.c_str()));
  }
  argv.push_back(nullptr);
  const pid_t parent = getpid();

  // Held back until the pid is in its slot, so that the handler kills this
  // child too; and in the child, until it has put back the old handlers.
  const sigset_t handled = handled_set();
  sigset_t previous_mask;
  pthread_sigmask(SIG_BLOCK, &handled, &previous_mask);
  const pid_t pid = fork();
  if (pid == 0) {
    become_worker(argv.data(), inherited_fd, parent, previous_mask);
  }
  const int fork_errno = errno;
  if (pid > 0) {
    slot->store(pid);
  }
  pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
  errno = fork_errno;
  return pid;
}

void WorkerProcesses::forget(pid_t pid) {
  for (std::atomic<pid_t>& child : children) {
    pid_t expected = pid;
    if (child.compare_exchange_strong(expected, 0)) {
      return;
    }
  }
}

ProcessEnd WorkerProcesses::reap(pid_t pid) {
  forget(pid);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return {pid, status};
}

std::vector<ProcessEnd> WorkerProcesses::reap_ended() {
  std::vector<ProcessEnd> ended;
  for (;;) {
    // WNOWAIT looks without reaping: the pid stays the child's while its slot
    // is cleared.
    siginfo_t info{};
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
      if (errno == EINTR) {
        continue;
      }
      break;  // ECHILD: no child left
    }
    if (info.si_pid == 0) {
      break;
    }
    ended.push_back(reap(info.si_pid));
  }
  return ended;
}

std::vector<ProcessEnd> WorkerProcesses::reap_all() {
  std::vector<ProcessEnd> ended;
  while (running() > 0) {
    siginfo_t info{};
    if (waitid(P_ALL, 0, &info, WEXITED | WNOWAIT) != 0) {
      if (errno == EINTR) {
        continue;
      }
      // ECHILD: someone else reaped them (cannot happen in this program).
      for (std::atomic<pid_t>& child : children) {
        child.store(0);
      }
      break;
    }
    ended.push_back(reap(info.si_pid));
  }
  return ended;
}

void WorkerProcesses::kill_all() {
  for (const std::atomic<pid_t>& child : children) {
    const pid_t pid = child.load();
    if (pid > 0) {
      ::kill(pid, SIGKILL);
    }
  }
}

std::size_t WorkerProcesses::running() const {
  std::size_t count = 0;
  for (const std::atomic<pid_t>& child : children) {
    count += child.load() > 0 ? 1 : 0;
  }
  return count;
}

int WorkerProcesses::stop_signal() { return stop_signal_seen.load(); }

void WorkerProcesses::die_by(int signal_number) {
  struct sigaction action = {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  sigaction(signal_number, &action, nullptr);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, signal_number);
  pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
  raise(signal_number);
  std::_Exit(128 + signal_number);
}

}  // namespace ntsem_tool

// The worker processes of the demo: this very program, started again by fork
// and exec with other arguments, and taken back by waitpid.
//
// The children share nothing with the demo by fork alone: exec replaces all
// of its memory, and every descriptor but the one passed on is closed by
// O_CLOEXEC.  Whatever they share they must open again by name.
#pragma once

#include <sys/types.h>

#include <span>
#include <string>
#include <vector>

namespace ntsem_tool {

// The most workers one demo may start.
inline constexpr int max_worker_processes = 256;

// A child that has ended, as waitpid(2) told it.
struct ProcessEnd {
  pid_t pid;
  int status;
};

// "exited with status 1", "was killed by SIGSEGV".
std::string describe_end(int wait_status);
[[nodiscard]] bool ended_well(int wait_status);  // exited with status 0
[[nodiscard]] bool killed_by(int wait_status, int signal_number);

// The children of one demo.  While an object of this class lives, SIGINT,
// SIGTERM, SIGHUP and SIGPIPE do not end the demo at once: their handler
// sends SIGKILL to every child and notes the signal, and the demo, seeing it,
// cleans up and ends by that signal.  Only one object may live at a time.
class WorkerProcesses {
 public:
  WorkerProcesses();
  // Kills and reaps every child left, and puts back the signal handlers.
  ~WorkerProcesses();
  WorkerProcesses(const WorkerProcesses&) = delete;
  WorkerProcesses& operator=(const WorkerProcesses&) = delete;

  // Starts /proc/self/exe with `arguments` (argv[0] first).  The child keeps
  // `inherited_fd` open across exec (and no other descriptor that has
  // O_CLOEXEC) and gets SIGKILL when this process dies.  The child's pid, or
  // -1 with errno set.
  pid_t spawn(std::span<const std::string> arguments, int inherited_fd);

  // The children that have ended since the last call, reaped, without waiting.
  std::vector<ProcessEnd> reap_ended();

  // Waits for every child left.
  std::vector<ProcessEnd> reap_all();

  // SIGKILL to every child not reaped yet.
  void kill_all();

  [[nodiscard]] std::size_t running() const;

  // The signal that asked the demo to stop, or 0.
  [[nodiscard]] static int stop_signal();

  // Ends this process by `signal_number` as if the handler had never been
  // there: for the end of a demo that was asked to stop.
  [[noreturn]] static void die_by(int signal_number);

 private:
  void forget(pid_t pid);
  // Forgets a child that has ended (so the stop handler never signals a
  // reused pid), then reaps it.
  ProcessEnd reap(pid_t pid);
};

}  // namespace ntsem_tool

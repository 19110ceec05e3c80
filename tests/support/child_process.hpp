// Real child processes for multi-process tests: spawns the helper ntsem_child
// (fork + exec, never fork alone) with pipes on its stdin and stdout, so a
// test drives it command by command and synchronises on its output lines.
// The commands and their output are documented at the top of
// tests/child/ntsem_child.cpp.
//
//   ntsem::test::child_process child;                 // starts ntsem_child
//   EXPECT_EQ(child.ask("create-sem - 0 1"), "ok h=0 err=0");
//   child.send("block-on h0");
//   EXPECT_EQ(child.expect_line(), "blocking");
//   child.kill(SIGKILL);
//   EXPECT_TRUE(child.wait_exit().killed_by(SIGKILL));
//
// Timeouts here are deadlock guards only (default 60 s): they end a test that
// would otherwise hang, and never decide whether a correct run passes.
//
// Nothing here depends on GoogleTest.  Failures to start a child throw
// std::runtime_error (GoogleTest reports it as a test failure); a missing
// line is returned as a diagnostic text that starts with '<', which no child
// output does, so EXPECT_EQ shows what happened.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace ntsem::test {

inline constexpr std::chrono::milliseconds child_guard{std::chrono::seconds(60)};

// How a child ended.
struct exit_status {
  enum class kind { running, exited, signaled };
  kind how = kind::running;  // running: wait_exit's guard expired
  int code = -1;             // exit code, when exited
  int signal = 0;            // signal number, when signaled
  bool core_dumped = false;

  bool exited_with(int c) const { return how == kind::exited && code == c; }
  bool killed_by(int sig) const { return how == kind::signaled && signal == sig; }
  // "exited 0", "killed by signal 9 (Killed)", "still running".
  std::string describe() const;
};

// Credentials to run a child with (groups: just `gid`).
struct user_ids {
  uid_t uid;
  gid_t gid;
};

struct child_options {
  // Command lines passed as argv, run before those sent on stdin.
  std::vector<std::string> commands;
  // Run as another user.  Only possible when can_switch_user().
  std::optional<user_ids> user;
  // The binary; empty: child_process::default_path().
  std::string path;
  // SIGKILL the child when the THREAD that spawned it ends (PR_SET_PDEATHSIG),
  // so a crashed or killed test leaves no blocked child behind.  Turn off to
  // spawn from a short-lived thread.
  bool die_with_parent = true;
  // "NAME=value" entries set in the child's environment (each replaces the
  // inherited value of NAME); the rest is inherited.
  std::vector<std::string> environment = {};
};

class child_process {
 public:
  // Starts the child.  Throws std::runtime_error if it cannot be started
  // (including exec failures, reported with the errno of the child).
  explicit child_process(child_options options = {});
  explicit child_process(std::vector<std::string> commands)
      : child_process(child_options{std::move(commands), {}, {}, true}) {}
  // Kills (SIGKILL) and reaps the child if it has not been reaped.
  ~child_process();

  child_process(child_process&& other) noexcept;
  child_process& operator=(child_process&& other) noexcept;
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }

  // Writes `line` and a newline to the child's stdin.  False if nobody reads
  // it any more (stdin closed here, or the child has ended: surely so once it
  // is a zombie; end of file on its stdout may come a little earlier).
  // Never raises SIGPIPE.
  bool send(std::string_view line);
  // End of file on the child's stdin: it exits 0 after its last command.
  void close_stdin();

  // The next line of the child's stdout, without its newline; nullopt at end
  // of file or when the guard expires.
  std::optional<std::string> read_line(std::chrono::milliseconds guard = child_guard);
  // As read_line, but a missing line is "<eof>" or "<no line within N ms>".
  std::string expect_line(std::chrono::milliseconds guard = child_guard);
  // send(line), then expect_line().
  std::string ask(std::string_view line, std::chrono::milliseconds guard = child_guard);
  // Every remaining line until end of file (or the guard).
  std::vector<std::string> read_all(std::chrono::milliseconds guard = child_guard);

  // Sends a signal (default SIGKILL).  False once the child has been reaped.
  bool kill(int sig = SIGKILL);
  // Closes the child's stdin (so an idle child exits 0), then reaps the
  // child; kind::running if it has not ended within the guard.  Once reaped,
  // returns the same status again.
  exit_status wait_exit(std::chrono::milliseconds guard = child_guard);

  // True once the child's main thread is asleep in the kernel in a futex
  // wait (or, where /proc/PID/syscall is unreadable, merely asleep).  After
  // "blocking" from block-on this tells that the wait really sleeps.  False
  // if the guard expired or the child ended.
  bool wait_until_sleeping(std::chrono::milliseconds guard = child_guard);
  // True once the child is stopped (SIGSTOP).  A child that stops itself
  // says so before it raises the signal: a SIGCONT sent in between is lost,
  // and the child then stays stopped.  False if the guard expired or the
  // child ended.
  bool wait_until_stopped(std::chrono::milliseconds guard = child_guard);

  // The test process may run children as another user: it has CAP_SETUID and
  // CAP_SETGID (in practice: runs as root).
  static bool can_switch_user();
  // An unprivileged user other than the caller: "nobody", else 65534:65534.
  static user_ids unprivileged_user();
  // Empty if a child runs as `user` (tried for real, with print-uid);
  // otherwise why not, for a skip message.
  static std::string cannot_run_as(user_ids user);
  // $NTSEM_CHILD if set, else the compiled-in path of ntsem_child.
  static std::string default_path();

 private:
  void release() noexcept;
  // /proc/PID/task/PID/, the main thread's directory.
  std::string main_task() const;
  // The main thread's state letter in /proc (R, S, T, Z, ...); X if gone.
  char main_thread_state() const;

  pid_t pid_ = -1;
  int to_child_ = -1;    // the child's stdin
  int from_child_ = -1;  // the child's stdout
  std::string buffer_;   // read but not yet returned
  bool eof_ = false;
  bool reaped_ = false;
  exit_status status_;
};

struct child_run {
  int exit_code = -1;  // the exit code, or 128 + signal if killed
  std::vector<std::string> output_lines;
  exit_status status;
};

// Runs the child to its end with `commands` as argv and an empty stdin.
child_run run_child(std::vector<std::string> commands, std::optional<user_ids> user = {},
                    std::chrono::milliseconds guard = child_guard);
// The same for any child_options (another program: options.path, with the
// commands as its arguments).
child_run run_program(child_options options, std::chrono::milliseconds guard = child_guard);

// Has an ntsem_child block on `handles` ("h0", or "h0 h1 ..." for a
// wait-any: its block-on command) and waits until it sleeps there.  The
// wait's result line, if it ever returns, is left to read.
::testing::AssertionResult asleep_in_wait(child_process& child, std::string_view handles = "h0");

}  // namespace ntsem::test

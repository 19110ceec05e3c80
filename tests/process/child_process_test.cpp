// Self-test of the multi-process harness: ntsem_child (tests/child) driven
// through child_process (tests/support).  Only what ntsem does today: unnamed
// semaphores inside one child, errors, SIGKILL of a blocked child, reaping,
// and running the child as another user.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.hpp"

namespace {

using ntsem::test::child_options;
using ntsem::test::child_process;
using ntsem::test::run_child;
using ntsem::test::user_ids;
using lines = std::vector<std::string>;

bool reaped(pid_t pid) {
  int raw = 0;
  return ::waitpid(pid, &raw, WNOHANG) < 0 && errno == ECHILD;
}

TEST(ChildProcess, OneShotRunPrintsOneLinePerCommand) {
  auto run = run_child({"create-sem - 1 1", "wait h0 0", "wait h0 0", "release h0 1", "release h0 1",
                        "print-handle h0", "close h0", "close h0", "wait h0 0"});
  EXPECT_EQ(run.exit_code, 0) << run.status.describe();
  ASSERT_EQ(run.output_lines.size(), 9u);
  EXPECT_EQ(run.output_lines[0], "ok h=0 err=0");
  EXPECT_EQ(run.output_lines[1], "result=0x00000000 err=0");
  EXPECT_EQ(run.output_lines[2], "result=0x00000102 err=0");  // WAIT_TIMEOUT
  EXPECT_EQ(run.output_lines[3], "ok prev=0");
  EXPECT_EQ(run.output_lines[4], "fail err=298");  // ERROR_TOO_MANY_POSTS
  EXPECT_EQ(run.output_lines[5].rfind("handle=0x", 0), 0u) << run.output_lines[5];
  EXPECT_EQ(run.output_lines[6], "ok");
  EXPECT_EQ(run.output_lines[7], "fail err=6");  // ERROR_INVALID_HANDLE: the slot keeps the stale value
  EXPECT_EQ(run.output_lines[8], "result=0xFFFFFFFF err=6");  // WAIT_FAILED
}

TEST(ChildProcess, ExitCodeAndSignalAreReported) {
  auto run = run_child({"ready", "exit 7", "ready"});
  EXPECT_EQ(run.exit_code, 7);
  EXPECT_TRUE(run.status.exited_with(7)) << run.status.describe();
  EXPECT_EQ(run.output_lines, (lines{"ready", "ok"}));
}

TEST(ChildProcess, BadCommandsPrintOneFailureLineEach) {
  auto run = run_child({"bogus", "", "# a comment prints nothing", "wait h0", "wait h9 0",
                        "create-sem - x 1", "create-sem - 2 1", "create-sem - 0 1 NO_SUCH_RIGHT",
                        "release h0 1", "sleep", "ready"});
  EXPECT_EQ(run.exit_code, 0) << run.status.describe();
  EXPECT_EQ(run.output_lines, (lines{"fail unknown-command", "fail usage: wait hN MS", "fail bad-slot",
                                     "fail usage: create-sem NAME INITIAL MAX [ACCESS]",
                                     "fail err=87",  // initial > maximum: ERROR_INVALID_PARAMETER
                                     "fail usage: create-sem NAME INITIAL MAX [ACCESS]", "fail bad-slot",
                                     "fail usage: sleep MS", "ready"}));
}

TEST(ChildProcess, AccessMasksAreHonouredInTheChild) {
  auto run = run_child({"create-sem - 1 2 SYNCHRONIZE", "release h0 1", "wait h0 0",
                        "create-sem - 0 2 SEMAPHORE_MODIFY_STATE", "wait h1 0", "release h1 1"});
  EXPECT_EQ(run.output_lines, (lines{"ok h=0 err=0", "fail err=5", "result=0x00000000 err=0",
                                     "ok h=1 err=0", "result=0xFFFFFFFF err=5", "ok prev=0"}));
}

TEST(ChildProcess, OpenOfAMissingNameReportsFileNotFound) {
  child_process child;
  EXPECT_EQ(child.ask("open-sem ntsem-child-selftest-no-such-name"), "fail err=2");
  EXPECT_EQ(child.ask("ready"), "ready");
}

TEST(ChildProcess, StepByStepOverStdin) {
  child_process child({"create-sem - 0 1"});  // argv first, then stdin
  EXPECT_EQ(child.expect_line(), "ok h=0 err=0");
  EXPECT_EQ(child.ask("wait h0 0"), "result=0x00000102 err=0");
  EXPECT_EQ(child.ask("release h0 1"), "ok prev=0");
  EXPECT_EQ(child.ask("create-sem - 1 1"), "ok h=1 err=0");
  EXPECT_EQ(child.ask("wait-all 0 h0 h1"), "result=0x00000000 err=0");
  EXPECT_EQ(child.ask("wait-any 0 h0 h1"), "result=0x00000102 err=0");
  EXPECT_EQ(child.ask("release h1 1"), "ok prev=0");
  EXPECT_EQ(child.ask("wait-all 0 h0 h1"), "result=0x00000102 err=0");  // h0 still empty
  EXPECT_EQ(child.ask("wait-any INFINITE h0 h1"), "result=0x00000001 err=0");
  EXPECT_EQ(child.ask("sleep 1"), "ok");
  child.close_stdin();  // end of file: the child exits 0
  EXPECT_EQ(child.read_line(), std::nullopt);
  EXPECT_TRUE(child.wait_exit().exited_with(0));
}

TEST(ChildProcess, ChildInheritsOnlyStandardDescriptors) {
  int leaked = ::open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  ASSERT_GE(leaked, 0);
  auto run = run_child({"list-fds"});
  ::close(leaked);
  EXPECT_EQ(run.output_lines, (lines{"fds=0,1,2"}));
}

TEST(ChildProcess, SigkillWhileBlockedIsReapedWithoutResult) {
  child_process child;
  ASSERT_EQ(child.ask("create-sem - 0 1"), "ok h=0 err=0");
  ASSERT_TRUE(child.send("block-on h0"));
  ASSERT_EQ(child.expect_line(), "blocking");
  ASSERT_TRUE(child.wait_until_sleeping()) << "the child never went to sleep in its wait";
  pid_t pid = child.pid();
  EXPECT_TRUE(child.kill(SIGKILL));
  auto status = child.wait_exit();
  EXPECT_TRUE(status.killed_by(SIGKILL)) << status.describe();
  EXPECT_EQ(child.read_all(), lines{});  // the wait never returned
  EXPECT_TRUE(reaped(pid));
  EXPECT_FALSE(child.kill(SIGKILL));  // never signals a reaped (reusable) pid
  EXPECT_TRUE(child.wait_exit().killed_by(SIGKILL));  // the same status again
}

TEST(ChildProcess, AnIdleChildIsNotSleepingInAWait) {
  child_process child;
  ASSERT_EQ(child.ask("ready"), "ready");
  // Asleep in read(2) on stdin, not in a futex wait.
  EXPECT_FALSE(child.wait_until_sleeping(std::chrono::milliseconds(100)));
}

TEST(ChildProcess, DestructorKillsAndReapsAForgottenChild) {
  pid_t pid = -1;
  {
    child_process child({"create-sem - 0 1", "block-on h0"});
    ASSERT_EQ(child.expect_line(), "ok h=0 err=0");
    ASSERT_EQ(child.expect_line(), "blocking");
    pid = child.pid();
  }
  EXPECT_TRUE(reaped(pid));  // no zombie left, and no process either
}

TEST(ChildProcess, SendToAnExitedChildFailsWithoutSigpipe) {
  child_process child;
  EXPECT_EQ(child.ask("exit 0"), "ok");
  // Until the child is a zombie (not reaped, so its stdin stays open here):
  // only then is the read end of its stdin surely closed.
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(child.pid()), &info, WEXITED | WNOWAIT), 0);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(child.send("ready"));
  EXPECT_EQ(child.ask("ready"), "<child does not read stdin>");
  EXPECT_TRUE(child.wait_exit().exited_with(0));
}

TEST(ChildProcess, ExecFailureThrowsWithTheReason) {
  child_options options;
  options.path = "/nonexistent/ntsem_child";
  try {
    child_process child(options);
    ADD_FAILURE() << "started " << options.path;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("exec"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
  }
}

TEST(ChildProcess, ChildrenCanBeMovedAndHeldInBulk) {
  std::vector<child_process> children;
  for (int i = 0; i < 4; ++i) children.emplace_back(child_options{{"ready"}, {}, {}, true});
  for (auto& c : children) EXPECT_EQ(c.expect_line(), "ready");
  std::vector<pid_t> pids;
  for (auto& c : children) pids.push_back(c.pid());
  children.clear();
  for (pid_t p : pids) EXPECT_TRUE(reaped(p));
}

TEST(ChildProcess, DiesWithTheSpawningThreadUnlessAskedNotTo) {
  std::optional<child_process> tied, free_running;
  std::thread spawner([&] {
    tied.emplace(child_options{{"ready"}, {}, {}, true});
    free_running.emplace(child_options{{"ready"}, {}, {}, false});
  });
  spawner.join();
  EXPECT_TRUE(tied->wait_exit().killed_by(SIGKILL));  // PR_SET_PDEATHSIG
  EXPECT_EQ(free_running->expect_line(), "ready");
  EXPECT_EQ(free_running->ask("ready"), "ready");
}

TEST(ChildProcess, RunsAsAnUnprivilegedUser) {
  if (!child_process::can_switch_user())
    GTEST_SKIP() << "needs root (CAP_SETUID and CAP_SETGID) to run the child as another user";
  user_ids nobody = child_process::unprivileged_user();
  if (std::string why = child_process::cannot_run_as(nobody); !why.empty())
    GTEST_SKIP() << "cannot run ntsem_child as uid " << nobody.uid << ": " << why;

  auto self = run_child({"print-uid"});
  ASSERT_EQ(self.output_lines.size(), 1u);
  const std::string id = std::to_string(nobody.uid), gid = std::to_string(nobody.gid);
  const std::string expected = "uid=" + id + " gid=" + gid + " euid=" + id + " egid=" + gid + " groups=" + gid;

  child_process child(child_options{{"print-uid"}, nobody, {}, true});
  std::string line = child.expect_line();
  EXPECT_EQ(line, expected);
  EXPECT_NE(line, self.output_lines[0]);
  // ntsem works there, and the unprivileged child can still be SIGKILLed.
  ASSERT_EQ(child.ask("create-sem - 0 1"), "ok h=0 err=0");
  ASSERT_TRUE(child.send("block-on h0"));
  ASSERT_EQ(child.expect_line(), "blocking");
  EXPECT_TRUE(child.wait_until_sleeping());
  EXPECT_TRUE(child.kill(SIGKILL));
  EXPECT_TRUE(child.wait_exit().killed_by(SIGKILL));
}

}  // namespace

// Named semaphores across real processes: each child is ntsem_child, started
// with fork + exec and driven line by line (tests/support/child_process.hpp).
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

#include <ntsem/sddl.h>
#include <ntsem/windows.h>

#include "support/child_process.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::asleep_in_wait;
using ntsem::test::child_process;
using ntsem::test::count_of;
using ntsem::test::file_exists;
using ntsem::test::file_of;
using ntsem::test::unique_name;

// The name in the form ntsem_child reads (%XX for blanks; none here).
std::string create_line(const std::string& name, int initial, int maximum) {
  return "create-sem " + name + " " + std::to_string(initial) + " " + std::to_string(maximum);
}

TEST(NamedAcrossProcesses, AnotherProcessOpensAndReleases) {
  const std::string name = unique_name("cross-release");
  HANDLE h = CreateSemaphoreA(nullptr, 0, 5, name.c_str());
  ASSERT_NE(h, nullptr);
  child_process child;
  EXPECT_EQ(child.ask("open-sem " + name), "ok h=0 err=0");
  EXPECT_EQ(child.ask("release h0 2"), "ok prev=0");
  EXPECT_EQ(count_of(h), 2);
  // And the other way: a unit taken here is gone there.
  EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  EXPECT_EQ(child.ask("release h0 4"), "ok prev=1");
  EXPECT_EQ(child.ask("release h0 1"), "fail err=298");
  EXPECT_TRUE(child.wait_exit().exited_with(0));
  CloseHandle(h);
}

TEST(NamedAcrossProcesses, AWaitInAnotherProcessIsSatisfiedByARelease) {
  const std::string name = unique_name("cross-wait");
  HANDLE h = CreateSemaphoreA(nullptr, 0, 5, name.c_str());
  child_process child;
  EXPECT_EQ(child.ask("open-sem " + name), "ok h=0 err=0");
  EXPECT_EQ(child.ask("wait h0 0"), "result=0x00000102 err=0");
  EXPECT_EQ(child.ask("wait h0 50"), "result=0x00000102 err=0");
  ASSERT_TRUE(asleep_in_wait(child));
  EXPECT_TRUE(ReleaseSemaphore(h, 1, nullptr));
  EXPECT_EQ(child.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(count_of(h), 0);
  EXPECT_TRUE(child.wait_exit().exited_with(0));
  CloseHandle(h);
  EXPECT_FALSE(file_exists(file_of(name)));
}

TEST(NamedAcrossProcesses, AReleaseOfNSatisfiesExactlyNWaitingProcesses) {
  const std::string name = unique_name("cross-n");
  HANDLE h = CreateSemaphoreA(nullptr, 0, 5, name.c_str());
  std::vector<child_process> children(3);
  for (child_process& c : children) {
    ASSERT_EQ(c.ask("open-sem " + name), "ok h=0 err=0");
    ASSERT_TRUE(asleep_in_wait(c));
  }
  EXPECT_TRUE(ReleaseSemaphore(h, 2, nullptr));
  int satisfied = 0;
  for (child_process& c : children)
    if (auto line = c.read_line(std::chrono::milliseconds(2000))) {
      EXPECT_EQ(*line, "result=0x00000000 err=0");
      ++satisfied;
    }
  EXPECT_EQ(satisfied, 2);
  EXPECT_EQ(count_of(h), 0);
  EXPECT_TRUE(ReleaseSemaphore(h, 1, nullptr));
  for (child_process& c : children) c.wait_exit();
  CloseHandle(h);
}

// Windows closes every handle of a process that ends: a last holder that
// exits without closing leaves neither object nor file.
TEST(NamedAcrossProcesses, AnExitingLastHolderLeavesNoFile) {
  const std::string name = unique_name("exit-without-close");
  child_process child;
  ASSERT_EQ(child.ask(create_line(name, 1, 1)), "ok h=0 err=0");
  ASSERT_TRUE(file_exists(file_of(name)));
  EXPECT_EQ(child.ask("exit 0"), "ok");
  EXPECT_TRUE(child.wait_exit().exited_with(0));
  EXPECT_FALSE(file_exists(file_of(name)));
}

TEST(NamedAcrossProcesses, AKilledCreatorLeavesNoObject) {
  const std::string name = unique_name("killed-creator");
  child_process child;
  ASSERT_EQ(child.ask(create_line(name, 3, 3)), "ok h=0 err=0");
  ASSERT_TRUE(file_exists(file_of(name)));
  child.kill(SIGKILL);
  ASSERT_TRUE(child.wait_exit().killed_by(SIGKILL));
  SetLastError(0);
  EXPECT_EQ(OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name.c_str()), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_FILE_NOT_FOUND));
  EXPECT_FALSE(file_exists(file_of(name)));
  HANDLE fresh = CreateSemaphoreA(nullptr, 0, 1, name.c_str());
  EXPECT_EQ(GetLastError(), DWORD(ERROR_SUCCESS));
  EXPECT_EQ(ntsem::test::state_of(fresh), (ntsem::test::semaphore_state{0, 1}));
  CloseHandle(fresh);
}

TEST(NamedAcrossProcesses, AKilledCreatorsObjectIsRemadeByTheNextCreate) {
  const std::string name = unique_name("killed-remade");
  child_process child;
  ASSERT_EQ(child.ask(create_line(name, 3, 3)), "ok h=0 err=0");
  child.kill(SIGKILL);
  child.wait_exit();
  SetLastError(0xDEADBEEF);
  HANDLE fresh = CreateSemaphoreA(nullptr, 1, 7, name.c_str());
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_SUCCESS));
  EXPECT_EQ(ntsem::test::state_of(fresh), (ntsem::test::semaphore_state{1, 7}));
  CloseHandle(fresh);
  EXPECT_FALSE(file_exists(file_of(name)));
}

TEST(NamedAcrossProcesses, AWaiterKilledWhileBlockedTakesNothing) {
  const std::string name = unique_name("killed-waiter");
  HANDLE h = CreateSemaphoreA(nullptr, 0, 2, name.c_str());
  child_process child;
  ASSERT_EQ(child.ask("open-sem " + name), "ok h=0 err=0");
  ASSERT_TRUE(asleep_in_wait(child));
  child.kill(SIGKILL);
  ASSERT_TRUE(child.wait_exit().killed_by(SIGKILL));
  EXPECT_TRUE(ReleaseSemaphore(h, 1, nullptr));
  EXPECT_EQ(count_of(h), 1);
  EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  CloseHandle(h);
  EXPECT_FALSE(file_exists(file_of(name)));
}

// Hand-off across processes: the unit is the waiting process's by the time
// the release returns, before that process has run.
TEST(NamedAcrossProcesses, AReleaseHandsTheUnitToTheWaitingProcessBeforeItReturns) {
  const std::string name = unique_name("cross-handoff");
  HANDLE h = CreateSemaphoreA(nullptr, 0, 5, name.c_str());
  child_process child;
  ASSERT_EQ(child.ask("open-sem " + name), "ok h=0 err=0");
  ASSERT_TRUE(asleep_in_wait(child));
  ASSERT_TRUE(ReleaseSemaphore(h, 1, nullptr));
  EXPECT_EQ(count_of(h), 0);
  EXPECT_EQ(WaitForSingleObject(h, 0), DWORD(WAIT_TIMEOUT));
  EXPECT_EQ(child.expect_line(), "result=0x00000000 err=0");
  EXPECT_TRUE(child.wait_exit().exited_with(0));
  CloseHandle(h);
}

// A killed waiter's entry stays queued until a release meets it: the
// kernel has marked its claim word, so the release drops it and goes on.
TEST(NamedAcrossProcesses, AReleasePassesOverAKilledWaiterToTheNextOne) {
  const std::string name = unique_name("cross-killed-first");
  HANDLE h = CreateSemaphoreA(nullptr, 0, 5, name.c_str());
  child_process first, second;
  for (child_process* c : {&first, &second}) {
    ASSERT_EQ(c->ask("open-sem " + name), "ok h=0 err=0");
    ASSERT_TRUE(asleep_in_wait(*c));
  }
  EXPECT_EQ(ntsem::test::queue_length(h), 2u);
  first.kill(SIGKILL);
  ASSERT_TRUE(first.wait_exit().killed_by(SIGKILL));
  ASSERT_TRUE(ReleaseSemaphore(h, 1, nullptr));
  EXPECT_EQ(count_of(h), 0);
  EXPECT_EQ(second.expect_line(), "result=0x00000000 err=0");
  EXPECT_TRUE(second.wait_exit().exited_with(0));
  EXPECT_EQ(ntsem::test::queue_length(h), 0u);
  CloseHandle(h);
}

// Two new named semaphores (count 0, maximum 5), and a child that opens
// them as h0 and h1 and blocks in a wait-any on both.
struct wait_any_in_child {
  HANDLE a = nullptr;
  HANDLE b = nullptr;
  child_process child;

  ::testing::AssertionResult start(const std::string& prefix) {
    const std::string name_a = unique_name(prefix + "-a"), name_b = unique_name(prefix + "-b");
    a = CreateSemaphoreA(nullptr, 0, 5, name_a.c_str());
    b = CreateSemaphoreA(nullptr, 0, 5, name_b.c_str());
    if (!a || !b) return ::testing::AssertionFailure() << "CreateSemaphoreA failed";
    if (child.ask("open-sem " + name_a) != "ok h=0 err=0" ||
        child.ask("open-sem " + name_b) != "ok h=1 err=0")
      return ::testing::AssertionFailure() << "the child could not open both";
    return asleep_in_wait(child, "h0 h1");
  }
  ~wait_any_in_child() {
    CloseHandle(a);
    CloseHandle(b);
  }
};

// A wait-any in another process queues on each of its objects: the release
// of one hands it that object's unit before the release returns, and the
// other object is left alone.
TEST(NamedAcrossProcesses, AReleaseHandsItsUnitToAWaitAnyInAnotherProcess) {
  wait_any_in_child w;
  ASSERT_TRUE(w.start("cross-any"));
  EXPECT_EQ(ntsem::test::queue_length(w.a), 1u);
  EXPECT_EQ(ntsem::test::queue_length(w.b), 1u);
  ASSERT_TRUE(ReleaseSemaphore(w.b, 1, nullptr));
  EXPECT_EQ(count_of(w.b), 0);
  EXPECT_EQ(w.child.expect_line(), "result=0x00000001 err=0");
  EXPECT_TRUE(w.child.wait_exit().exited_with(0));
  EXPECT_EQ(count_of(w.a), 0);
  EXPECT_EQ(ntsem::test::queue_length(w.a), 0u);
  EXPECT_EQ(ntsem::test::queue_length(w.b), 0u);
}

// A wait-any waiter killed while blocked is queued on both objects; the
// kernel marks its claim word, so each release passes it by and nothing is
// taken from either object.
TEST(NamedAcrossProcesses, AWaitAnyWaiterKilledWhileBlockedTakesNothing) {
  wait_any_in_child w;
  ASSERT_TRUE(w.start("killed-any"));
  w.child.kill(SIGKILL);
  ASSERT_TRUE(w.child.wait_exit().killed_by(SIGKILL));
  ASSERT_TRUE(ReleaseSemaphore(w.a, 1, nullptr));
  ASSERT_TRUE(ReleaseSemaphore(w.b, 2, nullptr));
  EXPECT_EQ(count_of(w.a), 1);
  EXPECT_EQ(count_of(w.b), 2);
  EXPECT_EQ(ntsem::test::queue_length(w.a), 0u);
  EXPECT_EQ(ntsem::test::queue_length(w.b), 0u);
}

// Both children are told to create at the same moment, many times over:
// the kernel's O_EXCL link decides, so exactly one makes the object and the
// other opens it with ERROR_ALREADY_EXISTS.
TEST(NamedAcrossProcesses, TwoProcessesRacingToCreateGetOneObject) {
  child_process a, b;
  for (int round = 0; round < 50; ++round) {
    const std::string name = unique_name("race-" + std::to_string(round));
    a.send(create_line(name, 1, 1));
    b.send(create_line(name, 1, 1));
    const std::string ra = a.expect_line(), rb = b.expect_line();
    const std::string made = "ok h=" + std::to_string(round) + " err=0";
    const std::string opened = "ok h=" + std::to_string(round) + " err=183";
    EXPECT_TRUE((ra == made && rb == opened) || (ra == opened && rb == made))
        << "round " << round << ": " << ra << " / " << rb;
    // One object: the unit taken by one is gone for the other.
    EXPECT_EQ(a.ask("wait h" + std::to_string(round) + " 0"), "result=0x00000000 err=0");
    EXPECT_EQ(b.ask("wait h" + std::to_string(round) + " 0"), "result=0x00000102 err=0");
  }
  EXPECT_TRUE(a.wait_exit().exited_with(0));
  EXPECT_TRUE(b.wait_exit().exited_with(0));
}

// Processes that create and close one name over and over, all at once, so
// that joins race leaves and last holders leave together: every create
// succeeds (new, or the object another holds), and once all are done no
// file is left (two last holders leaving at once must not both keep it).
TEST(NamedAcrossProcesses, ChurningCreatesAndClosesNeverFailAndLeaveNothing) {
  const std::string name = unique_name("churn");
  constexpr int processes = 3;
  constexpr int rounds = 300;
  std::vector<child_process> children(processes);
  for (child_process& c : children) {
    std::string script;
    for (int i = 0; i < rounds; ++i)
      script += create_line(name, 0, 1) + "\nclose h" + std::to_string(i) + "\n";
    ASSERT_TRUE(c.send(script.substr(0, script.size() - 1)));
  }
  int fresh = 0;
  for (child_process& c : children) {
    for (int i = 0; i < rounds; ++i) {
      const std::string created = c.expect_line();
      const std::string prefix = "ok h=" + std::to_string(i) + " err=";
      ASSERT_TRUE(created == prefix + "0" || created == prefix + "183") << created;
      fresh += created == prefix + "0";
      ASSERT_EQ(c.expect_line(), "ok");
    }
  }
  for (child_process& c : children) EXPECT_TRUE(c.wait_exit().exited_with(0));
  EXPECT_GE(fresh, 1);
  EXPECT_FALSE(file_exists(file_of(name)));
}

// A second user is refused an object made with the default descriptor (the
// creating user only): the operating system refuses to open its file.
TEST(NamedAcrossProcesses, AnotherUserIsRefusedAnOwnerOnlyObject) {
  if (!child_process::can_switch_user()) GTEST_SKIP() << "needs root to run a child as another user";
  const auto nobody = child_process::unprivileged_user();
  if (std::string why = child_process::cannot_run_as(nobody); !why.empty()) GTEST_SKIP() << why;
  const std::string name = "Global\\" + unique_name("owner-only");
  HANDLE h = CreateSemaphoreA(nullptr, 1, 1, name.c_str());
  ASSERT_NE(h, nullptr);
  ntsem::test::child_options options;
  options.user = nobody;
  child_process stranger(options);
  EXPECT_EQ(stranger.ask("open-sem " + name), "fail err=5");
  EXPECT_EQ(stranger.ask("open-sem " + name + " SYNCHRONIZE"), "fail err=5");
  EXPECT_EQ(stranger.ask(create_line(name, 0, 1)), "fail err=5");
  EXPECT_TRUE(stranger.wait_exit().exited_with(0));
  EXPECT_EQ(count_of(h), 1);
  CloseHandle(h);
}

// ---- Descriptors that admit another user (docs/namespace.md, "Access") ----

namespace descriptor_tests {

using ntsem::test::sddl_descriptor;

// Runs `body` with a child running as an unprivileged user, or skips.
class AnotherUser : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!child_process::can_switch_user()) GTEST_SKIP() << "needs root to run a child as another user";
    user_ = child_process::unprivileged_user();
    if (std::string why = child_process::cannot_run_as(user_); !why.empty()) GTEST_SKIP() << why;
  }
  child_process stranger() {
    ntsem::test::child_options options;
    options.user = user_;
    return child_process(options);
  }
  HANDLE create_with(const std::string& sddl, const std::string& name, LONG initial = 1) {
    sddl_descriptor d(sddl);
    EXPECT_TRUE(d.ok()) << sddl;
    SetLastError(0xDEAD);
    HANDLE h = CreateSemaphoreA(d.attributes(), initial, 5, name.c_str());
    EXPECT_NE(h, nullptr) << GetLastError();
    EXPECT_EQ(GetLastError(), DWORD(ERROR_SUCCESS));
    return h;
  }
  ntsem::test::user_ids user_{};
  const std::string name_ = "Global\\" + unique_name("granted");
};

TEST_F(AnotherUser, IsAdmittedWhenTheDescriptorGrantsEveryone) {
  HANDLE h = create_with("D:(A;;GA;;;WD)", name_, 0);
  ASSERT_NE(h, nullptr);
  child_process other = stranger();
  EXPECT_EQ(other.ask("open-sem " + name_), "ok h=0 err=0");
  EXPECT_EQ(other.ask("release h0 2"), "ok prev=0");
  EXPECT_EQ(count_of(h), 2);
  EXPECT_EQ(other.ask("wait h0 0"), "result=0x00000000 err=0");
  EXPECT_EQ(count_of(h), 1);
  EXPECT_EQ(other.ask(create_line(name_, 0, 1)), "ok h=1 err=183");
  EXPECT_TRUE(other.wait_exit().exited_with(0));
  CloseHandle(h);
}

// Root may write every record: its release claims the other user's waiter
// directly, and the unit is consumed before the release returns.
TEST_F(AnotherUser, IsHandedTheUnitByRootsRelease) {
  HANDLE h = create_with("D:(A;;GA;;;WD)", name_, 0);
  ASSERT_NE(h, nullptr);
  child_process other = stranger();
  ASSERT_EQ(other.ask("open-sem " + name_), "ok h=0 err=0");
  ASSERT_TRUE(asleep_in_wait(other));
  ASSERT_TRUE(ReleaseSemaphore(h, 1, nullptr));
  EXPECT_EQ(count_of(h), 0);
  EXPECT_EQ(other.expect_line(), "result=0x00000000 err=0");
  EXPECT_TRUE(other.wait_exit().exited_with(0));
  CloseHandle(h);
}

// The other user may not write root's record, so its release cannot claim
// root's waiter: it leaves the unit in the count and rings the waiter's
// doorbell, and the waiter takes the unit itself.
TEST_F(AnotherUser, WakesAWaiterWhoseRecordItMayNotWrite) {
  HANDLE h = create_with("D:(A;;GA;;;WD)", name_, 0);
  ASSERT_NE(h, nullptr);
  std::atomic<DWORD> result{0xFFFF};
  std::thread waiter([&] { result = WaitForSingleObject(h, 60000); });
  ASSERT_TRUE(ntsem::test::eventually([&] { return ntsem::test::queue_length(h) == 1; }));
  child_process other = stranger();
  ASSERT_EQ(other.ask("open-sem " + name_), "ok h=0 err=0");
  EXPECT_EQ(other.ask("release h0 1"), "ok prev=0");
  waiter.join();
  EXPECT_EQ(result.load(), DWORD(WAIT_OBJECT_0));
  EXPECT_EQ(count_of(h), 0);
  EXPECT_EQ(ntsem::test::queue_length(h), 0u);
  EXPECT_TRUE(other.wait_exit().exited_with(0));
  CloseHandle(h);
}

// The same for a wait-any: root's thread waits on an object of its own and
// on the shared one; the other user's release of the shared one rings the
// doorbell of that entry, and the waiter takes the unit itself.
TEST_F(AnotherUser, WakesAWaitAnyWaiterWhoseRecordItMayNotWrite) {
  HANDLE h = create_with("D:(A;;GA;;;WD)", name_, 0);
  ASSERT_NE(h, nullptr);
  HANDLE mine = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  std::atomic<DWORD> result{0xFFFF};
  std::thread waiter([&] {
    const HANDLE both[] = {mine, h};
    result = WaitForMultipleObjects(2, both, FALSE, 60000);
  });
  ASSERT_TRUE(ntsem::test::eventually([&] { return ntsem::test::queue_length(h) == 1; }));
  child_process other = stranger();
  ASSERT_EQ(other.ask("open-sem " + name_), "ok h=0 err=0");
  EXPECT_EQ(other.ask("release h0 1"), "ok prev=0");
  waiter.join();
  EXPECT_EQ(result.load(), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(count_of(h), 0);
  EXPECT_EQ(count_of(mine), 0);
  EXPECT_EQ(ntsem::test::queue_length(h), 0u);
  EXPECT_EQ(ntsem::test::queue_length(mine), 0u);
  EXPECT_TRUE(other.wait_exit().exited_with(0));
  CloseHandle(mine);
  CloseHandle(h);
}

TEST_F(AnotherUser, GetsOnlyTheRightsTheDescriptorGrants) {
  HANDLE h = create_with("D:(A;;0x00100000;;;WD)", name_);  // SYNCHRONIZE only
  ASSERT_NE(h, nullptr);
  child_process other = stranger();
  EXPECT_EQ(other.ask("open-sem " + name_ + " SEMAPHORE_MODIFY_STATE"), "fail err=5");
  EXPECT_EQ(other.ask("open-sem " + name_), "fail err=5");  // SEMAPHORE_ALL_ACCESS
  EXPECT_EQ(other.ask(create_line(name_, 0, 1)), "fail err=5");
  EXPECT_EQ(other.ask("open-sem " + name_ + " SYNCHRONIZE"), "ok h=0 err=0");
  EXPECT_EQ(other.ask("wait h0 0"), "result=0x00000000 err=0");
  EXPECT_EQ(other.ask("release h0 1"), "fail err=5");
  EXPECT_TRUE(other.wait_exit().exited_with(0));
  EXPECT_EQ(count_of(h), 0);
  CloseHandle(h);
}

// A deviation from Windows, on the safe side: a user granted only rights
// that read gets a read-only file, and ntsem has no read-only holders, so
// the kernel refuses the open (Windows would let it query the object).
TEST_F(AnotherUser, GrantedOnlyReadingIsRefusedByTheKernel) {
  HANDLE h = create_with("D:(A;;GR;;;WD)", name_);
  ASSERT_NE(h, nullptr);
  child_process other = stranger();
  EXPECT_EQ(other.ask("open-sem " + name_ + " SEMAPHORE_QUERY_STATE"), "fail err=5");
  EXPECT_TRUE(other.wait_exit().exited_with(0));
  CloseHandle(h);
}

// The other user's closed view is parked (INV-PARK) with a descriptor the
// kernel opened for writing.  Its holders killed, the object is re-made in
// the same file with a descriptor that grants only reading: the kernel would
// refuse a new open, so the parked view must not be joined again.
TEST_F(AnotherUser, IsRefusedByTheKernelAfterTheObjectIsRemadeUnderItsParkedView) {
  child_process maker;
  ASSERT_EQ(maker.ask("create-sem-sd " + name_ + " 1 5 D:(A;;GA;;;WD)"), "ok h=0 err=0");
  child_process other = stranger();
  EXPECT_EQ(other.ask("open-sem " + name_), "ok h=0 err=0");
  EXPECT_EQ(other.ask("close h0"), "ok");
  maker.kill(SIGKILL);
  ASSERT_TRUE(maker.wait_exit().killed_by(SIGKILL));
  HANDLE h = create_with("D:(A;;GR;;;WD)", name_);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(other.ask("open-sem " + name_ + " SEMAPHORE_QUERY_STATE"), "fail err=5");
  EXPECT_TRUE(other.wait_exit().exited_with(0));
  CloseHandle(h);
}

TEST_F(AnotherUser, IsAdmittedThroughTheFilesGroup) {
  const std::string group = "S-1-22-2-" + std::to_string(user_.gid);
  HANDLE h = create_with("G:" + group + "D:(A;;GA;;;" + group + ")", name_);
  ASSERT_NE(h, nullptr);
  struct stat st {};
  ASSERT_EQ(::stat(file_of(name_).c_str(), &st), 0);
  EXPECT_EQ(st.st_gid, user_.gid);
  EXPECT_EQ(st.st_mode & 0777, 0660u);
  child_process other = stranger();
  EXPECT_EQ(other.ask("open-sem " + name_), "ok h=0 err=0");
  EXPECT_TRUE(other.wait_exit().exited_with(0));
  CloseHandle(h);
}

// Root may give an object away: the owner SID makes the other user its
// owner, and the default DACL then admits that owner.
TEST_F(AnotherUser, RootMayMakeAnotherUserTheOwner) {
  HANDLE h = create_with("O:S-1-22-1-" + std::to_string(user_.uid), name_);
  ASSERT_NE(h, nullptr);
  struct stat st {};
  ASSERT_EQ(::stat(file_of(name_).c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, user_.uid);
  child_process other = stranger();
  EXPECT_EQ(other.ask("open-sem " + name_), "ok h=0 err=0");
  EXPECT_TRUE(other.wait_exit().exited_with(0));
  CloseHandle(h);
}

// Only root may name another owner; and the default DACL admits root (as
// Windows' default DACL admits SYSTEM) to a user's object.
TEST_F(AnotherUser, MayNotNameAnotherOwnerAndAdmitsRootByDefault) {
  child_process other = stranger();
  EXPECT_EQ(other.ask("create-sem-sd " + name_ + " 1 5 O:BA"), "fail err=1307");
  EXPECT_EQ(other.ask("create-sem-sd " + name_ + " 1 5 O:S-1-22-1-0"), "fail err=1307");
  EXPECT_EQ(other.ask(create_line(name_, 1, 5)), "ok h=0 err=0");
  SetLastError(0xDEAD);
  HANDLE h = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name_.c_str());
  EXPECT_NE(h, nullptr) << GetLastError();
  EXPECT_EQ(count_of(h), 1);
  CloseHandle(h);
  EXPECT_TRUE(other.wait_exit().exited_with(0));
}

}  // namespace descriptor_tests

}  // namespace

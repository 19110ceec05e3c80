// A wait-all killed inside its commit (wait/held_objects.hpp,
// object/commit_mark.hpp): the objects end taken all or none (INV-ALL),
// whoever meets them first repairs them, and nobody is left waiting.
//
// The helper engine_child opens three named semaphores, goes through a
// wait-all commit on them up to a chosen step and SIGKILLs itself there;
// this process then looks at the objects in the different ways a user
// would meet them first (a query, a poll, a release, a wait-all).
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <array>
#include <string>

#include <ntsem/windows.h>

#include "namespace/dead_records.hpp"
#include "process/engine_child_process.hpp"
#include "support/semaphore_state.hpp"

namespace {

using ntsem::test::count_of;
using ntsem::test::queue_length;

constexpr LONG initial = 5;

class WaitAllKilledInCommit : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::size_t i = 0; i < objects.size(); ++i) {
      names[i] = "wait-all-repair-" + std::to_string(i);
      objects[i] = CreateSemaphoreA(nullptr, initial, 10, names[i].c_str());
      ASSERT_NE(objects[i], nullptr);
    }
  }
  void TearDown() override {
    for (HANDLE h : objects) CloseHandle(h);
  }

  // Runs the helper to `stage` of a commit over the three objects and
  // waits for its death; returns its record's name.
  ntsem::names::record_name kill_in(const std::string& stage) {
    std::string command = "die-in-commit " + stage;
    for (const std::string& n : names) command += " " + n;
    ntsem::test::child_process child = ntsem::test::start_engine_child({command});
    const ntsem::names::record_name record =
        ntsem::test::record_in(child.expect_line(), "dying");
    EXPECT_TRUE(child.wait_exit().killed_by(SIGKILL));
    return record;
  }

  // Every object at `count`, with an empty queue (after a query repaired it).
  void expect_all_at(LONG count) {
    for (HANDLE h : objects) EXPECT_EQ(count_of(h), count);
    for (HANDLE h : objects) EXPECT_EQ(queue_length(h), 0u);
  }

  // The objects still work: a wait-all takes one of each, a release gives
  // them back.
  void expect_usable(LONG count) {
    EXPECT_EQ(WaitForMultipleObjects(3, objects.data(), TRUE, 60'000), WAIT_OBJECT_0);
    expect_all_at(count - 1);
    for (HANDLE h : objects) EXPECT_TRUE(ReleaseSemaphore(h, 1, nullptr));
    expect_all_at(count);
  }

  std::array<std::string, 3> names;
  std::array<HANDLE, 3> objects{};
};

// Killed holding the locks, values frozen: nothing was changed.
TEST_F(WaitAllKilledInCommit, HoldingTheLocksTakesNothing) {
  kill_in("held");
  expect_all_at(initial);
  expect_usable(initial);
}

// Every object marked, the commit point not reached: each is rolled back.
TEST_F(WaitAllKilledInCommit, BeforeTheCommitPointTakesNothing) {
  kill_in("marked");
  expect_all_at(initial);
  expect_usable(initial);
}

// The intent stored, nothing applied yet: each is rolled forward.
TEST_F(WaitAllKilledInCommit, AfterTheCommitPointTakesEveryObject) {
  kill_in("committed");
  expect_all_at(initial - 1);
  expect_usable(initial - 1);
}

// One object taken by the thread itself, the others by their repairers:
// each exactly once.
TEST_F(WaitAllKilledInCommit, PartlyAppliedIsFinishedAndNothingTakenTwice) {
  kill_in("applied-one");
  expect_all_at(initial - 1);
  expect_usable(initial - 1);
}

// A poll is one of the ways to meet a marked object first: it waits for the
// repair, then takes from what the commit left.
TEST_F(WaitAllKilledInCommit, APollMeetingTheMarkSeesTheCommitWhole) {
  kill_in("committed");
  for (HANDLE h : objects) EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  expect_all_at(initial - 2);
}

// So is a release: the count it reports is the count after the commit.
TEST_F(WaitAllKilledInCommit, AReleaseMeetingTheMarkReportsTheCountAfterIt) {
  kill_in("committed");
  for (HANDLE h : objects) {
    LONG previous = -1;
    EXPECT_TRUE(ReleaseSemaphore(h, 1, &previous));
    EXPECT_EQ(previous, initial - 1);
  }
  expect_all_at(initial);
}

// And a wait-all of its own, over the objects in another order.
TEST_F(WaitAllKilledInCommit, AnotherWaitAllMeetingTheMarksTakesAfterTheRepair) {
  kill_in("marked");
  const HANDLE reversed[] = {objects[2], objects[1], objects[0]};
  EXPECT_EQ(WaitForMultipleObjects(3, reversed, TRUE, 60'000), WAIT_OBJECT_0);
  expect_all_at(initial - 1);
}

// The repair reads the dead thread's intent from its record, so gc keeps a
// dead record whose intent is set, and removes one whose intent is clear.
TEST_F(WaitAllKilledInCommit, GcKeepsTheRecordOfACommitCutShort) {
  const ntsem::names::record_name committed = kill_in("committed");
  const ntsem::names::record_name marked = kill_in("held");
  ntsem::names::gc_summary summary;
  ASSERT_EQ(ntsem::names::remove_dead_records(false, nullptr, &summary), STATUS_SUCCESS);
  struct stat st {};
  EXPECT_EQ(::stat(ntsem::test::record_path(committed).c_str(), &st), 0);
  EXPECT_NE(::stat(ntsem::test::record_path(marked).c_str(), &st), 0);
  // The kept record still answers the repair after gc.
  expect_all_at(initial - 1);
}

}  // namespace

// A thread that forks leaves its last wait's stale entries
// (wait/stale_entries.hpp) to itself: the child's copy of that thread has
// another thread id and another process record, so the entries are not its
// own.  Were the child to revive one (INV-REVIVE), the entry would still
// name the parent's wait block: a release would find that block idle, drop
// the entry as a finished wait's, and the child would sleep through it.
#include <gtest/gtest.h>

#include <string>

#include <ntsem/windows.h>

#include "process/engine_child_process.hpp"
#include "support/child_process.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::count_of;
using ntsem::test::eventually;
using ntsem::test::queue_length;

TEST(ForkedStaleEntries, AForkedChildQueuesAnEntryOfItsOwn) {
  const std::string a_name = "Global\\" + ntsem::test::unique_name("forked-a");
  const std::string b_name = "Global\\" + ntsem::test::unique_name("forked-b");
  HANDLE a = CreateSemaphoreA(nullptr, 0, 5, a_name.c_str());
  HANDLE b = CreateSemaphoreA(nullptr, 0, 5, b_name.c_str());
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  child_process c = ntsem::test::start_engine_child();
  ASSERT_EQ(c.ask("open-semaphore " + b_name), "opened");
  // The child's wait over {A, B}, satisfied through B: its entry in A stays,
  // stale.
  ASSERT_TRUE(c.send("wait-any-also " + a_name + " 60000"));
  ASSERT_TRUE(eventually([&] { return queue_length(b) == 1; }));
  ASSERT_TRUE(ReleaseSemaphore(b, 1, nullptr));
  ASSERT_EQ(c.expect_line(), "result=0x00000001");
  ASSERT_EQ(queue_length(a), 1u);
  // The same wait in a forked child: queued on both, behind the stale entry.
  ASSERT_TRUE(c.send("fork-run wait-any-also " + a_name + " 10000"));
  ASSERT_TRUE(eventually([&] { return queue_length(b) == 1; }));
  EXPECT_EQ(queue_length(a), 2u);
  ASSERT_TRUE(ReleaseSemaphore(a, 1, nullptr));
  EXPECT_EQ(c.expect_line(), "forked result=0x00000000");
  EXPECT_EQ(c.expect_line(), "parent");
  EXPECT_EQ(count_of(a), 0);
  EXPECT_EQ(count_of(b), 0);
  ASSERT_TRUE(c.wait_exit().exited_with(0));
  EXPECT_TRUE(CloseHandle(a));
  EXPECT_TRUE(CloseHandle(b));
}

}  // namespace

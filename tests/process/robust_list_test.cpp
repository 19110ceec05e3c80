// The robust-list layer (sys/robust_list.hpp) against the kernel: a real
// child process (engine_child) puts words of a shared file into its
// list, the test kills it with SIGKILL (or lets a thread of it end) and
// checks what the kernel did to each word.  These are the facts the wait
// engine's crash safety rests on (docs/wait-engine.md).
#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/mman.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <thread>

#include "process/engine_child_process.hpp"
#include "process/shared_page.hpp"
#include "sys/deadline.hpp"
#include "sys/futex.hpp"
#include "sys/robust_list.hpp"

namespace {

using ntsem::sys::robust_owner_died;
using ntsem::sys::robust_waiters;
using ntsem::test::child_process;

// Offsets of the words used below, 64 bytes apart.
constexpr std::size_t first = 0, second = 64, third = 128;
// Robust pthread mutexes, after the words.
constexpr std::size_t mutex_a = 1024, mutex_c = 1024 + 64;

using ntsem::test::kill_and_reap;
using ntsem::test::shared_page;
using ntsem::test::start_engine_child_on;

std::uint32_t word(shared_page& page, std::size_t offset) {
  return page.word_at(offset).word.load();
}

// A process-shared robust pthread mutex at `offset`.
pthread_mutex_t* robust_mutex(shared_page& page, std::size_t offset) {
  auto* m = reinterpret_cast<pthread_mutex_t*>(page.data() + offset);
  pthread_mutexattr_t a;
  ::pthread_mutexattr_init(&a);
  ::pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
  ::pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  ::pthread_mutex_init(m, &a);
  ::pthread_mutexattr_destroy(&a);
  return m;
}

// The child's thread id as it wrote it into a word (its main thread).
std::uint32_t tid_in(std::uint32_t word) { return word & ntsem::sys::robust_tid_mask; }

TEST(RobustList, TheCallingThreadHasAUsableList) {
  EXPECT_TRUE(ntsem::sys::robust_list_usable());
  EXPECT_EQ(ntsem::sys::current_thread_id(), static_cast<std::uint32_t>(::gettid()));
  bool usable = false;
  std::uint32_t id = 0;
  std::thread([&] {
    usable = ntsem::sys::robust_list_usable();
    id = ntsem::sys::current_thread_id();
  }).join();
  EXPECT_TRUE(usable);
  EXPECT_NE(id, ntsem::sys::current_thread_id());
}

TEST(RobustList, AListedWordIsMarkedWhenItsProcessIsKilled) {
  shared_page page;
  child_process child = start_engine_child_on(page);
  ASSERT_EQ(child.ask("push " + std::to_string(first)), "pushed");
  EXPECT_EQ(tid_in(word(page, first)), static_cast<std::uint32_t>(child.pid()));
  kill_and_reap(child);
  EXPECT_EQ(word(page, first), robust_owner_died);
}

TEST(RobustList, ARemovedWordIsLeftAlone) {
  shared_page page;
  child_process child = start_engine_child_on(page);
  ASSERT_EQ(child.ask("push " + std::to_string(first)), "pushed");
  ASSERT_EQ(child.ask("push " + std::to_string(second)), "pushed");
  ASSERT_EQ(child.ask("push " + std::to_string(third)), "pushed");
  // The middle one: both neighbours are ntsem's.
  ASSERT_EQ(child.ask("remove " + std::to_string(second)), "removed");
  const std::uint32_t live = word(page, second);
  kill_and_reap(child);
  EXPECT_EQ(word(page, first), robust_owner_died);
  EXPECT_EQ(word(page, second), live);
  EXPECT_EQ(word(page, third), robust_owner_died);
}

TEST(RobustList, ThePendingEntryIsMarkedToo) {
  shared_page page;
  child_process child = start_engine_child_on(page);
  ASSERT_EQ(child.ask("pending " + std::to_string(first)), "pending");
  kill_and_reap(child);
  EXPECT_EQ(word(page, first), robust_owner_died);
}

TEST(RobustList, AThreadThatEndsMarksItsWordsWhileItsProcessLivesOn) {
  shared_page page;
  child_process child = start_engine_child_on(page);
  ASSERT_EQ(child.ask("thread-push " + std::to_string(first)), "thread ended");
  EXPECT_EQ(word(page, first), robust_owner_died);
  // The process is alive and still answers.
  EXPECT_EQ(child.ask("push " + std::to_string(second)), "pushed");
  kill_and_reap(child);
}

TEST(RobustList, TheKernelWakesASleeperWhenTheWaitersBitIsSet) {
  shared_page page;
  child_process child = start_engine_child_on(page);
  ASSERT_EQ(child.ask("push-waiters " + std::to_string(first)), "pushed");
  const std::uint32_t live = word(page, first);
  ASSERT_NE(live & robust_waiters, 0u);
  std::atomic<bool> woke{false};
  std::thread sleeper([&] {
    // Sleeps until the word changes and someone wakes it; the guard only
    // ends a test that would otherwise hang.
    const auto guard = ntsem::sys::deadline::after_ms(60000).resolved();
    while (word(page, first) == live &&
           ntsem::sys::futex_wait(reinterpret_cast<const std::uint32_t*>(&page.word_at(first).word),
                                  live, guard) != ntsem::sys::futex_result::timed_out) {
    }
    woke = word(page, first) != live;
  });
  kill_and_reap(child);
  sleeper.join();
  EXPECT_TRUE(woke);
  EXPECT_EQ(word(page, first), robust_owner_died | robust_waiters);
}

// ntsem's entries share the list with glibc's robust mutexes: each side's
// insertions and removals go through the other's entries, and at the end
// the kernel must still find every entry that is listed.
TEST(RobustList, GlibcRobustMutexesKeepWorkingBesideOurEntries) {
  shared_page page;
  pthread_mutex_t* a = robust_mutex(page, mutex_a);
  pthread_mutex_t* c = robust_mutex(page, mutex_c);
  child_process child = start_engine_child_on(page);
  ASSERT_EQ(child.ask("lock-mutex " + std::to_string(mutex_a)), "locked");
  ASSERT_EQ(child.ask("push " + std::to_string(first)), "pushed");
  ASSERT_EQ(child.ask("lock-mutex " + std::to_string(mutex_c)), "locked");
  ASSERT_EQ(child.ask("push " + std::to_string(second)), "pushed");
  // Between a glibc entry on each side.
  ASSERT_EQ(child.ask("remove " + std::to_string(first)), "removed");
  const std::uint32_t live = word(page, first);
  kill_and_reap(child);
  EXPECT_EQ(::pthread_mutex_lock(a), EOWNERDEAD);
  EXPECT_EQ(::pthread_mutex_consistent(a), 0);
  EXPECT_EQ(::pthread_mutex_unlock(a), 0);
  EXPECT_EQ(::pthread_mutex_lock(c), EOWNERDEAD);
  EXPECT_EQ(::pthread_mutex_consistent(c), 0);
  EXPECT_EQ(::pthread_mutex_unlock(c), 0);
  EXPECT_EQ(word(page, first), live);
  EXPECT_EQ(word(page, second), robust_owner_died);
}

}  // namespace

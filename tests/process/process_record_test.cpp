// Process records (namespace/process_record.hpp): a thread's wait block,
// the record file in the root's waiters/ directory, its liveness across
// SIGKILL, exit and fork, and the kernel's mark on a dead waiter's claim
// word, read through the record as other processes will read it.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include <ntsem/windows.h>

#include "handle/handle_table.hpp"
#include "namespace/namespace_root.hpp"
#include "namespace/process_record.hpp"
#include "process/engine_child_process.hpp"
#include "shm/process_record.hpp"
#include "sys/robust_list.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::names::probe_record;
using ntsem::names::record_file_name;
using ntsem::names::record_name;
using ntsem::names::record_state;
using ntsem::shm::wait_block;
using ntsem::test::record_in;
using ntsem::test::record_path;

// Another process's record, mapped read-only as a releaser without write
// access would map it.
class mapped_record {
 public:
  explicit mapped_record(const record_name& name) {
    const int fd = ::open(record_path(name).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("open record");
    bytes_ = ntsem::shm::process_record_bytes(ntsem::names::wait_blocks_per_record);
    void* p = ::mmap(nullptr, bytes_, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) throw std::runtime_error("map record");
    base_ = static_cast<const unsigned char*>(p);
  }
  ~mapped_record() { ::munmap(const_cast<unsigned char*>(base_), bytes_); }
  const ntsem::shm::process_record_header& header() const {
    return *reinterpret_cast<const ntsem::shm::process_record_header*>(base_);
  }
  // The block that thread `tid` holds; nullptr if none.
  const wait_block* block_of(std::uint32_t tid) const {
    const auto* blocks = reinterpret_cast<const wait_block*>(
        base_ + ntsem::shm::process_record_block_offset);
    for (std::uint32_t i = 0; i < header().block_count; ++i)
      if (blocks[i].thread_id.load() == tid) return &blocks[i];
    return nullptr;
  }
  // The published wait-all targets of block `b` (one of block_of's).
  const ntsem::shm::published_targets& targets_of(const wait_block* b) const {
    const auto* blocks = reinterpret_cast<const wait_block*>(
        base_ + ntsem::shm::process_record_block_offset);
    return *ntsem::shm::targets_in(const_cast<unsigned char*>(base_), header().block_count,
                                   static_cast<std::uint32_t>(b - blocks));
  }

 private:
  const unsigned char* base_ = nullptr;
  std::size_t bytes_ = 0;
};

std::uint32_t robust_half(const wait_block& b) {
  return static_cast<std::uint32_t>(b.claim.load() & ntsem::shm::claim_robust_mask);
}

TEST(ProcessRecord, FileNamesAreExactlyPidDashEightHexDigits) {
  EXPECT_EQ(record_file_name({12, 0xab}), "12-000000ab");
  record_name name;
  ASSERT_TRUE(ntsem::names::parse_record_file_name("4194304-ffffffff", &name));
  EXPECT_EQ(name, (record_name{4194304, 0xffffffff}));
  for (const char* bad : {"012-000000ab", "12-ab", "12-000000abc", "12-000000AB", "-1-00000000",
                          "12_000000ab", "x", ""})
    EXPECT_FALSE(ntsem::names::parse_record_file_name(bad, &name)) << bad;
}

TEST(ProcessRecord, AThreadsBlockLivesInARecordThatOthersMayRead) {
  wait_block* block = nullptr;
  ASSERT_EQ(ntsem::names::this_thread_wait_block(&block), STATUS_SUCCESS);
  EXPECT_EQ(block->thread_id.load(), ntsem::sys::current_thread_id());
  wait_block* again = nullptr;
  ASSERT_EQ(ntsem::names::this_thread_wait_block(&again), STATUS_SUCCESS);
  EXPECT_EQ(again, block);

  const record_name name = ntsem::names::this_process_record_name();
  EXPECT_EQ(name.pid, static_cast<std::uint32_t>(::getpid()));
  struct stat st {};
  ASSERT_EQ(::stat(record_path(name).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  EXPECT_EQ(st.st_uid, ::geteuid());
  EXPECT_EQ(probe_record(name), record_state::alive);

  mapped_record view(name);
  EXPECT_EQ(std::string(view.header().magic, 8), "NTSEMWTR");
  EXPECT_EQ(view.header().version, ntsem::shm::process_record_version);
  EXPECT_EQ(view.header().pid, name.pid);
  EXPECT_EQ(view.header().block_count, ntsem::names::wait_blocks_per_record);
  EXPECT_EQ(view.block_of(ntsem::sys::current_thread_id())->thread_id.load(),
            ntsem::sys::current_thread_id());
}

TEST(ProcessRecord, ThreadsHaveBlocksOfTheirOwnAndAnEndedThreadsBlockIsReused) {
  wait_block* main_block = nullptr;
  ASSERT_EQ(ntsem::names::this_thread_wait_block(&main_block), STATUS_SUCCESS);
  wait_block* first = nullptr;
  std::uint32_t first_tid = 0;
  std::thread([&] {
    ASSERT_EQ(ntsem::names::this_thread_wait_block(&first), STATUS_SUCCESS);
    first_tid = ntsem::sys::current_thread_id();
  }).join();
  ASSERT_NE(first, nullptr);
  EXPECT_NE(first, main_block);
  // Given back when its thread ended.
  EXPECT_EQ(first->thread_id.load(), 0u);
  wait_block* second = nullptr;
  std::uint32_t second_tid = 0, seen_in_block = 0;
  std::thread([&] {
    ASSERT_EQ(ntsem::names::this_thread_wait_block(&second), STATUS_SUCCESS);
    second_tid = ntsem::sys::current_thread_id();
    seen_in_block = second->thread_id.load();
  }).join();
  EXPECT_EQ(second, first);
  EXPECT_EQ(seen_in_block, second_tid);
  EXPECT_NE(second_tid, first_tid);
}

TEST(ProcessRecord, AKilledWaitersClaimWordIsMarkedAndItsRecordEnded) {
  ntsem::test::child_process child = ntsem::test::start_engine_child();
  const record_name name = record_in(child.ask("record"), "record");
  EXPECT_EQ(name.pid, static_cast<std::uint32_t>(child.pid()));
  EXPECT_EQ(probe_record(name), record_state::alive);
  ASSERT_EQ(child.ask("claim"), "claimed");
  mapped_record view(name);
  // The child's main thread: its id is its pid.
  const wait_block* block = view.block_of(static_cast<std::uint32_t>(child.pid()));
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(robust_half(*block), static_cast<std::uint32_t>(child.pid()));
  ntsem::test::kill_and_reap(child);
  EXPECT_EQ(robust_half(*block), ntsem::sys::robust_owner_died);
  // The file stays, as a leftover whose owner is gone.
  EXPECT_EQ(probe_record(name), record_state::ended);
}

TEST(ProcessRecord, ANormalExitRemovesTheRecord) {
  ntsem::test::child_process child = ntsem::test::start_engine_child();
  const record_name name = record_in(child.ask("record"), "record");
  EXPECT_EQ(probe_record(name), record_state::alive);
  ASSERT_TRUE(child.wait_exit().exited_with(0));
  EXPECT_EQ(probe_record(name), record_state::missing);
}

// fork() without exec: the child makes a record of its own and removes it
// when it exits; the parent's record stays its own, alive.
TEST(ProcessRecord, AForkedChildMakesItsOwnRecordAndLeavesTheParentsAlone) {
  ntsem::test::child_process child = ntsem::test::start_engine_child();
  const record_name before = record_in(child.ask("record"), "record");
  ASSERT_TRUE(child.send("fork-record"));
  const record_name forked = record_in(child.expect_line(), "child");
  const record_name after = record_in(child.expect_line(), "parent");
  EXPECT_EQ(after, before);
  EXPECT_NE(forked.pid, before.pid);
  EXPECT_EQ(probe_record(forked), record_state::missing);
  EXPECT_EQ(probe_record(before), record_state::alive);
}

TEST(ProcessRecord, AFileThatIsNotARecordIsRefused) {
  int dir = -1;
  ASSERT_EQ(ntsem::names::records_directory(&dir), STATUS_SUCCESS);
  const record_name name{1, 0x12345678};
  {
    std::ofstream junk(record_path(name));
    junk << std::string(200, 'x');
  }
  EXPECT_EQ(probe_record(name), record_state::refused);
  EXPECT_EQ(probe_record({1, 0x12345679}), record_state::missing);
}

// A thread in a wait-all publishes where its objects are in its block's
// targets (for releasers of other processes, wait/serve_all.hpp), in the
// order of its handles, for as long as it waits, and clears them after.
TEST(ProcessRecord, AWaitAllPublishesWhereItsObjectsAreWhileItWaits) {
  const std::string a_name = ntsem::test::unique_name("published-a");
  const std::string b_name = ntsem::test::unique_name("published-b");
  HANDLE both[] = {CreateSemaphoreA(nullptr, 0, 1, a_name.c_str()),
                   CreateSemaphoreA(nullptr, 1, 1, b_name.c_str())};
  ASSERT_NE(both[0], nullptr);
  ASSERT_NE(both[1], nullptr);
  std::atomic<std::uint32_t> waiter{0};
  std::thread t([&] {
    waiter = ntsem::sys::current_thread_id();
    EXPECT_EQ(WaitForMultipleObjects(2, both, TRUE, INFINITE), static_cast<DWORD>(WAIT_OBJECT_0));
  });
  // Whatever fails below, the wait ends and the thread is joined.
  struct releaser {
    HANDLE a;
    std::thread& t;
    void finish() {
      if (!t.joinable()) return;
      EXPECT_TRUE(ReleaseSemaphore(a, 1, nullptr));
      t.join();
    }
    ~releaser() { finish(); }
  } end{both[0], t};
  ASSERT_TRUE(ntsem::test::eventually([&] { return ntsem::test::queue_length(both[0]) == 1; }));
  {
    mapped_record view(ntsem::names::this_process_record_name());
    EXPECT_EQ(view.header().targets_size, sizeof(ntsem::shm::published_targets));
    const wait_block* block = view.block_of(waiter.load());
    ASSERT_NE(block, nullptr);
    const ntsem::shm::published_targets& p = view.targets_of(block);
    ASSERT_EQ(p.count.load(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
      ntsem::handle::handle_info info;
      ASSERT_EQ(ntsem::handle::lookup(both[i], &info), STATUS_SUCCESS);
      const ntsem::object::object_location& l = info.object.home->location;
      EXPECT_EQ(p.at[i].device.load(), l.device) << i;
      EXPECT_EQ(p.at[i].inode.load(), l.inode) << i;
      EXPECT_EQ(p.at[i].offset.load(), l.offset) << i;
    }
    end.finish();
    EXPECT_EQ(p.count.load(), 0u);
  }
  EXPECT_TRUE(CloseHandle(both[0]));
  EXPECT_TRUE(CloseHandle(both[1]));
}

}  // namespace

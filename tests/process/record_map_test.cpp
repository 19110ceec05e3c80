// names::map_record: another process's record as a releaser maps it, a
// claim made through it as the waiting process sees it, and the records it
// refuses: missing, foreign, lying about their size, another user's.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "namespace/namespace_root.hpp"
#include "namespace/process_record.hpp"
#include "namespace/record_map.hpp"
#include "process/engine_child_process.hpp"
#include "shm/process_record.hpp"
#include "sys/file.hpp"

namespace {

using ntsem::names::map_record;
using ntsem::names::record_name;
using ntsem::names::record_ref;
using ntsem::test::child_process;

record_name record_of(child_process& child) {
  return ntsem::test::record_in(child.ask("record"), "record");
}

using ntsem::test::record_path;

TEST(RecordMap, AClaimThroughTheMappingIsWhatTheWaitingProcessSees) {
  child_process child = ntsem::test::start_engine_child();
  const record_name name = record_of(child);
  ASSERT_EQ(child.ask("claim"), "claimed");
  const auto tid = static_cast<std::uint32_t>(child.pid());
  record_ref record;
  ASSERT_EQ(map_record(name, &record), STATUS_SUCCESS);
  ASSERT_EQ(record->block_count(), ntsem::names::wait_blocks_per_record);
  EXPECT_EQ(record->block(record->block_count()), nullptr);
  ntsem::shm::wait_block* block = nullptr;
  for (std::uint32_t i = 0; i < record->block_count() && !block; ++i)
    if (record->block(i)->thread_id.load() == tid) block = record->block(i);
  ASSERT_NE(block, nullptr);
  // The releaser's step: the waiting value, serial 0 and the thread's id,
  // becomes an outcome (0x1005 in the high half, nothing in the robust half).
  std::uint64_t expected = tid;
  ASSERT_TRUE(block->claim.compare_exchange_strong(expected, std::uint64_t{0x1005} << 32));
  EXPECT_EQ(child.ask("read-claim"), "claim 1005 0");
  // The same mapping serves the next release.
  record_ref again;
  ASSERT_EQ(map_record(name, &again), STATUS_SUCCESS);
  EXPECT_EQ(again, record);
}

TEST(RecordMap, AMissingRecordIsNotFound) {
  record_ref record;
  EXPECT_EQ(map_record({1, 0xdeadbeef}, &record), STATUS_OBJECT_NAME_NOT_FOUND);
  EXPECT_EQ(record, nullptr);
}

TEST(RecordMap, FilesThatAreNotRecordsOfThisLayoutAreRefused) {
  int dir = -1;
  ASSERT_EQ(ntsem::names::records_directory(&dir), STATUS_SUCCESS);
  const auto write_file = [](const record_name& name, const std::string& bytes) {
    std::ofstream(record_path(name), std::ios::binary) << bytes;
  };
  // Foreign bytes.
  write_file({7, 1}, std::string(8192, 'x'));
  // A true header whose block count the file is too short for.
  ntsem::shm::process_record_header h{};
  std::copy(std::begin(ntsem::shm::process_record_magic), std::end(ntsem::shm::process_record_magic),
            h.magic);
  h.version = ntsem::shm::process_record_version;
  h.block_offset = 64;
  h.block_size = 64;
  h.block_count = 1024;
  h.pid = 7;
  write_file({7, 2}, std::string(reinterpret_cast<const char*>(&h), sizeof h));
  // A header of another pid than its name says.
  h.pid = 8;
  write_file({7, 3}, std::string(reinterpret_cast<const char*>(&h), sizeof h) +
                         std::string(1024 * 64, '\0'));
  // Another layout version.
  h.pid = 7;
  h.version = ntsem::shm::process_record_version + 1;
  write_file({7, 4}, std::string(reinterpret_cast<const char*>(&h), sizeof h) +
                         std::string(1024 * 64, '\0'));
  record_ref record;
  for (std::uint32_t nonce = 1; nonce <= 4; ++nonce)
    EXPECT_EQ(map_record({7, nonce}, &record), STATUS_FILE_CORRUPT_ERROR) << nonce;
  EXPECT_EQ(record, nullptr);
}

// A process maps only records it may write: never another user's, whose
// owner could shrink the file under it.  Root maps any.
TEST(RecordMap, AnotherUsersRecordIsRefusedAndRootMapsAny) {
  if (!child_process::can_switch_user()) GTEST_SKIP() << "needs root to run as other users";
  const ntsem::test::user_ids nobody = child_process::unprivileged_user();
  ntsem::test::child_options as_nobody;
  as_nobody.path = ENGINE_CHILD_PATH;
  as_nobody.user = nobody;
  child_process owner(as_nobody);
  const record_name name = record_of(owner);

  ntsem::test::child_options as_other = as_nobody;
  as_other.user = ntsem::test::user_ids{nobody.uid - 1, nobody.gid - 1};
  child_process other(as_other);
  EXPECT_EQ(other.ask("map-record " + ntsem::names::record_file_name(name)), "status 0xc0000022");

  record_ref record;
  EXPECT_EQ(map_record(name, &record), STATUS_SUCCESS);
}

}  // namespace

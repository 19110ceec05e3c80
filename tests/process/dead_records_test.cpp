// Removing the records of processes that died (namespace/dead_records.hpp),
// with real processes: a killed engine_child leaves its record behind, a
// live one holds its own.  Every case runs in a namespace root of its own
// (with_private_root.cpp).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "namespace/dead_records.hpp"
#include "namespace/process_record.hpp"
#include "namespace/record_map.hpp"
#include "process/engine_child_process.hpp"
#include "support/named_objects.hpp"
#include "shm/process_record.hpp"

namespace {

using ntsem::names::file_state;
using ntsem::names::gc_action;
using ntsem::names::gc_summary;
using ntsem::names::probe_record;
using ntsem::names::record_file_name;
using ntsem::names::record_name;
using ntsem::names::record_state;
using ntsem::test::file_exists;
using ntsem::test::record_in;
using ntsem::test::record_path;

struct reported {
  std::string file_name;
  file_state state;
  gc_action action;
  NTSTATUS status;
  uid_t owner;
  mode_t mode;
};

struct gc_run {
  NTSTATUS status = STATUS_SUCCESS;
  gc_summary summary;
  std::vector<reported> files;
};

gc_run remove_dead_records(bool dry_run = false) {
  gc_run run;
  run.status = ntsem::names::remove_dead_records(
      dry_run,
      [&](const ntsem::names::scanned_file& f, gc_action action) {
        EXPECT_EQ(f.directory, "waiters");
        EXPECT_EQ(f.name, "");
        run.files.push_back({f.file_name, f.state, action, f.status, f.owner, f.mode});
        return true;
      },
      &run.summary);
  return run;
}

// A killed engine_child's record, as gc finds it.
record_name killed_childs_record() {
  const record_name name = ntsem::test::killed_engine_childs_record();
  EXPECT_EQ(probe_record(name), record_state::ended);
  return name;
}

// A file in waiters/ with these bytes, mode 0644.
void write_in_waiters(const std::string& file_name, const std::string& bytes) {
  int dir = -1;  // makes waiters/
  ASSERT_EQ(ntsem::names::records_directory(&dir), STATUS_SUCCESS);
  const std::string path =
      ntsem::names::root_path() + "/" + ntsem::names::records_directory_name + "/" + file_name;
  std::ofstream(path, std::ios::binary) << bytes;
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
}

TEST(DeadRecords, AKilledProcesssRecordIsRemovedAndReported) {
  const record_name name = killed_childs_record();
  const gc_run run = remove_dead_records();
  EXPECT_EQ(run.status, STATUS_SUCCESS);
  ASSERT_EQ(run.files.size(), 1u);
  EXPECT_EQ(run.files[0].file_name, record_file_name(name));
  EXPECT_EQ(run.files[0].state, file_state::leftover);
  EXPECT_EQ(run.files[0].action, gc_action::removed);
  EXPECT_EQ(run.files[0].status, STATUS_SUCCESS);
  EXPECT_EQ(run.files[0].owner, ::geteuid());
  EXPECT_EQ(run.files[0].mode, 0644u);
  EXPECT_EQ(run.summary.leftovers, 1u);
  EXPECT_EQ(run.summary.removed, 1u);
  EXPECT_EQ(run.summary.held, 0u);
  EXPECT_FALSE(file_exists(record_path(name)));
  EXPECT_EQ(probe_record(name), record_state::missing);
  // Nothing left: a second run finds nothing.
  EXPECT_TRUE(remove_dead_records().files.empty());
}

TEST(DeadRecords, ALiveProcesssRecordIsLeftAloneAndStaysUsable) {
  ntsem::test::child_process child = ntsem::test::start_engine_child();
  const record_name name = record_in(child.ask("record"), "record");
  const gc_run run = remove_dead_records();
  EXPECT_EQ(run.status, STATUS_SUCCESS);
  EXPECT_TRUE(run.files.empty());
  EXPECT_EQ(run.summary.held, 1u);
  EXPECT_EQ(run.summary.leftovers, 0u);
  EXPECT_TRUE(file_exists(record_path(name)));
  EXPECT_EQ(probe_record(name), record_state::alive);
  // Its owner still uses it, and others still find and map it.
  EXPECT_EQ(child.ask("claim"), "claimed");
  ntsem::names::record_ref mapped;
  EXPECT_EQ(ntsem::names::map_record(name, &mapped), STATUS_SUCCESS);
  // Once killed, it is a dead one.
  ntsem::test::kill_and_reap(child);
  EXPECT_EQ(remove_dead_records().summary.removed, 1u);
}

// A process that exits normally removes the records of processes killed
// before it (sweep_dead_records, at its exit), without waiting for gc; a
// live process's record stays.
TEST(DeadRecords, ANormalExitRemovesTheRecordsOfKilledProcesses) {
  const record_name dead = killed_childs_record();
  ntsem::test::child_process live = ntsem::test::start_engine_child();
  const record_name alive = record_in(live.ask("record"), "record");
  ntsem::test::child_process leaving = ntsem::test::start_engine_child();
  const record_name own = record_in(leaving.ask("record"), "record");
  ASSERT_TRUE(file_exists(record_path(dead)));
  leaving.close_stdin();
  ASSERT_TRUE(leaving.wait_exit().exited_with(0));
  EXPECT_FALSE(file_exists(record_path(own)));
  EXPECT_FALSE(file_exists(record_path(dead)));
  EXPECT_TRUE(file_exists(record_path(alive)));
  EXPECT_EQ(probe_record(alive), record_state::alive);
  EXPECT_EQ(live.ask("claim"), "claimed");
}

// The sweep is bounded: it looks at `sample` records at most and removes
// `limit` at most, so that an exit costs little however many there are.
TEST(DeadRecords, TheSweepOfAnExitIsBounded) {
  const std::vector<record_name> dead{killed_childs_record(), killed_childs_record(),
                                      killed_childs_record()};
  const auto left = [&] {
    std::size_t n = 0;
    for (const record_name& name : dead) n += file_exists(record_path(name)) ? 1 : 0;
    return n;
  };
  EXPECT_EQ(ntsem::names::sweep_dead_records(0, 4), 0u);
  EXPECT_EQ(left(), 3u);
  EXPECT_EQ(ntsem::names::sweep_dead_records(32, 2), 2u);
  EXPECT_EQ(left(), 1u);
  EXPECT_EQ(ntsem::names::sweep_dead_records(32, 4), 1u);
  EXPECT_EQ(left(), 0u);
}

TEST(DeadRecords, ADryRunReportsButRemovesNothing) {
  const record_name name = killed_childs_record();
  const gc_run run = remove_dead_records(true);
  ASSERT_EQ(run.files.size(), 1u);
  EXPECT_EQ(run.files[0].file_name, record_file_name(name));
  EXPECT_EQ(run.files[0].state, file_state::leftover);
  EXPECT_EQ(run.files[0].action, gc_action::would_remove);
  EXPECT_EQ(run.summary.leftovers, 1u);
  EXPECT_EQ(run.summary.removed, 0u);
  EXPECT_TRUE(file_exists(record_path(name)));
  EXPECT_EQ(probe_record(name), record_state::ended);
}

TEST(DeadRecords, AFileUnderARecordNameThatIsNoRecordIsKept) {
  const std::string junk = record_file_name({1, 0x12345678});
  write_in_waiters(junk, std::string(200, 'x'));
  // A dead record made to say it is of another layout version.
  const record_name other = killed_childs_record();
  const std::uint32_t version = ntsem::shm::process_record_version + 1;
  {
    const int fd = ::open(record_path(other).c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::pwrite(fd, &version, sizeof version,
                       offsetof(ntsem::shm::process_record_header, version)),
              static_cast<ssize_t>(sizeof version));
    ::close(fd);
  }
  const gc_run run = remove_dead_records();
  EXPECT_EQ(run.status, STATUS_SUCCESS);
  ASSERT_EQ(run.files.size(), 2u);  // in name order: "1-..." first
  EXPECT_EQ(run.files[0].file_name, junk);
  EXPECT_EQ(run.files[0].state, file_state::corrupt);
  EXPECT_EQ(run.files[0].action, gc_action::kept);
  EXPECT_EQ(run.files[0].status, STATUS_FILE_CORRUPT_ERROR);
  EXPECT_EQ(run.files[1].file_name, record_file_name(other));
  EXPECT_EQ(run.files[1].state, file_state::other_version);
  EXPECT_EQ(run.files[1].action, gc_action::kept);
  EXPECT_EQ(run.files[1].status, STATUS_REVISION_MISMATCH);
  EXPECT_EQ(run.summary.kept, 2u);
  EXPECT_EQ(run.summary.leftovers, 0u);
  EXPECT_TRUE(file_exists(record_path({1, 0x12345678})));
  EXPECT_TRUE(file_exists(record_path(other)));
}

// Only names a record can have are looked at: anything else in waiters/ is
// neither reported nor counted, and stays.
TEST(DeadRecords, FilesUnderOtherNamesAreIgnored) {
  const record_name name = killed_childs_record();
  const std::string waiters =
      ntsem::names::root_path() + "/" + ntsem::names::records_directory_name + "/";
  for (const char* other : {"junk", "12-ab", "012-000000ab", ".hidden"})
    write_in_waiters(other, std::string(200, 'x'));
  const gc_run run = remove_dead_records();
  ASSERT_EQ(run.files.size(), 1u);
  EXPECT_EQ(run.files[0].file_name, record_file_name(name));
  EXPECT_EQ(run.summary.kept, 0u);
  EXPECT_EQ(run.summary.skipped, 0u);
  for (const char* other : {"junk", "12-ab", "012-000000ab", ".hidden"})
    EXPECT_TRUE(file_exists(waiters + other)) << other;
}

TEST(DeadRecords, NoWaitersDirectoryHoldsNothing) {
  const gc_run run = remove_dead_records();
  EXPECT_EQ(run.status, STATUS_SUCCESS);
  EXPECT_TRUE(run.files.empty());
  EXPECT_FALSE(
      file_exists(ntsem::names::root_path() + "/" + ntsem::names::records_directory_name));
}

}  // namespace

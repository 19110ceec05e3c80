#include "namespace/dead_records.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "namespace/namespace_root.hpp"
#include "namespace/process_record.hpp"
#include "shm/process_record.hpp"
#include "sys/file.hpp"
#include "sys/identity.hpp"
#include "sys/process.hpp"

namespace ntsem::names {
namespace {

// Whether a thread of the record's process died inside a wait-all's commit
// (shm::intent): the objects it marked read this record when they are
// repaired (wait/wait_all.cpp), so the record is kept, for ever if need
// be; such a death takes a SIGKILL within a few instructions.
bool holds_commit_intent(const opened_file& file, std::uint32_t block_count) {
  std::vector<shm::wait_block> blocks(block_count);
  if (sys::read_at(file.fd.get(), blocks.data(), blocks.size() * sizeof(shm::wait_block),
                   shm::process_record_block_offset) != sys::file_error::ok)
    return true;  // unreadable after the check: keep it rather than guess
  for (const shm::wait_block& b : blocks)
    if (b.intent.load(std::memory_order_relaxed) != shm::intent::none) return true;
  return false;
}

// A record is in use while its owner lives: the owner holds the liveness
// byte exclusively (shm/process_record.hpp), and takes it before the record
// is linked, so no record of a live process is ever found with it free.
// gc's hold is the only other lock ever taken on that byte; probe_record
// may take a record that gc holds at that moment for alive, which errs on
// the safe side.  The header is checked as map_record checks it; it never
// changes after the record is linked.
bool check_record(const opened_file& file, scanned_file* info) {
  record_name name;
  std::uint32_t block_count = 0;
  const NTSTATUS s = parse_record_file_name(info->file_name, &name)
                         ? check_record_file(file.fd.get(), name, &block_count)
                         : STATUS_FILE_CORRUPT_ERROR;
  if (s != STATUS_SUCCESS) {
    info->state = s == STATUS_REVISION_MISMATCH ? file_state::other_version : file_state::corrupt;
    info->status = s;
    return false;
  }
  if (holds_commit_intent(file, block_count)) {
    info->state = file_state::held;
    info->status = STATUS_PENDING;
    return false;
  }
  return true;
}

sys::file_error try_liveness(int fd) {
  return sys::try_lock_byte(fd, shm::process_record_liveness_byte, sys::lock_kind::exclusive);
}

bool seems_live(const opened_file& file) {
  return sys::probe_lock_byte(file.fd.get(), shm::process_record_liveness_byte,
                              sys::lock_kind::exclusive) != sys::file_error::ok;
}

const gc_kind process_record{try_liveness, seems_live, check_record};

}  // namespace

NTSTATUS remove_dead_records(bool dry_run, const gc_report& report, gc_summary* summary) {
  *summary = {};
  // gc makes no directory: without waiters/ there is no record.
  scan_directory directory;
  if (NTSTATUS s = open_scan_directory(scope::session, records_directory_name, &directory);
      s != STATUS_SUCCESS || !directory.fd)
    return s;
  std::vector<std::string> names;
  if (NTSTATUS s = object_file_names(directory, &names); s != STATUS_SUCCESS) return s;
  record_name name;
  for (const std::string& file_name : names)
    if (parse_record_file_name(file_name, &name) &&
        !gc_entry(directory, file_name, process_record, dry_run, report, summary))
      break;
  return STATUS_SUCCESS;
}

std::uint32_t sweep_dead_records(std::size_t sample, std::size_t limit) {
  scan_directory directory;
  if (open_scan_directory(scope::session, records_directory_name, &directory) != STATUS_SUCCESS ||
      !directory.fd)
    return 0;
  std::vector<std::string> names;
  if (object_file_names(directory, &names) != STATUS_SUCCESS || names.empty()) return 0;
  gc_summary summary;
  const std::size_t start = sys::random_number() % names.size();
  record_name name;
  for (std::size_t n = 0; n < names.size() && n < sample && summary.removed < limit; ++n) {
    const std::string& file_name = names[(start + n) % names.size()];
    if (parse_record_file_name(file_name, &name) && sys::has_ended(name.pid))
      gc_entry(directory, file_name, process_record, false, {}, &summary);
  }
  return summary.removed;
}

}  // namespace ntsem::names

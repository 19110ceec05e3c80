// What gc does with one file, whatever it is the file of: the steps that
// the removal of leftover object files (leftovers.hpp) and of the records
// of processes that died (dead_records.hpp) share, and what gc did, with
// each file and in all.
//
// Each kind of file has a lock that its users keep while it is in use (an
// object's holders lock, a record's liveness byte).  gc only ever *tries*
// that lock exclusively, and unlinks a file only while it holds it
// and the name still names that very file: so it never removes a file in
// use, nor a file made again under the same name since it looked.  A file
// that fails its kind's check is never removed, whoever it belongs to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "namespace/namespace_scan.hpp"

namespace ntsem::names {

// What gc did with one file.  Files in use are left alone and not reported.
enum class gc_action : std::uint8_t {
  removed,       // a leftover, unlinked
  would_remove,  // a leftover, left in place: a dry run
  not_removed,   // a leftover that could not be unlinked (status: why)
  kept,          // corrupt or of another version: never removed
  skipped,       // could not be opened: in use or not is unknown
};

struct gc_summary {
  std::uint32_t held = 0;         // in use, left alone
  std::uint32_t leftovers = 0;    // leftovers found (removed + would_remove + not_removed)
  std::uint32_t removed = 0;
  std::uint32_t not_removed = 0;
  std::uint32_t kept = 0;
  std::uint32_t skipped = 0;
};

// A kind of file gc removes.
struct gc_kind {
  // Tries the lock its users hold (exclusively or shared) while the file is
  // in use, exclusively, through the file's descriptor open for writing: ok
  // means nobody uses it, and nobody can start to until gc lets go.
  sys::file_error (*try_in_use_lock)(int fd);
  // Whether someone uses a file that gc will not lock (a dry run's, or one
  // it may not remove), told without taking anything.
  bool (*seems_in_use)(const opened_file& file);
  // Checks what an opened file holds and fills in what `info` shows of it;
  // false (with info's state and status saying why) when it is not to be
  // trusted.  Called while gc holds the in-use lock where it means to remove
  // the file, without it otherwise.
  std::function<bool(const opened_file&, scanned_file* info)> check;
};

// Calls `report` for a file gc did not leave alone as in use, with what it
// did; false: stop.
using gc_report = std::function<bool(const scanned_file&, gc_action)>;

// Deals with the entry `file_name` of `directory`, a file of kind `kind`:
// removes it if it is a leftover (with `dry_run`, only reports it), counts
// it in *summary, and calls `report` (when given) unless the file is in use
// or went away, after gc has let go of the file.  Returns what `report`
// returned (true when it was not called): whether to go on.
bool gc_entry(const scan_directory& directory, const std::string& file_name, const gc_kind& kind,
              bool dry_run, const gc_report& report, gc_summary* summary);

}  // namespace ntsem::names

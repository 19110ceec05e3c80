// Removing leftovers: the files of named objects whose last holder died
// (SIGKILL, a crash) and that nobody has reclaimed by opening their name
// since.  `ntsem gc` and NtsemRemoveLeftovers (<ntsem/namespace.h>).
//
// A file is removed only while gc holds its holders lock exclusively and its
// name still names it: the same test the join and leave steps of
// named_object.hpp make, so INV-NAMED holds against gc too.  Files
// that fail validation are never removed, whoever they belong to.
#pragma once

#include <cstdint>
#include <functional>

#include <ntsem/winternl.h>

#include "namespace/namespace_scan.hpp"

namespace ntsem::names {

// What gc did with one file.  Held objects are left alone and not reported.
enum class gc_action : std::uint8_t {
  removed,       // a leftover, unlinked
  would_remove,  // a leftover, left in place: a dry run
  not_removed,   // a leftover that could not be unlinked (status: why)
  kept,          // corrupt or of another version: never removed
  skipped,       // could not be opened: held or not is unknown
};

struct gc_summary {
  std::uint32_t held = 0;         // objects in use, left alone
  std::uint32_t leftovers = 0;    // leftovers found (removed + would_remove + not_removed)
  std::uint32_t removed = 0;
  std::uint32_t not_removed = 0;
  std::uint32_t kept = 0;
  std::uint32_t skipped = 0;
};

// Looks at every file of the directories of `scopes` (as scan_namespace) and
// removes the leftovers, or with `dry_run` only reports them.  Calls `report`
// (when given) for every file it did not leave alone as held, after it has
// let go of that file; stops early when `report` returns false.  *summary
// counts what was done up to then.  Errors as open_scan_directories.
NTSTATUS remove_leftovers(unsigned scopes, bool dry_run,
                          const std::function<bool(const scanned_file&, gc_action)>& report,
                          gc_summary* summary);

}  // namespace ntsem::names

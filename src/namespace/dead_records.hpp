// Removing the records of processes that died: the files in waiters/ that a
// killed process (SIGKILL, a crash) could not remove at its exit
// (process_record.hpp).  `ntsem gc` and NtsemRemoveDeadProcessRecords
// (<ntsem/namespace.h>).
//
// A record's owner holds its liveness byte (shm/process_record.hpp) locked
// for its whole life, from before the record has a name until after it has
// none.  gc removes a record only while it holds that lock itself and the
// name still names the file it locked (gc_file.hpp): a live process never
// loses its record.  Only names a record can have (<pid>-<nonce>) are looked
// at; anything else in waiters/ is no record of ntsem's, and left alone
// unreported.  A file under a record's name that is not a record of this
// layout is never removed.
#pragma once

#include <cstddef>
#include <cstdint>

#include <ntsem/winternl.h>

#include "namespace/gc_file.hpp"

namespace ntsem::names {

// Looks at every record in waiters/ under the root, in name order, and
// removes those whose process ended, or with `dry_run` only reports them.
// Reports (as gc_file.hpp) every file it did not leave alone as in use, as a
// scanned_file with directory "waiters", the file's name, owner, mode,
// state (leftover: its process ended; corrupt, other_version, inaccessible)
// and status; the fields of objects keep their defaults.  *summary counts
// what was done up to a stop.  A root or waiters/ that does not exist holds
// nothing; STATUS_ACCESS_DENIED or STATUS_INSUFFICIENT_RESOURCES when it
// cannot be read.
NTSTATUS remove_dead_records(bool dry_run, const gc_report& report, gc_summary* summary);

// What a process's normal exit does for the records of processes killed
// before it, so that they do not pile up until someone runs `ntsem gc`:
// looks at up to `sample` records from a random place of waiters/ (in name
// order, wrapping round), and removes, as remove_dead_records does (never
// a record in use, nor one that holds an intent), those whose process
// has ended as sys::has_ended tells, at most `limit` of them.  The number
// removed.
std::uint32_t sweep_dead_records(std::size_t sample, std::size_t limit);

}  // namespace ntsem::names

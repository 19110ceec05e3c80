// Removing leftovers: the files of named objects whose last holder died
// (SIGKILL, a crash) and that nobody has reclaimed by opening their name
// since.  `ntsem gc` and NtsemRemoveLeftovers (<ntsem/namespace.h>).
//
// A file is removed only while gc holds its holders lock exclusively and its
// name still names it: the same test the join and leave steps of
// named_object.hpp make, so INV-NAMED holds against gc too.  Files
// that fail validation are never removed, whoever they belong to.
#pragma once

#include <functional>

#include <ntsem/winternl.h>

#include "namespace/gc_file.hpp"
#include "namespace/namespace_scan.hpp"

namespace ntsem::names {

// Looks at every file of the directories of `scopes` (as scan_namespace) and
// removes the leftovers, or with `dry_run` only reports them.  Calls `report`
// (when given) for every file it did not leave alone as held, after it has
// let go of that file; stops early when `report` returns false.  *summary
// counts what was done up to then.  Errors as open_scan_directories.
NTSTATUS remove_leftovers(unsigned scopes, bool dry_run, const gc_report& report,
                          gc_summary* summary);

}  // namespace ntsem::names

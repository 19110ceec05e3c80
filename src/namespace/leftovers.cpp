#include "namespace/leftovers.hpp"

#include <string>

#include "shm/named_file.hpp"

namespace ntsem::names {
namespace {

// An object file is in use while a process holds its holders lock (shared:
// holding the object; exclusive: joining, leaving or reclaiming it).
//
// gc only ever *tries* holders exclusively, as a joiner does first
// (named_object.hpp): success means no process holds the object, and while
// gc keeps it, joiners wait and leavers cannot take it either.  gc never
// holds it shared: a last holder leaving at that moment would take gc for
// another holder and leave its file behind.  Failure means the object is
// held, or is being joined, left or reclaimed by its users, who deal with
// it themselves.
//
// INV-NAMED holds: a file is unlinked only while gc holds holders
// exclusively (nobody holds the object, and nobody can join before gc lets
// go) and its name still names this very file (gc_file.hpp).  The file is
// described while gc holds holders exclusively: nobody is making it again.
// gc takes the lock only where it means to remove the file: a leftover it
// kept while holding the lock would let a joiner that waited for it join
// that leftover as a held object, instead of reclaiming it.  A dry run,
// and a file gc may not remove, are judged without the lock
// (gc_file.cpp); only an unlink that fails where gc expected it to work
// (the file's owner changed meanwhile) leaves that gap.
sys::file_error try_holders(int fd) { return sys::try_lock_file(fd, sys::lock_kind::exclusive); }

bool seems_held(const opened_file& file) { return holders_listed(file); }

const gc_kind object_file{try_holders, seems_held, describe};

}  // namespace

NTSTATUS remove_leftovers(unsigned scopes, bool dry_run, const gc_report& report,
                          gc_summary* summary) {
  *summary = {};
  return for_each_entry(scopes, [&](const scan_directory& directory, const std::string& file_name) {
    return gc_entry(directory, file_name, object_file, dry_run, report, summary);
  });
}

}  // namespace ntsem::names

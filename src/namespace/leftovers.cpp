#include "namespace/leftovers.hpp"

#include <optional>
#include <string>

#include "shm/named_file.hpp"

namespace ntsem::names {
namespace {

using sys::file_error;
using sys::lock_kind;

// Decides what a file that this process could open for writing is, and
// removes it if it is a leftover.  The file is closed (its lock dropped) by
// the caller before anything is reported.
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
// go) and its name still names this very file (the name may have been
// unlinked and made again since the file was opened).
std::optional<gc_action> collect(const scan_directory& directory, opened_file& file,
                                 bool dry_run, scanned_file* info) {
  const int fd = file.fd.get();
  if (sys::try_lock_byte(fd, shm::holders_lock_byte, lock_kind::exclusive) != file_error::ok) {
    info->state = file_state::held;
    return std::nullopt;
  }
  sys::file_identity now{}, named{};
  if (sys::identify(fd, &now) != file_error::ok || now.links == 0 ||
      sys::identify_in(directory.fd.get(), info->file_name, &named) != file_error::ok ||
      named.device != now.device || named.inode != now.inode)
    return std::nullopt;  // its last holder removed it; a new file is for the next run
  file.identity = now;
  // Read while holding holders exclusively: nobody is making the file again.
  if (!describe(file, info)) return gc_action::kept;
  info->state = file_state::leftover;
  if (dry_run) return gc_action::would_remove;
  const file_error e = sys::unlink_in(directory.fd.get(), info->file_name);
  if (e == file_error::ok) return gc_action::removed;
  if (e == file_error::not_found) return std::nullopt;  // removed by hand meanwhile
  info->status = e == file_error::access_denied ? STATUS_ACCESS_DENIED
                                                : STATUS_INSUFFICIENT_RESOURCES;
  return gc_action::not_removed;
}

// A file this process may read but not write: it cannot lock holders
// exclusively, so it can remove nothing.  It tells a leftover from a held object by a probe,
// which takes no lock.
std::optional<gc_action> judge_read_only(opened_file& file, scanned_file* info) {
  if (!describe(file, info)) return gc_action::kept;
  if (sys::probe_lock_byte(file.fd.get(), shm::holders_lock_byte, lock_kind::exclusive) !=
      file_error::ok) {
    info->state = file_state::held;
    return std::nullopt;
  }
  info->state = file_state::leftover;
  info->status = STATUS_ACCESS_DENIED;
  return gc_action::not_removed;
}

// What gc does with one entry; nullopt: nothing to report (held, or gone).
std::optional<gc_action> handle(const scan_directory& directory, const std::string& file_name,
                                bool dry_run, scanned_file* info) {
  opened_file file;
  switch (open_entry(directory, file_name, true, &file, info)) {
    case open_outcome::gone: return std::nullopt;
    case open_outcome::untrusted:
      return info->state == file_state::inaccessible ? gc_action::skipped : gc_action::kept;
    case open_outcome::opened: break;
  }
  return file.writable ? collect(directory, file, dry_run, info) : judge_read_only(file, info);
}  // `file` closes here, which drops its lock

void count(gc_action action, gc_summary* summary) {
  switch (action) {
    case gc_action::removed:
      ++summary->removed;
      ++summary->leftovers;
      break;
    case gc_action::would_remove: ++summary->leftovers; break;
    case gc_action::not_removed:
      ++summary->not_removed;
      ++summary->leftovers;
      break;
    case gc_action::kept: ++summary->kept; break;
    case gc_action::skipped: ++summary->skipped; break;
  }
}

}  // namespace

NTSTATUS remove_leftovers(unsigned scopes, bool dry_run,
                          const std::function<bool(const scanned_file&, gc_action)>& report,
                          gc_summary* summary) {
  *summary = {};
  return for_each_entry(scopes, [&](const scan_directory& directory, const std::string& file_name) {
    scanned_file info;
    const std::optional<gc_action> action = handle(directory, file_name, dry_run, &info);
    if (!action) {
      if (info.state == file_state::held) ++summary->held;
      return true;
    }
    count(*action, summary);
    return !report || report(info, *action);
  });
}

}  // namespace ntsem::names

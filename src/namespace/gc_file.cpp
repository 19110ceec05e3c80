#include "namespace/gc_file.hpp"

#include <sys/stat.h>

#include "sys/fault_point.hpp"
#include "sys/identity.hpp"

namespace ntsem::names {
namespace {

using sys::file_error;

// Removes a file that is a leftover; gc may unlink it, as far as it can
// tell (may_unlink).
//
// Only a try: success means no user has the file in use, and while gc keeps
// the lock no user can start to.  A file is unlinked only while gc holds the
// lock and its name still names this very file (the name may have been
// unlinked, and made again, since the file was opened).
std::optional<gc_action> collect(const scan_directory& directory, opened_file& file,
                                 const gc_kind& kind, scanned_file* info) {
  const int fd = file.fd.get();
  if (kind.try_in_use_lock(fd) != file_error::ok) {
    info->state = file_state::held;
    return std::nullopt;
  }
  sys::reach(sys::fault_point::gc_file_locked);
  sys::file_identity now{}, named{};
  if (sys::identify(fd, &now) != file_error::ok || now.links == 0 ||
      sys::identify_in(directory.fd.get(), info->file_name, &named) != file_error::ok ||
      named.device != now.device || named.inode != now.inode)
    return std::nullopt;  // its users removed it; a new file is for the next run
  file.identity = now;
  if (!kind.check(file, info)) return gc_action::kept;
  info->state = file_state::leftover;
  const file_error e = sys::unlink_in(directory.fd.get(), info->file_name);
  if (e == file_error::ok) return gc_action::removed;
  if (e == file_error::not_found) return std::nullopt;  // removed by hand meanwhile
  info->status = e == file_error::access_denied ? STATUS_ACCESS_DENIED
                                                : STATUS_INSUFFICIENT_RESOURCES;
  return gc_action::not_removed;
}

// What gc does with a file it will not remove: a dry run's, or one it may
// not remove (open for reading only, or another user's in a sticky
// directory).  It tells a leftover from a file in use without taking any
// lock: a lock taken only to look would keep a joiner waiting meanwhile, and
// then let it join the leftover as if it were held, instead of reclaiming it.
std::optional<gc_action> judge_unlocked(const opened_file& file, const gc_kind& kind,
                                        bool removable, scanned_file* info) {
  if (!kind.check(file, info)) return gc_action::kept;
  if (kind.seems_in_use(file)) {
    info->state = file_state::held;
    return std::nullopt;
  }
  info->state = file_state::leftover;
  if (removable) return gc_action::would_remove;
  info->status = STATUS_ACCESS_DENIED;
  return gc_action::not_removed;
}

// Whether this process may unlink the file, as far as it can tell before it
// tries: it can write the file, and, the namespace directories being sticky
// (mode 1777), it is root or owns the file or the directory.  (Ownership may
// change before the unlink, which then reports what it finds.)
bool may_unlink(const scan_directory& directory, const opened_file& file) {
  if (!file.writable) return false;
  const uid_t me = sys::effective_uid();
  if (me == 0 || file.identity.owner == me) return true;
  sys::file_identity dir{};
  return sys::identify(directory.fd.get(), &dir) != file_error::ok || !(dir.mode & S_ISVTX) ||
         dir.owner == me;
}

// What gc does with one entry; nullopt: nothing to report (in use:
// info->state is held; or gone).
std::optional<gc_action> gc_file(const scan_directory& directory, const std::string& file_name,
                                 const gc_kind& kind, bool dry_run, scanned_file* info) {
  opened_file file;
  switch (open_entry(directory, file_name, true, &file, info)) {
    case open_outcome::gone: return std::nullopt;
    case open_outcome::untrusted:
      return info->state == file_state::inaccessible ? gc_action::skipped : gc_action::kept;
    case open_outcome::opened: break;
  }
  const bool removable = may_unlink(directory, file);
  return removable && !dry_run ? collect(directory, file, kind, info)
                               : judge_unlocked(file, kind, removable, info);
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

bool gc_entry(const scan_directory& directory, const std::string& file_name, const gc_kind& kind,
              bool dry_run, const gc_report& report, gc_summary* summary) {
  scanned_file info;
  const std::optional<gc_action> action = gc_file(directory, file_name, kind, dry_run, &info);
  if (!action) {
    if (info.state == file_state::held) ++summary->held;
    return true;
  }
  count(*action, summary);
  return !report || report(info, *action);
}

}  // namespace ntsem::names

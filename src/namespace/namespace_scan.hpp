// Looking at the namespace directories from outside: which files are there
// and what each one holds.  The listing (scan_namespace) and the removal of
// leftovers (leftovers.hpp) are built on it, and the public Ntsem* calls of
// <ntsem/namespace.h> on those.
//
// Nothing here takes a lock that a holder could see: a file is opened, read
// through its descriptor (never mapped) and closed.  So what is read may be
// stale the moment it is returned: an object may be joined, left or made
// again right after it was looked at.  leftovers.cpp adds the lock protocol
// where a decision must not be stale.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <ntsem/winternl.h>

#include "namespace/object_name.hpp"
#include "shm/object_slot.hpp"
#include "sys/file.hpp"
#include "sys/flock_table.hpp"

namespace ntsem::names {

// Which directories a scan reads (flags; the values of NTSEM_SCOPE_*).
inline constexpr unsigned scan_global = 0x1;
inline constexpr unsigned scan_session = 0x2;        // the caller's session
inline constexpr unsigned scan_all_sessions = 0x4;   // every session directory
inline constexpr unsigned scan_every_scope = scan_global | scan_session | scan_all_sessions;

enum class file_state : std::uint8_t {
  held,          // a process holds the object
  leftover,      // a valid object file that nobody holds (its holders died)
  corrupt,       // not an object file: foreign, damaged, not a regular file
  other_version, // an object file of another layout version
  inaccessible,  // the caller may not open it (another user's)
};

// One file of a namespace directory, as found.
struct scanned_file {
  scope where = scope::session;
  std::string directory;  // "global", "session-<id>"
  std::string file_name;  // in `directory`
  // The object's name as stored in the file, as UTF-8 (an unpaired surrogate
  // shows as U+FFFD); empty unless the file validated.
  std::string name;
  file_state state = file_state::corrupt;
  shm::object_type type = shm::object_type::none;
  // Semaphores: the count and the maximum count.  Events: count 1 while
  // signaled, 0 while not, and manual_reset 1 or 0.  -1 where it does not
  // apply or was not read.
  std::int32_t count = -1;
  std::int32_t maximum = -1;
  std::int32_t manual_reset = -1;
  uid_t owner = 0;
  mode_t mode = 0;  // permission bits
  // Why the file is corrupt, other_version or inaccessible: what an open of
  // its name would fail with.  STATUS_SUCCESS otherwise.
  NTSTATUS status = STATUS_SUCCESS;
};

// A directory to scan, open.
struct scan_directory {
  scope where = scope::session;
  std::string name;
  sys::unique_fd fd;
};

// The directories `scopes` names that exist, in name order ("global" first);
// the caller's session is read once even if asked for twice.  A directory
// that does not exist holds nothing and is no error.  STATUS_INVALID_PARAMETER
// for no scope or an unknown flag; STATUS_ACCESS_DENIED or
// STATUS_INSUFFICIENT_RESOURCES when one cannot be read.
NTSTATUS open_scan_directories(unsigned scopes, std::vector<scan_directory>* out);

// The directory `name` under the root, opened for a scan as `where`: its fd
// stays empty when the root or the directory does not exist (or is not a
// directory), which is no error; nothing is created.  STATUS_ACCESS_DENIED
// or STATUS_INSUFFICIENT_RESOURCES when it cannot be opened.
NTSTATUS open_scan_directory(scope where, const std::string& name, scan_directory* out);

// The entries of `directory` that may be object files, in name order (names
// starting with '.' are ntsem's own temporaries, never objects).
NTSTATUS object_file_names(const scan_directory& directory, std::vector<std::string>* out);

// Calls `visit` for each entry of each directory of `scopes` that may be an
// object file, directories and entries in name order; stops early when it
// returns false.  Errors as open_scan_directories.
NTSTATUS for_each_entry(
    unsigned scopes,
    const std::function<bool(const scan_directory&, const std::string& file_name)>& visit);

// An entry opened to be looked at.
struct opened_file {
  sys::unique_fd fd;
  bool writable = false;  // open for writing: may lock holders exclusively
  sys::file_identity identity{};
};

enum class open_outcome {
  opened,     // `file` is open; `info` has the owner and mode
  gone,       // the entry went away meanwhile: nothing to report
  untrusted,  // `info` is complete (corrupt or inaccessible); nothing open
};

// Opens the entry `file_name` of `directory` without following a link and
// without blocking; for reading and writing when `want_write` and the file's
// mode allows it, else for reading only.  Fills where, directory, file_name,
// owner and mode of `info`.
open_outcome open_entry(const scan_directory& directory, const std::string& file_name,
                        bool want_write, opened_file* file, scanned_file* info);

// Reads what an opened file holds: validate()s it and checks that its stored
// name is the name its file name stands for, then fills name, type and the
// state (count, maximum, manual_reset).  False when it is not to be trusted (state corrupt or
// other_version, with the status); the caller decides held or leftover.
bool describe(const opened_file& file, scanned_file* info);

// Whether a process holds the object of an opened file, told without taking
// its holders lock: from the flock() locks /proc/locks lists, read once into
// `locks` (sys/flock_table.hpp, which says what the kernel leaves out of
// it).  A lock taken to look, even for a moment, would disturb the object's
// users: a joiner would wait for it and then join a leftover, a leaver
// would take it for another holder.  Without the list (`locks` null, or
// /proc/locks unreadable) the answer is yes: a file is never called a
// leftover on no evidence.
bool holders_listed(const sys::flock_table* locks, const opened_file& file);
bool holders_listed(const opened_file& file);  // reads /proc/locks itself

// Calls `each` for every file in the directories of `scopes`, held or not;
// stops early when it returns false.  Held or leftover is told by
// holders_listed, so it never disturbs a joining or leaving process.
// Errors as open_scan_directories.
NTSTATUS scan_namespace(unsigned scopes, const std::function<bool(const scanned_file&)>& each);

}  // namespace ntsem::names

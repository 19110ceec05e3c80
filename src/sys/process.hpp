// Other processes, as far as their ids tell.
#pragma once

#include <cstdint>
#include <string>

namespace ntsem::sys {

// Whether no process of this pid namespace has the id `pid` now (kill(pid,
// 0) fails with ESRCH).  A hint only: ids are reused, and a process of
// another pid namespace that shares a directory with this one may have the
// same id; so it only chooses what to look at, a lock decides.
bool has_ended(std::uint32_t pid);

// The last component of the path that process `pid`'s descriptor `fd`
// opened (/proc/PID/fd/FD), as the kernel shows it: only to the same user
// or root (ptrace read access).  False when it is not shown, or the
// descriptor opens no file of a directory (a socket, a pipe, an unlinked
// file: " (deleted)").  A hint only: the file may have been renamed, and
// the name replaced, since.
bool descriptor_file_name(std::uint32_t pid, std::int64_t fd, std::string* out);

}  // namespace ntsem::sys

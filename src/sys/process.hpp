// Other processes, as far as their ids tell.
#pragma once

#include <cstdint>

namespace ntsem::sys {

// Whether no process of this pid namespace has the id `pid` now (kill(pid,
// 0) fails with ESRCH).  A hint only: ids are reused, and a process of
// another pid namespace that shares a directory with this one may have the
// same id; so it only chooses what to look at, a lock decides.
bool has_ended(std::uint32_t pid);

}  // namespace ntsem::sys

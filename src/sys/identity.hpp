// The calling process's ids, as the kernel checks them against a file.
#pragma once

#include <sys/types.h>

namespace ntsem::sys {

uid_t effective_uid();
gid_t effective_gid();
// Whether `group` is the effective group or one of the supplementary groups.
bool in_group(gid_t group);

}  // namespace ntsem::sys

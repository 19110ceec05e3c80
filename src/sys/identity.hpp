// The calling process's ids, as the kernel checks them against a file, and
// random numbers for names no other process can guess.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace ntsem::sys {

uid_t effective_uid();
gid_t effective_gid();
// A number from the kernel's random source, to make names that another
// process cannot guess or have left behind.
std::uint32_t random_number();
// Whether `group` is the effective group or one of the supplementary groups.
bool in_group(gid_t group);

}  // namespace ntsem::sys

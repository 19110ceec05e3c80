// Memory handed to the caller that it frees with LocalFree (and, for SIDs
// from AllocateAndInitializeSid, with FreeSid, which frees the same way).
#pragma once

#include <cstddef>

namespace ntsem::win32 {

// `size` bytes, or null when memory is short.
void* local_alloc(std::size_t size);
// A copy of `size` bytes at `data`, or null when memory is short.
void* local_copy(const void* data, std::size_t size);
void local_free(void* p);

}  // namespace ntsem::win32

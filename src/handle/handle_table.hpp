// The process's handle table.
//
// A HANDLE value is (generation << 32) | (index << 2): the low two bits are
// ignored (as on Windows), the index names an entry, and the generation must
// match the entry's current one.  Each close advances the entry's generation,
// so a closed value never becomes valid again; an entry whose generation space
// is exhausted (2^31 closes) is retired.  Values with bit 63 set are pseudo
// handles (GetCurrentProcess() is -1) and never name an entry.
//
// Entries live in chunks that are allocated on demand and never freed, so a
// lookup can read an entry at any time.  Lookup takes no lock: it reads the
// entry's tag, its fields, and the tag again (a sequence lock), and succeeds
// only if the tag is unchanged and names the handle's generation.
//
// Entry tag: bits 1..31 generation, bit 0 LIVE.
//   INV-ENTRY  The fields of an entry are written only while its tag is not
//              LIVE, before the release-store that makes it LIVE; so a reader
//              that sees the same LIVE tag before and after reading the
//              fields has read the fields of that generation.  (The flags
//              word alone changes while LIVE, by SetHandleInformation; each
//              of its values is a valid one.)
// Each LIVE entry owns one reference to its object (object::drop_ref on close).
#pragma once

#include <atomic>
#include <cstdint>

#include <ntsem/winternl.h>

#include "object/object_ref.hpp"
#include "shm/object_slot.hpp"

namespace ntsem::handle {

struct handle_info {
  object::object_ref object;
  shm::object_type type = shm::object_type::none;
  ACCESS_MASK access = 0;
  DWORD flags = 0;  // HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE
};

inline constexpr DWORD valid_flags = HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE;

// The pseudo handles of the current process and thread.
inline HANDLE current_process() { return reinterpret_cast<HANDLE>(static_cast<intptr_t>(-1)); }
inline HANDLE current_thread() { return reinterpret_cast<HANDLE>(static_cast<intptr_t>(-2)); }
inline bool is_pseudo(HANDLE h) { return static_cast<intptr_t>(reinterpret_cast<uintptr_t>(h)) < 0; }

// Adds an entry that takes over one reference to info.object.
// STATUS_INSUFFICIENT_RESOURCES when the table is full.
NTSTATUS insert(const handle_info& info, HANDLE* out);

// Fills *out for a live handle; STATUS_INVALID_HANDLE otherwise.  Lock-free.
NTSTATUS lookup(HANDLE h, handle_info* out);

// Closes the handle and drops its reference.  STATUS_HANDLE_NOT_CLOSABLE for
// a handle with HANDLE_FLAG_PROTECT_FROM_CLOSE.
NTSTATUS close(HANDLE h);

// Replaces the flags selected by `mask` with those of `flags` (unknown bits
// ignored).
NTSTATUS set_flags(HANDLE h, DWORD mask, DWORD flags);

// Number of live handles (for tests and tools).
std::size_t live_handles();

}  // namespace ntsem::handle

// The file that holds one named object.  Like object_slot.hpp this is an ABI:
// processes of other builds open these files, so the header carries a magic
// and a version that every opener checks before it trusts anything else, and
// a file that fails any check is refused, never repaired.
//
//   [0, 64)            named_file_header
//   [64, 128)          object_slot (the object itself; mapped by every holder)
//   [128, 128 + n)     the object's full canonical name (n = name_bytes), so
//                      that a digest file name can be checked against the name
//
// Lifetime lock (an OFD lock on one byte; see namespace/named_object.hpp):
//   byte 0  every process that holds the object holds it shared; exclusive
//           only while no one else does (a leaver removing the name, a
//           reclaimer re-making a leftover)
#pragma once

#include <cstddef>
#include <cstdint>

#include "shm/object_slot.hpp"

namespace ntsem::shm {

inline constexpr char named_file_magic[8] = {'N', 'T', 'S', 'E', 'M', 'O', 'B', 'J'};
inline constexpr std::uint32_t named_file_version = 2;

struct named_file_header {
  char magic[8];              // named_file_magic
  std::uint32_t version;      // named_file_version
  std::uint32_t slot_offset;  // offsetof(named_file, slot): 64
  std::uint32_t name_offset;  // 128
  std::uint32_t name_bytes;   // length of the canonical name
  std::uint8_t type;          // object_type, as in the slot (for tools)
  std::uint8_t reserved0[3];
  // The rights the creator's security descriptor grants each class of user
  // of this file: owner, group, other, root (security/class_rights.hpp).
  // Written once, before the file is linked; an open checks the caller's
  // class.  A holder that rewrites them gains nothing the file's mode does
  // not already let it do.
  std::uint32_t class_rights[4];
  std::uint8_t reserved[20];
};

struct named_file {
  named_file_header header;
  object_slot slot;
};

static_assert(sizeof(named_file_header) == 64);
static_assert(offsetof(named_file_header, class_rights) == 28);
static_assert(offsetof(named_file, slot) == 64);
static_assert(sizeof(named_file) == 128);

inline constexpr std::size_t named_file_name_offset = sizeof(named_file);
// What a holder maps: the header and the slot, in one page.
inline constexpr std::size_t named_file_mapped_bytes = 4096;
inline constexpr std::size_t holders_lock_byte = 0;

}  // namespace ntsem::shm

// The file that holds one named object.  Like object_slot.hpp this is an ABI:
// processes of other builds open these files, so the header carries a magic
// and a version that every opener checks before it trusts anything else, and
// a file that fails any check is refused, never repaired.
//
//   [0, 64)              named_file_header
//   [64, 128)            object_slot (the object itself)
//   [128, 128 + n)       the object's full canonical name (n = name_bytes),
//                        when it ends within the first page; so that a
//                        digest file name can be checked against the name
//   [4096, 69632)        the entry area: the queue entries of the object's
//                        waiting threads (shm/queue_entry.hpp), 2,048
//   [69632, 69632 + n)   the name, when it does not fit in the first page
//
// Holders map [0, 69632): header, slot and entries.  The file is sparse: an
// entry page costs memory only once a thread has queued in it.
//
// Lifetime lock: the file's flock() lock, "holders" (see
// namespace/named_object.hpp).  Every process that holds the object holds it
// shared; exclusive only while no one else does (a leaver removing the name,
// a reclaimer re-making a leftover).  Version 3 used an OFD lock on byte 0
// instead, which this version does not see: hence version 4.
#pragma once

#include <cstddef>
#include <cstdint>

#include "shm/object_slot.hpp"
#include "shm/queue_entry.hpp"

namespace ntsem::shm {

inline constexpr char named_file_magic[8] = {'N', 'T', 'S', 'E', 'M', 'O', 'B', 'J'};
inline constexpr std::uint32_t named_file_version = 4;

struct named_file_header {
  char magic[8];              // named_file_magic
  std::uint32_t version;      // named_file_version
  std::uint32_t slot_offset;  // offsetof(named_file, slot): 64
  std::uint32_t name_offset;  // named_file_name_offset_for(name_bytes)
  std::uint32_t name_bytes;   // length of the canonical name
  std::uint8_t type;          // object_type, as in the slot (for tools)
  std::uint8_t reserved0[3];
  // The rights the creator's security descriptor grants each class of user
  // of this file: owner, group, other, root (security/class_rights.hpp).
  // Written once, before the file is linked; an open checks the caller's
  // class.  A holder that rewrites them gains nothing the file's mode does
  // not already let it do.
  std::uint32_t class_rights[4];
  std::uint32_t entry_offset;  // named_file_entry_offset
  std::uint32_t entry_count;   // named_file_entry_count
  std::uint8_t reserved[12];
};

struct named_file {
  named_file_header header;
  object_slot slot;
};

static_assert(sizeof(named_file_header) == 64);
static_assert(offsetof(named_file_header, class_rights) == 28);
static_assert(offsetof(named_file_header, entry_offset) == 44);
static_assert(offsetof(named_file, slot) == 64);
static_assert(sizeof(named_file) == 128);

inline constexpr std::size_t named_file_page = 4096;
inline constexpr std::size_t named_file_entry_offset = named_file_page;
inline constexpr std::uint32_t named_file_entry_count = 2048;
// What a holder maps: the header, the slot and the entry area.
inline constexpr std::size_t named_file_mapped_bytes =
    named_file_entry_offset + std::size_t{named_file_entry_count} * sizeof(queue_entry);
// Where a name of `name_bytes` bytes is stored.
inline constexpr std::size_t named_file_short_name_offset = sizeof(named_file);
inline constexpr std::size_t named_file_long_name_offset = named_file_mapped_bytes;
inline constexpr std::size_t named_file_name_offset_for(std::size_t name_bytes) {
  return named_file_short_name_offset + name_bytes <= named_file_page
             ? named_file_short_name_offset
             : named_file_long_name_offset;
}
// The size of the file of an object whose name has `name_bytes` bytes.
inline constexpr std::size_t named_file_bytes(std::size_t name_bytes) {
  const std::size_t name_end = named_file_name_offset_for(name_bytes) + name_bytes;
  return name_end > named_file_mapped_bytes ? name_end : named_file_mapped_bytes;
}
static_assert(named_file_mapped_bytes % named_file_page == 0);

}  // namespace ntsem::shm

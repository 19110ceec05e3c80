// A security descriptor as the object layer reads it: owner, group and DACL,
// copied out of a caller's SECURITY_DESCRIPTOR (absolute or self-relative)
// after every length, offset and revision in it has been checked.  The
// caller's memory is read once, here; nothing keeps pointers into it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <ntsem/winternl.h>

namespace ntsem::security {

// A SID: S-<revision 1>-<authority>-<sub authorities...>.
struct sid {
  std::array<std::uint8_t, 6> authority{};      // big-endian 48-bit value
  std::vector<std::uint32_t> sub_authorities;   // at most 15
  friend bool operator==(const sid&, const sid&) = default;
};

struct ace {
  std::uint8_t type = 0;   // ACCESS_ALLOWED_ACE_TYPE or ACCESS_DENIED_ACE_TYPE
  std::uint8_t flags = 0;  // inheritance flags (INHERIT_ONLY_ACE matters)
  ACCESS_MASK mask = 0;    // as given: generic rights not yet mapped
  sid who;
  friend bool operator==(const ace&, const ace&) = default;
};

struct descriptor {
  std::optional<sid> owner;
  std::optional<sid> group;
  // SE_DACL_PRESENT clear: the object gets the default DACL.
  bool dacl_present = false;
  // Present with a NULL ACL pointer: no protection, everyone has every right.
  bool dacl_null = false;
  std::vector<ace> dacl;  // in order; only allowed and denied ACEs are kept
  friend bool operator==(const descriptor&, const descriptor&) = default;
};

// Reads a SECURITY_DESCRIPTOR (not null).  STATUS_SUCCESS, or:
//   STATUS_UNKNOWN_REVISION        the descriptor's revision is not 1;
//   STATUS_INVALID_SECURITY_DESCR  lengths, offsets or flags do not hold;
//   STATUS_INVALID_ACL             the DACL's revision, size or ACEs are bad;
//   STATUS_INVALID_SID             a SID is malformed.
// Kinds of ACE other than allowed and denied (audit, object, callback) are
// skipped, as they grant nothing on a synchronization object.
//
// A SACL, where present, is checked as the DACL is and then dropped.  The
// checks are IsValidSecurityDescriptor's (acl.hpp and sid.hpp state them).
// An absolute descriptor's parts are read through its pointers, each no
// further than its own header says.  A self-relative descriptor is read as
// the GetSecurityDescriptorLength bytes at its start (descriptor_parts.hpp:
// the sizes its parts' headers give, at offsets below the largest
// self-relative descriptor there can be), and so through
// read_descriptor_bounded: a part that lies outside that length is
// STATUS_INVALID_SECURITY_DESCR.
NTSTATUS read_descriptor(const void* security_descriptor, descriptor* out);

// Reads a self-relative descriptor that lies in the `length` bytes at
// `security_descriptor`, and never reads outside them.  Each part must start
// at a DWORD-aligned offset past the 20-byte header and end inside `length`
// (else STATUS_INVALID_SECURITY_DESCR); an absolute descriptor, whose
// pointers no length bounds, is STATUS_BAD_DESCRIPTOR_FORMAT.  Otherwise as
// read_descriptor.
NTSTATUS read_descriptor_bounded(const void* security_descriptor, std::size_t length,
                                 descriptor* out);

}  // namespace ntsem::security

// A security descriptor as the object layer reads it: owner, group and DACL,
// copied out of a caller's SECURITY_DESCRIPTOR (absolute or self-relative)
// after every length, offset and revision in it has been checked.  The
// caller's memory is read once, here; nothing keeps pointers into it.
#pragma once

#include <array>
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
};

struct descriptor {
  std::optional<sid> owner;
  std::optional<sid> group;
  // SE_DACL_PRESENT clear: the object gets the default DACL.
  bool dacl_present = false;
  // Present with a NULL ACL pointer: no protection, everyone has every right.
  bool dacl_null = false;
  std::vector<ace> dacl;  // in order; only allowed and denied ACEs are kept
};

// Reads a SECURITY_DESCRIPTOR.  STATUS_SUCCESS, or:
//   STATUS_UNKNOWN_REVISION        the descriptor's revision is not 1;
//   STATUS_INVALID_SECURITY_DESCR  lengths, offsets or flags do not hold;
//   STATUS_INVALID_ACL             the DACL's revision, size or ACEs are bad;
//   STATUS_INVALID_SID             a SID is malformed.
// Kinds of ACE other than allowed and denied (audit, object, callback) are
// skipped, as they grant nothing on a synchronization object.
NTSTATUS read_descriptor(const void* security_descriptor, descriptor* out);

}  // namespace ntsem::security

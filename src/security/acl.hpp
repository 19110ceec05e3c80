// An access control list in Windows' layout: an 8-byte header
//
//   offset 0  BYTE AclRevision   ACL_REVISION2 .. ACL_REVISION4
//          2  WORD AclSize       the whole ACL in bytes, header included
//          4  WORD AceCount
//
// then AceCount ACEs, one after another, each starting with an ACE_HEADER
// (type, flags, AceSize).  The allowed, denied, audit and alarm ACEs carry an
// access mask and a SID after the header.
//
// An ACL is valid (IsValidAcl, RtlValidAcl as ReactOS documents it) when its
// revision is 2 to 4, AclSize is at least 8, and each of its AceCount ACEs
// lies inside AclSize with an even AceSize of at least 4; an allowed, denied,
// audit or alarm ACE's size is a multiple of 4 and holds its mask and a valid
// SID.  The readers below never look past AclSize, nor at an ACE before the
// ones ahead of it have been found inside it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <ntsem/winternl.h>

#include "security/byte_range.hpp"
#include "security/descriptor.hpp"

namespace ntsem::security {

inline constexpr std::size_t acl_header_size = 8;
inline constexpr std::size_t ace_header_size = 4;
// An allowed or denied ACE: header, mask, then the SID.
inline constexpr std::size_t known_ace_sid_at = 8;

// AclSize, from a range that holds the ACL's header.
std::size_t acl_size(byte_range header);

// Checks every rule of a valid ACL on the ACL at the start of `bytes`, which
// holds acl_size() bytes (at least the header).  If `aces` is not null, the
// allowed and denied ACEs are appended to it in order.
bool read_acl(byte_range bytes, std::vector<ace>* aces);

// read_acl on the ACL `p` points to: its header first, then AclSize bytes.
bool read_acl_at(const void* p, std::vector<ace>* aces);

// InitializeAcl: STATUS_BUFFER_TOO_SMALL below 8 bytes, STATUS_INVALID_PARAMETER
// for a revision outside 2..4 or a length over 65535.  AclSize is `length`.
NTSTATUS create_acl(void* acl, DWORD length, DWORD revision);

// AddAccess{Allowed,Denied}Ace[Ex]: appends an ACE of `type` after the last
// one.  In ReactOS's order: STATUS_INVALID_SID, STATUS_REVISION_MISMATCH (a
// revision above 4, of the ACE or the ACL), STATUS_INVALID_PARAMETER (flags
// beyond the inheritance ones), STATUS_INVALID_ACL, and
// STATUS_ALLOTTED_SPACE_EXCEEDED when the ACE does not fit in AclSize.  The
// ACL's revision becomes the higher of the two.
NTSTATUS add_known_ace(void* acl, DWORD revision, DWORD flags, ACCESS_MASK mask, const void* sid,
                       std::uint8_t type);

// GetAce: the address of ACE `index`.  STATUS_INVALID_PARAMETER for an ACL
// revision outside 2..4, an index at or past AceCount, or an ACE that is not
// inside AclSize.
NTSTATUS find_ace(const void* acl, DWORD index, void** out);

// The bytes an allowed or denied ACE for `who` takes.
std::size_t known_ace_size(const sid& who);
// Writes `a` (allowed or denied) at `at`, known_ace_size(a.who) bytes.
void write_known_ace(void* at, const ace& a);

}  // namespace ntsem::security

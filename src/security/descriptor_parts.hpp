// The two layouts of a SECURITY_DESCRIPTOR, and the calls that build one and
// get or set its parts (InitializeSecurityDescriptor, Get/SetSecurity-
// Descriptor{Owner,Group,Dacl,Control}, GetSecurityDescriptorLength), with
// the statuses ReactOS's Rtl*SecurityDescriptor routines give.
//
// Both layouts begin with the same four bytes: BYTE Revision, BYTE Sbz1, WORD
// Control.  Then:
//   absolute (SE_SELF_RELATIVE clear), 40 bytes: pointers Owner at 8, Group
//     at 16, Sacl at 24, Dacl at 32;
//   self-relative, 20 bytes: DWORD offsets from the descriptor's start, Owner
//     at 4, Group at 8, Sacl at 12, Dacl at 16, 0 for a part that is absent.
// A DACL or SACL whose PRESENT bit is clear is absent, whatever its field says.
//
// None of these validate the parts (IsValidSecurityDescriptor does, in
// descriptor.cpp): like Windows' they take a descriptor's word for where its
// parts are.
#pragma once

#include <cstddef>
#include <cstdint>

#include <ntsem/winternl.h>

namespace ntsem::security {

enum class part { owner, group, sacl, dacl };

inline constexpr std::size_t absolute_header_size = sizeof(SECURITY_DESCRIPTOR);
inline constexpr std::size_t self_relative_header_size = sizeof(SECURITY_DESCRIPTOR_RELATIVE);

struct descriptor_header {
  std::uint8_t revision;
  SECURITY_DESCRIPTOR_CONTROL control;
  bool self_relative() const { return (control & SE_SELF_RELATIVE) != 0; }
};
descriptor_header header_of(const void* sd);

// Whether the part is there to be read: the owner and group always are (their
// field may still be null), a DACL or SACL only with its PRESENT bit.
bool part_present(const descriptor_header& h, part p);
// The part's field: a pointer (absolute) or an offset (self-relative), as a
// number; 0 for none.
std::uintptr_t part_field(const void* sd, part p);
// Where the part is, as the Get* calls return it: null when absent.
const void* part_address(const void* sd, part p);

// GetSecurityDescriptorLength: the header plus each part, SIDs and ACLs
// rounded up to 4 bytes.  A self-relative part is read only at an offset
// below the largest size a self-relative descriptor can have (the header, two
// SIDs of 15 sub-authorities and two ACLs of 65535 bytes); one beyond counts
// nothing.
DWORD descriptor_length(const void* sd);
inline constexpr std::size_t largest_self_relative = self_relative_header_size + 2 * 68 + 2 * 0x10000;

NTSTATUS create_descriptor(void* sd, DWORD revision);
// The owner or group.
NTSTATUS set_principal(void* sd, part p, PSID sid, bool defaulted);
NTSTATUS get_principal(const void* sd, part p, PSID* sid, BOOL* defaulted);
NTSTATUS set_dacl(void* sd, bool present, PACL dacl, bool defaulted);
// Without a DACL only *present is written (FALSE), as on Windows.
NTSTATUS get_dacl(const void* sd, BOOL* present, PACL* dacl, BOOL* defaulted);
// *revision is written even when it is wrong.
NTSTATUS get_control(const void* sd, SECURITY_DESCRIPTOR_CONTROL* control, DWORD* revision);

}  // namespace ntsem::security

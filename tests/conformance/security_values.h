// SIDs, ACLs and descriptors for the security cases, built and read through
// the Win32 calls alone.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "platform.h"

namespace conformance {

// Frees what the SID and SDDL calls allocate.
struct local_free {
  void operator()(void* p) const { LocalFree(p); }
};
template <class T>
using local_ptr = std::unique_ptr<T, local_free>;

// A well-known SID's bytes (CreateWellKnownSid); empty if that fails.
std::vector<BYTE> known_sid(WELL_KNOWN_SID_TYPE type);

// "S-1-..." by ConvertSidToStringSidA; "" if that fails.  The last error is
// kept.
std::string sid_text(PSID sid);

// An ACL buffer of `size` bytes initialized at `revision`, DWORD-aligned.
struct acl_buffer {
  explicit acl_buffer(DWORD size, DWORD revision = ACL_REVISION);
  PACL get() { return reinterpret_cast<PACL>(words.data()); }
  BYTE* bytes() { return reinterpret_cast<BYTE*>(words.data()); }
  std::vector<DWORD> words;
};

// The header of ACE `index` (GetAce), or {0xFF, 0xFF, 0} if there is none.
ACE_HEADER ace_header(PACL acl, DWORD index);
// The mask and the SID of allowed or denied ACE `index`.
ACCESS_MASK ace_mask(PACL acl, DWORD index);
std::string ace_sid(PACL acl, DWORD index);
// Allowed or denied ACE `index` as "<A|D> <flags> <mask> <SID>", flags and
// mask in hex: "A 0x3 0x10000000 S-1-1-0".
std::string ace_text(PACL acl, DWORD index);

// A self-relative descriptor from an SDDL string, or null.
local_ptr<void> from_sddl(const char* sddl, ULONG* size = nullptr);

// The parts of a descriptor as the Get* calls give them.
PACL dacl_of(PSECURITY_DESCRIPTOR sd);  // null also when there is none
std::vector<std::string> dacl_text(PSECURITY_DESCRIPTOR sd);  // ace_text of each ACE
SECURITY_DESCRIPTOR_CONTROL control_of(PSECURITY_DESCRIPTOR sd);
std::string owner_text(PSECURITY_DESCRIPTOR sd);  // "" for none
std::string group_text(PSECURITY_DESCRIPTOR sd);

}  // namespace conformance

// A security identifier in Windows' layout:
//
//   offset 0  BYTE  Revision            SID_REVISION (1)
//          1  BYTE  SubAuthorityCount   at most SID_MAX_SUB_AUTHORITIES (15)
//          2  BYTE  IdentifierAuthority[6], most significant byte first
//          8  DWORD SubAuthority[SubAuthorityCount]
//
// and its conversions to and from `sid` (descriptor.hpp), the form the rest of
// ntsem keeps.  A SID is valid (IsValidSid) when its revision is 1 and it has
// at most 15 sub-authorities; nothing else constrains it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include <ntsem/winternl.h>

#include "security/byte_range.hpp"
#include "security/descriptor.hpp"

namespace ntsem::security {

inline constexpr std::size_t sid_header_size = 8;  // up to the sub-authorities

constexpr std::size_t sid_length(std::size_t sub_authority_count) {
  return sid_header_size + sub_authority_count * sizeof(std::uint32_t);
}
inline std::size_t length_of(const sid& s) { return sid_length(s.sub_authorities.size()); }

// The length of the SID whose header is the first 8 bytes of `header`, or 0
// if the header makes it invalid.  Requires header.holds(0, sid_header_size).
std::size_t valid_sid_length(byte_range header);

// The SID at the start of `bytes`, which holds a valid SID (valid_sid_length
// said so, and that many bytes are there).
sid sid_from(byte_range bytes);

// Reads the SID `p` points to: its header first, and its sub-authorities only
// once the header is valid.  STATUS_INVALID_SID for an invalid one.
NTSTATUS read_sid_at(const void* p, sid* out);

// Writes a SID's header (InitializeSid: the sub-authorities are left as they
// are) at `at`, sid_header_size bytes.
void write_sid_header(void* at, const std::array<std::uint8_t, 6>& authority,
                      std::uint8_t sub_authority_count);
// Writes `s` (at most 15 sub-authorities) at `at`, length_of(s) bytes.
void write_sid(void* at, const sid& s);

}  // namespace ntsem::security

// AllocateAndInitializeSid, FreeSid, InitializeSid, GetSidLengthRequired,
// IsValidSid, GetLengthSid, EqualSid, CopySid, GetSid{SubAuthority,
// SubAuthorityCount,IdentifierAuthority}, CreateWellKnownSid.
#include <array>
#include <cstddef>
#include <cstring>
#include <optional>

#include <ntsem/windows.h>

#include "security/sid.hpp"
#include "security/well_known_sid.hpp"
#include "win32/last_error.hpp"
#include "win32/local_memory.hpp"

using namespace ntsem;
using security::byte_range;

namespace {

// AllocateAndInitializeSid takes at most eight sub-authorities.
constexpr BYTE max_allocated_sub_authorities = 8;

std::array<std::uint8_t, 6> authority_of(const SID_IDENTIFIER_AUTHORITY* a) {
  std::array<std::uint8_t, 6> bytes;
  std::memcpy(bytes.data(), a->Value, bytes.size());
  return bytes;
}

// The length of the valid SID at `p`, 0 for an invalid one (or null).
std::size_t valid_length(const void* p) {
  return p ? security::valid_sid_length(byte_range(p, security::sid_header_size)) : 0;
}

std::uint8_t* bytes_of(PSID sid) { return static_cast<std::uint8_t*>(sid); }

}  // namespace

extern "C" {

BOOL AllocateAndInitializeSid(PSID_IDENTIFIER_AUTHORITY authority, BYTE count, DWORD sub0,
                              DWORD sub1, DWORD sub2, DWORD sub3, DWORD sub4, DWORD sub5,
                              DWORD sub6, DWORD sub7, PSID* out) {
  if (count > max_allocated_sub_authorities) return win32::fail(STATUS_INVALID_SID);
  if (!authority || !out) return win32::fail(STATUS_ACCESS_VIOLATION);
  const DWORD subs[max_allocated_sub_authorities] = {sub0, sub1, sub2, sub3,
                                                     sub4, sub5, sub6, sub7};
  security::sid s;
  s.authority = authority_of(authority);
  s.sub_authorities.assign(subs, subs + count);
  void* p = win32::local_alloc(security::length_of(s));
  if (!p) return win32::fail(STATUS_NO_MEMORY);
  security::write_sid(p, s);
  *out = p;
  return TRUE;
}

PVOID FreeSid(PSID sid) {
  win32::local_free(sid);
  return nullptr;
}

BOOL InitializeSid(PSID sid, PSID_IDENTIFIER_AUTHORITY authority, BYTE count) {
  if (count > SID_MAX_SUB_AUTHORITIES) return win32::fail(STATUS_INVALID_PARAMETER);
  if (!sid || !authority) return win32::fail(STATUS_ACCESS_VIOLATION);
  security::write_sid_header(sid, authority_of(authority), count);
  return TRUE;
}

DWORD GetSidLengthRequired(UCHAR count) {
  return static_cast<DWORD>(security::sid_length(count));
}

BOOL IsValidSid(PSID sid) { return valid_length(sid) != 0; }

// As on Windows, the count is taken as it is, valid or not.
DWORD GetLengthSid(PSID sid) {
  if (!sid) {
    win32::fail(STATUS_ACCESS_VIOLATION);
    return 0;
  }
  return static_cast<DWORD>(security::sid_length(bytes_of(sid)[1]));
}

BOOL EqualSid(PSID a, PSID b) {
  const std::size_t length = valid_length(a);
  return length != 0 && length == valid_length(b) && std::memcmp(a, b, length) == 0;
}

BOOL CopySid(DWORD length, PSID destination, PSID source) {
  if (!source || !destination) return win32::fail(STATUS_ACCESS_VIOLATION);
  const std::size_t needed = valid_length(source);
  if (needed == 0) return win32::fail(STATUS_INVALID_SID);
  if (needed > length) return win32::fail(STATUS_BUFFER_TOO_SMALL);
  std::memmove(destination, source, needed);
  return TRUE;
}

PDWORD GetSidSubAuthority(PSID sid, DWORD index) {
  win32::set_last_error(ERROR_SUCCESS);
  return reinterpret_cast<PDWORD>(bytes_of(sid) + security::sid_length(index));
}

PUCHAR GetSidSubAuthorityCount(PSID sid) {
  win32::set_last_error(ERROR_SUCCESS);
  return bytes_of(sid) + offsetof(SID, SubAuthorityCount);
}

PSID_IDENTIFIER_AUTHORITY GetSidIdentifierAuthority(PSID sid) {
  win32::set_last_error(ERROR_SUCCESS);
  return reinterpret_cast<PSID_IDENTIFIER_AUTHORITY>(bytes_of(sid) +
                                                     offsetof(SID, IdentifierAuthority));
}

BOOL CreateWellKnownSid(WELL_KNOWN_SID_TYPE type, PSID, PSID sid, DWORD* size) {
  const std::optional<security::sid> known = security::well_known_sid(type);
  if (!known || !size) return win32::fail(STATUS_INVALID_PARAMETER);
  const DWORD needed = static_cast<DWORD>(security::length_of(*known));
  if (*size < needed) {
    *size = needed;
    return win32::fail(STATUS_BUFFER_TOO_SMALL);
  }
  if (!sid) return win32::fail(STATUS_INVALID_PARAMETER);
  security::write_sid(sid, *known);
  *size = needed;
  return TRUE;
}

}  // extern "C"

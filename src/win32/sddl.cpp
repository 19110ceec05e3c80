// ConvertStringSidToSidA/W, ConvertSidToStringSidA/W,
// ConvertStringSecurityDescriptorToSecurityDescriptorA/W.  The A strings are
// read byte by byte: every character these grammars know is ASCII, so any
// other byte is simply not one of them.
#include <string>
#include <string_view>
#include <vector>

#include <ntsem/sddl.h>

#include "security/sddl.hpp"
#include "security/sid.hpp"
#include "security/sid_string.hpp"
#include "win32/last_error.hpp"
#include "win32/local_memory.hpp"

using namespace ntsem;

namespace {

std::u16string widened(const char* text) {
  std::u16string wide;
  for (; *text; ++text) wide.push_back(static_cast<unsigned char>(*text));
  return wide;
}
std::u16string widened(const char16_t* text) { return text; }

template <class Char>
BOOL string_to_sid(const Char* text, PSID* out) {
  if (!text || !out) return win32::fail(STATUS_INVALID_PARAMETER);
  security::sid s;
  if (NTSTATUS status = security::parse_sid_string(widened(text), &s); status != STATUS_SUCCESS)
    return win32::fail(status);
  void* p = win32::local_alloc(security::length_of(s));
  if (!p) return win32::fail(STATUS_NO_MEMORY);
  security::write_sid(p, s);
  *out = p;
  return TRUE;
}

template <class Char>
BOOL sid_to_string(PSID sid, Char** out) {
  const std::size_t length =
      sid ? security::valid_sid_length(security::byte_range(sid, security::sid_header_size)) : 0;
  if (length == 0) return win32::fail(STATUS_INVALID_SID);
  if (!out) return win32::fail(STATUS_INVALID_PARAMETER);
  const std::string text = security::format_sid(security::sid_from(security::byte_range(sid, length)));
  auto* p = static_cast<Char*>(win32::local_alloc((text.size() + 1) * sizeof(Char)));
  if (!p) return win32::fail(STATUS_NO_MEMORY);
  for (std::size_t i = 0; i < text.size(); ++i) p[i] = static_cast<Char>(text[i]);
  p[text.size()] = 0;
  *out = p;
  return TRUE;
}

template <class Char>
BOOL string_to_descriptor(const Char* text, DWORD revision, PSECURITY_DESCRIPTOR* out,
                          PULONG size) {
  if (!text || !out) return win32::fail(STATUS_INVALID_PARAMETER);
  if (revision != SDDL_REVISION_1) return win32::fail(STATUS_UNKNOWN_REVISION);
  std::vector<std::uint8_t> bytes;
  if (NTSTATUS status = security::parse_sddl(widened(text), &bytes); status != STATUS_SUCCESS)
    return win32::fail(status);
  void* p = win32::local_copy(bytes.data(), bytes.size());
  if (!p) return win32::fail(STATUS_NO_MEMORY);
  *out = p;
  if (size) *size = static_cast<ULONG>(bytes.size());
  return TRUE;
}

}  // namespace

extern "C" {

BOOL ConvertStringSidToSidA(LPCSTR text, PSID* sid) { return string_to_sid(text, sid); }
BOOL ConvertStringSidToSidW(LPCWSTR text, PSID* sid) { return string_to_sid(text, sid); }
BOOL ConvertSidToStringSidA(PSID sid, LPSTR* text) { return sid_to_string(sid, text); }
BOOL ConvertSidToStringSidW(PSID sid, LPWSTR* text) { return sid_to_string(sid, text); }

BOOL ConvertStringSecurityDescriptorToSecurityDescriptorA(LPCSTR text, DWORD revision,
                                                          PSECURITY_DESCRIPTOR* sd, PULONG size) {
  return string_to_descriptor(text, revision, sd, size);
}
BOOL ConvertStringSecurityDescriptorToSecurityDescriptorW(LPCWSTR text, DWORD revision,
                                                          PSECURITY_DESCRIPTOR* sd, PULONG size) {
  return string_to_descriptor(text, revision, sd, size);
}

}  // extern "C"

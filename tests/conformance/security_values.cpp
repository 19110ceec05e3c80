#include "security_values.h"

#include <cstdio>

namespace conformance {

std::vector<BYTE> known_sid(WELL_KNOWN_SID_TYPE type) {
  std::vector<BYTE> sid(SECURITY_MAX_SID_SIZE);
  DWORD size = static_cast<DWORD>(sid.size());
  if (!CreateWellKnownSid(type, nullptr, sid.data(), &size)) return {};
  sid.resize(size);
  return sid;
}

std::string sid_text(PSID sid) {
  const DWORD error = GetLastError();
  LPSTR text = nullptr;
  std::string result;
  if (sid && ConvertSidToStringSidA(sid, &text)) result = text;
  LocalFree(text);
  SetLastError(error);
  return result;
}

acl_buffer::acl_buffer(DWORD size, DWORD revision) : words((size + 3) / 4 + 1, 0xCCCCCCCCu) {
  InitializeAcl(get(), size, revision);
}

namespace {

ACCESS_ALLOWED_ACE* known_ace(PACL acl, DWORD index) {
  LPVOID ace = nullptr;
  return GetAce(acl, index, &ace) ? static_cast<ACCESS_ALLOWED_ACE*>(ace) : nullptr;
}

std::string principal_text(PSECURITY_DESCRIPTOR sd, bool owner) {
  PSID sid = nullptr;
  BOOL defaulted = FALSE;
  const BOOL got = owner ? GetSecurityDescriptorOwner(sd, &sid, &defaulted)
                         : GetSecurityDescriptorGroup(sd, &sid, &defaulted);
  return got ? sid_text(sid) : "?";
}

}  // namespace

ACE_HEADER ace_header(PACL acl, DWORD index) {
  const ACCESS_ALLOWED_ACE* ace = known_ace(acl, index);
  return ace ? ace->Header : ACE_HEADER{0xFF, 0xFF, 0};
}

ACCESS_MASK ace_mask(PACL acl, DWORD index) {
  const ACCESS_ALLOWED_ACE* ace = known_ace(acl, index);
  return ace ? ace->Mask : 0;
}

std::string ace_sid(PACL acl, DWORD index) {
  ACCESS_ALLOWED_ACE* ace = known_ace(acl, index);
  return ace ? sid_text(&ace->SidStart) : "";
}

std::string ace_text(PACL acl, DWORD index) {
  const ACE_HEADER h = ace_header(acl, index);
  const char* type = h.AceType == ACCESS_ALLOWED_ACE_TYPE  ? "A"
                     : h.AceType == ACCESS_DENIED_ACE_TYPE ? "D"
                                                           : "?";
  char text[64];
  std::snprintf(text, sizeof text, "%s 0x%x 0x%x ", type, unsigned{h.AceFlags},
                static_cast<unsigned>(ace_mask(acl, index)));
  return text + ace_sid(acl, index);
}

local_ptr<void> from_sddl(const char* sddl, ULONG* size) {
  PSECURITY_DESCRIPTOR sd = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl, SDDL_REVISION_1, &sd, size))
    return nullptr;
  return local_ptr<void>(sd);
}

PACL dacl_of(PSECURITY_DESCRIPTOR sd) {
  BOOL present = FALSE, defaulted = FALSE;
  PACL dacl = nullptr;
  if (!GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted) || !present) return nullptr;
  return dacl;
}

std::vector<std::string> dacl_text(PSECURITY_DESCRIPTOR sd) {
  std::vector<std::string> aces;
  PACL dacl = dacl_of(sd);
  for (DWORD i = 0; dacl && i < dacl->AceCount; ++i) aces.push_back(ace_text(dacl, i));
  return aces;
}

SECURITY_DESCRIPTOR_CONTROL control_of(PSECURITY_DESCRIPTOR sd) {
  SECURITY_DESCRIPTOR_CONTROL control = 0;
  DWORD revision = 0;
  GetSecurityDescriptorControl(sd, &control, &revision);
  return control;
}

std::string owner_text(PSECURITY_DESCRIPTOR sd) { return principal_text(sd, true); }
std::string group_text(PSECURITY_DESCRIPTOR sd) { return principal_text(sd, false); }

}  // namespace conformance

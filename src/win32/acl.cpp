// InitializeAcl, IsValidAcl, AddAccess{Allowed,Denied}Ace[Ex], GetAce.
#include <ntsem/windows.h>

#include "security/acl.hpp"
#include "win32/last_error.hpp"

using namespace ntsem;

namespace {

BOOL add_ace(PACL acl, DWORD revision, DWORD flags, DWORD mask, PSID sid, std::uint8_t type) {
  if (!acl || !sid) return win32::fail(STATUS_ACCESS_VIOLATION);
  return win32::bool_result(security::add_known_ace(acl, revision, flags, mask, sid, type));
}

}  // namespace

extern "C" {

BOOL InitializeAcl(PACL acl, DWORD length, DWORD revision) {
  if (!acl) return win32::fail(STATUS_ACCESS_VIOLATION);
  return win32::bool_result(security::create_acl(acl, length, revision));
}

BOOL IsValidAcl(PACL acl) { return acl && security::read_acl_at(acl, nullptr); }

BOOL AddAccessAllowedAce(PACL acl, DWORD revision, DWORD mask, PSID sid) {
  return add_ace(acl, revision, 0, mask, sid, ACCESS_ALLOWED_ACE_TYPE);
}

BOOL AddAccessAllowedAceEx(PACL acl, DWORD revision, DWORD flags, DWORD mask, PSID sid) {
  return add_ace(acl, revision, flags, mask, sid, ACCESS_ALLOWED_ACE_TYPE);
}

BOOL AddAccessDeniedAce(PACL acl, DWORD revision, DWORD mask, PSID sid) {
  return add_ace(acl, revision, 0, mask, sid, ACCESS_DENIED_ACE_TYPE);
}

BOOL AddAccessDeniedAceEx(PACL acl, DWORD revision, DWORD flags, DWORD mask, PSID sid) {
  return add_ace(acl, revision, flags, mask, sid, ACCESS_DENIED_ACE_TYPE);
}

BOOL GetAce(PACL acl, DWORD index, LPVOID* ace) {
  if (!acl || !ace) return win32::fail(STATUS_ACCESS_VIOLATION);
  void* found = nullptr;
  const NTSTATUS s = security::find_ace(acl, index, &found);
  if (s == STATUS_SUCCESS) *ace = found;
  return win32::bool_result(s);
}

}  // extern "C"

// InitializeSecurityDescriptor, IsValidSecurityDescriptor,
// GetSecurityDescriptorLength, GetSecurityDescriptorControl and the Get/Set
// calls for the owner, the group and the DACL.
#include <ntsem/windows.h>

#include "security/descriptor.hpp"
#include "security/descriptor_parts.hpp"
#include "win32/last_error.hpp"

using namespace ntsem;
using security::part;

namespace {

BOOL set_principal(PSECURITY_DESCRIPTOR sd, part p, PSID sid, BOOL defaulted) {
  if (!sd) return win32::fail(STATUS_ACCESS_VIOLATION);
  return win32::bool_result(security::set_principal(sd, p, sid, defaulted));
}

BOOL get_principal(PSECURITY_DESCRIPTOR sd, part p, PSID* sid, LPBOOL defaulted) {
  if (!sd || !sid || !defaulted) return win32::fail(STATUS_ACCESS_VIOLATION);
  return win32::bool_result(security::get_principal(sd, p, sid, defaulted));
}

}  // namespace

extern "C" {

BOOL InitializeSecurityDescriptor(PSECURITY_DESCRIPTOR sd, DWORD revision) {
  if (!sd) return win32::fail(STATUS_ACCESS_VIOLATION);
  return win32::bool_result(security::create_descriptor(sd, revision));
}

// Windows' RtlValidSecurityDescriptor answers yes or no, so the error is the
// same whatever is wrong (ReactOS, IsValidSecurityDescriptor).
BOOL IsValidSecurityDescriptor(PSECURITY_DESCRIPTOR sd) {
  security::descriptor read;
  if (sd && security::read_descriptor(sd, &read) == STATUS_SUCCESS) return TRUE;
  return win32::fail(STATUS_INVALID_SECURITY_DESCR);
}

DWORD GetSecurityDescriptorLength(PSECURITY_DESCRIPTOR sd) {
  if (!sd) {
    win32::fail(STATUS_ACCESS_VIOLATION);
    return 0;
  }
  return security::descriptor_length(sd);
}

BOOL GetSecurityDescriptorControl(PSECURITY_DESCRIPTOR sd, PSECURITY_DESCRIPTOR_CONTROL control,
                                  LPDWORD revision) {
  if (!sd || !control || !revision) return win32::fail(STATUS_ACCESS_VIOLATION);
  return win32::bool_result(security::get_control(sd, control, revision));
}

BOOL SetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR sd, BOOL present, PACL dacl,
                               BOOL defaulted) {
  if (!sd) return win32::fail(STATUS_ACCESS_VIOLATION);
  return win32::bool_result(security::set_dacl(sd, present, dacl, defaulted));
}

BOOL GetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR sd, LPBOOL present, PACL* dacl,
                               LPBOOL defaulted) {
  if (!sd || !present || !dacl || !defaulted) return win32::fail(STATUS_ACCESS_VIOLATION);
  return win32::bool_result(security::get_dacl(sd, present, dacl, defaulted));
}

BOOL SetSecurityDescriptorOwner(PSECURITY_DESCRIPTOR sd, PSID owner, BOOL defaulted) {
  return set_principal(sd, part::owner, owner, defaulted);
}

BOOL GetSecurityDescriptorOwner(PSECURITY_DESCRIPTOR sd, PSID* owner, LPBOOL defaulted) {
  return get_principal(sd, part::owner, owner, defaulted);
}

BOOL SetSecurityDescriptorGroup(PSECURITY_DESCRIPTOR sd, PSID group, BOOL defaulted) {
  return set_principal(sd, part::group, group, defaulted);
}

BOOL GetSecurityDescriptorGroup(PSECURITY_DESCRIPTOR sd, PSID* group, LPBOOL defaulted) {
  return get_principal(sd, part::group, group, defaulted);
}

}  // extern "C"

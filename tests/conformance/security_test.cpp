// Security descriptors: InitializeSecurityDescriptor, the Get/Set calls,
// GetSecurityDescriptorLength, IsValidSecurityDescriptor, and CreateSemaphore
// given one.  (Named objects with descriptors are not here.)
#include <cstring>
#include <vector>

#include "harness.h"
#include "observe.h"
#include "security_values.h"

namespace {

using namespace conformance;

std::vector<BYTE> bytes_of(const SECURITY_DESCRIPTOR& sd) {
  const BYTE* p = reinterpret_cast<const BYTE*>(&sd);
  return std::vector<BYTE>(p, p + sizeof sd);
}

// Each Set call fails on `sd` with `error` and leaves it as it was.
void check_setters_refuse(SECURITY_DESCRIPTOR* sd, DWORD error) {
  const std::vector<BYTE> before = bytes_of(*sd);
  std::vector<BYTE> world = known_sid(WinWorldSid);
  SetLastError(untouched_error);
  CHECK_EQ(SetSecurityDescriptorDacl(sd, TRUE, nullptr, FALSE), FALSE);
  CHECK_EQ(GetLastError(), error);
  SetLastError(untouched_error);
  CHECK_EQ(SetSecurityDescriptorOwner(sd, world.data(), FALSE), FALSE);
  CHECK_EQ(GetLastError(), error);
  SetLastError(untouched_error);
  CHECK_EQ(SetSecurityDescriptorGroup(sd, nullptr, TRUE), FALSE);
  CHECK_EQ(GetLastError(), error);
  CHECK_EQ(bytes_of(*sd), before);
}

TEST(SecurityDescriptor, LayoutIsWindowsX64) {
  CHECK_EQ(sizeof(SECURITY_DESCRIPTOR), 40u);
  CHECK_EQ(SECURITY_DESCRIPTOR_MIN_LENGTH, 40u);
  CHECK_EQ(sizeof(SECURITY_DESCRIPTOR_RELATIVE), 20u);
  CHECK_EQ(sizeof(SID), 12u);
  CHECK_EQ(sizeof(ACL), 8u);
  CHECK_EQ(sizeof(ACE_HEADER), 4u);
  CHECK_EQ(sizeof(ACCESS_ALLOWED_ACE), 12u);
  CHECK_EQ(SECURITY_MAX_SID_SIZE, 68u);
}

TEST(SecurityDescriptor, InitializeGivesAnEmptyDescriptor) {
  SECURITY_DESCRIPTOR sd;
  std::memset(&sd, 0xCC, sizeof sd);
  REQUIRE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  std::vector<BYTE> expected(sizeof sd, 0);
  expected[0] = SECURITY_DESCRIPTOR_REVISION;
  CHECK_EQ(bytes_of(sd), expected);
  CHECK(IsValidSecurityDescriptor(&sd));
  CHECK_EQ(GetSecurityDescriptorLength(&sd), SECURITY_DESCRIPTOR_MIN_LENGTH);
  SECURITY_DESCRIPTOR_CONTROL control = 0x7777;
  DWORD revision = 77;
  CHECK(GetSecurityDescriptorControl(&sd, &control, &revision));
  CHECK_EQ(control, 0);
  CHECK_EQ(revision, SECURITY_DESCRIPTOR_REVISION);
  CHECK_EQ(owner_text(&sd), "");
  CHECK_EQ(group_text(&sd), "");
  BOOL present = TRUE, defaulted = TRUE;
  PACL dacl = nullptr;
  CHECK(GetSecurityDescriptorDacl(&sd, &present, &dacl, &defaulted));
  CHECK_EQ(present, FALSE);
}

TEST(SecurityDescriptor, InitializeRefusesAnUnknownRevision) {
  SECURITY_DESCRIPTOR sd;
  std::memset(&sd, 0xCC, sizeof sd);
  for (DWORD revision : {0u, 2u}) {
    NOTE(revision);
    SetLastError(untouched_error);
    CHECK_EQ(InitializeSecurityDescriptor(&sd, revision), FALSE);
    CHECK_EQ(GetLastError(), ERROR_UNKNOWN_REVISION);
    CHECK_EQ(bytes_of(sd), std::vector<BYTE>(sizeof sd, 0xCC));
  }
}

TEST(SecurityDescriptor, DaclSetAndGet) {
  SECURITY_DESCRIPTOR sd;
  REQUIRE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  // A NULL DACL: present, no ACL.
  CHECK(SetSecurityDescriptorDacl(&sd, TRUE, nullptr, TRUE));
  CHECK_EQ(control_of(&sd), SE_DACL_PRESENT | SE_DACL_DEFAULTED);
  BOOL present = FALSE, defaulted = FALSE;
  PACL dacl = reinterpret_cast<PACL>(std::uintptr_t{0x1234});
  CHECK(GetSecurityDescriptorDacl(&sd, &present, &dacl, &defaulted));
  CHECK_EQ(present, TRUE);
  CHECK_EQ(dacl, nullptr);
  CHECK_EQ(defaulted, TRUE);
  CHECK(IsValidSecurityDescriptor(&sd));

  acl_buffer acl(64);
  CHECK(SetSecurityDescriptorDacl(&sd, TRUE, acl.get(), FALSE));
  CHECK_EQ(control_of(&sd), SE_DACL_PRESENT);
  CHECK(GetSecurityDescriptorDacl(&sd, &present, &dacl, &defaulted));
  CHECK_EQ(present, TRUE);
  CHECK_EQ(dacl, acl.get());
  CHECK_EQ(defaulted, FALSE);
  CHECK_EQ(GetSecurityDescriptorLength(&sd), 40 + 64);

  // No DACL: the flag goes, and nothing else is looked at.
  CHECK(SetSecurityDescriptorDacl(&sd, FALSE, reinterpret_cast<PACL>(std::uintptr_t{0x1234}),
                                  TRUE));
  CHECK_EQ(control_of(&sd), 0);
  CHECK(GetSecurityDescriptorDacl(&sd, &present, &dacl, &defaulted));
  CHECK_EQ(present, FALSE);
  CHECK_EQ(GetSecurityDescriptorLength(&sd), 40);
}

TEST(SecurityDescriptor, OwnerAndGroupSetAndGet) {
  std::vector<BYTE> admins = known_sid(WinBuiltinAdministratorsSid);
  std::vector<BYTE> world = known_sid(WinWorldSid);
  SECURITY_DESCRIPTOR sd;
  REQUIRE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  CHECK(SetSecurityDescriptorOwner(&sd, admins.data(), TRUE));
  CHECK(SetSecurityDescriptorGroup(&sd, world.data(), FALSE));
  CHECK_EQ(control_of(&sd), SE_OWNER_DEFAULTED);
  PSID sid = nullptr;
  BOOL defaulted = FALSE;
  CHECK(GetSecurityDescriptorOwner(&sd, &sid, &defaulted));
  CHECK_EQ(sid, static_cast<PSID>(admins.data()));
  CHECK_EQ(defaulted, TRUE);
  CHECK(GetSecurityDescriptorGroup(&sd, &sid, &defaulted));
  CHECK_EQ(sid, static_cast<PSID>(world.data()));
  CHECK_EQ(defaulted, FALSE);
  CHECK(IsValidSecurityDescriptor(&sd));
  CHECK_EQ(GetSecurityDescriptorLength(&sd), 40 + 16 + 12);

  CHECK(SetSecurityDescriptorOwner(&sd, nullptr, FALSE));
  CHECK(SetSecurityDescriptorGroup(&sd, nullptr, TRUE));
  CHECK_EQ(control_of(&sd), SE_GROUP_DEFAULTED);
  CHECK_EQ(owner_text(&sd), "");
  CHECK_EQ(GetSecurityDescriptorLength(&sd), 40);
}

TEST(SecurityDescriptor, LengthCountsEveryPart) {
  std::vector<BYTE> admins = known_sid(WinBuiltinAdministratorsSid);
  std::vector<BYTE> world = known_sid(WinWorldSid);
  acl_buffer acl(64);
  REQUIRE(AddAccessAllowedAce(acl.get(), ACL_REVISION, GENERIC_ALL, world.data()));
  SECURITY_DESCRIPTOR sd;
  REQUIRE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  REQUIRE(SetSecurityDescriptorOwner(&sd, admins.data(), FALSE));
  REQUIRE(SetSecurityDescriptorGroup(&sd, world.data(), FALSE));
  REQUIRE(SetSecurityDescriptorDacl(&sd, TRUE, acl.get(), FALSE));
  CHECK_EQ(GetSecurityDescriptorLength(&sd), 40 + 16 + 12 + 64);
  CHECK(IsValidSecurityDescriptor(&sd));
}

TEST(SecurityDescriptor, CallsOnAnUnknownRevisionFail) {
  SECURITY_DESCRIPTOR sd;
  REQUIRE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  sd.Revision = 2;
  check_setters_refuse(&sd, ERROR_UNKNOWN_REVISION);
  BOOL present = FALSE, defaulted = FALSE;
  PACL dacl = nullptr;
  SetLastError(untouched_error);
  CHECK_EQ(GetSecurityDescriptorDacl(&sd, &present, &dacl, &defaulted), FALSE);
  CHECK_EQ(GetLastError(), ERROR_UNKNOWN_REVISION);
  // The revision comes out even so.
  SECURITY_DESCRIPTOR_CONTROL control = 0x7777;
  DWORD revision = 77;
  SetLastError(untouched_error);
  CHECK_EQ(GetSecurityDescriptorControl(&sd, &control, &revision), FALSE);
  CHECK_EQ(GetLastError(), ERROR_UNKNOWN_REVISION);
  CHECK_EQ(revision, 2);
  CHECK_EQ(control, 0x7777);
  CHECK_EQ(IsValidSecurityDescriptor(&sd), FALSE);
}

TEST(SecurityDescriptor, GetOwnerAndGroupCheckTheRevision) {
  SECURITY_DESCRIPTOR sd;
  REQUIRE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  sd.Revision = 2;
  PSID sid = nullptr;
  BOOL defaulted = FALSE;
  SetLastError(untouched_error);
  CHECK_EQ(GetSecurityDescriptorOwner(&sd, &sid, &defaulted), FALSE);
  CHECK_EQ(GetLastError(), ERROR_UNKNOWN_REVISION);
  SetLastError(untouched_error);
  CHECK_EQ(GetSecurityDescriptorGroup(&sd, &sid, &defaulted), FALSE);
  CHECK_EQ(GetLastError(), ERROR_UNKNOWN_REVISION);
}

TEST(SecurityDescriptor, SelfRelativeCannotBeSet) {
  SECURITY_DESCRIPTOR sd;
  REQUIRE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  sd.Control = SE_SELF_RELATIVE;
  check_setters_refuse(&sd, ERROR_INVALID_SECURITY_DESCR);
}

TEST(SecurityDescriptor, SelfRelativePartsAreFoundByOffset) {
  ULONG size = 0;
  local_ptr<void> sd = from_sddl("O:BAG:SYD:(A;;GA;;;WD)", &size);
  REQUIRE(sd != nullptr);
  const auto* relative = static_cast<const SECURITY_DESCRIPTOR_RELATIVE*>(sd.get());
  const BYTE* base = static_cast<const BYTE*>(sd.get());
  PSID owner = nullptr;
  BOOL defaulted = TRUE;
  CHECK(GetSecurityDescriptorOwner(sd.get(), &owner, &defaulted));
  CHECK_EQ(static_cast<const BYTE*>(owner) - base, relative->Owner);
  CHECK_EQ(defaulted, FALSE);
  CHECK_EQ(dacl_of(sd.get()), reinterpret_cast<PACL>(const_cast<BYTE*>(base) + relative->Dacl));
  CHECK_EQ(GetSecurityDescriptorLength(sd.get()), size);
  CHECK_EQ(size, 20 + 16 + 12 + 28);
  CHECK(IsValidSecurityDescriptor(sd.get()));
}

// ---- CreateSemaphore given a descriptor ----

SECURITY_ATTRIBUTES attributes_with(PSECURITY_DESCRIPTOR sd) {
  return SECURITY_ATTRIBUTES{sizeof(SECURITY_ATTRIBUTES), sd, FALSE};
}

TEST(CreateSemaphoreSecurity, UnnamedWithAnAbsoluteDescriptor) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  acl_buffer acl(64);
  REQUIRE(AddAccessAllowedAce(acl.get(), ACL_REVISION, SEMAPHORE_ALL_ACCESS, world.data()));
  SECURITY_DESCRIPTOR sd;
  REQUIRE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  REQUIRE(SetSecurityDescriptorDacl(&sd, TRUE, acl.get(), FALSE));
  SECURITY_ATTRIBUTES sa = attributes_with(&sd);
  SetLastError(untouched_error);
  HANDLE h = CreateSemaphoreA(&sa, 1, 2, nullptr);
  REQUIRE(h != nullptr);
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  CHECK_EQ(count_of(h), 1);
  CHECK_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  CHECK(ReleaseSemaphore(h, 2, nullptr));
  CHECK(CloseHandle(h));
}

TEST(CreateSemaphoreSecurity, UnnamedWithNullOrEmptyDacl) {
  SECURITY_DESCRIPTOR null_dacl;
  REQUIRE(InitializeSecurityDescriptor(&null_dacl, SECURITY_DESCRIPTOR_REVISION));
  REQUIRE(SetSecurityDescriptorDacl(&null_dacl, TRUE, nullptr, FALSE));
  acl_buffer empty(sizeof(ACL));
  SECURITY_DESCRIPTOR empty_dacl;
  REQUIRE(InitializeSecurityDescriptor(&empty_dacl, SECURITY_DESCRIPTOR_REVISION));
  REQUIRE(SetSecurityDescriptorDacl(&empty_dacl, TRUE, empty.get(), FALSE));
  // The creator's handle has the rights it asked for, whatever the DACL says.
  for (SECURITY_DESCRIPTOR* sd : {&null_dacl, &empty_dacl}) {
    SECURITY_ATTRIBUTES sa = attributes_with(sd);
    HANDLE h = CreateSemaphoreW(&sa, 0, 1, nullptr);
    REQUIRE(h != nullptr);
    CHECK(ReleaseSemaphore(h, 1, nullptr));
    CHECK_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
    CHECK(CloseHandle(h));
  }
}

TEST(CreateSemaphoreSecurity, UnnamedWithASelfRelativeDescriptor) {
  local_ptr<void> sd = from_sddl("O:BAD:P(A;;0x1F0003;;;WD)(D;;SD;;;AU)");
  REQUIRE(sd != nullptr);
  SECURITY_ATTRIBUTES sa = attributes_with(sd.get());
  HANDLE h = CreateSemaphoreExA(&sa, 3, 3, nullptr, 0, SEMAPHORE_ALL_ACCESS);
  REQUIRE(h != nullptr);
  CHECK_EQ(count_of(h), 3);
  CHECK(CloseHandle(h));
}

TEST(CreateSemaphoreSecurity, UnknownRevisionIsRefusedEvenUnnamed) {
  SECURITY_DESCRIPTOR sd;
  REQUIRE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  SECURITY_ATTRIBUTES sa = attributes_with(&sd);
  for (BYTE revision : {BYTE{0}, BYTE{2}}) {
    NOTE(revision);
    sd.Revision = revision;
    SetLastError(untouched_error);
    CHECK_EQ(CreateSemaphoreA(&sa, 1, 2, nullptr), nullptr);
    CHECK_EQ(GetLastError(), ERROR_UNKNOWN_REVISION);
    SetLastError(untouched_error);
    CHECK_EQ(CreateSemaphoreExW(&sa, 1, 2, nullptr, 0, SEMAPHORE_ALL_ACCESS), nullptr);
    CHECK_EQ(GetLastError(), ERROR_UNKNOWN_REVISION);
  }
  local_ptr<void> relative = from_sddl("D:(A;;GA;;;WD)");
  REQUIRE(relative != nullptr);
  static_cast<SECURITY_DESCRIPTOR_RELATIVE*>(relative.get())->Revision = 2;
  sa = attributes_with(relative.get());
  SetLastError(untouched_error);
  CHECK_EQ(CreateSemaphoreA(&sa, 1, 2, nullptr), nullptr);
  CHECK_EQ(GetLastError(), ERROR_UNKNOWN_REVISION);
}

// NtCreateSemaphore checks the counts before the object manager captures the
// descriptor; the descriptor comes before the name.
TEST(CreateSemaphoreSecurity, CountsComeFirstThenTheDescriptor) {
  SECURITY_DESCRIPTOR sd;
  REQUIRE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  sd.Revision = 2;
  SECURITY_ATTRIBUTES sa = attributes_with(&sd);
  SetLastError(untouched_error);
  CHECK_EQ(CreateSemaphoreA(&sa, 5, 2, nullptr), nullptr);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(untouched_error);
  CHECK_EQ(CreateSemaphoreA(&sa, 1, 2, "a\\b"), nullptr);
  CHECK_EQ(GetLastError(), ERROR_UNKNOWN_REVISION);
}

}  // namespace

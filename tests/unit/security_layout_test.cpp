// The security types are Windows x64's byte for byte: descriptors, SIDs and
// ACLs built by Windows code (or stored by it) read the same in ntsem.
#include <gtest/gtest.h>

#include <cstddef>

#include <ntsem/sddl.h>
#include <ntsem/windows.h>

namespace {

static_assert(sizeof(SID_IDENTIFIER_AUTHORITY) == 6);
static_assert(sizeof(SID) == 12);
static_assert(offsetof(SID, Revision) == 0);
static_assert(offsetof(SID, SubAuthorityCount) == 1);
static_assert(offsetof(SID, IdentifierAuthority) == 2);
static_assert(offsetof(SID, SubAuthority) == 8);
static_assert(SECURITY_MAX_SID_SIZE == 68);

static_assert(sizeof(ACL) == 8);
static_assert(offsetof(ACL, AclRevision) == 0);
static_assert(offsetof(ACL, Sbz1) == 1);
static_assert(offsetof(ACL, AclSize) == 2);
static_assert(offsetof(ACL, AceCount) == 4);
static_assert(offsetof(ACL, Sbz2) == 6);

static_assert(sizeof(ACE_HEADER) == 4);
static_assert(offsetof(ACE_HEADER, AceType) == 0);
static_assert(offsetof(ACE_HEADER, AceFlags) == 1);
static_assert(offsetof(ACE_HEADER, AceSize) == 2);
static_assert(sizeof(ACCESS_ALLOWED_ACE) == 12);
static_assert(offsetof(ACCESS_ALLOWED_ACE, Mask) == 4);
static_assert(offsetof(ACCESS_ALLOWED_ACE, SidStart) == 8);
static_assert(sizeof(ACCESS_DENIED_ACE) == 12);
static_assert(offsetof(ACCESS_DENIED_ACE, Mask) == 4);
static_assert(offsetof(ACCESS_DENIED_ACE, SidStart) == 8);

static_assert(sizeof(SECURITY_DESCRIPTOR_CONTROL) == 2);
static_assert(sizeof(SECURITY_DESCRIPTOR) == 40);
static_assert(SECURITY_DESCRIPTOR_MIN_LENGTH == 40);
static_assert(offsetof(SECURITY_DESCRIPTOR, Revision) == 0);
static_assert(offsetof(SECURITY_DESCRIPTOR, Sbz1) == 1);
static_assert(offsetof(SECURITY_DESCRIPTOR, Control) == 2);
static_assert(offsetof(SECURITY_DESCRIPTOR, Owner) == 8);
static_assert(offsetof(SECURITY_DESCRIPTOR, Group) == 16);
static_assert(offsetof(SECURITY_DESCRIPTOR, Sacl) == 24);
static_assert(offsetof(SECURITY_DESCRIPTOR, Dacl) == 32);
static_assert(sizeof(SECURITY_DESCRIPTOR_RELATIVE) == 20);
static_assert(offsetof(SECURITY_DESCRIPTOR_RELATIVE, Control) == 2);
static_assert(offsetof(SECURITY_DESCRIPTOR_RELATIVE, Owner) == 4);
static_assert(offsetof(SECURITY_DESCRIPTOR_RELATIVE, Group) == 8);
static_assert(offsetof(SECURITY_DESCRIPTOR_RELATIVE, Sacl) == 12);
static_assert(offsetof(SECURITY_DESCRIPTOR_RELATIVE, Dacl) == 16);

// Values as winnt.h and sddl.h define them.
static_assert(SECURITY_DESCRIPTOR_REVISION == 1 && SID_REVISION == 1);
static_assert(ACL_REVISION == 2 && ACL_REVISION_DS == 4 && SDDL_REVISION_1 == 1);
static_assert(ACCESS_ALLOWED_ACE_TYPE == 0 && ACCESS_DENIED_ACE_TYPE == 1);
static_assert(SE_OWNER_DEFAULTED == 0x1 && SE_GROUP_DEFAULTED == 0x2 && SE_DACL_PRESENT == 0x4 &&
              SE_DACL_DEFAULTED == 0x8 && SE_SACL_PRESENT == 0x10 && SE_DACL_AUTO_INHERIT_REQ == 0x100 &&
              SE_DACL_AUTO_INHERITED == 0x400 && SE_DACL_PROTECTED == 0x1000 &&
              SE_SELF_RELATIVE == 0x8000);
static_assert(OBJECT_INHERIT_ACE == 0x1 && CONTAINER_INHERIT_ACE == 0x2 &&
              NO_PROPAGATE_INHERIT_ACE == 0x4 && INHERIT_ONLY_ACE == 0x8 && INHERITED_ACE == 0x10);
static_assert(SECURITY_WORLD_RID == 0 && SECURITY_CREATOR_OWNER_RID == 0 &&
              SECURITY_INTERACTIVE_RID == 4 && SECURITY_AUTHENTICATED_USER_RID == 11 &&
              SECURITY_LOCAL_SYSTEM_RID == 18 && SECURITY_BUILTIN_DOMAIN_RID == 32 &&
              DOMAIN_ALIAS_RID_ADMINS == 544 && DOMAIN_ALIAS_RID_USERS == 545);
static_assert(WinWorldSid == 1 && WinCreatorOwnerSid == 3 && WinInteractiveSid == 11 &&
              WinAuthenticatedUserSid == 17 && WinLocalSystemSid == 22 &&
              WinBuiltinAdministratorsSid == 26 && WinBuiltinUsersSid == 27 &&
              WinCreatorOwnerRightsSid == 71);
static_assert(ERROR_INSUFFICIENT_BUFFER == 122 && ERROR_UNKNOWN_REVISION == 1305 &&
              ERROR_INVALID_ACL == 1336 && ERROR_INVALID_SID == 1337 &&
              ERROR_INVALID_SECURITY_DESCR == 1338 && ERROR_ALLOTTED_SPACE_EXCEEDED == 1344);

TEST(SecurityLayout, AuthoritiesInitializeAsOnWindows) {
  SID_IDENTIFIER_AUTHORITY world = SECURITY_WORLD_SID_AUTHORITY;
  SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
  const SID admins_header = {SID_REVISION, 2, SECURITY_NT_AUTHORITY, {SECURITY_BUILTIN_DOMAIN_RID}};
  EXPECT_EQ(world.Value[5], 1);
  EXPECT_EQ(nt.Value[5], 5);
  EXPECT_EQ(nt.Value[0], 0);
  EXPECT_EQ(admins_header.IdentifierAuthority.Value[5], 5);
}

}  // namespace

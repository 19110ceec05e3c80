// Access control lists: InitializeAcl, IsValidAcl, AddAccess{Allowed,Denied}
// Ace[Ex] and GetAce.
#include <cstring>
#include <vector>

#include "harness.h"
#include "observe.h"
#include "security_values.h"

namespace {

using namespace conformance;

// An allowed or denied ACE for a one-sub-authority SID (Everyone) takes 20
// bytes: header 4, mask 4, SID 12.
constexpr DWORD world_ace_size = 20;

std::vector<BYTE> header_bytes(acl_buffer& acl) {
  return std::vector<BYTE>(acl.bytes(), acl.bytes() + sizeof(ACL));
}

// AddAccessAllowedAce of GENERIC_ALL for `sid` fails with `error`.
void check_add_refused(acl_buffer& acl, DWORD revision, PSID sid, DWORD error) {
  SetLastError(untouched_error);
  CHECK_EQ(AddAccessAllowedAce(acl.get(), revision, GENERIC_ALL, sid), FALSE);
  CHECK_EQ(GetLastError(), error);
}

TEST(InitializeAcl, SetsTheHeader) {
  acl_buffer acl(64);
  for (DWORD revision : {ACL_REVISION2, ACL_REVISION3, ACL_REVISION4}) {
    NOTE(revision);
    REQUIRE(InitializeAcl(acl.get(), 64, revision));
    CHECK_EQ(header_bytes(acl), (std::vector<BYTE>{BYTE(revision), 0, 64, 0, 0, 0, 0, 0}));
    CHECK(IsValidAcl(acl.get()));
  }
  REQUIRE(InitializeAcl(acl.get(), sizeof(ACL), ACL_REVISION));
  CHECK_EQ(acl.get()->AclSize, sizeof(ACL));
  CHECK(IsValidAcl(acl.get()));
}

TEST(InitializeAcl, TooSmallIsInsufficientBuffer) {
  acl_buffer acl(64);
  SetLastError(untouched_error);
  CHECK_EQ(InitializeAcl(acl.get(), sizeof(ACL) - 1, ACL_REVISION), FALSE);
  CHECK_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
  CHECK_EQ(acl.get()->AclSize, 64);
}

TEST(InitializeAcl, BadRevisionOrTooLargeIsInvalidParameter) {
  acl_buffer acl(64);
  for (DWORD revision : {0u, 1u, 5u, 0xFFFFFFFFu}) {
    NOTE(revision);
    SetLastError(untouched_error);
    CHECK_EQ(InitializeAcl(acl.get(), 64, revision), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  }
  for (DWORD size : {0x10000u, 0xFFFFFFFFu}) {
    NOTE(size);
    SetLastError(untouched_error);
    CHECK_EQ(InitializeAcl(acl.get(), size, ACL_REVISION), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  }
  CHECK_EQ(acl.get()->AclSize, 64);
}

TEST(AddAce, AppendsUntilTheAclIsFull) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  acl_buffer acl(sizeof(ACL) + 2 * world_ace_size + 4);
  SetLastError(untouched_error);
  CHECK(AddAccessAllowedAce(acl.get(), ACL_REVISION, GENERIC_ALL, world.data()));
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK(AddAccessDeniedAce(acl.get(), ACL_REVISION, SEMAPHORE_MODIFY_STATE, world.data()));
  const std::vector<BYTE> full(acl.bytes(), acl.bytes() + acl.get()->AclSize);
  SetLastError(untouched_error);
  CHECK_EQ(AddAccessAllowedAce(acl.get(), ACL_REVISION, SYNCHRONIZE, world.data()), FALSE);
  CHECK_EQ(GetLastError(), ERROR_ALLOTTED_SPACE_EXCEEDED);
  CHECK_EQ(std::vector<BYTE>(acl.bytes(), acl.bytes() + acl.get()->AclSize), full);
  CHECK_EQ(acl.get()->AceCount, 2);
  CHECK(IsValidAcl(acl.get()));

  const ACE_HEADER first = ace_header(acl.get(), 0);
  CHECK_EQ(first.AceType, ACCESS_ALLOWED_ACE_TYPE);
  CHECK_EQ(first.AceFlags, 0);
  CHECK_EQ(first.AceSize, world_ace_size);
  CHECK_EQ(ace_mask(acl.get(), 0), GENERIC_ALL);
  CHECK_EQ(ace_sid(acl.get(), 0), "S-1-1-0");
  CHECK_EQ(ace_header(acl.get(), 1).AceType, ACCESS_DENIED_ACE_TYPE);
  CHECK_EQ(ace_mask(acl.get(), 1), SEMAPHORE_MODIFY_STATE);
}

TEST(AddAce, AnEmptyAclHoldsNoAce) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  acl_buffer acl(sizeof(ACL));
  check_add_refused(acl, ACL_REVISION, world.data(), ERROR_ALLOTTED_SPACE_EXCEEDED);
}

TEST(AddAce, ExFormsKeepTheFlags) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  acl_buffer acl(64);
  CHECK(AddAccessAllowedAceEx(acl.get(), ACL_REVISION,
                              OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE | INHERITED_ACE,
                              GENERIC_READ, world.data()));
  CHECK(AddAccessDeniedAceEx(acl.get(), ACL_REVISION, INHERIT_ONLY_ACE | NO_PROPAGATE_INHERIT_ACE,
                             GENERIC_WRITE, world.data()));
  CHECK_EQ(ace_header(acl.get(), 0).AceFlags, 0x13);
  CHECK_EQ(ace_header(acl.get(), 1).AceType, ACCESS_DENIED_ACE_TYPE);
  CHECK_EQ(ace_header(acl.get(), 1).AceFlags, 0x0C);
  CHECK_EQ(ace_mask(acl.get(), 1), GENERIC_WRITE);
}

TEST(AddAce, TheHigherRevisionWins) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  acl_buffer acl(128, ACL_REVISION);
  CHECK(AddAccessAllowedAce(acl.get(), ACL_REVISION_DS, GENERIC_ALL, world.data()));
  CHECK_EQ(acl.get()->AclRevision, ACL_REVISION_DS);
  CHECK(AddAccessAllowedAce(acl.get(), ACL_REVISION, GENERIC_ALL, world.data()));
  CHECK_EQ(acl.get()->AclRevision, ACL_REVISION_DS);
  CHECK_EQ(acl.get()->AceCount, 2);
}

TEST(AddAce, RevisionAboveFourIsRevisionMismatch) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  acl_buffer acl(64);
  check_add_refused(acl, 5, world.data(), ERROR_REVISION_MISMATCH);
  acl.get()->AclRevision = 7;
  check_add_refused(acl, ACL_REVISION, world.data(), ERROR_REVISION_MISMATCH);
}

TEST(AddAce, InvalidSidIsInvalidSid) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  acl_buffer acl(64);
  for (std::size_t byte : {0, 1}) {
    std::vector<BYTE> bad = world;
    bad[byte] = byte == 0 ? 2 : SID_MAX_SUB_AUTHORITIES + 1;
    NOTE(byte);
    check_add_refused(acl, ACL_REVISION, bad.data(), ERROR_INVALID_SID);
    SetLastError(untouched_error);
    CHECK_EQ(AddAccessDeniedAce(acl.get(), ACL_REVISION, GENERIC_ALL, bad.data()), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_SID);
  }
  CHECK_EQ(acl.get()->AceCount, 0);
}

TEST(GetAce, IndexPastTheLastIsInvalidParameter) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  acl_buffer acl(64);
  REQUIRE(AddAccessAllowedAce(acl.get(), ACL_REVISION, GENERIC_ALL, world.data()));
  LPVOID ace = nullptr;
  REQUIRE(GetAce(acl.get(), 0, &ace));
  CHECK_EQ(static_cast<BYTE*>(ace) - acl.bytes(), sizeof(ACL));
  for (DWORD index : {1u, 0xFFFFFFFFu}) {
    NOTE(index);
    ace = reinterpret_cast<LPVOID>(std::uintptr_t{0x1234});
    SetLastError(untouched_error);
    CHECK_EQ(GetAce(acl.get(), index, &ace), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK_EQ(ace, reinterpret_cast<LPVOID>(std::uintptr_t{0x1234}));
  }
}

// What Wine's IsValidAcl checks as well: the revision, the size, and that the
// ACEs do not run past AclSize.
TEST(IsValidAcl, RefusesBadRevisionSizeOrOverflow) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  acl_buffer acl(64);
  REQUIRE(AddAccessAllowedAce(acl.get(), ACL_REVISION, GENERIC_ALL, world.data()));
  CHECK(IsValidAcl(acl.get()));
  for (BYTE revision : {BYTE{0}, BYTE{1}, BYTE{5}, BYTE{9}}) {
    NOTE(revision);
    acl.get()->AclRevision = revision;
    CHECK_EQ(IsValidAcl(acl.get()), FALSE);
  }
  acl.get()->AclRevision = ACL_REVISION;
  acl.get()->AclSize = sizeof(ACL) - 2;
  CHECK_EQ(IsValidAcl(acl.get()), FALSE);
  acl.get()->AclSize = sizeof(ACL) + world_ace_size - 4;
  CHECK_EQ(IsValidAcl(acl.get()), FALSE);
  acl.get()->AclSize = sizeof(ACL) + world_ace_size;
  CHECK(IsValidAcl(acl.get()));
}

// Windows checks every ACE; Wine checks only the first one's extent.
TEST(IsValidAcl, ChecksEveryAce) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  acl_buffer acl(64);
  REQUIRE(AddAccessAllowedAce(acl.get(), ACL_REVISION, GENERIC_ALL, world.data()));
  ACCESS_ALLOWED_ACE* ace = nullptr;
  REQUIRE(GetAce(acl.get(), 0, reinterpret_cast<LPVOID*>(&ace)));
  // More ACEs counted than there are.
  acl.get()->AceCount = 2;
  CHECK_EQ(IsValidAcl(acl.get()), FALSE);
  acl.get()->AceCount = 1;
  // An ACE smaller than its header, or than its SID.
  for (WORD size : {WORD{2}, WORD{16}}) {
    NOTE(size);
    ace->Header.AceSize = size;
    CHECK_EQ(IsValidAcl(acl.get()), FALSE);
  }
  ace->Header.AceSize = world_ace_size;
  // An invalid SID in an ACE.
  BYTE* sid = reinterpret_cast<BYTE*>(&ace->SidStart);
  sid[0] = 3;
  CHECK_EQ(IsValidAcl(acl.get()), FALSE);
  sid[0] = 1;
  sid[1] = 5;
  CHECK_EQ(IsValidAcl(acl.get()), FALSE);
  sid[1] = 1;
  CHECK(IsValidAcl(acl.get()));
}

}  // namespace

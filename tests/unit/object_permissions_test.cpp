// How a security descriptor becomes a named object's file owner, mode and
// per-class rights (security/object_permissions.hpp, class_rights.hpp).
// Descriptors are built here as the reader gives them, so each rule is
// tested apart from the parsing of Windows' binary layouts.
#include <gtest/gtest.h>

#include "object/object_type.hpp"
#include "security/object_permissions.hpp"
#include "security/unix_principal.hpp"

namespace {

using namespace ntsem::security;
using ntsem::object::semaphore_ops;

constexpr std::uint32_t creator_uid = 1000;
constexpr std::uint32_t creator_gid = 1000;
constexpr ACCESS_MASK all = SEMAPHORE_ALL_ACCESS;
constexpr ACCESS_MASK query = READ_CONTROL | SEMAPHORE_QUERY_STATE;  // GENERIC_READ mapped
constexpr ACCESS_MASK owner_implicit = READ_CONTROL | WRITE_DAC;

sid make(std::uint8_t authority, std::vector<std::uint32_t> sub) {
  sid s;
  s.authority.back() = authority;
  s.sub_authorities = std::move(sub);
  return s;
}
const sid everyone = make(1, {0});
const sid authenticated_users = make(5, {11});
const sid builtin_users = make(5, {32, 545});
const sid administrators = make(5, {32, 544});
const sid local_system = make(5, {18});
const sid owner_rights = make(3, {4});
const sid creator_owner = make(3, {0});
const sid domain_user = make(5, {21, 1, 2, 3, 1001});

ace allow(const sid& who, ACCESS_MASK mask, std::uint8_t flags = 0) {
  return {0, flags, mask, who};
}
ace deny(const sid& who, ACCESS_MASK mask) { return {1, 0, mask, who}; }

descriptor with_dacl(std::vector<ace> aces) {
  descriptor d;
  d.dacl_present = true;
  d.dacl = std::move(aces);
  return d;
}

object_permissions permissions(const descriptor* d, creator_ids c = {creator_uid, creator_gid}) {
  object_permissions p;
  EXPECT_EQ(permissions_for(d, c, semaphore_ops::mapping, semaphore_ops::state_rights, &p),
            STATUS_SUCCESS);
  return p;
}

void expect_rights(const object_permissions& p, ACCESS_MASK owner, ACCESS_MASK group,
                   ACCESS_MASK other, ACCESS_MASK superuser) {
  EXPECT_EQ(p.rights[user_class::owner], owner) << std::hex;
  EXPECT_EQ(p.rights[user_class::group], group) << std::hex;
  EXPECT_EQ(p.rights[user_class::other], other) << std::hex;
  EXPECT_EQ(p.rights[user_class::superuser], superuser) << std::hex;
}

TEST(ObjectPermissions, NoDescriptorIsTheDefaultDaclOwnerOnly) {
  const object_permissions p = permissions(nullptr);
  EXPECT_EQ(p.mode, 0600u);
  EXPECT_EQ(p.owner_uid, creator_uid);
  EXPECT_EQ(p.group_gid, creator_gid);
  expect_rights(p, all, 0, 0, all);
}

TEST(ObjectPermissions, ADescriptorWithoutDaclGetsTheDefaultDacl) {
  descriptor d;  // SE_DACL_PRESENT clear
  d.dacl.push_back(allow(everyone, GENERIC_ALL));  // not looked at
  const object_permissions p = permissions(&d);
  EXPECT_EQ(p.mode, 0600u);
  expect_rights(p, all, 0, 0, all);
}

TEST(ObjectPermissions, ANullDaclGrantsEveryoneEverything) {
  descriptor d;
  d.dacl_present = true;
  d.dacl_null = true;
  const object_permissions p = permissions(&d);
  EXPECT_EQ(p.mode, 0666u);
  expect_rights(p, all, all, all, all);
}

TEST(ObjectPermissions, AnEmptyDaclGrantsNothingButTheOwnersImplicitRights) {
  const descriptor d = with_dacl({});
  const object_permissions p = permissions(&d);
  EXPECT_EQ(p.mode, 0600u);  // the owner's bits are always rw: it could chmod anyway
  expect_rights(p, owner_implicit, 0, 0, 0);
}

TEST(ObjectPermissions, ReadOnlyRightsGiveReadOnlyModeBits) {
  const descriptor d = with_dacl({allow(everyone, GENERIC_READ)});
  const object_permissions p = permissions(&d);
  EXPECT_EQ(p.mode, 0644u);
  expect_rights(p, query | owner_implicit, query, query, query);
}

TEST(ObjectPermissions, SynchronizeAloneNeedsWriteBitsBecauseAWaitTakesAUnit) {
  const descriptor d = with_dacl({allow(authenticated_users, SYNCHRONIZE)});
  const object_permissions p = permissions(&d);
  EXPECT_EQ(p.mode, 0666u);
  EXPECT_EQ(p.rights[user_class::other], ACCESS_MASK{SYNCHRONIZE});
}

TEST(ObjectPermissions, EveryoneLikeSidsReachEveryClass) {
  for (const sid& s : {everyone, authenticated_users, builtin_users}) {
    const descriptor d = with_dacl({allow(s, GENERIC_ALL)});
    const object_permissions p = permissions(&d);
    EXPECT_EQ(p.mode, 0666u);
    expect_rights(p, all, all, all, all);
  }
}

TEST(ObjectPermissions, ADenyBeforeAnAllowWins) {
  const descriptor d =
      with_dacl({deny(everyone, SEMAPHORE_MODIFY_STATE), allow(everyone, GENERIC_ALL)});
  const object_permissions p = permissions(&d);
  const ACCESS_MASK rest = all & ~ACCESS_MASK{SEMAPHORE_MODIFY_STATE};
  expect_rights(p, rest, rest, rest, rest);
  EXPECT_EQ(p.mode, 0666u);  // SYNCHRONIZE still changes state
}

TEST(ObjectPermissions, ADenyAfterAnAllowIsTooLate) {
  const descriptor d =
      with_dacl({allow(everyone, GENERIC_ALL), deny(everyone, SEMAPHORE_MODIFY_STATE)});
  expect_rights(permissions(&d), all, all, all, all);
}

TEST(ObjectPermissions, DenyingEveryStateRightLeavesReadOnlyBits) {
  const descriptor d = with_dacl({deny(everyone, SYNCHRONIZE | SEMAPHORE_MODIFY_STATE),
                                  allow(everyone, GENERIC_ALL)});
  const object_permissions p = permissions(&d);
  EXPECT_EQ(p.mode, 0644u);
}

TEST(ObjectPermissions, InheritOnlyAcesGrantNothingOnTheObjectItself) {
  const descriptor d = with_dacl({allow(everyone, GENERIC_ALL, 0x08 /* INHERIT_ONLY_ACE */)});
  expect_rights(permissions(&d), owner_implicit, 0, 0, 0);
}

TEST(ObjectPermissions, GenericRightsAreMappedAndForeignBitsDropped) {
  const descriptor d = with_dacl({allow(everyone, GENERIC_WRITE | 0x0000FF00u)});
  const object_permissions p = permissions(&d);
  EXPECT_EQ(p.rights[user_class::other], ACCESS_MASK{READ_CONTROL | SEMAPHORE_MODIFY_STATE});
}

TEST(ObjectPermissions, AUnixGroupSidReachesTheFilesGroupOnly) {
  const descriptor d = with_dacl({allow(unix_group_sid(creator_gid), GENERIC_ALL)});
  const object_permissions p = permissions(&d);
  EXPECT_EQ(p.mode, 0660u);
  expect_rights(p, owner_implicit, all, 0, 0);
}

TEST(ObjectPermissions, TheOwnersUnixUserSidReachesTheOwner) {
  const descriptor d = with_dacl({allow(unix_user_sid(creator_uid), GENERIC_READ)});
  expect_rights(permissions(&d), query | owner_implicit, 0, 0, 0);
}

// A mode has no bits for a user who is neither the owner nor in the group:
// such an ACE cannot be expressed, and grants nothing (never more than asked).
TEST(ObjectPermissions, AnotherUsersSidGrantsNothingHere) {
  const descriptor d = with_dacl({allow(unix_user_sid(4242), GENERIC_ALL),
                                  allow(domain_user, GENERIC_ALL),
                                  allow(unix_group_sid(4242), GENERIC_ALL)});
  const object_permissions p = permissions(&d);
  EXPECT_EQ(p.mode, 0600u);
  expect_rights(p, owner_implicit, 0, 0, 0);
}

TEST(ObjectPermissions, OwnerRightsReplacesTheOwnersImplicitRights) {
  const descriptor d = with_dacl({allow(owner_rights, GENERIC_READ)});
  expect_rights(permissions(&d), query, 0, 0, 0);
}

// As on Windows, CREATOR OWNER in an ACE that is not inherited names nobody.
TEST(ObjectPermissions, CreatorOwnerInAnExplicitAceNamesNobody) {
  const descriptor d = with_dacl({allow(creator_owner, GENERIC_ALL)});
  expect_rights(permissions(&d), owner_implicit, 0, 0, 0);
}

TEST(ObjectPermissions, SystemAndAdministratorsAreRoot) {
  for (const sid& s : {local_system, administrators, unix_user_sid(0)}) {
    const descriptor d = with_dacl({allow(s, GENERIC_ALL)});
    expect_rights(permissions(&d), owner_implicit, 0, 0, all);
    // ...and the owner too when root owns the file.
    expect_rights(permissions(&d, {0, 0}), all, 0, 0, all);
  }
}

TEST(ObjectPermissions, OnlyRootMayNameAnotherOwner) {
  descriptor d;
  d.owner = unix_user_sid(4242);
  object_permissions p;
  EXPECT_EQ(permissions_for(&d, {creator_uid, creator_gid}, semaphore_ops::mapping,
                            semaphore_ops::state_rights, &p),
            STATUS_INVALID_OWNER);
  EXPECT_EQ(permissions(&d, {0, 0}).owner_uid, 4242u);
  d.owner = domain_user;
  EXPECT_EQ(permissions_for(&d, {0, 0}, semaphore_ops::mapping, semaphore_ops::state_rights, &p),
            STATUS_INVALID_OWNER);
}

TEST(ObjectPermissions, TheCreatorsOwnSidsKeepTheCreatorAsOwner) {
  for (const sid& s : {unix_user_sid(creator_uid), owner_rights}) {
    descriptor d;
    d.owner = s;
    EXPECT_EQ(permissions(&d).owner_uid, creator_uid);
  }
}

TEST(ObjectPermissions, AUnixGroupSidSetsTheFilesGroup) {
  descriptor d;
  d.group = unix_group_sid(77);
  EXPECT_EQ(permissions(&d).group_gid, 77u);
  d.group = builtin_users;  // not a Unix group: the creator's stays
  EXPECT_EQ(permissions(&d).group_gid, creator_gid);
}

TEST(ObjectPermissions, ClassOfACaller) {
  EXPECT_EQ(class_of(1000, false, 1000), user_class::owner);
  EXPECT_EQ(class_of(0, false, 0), user_class::owner);
  EXPECT_EQ(class_of(0, true, 1000), user_class::superuser);
  EXPECT_EQ(class_of(1001, true, 1000), user_class::group);
  EXPECT_EQ(class_of(1001, false, 1000), user_class::other);
}

TEST(UnixPrincipal, NamesEachKnownSid) {
  EXPECT_EQ(principal_of(everyone).kind, principal_kind::everyone);
  EXPECT_EQ(principal_of(make(5, {4})).kind, principal_kind::everyone);  // Interactive
  EXPECT_EQ(principal_of(local_system).kind, principal_kind::superuser);
  EXPECT_EQ(principal_of(owner_rights).kind, principal_kind::file_owner);
  EXPECT_EQ(principal_of(creator_owner).kind, principal_kind::unknown);
  EXPECT_EQ(principal_of(unix_user_sid(7)).kind, principal_kind::unix_user);
  EXPECT_EQ(principal_of(unix_user_sid(7)).id, 7u);
  EXPECT_EQ(principal_of(unix_group_sid(9)).kind, principal_kind::unix_group);
  EXPECT_EQ(principal_of(unix_group_sid(9)).id, 9u);
  EXPECT_EQ(principal_of(make(22, {3, 1})).kind, principal_kind::unknown);
  EXPECT_EQ(principal_of(make(1, {0, 0})).kind, principal_kind::unknown);
  sid big = everyone;
  big.authority[0] = 1;  // a 48-bit authority that only looks like 1 in its last byte
  EXPECT_EQ(principal_of(big).kind, principal_kind::unknown);
}

}  // namespace

// Security identifiers: AllocateAndInitializeSid, InitializeSid, the
// accessors, CopySid, EqualSid, CreateWellKnownSid and the string forms.
#include <cstring>
#include <string>
#include <vector>

#include "harness.h"
#include "observe.h"
#include "security_values.h"

namespace {

using namespace conformance;

TEST(Sid, AllocateWithNoSubAuthorities) {
  SID_IDENTIFIER_AUTHORITY world = SECURITY_WORLD_SID_AUTHORITY;
  PSID sid = nullptr;
  REQUIRE(AllocateAndInitializeSid(&world, 0, 0, 0, 0, 0, 0, 0, 0, 0, &sid));
  CHECK(IsValidSid(sid));
  CHECK_EQ(GetLengthSid(sid), 8);
  CHECK_EQ(*GetSidSubAuthorityCount(sid), 0);
  CHECK_EQ(sid_text(sid), "S-1-1");
  CHECK_EQ(FreeSid(sid), nullptr);
}

TEST(Sid, AllocateWithEightSubAuthorities) {
  SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
  PSID sid = nullptr;
  REQUIRE(AllocateAndInitializeSid(&nt, 8, 1, 2, 3, 4, 5, 6, 7, 8, &sid));
  CHECK_EQ(GetLengthSid(sid), 40);
  CHECK_EQ(sid_text(sid), "S-1-5-1-2-3-4-5-6-7-8");
  FreeSid(sid);
}

TEST(Sid, AllocateWithNineSubAuthoritiesIsInvalidSid) {
  SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
  PSID sid = reinterpret_cast<PSID>(std::uintptr_t{0x1234});
  SetLastError(untouched_error);
  CHECK_EQ(AllocateAndInitializeSid(&nt, 9, 1, 2, 3, 4, 5, 6, 7, 8, &sid), FALSE);
  CHECK_EQ(GetLastError(), ERROR_INVALID_SID);
  CHECK_EQ(sid, reinterpret_cast<PSID>(std::uintptr_t{0x1234}));
}

TEST(Sid, AccessorsPointIntoTheSidAndClearTheLastError) {
  std::vector<BYTE> admins = known_sid(WinBuiltinAdministratorsSid);
  REQUIRE_EQ(admins.size(), 16u);
  SetLastError(untouched_error);
  PDWORD second = GetSidSubAuthority(admins.data(), 1);
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  CHECK_EQ(reinterpret_cast<BYTE*>(second) - admins.data(), 12);
  CHECK_EQ(*second, DOMAIN_ALIAS_RID_ADMINS);
  CHECK_EQ(*GetSidSubAuthority(admins.data(), 0), SECURITY_BUILTIN_DOMAIN_RID);
  SetLastError(untouched_error);
  PUCHAR count = GetSidSubAuthorityCount(admins.data());
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  CHECK_EQ(count - admins.data(), 1);
  CHECK_EQ(*count, 2);
  SetLastError(untouched_error);
  PSID_IDENTIFIER_AUTHORITY authority = GetSidIdentifierAuthority(admins.data());
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  CHECK_EQ(reinterpret_cast<BYTE*>(authority) - admins.data(), 2);
  const SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
  CHECK_EQ(std::memcmp(authority, &nt, sizeof nt), 0);
  CHECK_EQ(GetLengthSid(admins.data()), 16);
  CHECK_EQ(GetSidLengthRequired(2), 16);
  CHECK_EQ(GetSidLengthRequired(15), SECURITY_MAX_SID_SIZE);
}

// The sub-authorities are the caller's to set (Wine zeroes them, Windows
// leaves them: either way they are not read here before being set).
TEST(Sid, InitializeSidSetsTheHeader) {
  SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
  std::vector<BYTE> sid(16, 0xCC);
  REQUIRE(InitializeSid(sid.data(), &nt, 2));
  CHECK_EQ(std::vector<BYTE>(sid.begin(), sid.begin() + 8),
           (std::vector<BYTE>{1, 2, 0, 0, 0, 0, 0, 5}));
  *GetSidSubAuthority(sid.data(), 0) = SECURITY_BUILTIN_DOMAIN_RID;
  *GetSidSubAuthority(sid.data(), 1) = DOMAIN_ALIAS_RID_USERS;
  CHECK_EQ(sid_text(sid.data()), "S-1-5-32-545");
  CHECK_EQ(InitializeSid(sid.data(), &nt, 16), FALSE);
}

TEST(Sid, InitializeSidTakesFifteenSubAuthorities) {
  SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
  std::vector<BYTE> sid(SECURITY_MAX_SID_SIZE, 0);
  CHECK(InitializeSid(sid.data(), &nt, SID_MAX_SUB_AUTHORITIES));
  CHECK(IsValidSid(sid.data()));
  CHECK_EQ(GetLengthSid(sid.data()), SECURITY_MAX_SID_SIZE);
}

TEST(Sid, IsValidSidChecksRevisionAndCount) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  CHECK(IsValidSid(world.data()));
  world[0] = 2;
  CHECK_EQ(IsValidSid(world.data()), FALSE);
  world[0] = 1;
  world[1] = SID_MAX_SUB_AUTHORITIES + 1;
  CHECK_EQ(IsValidSid(world.data()), FALSE);
  CHECK_EQ(IsValidSid(nullptr), FALSE);
}

TEST(Sid, EqualSidComparesWholeSids) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  std::vector<BYTE> also_world = known_sid(WinWorldSid);
  std::vector<BYTE> admins = known_sid(WinBuiltinAdministratorsSid);
  std::vector<BYTE> users = known_sid(WinBuiltinUsersSid);
  CHECK(EqualSid(world.data(), also_world.data()));
  CHECK_EQ(EqualSid(world.data(), admins.data()), FALSE);
  CHECK_EQ(EqualSid(admins.data(), users.data()), FALSE);
  also_world[0] = 2;
  CHECK_EQ(EqualSid(world.data(), also_world.data()), FALSE);
  CHECK_EQ(EqualSid(also_world.data(), also_world.data()), FALSE);
}

TEST(Sid, CopySidNeedsRoomForTheWholeSid) {
  std::vector<BYTE> admins = known_sid(WinBuiltinAdministratorsSid);
  std::vector<BYTE> copy(SECURITY_MAX_SID_SIZE, 0xCC);
  CHECK_EQ(CopySid(15, copy.data(), admins.data()), FALSE);
  CHECK_EQ(copy, std::vector<BYTE>(SECURITY_MAX_SID_SIZE, 0xCC));
  CHECK(CopySid(16, copy.data(), admins.data()));
  CHECK(EqualSid(copy.data(), admins.data()));
  CHECK_EQ(copy[16], 0xCC);
}

TEST(Sid, CopySidTooSmallIsInsufficientBuffer) {
  std::vector<BYTE> admins = known_sid(WinBuiltinAdministratorsSid);
  std::vector<BYTE> copy(16);
  SetLastError(untouched_error);
  CHECK_EQ(CopySid(15, copy.data(), admins.data()), FALSE);
  CHECK_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
}

// Every well-known SID ntsem knows, as Windows spells it.
TEST(WellKnownSid, EachTypeGivesItsSid) {
  struct expected {
    WELL_KNOWN_SID_TYPE type;
    const char* text;
  };
  const expected known[] = {
      {WinNullSid, "S-1-0-0"},
      {WinWorldSid, "S-1-1-0"},
      {WinLocalSid, "S-1-2-0"},
      {WinCreatorOwnerSid, "S-1-3-0"},
      {WinCreatorGroupSid, "S-1-3-1"},
      {WinCreatorOwnerServerSid, "S-1-3-2"},
      {WinCreatorGroupServerSid, "S-1-3-3"},
      {WinCreatorOwnerRightsSid, "S-1-3-4"},
      {WinNtAuthoritySid, "S-1-5"},
      {WinDialupSid, "S-1-5-1"},
      {WinNetworkSid, "S-1-5-2"},
      {WinBatchSid, "S-1-5-3"},
      {WinInteractiveSid, "S-1-5-4"},
      {WinServiceSid, "S-1-5-6"},
      {WinAnonymousSid, "S-1-5-7"},
      {WinProxySid, "S-1-5-8"},
      {WinEnterpriseControllersSid, "S-1-5-9"},
      {WinSelfSid, "S-1-5-10"},
      {WinAuthenticatedUserSid, "S-1-5-11"},
      {WinRestrictedCodeSid, "S-1-5-12"},
      {WinTerminalServerSid, "S-1-5-13"},
      {WinRemoteLogonIdSid, "S-1-5-14"},
      {WinLocalSystemSid, "S-1-5-18"},
      {WinLocalServiceSid, "S-1-5-19"},
      {WinNetworkServiceSid, "S-1-5-20"},
      {WinBuiltinDomainSid, "S-1-5-32"},
      {WinBuiltinAdministratorsSid, "S-1-5-32-544"},
      {WinBuiltinUsersSid, "S-1-5-32-545"},
      {WinBuiltinGuestsSid, "S-1-5-32-546"},
      {WinBuiltinPowerUsersSid, "S-1-5-32-547"},
      {WinBuiltinAccountOperatorsSid, "S-1-5-32-548"},
      {WinBuiltinSystemOperatorsSid, "S-1-5-32-549"},
      {WinBuiltinPrintOperatorsSid, "S-1-5-32-550"},
      {WinBuiltinBackupOperatorsSid, "S-1-5-32-551"},
      {WinBuiltinReplicatorSid, "S-1-5-32-552"},
      {WinBuiltinPreWindows2000CompatibleAccessSid, "S-1-5-32-554"},
      {WinBuiltinRemoteDesktopUsersSid, "S-1-5-32-555"},
      {WinBuiltinNetworkConfigurationOperatorsSid, "S-1-5-32-556"},
  };
  for (const expected& e : known) {
    NOTE(e.text);
    BYTE sid[SECURITY_MAX_SID_SIZE];
    DWORD size = sizeof sid;
    CHECK(CreateWellKnownSid(e.type, nullptr, sid, &size));
    CHECK_EQ(size, GetLengthSid(sid));
    CHECK_EQ(sid_text(sid), e.text);
  }
}

TEST(WellKnownSid, TooSmallGivesTheSizeNeeded) {
  BYTE sid[SECURITY_MAX_SID_SIZE];
  DWORD size = 11;
  SetLastError(untouched_error);
  CHECK_EQ(CreateWellKnownSid(WinWorldSid, nullptr, sid, &size), FALSE);
  CHECK_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
  CHECK_EQ(size, 12);
  size = 0;
  SetLastError(untouched_error);
  CHECK_EQ(CreateWellKnownSid(WinBuiltinAdministratorsSid, nullptr, nullptr, &size), FALSE);
  CHECK_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
  CHECK_EQ(size, 16);
  // Room enough but nowhere to write.
  size = 100;
  SetLastError(untouched_error);
  CHECK_EQ(CreateWellKnownSid(WinWorldSid, nullptr, nullptr, &size), FALSE);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  CHECK_EQ(size, 100);
}

TEST(WellKnownSid, UnknownOrDomainTypesAreInvalidParameter) {
  BYTE sid[SECURITY_MAX_SID_SIZE];
  for (int type : {500, 38 /* WinAccountAdministratorSid, needs a domain */}) {
    NOTE(type);
    DWORD size = sizeof sid;
    SetLastError(untouched_error);
    CHECK_EQ(CreateWellKnownSid(static_cast<WELL_KNOWN_SID_TYPE>(type), nullptr, sid, &size),
             FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK_EQ(size, sizeof sid);
  }
}

TEST(StringSid, SidToStringInBothForms) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  std::vector<BYTE> admins = known_sid(WinBuiltinAdministratorsSid);
  LPSTR narrow = nullptr;
  REQUIRE(ConvertSidToStringSidA(world.data(), &narrow));
  CHECK_EQ(std::string(narrow), "S-1-1-0");
  CHECK_EQ(LocalFree(narrow), nullptr);
  LPWSTR wide = nullptr;
  REQUIRE(ConvertSidToStringSidW(admins.data(), &wide));
  const WCHAR expected[] = {'S', '-', '1', '-', '5', '-', '3', '2', '-', '5', '4', '4', 0};
  CHECK_EQ(std::memcmp(wide, expected, sizeof expected), 0);
  CHECK_EQ(LocalFree(wide), nullptr);
}

TEST(StringSid, InvalidSidHasNoString) {
  std::vector<BYTE> world = known_sid(WinWorldSid);
  world[0] = 2;
  LPSTR text = nullptr;
  SetLastError(untouched_error);
  CHECK_EQ(ConvertSidToStringSidA(world.data(), &text), FALSE);
  CHECK_EQ(GetLastError(), ERROR_INVALID_SID);
  SetLastError(untouched_error);
  CHECK_EQ(ConvertSidToStringSidA(nullptr, &text), FALSE);
  CHECK_EQ(GetLastError(), ERROR_INVALID_SID);
  CHECK_EQ(text, nullptr);
}

TEST(StringSid, StringToSidRoundTrips) {
  for (const char* text : {"S-1-1-0", "S-1-5-32-544", "S-1-5-21-93476-23408-4576", "S-1-0-0",
                           "S-1-66051-1", "S-1-5-4294967295",
                           "S-1-1-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15"}) {
    NOTE(text);
    PSID sid = nullptr;
    REQUIRE(ConvertStringSidToSidA(text, &sid));
    CHECK(IsValidSid(sid));
    CHECK_EQ(sid_text(sid), text);
    CHECK_EQ(LocalFree(sid), nullptr);
  }
  const WCHAR wide[] = {'S', '-', '1', '-', '5', '-', '1', '8', 0};
  PSID sid = nullptr;
  REQUIRE(ConvertStringSidToSidW(wide, &sid));
  CHECK_EQ(sid_text(sid), "S-1-5-18");
  LocalFree(sid);
}

TEST(StringSid, AliasesNameWellKnownSids) {
  struct alias {
    const char* text;
    const char* sid;
  };
  const alias aliases[] = {
      {"WD", "S-1-1-0"},      {"CO", "S-1-3-0"},      {"CG", "S-1-3-1"},
      {"OW", "S-1-3-4"},      {"NU", "S-1-5-2"},      {"IU", "S-1-5-4"},
      {"SU", "S-1-5-6"},      {"AN", "S-1-5-7"},      {"ED", "S-1-5-9"},
      {"PS", "S-1-5-10"},     {"AU", "S-1-5-11"},     {"RC", "S-1-5-12"},
      {"SY", "S-1-5-18"},     {"LS", "S-1-5-19"},     {"NS", "S-1-5-20"},
      {"BA", "S-1-5-32-544"}, {"BU", "S-1-5-32-545"}, {"BG", "S-1-5-32-546"},
      {"PU", "S-1-5-32-547"}, {"AO", "S-1-5-32-548"}, {"SO", "S-1-5-32-549"},
      {"PO", "S-1-5-32-550"}, {"BO", "S-1-5-32-551"}, {"RE", "S-1-5-32-552"},
      {"RU", "S-1-5-32-554"}, {"RD", "S-1-5-32-555"}, {"NO", "S-1-5-32-556"},
      {"wd", "S-1-1-0"},      {"bA", "S-1-5-32-544"},
  };
  for (const alias& a : aliases) {
    NOTE(a.text);
    PSID sid = nullptr;
    REQUIRE(ConvertStringSidToSidA(a.text, &sid));
    CHECK_EQ(sid_text(sid), a.sid);
    LocalFree(sid);
  }
}

TEST(StringSid, MalformedStringsAreInvalidSid) {
  for (const char* text : {"S-1-5", "S-1", "S-1-", "S-1-5-", "S-2-5-32", "XX", "S-1-+1-0",
                           "S-1-1-0 "}) {
    NOTE(text);
    PSID sid = reinterpret_cast<PSID>(std::uintptr_t{0x1234});
    SetLastError(untouched_error);
    CHECK_EQ(ConvertStringSidToSidA(text, &sid), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_SID);
  }
}

TEST(StringSid, NullArgumentsAreInvalidParameter) {
  PSID sid = nullptr;
  SetLastError(untouched_error);
  CHECK_EQ(ConvertStringSidToSidA(nullptr, &sid), FALSE);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(untouched_error);
  CHECK_EQ(ConvertStringSidToSidA("S-1-1-0", nullptr), FALSE);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

}  // namespace

// ConvertStringSecurityDescriptorToSecurityDescriptor: what each string
// gives, read back through the Get* calls, and the errors.
#include <string>
#include <vector>

#include "harness.h"
#include "observe.h"
#include "security_values.h"

namespace {

using namespace conformance;

using texts = std::vector<std::string>;

// CHECKs that `sddl` converts, and that the result is valid and as long as
// GetSecurityDescriptorLength says; the descriptor, or null.
local_ptr<void> converted(const char* sddl) {
  NOTE(sddl);
  ULONG size = 0;
  local_ptr<void> sd = from_sddl(sddl, &size);
  CHECK(sd != nullptr);
  if (!sd) return sd;
  CHECK(IsValidSecurityDescriptor(sd.get()));
  CHECK_EQ(GetSecurityDescriptorLength(sd.get()), size);
  CHECK(control_of(sd.get()) & SE_SELF_RELATIVE);
  return sd;
}

TEST(Sddl, OneAllowedAce) {
  ULONG size = 0;
  local_ptr<void> sd = from_sddl("D:(A;;GA;;;WD)", &size);
  REQUIRE(sd != nullptr);
  CHECK_EQ(size, 20 + 8 + 20);
  CHECK_EQ(GetSecurityDescriptorLength(sd.get()), size);
  CHECK(IsValidSecurityDescriptor(sd.get()));
  CHECK_EQ(control_of(sd.get()), SE_SELF_RELATIVE | SE_DACL_PRESENT);
  CHECK_EQ(owner_text(sd.get()), "");
  CHECK_EQ(group_text(sd.get()), "");
  PACL dacl = dacl_of(sd.get());
  REQUIRE(dacl != nullptr);
  CHECK_EQ(dacl->AclRevision, ACL_REVISION);
  CHECK_EQ(dacl->AclSize, 8 + 20);
  CHECK_EQ(dacl_text(sd.get()), texts{"A 0x0 0x10000000 S-1-1-0"});
}

TEST(Sddl, ProtectedDaclWithHexRights) {
  local_ptr<void> sd = converted("D:P(A;;0x100003;;;AU)");
  REQUIRE(sd != nullptr);
  CHECK_EQ(control_of(sd.get()), SE_SELF_RELATIVE | SE_DACL_PRESENT | SE_DACL_PROTECTED);
  CHECK_EQ(dacl_text(sd.get()), texts{"A 0x0 0x100003 S-1-5-11"});
}

TEST(Sddl, OwnerGroupAndEmptyDacl) {
  ULONG size = 0;
  local_ptr<void> sd = from_sddl("O:BAG:BAD:", &size);
  REQUIRE(sd != nullptr);
  CHECK_EQ(size, 20 + 16 + 16 + 8);
  CHECK_EQ(owner_text(sd.get()), "S-1-5-32-544");
  CHECK_EQ(group_text(sd.get()), "S-1-5-32-544");
  PACL dacl = dacl_of(sd.get());
  REQUIRE(dacl != nullptr);
  CHECK_EQ(dacl->AceCount, 0);
  CHECK_EQ(dacl->AclSize, 8);
  CHECK(IsValidSecurityDescriptor(sd.get()));
}

TEST(Sddl, EmptyStringIsAnEmptyDescriptor) {
  ULONG size = 0;
  local_ptr<void> sd = from_sddl("", &size);
  REQUIRE(sd != nullptr);
  CHECK_EQ(size, 20);
  CHECK_EQ(control_of(sd.get()), SE_SELF_RELATIVE);
  CHECK_EQ(dacl_of(sd.get()), nullptr);
}

TEST(Sddl, AceOrderIsKept) {
  local_ptr<void> sd = converted("D:(D;;GW;;;WD)(A;;GR;;;WD)(A;;GX;;;S-1-5-32-545)");
  CHECK_EQ(dacl_text(sd.get()), (texts{"D 0x0 0x40000000 S-1-1-0", "A 0x0 0x80000000 S-1-1-0",
                                       "A 0x0 0x20000000 S-1-5-32-545"}));
}

TEST(Sddl, RightMnemonics) {
  struct rights {
    const char* sddl;
    ACCESS_MASK mask;
  };
  for (const rights& r : {rights{"D:(A;;GRGWGX;;;WD)", 0xE0000000u},
                          rights{"D:(A;;RCSDWDWO;;;WD)", 0x000F0000u},
                          rights{"D:(A;;CCDC;;;WD)", SEMAPHORE_QUERY_STATE | SEMAPHORE_MODIFY_STATE},
                          rights{"D:(A;;CCDCLCSWRPWPDTLOCR;;;WD)", 0x1FFu},
                          rights{"D:(A;;0xFFFFFFFF;;;WD)", 0xFFFFFFFFu},
                          rights{"D:(A;;0x1f0003;;;WD)", SEMAPHORE_ALL_ACCESS}}) {
    local_ptr<void> sd = converted(r.sddl);
    NOTE(r.sddl);
    CHECK_EQ(ace_mask(dacl_of(sd.get()), 0), r.mask);
  }
}

TEST(Sddl, AceFlags) {
  local_ptr<void> sd = converted("D:(A;OICI;GA;;;WD)(D;OICINPIOID;GA;;;WD)");
  CHECK_EQ(dacl_text(sd.get()), (texts{"A 0x3 0x10000000 S-1-1-0", "D 0x1f 0x10000000 S-1-1-0"}));
}

TEST(Sddl, DaclFlags) {
  struct flags {
    const char* sddl;
    SECURITY_DESCRIPTOR_CONTROL control;
  };
  for (const flags& f : {flags{"D:AI", SE_DACL_AUTO_INHERITED}, flags{"D:AR", SE_DACL_AUTO_INHERIT_REQ},
                         flags{"D:PAI(A;;GA;;;WD)", SE_DACL_PROTECTED | SE_DACL_AUTO_INHERITED}}) {
    local_ptr<void> sd = converted(f.sddl);
    NOTE(f.sddl);
    CHECK_EQ(control_of(sd.get()), SE_SELF_RELATIVE | SE_DACL_PRESENT | f.control);
  }
}

TEST(Sddl, SidAliasesInAces) {
  local_ptr<void> sd = converted(
      "D:(A;;GA;;;CO)(A;;GA;;;OW)(A;;GA;;;AU)(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;BU)(A;;GA;;;IU)"
      "(A;;GA;;;LS)(A;;GA;;;NS)");
  texts sids;
  for (DWORD i = 0; i < 9; ++i) sids.push_back(ace_sid(dacl_of(sd.get()), i));
  CHECK_EQ(sids, (texts{"S-1-3-0", "S-1-3-4", "S-1-5-11", "S-1-5-18", "S-1-5-32-544",
                        "S-1-5-32-545", "S-1-5-4", "S-1-5-19", "S-1-5-20"}));
  CHECK_EQ(GetSecurityDescriptorLength(sd.get()), 20 + 8 + 7 * 20 + 2 * 24);
}

TEST(Sddl, WideStringsConvertTheSame) {
  const WCHAR wide[] = {'O', ':', 'S', 'Y', 'D', ':', '(', 'A', ';', ';', 'G', 'A',
                        ';', ';', ';', 'W', 'D', ')', 0};
  PSECURITY_DESCRIPTOR sd = nullptr;
  ULONG size = 0;
  REQUIRE(ConvertStringSecurityDescriptorToSecurityDescriptorW(wide, SDDL_REVISION_1, &sd, &size));
  CHECK_EQ(size, 20 + 28 + 12);
  CHECK_EQ(owner_text(sd), "S-1-5-18");
  CHECK_EQ(dacl_text(sd), texts{"A 0x0 0x10000000 S-1-1-0"});
  CHECK_EQ(LocalFree(sd), nullptr);
}

TEST(Sddl, NoAccessControlIsANullDacl) {
  local_ptr<void> sd = converted("D:NO_ACCESS_CONTROL");
  REQUIRE(sd != nullptr);
  BOOL present = FALSE, defaulted = TRUE;
  PACL dacl = reinterpret_cast<PACL>(std::uintptr_t{0x1234});
  CHECK(GetSecurityDescriptorDacl(sd.get(), &present, &dacl, &defaulted));
  CHECK_EQ(present, TRUE);
  CHECK_EQ(dacl, nullptr);
  CHECK_EQ(GetSecurityDescriptorLength(sd.get()), 20);
}

TEST(Sddl, RevisionMustBeOne) {
  for (DWORD revision : {0u, 2u, 0xDEADBEEFu}) {
    NOTE(revision);
    PSECURITY_DESCRIPTOR sd = nullptr;
    SetLastError(untouched_error);
    CHECK_EQ(ConvertStringSecurityDescriptorToSecurityDescriptorA("D:(A;;GA;;;WD)", revision, &sd,
                                                                   nullptr),
             FALSE);
    CHECK_EQ(GetLastError(), ERROR_UNKNOWN_REVISION);
  }
}

void check_refused(const char* sddl, DWORD error) {
  NOTE(sddl);
  PSECURITY_DESCRIPTOR sd = nullptr;
  SetLastError(untouched_error);
  CHECK_EQ(ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl, SDDL_REVISION_1, &sd, nullptr),
           FALSE);
  CHECK_EQ(GetLastError(), error);
}

TEST(Sddl, NotAPartIsInvalidParameter) {
  for (const char* sddl : {"garbage", "D", "X:", "ERROR:(D;;GA;;;WD)", "d:(A;;GA;;;WD)"})
    check_refused(sddl, ERROR_INVALID_PARAMETER);
}

TEST(Sddl, BadOwnerOrGroupIsInvalidSid) {
  for (const char* sddl : {"O:XX", "O:S-1-5", "G:S-2-1-0", "O:BAG:XX"})
    check_refused(sddl, ERROR_INVALID_SID);
}

TEST(Sddl, BadAceIsInvalidAcl) {
  for (const char* sddl : {"D:(A;;ROB;;;WD)", "D:(A;;GA;;;XX)", "D:(A;;GA;;;WD",
                           "D:(A;;GA;;)", "D:(A;XX;GA;;;WD)", "D:(A;;GA;;;S-1-x)",
                           "D:(A;;0x;;;WD)", "D:(A;;GA;x;;WD)", "D:(A;;GA;;x;WD)"})
    check_refused(sddl, ERROR_INVALID_ACL);
}

TEST(Sddl, NullArgumentsAreInvalidParameter) {
  SetLastError(untouched_error);
  CHECK_EQ(ConvertStringSecurityDescriptorToSecurityDescriptorA("D:", SDDL_REVISION_1, nullptr,
                                                                 nullptr),
           FALSE);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

}  // namespace

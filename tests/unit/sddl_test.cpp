// SDDL and SID strings where ntsem had to choose (Windows' answer is not
// known or Wine's is plainly wrong): what it accepts, what it refuses and
// with which status, and the layout of what it builds.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include <ntsem/windows.h>

#include "security/descriptor.hpp"
#include "security/sddl.hpp"
#include "security/sid_string.hpp"

namespace {

using ntsem::security::descriptor;
using ntsem::security::format_sid;
using ntsem::security::parse_sddl;
using ntsem::security::parse_sid_string;
using ntsem::security::read_descriptor_bounded;
using ntsem::security::sid;

std::u16string widen(std::string_view ascii) { return std::u16string(ascii.begin(), ascii.end()); }

NTSTATUS parse(std::string_view sddl, std::vector<std::uint8_t>* out = nullptr) {
  std::vector<std::uint8_t> scratch;
  return parse_sddl(widen(sddl), out ? out : &scratch);
}

descriptor parsed(std::string_view sddl) {
  std::vector<std::uint8_t> bytes;
  EXPECT_EQ(parse(sddl, &bytes), STATUS_SUCCESS) << sddl;
  descriptor d;
  EXPECT_EQ(read_descriptor_bounded(bytes.data(), bytes.size(), &d), STATUS_SUCCESS) << sddl;
  return d;
}

TEST(Sddl, EmptyPartsAreInvalidSid) {
  for (const char* sddl : {"O:", "O:BAG:", "G: ", "O:G:BA"}) EXPECT_EQ(parse(sddl), STATUS_INVALID_SID) << sddl;
}

TEST(Sddl, APartGivenTwiceIsInvalidParameter) {
  for (const char* sddl : {"O:BAO:BA", "G:BAG:SY", "D:D:", "D:(A;;GA;;;WD)O:BAD:"})
    EXPECT_EQ(parse(sddl), STATUS_INVALID_PARAMETER) << sddl;
}

TEST(Sddl, SaclsAreNotSupported) {
  EXPECT_EQ(parse("S:"), STATUS_NOT_SUPPORTED);
  EXPECT_EQ(parse("D:(A;;GA;;;WD)S:(AU;SA;GA;;;WD)"), STATUS_NOT_SUPPORTED);
}

TEST(Sddl, AnythingOffInADaclIsInvalidAcl) {
  for (const char* sddl : {
           "D:(A;;GA;;;WD)x",                     // trailing text
           "D:Q",                                 // unknown flag
           "D:(",                                 // cut short
           "D:(A",                                //
           "D:(X;;GA;;;WD)",                      // unknown type
           "D:(OA;;GA;;;WD)",                     // object ACE
           "D:(AU;;GA;;;WD)",                     // audit ACE in a DACL
           "D:(A;SA;GA;;;WD)",                    // audit flag
           "D:(A;;FA;;;WD)",                      // file rights
           "D:(A;;G;;;WD)",                       // half a mnemonic
           "D:(a;;GA;;;WD)",                      // lower case type
           "D:(A;;0x100000000;;;WD)",             // more than 32 bits
           "D:(A;;4294967296;;;WD)",              //
           "D:(A;;08;;;WD)",                      // not octal
           "D:(A;;0x1GA;;;WD)",                   // number and mnemonic
           "D:(A;;GA;;;WD;(x))",                  // resource attribute
           "D:(A;;GA;;;LA)",                      // domain-relative alias
           "D:NO_ACCESS_CONTROL(A;;GA;;;WD)",     // a NULL DACL has no ACEs
           "D:(A;;GA;;;WD)(A;;GA;;;WD",           //
       })
    EXPECT_EQ(parse(sddl), STATUS_INVALID_ACL) << sddl;
}

TEST(Sddl, RightsInEveryNumberForm) {
  EXPECT_EQ(parsed("D:(A;;0x1F0003;;;WD)").dacl.at(0).mask, SEMAPHORE_ALL_ACCESS);
  EXPECT_EQ(parsed("D:(A;;0X1f0003;;;WD)").dacl.at(0).mask, SEMAPHORE_ALL_ACCESS);
  EXPECT_EQ(parsed("D:(A;;07600003;;;WD)").dacl.at(0).mask, SEMAPHORE_ALL_ACCESS);
  EXPECT_EQ(parsed("D:(A;;2031619;;;WD)").dacl.at(0).mask, SEMAPHORE_ALL_ACCESS);
  EXPECT_EQ(parsed("D:(A;;0;;;WD)").dacl.at(0).mask, 0u);
  EXPECT_EQ(parsed("D:(A;;;;;WD)").dacl.at(0).mask, 0u);
}

TEST(Sddl, SpacesAroundTokens) {
  const descriptor d = parsed(" O: BA G:SY D: P ( A ; OI ; GA ; ; ; WD ) (D;;GW;;;BU) ");
  ASSERT_EQ(d.dacl.size(), 2u);
  EXPECT_EQ(d.dacl[0].flags, OBJECT_INHERIT_ACE);
  EXPECT_EQ(d.dacl[1].type, ACCESS_DENIED_ACE_TYPE);
  EXPECT_EQ(d.owner, parsed("O:S-1-5-32-544").owner);
}

// The DACL right after the header, then the owner, then the group, as
// MakeSelfRelativeSD lays them out.
TEST(Sddl, PartsFollowTheHeaderInOrder) {
  std::vector<std::uint8_t> bytes;
  ASSERT_EQ(parse("G:SYO:BAD:(A;;GA;;;WD)", &bytes), STATUS_SUCCESS);
  SECURITY_DESCRIPTOR_RELATIVE r;
  std::memcpy(&r, bytes.data(), sizeof r);
  EXPECT_EQ(r.Dacl, 20u);
  EXPECT_EQ(r.Owner, 20u + 28u);
  EXPECT_EQ(r.Group, 20u + 28u + 16u);
  EXPECT_EQ(r.Sacl, 0u);
  EXPECT_EQ(bytes.size(), 20u + 28u + 16u + 12u);
}

TEST(Sddl, NoAccessControlMayFollowOtherFlags) {
  const descriptor d = parsed("D:PNO_ACCESS_CONTROL");
  EXPECT_TRUE(d.dacl_present);
  EXPECT_TRUE(d.dacl_null);
}

TEST(Sddl, ADaclLargerThanAnAclCanBeIsInvalidAcl) {
  std::string sddl = "D:";
  // 3276 ACEs of 20 bytes and the header are 65528 bytes; one more is too many.
  for (int i = 0; i < 3276; ++i) sddl += "(A;;GA;;;WD)";
  EXPECT_EQ(parsed(sddl).dacl.size(), 3276u);
  EXPECT_EQ(parse(sddl + "(A;;GA;;;WD)"), STATUS_INVALID_ACL);
}

sid parsed_sid(std::string_view text) {
  sid s;
  EXPECT_EQ(parse_sid_string(widen(text), &s), STATUS_SUCCESS) << text;
  return s;
}

TEST(SidString, AuthoritiesOfFortyEightBitsAreHex) {
  const sid big = parsed_sid("S-1-0x123456789ABC-7");
  EXPECT_EQ(big.authority, (std::array<std::uint8_t, 6>{0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC}));
  EXPECT_EQ(format_sid(big), "S-1-0x123456789abc-7");
  EXPECT_EQ(format_sid(parsed_sid("S-1-4294967295-1")), "S-1-4294967295-1");
  EXPECT_EQ(format_sid(parsed_sid("S-1-4294967296-1")), "S-1-0x000100000000-1");
  EXPECT_EQ(format_sid(parsed_sid("s-1-0x5-32-544")), "S-1-5-32-544");
}

TEST(SidString, OutOfRangeOrMisshapenIsInvalidSid) {
  for (const char* text : {"S-1-5-4294967296", "S-1-0x1000000000000-1", "S-1-281474976710656-1",
                           "S-1-1-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16", "S-1-5-32-",
                           "S-1-5--1", " S-1-1-0", "S-01-1-0x10", "WDX", "W", ""}) {
    sid s;
    EXPECT_EQ(parse_sid_string(widen(text), &s), STATUS_INVALID_SID) << text;
  }
}

}  // namespace

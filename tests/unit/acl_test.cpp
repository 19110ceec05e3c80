// security/acl: the statuses of the ACE calls where only ntsem is checked
// (Windows' documentation disagrees with itself, or Wine is more lenient), and
// walks over malformed ACLs that must stop inside them.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include <ntsem/windows.h>

#include "security/acl.hpp"

namespace {

using ntsem::security::add_known_ace;
using ntsem::security::create_acl;
using ntsem::security::find_ace;
using ntsem::security::read_acl_at;

const std::uint8_t world[] = {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};

struct acl_block {
  explicit acl_block(DWORD size) : bytes(size, 0xCC) {
    EXPECT_EQ(create_acl(bytes.data(), size, ACL_REVISION), STATUS_SUCCESS);
  }
  NTSTATUS add(DWORD flags = 0) {
    return add_known_ace(bytes.data(), ACL_REVISION, flags, GENERIC_ALL, world,
                         ACCESS_ALLOWED_ACE_TYPE);
  }
  std::vector<std::uint8_t> bytes;  // exactly the ACL: reads past it are caught
};

// RtlAddAccessAllowedAceEx's documented status; AddAccessAllowedAceEx reports
// it as ERROR_INVALID_PARAMETER.
TEST(AddKnownAce, FlagsBeyondInheritanceAreInvalidParameter) {
  acl_block acl(64);
  for (DWORD flags : {DWORD{SUCCESSFUL_ACCESS_ACE_FLAG}, DWORD{FAILED_ACCESS_ACE_FLAG}, 0x20u,
                      0x100u}) {
    EXPECT_EQ(acl.add(flags), STATUS_INVALID_PARAMETER) << flags;
  }
  EXPECT_EQ(acl.add(VALID_INHERIT_FLAGS), STATUS_SUCCESS);
}

TEST(AddKnownAce, AnInvalidAclIsRefusedBeforeAnythingIsWritten) {
  acl_block acl(64);
  ASSERT_EQ(acl.add(), STATUS_SUCCESS);
  acl.bytes[4] = 3;  // AceCount: three, where there is one
  const std::vector<std::uint8_t> before = acl.bytes;
  EXPECT_EQ(acl.add(), STATUS_INVALID_ACL);
  EXPECT_EQ(acl.bytes, before);
}

TEST(FindAce, StopsAtAnAceThatIsNotInside) {
  acl_block acl(8 + 20 + 20);
  ASSERT_EQ(acl.add(), STATUS_SUCCESS);
  ASSERT_EQ(acl.add(), STATUS_SUCCESS);
  void* ace = nullptr;
  ASSERT_EQ(find_ace(acl.bytes.data(), 1, &ace), STATUS_SUCCESS);
  EXPECT_EQ(static_cast<std::uint8_t*>(ace) - acl.bytes.data(), 28);
  for (std::uint16_t size : {std::uint16_t{0}, std::uint16_t{2}, std::uint16_t{44}}) {
    std::memcpy(acl.bytes.data() + 8 + 2, &size, sizeof size);  // the first ACE's size
    ace = nullptr;
    EXPECT_EQ(find_ace(acl.bytes.data(), 1, &ace), STATUS_INVALID_PARAMETER) << size;
    EXPECT_EQ(ace, nullptr);
    EXPECT_FALSE(read_acl_at(acl.bytes.data(), nullptr)) << size;
  }
}

TEST(CreateAcl, KeepsTheLengthAsGiven) {
  std::vector<std::uint8_t> bytes(16, 0xCC);
  ASSERT_EQ(create_acl(bytes.data(), 9, ACL_REVISION), STATUS_SUCCESS);
  EXPECT_EQ(bytes[2], 9);
  EXPECT_EQ(bytes[9], 0xCC);
  EXPECT_TRUE(read_acl_at(bytes.data(), nullptr));
}

}  // namespace

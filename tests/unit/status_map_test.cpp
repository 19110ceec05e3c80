// RtlNtStatusToDosError: every status ntsem returns maps to Windows' code.
// The expected values were read from Wine 8.0's ntdll, which follows Windows.
#include <gtest/gtest.h>

#include <ntsem/winternl.h>

namespace {

struct mapping {
  NTSTATUS status;
  ULONG error;
};

class StatusMap : public ::testing::TestWithParam<mapping> {};

TEST_P(StatusMap, MapsToTheWindowsCode) {
  EXPECT_EQ(RtlNtStatusToDosError(GetParam().status), GetParam().error)
      << std::hex << GetParam().status;
}

INSTANTIATE_TEST_SUITE_P(
    , StatusMap,
    ::testing::Values(mapping{STATUS_SUCCESS, 0}, mapping{STATUS_TIMEOUT, 1460},
                      mapping{STATUS_ABANDONED_WAIT_0, 128}, mapping{STATUS_USER_APC, 737},
                      mapping{STATUS_OBJECT_NAME_EXISTS, 698},
                      mapping{STATUS_INVALID_HANDLE, 6}, mapping{STATUS_INVALID_PARAMETER, 87},
                      mapping{STATUS_ACCESS_DENIED, 5}, mapping{STATUS_OBJECT_TYPE_MISMATCH, 6},
                      mapping{STATUS_SEMAPHORE_LIMIT_EXCEEDED, 298},
                      mapping{STATUS_INVALID_PARAMETER_MIX, 87}, mapping{STATUS_NO_MEMORY, 8},
                      mapping{STATUS_INSUFFICIENT_RESOURCES, 1450},
                      mapping{STATUS_OBJECT_NAME_NOT_FOUND, 2},
                      mapping{STATUS_OBJECT_NAME_COLLISION, 183},
                      mapping{STATUS_OBJECT_NAME_INVALID, 123},
                      mapping{STATUS_OBJECT_PATH_NOT_FOUND, 3},
                      mapping{STATUS_OBJECT_PATH_SYNTAX_BAD, 161},
                      mapping{STATUS_NAME_TOO_LONG, 206}, mapping{STATUS_INVALID_INFO_CLASS, 87},
                      mapping{STATUS_INFO_LENGTH_MISMATCH, 24},
                      mapping{STATUS_ACCESS_VIOLATION, 998}, mapping{STATUS_MUTANT_NOT_OWNED, 288},
                      mapping{STATUS_NOT_SUPPORTED, 50}, mapping{STATUS_INVALID_OWNER, 1307},
                      mapping{STATUS_INVALID_PRIMARY_GROUP, 1308}, mapping{STATUS_HANDLE_NOT_CLOSABLE, 6},
                      mapping{STATUS_INVALID_PARAMETER_1, 87},
                      mapping{STATUS_INVALID_PARAMETER_3, 87},
                      mapping{STATUS_REVISION_MISMATCH, 1306},
                      mapping{STATUS_FILE_CORRUPT_ERROR, 1392},
                      mapping{STATUS_BUFFER_TOO_SMALL, 122},
                      mapping{STATUS_UNKNOWN_REVISION, 1305}, mapping{STATUS_INVALID_ACL, 1336},
                      mapping{STATUS_INVALID_SID, 1337},
                      mapping{STATUS_INVALID_SECURITY_DESCR, 1338},
                      mapping{STATUS_ALLOTTED_SPACE_EXCEEDED, 1344},
                      mapping{STATUS_BAD_DESCRIPTOR_FORMAT, 1361},
                      mapping{STATUS_UNSUCCESSFUL, 31}, mapping{STATUS_INVALID_CID, 87}));

}  // namespace

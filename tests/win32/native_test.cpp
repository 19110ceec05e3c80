// The native layer (<ntsem/winternl.h>): NTSTATUS results of the Nt* calls.
#include <gtest/gtest.h>

#include <ntsem/winternl.h>

#include "support/semaphore_state.hpp"

namespace {

using ntsem::test::count_of;
using ntsem::test::untouched_long;

HANDLE nt_semaphore(LONG initial, LONG maximum, ACCESS_MASK access = SEMAPHORE_ALL_ACCESS) {
  HANDLE h = nullptr;
  EXPECT_EQ(NtCreateSemaphore(&h, access, nullptr, initial, maximum), STATUS_SUCCESS);
  return h;
}

TEST(NtCreateSemaphore, ChecksCountsAndOutPointer) {
  HANDLE h = reinterpret_cast<HANDLE>(0x77);
  EXPECT_EQ(NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, nullptr, 2, 1), STATUS_INVALID_PARAMETER);
  EXPECT_EQ(NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, nullptr, 0, 0), STATUS_INVALID_PARAMETER);
  EXPECT_EQ(NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, nullptr, -1, 1), STATUS_INVALID_PARAMETER);
  EXPECT_EQ(h, reinterpret_cast<HANDLE>(0x77));
  EXPECT_EQ(NtCreateSemaphore(nullptr, SEMAPHORE_ALL_ACCESS, nullptr, 0, 1),
            STATUS_ACCESS_VIOLATION);
}

TEST(NtCreateSemaphore, ObjInheritMakesAnInheritableHandle) {
  OBJECT_ATTRIBUTES oa{sizeof(oa), nullptr, nullptr, OBJ_INHERIT, nullptr, nullptr};
  HANDLE h = nullptr;
  ASSERT_EQ(NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, &oa, 0, 1), STATUS_SUCCESS);
  DWORD flags = 0;
  EXPECT_TRUE(GetHandleInformation(h, &flags));
  EXPECT_EQ(flags, HANDLE_FLAG_INHERIT);
  EXPECT_EQ(NtClose(h), STATUS_SUCCESS);
  EXPECT_EQ(NtClose(h), STATUS_INVALID_HANDLE);
}

// The object manager captures a new object's descriptor, named or not, after
// the call's own checks and before the name.
TEST(NtCreateSemaphore, ChecksTheSecurityDescriptor) {
  SECURITY_DESCRIPTOR sd;
  ASSERT_TRUE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  OBJECT_ATTRIBUTES oa{sizeof(oa), nullptr, nullptr, 0, &sd, nullptr};
  HANDLE h = nullptr;
  ASSERT_EQ(NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, &oa, 0, 1), STATUS_SUCCESS);
  EXPECT_EQ(NtClose(h), STATUS_SUCCESS);

  sd.Revision = 2;
  h = reinterpret_cast<HANDLE>(0x77);
  EXPECT_EQ(NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, &oa, 0, 1), STATUS_UNKNOWN_REVISION);
  EXPECT_EQ(NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, &oa, 2, 1), STATUS_INVALID_PARAMETER);
  WCHAR bad_name[] = u"a\\b";
  UNICODE_STRING name{sizeof(bad_name) - 2, sizeof(bad_name), bad_name};
  oa.ObjectName = &name;
  EXPECT_EQ(NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, &oa, 0, 1), STATUS_UNKNOWN_REVISION);
  EXPECT_EQ(h, reinterpret_cast<HANDLE>(0x77));

  sd.Revision = SECURITY_DESCRIPTOR_REVISION;
  ACL bad_acl{ACL_REVISION, 0, sizeof(ACL), 1, 0};  // one ACE, no room for it
  ASSERT_TRUE(SetSecurityDescriptorDacl(&sd, TRUE, &bad_acl, FALSE));
  oa.ObjectName = nullptr;
  EXPECT_EQ(NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, &oa, 0, 1), STATUS_INVALID_ACL);
  EXPECT_EQ(h, reinterpret_cast<HANDLE>(0x77));
}

TEST(NtReleaseSemaphore, Statuses) {
  HANDLE h = nt_semaphore(2, 7);
  LONG previous = untouched_long;
  EXPECT_EQ(NtReleaseSemaphore(h, 0, &previous), STATUS_INVALID_PARAMETER);
  EXPECT_EQ(NtReleaseSemaphore(h, -1, &previous), STATUS_INVALID_PARAMETER);
  EXPECT_EQ(NtReleaseSemaphore(h, 6, &previous), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
  EXPECT_EQ(previous, untouched_long);
  EXPECT_EQ(NtReleaseSemaphore(nullptr, 1, &previous), STATUS_INVALID_HANDLE);
  EXPECT_EQ(NtReleaseSemaphore(h, 1, &previous), STATUS_SUCCESS);
  EXPECT_EQ(previous, 2);
  NtClose(h);
}

TEST(NtQuerySemaphore, BasicInformation) {
  HANDLE h = nt_semaphore(2, 7);
  SEMAPHORE_BASIC_INFORMATION info{untouched_long, untouched_long};
  ULONG length = 12345;
  EXPECT_EQ(NtQuerySemaphore(h, SemaphoreBasicInformation, &info, sizeof(info), &length),
            STATUS_SUCCESS);
  EXPECT_EQ(info.CurrentCount, 2);
  EXPECT_EQ(info.MaximumCount, 7);
  EXPECT_EQ(length, sizeof(info));
  EXPECT_EQ(NtQuerySemaphore(h, SemaphoreBasicInformation, &info, sizeof(info), nullptr),
            STATUS_SUCCESS);
  NtClose(h);
}

TEST(NtQuerySemaphore, WrongLengthClassOrHandle) {
  HANDLE h = nt_semaphore(2, 7);
  struct {
    SEMAPHORE_BASIC_INFORMATION info;
    LONG extra;
  } buffer{{untouched_long, untouched_long}, untouched_long};
  ULONG length = 12345;
  for (ULONG size : {ULONG{0}, ULONG{4}, ULONG{12}}) {
    EXPECT_EQ(NtQuerySemaphore(h, SemaphoreBasicInformation, &buffer, size, &length),
              STATUS_INFO_LENGTH_MISMATCH)
        << size;
    EXPECT_EQ(length, 12345u);
    EXPECT_EQ(buffer.info.CurrentCount, untouched_long);
  }
  EXPECT_EQ(NtQuerySemaphore(h, static_cast<SEMAPHORE_INFORMATION_CLASS>(1), &buffer,
                             sizeof(buffer.info), &length),
            STATUS_INVALID_INFO_CLASS);
  EXPECT_EQ(NtQuerySemaphore(nullptr, SemaphoreBasicInformation, &buffer, sizeof(buffer.info),
                             &length),
            STATUS_INVALID_HANDLE);
  NtClose(h);
}

// Which handles may query: SEMAPHORE_QUERY_STATE, and the generic rights that
// map to it.  (Waiting and releasing with each right: tests/conformance.)
TEST(NtQuerySemaphore, NeedsTheQueryRight) {
  struct access_case {
    ACCESS_MASK access;
    NTSTATUS expected;
  };
  for (access_case c : {access_case{0, STATUS_ACCESS_DENIED},
                        access_case{SEMAPHORE_MODIFY_STATE, STATUS_ACCESS_DENIED},
                        access_case{SYNCHRONIZE, STATUS_ACCESS_DENIED},
                        access_case{GENERIC_WRITE, STATUS_ACCESS_DENIED},
                        access_case{GENERIC_EXECUTE, STATUS_ACCESS_DENIED},
                        access_case{SEMAPHORE_QUERY_STATE, STATUS_SUCCESS},
                        access_case{GENERIC_READ, STATUS_SUCCESS},
                        access_case{GENERIC_ALL, STATUS_SUCCESS},
                        access_case{MAXIMUM_ALLOWED, STATUS_SUCCESS}}) {
    HANDLE h = nt_semaphore(1, 2, c.access);
    SEMAPHORE_BASIC_INFORMATION info{untouched_long, untouched_long};
    EXPECT_EQ(NtQuerySemaphore(h, SemaphoreBasicInformation, &info, sizeof(info), nullptr),
              c.expected)
        << std::hex << c.access;
    if (c.expected != STATUS_SUCCESS) {
      EXPECT_EQ(info.CurrentCount, untouched_long);
    }
    NtClose(h);
  }
}

TEST(NtWaitForSingleObject, TimeoutForms) {
  HANDLE h = nt_semaphore(0, 1);
  LARGE_INTEGER zero{}, relative{}, past{}, soon{};
  relative.QuadPart = -10 * 10'000;  // 10 ms from now
  past.QuadPart = 1;                 // 1601: long past
  // 20 ms from now, as an absolute system time.
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  soon.QuadPart = 116'444'736'000'000'000 + now.tv_sec * 10'000'000LL + now.tv_nsec / 100 +
                  20 * 10'000;
  for (LARGE_INTEGER* t : {&zero, &relative, &past, &soon})
    EXPECT_EQ(NtWaitForSingleObject(h, FALSE, t), STATUS_TIMEOUT) << t->QuadPart;
  ASSERT_EQ(NtReleaseSemaphore(h, 1, nullptr), STATUS_SUCCESS);
  EXPECT_EQ(NtWaitForSingleObject(h, FALSE, nullptr), STATUS_WAIT_0);
  EXPECT_EQ(count_of(h), 0);
  NtClose(h);
}

TEST(NtWaitForMultipleObjects, Statuses) {
  HANDLE a = nt_semaphore(1, 1), b = nt_semaphore(1, 1);
  HANDLE handles[] = {a, b, a};
  LARGE_INTEGER zero{};
  EXPECT_EQ(NtWaitForMultipleObjects(0, handles, WaitAny, FALSE, &zero),
            STATUS_INVALID_PARAMETER_1);
  EXPECT_EQ(NtWaitForMultipleObjects(65, handles, WaitAll, FALSE, &zero),
            STATUS_INVALID_PARAMETER_1);
  EXPECT_EQ(NtWaitForMultipleObjects(3, handles, WaitAll, FALSE, &zero),
            STATUS_INVALID_PARAMETER_MIX);
  EXPECT_EQ(NtWaitForMultipleObjects(2, handles, WaitNotification, FALSE, &zero),
            STATUS_INVALID_PARAMETER_3);
  EXPECT_EQ(NtWaitForMultipleObjects(2, handles, WaitAll, FALSE, &zero), STATUS_WAIT_0);
  EXPECT_EQ(NtWaitForMultipleObjects(2, handles, WaitAny, FALSE, &zero), STATUS_TIMEOUT);
  NtClose(a);
  NtClose(b);
}

TEST(RtlNtStatusToDosError, UnknownStatusIsMessageNotFound) {
  EXPECT_EQ(RtlNtStatusToDosError(static_cast<NTSTATUS>(0xC0DE0001)), ULONG(ERROR_MR_MID_NOT_FOUND));
}

}  // namespace

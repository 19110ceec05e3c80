// Named semaphores guarded by a security descriptor: an open (or a create
// that finds the name taken) gets only the rights the descriptor grants,
// while the creating call gets what it asked for.  Every case runs as one
// user, who owns the object and is a member of Everyone.
#include <string>

#include "harness.h"
#include "observe.h"

namespace {

using namespace conformance;

// A descriptor whose DACL holds the ACEs given, each for Everyone (S-1-1-0),
// in order: allow when `allow` is true, else deny.
class everyone_descriptor {
 public:
  struct entry {
    bool allow;
    DWORD mask;
  };
  explicit everyone_descriptor(std::initializer_list<entry> entries) {
    SID_IDENTIFIER_AUTHORITY world = SECURITY_WORLD_SID_AUTHORITY;
    REQUIRE(AllocateAndInitializeSid(&world, 1, SECURITY_WORLD_RID, 0, 0, 0, 0, 0, 0, 0,
                                     &everyone_));
    REQUIRE(InitializeAcl(reinterpret_cast<PACL>(acl_), sizeof acl_, ACL_REVISION));
    for (const entry& e : entries) {
      if (e.allow)
        REQUIRE(AddAccessAllowedAce(reinterpret_cast<PACL>(acl_), ACL_REVISION, e.mask, everyone_));
      else
        REQUIRE(AddAccessDeniedAce(reinterpret_cast<PACL>(acl_), ACL_REVISION, e.mask, everyone_));
    }
    REQUIRE(InitializeSecurityDescriptor(&sd_, SECURITY_DESCRIPTOR_REVISION));
    REQUIRE(SetSecurityDescriptorDacl(&sd_, TRUE, reinterpret_cast<PACL>(acl_), FALSE));
    attributes_ = {sizeof(SECURITY_ATTRIBUTES), &sd_, FALSE};
  }
  ~everyone_descriptor() { FreeSid(everyone_); }
  everyone_descriptor(const everyone_descriptor&) = delete;
  everyone_descriptor& operator=(const everyone_descriptor&) = delete;
  SECURITY_ATTRIBUTES* attributes() { return &attributes_; }

 private:
  PSID everyone_ = nullptr;
  alignas(DWORD) BYTE acl_[256] = {};
  SECURITY_DESCRIPTOR sd_ = {};
  SECURITY_ATTRIBUTES attributes_ = {};
};

// Opens `name` asking for `access`: 0 on success (the handle is closed),
// else the last error.
DWORD open_error(const std::string& name, DWORD access) {
  SetLastError(untouched_error);
  HANDLE h = OpenSemaphoreA(access, FALSE, name.c_str());
  if (h) {
    CloseHandle(h);
    return 0;
  }
  return GetLastError();
}

TEST(NamedSecurity, ANullDaclAdmitsEveryRight) {
  SECURITY_DESCRIPTOR sd;
  REQUIRE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  REQUIRE(SetSecurityDescriptorDacl(&sd, TRUE, nullptr, FALSE));
  SECURITY_ATTRIBUTES sa = {sizeof sa, &sd, FALSE};
  const std::string name = fresh_name("null-dacl");
  SetLastError(untouched_error);
  HANDLE h = CreateSemaphoreA(&sa, 1, 3, name.c_str());
  REQUIRE(h != nullptr);
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  CHECK_EQ(open_error(name, SEMAPHORE_ALL_ACCESS), 0);
  CHECK_EQ(open_error(name, GENERIC_ALL), 0);
  CHECK(CloseHandle(h));
}

// The creator's handle has every right it asked for even though the
// descriptor grants nobody anything; every later open is refused.
TEST(NamedSecurity, AnEmptyDaclRefusesEveryOpenButNotTheCreator) {
  everyone_descriptor nobody({});
  const std::string name = fresh_name("empty-dacl");
  SetLastError(untouched_error);
  HANDLE h = CreateSemaphoreA(nobody.attributes(), 1, 3, name.c_str());
  REQUIRE(h != nullptr);
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  CHECK_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  LONG previous = -1;
  CHECK(ReleaseSemaphore(h, 2, &previous));
  CHECK_EQ(previous, 0);
  CHECK_EQ(open_error(name, SEMAPHORE_MODIFY_STATE), ERROR_ACCESS_DENIED);
  CHECK_EQ(open_error(name, SEMAPHORE_QUERY_STATE), ERROR_ACCESS_DENIED);
  // A create that finds the name asks for SEMAPHORE_ALL_ACCESS: refused too.
  SetLastError(untouched_error);
  CHECK_EQ(CreateSemaphoreA(nullptr, 0, 1, name.c_str()), nullptr);
  CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  CHECK_EQ(count_of(h), 2);
  CHECK(CloseHandle(h));
}

// SYNCHRONIZE is a right like any other: an empty DACL grants it to nobody.
TEST(NamedSecurity, AnEmptyDaclRefusesSynchronize) {
  everyone_descriptor nobody({});
  const std::string name = fresh_name("empty-dacl-sync");
  HANDLE h = CreateSemaphoreA(nobody.attributes(), 1, 3, name.c_str());
  REQUIRE(h != nullptr);
  CHECK_EQ(open_error(name, SYNCHRONIZE), ERROR_ACCESS_DENIED);
  CHECK(CloseHandle(h));
}

TEST(NamedSecurity, OnlyTheGrantedRightsMayBeOpened) {
  everyone_descriptor sync_only({{true, SYNCHRONIZE}});
  const std::string name = fresh_name("sync-only");
  HANDLE h = CreateSemaphoreA(sync_only.attributes(), 1, 3, name.c_str());
  REQUIRE(h != nullptr);
  CHECK_EQ(open_error(name, SYNCHRONIZE), 0);
  CHECK_EQ(open_error(name, SYNCHRONIZE | SEMAPHORE_MODIFY_STATE), ERROR_ACCESS_DENIED);
  CHECK_EQ(open_error(name, SEMAPHORE_MODIFY_STATE), ERROR_ACCESS_DENIED);
  CHECK_EQ(open_error(name, GENERIC_WRITE), ERROR_ACCESS_DENIED);
  // What was granted works; what was not is refused at the call.
  HANDLE opened = OpenSemaphoreA(SYNCHRONIZE, FALSE, name.c_str());
  REQUIRE(opened != nullptr);
  CHECK_EQ(WaitForSingleObject(opened, 0), WAIT_OBJECT_0);
  SetLastError(untouched_error);
  CHECK(!ReleaseSemaphore(opened, 1, nullptr));
  CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  CHECK(CloseHandle(opened));
  CHECK(CloseHandle(h));
}

// MAXIMUM_ALLOWED opens with whatever is granted, here without
// SEMAPHORE_MODIFY_STATE.
TEST(NamedSecurity, MaximumAllowedTakesWhatIsGranted) {
  everyone_descriptor sync_only({{true, SYNCHRONIZE}});
  const std::string name = fresh_name("maximum");
  HANDLE h = CreateSemaphoreA(sync_only.attributes(), 1, 3, name.c_str());
  REQUIRE(h != nullptr);
  HANDLE opened = OpenSemaphoreA(MAXIMUM_ALLOWED, FALSE, name.c_str());
  REQUIRE(opened != nullptr);
  CHECK_EQ(WaitForSingleObject(opened, 0), WAIT_OBJECT_0);
  SetLastError(untouched_error);
  CHECK(!ReleaseSemaphore(opened, 1, nullptr));
  CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  CHECK(CloseHandle(opened));
  CHECK(CloseHandle(h));
}

// ACEs are taken in order: a deny before an allow takes its rights away; a
// deny after an allow of the same rights comes too late.
TEST(NamedSecurity, AcesAreEvaluatedInOrder) {
  everyone_descriptor deny_first({{false, SEMAPHORE_MODIFY_STATE}, {true, GENERIC_ALL}});
  const std::string denied = fresh_name("deny-first");
  HANDLE a = CreateSemaphoreA(deny_first.attributes(), 1, 3, denied.c_str());
  REQUIRE(a != nullptr);
  CHECK_EQ(open_error(denied, SYNCHRONIZE), 0);
  CHECK_EQ(open_error(denied, SEMAPHORE_MODIFY_STATE), ERROR_ACCESS_DENIED);

  everyone_descriptor allow_first({{true, GENERIC_ALL}, {false, SEMAPHORE_MODIFY_STATE}});
  const std::string allowed = fresh_name("allow-first");
  HANDLE b = CreateSemaphoreA(allow_first.attributes(), 1, 3, allowed.c_str());
  REQUIRE(b != nullptr);
  CHECK_EQ(open_error(allowed, SEMAPHORE_MODIFY_STATE), 0);
  CHECK(CloseHandle(a));
  CHECK(CloseHandle(b));
}

// A create that finds the name opens the existing object under its own
// descriptor; the descriptor passed with it is not applied.
TEST(NamedSecurity, ACreateOfAnExistingNameKeepsTheFirstDescriptor) {
  const std::string name = fresh_name("first-wins");
  HANDLE h = CreateSemaphoreA(nullptr, 1, 3, name.c_str());
  REQUIRE(h != nullptr);
  everyone_descriptor nobody({});
  SetLastError(untouched_error);
  HANDLE again = CreateSemaphoreA(nobody.attributes(), 0, 1, name.c_str());
  REQUIRE(again != nullptr);
  CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
  CHECK_EQ(open_error(name, SEMAPHORE_ALL_ACCESS), 0);
  CHECK(CloseHandle(again));
  CHECK(CloseHandle(h));
}

TEST(NamedSecurity, AnUnnamedObjectTakesADescriptorAndWorks) {
  everyone_descriptor nobody({});
  SetLastError(untouched_error);
  HANDLE h = CreateSemaphoreA(nobody.attributes(), 1, 3, nullptr);
  REQUIRE(h != nullptr);
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  CHECK_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  CHECK(ReleaseSemaphore(h, 1, nullptr));
  CHECK(CloseHandle(h));
}

}  // namespace

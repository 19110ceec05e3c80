// Named semaphores within one process (SPEC.md sections 2, 3, 5); across
// processes in tests/process/.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <ntsem/sddl.h>
#include <ntsem/winternl.h>

#include "shm/named_file.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"

namespace {

using ntsem::test::file_exists;
using ntsem::test::file_of;
using ntsem::test::state_of;
using ntsem::test::unique_name;
using ntsem::test::untouched_error;
using state = ntsem::test::semaphore_state;

HANDLE create(const std::string& name, LONG initial = 1, LONG maximum = 5) {
  SetLastError(untouched_error);
  return CreateSemaphoreA(nullptr, initial, maximum, name.c_str());
}

HANDLE open(const std::string& name, DWORD access = SEMAPHORE_ALL_ACCESS) {
  SetLastError(untouched_error);
  return OpenSemaphoreA(access, FALSE, name.c_str());
}

TEST(NamedSemaphore, NewObjectClearsLastErrorAndExistingOneIgnoresTheCounts) {
  const std::string name = unique_name("exists");
  HANDLE first = create(name, 2, 5);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_SUCCESS));
  HANDLE second = create(name, 0, 9);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ALREADY_EXISTS));
  EXPECT_NE(second, first);
  EXPECT_EQ(state_of(second), (state{2, 5}));
  // One object: a unit taken through one handle is gone through the other.
  EXPECT_EQ(WaitForSingleObject(first, 0), WAIT_OBJECT_0);
  EXPECT_EQ(state_of(second), (state{1, 5}));
  CloseHandle(first);
  CloseHandle(second);
}

TEST(NamedSemaphore, BadCountsAreCheckedBeforeTheName) {
  const std::string name = unique_name("badcounts");
  HANDLE h = create(name, 1, 1);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(create(name, 9, 5), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(create("a\\b", 9, 5), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
  CloseHandle(h);
}

TEST(NamedSemaphore, OpenFindsTheObjectAndChecksTheName) {
  const std::string name = unique_name("open");
  HANDLE h = create(name, 0, 3);
  HANDLE opened = open(name);
  ASSERT_NE(opened, nullptr);
  EXPECT_EQ(GetLastError(), untouched_error);
  EXPECT_TRUE(ReleaseSemaphore(opened, 2, nullptr));
  EXPECT_EQ(state_of(h), (state{2, 3}));
  CloseHandle(opened);

  EXPECT_EQ(open(unique_name("missing")), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_FILE_NOT_FOUND));
  SetLastError(untouched_error);
  EXPECT_EQ(OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, nullptr), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(open(""), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  CloseHandle(h);
}

TEST(NamedSemaphore, LocalPrefixIsTheSessionAndGlobalIsAnotherNamespace) {
  const std::string name = unique_name("scopes");
  HANDLE plain = create(name, 1, 1);
  HANDLE local = create("Local\\" + name, 0, 7);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ALREADY_EXISTS));
  EXPECT_EQ(state_of(local), (state{1, 1}));
  HANDLE global = create("Global\\" + name, 0, 7);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_SUCCESS));
  EXPECT_EQ(state_of(global), (state{0, 7}));
  for (HANDLE h : {plain, local, global}) CloseHandle(h);
}

TEST(NamedSemaphore, NamesAreCaseSensitive) {
  const std::string name = unique_name("Case");
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  HANDLE a = create(name);
  HANDLE b = create(lower);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_SUCCESS));
  CloseHandle(a);
  CloseHandle(b);
}

TEST(NamedSemaphore, AAndWNamesReachTheSameObject) {
  const std::string name = unique_name("s\xC3\xA9maphore-\xE6\x97\xA5");  // "sémaphore-日"
  HANDLE a = create(name, 1, 4);
  std::u16string wide;
  for (char c : unique_name("")) wide += static_cast<char16_t>(c);
  wide += u"s\u00E9maphore-\u65E5";
  SetLastError(untouched_error);
  HANDLE w = CreateSemaphoreW(nullptr, 0, 9, wide.c_str());
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ALREADY_EXISTS));
  EXPECT_EQ(state_of(w), (state{1, 4}));
  HANDLE opened = OpenSemaphoreW(SYNCHRONIZE, FALSE, wide.c_str());
  EXPECT_EQ(WaitForSingleObject(opened, 0), WAIT_OBJECT_0);
  EXPECT_EQ(state_of(a).count, 0);
  for (HANDLE h : {a, w, opened}) CloseHandle(h);
}

struct bad_name {
  std::string name;
  DWORD error;
};

class NamedSemaphoreBadName : public ::testing::TestWithParam<bad_name> {};

TEST_P(NamedSemaphoreBadName, CreateAndOpenFailWithTheWindowsError) {
  EXPECT_EQ(create(GetParam().name), nullptr);
  EXPECT_EQ(GetLastError(), GetParam().error);
  EXPECT_EQ(open(GetParam().name), nullptr);
  EXPECT_EQ(GetLastError(), GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    , NamedSemaphoreBadName,
    ::testing::Values(bad_name{"a\\b", ERROR_PATH_NOT_FOUND},
                      bad_name{"Global\\a\\b", ERROR_PATH_NOT_FOUND},
                      bad_name{"Global\\", ERROR_INVALID_NAME},
                      bad_name{"Local\\", ERROR_INVALID_NAME},
                      bad_name{"\\x", ERROR_BAD_PATHNAME},
                      bad_name{std::string(260, 'n'), ERROR_FILENAME_EXCED_RANGE}));

TEST(NamedSemaphore, NamesOfUpTo259CharactersAreAccepted) {
  std::string name = unique_name("long-");
  name.resize(259, 'x');
  HANDLE h = create(name);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_SUCCESS));
  CloseHandle(h);
}

TEST(NamedSemaphore, TheLastCloseFreesTheNameAndLeavesNoFile) {
  const std::string name = unique_name("lifetime");
  HANDLE h = create(name, 3, 3);
  HANDLE again = open(name);
  const std::string path = file_of(name);
  ASSERT_TRUE(file_exists(path)) << path;
  CloseHandle(h);
  EXPECT_TRUE(file_exists(path));
  EXPECT_EQ(WaitForSingleObject(again, 0), WAIT_OBJECT_0);
  CloseHandle(again);
  EXPECT_FALSE(file_exists(path));
  EXPECT_EQ(open(name), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_FILE_NOT_FOUND));
  HANDLE fresh = create(name, 0, 2);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_SUCCESS));
  EXPECT_EQ(state_of(fresh), (state{0, 2}));
  CloseHandle(fresh);
}

TEST(NamedSemaphore, AccessIsCheckedOnTheOpenedHandle) {
  const std::string name = unique_name("access");
  HANDLE h = create(name, 1, 5);
  HANDLE sync_only = open(name, SYNCHRONIZE);
  ASSERT_NE(sync_only, nullptr);
  SetLastError(untouched_error);
  EXPECT_FALSE(ReleaseSemaphore(sync_only, 1, nullptr));
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
  EXPECT_EQ(WaitForSingleObject(sync_only, 0), WAIT_OBJECT_0);
  // Windows refuses an existing object opened with no rights at all.
  EXPECT_EQ(open(name, 0), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
  SetLastError(untouched_error);
  EXPECT_EQ(CreateSemaphoreExA(nullptr, 0, 1, name.c_str(), 0, 0), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
  CloseHandle(sync_only);
  CloseHandle(h);
}

TEST(NamedSemaphore, NtCreateRefusesAnExistingNameWithoutOpenIf) {
  const std::string name = unique_name("openif");
  std::u16string wide(name.begin(), name.end());
  UNICODE_STRING us{static_cast<WORD>(wide.size() * 2), static_cast<WORD>(wide.size() * 2),
                    wide.data()};
  OBJECT_ATTRIBUTES oa{sizeof(oa), nullptr, &us, 0, nullptr, nullptr};
  HANDLE first = nullptr, second = nullptr;
  ASSERT_EQ(NtCreateSemaphore(&first, SEMAPHORE_ALL_ACCESS, &oa, 0, 1), STATUS_SUCCESS);
  EXPECT_EQ(NtCreateSemaphore(&second, SEMAPHORE_ALL_ACCESS, &oa, 0, 1),
            STATUS_OBJECT_NAME_COLLISION);
  oa.Attributes = OBJ_OPENIF;
  EXPECT_EQ(NtCreateSemaphore(&second, SEMAPHORE_ALL_ACCESS, &oa, 0, 1),
            STATUS_OBJECT_NAME_EXISTS);
  HANDLE opened = nullptr;
  EXPECT_EQ(NtOpenSemaphore(&opened, SYNCHRONIZE, &oa), STATUS_SUCCESS);
  for (HANDLE h : {first, second, opened}) NtClose(h);
}

// A descriptor decides the file's mode (docs/namespace.md, "Access").
int mode_of_new_object(const char* sddl) {
  return ntsem::test::mode_of_new_object(sddl, [](SECURITY_ATTRIBUTES* sa, const char* name) {
    return CreateSemaphoreA(sa, 0, 1, name);
  });
}

TEST(NamedSemaphore, TheDescriptorDecidesTheFilesMode) {
  EXPECT_EQ(mode_of_new_object("O:BA"), 0600);  // no DACL: the default one
  EXPECT_EQ(mode_of_new_object("D:"), 0600);    // empty DACL: the owner's bits stay rw
  EXPECT_EQ(mode_of_new_object("D:(A;;GA;;;WD)"), 0666);
  EXPECT_EQ(mode_of_new_object("D:(A;;GR;;;WD)"), 0644);
  EXPECT_EQ(mode_of_new_object("D:(A;;0x00100000;;;AU)"), 0666);  // a wait takes a unit
  EXPECT_EQ(mode_of_new_object("D:(D;;0x00100003;;;WD)(A;;GA;;;WD)"), 0644);
  EXPECT_EQ(mode_of_new_object("D:(A;;GA;;;S-1-22-1-4242)"), 0600);  // not expressible
}

TEST(NamedSemaphore, ANullDaclGivesMode0666) {
  SECURITY_DESCRIPTOR sd;
  ASSERT_TRUE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  ASSERT_TRUE(SetSecurityDescriptorDacl(&sd, TRUE, nullptr, FALSE));
  SECURITY_ATTRIBUTES sa{sizeof(sa), &sd, FALSE};
  const std::string name = unique_name("null-dacl");
  HANDLE h = CreateSemaphoreA(&sa, 0, 1, name.c_str());
  ASSERT_NE(h, nullptr);
  struct stat st {};
  ASSERT_EQ(::stat(file_of(name).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0666u);
  CloseHandle(h);
}

// A umask narrows the mode open(2) is given; the file still gets exactly the
// mapped mode.
TEST(NamedSemaphore, TheUmaskDoesNotNarrowTheMode) {
  const mode_t old = ::umask(077);
  EXPECT_EQ(mode_of_new_object("D:(A;;GA;;;WD)"), 0666);
  ::umask(old);
}

// A descriptor is read before the name is looked at, as Windows captures it
// first: a malformed one fails even where the name exists.
TEST(NamedSemaphore, AMalformedDescriptorFailsTheCreate) {
  const std::string name = unique_name("bad-sd");
  HANDLE h = create(name);
  ASSERT_NE(h, nullptr);
  SECURITY_DESCRIPTOR sd;
  ASSERT_TRUE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  sd.Revision = 2;
  SECURITY_ATTRIBUTES sa{sizeof(sa), &sd, FALSE};
  SetLastError(untouched_error);
  EXPECT_EQ(CreateSemaphoreA(&sa, 0, 1, name.c_str()), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_UNKNOWN_REVISION));
  CloseHandle(h);
}

// Files in the namespace that ntsem cannot trust are refused with a clear
// error and left alone.
class ForeignFile : public ::testing::Test {
 protected:
  void SetUp() override {
    // Make the scope's directory exist, and learn the file's path.
    HANDLE h = create(name_);
    ASSERT_NE(h, nullptr);
    path_ = file_of(name_);
    CloseHandle(h);
    ASSERT_FALSE(file_exists(path_));
  }
  void TearDown() override { ::unlink(path_.c_str()); }
  void write_file(const std::string& bytes) {
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  void write_header(std::uint32_t version, std::uint8_t type, std::size_t size) {
    std::string bytes(size, '\0');
    bytes.replace(0, 8, "NTSEMOBJ");
    bytes[8] = static_cast<char>(version);
    bytes[12] = 64;
    bytes[16] = static_cast<char>(128);
    bytes[24] = static_cast<char>(type);
    write_file(bytes);
  }
  DWORD open_error() {
    HANDLE h = open(name_);
    if (h) CloseHandle(h);
    return h ? 0 : GetLastError();
  }
  const std::string name_ = unique_name("foreign");
  std::string path_;
};

TEST_F(ForeignFile, ForeignContentIsCorrupt) {
  write_file(std::string(4096, 'x'));
  EXPECT_EQ(open_error(), DWORD(ERROR_FILE_CORRUPT));
  EXPECT_TRUE(file_exists(path_));
}

TEST_F(ForeignFile, TruncatedFileIsCorrupt) {
  write_file("NTSEMOBJ");
  EXPECT_EQ(open_error(), DWORD(ERROR_FILE_CORRUPT));
}

TEST_F(ForeignFile, AnotherLayoutVersionIsRefused) {
  write_header(99, 1, 4096);
  EXPECT_EQ(open_error(), DWORD(ERROR_REVISION_MISMATCH));
}

TEST_F(ForeignFile, AnUnknownTypeIsCorrupt) {
  write_header(ntsem::shm::named_file_version, 7, 4096);
  EXPECT_EQ(open_error(), DWORD(ERROR_FILE_CORRUPT));
}

// A file nobody holds is what processes that died leave behind (their
// holders locks went with them): an open removes it and reports no object; a create
// makes a fresh object in its place.  (The same with real killed processes
// is in tests/process/.)
class NamedSemaphoreLeftovers : public ::testing::Test {
 protected:
  // Writes, under `leftover_name_`, a copy of a live object's file renamed:
  // a valid file that no process holds.
  void make_leftover() {
    std::ifstream in(file_of(live_name_), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    const auto n = static_cast<std::uint32_t>(leftover_name_.size());
    bytes.replace(20, 4, reinterpret_cast<const char*>(&n), 4);  // header.name_bytes
    bytes.replace(128, live_name_.size(), leftover_name_);
    std::ofstream(file_of(leftover_name_), std::ios::binary) << bytes;
  }
  void SetUp() override {
    live_ = create(live_name_, 2, 4);
    ASSERT_NE(live_, nullptr);
  }
  void TearDown() override { CloseHandle(live_); }
  const std::string live_name_ = unique_name("leftover-src");
  const std::string leftover_name_ = unique_name("leftover-cpy");  // same length: same file size
  HANDLE live_ = nullptr;
};

TEST_F(NamedSemaphoreLeftovers, OpenRemovesThemAndFindsNothing) {
  make_leftover();
  EXPECT_EQ(open(leftover_name_), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_FILE_NOT_FOUND));
  EXPECT_FALSE(file_exists(file_of(leftover_name_)));
}

TEST_F(NamedSemaphoreLeftovers, CreateMakesAFreshObject) {
  make_leftover();
  HANDLE fresh = create(leftover_name_, 0, 9);
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_SUCCESS));
  EXPECT_EQ(state_of(fresh), (state{0, 9}));
  CloseHandle(fresh);
  EXPECT_FALSE(file_exists(file_of(leftover_name_)));
}

}  // namespace

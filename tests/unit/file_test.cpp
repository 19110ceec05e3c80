// The file facilities named objects rely on (sys/file.hpp,
// sys/flock_table.hpp):
// - sys::close_all, which retires parked views' descriptors a batch at a
//   time (namespace/named_object.cpp): it closes each descriptor it is
//   given, a run of consecutive numbers in one call, and nothing else;
// - the holders lock's conversion (sys::try_lock_file), on which the leave
//   step counts: a refused conversion leaves no lock;
// - the reading of /proc/locks that tells a listing which objects are held.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "sys/file.hpp"
#include "sys/flock_table.hpp"

namespace {

using ntsem::sys::file_error;
using ntsem::sys::flock_table;
using ntsem::sys::lock_kind;
using ntsem::sys::try_lock_file;

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

// `count` descriptors with consecutive numbers, the first at or above 200
// (free in a test process), each a copy of stdin's.
std::vector<int> consecutive(int first, int count) {
  std::vector<int> fds;
  for (int fd = first; fd < first + count; ++fd) {
    EXPECT_FALSE(is_open(fd)) << fd;
    EXPECT_EQ(::dup2(0, fd), fd);
    fds.push_back(fd);
  }
  return fds;
}

TEST(CloseAll, ClosesRunsAndSingles) {
  std::vector<int> given = consecutive(200, 4);   // 200..203
  const std::vector<int> more = consecutive(210, 1);
  const std::vector<int> last = consecutive(220, 3);
  given.insert(given.end(), last.rbegin(), last.rend());  // out of order
  given.push_back(more[0]);
  ntsem::sys::close_all(given);
  for (int fd : given) EXPECT_FALSE(is_open(fd)) << fd;
}

TEST(CloseAll, LeavesTheDescriptorsBetweenItsRunsOpen) {
  const std::vector<int> fds = consecutive(230, 5);  // 230..234
  ntsem::sys::close_all({230, 231, 233, 234});
  EXPECT_TRUE(is_open(232));
  for (int fd : {230, 231, 233, 234}) EXPECT_FALSE(is_open(fd)) << fd;
  ::close(232);
}

TEST(CloseAll, NothingToClose) {
  const std::vector<int> fds = consecutive(240, 1);
  ntsem::sys::close_all({});
  EXPECT_TRUE(is_open(240));
  ::close(240);
}

// Two open file descriptions of one new file (unlinked at once).
struct two_descriptions {
  two_descriptions() {
    char path[] = "/dev/shm/ntsem-file-test-XXXXXX";
    a = ::mkstemp(path);
    b = ::open(path, O_RDWR | O_CLOEXEC);
    ::unlink(path);
  }
  ~two_descriptions() {
    ::close(a);
    ::close(b);
  }
  int a = -1, b = -1;
};

// Two holders: both descriptions hold the lock shared.
class LockFile : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(d.b, 0);
    ASSERT_EQ(try_lock_file(d.a, lock_kind::shared), file_error::ok);
    ASSERT_EQ(try_lock_file(d.b, lock_kind::shared), file_error::ok);
  }
  two_descriptions d;
};

TEST_F(LockFile, TheOnlyHolderConvertsToExclusive) {
  EXPECT_EQ(try_lock_file(d.b, lock_kind::none), file_error::ok);
  EXPECT_EQ(try_lock_file(d.b, lock_kind::exclusive), file_error::would_block);
  EXPECT_EQ(try_lock_file(d.a, lock_kind::exclusive), file_error::ok);
  EXPECT_EQ(try_lock_file(d.b, lock_kind::shared), file_error::would_block);
}

// The leave step: each holder asks for the lock exclusively while holding
// it shared.  The first is refused and holds nothing after, so the second,
// now alone, is granted it: one of two last holders always finds itself
// last.
TEST_F(LockFile, ARefusedConversionLeavesNoLock) {
  EXPECT_EQ(try_lock_file(d.a, lock_kind::exclusive), file_error::would_block);
  EXPECT_EQ(try_lock_file(d.b, lock_kind::exclusive), file_error::ok);
  EXPECT_EQ(try_lock_file(d.a, lock_kind::shared), file_error::would_block);
}

// /proc/locks' format: "<id>: <kind> <ADVISORY|MANDATORY> <READ|WRITE> <pid>
// <major>:<minor>:<inode> <start> <end>", major and minor in hexadecimal, a
// waiting request with "->" after the id.
TEST(FlockTable, ReadsGrantedFlockLocksOnly) {
  flock_table t;
  t.parse(
      "1: FLOCK  ADVISORY  READ 11235 fe:00:10952851 0 EOF\n"
      "1: -> FLOCK  ADVISORY  WRITE 11236 00:1a:777 0 EOF\n"
      "2: POSIX  ADVISORY  WRITE 699 00:16:28457 0 EOF\n"
      "3: OFDLCK ADVISORY  READ  -1 00:16:28458 0 0\n"
      "4: FLOCK  ADVISORY  WRITE 1568 103:2f:32388 0 EOF\n"
      "5: FLOCK  ADVISORY  WRITE 1569 zz:00:5 0 EOF\n"
      "6: FLOCK  ADVISORY  WRITE 1570 <none>:0 0 EOF\n"
      "7: FLOCK  ADVISORY");
  EXPECT_TRUE(t.locked(makedev(0xfe, 0), 10952851));
  EXPECT_TRUE(t.locked(makedev(0x103, 0x2f), 32388));
  EXPECT_FALSE(t.locked(makedev(0, 0x1a), 777));    // only waited for
  EXPECT_FALSE(t.locked(makedev(0, 0x16), 28457));  // a POSIX lock
  EXPECT_FALSE(t.locked(makedev(0, 0x16), 28458));  // an OFD lock
  EXPECT_FALSE(t.locked(makedev(0xfe, 0), 10952852));
  EXPECT_FALSE(t.locked(makedev(0, 0), 5));
}

TEST(FlockTable, SeesALockOfThisProcess) {
  two_descriptions d;
  struct stat st {};
  ASSERT_EQ(::fstat(d.a, &st), 0);
  flock_table before;
  if (!before.read()) GTEST_SKIP() << "/proc/locks cannot be read here";
  EXPECT_FALSE(before.locked(st.st_dev, st.st_ino));
  ASSERT_EQ(try_lock_file(d.a, lock_kind::shared), file_error::ok);
  flock_table held;
  ASSERT_TRUE(held.read());
  EXPECT_TRUE(held.locked(st.st_dev, st.st_ino));
  ASSERT_EQ(try_lock_file(d.a, lock_kind::none), file_error::ok);
  flock_table after;
  ASSERT_TRUE(after.read());
  EXPECT_FALSE(after.locked(st.st_dev, st.st_ino));
}

}  // namespace

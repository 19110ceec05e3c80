// sys::close_all, which retires parked views' descriptors a batch at a time
// (namespace/named_object.cpp): it closes each descriptor it is given, a run
// of consecutive numbers in one call, and nothing else.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include "sys/file.hpp"

namespace {

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

}  // namespace

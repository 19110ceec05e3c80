// sys::has_ended, the hint that chooses which dead processes' records an
// exit sweeps (namespace/dead_records.hpp); sys::descriptor_file_name, the
// hint that leads a release to an object another process holds
// (namespace/held_elsewhere.hpp).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "sys/process.hpp"

namespace {

using ntsem::sys::descriptor_file_name;
using ntsem::sys::has_ended;

TEST(HasEnded, ALiveProcessHasNot) {
  EXPECT_FALSE(has_ended(static_cast<std::uint32_t>(::getpid())));
  EXPECT_FALSE(has_ended(1));  // init: another user's process for non-root, EPERM
}

TEST(HasEnded, AReapedChildHas) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(has_ended(static_cast<std::uint32_t>(child)));
}

// No process has id 0, and kill() would take an id above INT_MAX for a
// process group: neither is said to have ended.
TEST(HasEnded, IdsNoProcessCanHaveAreNotSaidToHaveEnded) {
  EXPECT_FALSE(has_ended(0));
  EXPECT_FALSE(has_ended(0x8000'0001u));
}

std::uint32_t self() { return static_cast<std::uint32_t>(::getpid()); }

TEST(DescriptorFileName, IsTheLastComponentOfTheFileOpened) {
  char path[] = "/tmp/ntsem-descriptor-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string name = "unchanged";
  EXPECT_TRUE(descriptor_file_name(self(), fd, &name));
  EXPECT_EQ(name, std::string(path).substr(5));
  ::unlink(path);
  ::close(fd);
}

// An unlinked file has no name to open it by, a pipe none at all.
TEST(DescriptorFileName, NoneForAnUnlinkedFileOrAPipe) {
  char path[] = "/tmp/ntsem-descriptor-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::unlink(path), 0);
  std::string name = "unchanged";
  EXPECT_FALSE(descriptor_file_name(self(), fd, &name));
  ::close(fd);
  int pipe_ends[2];
  ASSERT_EQ(::pipe(pipe_ends), 0);
  EXPECT_FALSE(descriptor_file_name(self(), pipe_ends[0], &name));
  ::close(pipe_ends[0]);
  ::close(pipe_ends[1]);
  EXPECT_EQ(name, "unchanged");
}

TEST(DescriptorFileName, NoneForADescriptorOrProcessThatIsNot) {
  std::string name = "unchanged";
  const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ::close(fd);
  EXPECT_FALSE(descriptor_file_name(self(), fd, &name));
  EXPECT_FALSE(descriptor_file_name(self(), -1, &name));
  EXPECT_FALSE(descriptor_file_name(self(), std::int64_t{1} << 32, &name));
  EXPECT_FALSE(descriptor_file_name(0, 0, &name));
  EXPECT_FALSE(descriptor_file_name(0x8000'0001u, 0, &name));
  EXPECT_EQ(name, "unchanged");
}

}  // namespace

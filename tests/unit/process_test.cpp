// sys::has_ended, the hint that chooses which dead processes' records an
// exit sweeps (namespace/dead_records.hpp).
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>

#include "sys/process.hpp"

namespace {

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

}  // namespace

// A namespace root of the test process's own, so that tests never touch
// /dev/shm/ntsem of the machine or meet another test's objects: a fresh
// directory under /dev/shm (tmpfs, as the real root), named in NTSEM_ROOT,
// with NTSEM_SESSION set to `test_session`.  Children inherit both.
//
// Register it before any named call, from the test file:
//   const auto* const root = ::testing::AddGlobalTestEnvironment(
//       new ntsem::test::private_namespace_root);
// The library opens a scope's directory once per process, so the root is
// one per test process (CTest runs each case in a process of its own).
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace ntsem::test {

inline constexpr const char* test_session = "test";

class private_namespace_root : public ::testing::Environment {
 public:
  void SetUp() override;
  // Removes the root and everything in it.
  void TearDown() override;
  // The root's path (empty before SetUp).
  static const std::string& path();
};

}  // namespace ntsem::test

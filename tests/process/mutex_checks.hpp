// Checks shared by the tests of named mutexes across processes: who owns a
// mutex, and whether it was left abandoned.
#pragma once

#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include <ntsem/windows.h>

#include "support/child_process.hpp"
#include "support/named_objects.hpp"

namespace ntsem::test {

// Whether nobody owns `m` any more, nor was it left abandoned: this thread
// takes it at once with WAIT_OBJECT_0 (and gives it back).
inline ::testing::AssertionResult free_and_not_abandoned(HANDLE m) {
  const DWORD taken = WaitForSingleObject(m, 0);
  if (taken != WAIT_OBJECT_0) return ::testing::AssertionFailure() << "wait returned " << taken;
  if (!ReleaseMutex(m)) return ::testing::AssertionFailure() << "release failed";
  return ::testing::AssertionSuccess();
}

// G, an engine_child that owns its mutex, releases it and is killed at
// fault point `point`, which it must reach.
inline void release_and_die_at(child_process& g, const std::string& point) {
  ASSERT_EQ(g.ask("arm-fault " + point), "armed");
  g.send("release-mutex");
  EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL));
  for (const std::string& line : g.read_all()) ADD_FAILURE() << "the releaser said: " << line;
}

// Mutexes m1 and m2, named here, m1 owned by this thread (and m2 if
// `second_owned`), and T, an ntsem_child asleep in a wait for m1 (h0) or
// m2 (h1): its pending slot covers m1, the lowest (INV-COVER), so a
// release of m2 tells T and holds m2 for T's entry (INV-OFFER).
class two_mutex_wait {
 public:
  two_mutex_wait(const std::string& prefix, bool second_owned)
      : first_(unique_name(prefix + "-first")), second_(unique_name(prefix + "-second")) {
    m1 = CreateMutexA(nullptr, TRUE, first_.c_str());
    m2 = CreateMutexA(nullptr, second_owned, second_.c_str());
  }
  ~two_mutex_wait() {
    if (m1) {
      EXPECT_TRUE(ReleaseMutex(m1));
      EXPECT_TRUE(CloseHandle(m1));
    }
    if (m2) {
      EXPECT_TRUE(CloseHandle(m2));
    }
  }
  two_mutex_wait(const two_mutex_wait&) = delete;
  two_mutex_wait& operator=(const two_mutex_wait&) = delete;

  const std::string& second() const { return second_; }
  // T asleep in its wait.
  ::testing::AssertionResult queue(child_process& t) {
    if (!m1 || !m2) return ::testing::AssertionFailure() << "CreateMutexA: " << GetLastError();
    if (t.ask("open-mutex " + first_) != "ok h=0 err=0" ||
        t.ask("open-mutex " + second_) != "ok h=1 err=0")
      return ::testing::AssertionFailure() << "T could not open the mutexes";
    return asleep_in_wait(t, "h0 h1");
  }

  HANDLE m1 = nullptr;
  HANDLE m2 = nullptr;

 private:
  std::string first_;
  std::string second_;
};

// The waiter `b` (an ntsem_child whose wait on its h0 was asked for) ends
// with WAIT_ABANDONED and owns `m`: this process cannot take it until b
// releases it, and then takes it free and not abandoned.
inline void expect_abandoned_to(child_process& b, HANDLE m) {
  EXPECT_EQ(b.expect_line(), "result=0x00000080 err=0");
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(b.ask("release-mutex h0"), "ok");
  EXPECT_TRUE(free_and_not_abandoned(m));
  EXPECT_TRUE(b.wait_exit().exited_with(0));
}

// `owner` (an ntsem_child) creates the mutex `name` owned; this process
// opens it with `access`.  Null, with a failure added, if either fails.
inline HANDLE open_mutex_owned_by(child_process& owner, const std::string& name,
                                  DWORD access = SYNCHRONIZE) {
  if (const std::string created = owner.ask("create-mutex " + name + " 1");
      created != "ok h=0 err=0") {
    ADD_FAILURE() << "create-mutex answered " << created;
    return nullptr;
  }
  HANDLE m = OpenMutexA(access, FALSE, name.c_str());
  if (!m) ADD_FAILURE() << "OpenMutexA failed, last error " << GetLastError();
  return m;
}

}  // namespace ntsem::test

// Named objects across fork() (INV-FORK, src/namespace/named_object.cpp): a
// forked child's descriptors share its parent's open file descriptions and
// their locks, so the child must hold each named object in its own right.
// Its exit or CloseHandle must not take the parent's hold away, and its
// handles keep the object alive once the parent has closed its own.  (Tests
// of fork itself: the child shares this process's state on purpose.  Each
// probe of the name is made by another process, an ntsem_child.)
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <string>

#include <ntsem/windows.h>

#include "support/child_process.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::count_of;
using ntsem::test::file_exists;
using ntsem::test::file_of;
using ntsem::test::unique_name;

// A fork()ed child of this process that runs `body`, then exits as `body`
// says (it does not return).
class forked_child {
 public:
  explicit forked_child(const std::function<void()>& body) {
    pid_ = fork();
    if (pid_ == 0) {
      body();
      _exit(0);
    }
  }
  bool started() const { return pid_ > 0; }
  // Whether it exited with status 0.
  bool exited_cleanly() {
    int status = 0;
    return waitpid(pid_, &status, 0) == pid_ && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

 private:
  pid_t pid_ = -1;
};

// Another process creates `name`: "ok h=0 err=183" if it found this
// process's object, which it then releases by one.
std::string probe_create_and_release(child_process& probe, const std::string& name) {
  const std::string created = probe.ask("create-sem " + name + " 3 7");
  if (created == "ok h=0 err=183") {
    EXPECT_EQ(probe.ask("release h0 1"), "ok prev=1");
  }
  return created;
}

// A child forked while this process holds `name` ends by `ending(h)`; this
// process's hold must be whole after it: another process finds the object,
// and the last close here removes the name.
void expect_hold_kept_after(const std::string& name, void (*ending)(HANDLE h)) {
  HANDLE h = CreateSemaphoreA(nullptr, 1, 5, name.c_str());
  ASSERT_NE(h, nullptr);
  forked_child child([h, ending] { ending(h); });
  ASSERT_TRUE(child.started());
  EXPECT_TRUE(child.exited_cleanly());
  child_process probe;
  EXPECT_EQ(probe_create_and_release(probe, name), "ok h=0 err=183");
  EXPECT_EQ(count_of(h), 2);
  EXPECT_TRUE(probe.wait_exit().exited_with(0));
  EXPECT_TRUE(CloseHandle(h));
  EXPECT_FALSE(file_exists(file_of(name)));
}

TEST(ForkedChild, ThatExitsLeavesItsParentsHold) {
  // The leave step at exit runs for the inherited view.
  expect_hold_kept_after(unique_name("fork-exit"), [](HANDLE) { std::exit(0); });
}

TEST(ForkedChild, ThatClosesItsHandleLeavesItsParentsHold) {
  expect_hold_kept_after(unique_name("fork-close"),
                         [](HANDLE h) { _exit(CloseHandle(h) ? 0 : 1); });
}

// The child's inherited handle holds the object after the parent closed
// its own; the child's exit, the last holder's, removes the name.
TEST(ForkedChild, HoldsTheObjectInItsOwnRight) {
  const std::string name = unique_name("fork-holds");
  HANDLE h = CreateSemaphoreA(nullptr, 1, 5, name.c_str());
  ASSERT_NE(h, nullptr);
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  forked_child child([&] {
    char c;
    close(go[1]);
    const bool told = read(go[0], &c, 1) == 1;
    std::exit(told && CloseHandle(h) ? 0 : 1);
  });
  ASSERT_TRUE(child.started());
  close(go[0]);
  EXPECT_TRUE(CloseHandle(h));
  child_process probe;
  EXPECT_EQ(probe_create_and_release(probe, name), "ok h=0 err=183");
  EXPECT_EQ(probe.ask("close h0"), "ok");
  ASSERT_EQ(write(go[1], "x", 1), 1);
  close(go[1]);
  EXPECT_TRUE(child.exited_cleanly());
  EXPECT_FALSE(file_exists(file_of(name)));
  EXPECT_TRUE(probe.wait_exit().exited_with(0));
}

}  // namespace

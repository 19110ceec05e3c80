// Parked views (INV-PARK, src/namespace/named_object.hpp): a process that
// closes its last handle to a named object that other processes still hold
// keeps its view for a later open of the name, holding no lock.  The
// object's life must not notice: a parked view is no holder, and it is
// joined again only as a fresh open would join the file.  Here this test
// process parks; the holders are ntsem_child processes.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include <ntsem/windows.h>

#include "support/child_process.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::file_exists;
using ntsem::test::file_of;
using ntsem::test::semaphore_state;
using ntsem::test::state_of;
using ntsem::test::unique_name;

// A child that holds a new semaphore `name` (initial, maximum) as h0.
void create_in(child_process& child, const std::string& name, int initial, int maximum) {
  ASSERT_EQ(child.ask("create-sem " + name + " " + std::to_string(initial) + " " +
                      std::to_string(maximum)),
            "ok h=0 err=0");
}

// Opens the name here and closes it again: this process parks its view.
void open_and_close(const std::string& name) {
  HANDLE h = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name.c_str());
  ASSERT_NE(h, nullptr) << GetLastError();
  ASSERT_TRUE(CloseHandle(h));
}

// A child holding a semaphore, as h0, of which this process has parked a
// view.
class ParkedView : public ::testing::Test {
 protected:
  std::string park(const std::string& what, int initial, int maximum) {
    const std::string name = unique_name(what);
    create_in(holder, name, initial, maximum);
    open_and_close(name);
    return name;
  }
  child_process holder;
};

TEST_F(ParkedView, SeesWhatTheHoldersDidMeanwhile) {
  const std::string name = park("parked-sees", 0, 5);
  EXPECT_EQ(holder.ask("release h0 3"), "ok prev=0");
  SetLastError(0xDEAD);
  HANDLE h = CreateSemaphoreA(nullptr, 1, 1, name.c_str());
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ALREADY_EXISTS));
  EXPECT_EQ(state_of(h), (semaphore_state{3, 5}));
  EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  EXPECT_EQ(holder.ask("release h0 1"), "ok prev=2");
  CloseHandle(h);
  EXPECT_TRUE(holder.wait_exit().exited_with(0));
}

// The parked view holds no lock: the holder's close is the last one, the
// name goes with it, and the next create makes a new object.
TEST_F(ParkedView, DoesNotKeepTheObjectAlive) {
  const std::string name = park("parked-not-held", 3, 5);
  EXPECT_EQ(holder.ask("close h0"), "ok");
  EXPECT_FALSE(file_exists(file_of(name)));
  SetLastError(0);
  EXPECT_EQ(OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name.c_str()), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_FILE_NOT_FOUND));
  SetLastError(0xDEAD);
  HANDLE fresh = CreateSemaphoreA(nullptr, 0, 1, name.c_str());
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_SUCCESS));
  EXPECT_EQ(state_of(fresh), (semaphore_state{0, 1}));
  CloseHandle(fresh);
  EXPECT_FALSE(file_exists(file_of(name)));
  EXPECT_TRUE(holder.wait_exit().exited_with(0));
}

// Leaves `name` a leftover under a parked view of this process: a child
// creates it (3 of 5), this process opens and closes it, the child is killed.
void leave_parked_leftover(const std::string& name) {
  child_process holder;
  create_in(holder, name, 3, 5);
  open_and_close(name);
  holder.kill(SIGKILL);
  ASSERT_TRUE(holder.wait_exit().killed_by(SIGKILL));
  ASSERT_TRUE(file_exists(file_of(name)));
}

// Its holders killed, the object is a leftover, which the open or create
// that rejoins the parked view must find: an open finds no object, and a
// create re-makes the file in place (the same file) as a new object.
TEST(ParkedViewOfALeftover, FindsTheObjectGoneWhenItsHoldersAreKilled) {
  const std::string name = unique_name("parked-killed");
  leave_parked_leftover(name);
  SetLastError(0);
  EXPECT_EQ(OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name.c_str()), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_FILE_NOT_FOUND));
  EXPECT_FALSE(file_exists(file_of(name)));

  leave_parked_leftover(name);
  SetLastError(0xDEAD);
  HANDLE fresh = CreateSemaphoreA(nullptr, 1, 7, name.c_str());
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_SUCCESS));
  EXPECT_EQ(state_of(fresh), (semaphore_state{1, 7}));
  CloseHandle(fresh);
  EXPECT_FALSE(file_exists(file_of(name)));
}

// A name whose object was replaced, by one of another type, names the new
// one.
TEST_F(ParkedView, IsNotTakenForANewObjectOfTheName) {
  const std::string name = park("parked-replaced", 3, 5);
  EXPECT_EQ(holder.ask("close h0"), "ok");
  EXPECT_EQ(holder.ask("create-event " + name + " 1 0"), "ok h=1 err=0");
  SetLastError(0);
  EXPECT_EQ(OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name.c_str()), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  HANDLE e = OpenEventA(EVENT_ALL_ACCESS, FALSE, name.c_str());
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(WaitForSingleObject(e, 0), WAIT_TIMEOUT);
  CloseHandle(e);
  EXPECT_TRUE(holder.wait_exit().exited_with(0));
}

// A fork()ed child inherits the parked view's descriptor, which shares this
// process's open file description and so its locks.  Were the child to join
// through it, its hold would be this process's too: once the other holder
// left, this process's next open would find no other holder on the file
// and re-make the object the child still holds.  (A test of fork itself:
// the child shares this process's state on purpose.)
TEST_F(ParkedView, IsNotJoinedByAForkedChild) {
  const std::string name = park("parked-fork", 1, 5);

  int to_parent[2], to_child[2];
  ASSERT_EQ(pipe(to_parent), 0);
  ASSERT_EQ(pipe(to_child), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    HANDLE h = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name.c_str());
    const char said = h && ReleaseSemaphore(h, 2, nullptr) ? 'y' : 'n';
    char c;
    if (write(to_parent[1], &said, 1) == 1) (void)!read(to_child[0], &c, 1);
    _exit(0);  // holding h until here
  }
  char said = 0;
  ASSERT_EQ(read(to_parent[0], &said, 1), 1);
  EXPECT_EQ(said, 'y');
  EXPECT_EQ(holder.ask("close h0"), "ok");  // the forked child holds it now
  SetLastError(0xDEAD);
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, name.c_str());
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ALREADY_EXISTS));
  EXPECT_EQ(state_of(h), (semaphore_state{3, 5}));
  ASSERT_EQ(write(to_child[1], "x", 1), 1);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CloseHandle(h);
  EXPECT_FALSE(file_exists(file_of(name)));
  for (int fd : {to_parent[0], to_parent[1], to_child[0], to_child[1]}) close(fd);
  EXPECT_TRUE(holder.wait_exit().exited_with(0));
}

// Descriptors of this process open on files in `directory`.
int descriptors_in(const std::string& directory) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    const std::filesystem::path target = std::filesystem::read_symlink(entry.path(), error);
    if (!error && target.parent_path() == directory) ++count;
  }
  return count;
}

// The park keeps the most recent views and retires its oldest ones a batch
// at a time (named_object.cpp: at least 16 kept, 8 retired together, their
// neighbouring pages zeroed in one call and their descriptors closed in
// one).  A retire touches the retired views alone: here runs of three
// parked views alternate with a view of an object this process keeps
// open, whose page follows each run, and every kept object must work on.
TEST_F(ParkedView, AFullParkRetiresItsOldestViewsAndNothingElse) {
  constexpr int count = 48;
  std::vector<std::string> parked;
  std::vector<HANDLE> kept;
  for (int i = 0; i < count; ++i) {
    const std::string name = unique_name("parked-full-" + std::to_string(i));
    ASSERT_EQ(holder.ask("create-sem " + name + " " + std::to_string(i % 7) + " 9"),
              "ok h=" + std::to_string(i) + " err=0");
    open_and_close(name);
    parked.push_back(name);
    if (i % 3 == 2) {
      const std::string own = unique_name("kept-" + std::to_string(i));
      HANDLE h = CreateSemaphoreA(nullptr, i % 5, 10, own.c_str());
      ASSERT_NE(h, nullptr) << GetLastError();
      kept.push_back(h);
    }
  }
  const std::string directory = std::filesystem::path(file_of(parked[0])).parent_path();
  const int open = descriptors_in(directory);
  EXPECT_GE(open, static_cast<int>(kept.size()) + 16);
  EXPECT_LT(open, static_cast<int>(kept.size()) + 16 + 8);
  for (std::size_t k = 0; k < kept.size(); ++k) {
    LONG previous = -1;
    EXPECT_TRUE(ReleaseSemaphore(kept[k], 1, &previous)) << k << " " << GetLastError();
    EXPECT_EQ(previous, static_cast<LONG>((3 * k + 2) % 5)) << k;
    EXPECT_TRUE(CloseHandle(kept[k]));
  }
  for (int i = 0; i < count; ++i) {
    HANDLE h = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, parked[i].c_str());
    ASSERT_NE(h, nullptr) << i << " " << GetLastError();
    EXPECT_EQ(state_of(h), (semaphore_state{i % 7, 9})) << i;
    EXPECT_TRUE(CloseHandle(h));
  }
  EXPECT_TRUE(holder.wait_exit().exited_with(0));
  for (const std::string& name : parked) EXPECT_FALSE(file_exists(file_of(name))) << name;
}

}  // namespace

// names::reference_held_by: a named object that another process holds,
// reached through that process's descriptor of its file, as a release
// serving that process's wait-all reaches it (namespace/held_elsewhere.hpp).
// The holder is an ntsem_child; the "descriptor of another process" is one
// this process opens on the object's file itself (its own /proc/PID/fd
// link says the same), so that the test knows its number.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "namespace/held_elsewhere.hpp"
#include "namespace/namespace_root.hpp"
#include "shm/named_file.hpp"
#include "support/child_process.hpp"
#include "support/named_objects.hpp"
#include "sys/file.hpp"

namespace {

using ntsem::names::reference_held_by;
using ntsem::object::object_location;
using ntsem::test::child_process;

class HeldElsewhere : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(holder_.ask("create-sem " + name_ + " 3 7"), "ok h=0 err=0");
    const std::string directory = ntsem::names::root_path() + "/" +
                                  ntsem::names::scope_directory_name(ntsem::names::scope::global);
    ntsem::sys::unique_fd d;
    ASSERT_EQ(ntsem::sys::open_directory(directory, &d), ntsem::sys::file_error::ok);
    std::vector<std::string> files;
    ASSERT_EQ(ntsem::sys::list_directory(d.get(), &files), ntsem::sys::file_error::ok);
    ASSERT_EQ(files.size(), 1u);  // the root is this case's own
    path_ = directory + "/" + files[0];
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd_, 0);
    struct stat st {};
    ASSERT_EQ(::fstat(fd_, &st), 0);
    where_ = {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
              offsetof(ntsem::shm::named_file, slot)};
  }
  void TearDown() override {
    if (fd_ >= 0) ::close(fd_);
  }

  bool reach(std::int64_t descriptor, const object_location& where) {
    ntsem::object::object_ref ref;
    ntsem::shm::object_type type = ntsem::shm::object_type::none;
    if (!reference_held_by(static_cast<std::uint32_t>(::getpid()), descriptor, where, &ref, &type))
      return false;
    reached_type_ = type;
    reached_value_ = ntsem::shm::state::value(ref.slot->state.load());
    ntsem::object::drop_ref(ref);
    return true;
  }

  const std::string name_ = "Global\\" + ntsem::test::unique_name("held-elsewhere");
  child_process holder_;
  std::string path_;
  int fd_ = -1;
  object_location where_;
  ntsem::shm::object_type reached_type_ = ntsem::shm::object_type::none;
  std::uint32_t reached_value_ = 0;
};

TEST_F(HeldElsewhere, IsOpenedByTheNameOfTheFileTheDescriptorOpens) {
  ASSERT_TRUE(reach(fd_, where_));
  EXPECT_EQ(reached_type_, ntsem::shm::object_type::semaphore);
  EXPECT_EQ(reached_value_, 3u);
}

// The published location and descriptor are untrusted: each must agree
// with the file the name names.
TEST_F(HeldElsewhere, NotWhenTheLocationIsNotTheFiles) {
  object_location other_inode = where_;
  ++other_inode.inode;
  EXPECT_FALSE(reach(fd_, other_inode));
  object_location other_offset = where_;
  other_offset.offset += 64;
  EXPECT_FALSE(reach(fd_, other_offset));
  EXPECT_FALSE(reach(-1, where_));
}

// A file of the same name elsewhere is no object of this process's scopes:
// the name leads to the scope's file, whose location is not that file's.
TEST_F(HeldElsewhere, NotThroughAFileOfTheSameNameOutsideTheScopeDirectories) {
  const std::string elsewhere = "/tmp/" + path_.substr(path_.rfind('/') + 1);
  const int other = ::open(elsewhere.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  ASSERT_GE(other, 0);
  struct stat st {};
  ASSERT_EQ(::fstat(other, &st), 0);
  const object_location its_own{static_cast<std::uint64_t>(st.st_dev),
                                static_cast<std::uint64_t>(st.st_ino), where_.offset};
  EXPECT_FALSE(reach(other, its_own));
  ::unlink(elsewhere.c_str());
  ::close(other);
}

// Once the holder has gone (and with it the object), nothing is reached.
TEST_F(HeldElsewhere, NotOnceTheObjectHasDied) {
  EXPECT_TRUE(holder_.wait_exit().exited_with(0));
  EXPECT_FALSE(reach(fd_, where_));
}

}  // namespace

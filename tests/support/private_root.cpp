#include "support/private_root.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace ntsem::test {
namespace {

std::string& root_path() {
  static std::string path;
  return path;
}

}  // namespace

void private_namespace_root::SetUp() {
  std::string path = "/dev/shm/ntsem-test-root.XXXXXX";
  if (::mkdtemp(path.data()) == nullptr) throw std::runtime_error("mkdtemp " + path);
  // 1777 as the real root: children running as another user reach it too.
  if (::chmod(path.c_str(), 01777) != 0) throw std::runtime_error("chmod " + path);
  ::setenv("NTSEM_ROOT", path.c_str(), 1);
  ::setenv("NTSEM_SESSION", test_session, 1);
  root_path() = path;
}

void private_namespace_root::TearDown() {
  std::error_code ignored;
  std::filesystem::remove_all(root_path(), ignored);
}

const std::string& private_namespace_root::path() { return root_path(); }

}  // namespace ntsem::test

#include "support/named_objects.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <optional>

#include "namespace/namespace_root.hpp"

namespace ntsem::test {

std::string unique_name(const std::string& what) {
  return "ntsem-test-" + std::to_string(getpid()) + "-" + what;
}

std::string file_of(const std::string& win32_name) {
  std::optional<names::parsed_name> parsed;
  if (names::parse_create_name(win32_name.c_str(), &parsed) != STATUS_SUCCESS || !parsed)
    return {};
  return names::root_path() + "/" + names::scope_directory_name(parsed->where) + "/" +
         names::file_name_for(*parsed);
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace ntsem::test

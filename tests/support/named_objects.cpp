#include "support/named_objects.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <optional>

#include <ntsem/sddl.h>

#include "namespace/namespace_root.hpp"
#include "support/child_process.hpp"
#include "support/semaphore_state.hpp"

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

std::string directory_path(const std::string& directory) {
  return names::root_path() + "/" + directory;
}

std::vector<std::string> files_in(const std::string& directory) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory_path(directory), error))
    names.push_back(entry.path().filename().string());
  std::ranges::sort(names);
  return names;
}

sddl_descriptor::sddl_descriptor(const std::string& sddl) {
  ok_ = ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl.c_str(), SDDL_REVISION_1, &sd_,
                                                             nullptr);
  attributes_ = {sizeof(SECURITY_ATTRIBUTES), sd_, FALSE};
}

sddl_descriptor::~sddl_descriptor() { LocalFree(sd_); }

int mode_of_new_object(const char* sddl, named_create create) {
  PSECURITY_DESCRIPTOR sd = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl, SDDL_REVISION_1, &sd, nullptr))
    return -1;
  SECURITY_ATTRIBUTES sa{sizeof(sa), sd, FALSE};
  static int created = 0;
  const std::string name = unique_name("mode-" + std::to_string(++created));
  HANDLE h = create(&sa, name.c_str());
  LocalFree(sd);
  if (!h) return -1;
  struct stat st {};
  const bool found = ::stat(file_of(name).c_str(), &st) == 0;
  CloseHandle(h);
  return found ? static_cast<int>(st.st_mode & 07777) : -1;
}

std::string creates_fresh(const std::string& win32_name, int initial, int maximum) {
  SetLastError(untouched_error);
  HANDLE h = CreateSemaphoreA(nullptr, initial, maximum, win32_name.c_str());
  const DWORD error = GetLastError();
  if (h == nullptr) return "failed, last error " + std::to_string(error);
  const semaphore_state state = state_of(h);
  CloseHandle(h);
  if (error != ERROR_SUCCESS) return "last error " + std::to_string(error);
  if (state != semaphore_state{initial, maximum})
    return "counts " + std::to_string(state.count) + "/" + std::to_string(state.maximum);
  return {};
}

std::string leave_leftover(const std::string& win32_name, int initial, int maximum,
                           std::vector<std::string> environment) {
  child_options options;
  options.environment = std::move(environment);
  child_process child(std::move(options));
  const std::string created = child.ask("create-sem " + win32_name + " " + std::to_string(initial) +
                                        " " + std::to_string(maximum));
  if (created != "ok h=0 err=0") return "create-sem: " + created;
  child.kill(SIGKILL);
  const exit_status status = child.wait_exit();
  return status.killed_by(SIGKILL) ? std::string() : "the child " + status.describe();
}

}  // namespace ntsem::test

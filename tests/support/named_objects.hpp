// Named-object helpers for tests: unique names, and the files behind them.
#pragma once

#include <string>
#include <vector>

#include <ntsem/windows.h>

#include "namespace/object_name.hpp"

namespace ntsem::test {

// A name no other test or run uses: it embeds the process id and `what`.
std::string unique_name(const std::string& what);

// The path of the file that holds the object named `win32_name` (as given to
// CreateSemaphoreA), and whether it exists.
std::string file_of(const std::string& win32_name);
bool file_exists(const std::string& path);

// The path of a namespace directory ("global", "session-<id>") and every
// entry in it ('.'-files too), sorted; empty if it does not exist.
std::string directory_path(const std::string& directory);
std::vector<std::string> files_in(const std::string& directory);

// Makes a named object: CreateSemaphoreA, CreateEventA, ... with these
// attributes and name, and the type's own arguments.
using named_create = HANDLE (*)(SECURITY_ATTRIBUTES* attributes, const char* win32_name);

// The permission bits of the file of a new object made by `create` with the
// descriptor `sddl` (under a name of its own); the object is closed again.
// -1 if the descriptor does not convert, the create fails or the file is
// not there.
int mode_of_new_object(const char* sddl, named_create create);

// Attributes with a self-relative descriptor made from SDDL (freed with
// LocalFree at the end); ok() says whether the SDDL converted.
class sddl_descriptor {
 public:
  explicit sddl_descriptor(const std::string& sddl);
  ~sddl_descriptor();
  sddl_descriptor(const sddl_descriptor&) = delete;
  sddl_descriptor& operator=(const sddl_descriptor&) = delete;
  bool ok() const { return ok_; }
  SECURITY_ATTRIBUTES* attributes() { return &attributes_; }

 private:
  PSECURITY_DESCRIPTOR sd_ = nullptr;
  BOOL ok_ = FALSE;
  SECURITY_ATTRIBUTES attributes_{};
};

// Empty if CreateSemaphoreA(NULL, initial, maximum, win32_name) makes a new
// object (last error 0) with those counts; else what it did.  The handle is
// closed again.
std::string creates_fresh(const std::string& win32_name, int initial, int maximum);

// Makes a leftover: a child (ntsem_child) creates the semaphore `win32_name`
// with the counts given and is killed with SIGKILL while it holds it.
// `environment` as in child_options.  Empty on success, else what went
// wrong.
std::string leave_leftover(const std::string& win32_name, int initial, int maximum,
                           std::vector<std::string> environment = {});

}  // namespace ntsem::test

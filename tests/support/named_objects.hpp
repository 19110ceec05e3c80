// Named-object helpers for tests: unique names, and the files behind them.
#pragma once

#include <string>

#include "namespace/object_name.hpp"

namespace ntsem::test {

// A name no other test or run uses: it embeds the process id and `what`.
std::string unique_name(const std::string& what);

// The path of the file that holds the object named `win32_name` (as given to
// CreateSemaphoreA), and whether it exists.
std::string file_of(const std::string& win32_name);
bool file_exists(const std::string& path);

}  // namespace ntsem::test

// Starting the helper engine_child (tests/child/engine_child.cpp), for the
// tests of the wait engine's foundations.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "support/child_process.hpp"

namespace ntsem::test {

inline child_process start_engine_child(std::vector<std::string> commands = {}) {
  child_options options;
  options.path = ENGINE_CHILD_PATH;
  options.commands = std::move(commands);
  return child_process(std::move(options));
}

}  // namespace ntsem::test

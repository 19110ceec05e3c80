// Starting and reading the helper engine_child (tests/child/engine_child.cpp),
// for the tests of the wait engine's foundations.
#pragma once

#include <gtest/gtest.h>

#include <csignal>
#include <stdexcept>
#include <string>
#include <optional>
#include <utility>
#include <vector>

#include "namespace/namespace_root.hpp"
#include "namespace/process_record.hpp"
#include "process/shared_page.hpp"
#include "support/child_process.hpp"

namespace ntsem::test {

// `user`: run it as that user (child_process::can_switch_user()).
inline child_process start_engine_child(std::vector<std::string> commands = {},
                                        std::optional<user_ids> user = {}) {
  child_options options;
  options.path = ENGINE_CHILD_PATH;
  options.commands = std::move(commands);
  options.user = user;
  return child_process(std::move(options));
}

// An engine_child that has mapped `page`.
inline child_process start_engine_child_on(const shared_page& page) {
  child_process child = start_engine_child({"map " + page.path()});
  if (child.expect_line() != "mapped") throw std::runtime_error("child did not map the page");
  return child;
}

inline void kill_and_reap(child_process& child) {
  ASSERT_TRUE(child.kill(SIGKILL));
  ASSERT_TRUE(child.wait_exit().killed_by(SIGKILL));
}

// The record name in a child's "WHAT NAME" answer ("record NAME", ...).
inline names::record_name record_in(const std::string& line, const std::string& what) {
  names::record_name name;
  if (line.rfind(what + " ", 0) != 0 ||
      !names::parse_record_file_name(line.substr(what.size() + 1), &name))
    ADD_FAILURE() << "expected \"" << what << " NAME\", got: " << line;
  return name;
}

// The record of an engine_child that made one and was then killed with
// SIGKILL: the file stays behind, its liveness lock free.
inline names::record_name killed_engine_childs_record() {
  child_process child = start_engine_child();
  const names::record_name name = record_in(child.ask("record"), "record");
  kill_and_reap(child);
  return name;
}

// Where a record's file is, under the test's namespace root.
inline std::string record_path(const names::record_name& name) {
  return names::root_path() + "/" + names::records_directory_name + "/" +
         names::record_file_name(name);
}

}  // namespace ntsem::test

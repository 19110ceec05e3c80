// A sub-command of the ntsem tool, and the exit codes every command shares.
#pragma once

#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ntsem_tool {

// The exit codes are part of the tool's interface (scripts test them), so
// they are fixed here once and documented in the help.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // a call failed or a check did not hold
inline constexpr int exit_usage = 2;    // the command line was wrong

// Thrown for anything wrong with the command line; main() turns it into a
// message on stderr and exit_usage, so commands never print usage errors
// themselves.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using Arguments = std::span<const std::string_view>;

struct Command {
  std::string_view name;
  std::string_view summary;  // one line, for the overview
  void (*print_help)(std::ostream& out);
  int (*run)(Arguments arguments);  // arguments after the command name
  // Run by the tool itself, never by a person: left out of the overview, but
  // found by name and with a help of its own that says so.
  bool internal;
};

// Every command, in the order the overview lists them (internal ones too).
std::span<const Command> all_commands();

// nullptr when there is no command of that name.
const Command* find_command(std::string_view name);

}  // namespace ntsem_tool

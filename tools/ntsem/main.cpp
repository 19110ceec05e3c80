// ntsem: the command-line tool.  main() only dispatches to a sub-command and
// turns what went wrong into a message and an exit code.
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "command.hpp"
#include "help.hpp"

using namespace ntsem_tool;

namespace {

bool is_help_flag(std::string_view argument) { return argument == "--help" || argument == "-h"; }

bool asks_for_help(Arguments arguments) {
  for (const std::string_view argument : arguments) {
    if (argument == "--") {
      return false;
    }
    if (is_help_flag(argument)) {
      return true;
    }
  }
  return false;
}

// `--help` is handled here for every command, so that no command can forget it
// and no option parser has to know about it.
int dispatch(Arguments arguments) {
  if (arguments.empty()) {
    print_overview(std::cerr);
    return exit_usage;
  }
  const std::string_view first = arguments.front();
  if (is_help_flag(first)) {
    print_overview(std::cout);
    return exit_ok;
  }
  if (first == "--version") {
    print_version(std::cout);
    return exit_ok;
  }
  const Command* command = find_command(first);
  if (command == nullptr) {
    throw UsageError(first.starts_with('-') ? "unknown option '" + std::string(first) + "'"
                                            : "unknown command '" + std::string(first) + "'");
  }
  const Arguments rest = arguments.subspan(1);
  if (asks_for_help(rest)) {
    command->print_help(std::cout);
    return exit_ok;
  }
  try {
    return command->run(rest);
  } catch (const UsageError& error) {
    std::cerr << "ntsem " << command->name << ": " << error.what() << "\n"
              << "Run 'ntsem " << command->name << " --help' for usage.\n";
    return exit_usage;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> arguments(argv + 1, argv + argc);
  try {
    return dispatch(arguments);
  } catch (const UsageError& error) {
    std::cerr << "ntsem: " << error.what() << "\n"
              << "Run 'ntsem --help' for usage.\n";
    return exit_usage;
  } catch (const std::exception& error) {
    std::cerr << "ntsem: " << error.what() << '\n';
    return exit_failure;
  }
}

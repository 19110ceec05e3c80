#include "help.hpp"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <string>

namespace ntsem_tool {

void print_exit_codes(std::ostream& out) {
  out << "Exit status:\n"
         "  0  success\n"
         "  1  runtime failure: a call failed or a check did not hold\n"
         "  2  usage error: unknown command, bad option or bad value\n";
}

void print_overview(std::ostream& out) {
  out << "Usage: ntsem <command> [options]\n"
         "       ntsem --help | --version\n"
         "\n"
         "Windows semaphores on Linux, seen from the command line.\n"
         "\n"
         "Commands:\n";
  std::size_t longest = 0;
  for (const Command& command : all_commands()) {
    if (!command.internal) {
      longest = std::max(longest, command.name.size());
    }
  }
  for (const Command& command : all_commands()) {
    if (!command.internal) {
      out << "  " << std::left << std::setw(static_cast<int>(longest) + 2)
          << std::string(command.name) << command.summary << '\n';
    }
  }
  out << "\n"
         "Options:\n"
         "  -h, --help  show this help\n"
         "  --version   print the version\n"
         "\n"
         "Run 'ntsem <command> --help' for the options of a command.\n"
         "\n";
  print_exit_codes(out);
}

void print_help_help(std::ostream& out) {
  out << "Usage: ntsem help [command]\n"
         "\n"
         "Without a command, show the overview of ntsem; with one, show the help\n"
         "of that command (the same as 'ntsem <command> --help').\n"
         "\n";
  print_exit_codes(out);
}

int run_help(Arguments arguments) {
  if (arguments.empty()) {
    print_overview(std::cout);
    return exit_ok;
  }
  if (arguments.size() > 1) {
    throw UsageError("help takes at most one command name");
  }
  const Command* command = find_command(arguments.front());
  if (command == nullptr) {
    throw UsageError("no such command '" + std::string(arguments.front()) + "'");
  }
  command->print_help(std::cout);
  return exit_ok;
}

void print_version(std::ostream& out) { out << "ntsem " << NTSEM_TOOL_VERSION << '\n'; }

}  // namespace ntsem_tool

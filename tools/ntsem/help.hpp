// The overview of the tool and the `help` command.
#pragma once

#include <ostream>

#include "command.hpp"

namespace ntsem_tool {

// Usage of the tool as a whole: commands, global options, exit codes.
void print_overview(std::ostream& out);

// The exit-status section every help text ends with.
void print_exit_codes(std::ostream& out);

void print_help_help(std::ostream& out);
int run_help(Arguments arguments);

// The name and version line printed by --version.
void print_version(std::ostream& out);

}  // namespace ntsem_tool

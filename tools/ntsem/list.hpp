// `ntsem list`: the named objects of the namespace, and any other file there.
#pragma once

#include <ostream>

#include "command.hpp"

namespace ntsem_tool {

void print_list_help(std::ostream& out);
int run_list(Arguments arguments);

}  // namespace ntsem_tool

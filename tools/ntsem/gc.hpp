// `ntsem gc`: lists and removes the files that killed processes left behind.
#pragma once

#include <ostream>

#include "command.hpp"

namespace ntsem_tool {

void print_gc_help(std::ostream& out);
int run_gc(Arguments arguments);

}  // namespace ntsem_tool

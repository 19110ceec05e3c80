// `ntsem demo`: workers taking turns on one semaphore, shown live.
#pragma once

#include <ostream>

#include "command.hpp"

namespace ntsem_tool {

void print_demo_help(std::ostream& out);
int run_demo(Arguments arguments);

}  // namespace ntsem_tool

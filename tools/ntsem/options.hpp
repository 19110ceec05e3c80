// Integer options of the form `--name N` or `--name=N`, declared once as a
// table that serves both the parser and the help text.
#pragma once

#include <ostream>
#include <span>
#include <string_view>

#include "command.hpp"

namespace ntsem_tool {

struct IntegerOption {
  std::string_view name;         // with its dashes: "--workers"
  std::string_view placeholder;  // "N"
  std::string_view description;
  int minimum;
  int maximum;
  int* value;  // holds the default until parse_options() stores the given value
};

// Stores each given value through its option's pointer.  Throws UsageError for
// an unknown option, a stray argument, a missing value, or a value that is not
// an integer in [minimum, maximum].
void parse_options(Arguments arguments, std::span<const IntegerOption> options);

// One line per option with its range and its current value as the default.
void print_options(std::ostream& out, std::span<const IntegerOption> options);

}  // namespace ntsem_tool

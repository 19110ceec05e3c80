// Options of the form `--name VALUE` or `--name=VALUE`, integers or text,
// and flags (`--name`), declared once as tables that serve both the parser
// and the help text.
#pragma once

#include <ostream>
#include <span>
#include <string>
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

struct TextOption {
  std::string_view name;  // with its dashes: "--name"
  std::string_view placeholder;
  std::string_view description;
  std::string* value;  // holds the default until parse_options() stores the given value
};

struct FlagOption {
  std::string_view name;  // with its dashes: "--dry-run"
  std::string_view description;
  bool* value;  // set to true when the flag is given
};

// Stores each given value through its option's pointer.  Throws UsageError for
// an unknown option, a stray argument, a missing value, an empty text, a
// value that is not an integer in [minimum, maximum], or a value given to a
// flag.
void parse_options(Arguments arguments, std::span<const IntegerOption> options,
                   std::span<const TextOption> text_options = {},
                   std::span<const FlagOption> flag_options = {});

// One line per option with its range and its current value as the default;
// the text options first, the flags last.
void print_options(std::ostream& out, std::span<const IntegerOption> options,
                   std::span<const TextOption> text_options = {},
                   std::span<const FlagOption> flag_options = {});

}  // namespace ntsem_tool

#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <iomanip>
#include <string>
#include <system_error>

namespace ntsem_tool {

namespace {

const IntegerOption& find_option(std::span<const IntegerOption> options, std::string_view name) {
  const auto found = std::ranges::find(options, name, &IntegerOption::name);
  if (found == options.end()) {
    throw UsageError(name.starts_with('-') ? "unknown option '" + std::string(name) + "'"
                                           : "unexpected argument '" + std::string(name) + "'");
  }
  return *found;
}

std::string range_text(const IntegerOption& option) {
  return std::to_string(option.minimum) + ".." + std::to_string(option.maximum);
}

int parse_value(const IntegerOption& option, std::string_view text) {
  // Parsed wider than int so that a huge number is reported as out of range
  // rather than as "not a number".
  long long parsed = 0;
  const char* const end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, parsed);
  if (text.empty() || error == std::errc::invalid_argument || stop != end) {
    throw UsageError(std::string(option.name) + " needs an integer, not '" + std::string(text) +
                     "'");
  }
  if (error == std::errc::result_out_of_range || parsed < option.minimum ||
      parsed > option.maximum) {
    throw UsageError(std::string(option.name) + " must be in " + range_text(option) + ", not " +
                     std::string(text));
  }
  return static_cast<int>(parsed);
}

}  // namespace

void parse_options(Arguments arguments, std::span<const IntegerOption> options) {
  for (std::size_t index = 0; index < arguments.size(); ++index) {
    const std::string_view argument = arguments[index];
    const std::size_t equals = argument.find('=');
    const bool value_attached = argument.starts_with("--") && equals != std::string_view::npos;
    const IntegerOption& option =
        find_option(options, argument.substr(0, value_attached ? equals : argument.size()));
    if (value_attached) {
      *option.value = parse_value(option, argument.substr(equals + 1));
    } else if (index + 1 < arguments.size()) {
      *option.value = parse_value(option, arguments[++index]);
    } else {
      throw UsageError(std::string(option.name) + " needs a value");
    }
  }
}

void print_options(std::ostream& out, std::span<const IntegerOption> options) {
  std::size_t widest = 0;
  for (const IntegerOption& option : options) {
    widest = std::max(widest, option.name.size() + 1 + option.placeholder.size());
  }
  for (const IntegerOption& option : options) {
    const std::string synopsis = std::string(option.name) + ' ' + std::string(option.placeholder);
    out << "  " << std::left << std::setw(static_cast<int>(widest) + 2) << synopsis
        << option.description << " (" << range_text(option) << ", default " << *option.value
        << ")\n";
  }
}

}  // namespace ntsem_tool

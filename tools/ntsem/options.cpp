#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <string>
#include <system_error>

namespace ntsem_tool {

namespace {

[[noreturn]] void reject_unknown(std::string_view name) {
  throw UsageError(name.starts_with('-') ? "unknown option '" + std::string(name) + "'"
                                         : "unexpected argument '" + std::string(name) + "'");
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

void parse_options(Arguments arguments, std::span<const IntegerOption> options,
                   std::span<const TextOption> text_options,
                   std::span<const FlagOption> flag_options) {
  for (std::size_t index = 0; index < arguments.size(); ++index) {
    const std::string_view argument = arguments[index];
    const std::size_t equals = argument.find('=');
    const bool value_attached = argument.starts_with("--") && equals != std::string_view::npos;
    const std::string_view name = argument.substr(0, value_attached ? equals : argument.size());
    const auto integer = std::ranges::find(options, name, &IntegerOption::name);
    const auto text = std::ranges::find(text_options, name, &TextOption::name);
    const auto flag = std::ranges::find(flag_options, name, &FlagOption::name);
    if (flag != flag_options.end()) {
      if (value_attached) {
        throw UsageError(std::string(name) + " takes no value");
      }
      *flag->value = true;
      continue;
    }
    if (integer == options.end() && text == text_options.end()) {
      reject_unknown(name);
    }
    std::string_view value;
    if (value_attached) {
      value = argument.substr(equals + 1);
    } else if (index + 1 < arguments.size()) {
      value = arguments[++index];
    } else {
      throw UsageError(std::string(name) + " needs a value");
    }
    if (integer != options.end()) {
      *integer->value = parse_value(*integer, value);
    } else if (value.empty()) {
      throw UsageError(std::string(name) + " needs a non-empty value");
    } else {
      *text->value = std::string(value);
    }
  }
}

void print_options(std::ostream& out, std::span<const IntegerOption> options,
                   std::span<const TextOption> text_options,
                   std::span<const FlagOption> flag_options) {
  std::size_t widest = 0;
  for (const FlagOption& option : flag_options) {
    widest = std::max(widest, option.name.size());
  }
  for (const TextOption& option : text_options) {
    widest = std::max(widest, option.name.size() + 1 + option.placeholder.size());
  }
  for (const IntegerOption& option : options) {
    widest = std::max(widest, option.name.size() + 1 + option.placeholder.size());
  }
  const auto synopsis = [&](std::string_view name, std::string_view placeholder) {
    std::string text(name);
    text += ' ';
    text += placeholder;
    text.resize(std::max(text.size(), widest + 2), ' ');
    return text;
  };
  for (const TextOption& option : text_options) {
    out << "  " << synopsis(option.name, option.placeholder) << option.description;
    if (!option.value->empty()) {
      out << " (default " << *option.value << ")";
    }
    out << '\n';
  }
  for (const IntegerOption& option : options) {
    out << "  " << synopsis(option.name, option.placeholder) << option.description << " ("
        << range_text(option) << ", default " << *option.value << ")\n";
  }
  for (const FlagOption& option : flag_options) {
    out << "  " << synopsis(option.name, "") << option.description << '\n';
  }
}

}  // namespace ntsem_tool

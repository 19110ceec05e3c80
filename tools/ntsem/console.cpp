#include "console.hpp"

#include <unistd.h>

#include <cstdlib>

namespace ntsem_tool {

namespace {

bool wants_colour(std::FILE* out) {
  const char* const term = std::getenv("TERM");
  return isatty(fileno(out)) == 1 && std::getenv("NO_COLOR") == nullptr &&
         (term == nullptr || std::string_view(term) != "dumb");
}

std::string_view escape_code(Colour colour) {
  switch (colour) {
    case Colour::green:
      return "\x1b[32m";
    case Colour::yellow:
      return "\x1b[33m";
    case Colour::red:
      return "\x1b[1;31m";
    case Colour::dim:
      return "\x1b[2m";
  }
  return "";
}

}  // namespace

Console::Console(std::FILE* out) : out_(out), use_colour_(wants_colour(out)) {}

std::string Console::paint(std::string_view text, Colour colour) const {
  if (!use_colour_) {
    return std::string(text);
  }
  std::string painted(escape_code(colour));
  painted += text;
  painted += "\x1b[0m";
  return painted;
}

void Console::line(std::string_view text) {
  std::string whole(text);
  whole += '\n';
  const std::lock_guard lock(writing_);
  std::fwrite(whole.data(), 1, whole.size(), out_);
  std::fflush(out_);
}

}  // namespace ntsem_tool

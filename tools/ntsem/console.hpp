// Standard output shared by several threads: whole lines, never interleaved,
// coloured only when a person is watching.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace ntsem_tool {

enum class Colour { green, yellow, red, dim };

class Console {
 public:
  // Colour is used when `out` is a terminal, unless NO_COLOR is set or the
  // terminal is "dumb".
  explicit Console(std::FILE* out);

  // `text` wrapped in the escape codes of `colour`, or unchanged without colour.
  [[nodiscard]] std::string paint(std::string_view text, Colour colour) const;

  // Writes `text` and a newline at once and flushes, so that a line is seen
  // when its event happens even when the output is a pipe.
  void line(std::string_view text);

 private:
  std::FILE* out_;
  bool use_colour_;
  std::mutex writing_;
};

}  // namespace ntsem_tool

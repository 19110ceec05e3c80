// The helper processes' output: one result line on stdout, flushed at once,
// because the test reads it line by line and synchronises on it
// (support/child_process.hpp).  Diagnostics go to stderr, never here.
#pragma once

#include <cstdarg>
#include <cstdio>

namespace ntsem::test {

__attribute__((format(printf, 1, 2))) inline void say(const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  std::vfprintf(stdout, format, args);
  va_end(args);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace ntsem::test

// What the demo shows and what its verdict rests on: who is inside the section
// the semaphore guards, one timestamped line per event with a picture of the
// units in use, and the most workers that were ever inside at once.
//
// Only the demo's main process drives it, one report of the worker processes
// at a time, in the order the reports arrived on their shared pipe (see
// demo_worker.cpp for why that order is safe to count in).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "console.hpp"

namespace ntsem_tool {

class DemoStage {
 public:
  DemoStage(Console& console, int maximum_count, int worker_count);

  // The process of a worker (from 1), once it is started.
  void set_pid(int worker, pid_t pid);

  // A worker reported that its wait succeeded / that it is about to release.
  void enter(int worker);
  void leave(int worker);

  // A timestamped line about something other than a worker's entry or exit.
  void announce(std::string_view text, Colour colour);
  // The same, about one worker: "worker 3 (pid 4711) <text>".
  void tell(int worker, std::string_view text, Colour colour);

  // "worker 3 (pid 4711)"; `aligned` pads the numbers for the live lines.
  [[nodiscard]] std::string name(int worker, bool aligned = false) const;

  [[nodiscard]] int inside() const { return inside_; }
  [[nodiscard]] int peak() const { return peak_; }
  [[nodiscard]] int entries() const { return entries_; }

 private:
  void record(int worker, std::string_view verb, Colour colour, int change);
  [[nodiscard]] std::string timestamp() const;
  [[nodiscard]] std::string picture(int occupants) const;

  Console& console_;
  const int maximum_count_;
  const int worker_digits_;
  int pid_digits_ = 1;
  std::vector<pid_t> pids_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();

  int inside_ = 0;
  int peak_ = 0;
  int entries_ = 0;
};

}  // namespace ntsem_tool

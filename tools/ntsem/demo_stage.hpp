// What the demo shows and what its verdict rests on: who is inside the section
// the semaphore guards, one timestamped line per event with a picture of the
// units in use, and the most workers that were ever inside at once.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

#include "console.hpp"

namespace ntsem_tool {

class DemoStage {
 public:
  DemoStage(Console& console, int maximum_count, int worker_count);

  // Called by a worker just after its wait succeeded / just before it releases.
  void enter(int worker);
  void leave(int worker);

  // A timestamped line about something other than a worker's entry or exit.
  void announce(std::string_view text, Colour colour);

  [[nodiscard]] int inside() const { return inside_.load(); }
  [[nodiscard]] int peak() const { return peak_.load(); }
  [[nodiscard]] int entries() const { return entries_.load(); }

 private:
  void record(int worker, std::string_view verb, Colour colour, int change);
  [[nodiscard]] std::string timestamp() const;
  [[nodiscard]] std::string picture(int occupants) const;

  Console& console_;
  const int maximum_count_;
  const int worker_digits_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();

  // Held while a count changes and its line is written, so that the lines come
  // out in the order of the changes and each shows the count its event left.
  // It does not keep workers out of the section: only the semaphore does.
  std::mutex recording_;
  std::atomic<int> inside_{0};
  std::atomic<int> peak_{0};
  std::atomic<int> entries_{0};
};

}  // namespace ntsem_tool

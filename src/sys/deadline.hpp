// The one internal timeout type.  Every face converts its own form (Win32
// milliseconds with INFINITE, NT LARGE_INTEGER, std::chrono) into a deadline
// once, at entry.  A relative timeout stays relative (no clock is read) until
// a wait actually has to block; then resolve() fixes it to an absolute instant,
// so a wait interrupted by a signal resumes with exactly the time that remains.
#pragma once

#include <cstdint>

namespace ntsem::sys {

enum class clock_kind : std::uint8_t {
  monotonic,  // relative timeouts: immune to changes of the system clock
  realtime,   // absolute system times (NT positive timeouts): follow the clock
};

class deadline {
 public:
  static constexpr deadline infinite() { return deadline(kind::infinite, clock_kind::monotonic, 0); }
  static constexpr deadline poll() { return deadline(kind::poll, clock_kind::monotonic, 0); }
  // `ns` from the moment the wait resolves it (on the monotonic clock).  A zero
  // or negative span polls.
  static constexpr deadline after_ns(std::int64_t ns) {
    return ns <= 0 ? poll() : deadline(kind::relative, clock_kind::monotonic, ns);
  }
  static constexpr deadline after_ms(std::uint32_t ms) {
    return after_ns(std::int64_t{ms} * 1'000'000);
  }
  // An absolute instant on the given clock, in nanoseconds since its epoch.
  static constexpr deadline at_ns(clock_kind clock, std::int64_t ns) {
    return deadline(kind::at, clock, ns);
  }

  bool is_infinite() const { return kind_ == kind::infinite; }
  bool is_poll() const { return kind_ == kind::poll; }
  bool is_relative() const { return kind_ == kind::relative; }
  clock_kind clock() const { return clock_; }
  // The absolute instant (for `at`) or the span (for `relative`).
  std::int64_t ns() const { return ns_; }

  // The same deadline with a relative span fixed to now + span.  Waits resolve
  // once, before they first block; everything below them sees only resolved
  // deadlines.
  deadline resolved() const;
  // True once the instant has passed (always for poll, never for infinite).
  // Only for resolved deadlines.
  bool expired() const;

 private:
  enum class kind : std::uint8_t { infinite, poll, relative, at };
  constexpr deadline(kind k, clock_kind c, std::int64_t ns) : kind_(k), clock_(c), ns_(ns) {}
  kind kind_;
  clock_kind clock_;
  std::int64_t ns_;
};

// Now, in nanoseconds since the clock's epoch.
std::int64_t now_ns(clock_kind clock);

}  // namespace ntsem::sys

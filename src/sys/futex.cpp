#include "sys/futex.hpp"

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

namespace ntsem::sys {
namespace {

timespec to_timespec(std::int64_t ns) {
  return timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
}

[[noreturn]] void impossible(const char* what, int err) {
  std::fprintf(stderr, "ntsem: %s failed unexpectedly: errno %d\n", what, err);
  std::abort();
}

futex_result classify(long rc, const char* what) {
  if (rc >= 0) return futex_result::woken;
  switch (errno) {
    case EAGAIN: return futex_result::not_expected;
    case ETIMEDOUT: return futex_result::timed_out;
    case EINTR: return futex_result::interrupted;
    default: impossible(what, errno);
  }
}

}  // namespace

futex_result futex_wait(const std::uint32_t* word, std::uint32_t expected, const deadline& until) {
  if (until.is_poll()) return futex_result::timed_out;
  if (until.is_relative()) impossible("futex wait (unresolved deadline)", EINVAL);
  timespec ts{};
  const timespec* tsp = nullptr;
  int op = FUTEX_WAIT_BITSET;
  if (!until.is_infinite()) {
    ts = to_timespec(until.ns());
    tsp = &ts;
    if (until.clock() == clock_kind::realtime) op |= FUTEX_CLOCK_REALTIME;
  }
  // FUTEX_WAIT_BITSET takes an absolute deadline (on CLOCK_MONOTONIC unless
  // FUTEX_CLOCK_REALTIME), so a retry after EINTR needs no recomputation.
  long rc = syscall(SYS_futex, word, op, expected, tsp, nullptr, FUTEX_BITSET_MATCH_ANY);
  return classify(rc, "futex wait");
}

int futex_wake(const std::uint32_t* word, int count) {
  long rc = syscall(SYS_futex, word, FUTEX_WAKE, count, nullptr, nullptr, 0);
  if (rc < 0) impossible("futex wake", errno);
  return static_cast<int>(rc);
}

futex_result futex_wait_any(std::span<const futex_vector_entry> entries, const deadline& until,
                            int* index) {
  if (until.is_poll()) return futex_result::timed_out;
  if (until.is_relative()) impossible("futex_waitv (unresolved deadline)", EINVAL);
  struct futex_waitv waiters[FUTEX_WAITV_MAX] = {};
  if (entries.size() > FUTEX_WAITV_MAX) impossible("futex_waitv (too many words)", E2BIG);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    waiters[i].val = entries[i].expected;
    waiters[i].uaddr = reinterpret_cast<std::uintptr_t>(entries[i].word);
    waiters[i].flags = FUTEX_32;  // shared: no FUTEX_PRIVATE_FLAG
  }
  timespec ts{};
  const timespec* tsp = nullptr;
  clockid_t clock = CLOCK_MONOTONIC;
  if (!until.is_infinite()) {
    ts = to_timespec(until.ns());
    tsp = &ts;
    if (until.clock() == clock_kind::realtime) clock = CLOCK_REALTIME;
  }
  long rc = syscall(SYS_futex_waitv, waiters, entries.size(), 0, tsp, clock);
  if (rc >= 0 && index) *index = static_cast<int>(rc);
  return classify(rc, "futex_waitv");
}

}  // namespace ntsem::sys

// NT timeouts (LARGE_INTEGER, 100 ns units) to the internal deadline.
#pragma once

#include <ntsem/winternl.h>

#include "sys/deadline.hpp"

namespace ntsem::nt {

// NULL: forever.  0: poll.  Negative: relative, on the monotonic clock
// (resolved when the wait blocks).
// Positive: absolute system time since 1601-01-01 UTC, on the real-time clock
// (so it follows changes of the system clock, as on Windows).  Values too
// large to represent as a deadline wait forever (they are millennia away).
sys::deadline to_deadline(const LARGE_INTEGER* timeout);

}  // namespace ntsem::nt

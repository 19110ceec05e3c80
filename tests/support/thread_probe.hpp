// Helpers for tests with threads: waiting (with a generous deadlock guard) for
// a condition that other threads will make true.
#pragma once

#include <chrono>
#include <functional>

namespace ntsem::test {

// Deadlock guard for tests: far longer than any correct run needs, so that a
// slow or loaded machine never fails a correct test.
inline constexpr std::chrono::seconds deadlock_guard{60};

// Polls `condition` until it holds; false if the guard expired first.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds guard = deadlock_guard);

// Lets other threads run for a while: for checks that something does NOT
// happen (a blocked thread stays blocked).  Never used as synchronization.
void let_others_run(std::chrono::milliseconds how_long = std::chrono::milliseconds(100));

}  // namespace ntsem::test

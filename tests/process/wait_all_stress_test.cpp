// Wait-all under stress across processes: two helper processes
// (tests/child/wait_all_stress_child.cpp) of four worker threads and a
// checker each contend for overlapping sets of six named semaphores
// (maximum 1) and an auto-reset event.  Every worker loops on wait-alls
// over 2 to 4 of them (and, one time in four, a wait-any over them), in
// random handle orders, with INFINITE or short timeouts, and marks what it
// took in a shared ownership table (support/ownership_table.hpp), where a
// second holder of one object shows; every checker takes all seven at once
// and finds each unsignaled and unmarked.  Afterwards every object is back
// at its initial state, so a wait that timed out took nothing, and no queue
// entry is left in use.
//
// Environment:
//   NTSEM_STRESS_ITERATIONS  wait-alls per worker thread (default 4000), for
//                            a long run
//   NTSEM_STRESS_SEED        replays a run's choices (not its interleaving);
//                            every failure prints it
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <ntsem/windows.h>

#include "support/child_process.hpp"
#include "support/event_state.hpp"
#include "support/named_objects.hpp"
#include "support/ownership_table.hpp"
#include "support/semaphore_state.hpp"
#include "support/test_settings.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::ownership_table;
using ntsem::test::seed_setting;
using ntsem::test::setting;
using ntsem::test::unique_name;

constexpr int helpers = 2;
constexpr int threads_per_helper = 4;
constexpr int semaphores = 6;

// What one helper printed after its run (its "worker", "checker",
// "violation" and "done" lines; "progress" lines only keep the guard off).
struct helper_report {
  std::vector<std::uint64_t> took;  // per worker
  std::vector<std::uint64_t> took_any;  // of those, wait-anys
  std::uint64_t checks = 0;
  std::uint64_t violations = ~0ull;  // until "done" says
  std::vector<std::string> texts;    // violations, and lines not understood
  std::string last_line;
};

// Reads a helper's lines to its "done" line.  Each line must come within
// the deadlock guard; a running helper prints progress at least every
// 200 ms, so a long run never meets the guard while it is making progress.
helper_report read_report(child_process& helper) {
  helper_report r;
  for (;;) {
    const std::string line = helper.expect_line();
    r.last_line = line;
    unsigned worker = 0;
    std::uint64_t attempts = 0, took = 0, timeouts = 0, any = 0, n = 0;
    if (line.rfind("progress ", 0) == 0) continue;
    if (std::sscanf(line.c_str(),
                    "worker %u attempts=%" SCNu64 " took=%" SCNu64 " timeouts=%" SCNu64
                    " any=%" SCNu64,
                    &worker, &attempts, &took, &timeouts, &any) == 5) {
      r.took.push_back(took);
      r.took_any.push_back(any);
    } else if (std::sscanf(line.c_str(), "checker checks=%" SCNu64, &n) == 1) {
      r.checks = n;
    } else if (std::sscanf(line.c_str(), "done violations=%" SCNu64, &n) == 1) {
      r.violations = n;
      return r;
    } else {
      r.texts.push_back(line);  // a violation, or a helper that failed or hung
      if (line.empty() || line[0] == '<' || line.rfind("fail", 0) == 0) return r;
    }
  }
}

TEST(WaitAllStress, OverlappingWaitAllsInTwoProcessesNeverShareAnObject) {
  const std::uint64_t seed = seed_setting("NTSEM_STRESS_SEED");
  const std::uint64_t attempts = setting("NTSEM_STRESS_ITERATIONS", 4000);
  SCOPED_TRACE("NTSEM_STRESS_SEED=" + std::to_string(seed) + " replays this run's choices");

  // The objects, held here for the whole run: six semaphores, then the event.
  std::vector<HANDLE> objects;
  std::vector<std::string> arguments;
  for (int i = 0; i < semaphores; ++i) {
    const std::string name = unique_name("stress-sem-" + std::to_string(i));
    objects.push_back(CreateSemaphoreA(nullptr, 1, 1, name.c_str()));
    arguments.push_back("sem:" + name);
  }
  const std::string event_name = unique_name("stress-event");
  objects.push_back(CreateEventA(nullptr, FALSE, TRUE, event_name.c_str()));
  arguments.push_back("event:" + event_name);
  for (HANDLE h : objects) ASSERT_NE(h, nullptr) << GetLastError();

  ownership_table table = ownership_table::make_private();
  ASSERT_TRUE(table.ok()) << "cannot make the ownership table";

  std::vector<child_process> children;
  for (int p = 0; p < helpers; ++p) {
    ntsem::test::child_options options;
    options.path = WAIT_ALL_STRESS_CHILD_PATH;
    options.commands = {table.path(), std::to_string(p), std::to_string(threads_per_helper),
                        std::to_string(attempts), std::to_string(seed)};
    options.commands.insert(options.commands.end(), arguments.begin(), arguments.end());
    children.emplace_back(options);
  }
  for (child_process& c : children) ASSERT_EQ(c.expect_line(), "ready");
  for (child_process& c : children) ASSERT_TRUE(c.send("go"));

  for (int p = 0; p < helpers; ++p) {
    SCOPED_TRACE("helper " + std::to_string(p));
    const helper_report r = read_report(children[p]);
    for (const std::string& t : r.texts) ADD_FAILURE() << t;
    ASSERT_EQ(r.violations, 0u) << "last line: " << r.last_line;
    ASSERT_EQ(r.took.size(), std::size_t{threads_per_helper});
    for (std::size_t t = 0; t < r.took.size(); ++t) {
      EXPECT_GT(r.took[t] - r.took_any[t], 0u) << "worker " << t << " never took its objects";
      EXPECT_GT(r.took_any[t], 0u) << "worker " << t << " never took one of a wait-any's";
    }
    EXPECT_GT(r.checks, 0u) << "the checker never took every object";
    EXPECT_TRUE(children[p].wait_exit().exited_with(0));
    std::cout << "[ stress   ] helper " << p << ": worker waits (of them wait-anys)";
    for (std::size_t t = 0; t < r.took.size(); ++t)
      std::cout << ' ' << r.took[t] << " (" << r.took_any[t] << ')';
    std::cout << " of " << attempts << " each, " << r.checks << " checks (seed " << seed << ")\n";
  }

  // Everything is back: nobody kept a mark, and every timed-out or failed
  // wait-all took nothing.
  for (std::size_t o = 0; o < objects.size(); ++o)
    EXPECT_EQ(table.holder_of(o), 0u) << "object " << o;
  for (int i = 0; i < semaphores; ++i)
    EXPECT_EQ(ntsem::test::state_of(objects[i]), (ntsem::test::semaphore_state{1, 1}))
        << "semaphore " << i;
  // The helpers' threads took out the entries they left stale as they
  // ended: no queue entry of any object is left in use.
  for (std::size_t o = 0; o < objects.size(); ++o)
    EXPECT_EQ(ntsem::test::entries_in_use(objects[o]), 0u) << "object " << o;
  EXPECT_EQ(ntsem::test::event_state_of(objects.back()), ntsem::test::auto_set);
  for (HANDLE h : objects) CloseHandle(h);
}

}  // namespace

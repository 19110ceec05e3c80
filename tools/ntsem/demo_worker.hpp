// One worker of the demo, in a process of its own: `ntsem demo-worker`, an
// internal command that `ntsem demo` starts once per worker.  It opens the
// demo's semaphore by name, and R times takes a unit, stays inside for a while
// and gives the unit back, telling the demo each step on a pipe
// (demo_report.hpp).
#pragma once

#include <ntsem/windows.h>

#include <chrono>
#include <ostream>
#include <string>

#include "command.hpp"

namespace ntsem_tool {

struct WorkerPlan {
  int id;  // from 1, as shown on the stage
  int rounds;
  std::chrono::milliseconds hold;  // time inside, per round
  std::chrono::milliseconds rest;  // time outside between rounds
};

struct WorkerOutcome {
  int rounds_done = 0;
  std::string failure;  // empty when every call succeeded
};

// The rounds of one worker on `semaphore`, each step reported on `report_fd`.
WorkerOutcome run_worker(const WorkerPlan& plan, HANDLE semaphore, int report_fd);

// The internal command.
void print_demo_worker_help(std::ostream& out);
int run_demo_worker(Arguments arguments);

}  // namespace ntsem_tool

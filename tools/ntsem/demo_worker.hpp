// One worker of the demo: it takes a unit of the semaphore, stays inside for a
// while, gives the unit back, and does so for a number of rounds.  It reaches
// the semaphore only through its handle and the stage only through a
// reference, so it can run in a thread or, given both, in another process.
#pragma once

#include <ntsem/windows.h>

#include <chrono>
#include <string>

#include "demo_stage.hpp"

namespace ntsem_tool {

struct WorkerPlan {
  int id;  // from 1, as shown on the stage
  int rounds;
  std::chrono::milliseconds hold;  // time inside, per round
  std::chrono::milliseconds rest;  // time outside between rounds
};

struct WorkerReport {
  int rounds_done = 0;
  std::string failure;  // empty when every call succeeded
};

WorkerReport run_worker(const WorkerPlan& plan, HANDLE semaphore, DemoStage& stage);

}  // namespace ntsem_tool

#include "demo_worker.hpp"

#include <thread>

#include "win32_text.hpp"

namespace ntsem_tool {

WorkerReport run_worker(const WorkerPlan& plan, HANDLE semaphore, DemoStage& stage) {
  WorkerReport report;
  for (int round = 1; round <= plan.rounds; ++round) {
    const DWORD waited = WaitForSingleObject(semaphore, INFINITE);
    if (waited != WAIT_OBJECT_0) {
      report.failure = "WaitForSingleObject returned " + wait_result_text(waited);
      return report;
    }
    stage.enter(plan.id);
    std::this_thread::sleep_for(plan.hold);
    // Counted out before the unit goes back: once it is released another
    // worker may enter, and it must not find this one still counted inside.
    stage.leave(plan.id);
    LONG previous_count = 0;
    if (ReleaseSemaphore(semaphore, 1, &previous_count) == FALSE) {
      report.failure = failed_call_text("ReleaseSemaphore");
      return report;
    }
    ++report.rounds_done;
    if (round < plan.rounds) {
      std::this_thread::sleep_for(plan.rest);
    }
  }
  return report;
}

}  // namespace ntsem_tool

#include "demo.hpp"

#include <ntsem/windows.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "console.hpp"
#include "demo_stage.hpp"
#include "demo_worker.hpp"
#include "help.hpp"
#include "options.hpp"
#include "unique_handle.hpp"
#include "win32_text.hpp"

namespace ntsem_tool {

namespace {

using std::chrono::milliseconds;

struct DemoSettings {
  int workers = 6;
  int maximum_count = 3;
  int rounds = 4;
  int hold_ms = 150;
};

// Long enough to be seen, short enough not to hold up the demo.
constexpr milliseconds timeout_shown{100};

// A call that went wrong: the demo stops and says so in its verdict.
class DemoFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::array<IntegerOption, 4> demo_options(DemoSettings& settings) {
  return {{
      {"--workers", "N", "workers sharing the semaphore", 1, 256, &settings.workers},
      {"--max", "M", "maximum count of the semaphore", 1, 1000, &settings.maximum_count},
      {"--rounds", "R", "times each worker enters", 1, 10000, &settings.rounds},
      {"--hold-ms", "T", "milliseconds a worker stays inside", 0, 10000, &settings.hold_ms},
  }};
}

// "1 unit", "3 units".
std::string counted(int count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

std::string units(int count) { return counted(count, "unit"); }

// Takes every unit, so that a wait with a timeout has nothing to take and must
// time out; then gives them all back for the workers.
void show_timeout(HANDLE semaphore, int maximum_count, DemoStage& stage) {
  for (int taken = 0; taken < maximum_count; ++taken) {
    const DWORD result = WaitForSingleObject(semaphore, 0);
    if (result != WAIT_OBJECT_0) {
      throw DemoFailure("taking unit " + std::to_string(taken + 1) +
                        " of a fresh semaphore: " + wait_result_text(result));
    }
  }
  stage.announce(
      "main takes the semaphore's " + units(maximum_count) + " with WaitForSingleObject(sem, 0)",
      Colour::yellow);

  const auto waiting_since = std::chrono::steady_clock::now();
  const DWORD result = WaitForSingleObject(semaphore, static_cast<DWORD>(timeout_shown.count()));
  const auto waited =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - waiting_since);
  if (result != WAIT_TIMEOUT) {
    throw DemoFailure("a wait while every unit was held returned " + wait_result_text(result) +
                      ", expected WAIT_TIMEOUT");
  }
  stage.announce("main waits " + std::to_string(timeout_shown.count()) + " ms for one more: " +
                     wait_result_text(result) + " after " + std::to_string(waited.count()) + " ms",
                 Colour::yellow);

  LONG previous_count = -1;
  if (ReleaseSemaphore(semaphore, maximum_count, &previous_count) == FALSE) {
    throw DemoFailure(failed_call_text("ReleaseSemaphore"));
  }
  if (previous_count != 0) {
    throw DemoFailure("ReleaseSemaphore saw a previous count of " + std::to_string(previous_count) +
                      " while main held every unit");
  }
  stage.announce("main releases " + units(maximum_count) + " (previous count 0); the workers start",
                 Colour::yellow);
}

std::vector<WorkerReport> run_workers(const DemoSettings& settings, HANDLE semaphore,
                                      DemoStage& stage) {
  const milliseconds hold{settings.hold_ms};
  // The semaphore promises no fairness: a worker that waited again at once
  // could take back the unit it just gave.  Resting lets the waiters in.
  const milliseconds rest = hold / 2;
  std::vector<WorkerReport> reports(static_cast<std::size_t>(settings.workers));
  {
    std::vector<std::jthread> workers;
    workers.reserve(reports.size());
    for (int id = 1; id <= settings.workers; ++id) {
      workers.emplace_back([&, id] {
        reports[static_cast<std::size_t>(id - 1)] =
            run_worker(WorkerPlan{id, settings.rounds, hold, rest}, semaphore, stage);
      });
    }
  }
  return reports;
}

// After the workers, every unit must be back: count them by taking them.
// One poll more than the maximum would also catch a count above it.
int count_free_units(HANDLE semaphore, int maximum_count) {
  int free_units = 0;
  while (free_units <= maximum_count) {
    const DWORD result = WaitForSingleObject(semaphore, 0);
    if (result == WAIT_TIMEOUT) {
      break;
    }
    if (result != WAIT_OBJECT_0) {
      throw DemoFailure("counting the free units: WaitForSingleObject returned " +
                        wait_result_text(result));
    }
    ++free_units;
  }
  return free_units;
}

std::vector<std::string> findings(const DemoSettings& settings,
                                  const std::vector<WorkerReport>& reports, const DemoStage& stage,
                                  int free_units) {
  std::vector<std::string> failures;
  for (std::size_t index = 0; index < reports.size(); ++index) {
    if (!reports[index].failure.empty()) {
      failures.push_back("worker " + std::to_string(index + 1) + ": " + reports[index].failure);
    }
  }
  if (stage.peak() > settings.maximum_count) {
    failures.push_back(std::to_string(stage.peak()) + " workers were inside at once, more than " +
                       std::to_string(settings.maximum_count));
  }
  // Fewer entries than planned follow from a worker's failure, already told.
  if (failures.empty() && stage.entries() != settings.workers * settings.rounds) {
    failures.push_back(std::to_string(stage.entries()) + " entries instead of " +
                       std::to_string(settings.workers * settings.rounds));
  }
  if (free_units != settings.maximum_count) {
    failures.push_back(units(free_units) + " free after the workers finished, expected " +
                       std::to_string(settings.maximum_count));
  }
  return failures;
}

void print_summary(Console& console, const DemoSettings& settings, const DemoStage& stage,
                   int free_units) {
  const int planned = settings.workers * settings.rounds;
  console.line("");
  console.line("Summary");
  console.line("  entries        " + std::to_string(stage.entries()) + " of " +
               std::to_string(planned) + " (" + counted(settings.workers, "worker") + " x " +
               counted(settings.rounds, "round") + ")");
  console.line("  peak inside    " + std::to_string(stage.peak()) + " at once");
  console.line("  maximum count  " + std::to_string(settings.maximum_count));
  console.line("  free at end    " + std::to_string(free_units) + " of " +
               std::to_string(settings.maximum_count) + " (WaitForSingleObject(sem, 0) polls)");
}

int print_verdict(Console& console, const std::vector<std::string>& failures, int maximum_count) {
  if (failures.empty()) {
    console.line(console.paint(
        "OK: never more than " + std::to_string(maximum_count) + " inside at once", Colour::green));
    return exit_ok;
  }
  for (const std::string& failure : failures) {
    console.line(console.paint("FAILED: " + failure, Colour::red));
  }
  return exit_failure;
}

}  // namespace

void print_demo_help(std::ostream& out) {
  DemoSettings defaults;
  out << "Usage: ntsem demo [options]\n"
         "\n"
         "Workers share one semaphore made by CreateSemaphoreA(NULL, M, M, NULL).\n"
         "Each worker, R times: waits for a unit (WaitForSingleObject, INFINITE),\n"
         "stays inside for T ms, leaves and gives the unit back (ReleaseSemaphore).\n"
         "Before the workers start, main holds every unit and shows a wait that\n"
         "times out.  Every entry and exit is shown as it happens; at the end the\n"
         "demo checks that never more than M workers were inside at once and that\n"
         "all M units came back, and prints OK or FAILED.\n"
         "\n"
         "Options:\n";
  print_options(out, demo_options(defaults));
  out << "  -h, --help   show this help\n"
         "\n"
         "Values may also be written --option=value.  Colour is used on a terminal\n"
         "unless NO_COLOR is set.\n"
         "\n";
  print_exit_codes(out);
}

int run_demo(Arguments arguments) {
  DemoSettings settings;
  parse_options(arguments, demo_options(settings));

  Console console(stdout);
  console.line(counted(settings.workers, "worker") + " sharing one semaphore (maximum count " +
               std::to_string(settings.maximum_count) + "), " + counted(settings.rounds, "round") +
               " each, " + std::to_string(settings.hold_ms) + " ms inside per round");
  try {
    const UniqueHandle semaphore(
        CreateSemaphoreA(nullptr, settings.maximum_count, settings.maximum_count, nullptr));
    if (!semaphore) {
      throw DemoFailure(failed_call_text("CreateSemaphoreA"));
    }
    DemoStage stage(console, settings.maximum_count, settings.workers);
    show_timeout(semaphore.get(), settings.maximum_count, stage);
    const std::vector<WorkerReport> reports = run_workers(settings, semaphore.get(), stage);
    const int free_units = count_free_units(semaphore.get(), settings.maximum_count);
    print_summary(console, settings, stage, free_units);
    return print_verdict(console, findings(settings, reports, stage, free_units),
                         settings.maximum_count);
  } catch (const DemoFailure& failure) {
    return print_verdict(console, {failure.what()}, settings.maximum_count);
  }
}

}  // namespace ntsem_tool

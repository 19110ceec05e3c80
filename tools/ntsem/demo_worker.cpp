#include "demo_worker.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <thread>

#include "demo_process.hpp"
#include "demo_report.hpp"
#include "help.hpp"
#include "options.hpp"
#include "unique_handle.hpp"
#include "win32_text.hpp"

namespace ntsem_tool {

namespace {

struct WorkerSettings {
  std::string name;
  int index = 1;
  int rounds = 1;
  int hold_ms = 0;
  int report_fd = STDOUT_FILENO;  // by hand, the reports are seen
};

std::array<TextOption, 1> worker_text_options(WorkerSettings& settings) {
  return {{
      {"--name", "NAME", "name of the semaphore to open (required)", &settings.name},
  }};
}

std::array<IntegerOption, 4> worker_options(WorkerSettings& settings) {
  return {{
      {"--index", "I", "number of this worker", 1, max_worker_processes, &settings.index},
      {"--rounds", "R", "times this worker enters", 1, 10000, &settings.rounds},
      {"--hold-ms", "T", "milliseconds this worker stays inside", 0, 10000, &settings.hold_ms},
      {"--report-fd", "FD", "descriptor to write the reports on", 0, 1 << 20, &settings.report_fd},
  }};
}

std::string errno_text(int error) {
  std::string text(std::strerror(error));
  text += " (errno ";
  text += std::to_string(error);
  text += ')';
  return text;
}

std::string report_failure_text(const Report& report, int error) {
  std::string text("writing '");
  std::string line = format_report(report);
  line.pop_back();
  text += line;
  text += "' to the demo: ";
  text += errno_text(error);
  return text;
}

}  // namespace

// Why the demo may count who is inside in the order the reports arrive.
//
// A worker writes "enter" after its wait has returned, and "leave" before it
// releases.  So the "leave" of worker A is in the pipe before A's release,
// which comes before the wait that takes that unit returns in some worker B,
// which comes before B writes "enter".  Each report is one write(2) of less
// than PIPE_BUF bytes: atomic, and in the one pipe ahead of everything
// written after it, by any worker.  So a "leave" always arrives before the
// "enter" that its unit made possible.
//
// Hence: when the demo reads an "enter" E, every worker it counts inside at
// that point (E's writer too) wrote its "enter" no later than E and its
// "leave", if any, after E, so each of them held a unit at the moment E was
// written.
// The count the demo shows is the number of units held at one real instant,
// which the semaphore keeps to at most M.  Reporting the other way round
// (release, then "leave") would let B's "enter" overtake A's "leave" and show
// M + 1 inside with a semaphore that works.
WorkerOutcome run_worker(const WorkerPlan& plan, HANDLE semaphore, int report_fd) {
  WorkerOutcome outcome;
  for (int round = 1; round <= plan.rounds; ++round) {
    const DWORD waited = WaitForSingleObject(semaphore, INFINITE);
    if (waited != WAIT_OBJECT_0) {
      outcome.failure = "WaitForSingleObject returned " + wait_result_text(waited);
      return outcome;
    }
    const Report entered{ReportKind::enter, plan.id, 0, {}};
    if (!send_report(report_fd, entered)) {
      outcome.failure = report_failure_text(entered, errno);
      return outcome;
    }
    std::this_thread::sleep_for(plan.hold);
    // Reported before the unit goes back: see above.
    const Report leaving{ReportKind::leave, plan.id, 0, {}};
    if (!send_report(report_fd, leaving)) {
      outcome.failure = report_failure_text(leaving, errno);
      return outcome;
    }
    LONG previous_count = 0;
    if (ReleaseSemaphore(semaphore, 1, &previous_count) == FALSE) {
      outcome.failure = failed_call_text("ReleaseSemaphore");
      return outcome;
    }
    ++outcome.rounds_done;
    if (round < plan.rounds) {
      // The semaphore promises no fairness: a worker that waited again at
      // once could take back the unit it just gave.  Resting lets the
      // waiters in.
      std::this_thread::sleep_for(plan.rest);
    }
  }
  return outcome;
}

void print_demo_worker_help(std::ostream& out) {
  WorkerSettings defaults;
  out << "Usage: ntsem demo-worker --name NAME [options]\n"
         "\n"
         "Internal: one worker process of 'ntsem demo', which starts it.  It is not\n"
         "meant to be run by hand, and may change without notice.\n"
         "\n"
         "Opens the semaphore NAME with OpenSemaphoreA (SYNCHRONIZE |\n"
         "SEMAPHORE_MODIFY_STATE), then R times: waits for a unit (INFINITE), stays\n"
         "inside for T ms and gives the unit back.  It reports each step as a line on\n"
         "descriptor FD: 'ready I PID', 'enter I' (after the wait), 'leave I' (before\n"
         "the release) and, on failure, 'fail I TEXT'.\n"
         "\n"
         "Options:\n";
  print_options(out, worker_options(defaults), worker_text_options(defaults));
  out << "  -h, --help      show this help\n"
         "\n";
  print_exit_codes(out);
}

int run_demo_worker(Arguments arguments) {
  WorkerSettings settings;
  parse_options(arguments, worker_options(settings), worker_text_options(settings));
  if (settings.name.empty()) {
    throw UsageError("--name is required");
  }
  if (fcntl(settings.report_fd, F_GETFD) < 0) {
    std::cerr << "ntsem demo-worker: --report-fd " << settings.report_fd
              << " is not open: " << errno_text(errno) << '\n';
    return exit_failure;
  }

  WorkerOutcome outcome;
  const UniqueHandle semaphore(
      OpenSemaphoreA(SYNCHRONIZE | SEMAPHORE_MODIFY_STATE, FALSE, settings.name.c_str()));
  if (!semaphore) {
    outcome.failure = failed_call_text("OpenSemaphoreA");
  } else {
    const Report ready{ReportKind::ready, settings.index, getpid(), {}};
    if (!send_report(settings.report_fd, ready)) {
      outcome.failure = report_failure_text(ready, errno);
    } else {
      const std::chrono::milliseconds hold{settings.hold_ms};
      outcome = run_worker(WorkerPlan{settings.index, settings.rounds, hold, hold / 2},
                           semaphore.get(), settings.report_fd);
    }
  }
  if (outcome.failure.empty()) {
    return exit_ok;
  }
  // Told to the demo, which shows it; and on stderr if the demo cannot hear.
  if (!send_report(settings.report_fd,
                   Report{ReportKind::failure, settings.index, 0, outcome.failure})) {
    std::cerr << "ntsem demo-worker " << settings.index << ": " << outcome.failure << '\n';
  }
  return exit_failure;
}

}  // namespace ntsem_tool

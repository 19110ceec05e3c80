#include "demo.hpp"

#include <fcntl.h>
#include <ntsem/windows.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "console.hpp"
#include "demo_process.hpp"
#include "demo_report.hpp"
#include "demo_stage.hpp"
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

// How long the demo waits for a report before it looks for workers that
// ended without one (a crash sends no report).
constexpr int poll_interval_ms = 50;

// A call that went wrong: the demo stops and says so in its verdict.
class DemoFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A signal asked the demo to stop (WorkerProcesses notes it).
struct Interrupted {
  int signal_number;
};

std::array<IntegerOption, 4> demo_options(DemoSettings& settings) {
  return {{
      {"--workers", "N", "worker processes sharing the semaphore", 1, max_worker_processes,
       &settings.workers},
      {"--max", "M", "maximum count of the semaphore", 1, 1000, &settings.maximum_count},
      {"--rounds", "R", "times each worker enters", 1, 10000, &settings.rounds},
      {"--hold-ms", "T", "milliseconds a worker stays inside", 0, 10000, &settings.hold_ms},
  }};
}

// "1 unit", "3 units", "2 worker processes".
std::string counted(int count, std::string_view noun) {
  std::string text = std::to_string(count);
  text += ' ';
  text += noun;
  if (count != 1) {
    text += noun.ends_with('s') ? "es" : "s";
  }
  return text;
}

std::string units(int count) { return counted(count, "unit"); }

// Built by appending: g++ 12 at -O2 and above gives a false -Wrestrict
// warning for "literal" + std::string.
std::string quoted(std::string_view text) {
  std::string result(1, '"');
  result += text;
  result += '"';
  return result;
}

std::string errno_text(std::string_view call, int error) {
  std::string text(call);
  text += " failed: ";
  text += std::strerror(error);
  return text;
}

// The demo's name for its semaphore: unique while this process lives.
std::string semaphore_name() {
  std::string name("ntsem-demo-");
  name += std::to_string(getpid());
  return name;
}

// Takes every unit, so that a wait with a timeout has nothing to take and must
// time out; the workers, once started, wait too until main gives them back.
void take_all_units(HANDLE semaphore, int maximum_count, DemoStage& stage) {
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
}

void show_timeout(HANDLE semaphore, DemoStage& stage) {
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
}

void release_all_units(HANDLE semaphore, int maximum_count, DemoStage& stage) {
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

// What main knows of one worker process.
struct WorkerState {
  pid_t pid = 0;
  bool ready = false;
  bool inside = false;
  int entries = 0;
  std::string failure;            // what it reported before it ended
  std::optional<int> end_status;  // once reaped
  bool stopped = false;           // killed by main because another one failed
};

// The worker processes of one demo, from their start until all are reaped:
// main reads their reports, shows them on the stage, and notes whatever
// the verdict needs.  Destroying it kills and reaps any worker left, so that
// main's handle, closed after it, is the last one anywhere.
class WorkerCrew {
 public:
  WorkerCrew(const DemoSettings& settings, DemoStage& stage, std::string semaphore_name,
             WorkerProcesses& processes)
      : settings_(settings),
        stage_(stage),
        semaphore_name_(std::move(semaphore_name)),
        processes_(processes),
        workers_(static_cast<std::size_t>(settings.workers)) {}
  WorkerCrew(const WorkerCrew&) = delete;
  WorkerCrew& operator=(const WorkerCrew&) = delete;
  ~WorkerCrew() {
    processes_.kill_all();
    processes_.reap_all();
  }

  // Starts every worker with the write end of one pipe as its report channel.
  void start() {
    throw_if_asked_to_stop();
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) {
      throw DemoFailure(errno_text("pipe2", errno));
    }
    reports_.emplace(UniqueFd(ends[0]));
    UniqueFd write_end(ends[1]);
    const std::string fd_text = std::to_string(write_end.get());
    std::string starting("main starts ");
    starting += counted(settings_.workers, "worker process");
    starting += " (fork + exec: ntsem demo-worker --name " + semaphore_name_ +
                " --index I ... --report-fd " + fd_text + ")";
    stage_.announce(starting, Colour::yellow);
    for (int index = 1; index <= settings_.workers; ++index) {
      throw_if_asked_to_stop();
      const std::vector<std::string> arguments{
          "ntsem",       "demo-worker",
          "--name",      semaphore_name_,
          "--index",     std::to_string(index),
          "--rounds",    std::to_string(settings_.rounds),
          "--hold-ms",   std::to_string(settings_.hold_ms),
          "--report-fd", fd_text,
      };
      const pid_t pid = processes_.spawn(arguments, write_end.get());
      if (pid < 0) {
        throw DemoFailure("starting worker " + std::to_string(index) + ": " +
                          errno_text("fork", errno));
      }
      state(index).pid = pid;
      stage_.set_pid(index, pid);
    }
    // From now on only the workers hold the write end, so the reports end
    // (read returns 0) once the last worker has ended.
  }

  // Until every worker has opened the semaphore, or the demo is stopping.
  void wait_until_ready() {
    pump([this] { return ready_ == settings_.workers || stopping_ || finished(); });
  }

  // Until every worker has ended and its last report is read.
  void wait_until_done() {
    pump([this] { return finished(); });
  }

  // A worker failed and main stopped the others: the run is cut short.
  [[nodiscard]] bool stopping() const { return stopping_; }

  [[nodiscard]] int ended_well_count() const {
    int count = 0;
    for (const WorkerState& worker : workers_) {
      count += worker.end_status && ended_well(*worker.end_status) ? 1 : 0;
    }
    return count;
  }

  // What went wrong with the workers and their reports, for the verdict.
  [[nodiscard]] std::vector<std::string> failures() const {
    std::vector<std::string> found;
    for (int index = 1; index <= settings_.workers; ++index) {
      const WorkerState& worker = workers_[static_cast<std::size_t>(index - 1)];
      const bool ended_badly = worker.end_status && !ended_well(*worker.end_status);
      if (worker.stopped && (!worker.end_status || killed_by(*worker.end_status, SIGKILL))) {
        continue;  // main's doing, because another worker failed
      }
      std::string text = stage_.name(index);
      if (!worker.failure.empty()) {
        text += ": ";
        text += worker.failure;
        if (ended_badly) {
          text += "; it ";
          text += describe_end(*worker.end_status);
        }
      } else if (ended_badly) {
        text += ' ';
        text += describe_end(*worker.end_status);
      } else if (!worker.end_status) {
        text += " was never seen to end";
      } else {
        continue;
      }
      found.push_back(std::move(text));
    }
    found.insert(found.end(), anomalies_.begin(), anomalies_.end());
    return found;
  }

 private:
  WorkerState& state(int index) { return workers_.at(static_cast<std::size_t>(index - 1)); }

  static void throw_if_asked_to_stop() {
    if (const int signal_number = WorkerProcesses::stop_signal(); signal_number != 0) {
      throw Interrupted{signal_number};
    }
  }

  [[nodiscard]] bool finished() const {
    return reports_ && reports_->at_end() && processes_.running() == 0;
  }

  // Reads reports and reaps workers until `done`.
  void pump(const std::function<bool()>& done) {
    while (!done()) {
      throw_if_asked_to_stop();
      if (!reports_->at_end()) {
        pollfd watch{reports_->fd(), POLLIN, 0};
        const int ready = poll(&watch, 1, poll_interval_ms);
        if (ready < 0 && errno != EINTR) {
          throw DemoFailure(errno_text("poll", errno));
        }
        if (ready > 0) {
          read_reports();
        }
      } else {
        // Every worker has closed its end of the pipe: they are ending.
        for (const ProcessEnd& end : processes_.reap_all()) {
          handle_end(end);
        }
      }
      for (const ProcessEnd& end : processes_.reap_ended()) {
        handle_end(end);
      }
    }
  }

  void read_reports() {
    std::vector<std::string> lines;
    try {
      lines = reports_->read_lines();
    } catch (const std::system_error& error) {
      throw DemoFailure(error.what());
    }
    for (const std::string& line : lines) {
      handle_report(line);
    }
  }

  void handle_report(const std::string& line) {
    const std::optional<Report> report = parse_report(line);
    if (!report || report->worker > settings_.workers) {
      std::string text("a worker sent an unreadable report: ");
      text += quoted(line);
      anomalies_.push_back(std::move(text));
      return;
    }
    const int index = report->worker;
    WorkerState& worker = state(index);
    switch (report->kind) {
      case ReportKind::ready:
        if (worker.ready) {
          anomaly(index, "reported ready twice");
        }
        if (report->pid != worker.pid) {
          anomaly(index, "reported pid " + std::to_string(report->pid));
        }
        worker.ready = true;
        ++ready_;
        stage_.tell(index, "opened " + quoted(semaphore_name_) + " with OpenSemaphoreA; waits",
                    Colour::dim);
        break;
      case ReportKind::enter:
        if (!worker.ready || worker.inside) {
          anomaly(index, "entered without having left, or before it was ready");
        }
        worker.inside = true;
        ++worker.entries;
        stage_.enter(index);
        break;
      case ReportKind::leave:
        if (!worker.inside) {
          anomaly(index, "left without having entered");
        }
        worker.inside = false;
        stage_.leave(index);
        break;
      case ReportKind::failure:
        worker.failure = report->text;
        stage_.tell(index, "fails: " + report->text, Colour::red);
        break;
    }
  }

  void anomaly(int index, std::string_view text) {
    std::string found = stage_.name(index);
    found += ' ';
    found += text;
    anomalies_.push_back(std::move(found));
  }

  void handle_end(const ProcessEnd& end) {
    int index = 0;
    for (int candidate = 1; candidate <= settings_.workers; ++candidate) {
      if (state(candidate).pid == end.pid) {
        index = candidate;
      }
    }
    if (index == 0) {
      return;  // not a worker: nothing else is started, but do not mind it
    }
    WorkerState& worker = state(index);
    worker.end_status = end.status;
    if (ended_well(end.status)) {
      stage_.tell(index, "ends: " + describe_end(end.status), Colour::dim);
    } else if (worker.stopped && killed_by(end.status, SIGKILL)) {
      stage_.tell(index, "was stopped by main (SIGKILL)", Colour::dim);
    } else if (WorkerProcesses::stop_signal() != 0) {
      // Ctrl-C reaches the workers too, and the demo is ending anyway.
      stage_.tell(index, describe_end(end.status), Colour::dim);
    } else {
      stage_.tell(index, describe_end(end.status), Colour::red);
      if (!stopping_) {
        stop_others(index);
      }
    }
  }

  // One worker failed: the verdict is FAILED whatever the others do, and a
  // unit it held may never come back, so that the others could wait for ever.
  void stop_others(int failed) {
    stopping_ = true;
    int stopped = 0;
    for (WorkerState& worker : workers_) {
      if (!worker.end_status && worker.pid > 0) {
        worker.stopped = true;
        ++stopped;
      }
    }
    if (stopped > 0) {
      stage_.announce("main stops the " + counted(stopped, "other worker") + " (SIGKILL) since " +
                          stage_.name(failed) + " failed",
                      Colour::red);
      processes_.kill_all();
    }
  }

  const DemoSettings& settings_;
  DemoStage& stage_;
  const std::string semaphore_name_;
  WorkerProcesses& processes_;
  std::vector<WorkerState> workers_;
  std::optional<ReportReader> reports_;
  std::vector<std::string> anomalies_;
  int ready_ = 0;
  bool stopping_ = false;
};

// What the verdict rests on besides the stage.
struct DemoOutcome {
  std::vector<std::string> worker_failures;
  int workers_ended_well = 0;
  bool cut_short = false;
  std::optional<int> free_units;  // not counted when the run was cut short
  std::string name_after_close;   // what OpenSemaphoreA said once all was closed
  bool name_gone = false;
};

std::vector<std::string> findings(const DemoSettings& settings, const DemoOutcome& outcome,
                                  const DemoStage& stage) {
  std::vector<std::string> failures = outcome.worker_failures;
  if (stage.peak() > settings.maximum_count) {
    failures.push_back(std::to_string(stage.peak()) + " workers were inside at once, more than " +
                       std::to_string(settings.maximum_count));
  }
  // Fewer entries than planned follow from a worker's failure, already told.
  if (failures.empty() && stage.entries() != settings.workers * settings.rounds) {
    failures.push_back(std::to_string(stage.entries()) + " entries instead of " +
                       std::to_string(settings.workers * settings.rounds));
  }
  if (failures.empty() && stage.inside() != 0) {
    failures.push_back(counted(stage.inside(), "worker") + " never reported leaving");
  }
  if (outcome.free_units && *outcome.free_units != settings.maximum_count) {
    failures.push_back(units(*outcome.free_units) + " free after the workers finished, expected " +
                       std::to_string(settings.maximum_count));
  }
  if (!outcome.name_gone) {
    failures.push_back("after the last CloseHandle the name still answers: " +
                       outcome.name_after_close);
  }
  return failures;
}

void print_summary(Console& console, const DemoSettings& settings, const DemoStage& stage,
                   const DemoOutcome& outcome, const std::string& name) {
  const int planned = settings.workers * settings.rounds;
  console.line("");
  console.line("Summary");
  console.line("  entries        " + std::to_string(stage.entries()) + " of " +
               std::to_string(planned) + " (" + counted(settings.workers, "worker") + " x " +
               counted(settings.rounds, "round") + ")");
  console.line("  peak inside    " + std::to_string(stage.peak()) + " at once");
  console.line("  maximum count  " + std::to_string(settings.maximum_count));
  if (outcome.free_units) {
    console.line("  free at end    " + std::to_string(*outcome.free_units) + " of " +
                 std::to_string(settings.maximum_count) + " (WaitForSingleObject(sem, 0) polls)");
  } else {
    console.line("  free at end    not counted: the run was cut short");
  }
  console.line("  processes      " + std::to_string(outcome.workers_ended_well) + " of " +
               counted(settings.workers, "worker") + " exited with status 0");
  console.line("  name           " + quoted(name) +
               " after the last CloseHandle: " + outcome.name_after_close);
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

// Once every handle is closed, the name must be free again.
void check_name_gone(const std::string& name, DemoOutcome& outcome) {
  SetLastError(ERROR_SUCCESS);
  const UniqueHandle again(OpenSemaphoreA(SYNCHRONIZE, FALSE, name.c_str()));
  if (again) {
    outcome.name_after_close = "OpenSemaphoreA still opens it";
    outcome.name_gone = false;
    return;
  }
  const DWORD error = GetLastError();
  outcome.name_gone = error == ERROR_FILE_NOT_FOUND;
  outcome.name_after_close = (outcome.name_gone ? "gone (OpenSemaphoreA: " : "OpenSemaphoreA: ") +
                             error_text(error) + (outcome.name_gone ? ")" : "");
}

}  // namespace

void print_demo_help(std::ostream& out) {
  DemoSettings defaults;
  out << "Usage: ntsem demo [options]\n"
         "\n"
         "Worker processes share one named semaphore.  The demo (main) creates it\n"
         "with CreateSemaphoreA(NULL, M, M, \"ntsem-demo-<pid>\") and starts N\n"
         "processes of its own program; each opens the semaphore by name\n"
         "(OpenSemaphoreA) and R times: waits for a unit (WaitForSingleObject,\n"
         "INFINITE), stays inside for T ms, leaves and gives the unit back\n"
         "(ReleaseSemaphore).  Before the workers start, main holds every unit and\n"
         "shows a wait that times out.  The workers report each entry and exit on a\n"
         "pipe, and main shows them as they arrive.  At the end the demo checks that\n"
         "never more than M workers were inside at once, that every worker made its\n"
         "R entries and exited with status 0, that all M units came back, and that\n"
         "the name is gone once the last handle is closed; it prints OK or FAILED.\n"
         "Interrupted, it kills its workers before it ends.\n"
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

  const std::string name = semaphore_name();
  Console console(stdout);
  console.line(counted(settings.workers, "worker process") + " sharing the semaphore " +
               quoted(name) + " (maximum count " + std::to_string(settings.maximum_count) + "), " +
               counted(settings.rounds, "round") + " each, " + std::to_string(settings.hold_ms) +
               " ms inside per round");
  DemoStage stage(console, settings.maximum_count, settings.workers);
  DemoOutcome outcome;
  try {
    // From here on a signal (Ctrl-C) no longer ends the demo at once: it
    // kills the workers, and the demo cleans up before it ends by it.
    WorkerProcesses processes;
    {
      SetLastError(ERROR_SUCCESS);
      const UniqueHandle semaphore(
          CreateSemaphoreA(nullptr, settings.maximum_count, settings.maximum_count, name.c_str()));
      if (!semaphore) {
        throw DemoFailure(failed_call_text("CreateSemaphoreA"));
      }
      if (GetLastError() == ERROR_ALREADY_EXISTS) {
        throw DemoFailure("a semaphore named " + quoted(name) +
                          " already exists in another process");
      }
      std::string created("main (pid ");
      created += std::to_string(getpid());
      created += ") creates it: CreateSemaphoreA(NULL, " + std::to_string(settings.maximum_count) +
                 ", " + std::to_string(settings.maximum_count) + ", " + quoted(name) + ")";
      stage.announce(created, Colour::yellow);
      take_all_units(semaphore.get(), settings.maximum_count, stage);
      show_timeout(semaphore.get(), stage);
      {
        WorkerCrew crew(settings, stage, name, processes);
        crew.start();
        crew.wait_until_ready();
        if (!crew.stopping()) {
          release_all_units(semaphore.get(), settings.maximum_count, stage);
        }
        crew.wait_until_done();
        outcome.worker_failures = crew.failures();
        outcome.workers_ended_well = crew.ended_well_count();
        outcome.cut_short = crew.stopping();
      }
      if (!outcome.cut_short) {
        outcome.free_units = count_free_units(semaphore.get(), settings.maximum_count);
      }
    }  // main's handle, the last one, is closed here
    check_name_gone(name, outcome);
    if (const int signal_number = WorkerProcesses::stop_signal(); signal_number != 0) {
      throw Interrupted{signal_number};
    }
    print_summary(console, settings, stage, outcome, name);
    return print_verdict(console, findings(settings, outcome, stage), settings.maximum_count);
  } catch (const DemoFailure& failure) {
    return print_verdict(console, {failure.what()}, settings.maximum_count);
  } catch (const Interrupted& interrupted) {
    // By now the workers are reaped and the handle is closed.
    console.line(console.paint("interrupted: the workers were stopped and the semaphore closed",
                               Colour::red));
    WorkerProcesses::die_by(interrupted.signal_number);
  }
}

}  // namespace ntsem_tool

// What the benchmarks that start other processes share: unique names, child
// processes (this very binary, re-executed), CPU pinning, the scenario runner
// used both under Google Benchmark and by `--loop`, and the cross-process
// ping-pong over named ntsem semaphores (ntsem_named_bench measures it
// against sem_t and a futex, ntsem_wait_bench against waits on 64 objects).
//
// A scenario is a type with
//   std::string start(std::int64_t n)   prepares n timed iterations ("" or an error)
//   bool once()                         one timed iteration (false on failure)
//   std::string stop()                  tears down ("" or an error)
//   void abandon()                      optional: after a failure, ends a child
//                                       that may be stuck (stop() follows)
// Constructing one must not start anything: run() pins the CPU first, so
// that a child started by start() inherits the pinning.
#pragma once

#include <sched.h>
#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <ntsem/windows.h>

namespace ntsem_bench {

inline constexpr DWORD open_access = SYNCHRONIZE | SEMAPHORE_MODIFY_STATE;

// An ntsem name (session scope) unique to this process, so that runs side by
// side do not meet: "ntsem-bench-<pid>-<what>".  bench/run_ratios.sh relies
// on the prefix (POSIX names are "/" + this).
std::string bench_name(const std::string& what);

// ---- Child processes ----------------------------------------------------------

// A child started with posix_spawn of this very binary (fork + exec): its
// stdin and stdout are pipes to us.
struct spawned {
  pid_t pid = -1;
  int to_child = -1;    // the child's stdin
  int from_child = -1;  // the child's stdout
};

// Starts this binary with `args`.  Every descriptor in `inherit` stays open
// in the child under the same number, even if it is close-on-exec here (the
// flag is cleared in the child only, so no other thread's exec inherits it).
std::string spawn_self(const std::vector<std::string>& args, spawned* out,
                       std::span<const int> inherit = {});

// One line from the child ("" at end of file).
std::string read_line(int fd);

// Waits for `pid`; "" when it exited with status 0.
std::string reap(pid_t pid);

// Ends a child we started that may be stuck (only ever our own pid).
void kill_and_reap(pid_t pid);

// In a child: die with the parent, so a stuck child never outlives it.
void die_with_parent();

// In a child: prints "<program> child: <what>" and the last error to stderr;
// returns 1, the child's exit status.
int child_failed(const char* what);

// ---- CPU pinning ----------------------------------------------------------------

// Pins this thread (and so every child started meanwhile: the mask is
// inherited across fork and exec) to the first CPU it may run on; restores
// the previous mask when destroyed.
class pin_to_one_cpu {
 public:
  explicit pin_to_one_cpu(bool pin);
  ~pin_to_one_cpu();
  pin_to_one_cpu(const pin_to_one_cpu&) = delete;
  pin_to_one_cpu& operator=(const pin_to_one_cpu&) = delete;

 private:
  cpu_set_t saved_{};
  bool active_ = false;
};

// ---- Running a scenario ------------------------------------------------------------

template <class S>
concept has_abandon = requires(S s) { s.abandon(); };

// Under Google Benchmark: start for max_iterations, time once() per iteration.
template <class Scenario>
void run(benchmark::State& state, Scenario s, bool pinned) {
  pin_to_one_cpu pin(pinned);
  if (std::string e = s.start(static_cast<std::int64_t>(state.max_iterations)); !e.empty()) {
    if constexpr (has_abandon<Scenario>) s.abandon();
    s.stop();
    state.SkipWithError(e.c_str());
    return;
  }
  bool ok = true;
  for (auto _ : state) {
    if (!s.once()) {
      ok = false;
      state.SkipWithError("an iteration failed");
      break;
    }
  }
  if (!ok) {
    if constexpr (has_abandon<Scenario>) s.abandon();
  }
  if (std::string e = s.stop(); !e.empty() && ok) state.SkipWithError(e.c_str());
}

// The same for a scenario that needs no arguments.
template <class Scenario>
void run(benchmark::State& state, bool pinned) {
  run(state, Scenario{}, pinned);
}

void loop_failed(const std::string& what);

// Without Google Benchmark, for strace and perf: n iterations; 0 on success.
template <class Scenario>
int loop(Scenario s, std::int64_t n, bool pinned) {
  pin_to_one_cpu pin(pinned);
  std::string e = s.start(n);
  for (std::int64_t i = 0; e.empty() && i < n; ++i)
    if (!s.once()) e = "iteration " + std::to_string(i) + " failed";
  if (!e.empty()) {
    if constexpr (has_abandon<Scenario>) s.abandon();
    s.stop();
    loop_failed(e);
    return 1;
  }
  if (e = s.stop(); !e.empty()) {
    loop_failed(e);
    return 1;
  }
  return 0;
}

// The same for a scenario that needs no arguments (a loop_entry's run).
template <class Scenario>
int loop(std::int64_t n, bool pinned) {
  return loop(Scenario{}, n, pinned);
}

// ---- Cross-process ping-pong over named ntsem semaphores -----------------------------

// One iteration is one round trip: the parent releases request `index` of
// `count` named semaphores (maximum 1, initial 0) and waits for the named
// reply semaphore; the child (this binary, --child-sem-pingpong, see
// child_sem_pingpong) waits for any request and releases the reply.  With
// count 1 the child waits with WaitForSingleObject, otherwise with
// WaitForMultipleObjects(count, FALSE).
class ntsem_pingpong {
 public:
  ntsem_pingpong(int count, int index) : count_(count), index_(index) {}
  std::string start(std::int64_t n);
  bool once() { return release() && await_reply(); }
  std::string stop();
  void abandon();

  // The two halves of once(), and the child, for a caller that times them.
  bool release();
  bool await_reply();
  pid_t child() const { return pid_; }

 private:
  int count_, index_;
  std::string prefix_ = bench_name("ping");
  std::vector<HANDLE> requests_;
  HANDLE reply_ = nullptr;
  pid_t pid_ = -1;
};

// ---- main ----------------------------------------------------------------------------

// A child mode: argv[1] == flag and argc == 2 + args, run(argv + 2).
struct child_mode {
  const char* flag;
  int args;
  int (*run)(char** args);
};

// A --loop scenario: run(n, pinned).
struct loop_entry {
  const char* name;
  int (*run)(std::int64_t n, bool pinned);
};

// The main of a benchmark binary:
//   PROGRAM --child-sem-pingpong PREFIX COUNT N   the child of ntsem_pingpong
//   PROGRAM <one of `children`>                    the binary's own child modes
//   PROGRAM --loop OP N [pinned]                   N iterations of `loops` entry OP
//   PROGRAM [benchmark flags]                      Google Benchmark
int bench_main(int argc, char** argv, std::span<const child_mode> children,
               std::span<const loop_entry> loops);

}  // namespace ntsem_bench

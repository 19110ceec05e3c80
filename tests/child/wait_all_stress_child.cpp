// wait_all_stress_child — one helper process of the wait-all stress test
// (tests/process/wait_all_stress_test.cpp).  Its worker threads take random,
// overlapping sets of named objects with WaitForMultipleObjects(bWaitAll =
// TRUE), and show through the shared ownership table
// (tests/support/ownership_table.hpp) that each wait-all gave them every
// object of the set and that nobody else held any of them meanwhile.  A
// checker thread takes every object at once and checks that each is then
// unsignaled and unmarked: nobody holds a part of it, nothing half taken is
// visible.
//
// Usage:
//   wait_all_stress_child TABLE PROCESS THREADS ATTEMPTS SEED OBJECT...
//     TABLE     the path of the ownership table (the test made it)
//     PROCESS   this helper's number, 0, 1, ...: its holder ids
//               (ownership_table.hpp's holder_id) and its random streams
//     THREADS   worker threads; the checker comes on top
//     ATTEMPTS  wait-alls each worker makes
//     SEED      the run's seed; the stream of worker t (the checker is
//               t = THREADS) is seeded with (SEED, PROCESS, t)
//     OBJECT    sem:NAME (a semaphore of maximum 1) or event:NAME (an
//               auto-reset event), opened by name; the i-th OBJECT is word i
//               of TABLE.  At most ownership_table::slots of them.
//
// Each attempt of a worker picks 2 to 4 of the objects in a random order and
// a timeout (INFINITE half the time, else 0, 1 or 3 ms).  A wait that timed
// out has taken nothing; that is not checked here but by the test, which
// finds every object at its initial state at the end.  One attempt in four
// is a wait-any over the set instead, which holds the one object it
// returns: so the wait-alls meet wait-anys' entries in the queues, left
// stale and revived by the next wait-any (wait/stale_entries.hpp).
//
// Output, one line each, flushed:
//   ready                             everything is open; it then reads one
//                                     line from stdin (any) and starts
//   progress N                        N successful wait-alls so far (workers
//                                     and checker), every 200 ms at most, and
//                                     only when N has changed: the test's
//                                     deadlock guard is on progress, not on
//                                     the length of the run
//   worker T attempts=A took=N timeouts=M any=K   after the run, one per
//                                     worker; K of the N were wait-anys
//   checker checks=N timeouts=M
//   violation TEXT                    one per violation, the first 20
//   done violations=N                 last; then it exits 0
//   fail TEXT                         bad arguments or setup; exits 1
#include <ntsem/windows.h>
#include <ntsem/winternl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <numeric>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "say.hpp"
#include "support/ownership_table.hpp"

namespace {

using ntsem::test::holder_id;
using ntsem::test::ownership_table;
using ntsem::test::say;

struct object {
  std::string name;
  bool is_event = false;
  HANDLE handle = nullptr;
};

// Every violation is counted; the first few are kept to be printed.
class violations {
 public:
  static constexpr std::size_t kept = 20;

  __attribute__((format(printf, 2, 3))) void add(const char* format, ...) {
    char text[256];
    std::va_list args;
    va_start(args, format);
    std::vsnprintf(text, sizeof text, format, args);
    va_end(args);
    std::lock_guard lock(mutex_);
    if (++count_ <= kept) texts_.emplace_back(text);
  }
  void print() {
    std::lock_guard lock(mutex_);
    for (const std::string& t : texts_) say("violation %s", t.c_str());
    say("done violations=%zu", count_);
  }

 private:
  std::mutex mutex_;
  std::size_t count_ = 0;
  std::vector<std::string> texts_;
};

// The objects, the table and the checks made on both, shared by the threads.
class arena {
 public:
  arena(std::vector<object> objects, ownership_table& table, violations& found)
      : objects_(std::move(objects)), table_(table), found_(found) {}

  std::size_t size() const { return objects_.size(); }

  // One wait over the objects `set` (indices, in that order), for all of
  // them or any.  The result of WaitForMultipleObjects; on success the
  // caller holds them all, or the one at the index returned.
  DWORD wait(std::span<const std::size_t> set, bool all, DWORD timeout) const {
    HANDLE handles[MAXIMUM_WAIT_OBJECTS];
    for (std::size_t i = 0; i < set.size(); ++i) handles[i] = objects_[set[i]].handle;
    return WaitForMultipleObjects(static_cast<DWORD>(set.size()), handles, all, timeout);
  }

  // Marks each object of `set` as `holder`'s: a mark already there is
  // another holder of the same object.  Returns how many were marked (the
  // first ones of `set`), which is what clear_marks must clear.
  std::size_t mark(std::span<const std::size_t> set, std::uint32_t holder) {
    std::size_t marked = 0;
    for (std::size_t o : set) {
      if (std::uint32_t other = table_.mark(o, holder); other != 0) {
        found_.add("%s held by %08" PRIx32 " when %08" PRIx32 " took it", objects_[o].name.c_str(),
                   other, holder);
        break;
      }
      ++marked;
    }
    return marked;
  }
  void clear_marks(std::span<const std::size_t> set, std::uint32_t holder) {
    for (std::size_t o : set)
      if (std::uint32_t other = table_.clear(o, holder); other != 0)
        found_.add("%s: mark of %08" PRIx32 " replaced by %08" PRIx32 " while held",
                   objects_[o].name.c_str(), holder, other);
  }

  // While held by the caller, every object must be unsignaled: a count of 0
  // for a semaphore of maximum 1, reset for an auto-reset event.
  void expect_taken(std::span<const std::size_t> set) {
    for (std::size_t o : set) {
      const object& ob = objects_[o];
      LONG value = -1;
      NTSTATUS status;
      if (ob.is_event) {
        EVENT_BASIC_INFORMATION info{};
        status = NtQueryEvent(ob.handle, EventBasicInformation, &info, sizeof info, nullptr);
        value = info.EventState;
      } else {
        SEMAPHORE_BASIC_INFORMATION info{};
        status =
            NtQuerySemaphore(ob.handle, SemaphoreBasicInformation, &info, sizeof info, nullptr);
        value = info.CurrentCount;
      }
      if (status != STATUS_SUCCESS)
        found_.add("query of %s: status 0x%08" PRIx32, ob.name.c_str(),
                   static_cast<std::uint32_t>(status));
      else if (value != 0)
        found_.add("%s is %ld while held by a wait-all over every object", ob.name.c_str(),
                   static_cast<long>(value));
    }
  }

  // Gives each object back: a semaphore of maximum 1 must have been at 0
  // (its previous count), or someone else gave it back or never took it.
  void release(std::span<const std::size_t> set) {
    for (std::size_t o : set) {
      const object& ob = objects_[o];
      LONG previous = -1;
      const BOOL ok = ob.is_event ? SetEvent(ob.handle) : ReleaseSemaphore(ob.handle, 1, &previous);
      if (!ok)
        found_.add("release of %s failed, error %" PRIu32, ob.name.c_str(), GetLastError());
      else if (!ob.is_event && previous != 0)
        found_.add("release of %s: previous count %ld, not 0", ob.name.c_str(),
                   static_cast<long>(previous));
    }
  }

  violations& found() { return found_; }

 private:
  std::vector<object> objects_;
  ownership_table& table_;
  violations& found_;
};

struct worker_result {
  std::uint64_t attempts = 0, took = 0, timeouts = 0, took_any = 0;
};

// A worker's stream: (seed, process, thread), so a seed replays the same
// choices (not the same interleaving).
std::mt19937_64 stream(std::uint64_t seed, unsigned process, unsigned thread) {
  std::seed_seq s{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32), process,
                  thread};
  return std::mt19937_64(s);
}

// Takes a wait-all's objects (or a wait-any's one), proves it holds them
// alone, gives them back.  True if the wait succeeded.  `set` is in the
// wait's handle order.
bool take_and_check(arena& a, std::span<const std::size_t> set, bool all, DWORD timeout,
                    std::uint32_t holder, bool check_values, bool linger) {
  const DWORD r = a.wait(set, all, timeout);
  if (r == WAIT_TIMEOUT) {
    if (timeout == INFINITE) a.found().add("an INFINITE wait timed out");
    return false;
  }
  if (r >= WAIT_OBJECT_0 + set.size() || (all && r != WAIT_OBJECT_0)) {
    a.found().add("wait-%s over %zu returned 0x%08" PRIx32 ", error %" PRIu32, all ? "all" : "any",
                  set.size(), r, GetLastError());
    return false;
  }
  if (!all) set = set.subspan(r - WAIT_OBJECT_0, 1);
  const std::size_t marked = a.mark(set, holder);
  if (check_values) a.expect_taken(set);
  // Held a little longer now and then, so that other threads meet the
  // objects taken and go to sleep on them.
  if (linger) std::this_thread::yield();
  a.clear_marks(set.first(marked), holder);
  a.release(set);
  return true;
}

void work(arena& a, std::mt19937_64 rng, std::uint32_t holder, std::uint64_t attempts,
          worker_result& out, std::atomic<std::uint64_t>& progress) {
  std::vector<std::size_t> order(a.size());
  std::iota(order.begin(), order.end(), 0);
  const std::size_t most = std::min<std::size_t>(4, a.size());
  std::uniform_int_distribution<std::size_t> how_many(2, most);
  constexpr DWORD timeouts[] = {INFINITE, INFINITE, INFINITE, 0, 1, 3};
  std::uniform_int_distribution<std::size_t> which_timeout(0, std::size(timeouts) - 1);
  std::uniform_int_distribution<int> one_in_eight(0, 7);
  for (; out.attempts < attempts; ++out.attempts) {
    std::shuffle(order.begin(), order.end(), rng);
    const std::size_t k = how_many(rng);
    const DWORD timeout = timeouts[which_timeout(rng)];
    const bool all = one_in_eight(rng) >= 2;
    if (take_and_check(a, std::span(order).first(k), all, timeout, holder, false,
                       one_in_eight(rng) == 0)) {
      ++out.took;
      if (!all) ++out.took_any;
      progress.fetch_add(1, std::memory_order_relaxed);
    } else {
      ++out.timeouts;
    }
  }
}

void check(arena& a, std::mt19937_64 rng, std::uint32_t holder, const std::atomic<bool>& stop,
           worker_result& out, std::atomic<std::uint64_t>& progress) {
  std::vector<std::size_t> order(a.size());
  std::iota(order.begin(), order.end(), 0);
  // A short timeout only so that the loop notices `stop`.
  constexpr DWORD poll_stop_ms = 20;
  while (!stop.load()) {
    std::shuffle(order.begin(), order.end(), rng);
    if (take_and_check(a, order, true, poll_stop_ms, holder, true, false)) {
      ++out.took;
      progress.fetch_add(1, std::memory_order_relaxed);
      // A pause between checks: a checker that takes everything again at
      // once would keep the workers asleep most of the run (measured: tens
      // of thousands of checks against about a thousand wait-alls of each
      // worker), and the workers' contention is what is under test.
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    } else {
      ++out.timeouts;
    }
  }
}

bool parse_count(const char* text, std::uint64_t& out) {
  char* end = nullptr;
  out = std::strtoull(text, &end, 0);
  return *text != '\0' && *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t process = 0, threads = 0, attempts = 0, seed = 0;
  if (argc < 7 || !parse_count(argv[2], process) || !parse_count(argv[3], threads) ||
      !parse_count(argv[4], attempts) || !parse_count(argv[5], seed) || process >= 0xFFFF ||
      threads == 0 || threads >= 0xFFFF) {
    say("fail usage: wait_all_stress_child TABLE PROCESS THREADS ATTEMPTS SEED OBJECT...");
    return 1;
  }
  ownership_table table = ownership_table::open(argv[1]);
  if (!table.ok()) {
    say("fail cannot map %s", argv[1]);
    return 1;
  }
  std::vector<object> objects;
  for (int i = 6; i < argc; ++i) {
    const std::string word = argv[i];
    object o;
    o.is_event = word.rfind("event:", 0) == 0;
    if (!o.is_event && word.rfind("sem:", 0) != 0) {
      say("fail not sem:NAME or event:NAME: %s", word.c_str());
      return 1;
    }
    o.name = word.substr(word.find(':') + 1);
    o.handle = o.is_event ? OpenEventA(EVENT_ALL_ACCESS, FALSE, o.name.c_str())
                          : OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, o.name.c_str());
    if (o.handle == nullptr) {
      say("fail open %s: error %" PRIu32, word.c_str(), GetLastError());
      return 1;
    }
    objects.push_back(std::move(o));
  }
  if (objects.size() < 2 || objects.size() > ownership_table::slots) {
    say("fail %zu objects: 2 to %zu", objects.size(), ownership_table::slots);
    return 1;
  }

  violations found;
  arena a(std::move(objects), table, found);
  std::vector<worker_result> results(threads + 1);
  std::atomic<std::uint64_t> progress{0};
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> workers_left{threads};

  say("ready");
  std::string go;
  std::getline(std::cin, go);

  const auto p = static_cast<unsigned>(process);
  std::thread checker(check, std::ref(a), stream(seed, p, static_cast<unsigned>(threads)),
                      holder_id(p, static_cast<unsigned>(threads)), std::cref(stop),
                      std::ref(results[threads]), std::ref(progress));
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      work(a, stream(seed, p, t), holder_id(p, t), attempts, results[t], progress);
      workers_left.fetch_sub(1);
    });

  std::uint64_t reported = 0;
  while (workers_left.load() != 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (const std::uint64_t now = progress.load(std::memory_order_relaxed); now != reported)
      say("progress %" PRIu64, reported = now);
  }
  for (std::thread& w : workers) w.join();
  stop = true;
  checker.join();

  for (unsigned t = 0; t < threads; ++t)
    say("worker %u attempts=%" PRIu64 " took=%" PRIu64 " timeouts=%" PRIu64 " any=%" PRIu64, t,
        results[t].attempts, results[t].took, results[t].timeouts, results[t].took_any);
  say("checker checks=%" PRIu64 " timeouts=%" PRIu64, results[threads].took,
      results[threads].timeouts);
  found.print();
  return 0;
}

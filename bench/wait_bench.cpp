// Waits on several objects: ntsem's WaitForMultipleObjects next to its own
// single wait and to what a Linux program would use instead (poll and epoll
// over eventfds), measured in one run.
//
// Cross-process round trip (one iteration = one round trip, real time; the
// parent wakes one of the child's objects and waits for the answer; the
// child is this binary, posix_spawn'ed, and runs n + 1 round trips, the
// first untimed):
//   BM_ntsem_wait_any64_pingpong   64 named request semaphores (max 1, initial 0)
//     /index:I/pinned:P            and a named reply semaphore; the child loops
//                                  on WaitForMultipleObjects(64, requests, FALSE,
//                                  INFINITE) and releases the reply; the parent
//                                  releases request I and waits on the reply.
//                                  I = 0 and 63: the lowest signaled index wins,
//                                  so 63 is the longest scan
//   BM_ntsem_wait_one_pingpong     the same with one request semaphore, the child
//     /pinned:P                    waiting with WaitForSingleObject: the reference
//   BM_poll64_pingpong             64 request eventfds and a reply eventfd; the child
//     /index:I/pinned:P            loops on poll() over the 64, reads the ready one
//                                  (the lowest) and writes the reply; the parent
//                                  writes request I and reads the reply
//   BM_epoll64_pingpong            the same with epoll_wait on an epoll set of the 64
//     /index:I/pinned:P
// P = 0: both processes free; P = 1: both pinned to one CPU.
//
// The same four, released only once the child sleeps (manual time, from the
// release to the reply; the parent reads /proc/CHILD/stat until it says S):
//   BM_ntsem_wait_one_asleep/pinned:P
//   BM_ntsem_wait_any64_asleep/index:I/pinned:P
//   BM_poll64_asleep/index:I/pinned:P
//   BM_epoll64_asleep/index:I/pinned:P
// In the plain round trip the child has usually not gone back to sleep when
// the next release comes, so its wait finds the object signaled; these
// measure the wake-up of a waiter that sleeps, where the way it sleeps (one
// futex word, 64 words with futex_waitv, poll, epoll) counts.
//
// Non-blocking wait in one process (one iteration = one wait + one release,
// CPU time; unnamed semaphores of maximum 1, only one of them signaled):
//   BM_ntsem_signaled_wait_any64   WaitForMultipleObjects(64, h, FALSE, INFINITE)
//     /index:I                     with only h[I] signaled, + ReleaseSemaphore(h[I])
//   BM_ntsem_signaled_wait_one     WaitForSingleObject(h, INFINITE) + ReleaseSemaphore
//
// Contended wait-all (throughput: items_per_second counts every worker's
// wait-all + release, summed over processes; real time):
//   BM_ntsem_wait_all_ring         a ring of 8 named semaphores (max 1, initial 1);
//     /processes:1/threads:T       worker k loops on WaitForMultipleObjects(4,
//     /processes:2/threads:2       {k, k+1, k+2, k+3 mod 8}, TRUE, INFINITE) and
//                                  releases the 4.  processes:1: T = 2 or 4 threads
//                                  of this process (k = thread index);
//                                  processes:2: 2 threads here (k = 0, 1) and 2 in a
//                                  child (k = 2, 3), so the same four sets as
//                                  threads:4 in one process.  The child works
//                                  before and after the timed window; its count
//                                  is sampled at the window's edges, and the
//                                  benchmark's time per iteration counts only this
//                                  process's iterations: read items_per_second.
//   BM_ntsem_wait_all8             the same with every worker's wait-all over all 8
//     /processes:1/threads:T       of the ring, worker k's handles in the order
//     /processes:2/threads:2       k, k+1, ..., k+7 mod 8: one holder at a time, the
//                                  others asleep, with a different handle order each
//   BM_sem_t_ordered8/threads:T    the natural counterpart without wait-all: 8
//                                  process-shared sem_t (initial 1) in a shared
//                                  mapping, each of T threads sem_waits on 0..7 in
//                                  that fixed order (so no deadlock), then sem_posts
//                                  the 8; T = 2 or 4
//
// Child modes (argv[1]; each dies with its parent):
//   --child-sem-pingpong PREFIX COUNT N   bench_support.hpp: N times, wait for any
//                                         of PREFIX-0..PREFIX-(COUNT-1), release
//                                         PREFIX-reply
//   --child-eventfd poll|epoll N REPLY FDS  N times, wait for any of the
//                                         eventfds FDS (comma-separated numbers,
//                                         inherited), read it, write 1 to REPLY
//   --child-wait-all PREFIX TAKE FIRST THREADS  THREADS workers k = FIRST.. on
//                                         the ring PREFIX-0..7, TAKE objects each,
//                                         until stdin ends; prints "ready", and the
//                                         total count of wait-alls for every byte read
//
// `ntsem_wait_bench --loop OP N [pinned]` runs N iterations of one scenario
// without Google Benchmark (`--loop x 0` lists them), for perf and strace
// (bench/wait_syscalls.sh).
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <semaphore.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <ntsem/windows.h>

#include "bench_support.hpp"

namespace {

using namespace ntsem_bench;

constexpr int wide = MAXIMUM_WAIT_OBJECTS;  // the number of objects in a wide wait

// ---- Round trip through eventfds ---------------------------------------------------

enum class multiplexer { poll, epoll };

const char* multiplexer_name(multiplexer m) { return m == multiplexer::poll ? "poll" : "epoll"; }

// Writes 1 to an eventfd (false on failure).
bool post(int fd) {
  const std::uint64_t one = 1;
  return write(fd, &one, sizeof one) == sizeof one;
}

// Reads (and so clears) an eventfd, sleeping until it is nonzero.
bool consume(int fd) {
  std::uint64_t value;
  return read(fd, &value, sizeof value) == sizeof value;
}

// The parent side: 64 request eventfds and a reply eventfd, close-on-exec
// here and kept open only in the child (spawn_self), whose command line
// carries their numbers.
class eventfd_pingpong {
 public:
  eventfd_pingpong(multiplexer how, int index) : how_(how), index_(index) {}

  std::string start(std::int64_t n) {
    for (int i = 0; i <= wide; ++i) {
      fds_.push_back(eventfd(0, EFD_CLOEXEC));
      if (fds_.back() < 0) return std::string("eventfd: ") + std::strerror(errno);
    }
    std::string requests;
    for (int i = 0; i < wide; ++i) requests += (i ? "," : "") + std::to_string(fds_[i]);
    spawned child;
    if (std::string e = spawn_self({"--child-eventfd", multiplexer_name(how_),
                                    std::to_string(n + 1), std::to_string(reply()), requests},
                                   &child, fds_);
        !e.empty())
      return e;
    close(child.to_child);
    close(child.from_child);
    pid_ = child.pid;
    // The first round trip, untimed.  A child that failed closes its end, but
    // the parent holds every eventfd too: a lost answer would block for ever,
    // so wait for it with a bound.
    pollfd answer{reply(), POLLIN, 0};
    if (!release() || poll(&answer, 1, 10000) != 1 || !await_reply())
      return "the eventfd child did not answer (see its stderr)";
    return {};
  }
  bool once() { return release() && await_reply(); }
  std::string stop() {
    std::string e;
    if (pid_ > 0) e = reap(pid_);
    pid_ = -1;
    for (int fd : fds_)
      if (fd >= 0) close(fd);
    fds_.clear();
    return e;
  }
  void abandon() {
    kill_and_reap(pid_);
    pid_ = -1;
  }

  // The two halves of once(), and the child (as in ntsem_pingpong).
  bool release() { return post(fds_[index_]); }
  bool await_reply() { return consume(reply()); }
  pid_t child() const { return pid_; }

 private:
  int reply() const { return fds_[wide]; }

  multiplexer how_;
  int index_;
  std::vector<int> fds_;  // 64 requests, then the reply
  pid_t pid_ = -1;
};

// Waits for any of the requests with poll(); the index of the lowest ready
// one, or -1.  poll() rewrites every revents, so the set is reused as is.
class poll_requests {
 public:
  explicit poll_requests(const std::vector<int>& fds) {
    for (int fd : fds) set_.push_back({fd, POLLIN, 0});
  }
  int wait() {
    if (poll(set_.data(), set_.size(), -1) <= 0) return -1;
    for (std::size_t i = 0; i < set_.size(); ++i)
      if (set_[i].revents & POLLIN) return static_cast<int>(i);
    return -1;
  }

 private:
  std::vector<pollfd> set_;
};

// The same with epoll_wait (level-triggered; each event carries its index).
class epoll_requests {
 public:
  explicit epoll_requests(const std::vector<int>& fds) : epoll_(epoll_create1(EPOLL_CLOEXEC)) {
    for (std::size_t i = 0; i < fds.size(); ++i) {
      epoll_event e{};
      e.events = EPOLLIN;
      e.data.u32 = static_cast<std::uint32_t>(i);
      if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fds[i], &e) != 0) ok_ = false;
    }
  }
  ~epoll_requests() { close(epoll_); }
  bool ok() const { return epoll_ >= 0 && ok_; }
  int wait() {
    epoll_event e{};
    if (epoll_wait(epoll_, &e, 1, -1) != 1) return -1;
    return static_cast<int>(e.data.u32);
  }

 private:
  int epoll_;
  bool ok_ = true;
};

template <class Requests>
int serve_eventfds(Requests& requests, const std::vector<int>& fds, int reply, long long n) {
  for (long long i = 0; i < n; ++i) {
    const int ready = requests.wait();
    if (ready < 0 || !consume(fds[ready])) return child_failed("wait or read");
    if (!post(reply)) return child_failed("write");
  }
  return 0;
}

// --child-eventfd poll|epoll N REPLY FDS
int child_eventfd(char** args) {
  die_with_parent();
  const std::string how = args[0];
  const long long n = std::atoll(args[1]);
  const int reply = std::atoi(args[2]);
  std::vector<int> fds;
  for (const char* p = args[3]; *p;) {
    char* end;
    fds.push_back(static_cast<int>(std::strtol(p, &end, 10)));
    p = *end == ',' ? end + 1 : end;
  }
  if (how == multiplexer_name(multiplexer::poll)) {
    poll_requests requests(fds);
    return serve_eventfds(requests, fds, reply, n);
  }
  if (how != multiplexer_name(multiplexer::epoll)) return child_failed("poll|epoll");
  epoll_requests requests(fds);
  if (!requests.ok()) return child_failed("epoll_ctl");
  return serve_eventfds(requests, fds, reply, n);
}

// ---- Round trip to a child that is asleep ---------------------------------------------

// Whether a process is asleep: the state field of /proc/PID/stat, read with
// one pread of a descriptor kept open.
class sleep_probe {
 public:
  explicit sleep_probe(pid_t pid)
      : fd_(pid > 0 ? ::open(("/proc/" + std::to_string(pid) + "/stat").c_str(),
                             O_RDONLY | O_CLOEXEC)
                    : -1) {}
  ~sleep_probe() {
    if (fd_ >= 0) close(fd_);
  }
  sleep_probe(const sleep_probe&) = delete;
  sleep_probe& operator=(const sleep_probe&) = delete;

  // Waits until the process sleeps ('S': interruptible sleep, i.e. blocked
  // in its wait; a preempted process is 'R').  Yields meanwhile, so that a
  // child on the same CPU can get there.  False if the process is gone.
  bool await_asleep() const {
    for (;;) {
      char buf[256];
      const ssize_t got = pread(fd_, buf, sizeof buf - 1, 0);
      if (got <= 0) return false;
      buf[got] = 0;
      // "pid (comm) S ...": the state follows the last ')'.
      const char* paren = std::strrchr(buf, ')');
      if (!paren || paren[1] != ' ') return false;
      if (paren[2] == 'S') return true;
      if (paren[2] == 'Z' || paren[2] == 'X') return false;
      sched_yield();
    }
  }

 private:
  int fd_;
};

// A round trip (Inner: ntsem_pingpong or eventfd_pingpong) that starts only
// once the child is asleep in its wait, timed from the release to the reply
// (manual time).  In the plain round trip the child usually has not gone to
// sleep again when the next release comes (the parent, woken by the reply,
// preempts it on its CPU, or answers before it gets there), so its wait
// finds the object signaled and never sleeps: measured with perf, 0.1
// futex_waitv calls per round trip.  `state` is null under --loop.
template <class Inner>
class release_when_asleep {
 public:
  release_when_asleep(Inner inner, benchmark::State* state)
      : inner_(std::move(inner)), state_(state) {}
  std::string start(std::int64_t n) {
    std::string e = inner_.start(n);
    if (e.empty()) probe_ = std::make_unique<sleep_probe>(inner_.child());
    return e;
  }
  bool once() {
    if (!probe_->await_asleep()) return false;
    const auto begin = std::chrono::steady_clock::now();
    const bool ok = inner_.release() && inner_.await_reply();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - begin;
    if (state_) state_->SetIterationTime(took.count());
    return ok;
  }
  std::string stop() {
    probe_.reset();
    return inner_.stop();
  }
  void abandon() { inner_.abandon(); }

 private:
  Inner inner_;
  benchmark::State* state_;
  std::unique_ptr<sleep_probe> probe_;
};

// ---- Non-blocking waits in one process ------------------------------------------------

// `count` unnamed semaphores of maximum 1, only `index` signaled.  With count
// 1 the wait is WaitForSingleObject (the reference), else WaitForMultipleObjects.
class signaled_wait {
 public:
  signaled_wait(int count, int index) : count_(count), index_(index) {}
  std::string start(std::int64_t) {
    for (int i = 0; i < count_; ++i) {
      handles_.push_back(CreateSemaphoreA(nullptr, i == index_ ? 1 : 0, 1, nullptr));
      if (!handles_.back()) return "CreateSemaphoreA failed, error " + std::to_string(GetLastError());
    }
    return {};
  }
  bool once() {
    const DWORD r = count_ == 1 ? WaitForSingleObject(handles_[0], INFINITE)
                                : WaitForMultipleObjects(static_cast<DWORD>(count_),
                                                         handles_.data(), FALSE, INFINITE);
    return r == WAIT_OBJECT_0 + static_cast<DWORD>(index_) &&
           ReleaseSemaphore(handles_[index_], 1, nullptr);
  }
  std::string stop() {
    for (HANDLE h : handles_)
      if (h) CloseHandle(h);
    handles_.clear();
    return {};
  }

 private:
  int count_, index_;
  std::vector<HANDLE> handles_;
};

// ---- Contended wait-all on a ring -------------------------------------------------------

constexpr int ring_size = 8;
constexpr int ring_take = 4;  // BM_ntsem_wait_all_ring; BM_ntsem_wait_all8 takes ring_size

std::string ring_name(const std::string& prefix, int i) { return prefix + "-" + std::to_string(i); }

// The ring's handles in this process: created (max 1, initial 1) or opened.
// Each worker's wait-all takes `take` of them.
class ring {
 public:
  explicit ring(int take) : take_(take) {}
  // "" or an error.
  std::string create(const std::string& prefix) { return make(prefix, true); }
  std::string open(const std::string& prefix) { return make(prefix, false); }
  ~ring() {
    for (HANDLE h : handles_)
      if (h) CloseHandle(h);
  }

  // Worker k's wait-all over k..k+take-1 mod 8, then their releases.
  bool take_and_give(int k) const {
    const HANDLE* set = sets_[static_cast<std::size_t>(k % ring_size)].data();
    if (WaitForMultipleObjects(static_cast<DWORD>(take_), set, TRUE, INFINITE) != WAIT_OBJECT_0)
      return false;
    bool ok = true;
    for (int i = 0; i < take_; ++i) ok = ReleaseSemaphore(set[i], 1, nullptr) && ok;
    return ok;
  }

 private:
  std::string make(const std::string& prefix, bool create) {
    for (int i = 0; i < ring_size; ++i) {
      const std::string name = ring_name(prefix, i);
      handles_[i] = create ? CreateSemaphoreA(nullptr, 1, 1, name.c_str())
                           : OpenSemaphoreA(open_access, FALSE, name.c_str());
      if (!handles_[i])
        return (create ? "CreateSemaphoreA" : "OpenSemaphoreA") + std::string(" failed, error ") +
               std::to_string(GetLastError());
    }
    for (int k = 0; k < ring_size; ++k)
      for (int i = 0; i < take_; ++i) sets_[k][i] = handles_[(k + i) % ring_size];
    return {};
  }

  int take_;
  std::array<HANDLE, ring_size> handles_{};
  std::array<std::array<HANDLE, ring_size>, ring_size> sets_{};
};

// A worker's count on a cache line of its own, read by another thread.
struct alignas(64) worker_count {
  std::atomic<std::uint64_t> value{0};
};

// --child-wait-all PREFIX TAKE FIRST THREADS: the other process of processes:2.
int child_wait_all(char** args) {
  die_with_parent();
  const int take = std::atoi(args[1]);
  const int first = std::atoi(args[2]);
  const int threads = std::atoi(args[3]);
  if (take < 1 || take > ring_size) return child_failed("TAKE: 1 to 8");
  ring r(take);
  if (std::string e = r.open(args[0]); !e.empty()) return child_failed(e.c_str());
  std::atomic<bool> stop{false}, failed{false};
  std::vector<worker_count> counts(static_cast<std::size_t>(threads));
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      std::atomic<std::uint64_t>& count = counts[static_cast<std::size_t>(t)].value;
      while (!stop.load(std::memory_order_relaxed)) {
        if (!r.take_and_give(first + t)) {
          failed = true;
          return;
        }
        // Relaxed: the reader wants a count, not what the worker did before it.
        count.store(count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      }
    });
  std::printf("ready\n");
  std::fflush(stdout);
  char c;
  while (read(0, &c, 1) == 1) {
    std::uint64_t total = 0;
    for (const worker_count& w : counts) total += w.value.load(std::memory_order_relaxed);
    std::printf("%llu\n", static_cast<unsigned long long>(total));
    std::fflush(stdout);
  }
  stop = true;
  for (std::thread& w : workers) w.join();
  return failed ? child_failed("WaitForMultipleObjects or ReleaseSemaphore") : 0;
}

// The child of processes:2, seen from the parent.
class wait_all_child {
 public:
  std::string start(const std::string& prefix, int take, int first, int threads) {
    if (std::string e = spawn_self({"--child-wait-all", prefix, std::to_string(take),
                                    std::to_string(first), std::to_string(threads)},
                                   &child_);
        !e.empty())
      return e;
    if (read_line(child_.from_child) != "ready") return "the wait-all child did not start";
    return {};
  }
  // The child's wait-alls so far, or -1.
  long long count() {
    if (write(child_.to_child, "c", 1) != 1) return -1;
    const std::string line = read_line(child_.from_child);
    return line.empty() ? -1 : std::atoll(line.c_str());
  }
  // Stops the child; kills it instead if this process's workers failed (one
  // may have left a semaphore taken that the child waits for).
  std::string stop(bool failed) {
    if (child_.pid < 0) return {};
    close(child_.to_child);
    close(child_.from_child);
    std::string e;
    if (failed)
      kill_and_reap(child_.pid);
    else
      e = reap(child_.pid);
    child_ = {};
    return e;
  }

 private:
  spawned child_;
};

// Shared by the benchmark threads of one run; thread 0 makes it before the
// loop and destroys it after (Google Benchmark's start and stop barriers
// order this against the other threads' loops).
struct ring_run {
  explicit ring_run(int take) : handles(take) {}
  std::string prefix = bench_name("ring");
  ring handles;
  wait_all_child child;
  long long child_before = 0;
  std::atomic<bool> failed{false};
};
ring_run* current_ring = nullptr;

// Every thread of the benchmark a worker on the ring, wait-alls over `take`
// of the 8.
void contended_wait_all(benchmark::State& state, int take) {
  const bool two_processes = state.range(0) == 2;
  if (state.thread_index() == 0) {
    current_ring = new ring_run(take);
    std::string e = current_ring->handles.create(current_ring->prefix);
    if (e.empty() && two_processes) {
      e = current_ring->child.start(current_ring->prefix, take, state.threads(), state.threads());
      current_ring->child_before = e.empty() ? current_ring->child.count() : 0;
      if (e.empty() && current_ring->child_before < 0) e = "the wait-all child does not answer";
    }
    if (!e.empty()) {
      current_ring->failed = true;
      state.SkipWithError(e.c_str());
    }
  }
  const int k = state.thread_index();
  bool failed = false;
  for (auto _ : state) {
    // current_ring is read in here, between the start and the stop barrier:
    // thread 0 makes it before the first and destroys it after the second.
    // So after a failure every thread runs out its count without work
    // instead of leaving the loop early: the stop barrier then orders each
    // thread's last use before the destruction.
    if (failed || current_ring->failed.load(std::memory_order_relaxed)) {
      failed = true;
      continue;
    }
    if (!current_ring->handles.take_and_give(k)) failed = current_ring->failed = true;
  }
  if (failed) state.SkipWithError("a wait-all or release failed");
  long long items = static_cast<long long>(state.iterations());
  if (state.thread_index() == 0) {
    long long after = 0;
    if (two_processes && !failed) after = current_ring->child.count();
    if (after < 0) state.SkipWithError("the wait-all child does not answer");
    if (two_processes && after > 0) items += after - current_ring->child_before;
    std::string e = current_ring->child.stop(failed || after < 0);
    if (!e.empty() && !failed) state.SkipWithError(e.c_str());
    delete current_ring;
    current_ring = nullptr;
  }
  state.SetItemsProcessed(items);
}

void BM_ntsem_wait_all_ring(benchmark::State& state) { contended_wait_all(state, ring_take); }
void BM_ntsem_wait_all8(benchmark::State& state) { contended_wait_all(state, ring_size); }

// ---- The counterpart: 8 sem_t taken in a fixed order -----------------------------------------

// Created once and never destroyed: the threads of a run share them, and a
// function-local static gives thread-safe creation.  Process-shared, in a
// MAP_SHARED mapping, as ntsem's objects are.
sem_t* shared_sem_t_ring() {
  void* p = mmap(nullptr, ring_size * sizeof(sem_t), PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) std::abort();
  auto* s = static_cast<sem_t*>(p);
  for (int i = 0; i < ring_size; ++i)
    if (sem_init(&s[i], 1, 1) != 0) std::abort();
  return s;
}

void BM_sem_t_ordered8(benchmark::State& state) {
  static sem_t* const s = shared_sem_t_ring();
  bool ok = true;
  for (auto _ : state) {
    // One fixed order for every thread, which is what makes it deadlock-free;
    // wait-all needs no order from its callers.
    for (int i = 0; i < ring_size; ++i) {
      int r;
      do r = sem_wait(&s[i]);
      while (r != 0 && errno == EINTR);
      ok = r == 0 && ok;
    }
    for (int i = 0; i < ring_size; ++i) ok = sem_post(&s[i]) == 0 && ok;
  }
  if (!ok) state.SkipWithError("sem_wait or sem_post failed");
  state.SetItemsProcessed(static_cast<long long>(state.iterations()));
}

// ---- Benchmarks ----------------------------------------------------------------------------

// The round trips: each a scenario made from the benchmark's arguments
// (index, pinned), or (pinned) for the single wait.
int index_arg(const benchmark::State& state) { return static_cast<int>(state.range(0)); }

struct wait_one_trip {
  static constexpr int pinned_at = 0;
  static ntsem_pingpong make(const benchmark::State&) { return ntsem_pingpong(1, 0); }
};
struct wait_any64_trip {
  static constexpr int pinned_at = 1;
  static ntsem_pingpong make(const benchmark::State& state) {
    return ntsem_pingpong(wide, index_arg(state));
  }
};
template <multiplexer how>
struct eventfd_trip {
  static constexpr int pinned_at = 1;
  static eventfd_pingpong make(const benchmark::State& state) {
    return eventfd_pingpong(how, index_arg(state));
  }
};

template <class Trip>
void round_trip(benchmark::State& state) {
  run(state, Trip::make(state), state.range(Trip::pinned_at) != 0);
}
template <class Trip>
void round_trip_asleep(benchmark::State& state) {
  run(state, release_when_asleep(Trip::make(state), &state), state.range(Trip::pinned_at) != 0);
}

// Registers NAME_pingpong (real time) or NAME_asleep (manual time) with the
// first and the last index of 64, both processes free and both on one CPU.
template <class Trip>
void register_round_trip(const std::string& name, bool asleep) {
  benchmark::internal::Benchmark* b =
      asleep ? benchmark::RegisterBenchmark((name + "_asleep").c_str(), round_trip_asleep<Trip>)
                   ->UseManualTime()
             : benchmark::RegisterBenchmark((name + "_pingpong").c_str(), round_trip<Trip>)
                   ->UseRealTime();
  if (Trip::pinned_at == 0)
    b->ArgName("pinned")->Arg(0)->Arg(1);
  else
    b->ArgNames({"index", "pinned"})->ArgsProduct({{0, wide - 1}, {0, 1}});
}

// By name rather than BENCHMARK, so that the templates carry the names
// bench/run_ratios.sh knows.
const bool round_trips_registered = [] {
  for (bool asleep : {false, true}) {
    register_round_trip<wait_one_trip>("BM_ntsem_wait_one", asleep);
    register_round_trip<wait_any64_trip>("BM_ntsem_wait_any64", asleep);
    register_round_trip<eventfd_trip<multiplexer::poll>>("BM_poll64", asleep);
    register_round_trip<eventfd_trip<multiplexer::epoll>>("BM_epoll64", asleep);
  }
  return true;
}();

void BM_ntsem_signaled_wait_any64(benchmark::State& state) {
  run(state, signaled_wait(wide, index_arg(state)), false);
}
void BM_ntsem_signaled_wait_one(benchmark::State& state) {
  run(state, signaled_wait(1, 0), false);
}

BENCHMARK(BM_ntsem_signaled_wait_one);
BENCHMARK(BM_ntsem_signaled_wait_any64)->ArgName("index")->Arg(0)->Arg(wide - 1);
BENCHMARK(BM_ntsem_wait_all_ring)->ArgName("processes")->Arg(1)->Threads(2)->Threads(4)
    ->UseRealTime();
BENCHMARK(BM_ntsem_wait_all_ring)->ArgName("processes")->Arg(2)->Threads(2)->UseRealTime();
BENCHMARK(BM_ntsem_wait_all8)->ArgName("processes")->Arg(1)->Threads(2)->Threads(4)->UseRealTime();
BENCHMARK(BM_ntsem_wait_all8)->ArgName("processes")->Arg(2)->Threads(2)->UseRealTime();
BENCHMARK(BM_sem_t_ordered8)->Threads(2)->Threads(4)->UseRealTime();

// ---- --loop ---------------------------------------------------------------------------------

template <class Scenario, auto... args>
int loop_with(std::int64_t n, bool pinned) {
  return loop(Scenario(args...), n, pinned);
}
template <class Round_trip, auto... args>
int loop_asleep(std::int64_t n, bool pinned) {
  return loop(release_when_asleep(Round_trip(args...), nullptr), n, pinned);
}

const loop_entry loops[] = {
    {"ntsem-wait-one-pingpong", loop_with<ntsem_pingpong, 1, 0>},
    {"ntsem-wait-any64-pingpong-first", loop_with<ntsem_pingpong, wide, 0>},
    {"ntsem-wait-any64-pingpong-last", loop_with<ntsem_pingpong, wide, wide - 1>},
    {"poll64-pingpong-last", loop_with<eventfd_pingpong, multiplexer::poll, wide - 1>},
    {"epoll64-pingpong-last", loop_with<eventfd_pingpong, multiplexer::epoll, wide - 1>},
    {"ntsem-wait-one-asleep", loop_asleep<ntsem_pingpong, 1, 0>},
    {"ntsem-wait-any64-asleep-last", loop_asleep<ntsem_pingpong, wide, wide - 1>},
    {"poll64-asleep-last", loop_asleep<eventfd_pingpong, multiplexer::poll, wide - 1>},
    {"epoll64-asleep-last", loop_asleep<eventfd_pingpong, multiplexer::epoll, wide - 1>},
    {"ntsem-signaled-wait-one", loop_with<signaled_wait, 1, 0>},
    {"ntsem-signaled-wait-any64-first", loop_with<signaled_wait, wide, 0>},
    {"ntsem-signaled-wait-any64-last", loop_with<signaled_wait, wide, wide - 1>},
};

const child_mode children[] = {
    {"--child-eventfd", 4, child_eventfd},
    {"--child-wait-all", 4, child_wait_all},
};

}  // namespace

int main(int argc, char** argv) { return bench_main(argc, argv, children, loops); }

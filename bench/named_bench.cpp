// Named semaphores and processes: ntsem against POSIX named semaphores
// (sem_open), a process-shared sem_t and a bare futex, measured in one run.
//
// Create + close of a fresh named object (one iteration = one object made and
// destroyed; the same name every time, which is free again after the close):
//   BM_ntsem_create_close            CreateSemaphoreA(NULL, 1, 1, name) + CloseHandle
//                                    (the last close removes the object)
//   BM_sem_open_excl_close_unlink    sem_open(O_CREAT | O_EXCL) + sem_close + sem_unlink:
//                                    the same life cycle, the ratio's reference
//   BM_sem_open_creat_close          sem_open(O_CREAT) + sem_close, never unlinked:
//                                    only the first iteration creates, the others
//                                    open the file the first one left (shown, not
//                                    a create)
//   BM_sem_open_excl_touch_close_unlink  the reference, plus one sem_getvalue before
//                                    the close (see below)
//
// The kernel's price for a mapping of one tmpfs page (explains the above):
//   BM_mmap_munmap                   mmap + munmap, the page never touched
//   BM_mmap_touch_munmap             mmap + one read + munmap: the munmap now has
//                                    a page-table entry to clear and a TLB to flush
//
// Open + close of an existing object (one iteration = open by name + close):
//   BM_ntsem_open_close_held         OpenSemaphoreA + CloseHandle while this process
//                                    holds a handle (ntsem's in-process view table)
//   BM_sem_open_close_held           sem_open(name, 0) + sem_close while this process
//                                    holds the semaphore (glibc's own table)
//   BM_ntsem_open_close_not_held     the same, the object held only by a helper
//   BM_sem_open_close_not_held       process (this binary, --child-hold), so every
//                                    open joins and every close leaves
//   BM_sem_open_touch_close_not_held sem_open + sem_getvalue + sem_close
//   BM_ntsem_first_open_close        open + close as in ..._not_held, of 64 names
//   BM_sem_first_open_close          held by the helper in turn: ntsem keeps the
//                                    view of a name this process let go of for
//                                    its next open (a parked view, INV-PARK in
//                                    src/namespace/named_object.hpp), at most 16,
//                                    so these measure an open that finds none
//
// Cross-process ping-pong (one iteration = one round trip: the parent posts A
// and waits for B; the child waits for A and posts B; both start at 0):
//   BM_ntsem_pingpong                named semaphores (max 1, initial 0); the child
//                                    is this binary, fork+exec'd with
//                                    --child-sem-pingpong, and opens both by name
//   BM_sem_t_pingpong                pshared sem_t in a MAP_SHARED mapping; the child
//                                    is fork()ed only (shares the mapping)
//   BM_futex_pingpong                two shared 32-bit words, FUTEX_WAIT/FUTEX_WAKE
//                                    (not private), a wake only when the other side
//                                    sleeps: the floor; fork()ed child
// Each runs with both processes free (pinned:0) and both pinned to one CPU
// (pinned:1), and in real time.
//
// `ntsem_named_bench --loop OP N [pinned]` runs N iterations of one of the
// above without Google Benchmark, for strace (bench/named_syscalls.sh).
#include <fcntl.h>
#include <linux/futex.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <ntsem/windows.h>

#include "bench_support.hpp"

namespace {

using namespace ntsem_bench;

// POSIX names are "/" + the ntsem name.
std::string posix_name(const std::string& name) { return "/" + name; }

// ---- Scenarios ----------------------------------------------------------------
// Scenarios as bench_support.hpp defines them; the benchmarks and --loop
// share them.

// -- Create + close --

struct ntsem_create_close {
  std::string name = bench_name("create");
  std::string start(std::int64_t) { return {}; }
  bool once() {
    HANDLE h = CreateSemaphoreA(nullptr, 1, 1, name.c_str());
    // ERROR_ALREADY_EXISTS would mean the close did not remove the object.
    if (!h || GetLastError() == ERROR_ALREADY_EXISTS) return false;
    return CloseHandle(h) != FALSE;
  }
  std::string stop() { return {}; }
};

// A POSIX name for the create benchmarks, cleared of what an earlier run
// may have left.
struct posix_create {
  std::string name = posix_name(bench_name("create"));
  std::string start(std::int64_t) {
    sem_unlink(name.c_str());
    return {};
  }
  std::string stop() { return {}; }
};

struct sem_open_excl_close_unlink : posix_create {
  bool once() {
    sem_t* s = sem_open(name.c_str(), O_CREAT | O_EXCL, 0600, 1);
    if (s == SEM_FAILED) return false;
    return sem_close(s) == 0 && sem_unlink(name.c_str()) == 0;
  }
};

struct sem_open_creat_close : posix_create {
  bool once() {
    sem_t* s = sem_open(name.c_str(), O_CREAT, 0600, 1);
    return s != SEM_FAILED && sem_close(s) == 0;
  }
  std::string stop() {
    sem_unlink(name.c_str());
    return {};
  }
};

// The same, but the semaphore is read once (sem_getvalue) before the close,
// as any program that uses it does.  Reading faults the page in, so the
// munmap in sem_close must flush it from the TLB.  (ntsem's create and open
// do not read the object's page either; a program that uses the object pays
// the same flush at its close.)
struct sem_open_excl_touch_close_unlink : posix_create {
  bool once() {
    sem_t* s = sem_open(name.c_str(), O_CREAT | O_EXCL, 0600, 1);
    if (s == SEM_FAILED) return false;
    int value = 0;
    return sem_getvalue(s, &value) == 0 && value == 1 && sem_close(s) == 0 &&
           sem_unlink(name.c_str()) == 0;
  }
};

// -- What the kernel charges for a mapping of one tmpfs page --
// mmap + munmap, the page untouched (no page-table entry, nothing to flush)
// or read once in between (a page-table entry, so munmap flushes the TLB).

struct tmpfs_page {
  int fd = -1;
  std::string start(std::int64_t) {
    fd = memfd_create("ntsem-bench", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, 4096) != 0) return std::string("memfd: ") + std::strerror(errno);
    return {};
  }
  std::string stop() {
    if (fd >= 0) close(fd);
    fd = -1;
    return {};
  }
  bool map_unmap(bool touch) {
    void* p = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return false;
    if (touch) benchmark::DoNotOptimize(*static_cast<volatile char*>(p));
    return munmap(p, 4096) == 0;
  }
};
struct mmap_munmap : tmpfs_page {
  bool once() { return map_unmap(false); }
};
struct mmap_touch_munmap : tmpfs_page {
  bool once() { return map_unmap(true); }
};

// -- Open + close, held by this process --

struct ntsem_open_close_held {
  std::string name = bench_name("open-held");
  HANDLE held = nullptr;
  std::string start(std::int64_t) {
    held = CreateSemaphoreA(nullptr, 1, 1, name.c_str());
    return held ? "" : "CreateSemaphoreA failed, error " + std::to_string(GetLastError());
  }
  bool once() {
    HANDLE h = OpenSemaphoreA(open_access, FALSE, name.c_str());
    return h && CloseHandle(h);
  }
  std::string stop() {
    CloseHandle(held);
    return {};
  }
};

struct sem_open_close_held {
  std::string name = posix_name(bench_name("open-held"));
  sem_t* held = SEM_FAILED;
  std::string start(std::int64_t) {
    held = sem_open(name.c_str(), O_CREAT, 0600, 1);
    return held != SEM_FAILED ? "" : std::string("sem_open: ") + std::strerror(errno);
  }
  bool once() {
    sem_t* s = sem_open(name.c_str(), 0);
    return s != SEM_FAILED && sem_close(s) == 0;
  }
  std::string stop() {
    sem_close(held);
    sem_unlink(name.c_str());
    return {};
  }
};

// -- Open + close, held only by another process --

// The names a holder holds: NAME alone, or NAME-0 ... NAME-(COUNT-1).
std::vector<std::string> held_names(const std::string& name, int count) {
  if (count == 1) return {name};
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.push_back(name + "-" + std::to_string(i));
  return names;
}

// A helper (this binary, --child-hold NAME COUNT) that creates the ntsem
// semaphore and the POSIX semaphore (/ + the name) of each of
// held_names(NAME, COUNT), says "ok", and holds them until its stdin closes;
// then it closes them and unlinks the POSIX ones.
struct holder {
  spawned child;
  std::string start(const std::string& name, int count = 1) {
    if (std::string e = spawn_self({"--child-hold", name, std::to_string(count)}, &child);
        !e.empty())
      return e;
    if (std::string line = read_line(child.from_child); line != "ok") {
      stop();
      return "holder child: " + (line.empty() ? std::string("no answer") : line);
    }
    return {};
  }
  std::string stop() {
    if (child.pid < 0) return {};
    close(child.to_child);  // end of file: the holder lets go and exits
    close(child.from_child);
    std::string e = reap(child.pid);
    child = {};
    return e;
  }
};

// Both objects of one name, held by a holder child for the run.
struct held_elsewhere {
  std::string name = bench_name("open-not-held");
  std::string posix = posix_name(name);
  holder h;
  std::string start(std::int64_t) { return h.start(name); }
  std::string stop() { return h.stop(); }
};

struct ntsem_open_close_not_held : held_elsewhere {
  bool once() {
    HANDLE s = OpenSemaphoreA(open_access, FALSE, name.c_str());
    return s && CloseHandle(s);
  }
};

struct sem_open_close_not_held : held_elsewhere {
  bool once() {
    sem_t* s = sem_open(posix.c_str(), 0);
    return s != SEM_FAILED && sem_close(s) == 0;
  }
};

// Names held by a holder child for the run, opened in turn: each was closed
// here 63 opens before, so long ago that ntsem has no parked view of it.
struct held_elsewhere_in_turn {
  static constexpr int count = 64;
  std::vector<std::string> names = held_names(bench_name("open-in-turn"), count);
  std::vector<std::string> posix;
  std::size_t next = 0;
  holder h;
  std::string start(std::int64_t) {
    for (const std::string& n : names) posix.push_back(posix_name(n));
    return h.start(bench_name("open-in-turn"), count);
  }
  std::string stop() { return h.stop(); }
  std::size_t take() {
    const std::size_t i = next;
    next = (next + 1) % names.size();
    return i;
  }
};

struct ntsem_first_open_close : held_elsewhere_in_turn {
  bool once() {
    HANDLE s = OpenSemaphoreA(open_access, FALSE, names[take()].c_str());
    return s && CloseHandle(s);
  }
};

struct sem_first_open_close : held_elsewhere_in_turn {
  bool once() {
    sem_t* s = sem_open(posix[take()].c_str(), 0);
    return s != SEM_FAILED && sem_close(s) == 0;
  }
};

// sem_open + sem_getvalue + sem_close: see sem_open_excl_touch_close_unlink.
struct sem_open_touch_close_not_held : held_elsewhere {
  bool once() {
    sem_t* s = sem_open(posix.c_str(), 0);
    int value = 0;
    return s != SEM_FAILED && sem_getvalue(s, &value) == 0 && sem_close(s) == 0;
  }
};

// -- Ping-pong --
// Each start() starts the child for n + 1 round trips and makes the first
// one, untimed, so that the child is known to be in its loop when timing
// starts.

// Named ntsem semaphores; the child waits on one with WaitForSingleObject
// (bench_support.hpp).
struct ntsem_pingpong_one : ntsem_pingpong {
  ntsem_pingpong_one() : ntsem_pingpong(1, 0) {}
};

// A MAP_SHARED anonymous mapping of T, inherited by fork.
template <class T>
T* shared_mapping() {
  void* p = mmap(nullptr, sizeof(T), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : new (p) T;
}

// fork()s a child that runs `body` and exits (no exec).
template <class Body>
pid_t fork_child(Body body) {
  pid_t pid = fork();
  if (pid == 0) {
    die_with_parent();
    _exit(body());
  }
  return pid;
}

struct two_sem_t {
  sem_t a, b;
};

struct sem_t_pingpong {
  two_sem_t* s = nullptr;
  pid_t pid = -1;
  std::string start(std::int64_t n) {
    s = shared_mapping<two_sem_t>();
    if (!s || sem_init(&s->a, 1, 0) != 0 || sem_init(&s->b, 1, 0) != 0) return "sem_init failed";
    two_sem_t* p = s;
    pid = fork_child([p, n] {
      for (std::int64_t i = 0; i <= n; ++i) {
        while (sem_wait(&p->a) != 0) {
        }
        sem_post(&p->b);
      }
      return 0;
    });
    if (pid < 0) return std::string("fork: ") + std::strerror(errno);
    return once() ? "" : "first round trip failed";
  }
  bool once() {
    if (sem_post(&s->a) != 0) return false;
    while (sem_wait(&s->b) != 0) {
      if (errno != EINTR) return false;
    }
    return true;
  }
  std::string stop() {
    std::string e;
    if (pid > 0) e = reap(pid);
    pid = -1;
    if (s) {
      sem_destroy(&s->a);
      sem_destroy(&s->b);
      munmap(s, sizeof *s);
      s = nullptr;
    }
    return e;
  }
  void abandon() {
    kill_and_reap(pid);
    pid = -1;
  }
};

// A binary semaphore on one futex word, for one waiter: 0 empty, 1 posted,
// 2 empty with the waiter asleep.  The poster makes a system call only when
// the waiter sleeps; the waiter only when it must sleep.
struct futex_flag {
  std::atomic<std::uint32_t> word{0};

  std::uint32_t* address() { return reinterpret_cast<std::uint32_t*>(&word); }
  void post() {
    if (word.exchange(1) == 2) syscall(SYS_futex, address(), FUTEX_WAKE, 1, nullptr, nullptr, 0);
  }
  void wait() {
    for (;;) {
      std::uint32_t c = 1;
      if (word.compare_exchange_strong(c, 0)) return;
      if (c == 0 && !word.compare_exchange_strong(c, 2)) continue;  // posted meanwhile
      syscall(SYS_futex, address(), FUTEX_WAIT, 2, nullptr, nullptr, 0);
    }
  }
};
static_assert(sizeof(futex_flag) == sizeof(std::uint32_t));

struct two_flags {
  futex_flag a, b;
};

struct futex_pingpong {
  two_flags* f = nullptr;
  pid_t pid = -1;
  std::string start(std::int64_t n) {
    f = shared_mapping<two_flags>();
    if (!f) return "mmap failed";
    two_flags* p = f;
    pid = fork_child([p, n] {
      for (std::int64_t i = 0; i <= n; ++i) {
        p->a.wait();
        p->b.post();
      }
      return 0;
    });
    if (pid < 0) return std::string("fork: ") + std::strerror(errno);
    once();
    return {};
  }
  bool once() {
    f->a.post();
    f->b.wait();
    return true;
  }
  std::string stop() {
    std::string e;
    if (pid > 0) e = reap(pid);
    pid = -1;
    if (f) munmap(f, sizeof *f);
    f = nullptr;
    return e;
  }
  void abandon() {
    kill_and_reap(pid);
    pid = -1;
  }
};

// ---- Benchmarks -----------------------------------------------------------------

// One process (or a helper that only holds an object): never pinned.
#define NAMED_BENCH(fn, type) \
  void fn(benchmark::State& state) { run<type>(state, false); }
// Two processes: pinned:0 lets both run anywhere, pinned:1 puts both on one CPU.
#define PINGPONG_BENCH(fn, type) \
  void fn(benchmark::State& state) { run<type>(state, state.range(0) != 0); }

NAMED_BENCH(BM_ntsem_create_close, ntsem_create_close)
NAMED_BENCH(BM_sem_open_excl_close_unlink, sem_open_excl_close_unlink)
NAMED_BENCH(BM_sem_open_creat_close, sem_open_creat_close)
NAMED_BENCH(BM_sem_open_excl_touch_close_unlink, sem_open_excl_touch_close_unlink)
NAMED_BENCH(BM_mmap_munmap, mmap_munmap)
NAMED_BENCH(BM_mmap_touch_munmap, mmap_touch_munmap)
NAMED_BENCH(BM_ntsem_open_close_held, ntsem_open_close_held)
NAMED_BENCH(BM_sem_open_close_held, sem_open_close_held)
NAMED_BENCH(BM_ntsem_open_close_not_held, ntsem_open_close_not_held)
NAMED_BENCH(BM_sem_open_close_not_held, sem_open_close_not_held)
NAMED_BENCH(BM_sem_open_touch_close_not_held, sem_open_touch_close_not_held)
NAMED_BENCH(BM_ntsem_first_open_close, ntsem_first_open_close)
NAMED_BENCH(BM_sem_first_open_close, sem_first_open_close)
PINGPONG_BENCH(BM_ntsem_pingpong, ntsem_pingpong_one)
PINGPONG_BENCH(BM_sem_t_pingpong, sem_t_pingpong)
PINGPONG_BENCH(BM_futex_pingpong, futex_pingpong)

BENCHMARK(BM_ntsem_create_close);
BENCHMARK(BM_sem_open_excl_close_unlink);
BENCHMARK(BM_sem_open_creat_close);
BENCHMARK(BM_sem_open_excl_touch_close_unlink);
BENCHMARK(BM_mmap_munmap);
BENCHMARK(BM_mmap_touch_munmap);
BENCHMARK(BM_ntsem_open_close_held);
BENCHMARK(BM_sem_open_close_held);
BENCHMARK(BM_ntsem_open_close_not_held);
BENCHMARK(BM_sem_open_close_not_held);
BENCHMARK(BM_sem_open_touch_close_not_held);
BENCHMARK(BM_ntsem_first_open_close);
BENCHMARK(BM_sem_first_open_close);
BENCHMARK(BM_ntsem_pingpong)->Arg(0)->Arg(1)->ArgName("pinned")->UseRealTime();
BENCHMARK(BM_sem_t_pingpong)->Arg(0)->Arg(1)->ArgName("pinned")->UseRealTime();
BENCHMARK(BM_futex_pingpong)->Arg(0)->Arg(1)->ArgName("pinned")->UseRealTime();

// ---- Child modes and --loop ---------------------------------------------------------

int child_hold(const std::string& name, int count) {
  die_with_parent();
  struct held {
    HANDLE h;
    sem_t* s;
    std::string posix;
  };
  std::vector<held> all;
  const auto let_go = [&] {
    for (held& o : all) {
      CloseHandle(o.h);
      sem_close(o.s);
      sem_unlink(o.posix.c_str());
    }
  };
  for (const std::string& n : held_names(name, count)) {
    HANDLE h = CreateSemaphoreA(nullptr, 1, 1, n.c_str());
    const std::string posix = posix_name(n);
    sem_t* s = sem_open(posix.c_str(), O_CREAT | O_EXCL, 0600, 1);
    if (!h || s == SEM_FAILED) {
      std::printf("create failed: ntsem error %u, sem_open errno %d\n",
                  static_cast<unsigned>(GetLastError()), s == SEM_FAILED ? errno : 0);
      if (h) CloseHandle(h);
      if (s != SEM_FAILED) sem_unlink(posix.c_str());
      let_go();
      return 1;
    }
    all.push_back({h, s, posix});
  }
  std::printf("ok\n");
  std::fflush(stdout);
  char c;
  while (read(0, &c, 1) > 0) {
  }
  let_go();
  return 0;
}

const loop_entry loops[] = {
    {"ntsem-create-close", loop<ntsem_create_close>},
    {"sem-open-excl-close-unlink", loop<sem_open_excl_close_unlink>},
    {"sem-open-creat-close", loop<sem_open_creat_close>},
    {"sem-open-excl-touch-close-unlink", loop<sem_open_excl_touch_close_unlink>},
    {"mmap-munmap", loop<mmap_munmap>},
    {"mmap-touch-munmap", loop<mmap_touch_munmap>},
    {"ntsem-open-close-held", loop<ntsem_open_close_held>},
    {"sem-open-close-held", loop<sem_open_close_held>},
    {"ntsem-open-close-not-held", loop<ntsem_open_close_not_held>},
    {"sem-open-close-not-held", loop<sem_open_close_not_held>},
    {"sem-open-touch-close-not-held", loop<sem_open_touch_close_not_held>},
    {"ntsem-first-open-close", loop<ntsem_first_open_close>},
    {"sem-first-open-close", loop<sem_first_open_close>},
    {"ntsem-pingpong", loop<ntsem_pingpong_one>},
    {"sem-t-pingpong", loop<sem_t_pingpong>},
    {"futex-pingpong", loop<futex_pingpong>},
};

int child_hold_main(char** args) { return child_hold(args[0], std::atoi(args[1])); }
const child_mode children[] = {{"--child-hold", 2, child_hold_main}};

}  // namespace

int main(int argc, char** argv) {
  return bench_main(argc, argv, children, loops);
}

// ntsem against the semaphores Linux already has, measured in one run so that
// the ratios compare like with like on the same machine at the same moment.
//
// Uncontended: one iteration is one wait plus one release on a semaphore whose
// count is 1, from a single thread, so the wait never blocks.
//   BM_floor_atomic_pair             fetch_sub + fetch_add on a std::atomic:
//                                    two locked instructions, the least any
//                                    take+give pair can cost
//   BM_ntsem_wait0_release           WaitForSingleObject(h, 0) + ReleaseSemaphore
//   BM_ntsem_wait_infinite_release   WaitForSingleObject(h, INFINITE) + ReleaseSemaphore
//   BM_sem_t_wait_post               sem_wait + sem_post, pshared sem_t in a
//                                    MAP_SHARED mapping (the cross-process peer)
//   BM_counting_semaphore_acquire_release   std::counting_semaphore<>
//
// Contended: two threads hammer one semaphore of maximum 1 (wait INFINITE,
// then release), so each iteration may sleep in the kernel and wake the other
// thread.  Real time, since the threads' CPU time excludes the sleeping.
#include <semaphore.h>
#include <sys/mman.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <semaphore>

#include <benchmark/benchmark.h>
#include <ntsem/windows.h>

namespace {

// ---- Shared objects ------------------------------------------------------
// Created once and never destroyed: the threads of a contended run use the
// same object, and a function-local static gives thread-safe creation.

HANDLE ntsem_semaphore_max1() {
  HANDLE h = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  if (!h) std::abort();
  return h;
}

// A process-shared sem_t where another process could map it, as ntsem's
// objects are: pshared=1 in a MAP_SHARED mapping.
sem_t* shared_sem_t() {
  void* p = mmap(nullptr, sizeof(sem_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) std::abort();
  auto* s = static_cast<sem_t*>(p);
  if (sem_init(s, 1, 1) != 0) std::abort();
  return s;
}

// ---- Uncontended ---------------------------------------------------------

void BM_floor_atomic_pair(benchmark::State& state) {
  std::atomic<std::uint32_t> count{1};
  for (auto _ : state) {
    benchmark::DoNotOptimize(count.fetch_sub(1));
    benchmark::DoNotOptimize(count.fetch_add(1));
  }
}
BENCHMARK(BM_floor_atomic_pair);

void ntsem_pair(benchmark::State& state, DWORD timeout) {
  HANDLE h = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  if (!h) {
    state.SkipWithError("CreateSemaphoreA failed");
    return;
  }
  for (auto _ : state) {
    if (WaitForSingleObject(h, timeout) != WAIT_OBJECT_0 || !ReleaseSemaphore(h, 1, nullptr)) {
      state.SkipWithError("wait or release failed");
      break;
    }
  }
  CloseHandle(h);
}

void BM_ntsem_wait0_release(benchmark::State& state) { ntsem_pair(state, 0); }
BENCHMARK(BM_ntsem_wait0_release);

void BM_ntsem_wait_infinite_release(benchmark::State& state) { ntsem_pair(state, INFINITE); }
BENCHMARK(BM_ntsem_wait_infinite_release);

void BM_sem_t_wait_post(benchmark::State& state) {
  sem_t* s = shared_sem_t();
  for (auto _ : state) {
    if (sem_wait(s) != 0 || sem_post(s) != 0) {
      state.SkipWithError("sem_wait or sem_post failed");
      break;
    }
  }
  sem_destroy(s);
  munmap(s, sizeof(sem_t));
}
BENCHMARK(BM_sem_t_wait_post);

void BM_counting_semaphore_acquire_release(benchmark::State& state) {
  std::counting_semaphore<> s(1);
  for (auto _ : state) {
    s.acquire();
    s.release();
  }
}
BENCHMARK(BM_counting_semaphore_acquire_release);

// ---- Contended: two threads, one unit ------------------------------------

void BM_ntsem_contended(benchmark::State& state) {
  static const HANDLE h = ntsem_semaphore_max1();
  for (auto _ : state) {
    if (WaitForSingleObject(h, INFINITE) != WAIT_OBJECT_0 || !ReleaseSemaphore(h, 1, nullptr)) {
      state.SkipWithError("wait or release failed");
      break;
    }
  }
}
BENCHMARK(BM_ntsem_contended)->Threads(2)->UseRealTime();

void BM_sem_t_contended(benchmark::State& state) {
  static sem_t* const s = shared_sem_t();
  for (auto _ : state) {
    if (sem_wait(s) != 0 || sem_post(s) != 0) {
      state.SkipWithError("sem_wait or sem_post failed");
      break;
    }
  }
}
BENCHMARK(BM_sem_t_contended)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

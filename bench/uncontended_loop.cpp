// ntsem_uncontended_loop [N] [LOOP]: N iterations of one of the paths that
// must make no system call.  syscall_check.sh runs it under strace with N
// and with 0: everything but the loop is the same in both runs, so any
// difference in system calls is the loop's.  Exit status 0 when every call
// succeeded, 1 otherwise, 2 on bad usage.
//
// LOOP:
//   wait-release (default)  one semaphore (count 1, maximum 1);
//                           WaitForSingleObject(h, 0) + ReleaseSemaphore
//   reopen-held             one named semaphore, held by this process;
//                           OpenSemaphoreA of its name + CloseHandle (the
//                           process keeps its view, so neither call needs
//                           the kernel)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <unistd.h>

#include <ntsem/windows.h>

namespace {

bool wait_release(unsigned long n) {
  HANDLE h = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  if (!h) return false;
  for (unsigned long i = 0; i < n; ++i) {
    if (WaitForSingleObject(h, 0) != WAIT_OBJECT_0) return false;
    if (!ReleaseSemaphore(h, 1, nullptr)) return false;
  }
  return CloseHandle(h) != 0;
}

bool reopen_held(unsigned long n) {
  const std::string name = "ntsem-uncontended-" + std::to_string(getpid());
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, name.c_str());
  if (!h) return false;
  for (unsigned long i = 0; i < n; ++i) {
    HANDLE again = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name.c_str());
    if (!again || !CloseHandle(again)) return false;
  }
  return CloseHandle(h) != 0;
}

int usage(const char* self) {
  std::fprintf(stderr, "usage: %s [N] [wait-release|reopen-held]\n", self);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned long n = 1'000'000;
  if (argc > 1) {
    char* end = nullptr;
    n = std::strtoul(argv[1], &end, 10);
    if (!end || *end != '\0') return usage(argv[0]);
  }
  const char* loop = argc > 2 ? argv[2] : "wait-release";
  if (std::strcmp(loop, "wait-release") == 0) return wait_release(n) ? 0 : 1;
  if (std::strcmp(loop, "reopen-held") == 0) return reopen_held(n) ? 0 : 1;
  return usage(argv[0]);
}

// ntsem_uncontended_loop [N]: creates one semaphore (count 1, maximum 1) and
// runs N (default 1,000,000) WaitForSingleObject(h, 0) + ReleaseSemaphore
// pairs.  syscall_check.sh runs it under strace with N and with 0: everything
// but the loop is the same in both runs, so any difference in system calls
// is the loop's.  Exit status 0 when every call succeeded, 1 otherwise.
#include <cstdio>
#include <cstdlib>

#include <ntsem/windows.h>

int main(int argc, char** argv) {
  unsigned long n = 1'000'000;
  if (argc > 1) {
    char* end = nullptr;
    n = std::strtoul(argv[1], &end, 10);
    if (!end || *end != '\0') {
      std::fprintf(stderr, "usage: %s [N]\n", argv[0]);
      return 2;
    }
  }
  HANDLE h = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  if (!h) return 1;
  for (unsigned long i = 0; i < n; ++i) {
    if (WaitForSingleObject(h, 0) != WAIT_OBJECT_0) return 1;
    if (!ReleaseSemaphore(h, 1, nullptr)) return 1;
  }
  return CloseHandle(h) ? 0 : 1;
}

/* Uses the installed headers and library from C. */
#include <ntsem/namespace.h>
#include <ntsem/windows.h>

int main(void) {
  HANDLE h = CreateSemaphoreA(NULL, 0, 2, NULL);
  LONG previous = -1;
  if (!h || !ReleaseSemaphore(h, 2, &previous) || previous != 0) return 1;
  if (ReleaseSemaphore(h, 1, NULL) || GetLastError() != ERROR_TOO_MANY_POSTS) return 2;
  /* No scope: refused before anything is read, so the machine's objects are left alone. */
  NTSEM_GC_SUMMARY summary;
  if (NtsemRemoveLeftovers(0, 0, NULL, NULL, &summary) || GetLastError() != ERROR_INVALID_PARAMETER)
    return 4;
  return CloseHandle(h) ? 0 : 3;
}

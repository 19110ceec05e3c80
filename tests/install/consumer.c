/* Uses the installed headers and library from C. */
#include <ntsem/windows.h>

int main(void) {
  HANDLE h = CreateSemaphoreA(NULL, 0, 2, NULL);
  LONG previous = -1;
  if (!h || !ReleaseSemaphore(h, 2, &previous) || previous != 0) return 1;
  if (ReleaseSemaphore(h, 1, NULL) || GetLastError() != ERROR_TOO_MANY_POSTS) return 2;
  return CloseHandle(h) ? 0 : 3;
}

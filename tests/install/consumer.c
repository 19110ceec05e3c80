/* Uses the installed headers and library from C. */
#include <ntsem/namespace.h>
#include <ntsem/sddl.h>
#include <ntsem/windows.h>

int main(void) {
  PSECURITY_DESCRIPTOR sd = NULL;
  SECURITY_ATTRIBUTES sa;
  HANDLE h;
  LONG previous = -1;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorA("D:(A;;GA;;;WD)", SDDL_REVISION_1, &sd,
                                                            NULL))
    return 4;
  sa.nLength = sizeof sa;
  sa.lpSecurityDescriptor = sd;
  sa.bInheritHandle = FALSE;
  h = CreateSemaphoreA(&sa, 0, 2, NULL);
  LocalFree(sd);
  if (!h || !ReleaseSemaphore(h, 2, &previous) || previous != 0) return 1;
  if (ReleaseSemaphore(h, 1, NULL) || GetLastError() != ERROR_TOO_MANY_POSTS) return 2;
  /* No scope: refused before anything is read, so the machine's objects are left alone. */
  NTSEM_GC_SUMMARY summary;
  if (NtsemRemoveLeftovers(0, 0, NULL, NULL, &summary) || GetLastError() != ERROR_INVALID_PARAMETER)
    return 5;
  /* An unknown flag: refused the same way. */
  if (NtsemRemoveDeadProcessRecords(0x80u, NULL, NULL, &summary) ||
      GetLastError() != ERROR_INVALID_PARAMETER)
    return 6;
  return CloseHandle(h) ? 0 : 3;
}

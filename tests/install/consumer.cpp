// Uses the installed headers and library from C++.
#include <ntsem/winternl.h>

int main() {
  HANDLE h = CreateSemaphoreW(nullptr, 1, 1, u"");
  if (!h || WaitForSingleObject(h, 0) != WAIT_OBJECT_0) return 1;
  SEMAPHORE_BASIC_INFORMATION info{};
  if (NtQuerySemaphore(h, SemaphoreBasicInformation, &info, sizeof(info), nullptr) != 0) return 2;
  return info.CurrentCount == 0 && CloseHandle(h) ? 0 : 3;
}

// CreateSemaphore[Ex]A/W, ReleaseSemaphore.
#include <ntsem/winternl.h>

#include "nt/native.hpp"
#include "win32/last_error.hpp"

using namespace ntsem;

namespace {

template <class Char>
bool is_empty_name(const Char* name) {
  return !name || name[0] == 0;
}

HANDLE create_semaphore(LPSECURITY_ATTRIBUTES attributes, LONG initial, LONG maximum,
                        bool named, DWORD access) {
  if (named) {
    // Named objects are not supported yet; refuse rather than ignore the name.
    win32::fail(STATUS_NOT_SUPPORTED);
    return nullptr;
  }
  OBJECT_ATTRIBUTES oa{};
  oa.Length = sizeof(oa);
  if (attributes && attributes->bInheritHandle) oa.Attributes |= OBJ_INHERIT;
  if (attributes) oa.SecurityDescriptor = attributes->lpSecurityDescriptor;
  HANDLE h = nullptr;
  NTSTATUS status = NtCreateSemaphore(&h, access, &oa, initial, maximum);
  if (status != STATUS_SUCCESS) {
    win32::fail(status);
    return nullptr;
  }
  // A new object: the last error is cleared, as on Windows.
  win32::set_last_error(ERROR_SUCCESS);
  return h;
}

}  // namespace

extern "C" {

HANDLE CreateSemaphoreA(LPSECURITY_ATTRIBUTES attributes, LONG initial, LONG maximum,
                        LPCSTR name) {
  return create_semaphore(attributes, initial, maximum, !is_empty_name(name), SEMAPHORE_ALL_ACCESS);
}

HANDLE CreateSemaphoreW(LPSECURITY_ATTRIBUTES attributes, LONG initial, LONG maximum,
                        LPCWSTR name) {
  return create_semaphore(attributes, initial, maximum, !is_empty_name(name), SEMAPHORE_ALL_ACCESS);
}

HANDLE CreateSemaphoreExA(LPSECURITY_ATTRIBUTES attributes, LONG initial, LONG maximum,
                          LPCSTR name, DWORD flags, DWORD access) {
  (void)flags;  // reserved; Windows does not reject a non-zero value
  return create_semaphore(attributes, initial, maximum, !is_empty_name(name), access);
}

HANDLE CreateSemaphoreExW(LPSECURITY_ATTRIBUTES attributes, LONG initial, LONG maximum,
                          LPCWSTR name, DWORD flags, DWORD access) {
  (void)flags;
  return create_semaphore(attributes, initial, maximum, !is_empty_name(name), access);
}

BOOL ReleaseSemaphore(HANDLE h, LONG count, LPLONG previous) {
  NTSTATUS status = nt::release_semaphore(h, count, previous);
  return status == STATUS_SUCCESS ? TRUE : win32::fail(status);
}

}  // extern "C"

// CreateSemaphore[Ex]A/W, OpenSemaphoreA/W, ReleaseSemaphore.
#include <ntsem/winternl.h>

#include "nt/native.hpp"
#include "win32/last_error.hpp"
#include "win32/object_request.hpp"

using namespace ntsem;

namespace {

template <class Char>
HANDLE create_semaphore(LPSECURITY_ATTRIBUTES attributes, LONG initial, LONG maximum,
                        const Char* name, DWORD access) {
  return win32::create_handle(attributes, name,
                              [&](HANDLE* h, const nt::object_request& request) {
                                return nt::create_semaphore(h, access, request, initial, maximum);
                              });
}

}  // namespace

extern "C" {

HANDLE CreateSemaphoreA(LPSECURITY_ATTRIBUTES attributes, LONG initial, LONG maximum,
                        LPCSTR name) {
  return create_semaphore(attributes, initial, maximum, name, SEMAPHORE_ALL_ACCESS);
}

HANDLE CreateSemaphoreW(LPSECURITY_ATTRIBUTES attributes, LONG initial, LONG maximum,
                        LPCWSTR name) {
  return create_semaphore(attributes, initial, maximum, name, SEMAPHORE_ALL_ACCESS);
}

HANDLE CreateSemaphoreExA(LPSECURITY_ATTRIBUTES attributes, LONG initial, LONG maximum,
                          LPCSTR name, DWORD flags, DWORD access) {
  (void)flags;  // reserved; Windows does not reject a non-zero value
  return create_semaphore(attributes, initial, maximum, name, access);
}

HANDLE CreateSemaphoreExW(LPSECURITY_ATTRIBUTES attributes, LONG initial, LONG maximum,
                          LPCWSTR name, DWORD flags, DWORD access) {
  (void)flags;
  return create_semaphore(attributes, initial, maximum, name, access);
}

HANDLE OpenSemaphoreA(DWORD access, BOOL inherit, LPCSTR name) {
  return win32::open_handle(access, inherit, name, nt::open_semaphore);
}

HANDLE OpenSemaphoreW(DWORD access, BOOL inherit, LPCWSTR name) {
  return win32::open_handle(access, inherit, name, nt::open_semaphore);
}

BOOL ReleaseSemaphore(HANDLE h, LONG count, LPLONG previous) {
  NTSTATUS status = nt::release_semaphore(h, count, previous);
  return status == STATUS_SUCCESS ? TRUE : win32::fail(status);
}

}  // extern "C"

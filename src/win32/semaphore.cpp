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
  nt::object_request request;
  if (NTSTATUS s = win32::creation_request(attributes, name, &request); s != STATUS_SUCCESS)
    return win32::fail_handle(s);
  HANDLE h = nullptr;
  const NTSTATUS s = nt::create_semaphore(&h, access, request, initial, maximum);
  return win32::created_handle(s, h);
}

template <class Char>
HANDLE open_semaphore(DWORD access, BOOL inherit, const Char* name) {
  nt::object_request request;
  if (NTSTATUS s = win32::open_request(inherit, name, &request); s != STATUS_SUCCESS)
    return win32::fail_handle(s);
  HANDLE h = nullptr;
  NTSTATUS s = nt::open_semaphore(&h, access, request);
  return s == STATUS_SUCCESS ? h : win32::fail_handle(s);
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
  return open_semaphore(access, inherit, name);
}

HANDLE OpenSemaphoreW(DWORD access, BOOL inherit, LPCWSTR name) {
  return open_semaphore(access, inherit, name);
}

BOOL ReleaseSemaphore(HANDLE h, LONG count, LPLONG previous) {
  NTSTATUS status = nt::release_semaphore(h, count, previous);
  return status == STATUS_SUCCESS ? TRUE : win32::fail(status);
}

}  // extern "C"

// CreateMutex[Ex]A/W, OpenMutexA/W, ReleaseMutex.
#include <ntsem/winternl.h>

#include "nt/native.hpp"
#include "win32/last_error.hpp"
#include "win32/object_request.hpp"

using namespace ntsem;

namespace {

// CreateMutexEx's one flag; other bits are ignored, as ReactOS's kernel32
// and Wine do.
template <class Char>
HANDLE create_mutex(LPSECURITY_ATTRIBUTES attributes, const Char* name, DWORD flags,
                    DWORD access) {
  return win32::create_handle(attributes, name, [&](HANDLE* h, const nt::object_request& request) {
    return nt::create_mutant(h, access, request, (flags & CREATE_MUTEX_INITIAL_OWNER) != 0);
  });
}

DWORD flags_of(BOOL initial_owner) { return initial_owner ? CREATE_MUTEX_INITIAL_OWNER : 0; }

}  // namespace

extern "C" {

HANDLE CreateMutexA(LPSECURITY_ATTRIBUTES attributes, BOOL initial_owner, LPCSTR name) {
  return create_mutex(attributes, name, flags_of(initial_owner), MUTEX_ALL_ACCESS);
}

HANDLE CreateMutexW(LPSECURITY_ATTRIBUTES attributes, BOOL initial_owner, LPCWSTR name) {
  return create_mutex(attributes, name, flags_of(initial_owner), MUTEX_ALL_ACCESS);
}

HANDLE CreateMutexExA(LPSECURITY_ATTRIBUTES attributes, LPCSTR name, DWORD flags, DWORD access) {
  return create_mutex(attributes, name, flags, access);
}

HANDLE CreateMutexExW(LPSECURITY_ATTRIBUTES attributes, LPCWSTR name, DWORD flags,
                      DWORD access) {
  return create_mutex(attributes, name, flags, access);
}

HANDLE OpenMutexA(DWORD access, BOOL inherit, LPCSTR name) {
  return win32::open_handle(access, inherit, name, nt::open_mutant);
}

HANDLE OpenMutexW(DWORD access, BOOL inherit, LPCWSTR name) {
  return win32::open_handle(access, inherit, name, nt::open_mutant);
}

BOOL ReleaseMutex(HANDLE h) { return win32::bool_result(nt::release_mutant(h, nullptr)); }

}  // extern "C"

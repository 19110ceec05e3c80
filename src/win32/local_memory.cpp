#include "win32/local_memory.hpp"

#include <cstdlib>
#include <cstring>

#include <ntsem/windows.h>

namespace ntsem::win32 {

void* local_alloc(std::size_t size) { return std::malloc(size == 0 ? 1 : size); }

void* local_copy(const void* data, std::size_t size) {
  void* p = local_alloc(size);
  if (p) std::memcpy(p, data, size);
  return p;
}

void local_free(void* p) { std::free(p); }

}  // namespace ntsem::win32

extern "C" HLOCAL LocalFree(HLOCAL memory) {
  ntsem::win32::local_free(memory);
  return nullptr;
}

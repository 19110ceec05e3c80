// One million unnamed semaphores alive in one process, 64 bytes of shared
// state each (DESIGN.md property 9).
#include <gtest/gtest.h>

#include <vector>

#include <ntsem/windows.h>

#include "shm/object_slot.hpp"
#include "support/semaphore_state.hpp"

namespace {

TEST(Scale, OneMillionSemaphores) {
  static_assert(sizeof(ntsem::shm::object_slot) == 64);
  constexpr std::size_t n = 1'000'000;
  const std::size_t before = ntsem::test::live_objects();
  std::vector<HANDLE> handles;
  handles.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    HANDLE h = CreateSemaphoreA(nullptr, LONG(i % 2), 1, nullptr);
    ASSERT_NE(h, nullptr) << i << " error " << GetLastError();
    handles.push_back(h);
  }
  EXPECT_EQ(ntsem::test::live_objects(), before + n);
  for (std::size_t i = 0; i < n; ++i)
    ASSERT_EQ(WaitForSingleObject(handles[i], 0), i % 2 ? WAIT_OBJECT_0 : WAIT_TIMEOUT) << i;
  for (HANDLE h : handles) ASSERT_TRUE(CloseHandle(h));
  EXPECT_EQ(ntsem::test::live_objects(), before);
}

}  // namespace

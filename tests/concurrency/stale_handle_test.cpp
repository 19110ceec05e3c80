// Operations through a handle that another thread is closing either act on
// that handle's object or fail with ERROR_INVALID_HANDLE; they never reach an
// object created afterwards in the same slot or table entry.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include <ntsem/windows.h>

#include "support/semaphore_state.hpp"

namespace {

TEST(StaleHandles, RacingClosesNeverTouchNewerObjects) {
  constexpr int rounds = 20000;
  std::atomic<HANDLE> published{nullptr};
  std::atomic<bool> done{false};
  std::atomic<bool> wrong{false};
  std::vector<HANDLE> victims;  // created after each close; nobody releases them

  std::thread attacker([&] {
    while (!done) {
      HANDLE h = published.load();
      if (!h) continue;
      if (!ReleaseSemaphore(h, 1, nullptr) && GetLastError() != ERROR_INVALID_HANDLE &&
          GetLastError() != ERROR_TOO_MANY_POSTS)
        wrong = true;
      DWORD r = WaitForSingleObject(h, 0);
      if (r == WAIT_FAILED && GetLastError() != ERROR_INVALID_HANDLE) wrong = true;
    }
  });
  for (int i = 0; i < rounds; ++i) {
    HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
    published = h;
    std::this_thread::yield();
    CloseHandle(h);
    victims.push_back(CreateSemaphoreA(nullptr, 0, 1, nullptr));
    if (victims.size() == 64) {  // keep slots cycling: free a batch of victims
      for (HANDLE v : victims) {
        if (ntsem::test::count_of(v) != 0) wrong = true;
        CloseHandle(v);
      }
      victims.clear();
    }
  }
  done = true;
  attacker.join();
  for (HANDLE v : victims) {
    EXPECT_EQ(ntsem::test::count_of(v), 0);
    CloseHandle(v);
  }
  EXPECT_FALSE(wrong.load());
}

}  // namespace

// The handle table: value encoding, generations, reuse order.
#include <gtest/gtest.h>

#include <set>

#include "handle/handle_table.hpp"
#include "object/semaphore.hpp"

namespace {

using namespace ntsem;

std::uintptr_t value(HANDLE h) { return reinterpret_cast<std::uintptr_t>(h); }

class HandleTable : public ::testing::Test {
 protected:
  HANDLE insert_semaphore() {
    handle::handle_info info;
    EXPECT_EQ(object::create_semaphore(0, 1, &info.object), STATUS_SUCCESS);
    info.type = shm::object_type::semaphore;
    info.access = SEMAPHORE_ALL_ACCESS;
    HANDLE h = nullptr;
    EXPECT_EQ(handle::insert(info, &h), STATUS_SUCCESS);
    return h;
  }
};

TEST_F(HandleTable, ValuesCarryAGenerationAboveThirtyTwoBitsAndAreMultiplesOfFour) {
  HANDLE h = insert_semaphore();
  EXPECT_EQ(value(h) % 4, 0u);
  EXPECT_GE(value(h) >> 32, 1u);
  EXPECT_EQ(value(h) >> 63, 0u);
  EXPECT_EQ(handle::close(h), STATUS_SUCCESS);
}

TEST_F(HandleTable, ClosedEntryIsReusedWithANewGeneration) {
  const std::size_t live_before = handle::live_handles();
  HANDLE first = insert_semaphore();
  ASSERT_EQ(handle::close(first), STATUS_SUCCESS);
  // Entries are reused first-in first-out: cycle through the free ones until
  // the same index comes back.
  std::set<std::uintptr_t> seen;
  HANDLE again = nullptr;
  std::vector<HANDLE> held;
  for (int i = 0; i < 100000 && !again; ++i) {
    HANDLE h = insert_semaphore();
    if ((value(h) & 0xFFFF'FFFF) == (value(first) & 0xFFFF'FFFF)) again = h;
    else held.push_back(h);
  }
  ASSERT_NE(again, nullptr);
  EXPECT_NE(again, first);
  EXPECT_EQ(value(again) >> 32, (value(first) >> 32) + 1);
  handle::handle_info info;
  EXPECT_EQ(handle::lookup(first, &info), STATUS_INVALID_HANDLE);
  EXPECT_EQ(handle::lookup(again, &info), STATUS_SUCCESS);
  EXPECT_EQ(handle::close(again), STATUS_SUCCESS);
  for (HANDLE h : held) handle::close(h);
  EXPECT_EQ(handle::live_handles(), live_before);
}

TEST_F(HandleTable, MadeUpValuesAreRefused) {
  handle::handle_info info;
  for (std::uintptr_t v : {std::uintptr_t{0}, std::uintptr_t{4}, std::uintptr_t{0x1234},
                           std::uintptr_t{0x0000'0001'0000'0000},  // index 0
                           std::uintptr_t{0x7FFF'FFFF'FFFF'FFFC},
                           ~std::uintptr_t{0}, ~std::uintptr_t{1}})
    EXPECT_EQ(handle::lookup(reinterpret_cast<HANDLE>(v), &info), STATUS_INVALID_HANDLE) << v;
}

TEST_F(HandleTable, ProtectedHandleIsNotClosable) {
  HANDLE h = insert_semaphore();
  ASSERT_EQ(handle::set_flags(h, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE),
            STATUS_SUCCESS);
  EXPECT_EQ(handle::close(h), STATUS_HANDLE_NOT_CLOSABLE);
  ASSERT_EQ(handle::set_flags(h, HANDLE_FLAG_PROTECT_FROM_CLOSE, 0), STATUS_SUCCESS);
  EXPECT_EQ(handle::close(h), STATUS_SUCCESS);
}

}  // namespace

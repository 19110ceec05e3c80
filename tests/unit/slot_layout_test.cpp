// The state word encoding of shm/object_slot.hpp and the per-process life
// word of object/object_ref.hpp.
#include <gtest/gtest.h>

#include "object/object_ref.hpp"
#include "shm/object_slot.hpp"

namespace {

using namespace ntsem::shm;

TEST(StateWord, FieldsDoNotOverlap) {
  const std::uint64_t s = state::make(0x3FFF'FFFF, 0x7FFF'FFFF);
  EXPECT_EQ(state::incarnation(s), 0x3FFF'FFFFu);
  EXPECT_EQ(state::value(s), 0x7FFF'FFFFu);
  EXPECT_EQ(s & state::locked, 0u);
  EXPECT_EQ(s & state::queued, 0u);
  const std::uint64_t flagged = s | state::locked | state::queued;
  EXPECT_EQ(state::value(flagged), 0x7FFF'FFFFu);
  EXPECT_EQ(state::incarnation(flagged), 0x3FFF'FFFFu);
  EXPECT_EQ(state::value(state::with_value(flagged, 5)), 5u);
  EXPECT_NE(state::with_value(flagged, 5) & state::locked, 0u);
  EXPECT_NE(state::with_value(flagged, 5) & state::queued, 0u);
}

TEST(StateWord, IncarnationWraps) {
  EXPECT_EQ(state::incarnation(state::make(0x4000'0001, 0)), 1u);
}

TEST(LifeWord, RefsAndGeneration) {
  namespace life = ntsem::object::life;
  const std::uint64_t l = life::make(0xFFFF'FFFF, 0xFFFF'FFFF);
  EXPECT_EQ(life::refs(l), 0xFFFF'FFFFu);
  EXPECT_EQ(life::generation(l), 0xFFFF'FFFFu);
  EXPECT_EQ(life::refs(life::make(7, 0)), 0u);
}

TEST(ObjectHome, StaleReferenceCannotReviveOrCountTowardsTheNextObject) {
  using namespace ntsem::object;
  static int released = 0;
  static const home_operations count_release{[](object_home&) { ++released; }};
  object_home home;
  object_ref first{nullptr, 1, &home, start_home(home, count_release)};
  EXPECT_TRUE(add_ref(first));
  drop_ref(first);
  drop_ref(first);
  EXPECT_EQ(released, 1);
  EXPECT_FALSE(add_ref(first));  // released: refs == 0
  object_ref second{nullptr, 1, &home, start_home(home, count_release)};
  EXPECT_NE(second.home_generation, first.home_generation);
  EXPECT_FALSE(add_ref(first));  // stale generation
  EXPECT_TRUE(add_ref(second));
  drop_ref(second);
  drop_ref(second);
  EXPECT_EQ(released, 2);
}

}  // namespace

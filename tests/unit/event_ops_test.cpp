// The event's state value (object/object_type.hpp, event_ops) and the
// operations on an event's slot (object/event.hpp).
#include <gtest/gtest.h>

#include "object/event.hpp"
#include "object/state_word.hpp"

namespace {

using ntsem::object::event_ops;

TEST(EventOps, TheValueHoldsSignaledAndManualResetAndNothingElse) {
  EXPECT_EQ(event_ops::value_of(false, false), 0u);
  EXPECT_EQ(event_ops::value_of(false, true), 1u);
  EXPECT_EQ(event_ops::value_of(true, false), 2u);
  EXPECT_EQ(event_ops::value_of(true, true), 3u);
  for (std::uint32_t v = 0; v <= 3; ++v) {
    EXPECT_EQ(event_ops::signaled(v), (v & 1) != 0) << v;
    EXPECT_EQ(event_ops::manual_reset(v), (v & 2) != 0) << v;
  }
}

// A satisfied wait resets an auto-reset event and leaves a manual-reset one
// signaled; the reset mode never changes (INV-EVENT).
TEST(EventOps, AWaitResetsOnlyAnAutoResetEvent) {
  EXPECT_EQ(event_ops::after_wait(event_ops::value_of(false, true)), 0u);
  EXPECT_EQ(event_ops::after_wait(event_ops::value_of(true, true)), 3u);
  static_assert(!event_ops::signaled(0) && !event_ops::signaled(2));
}

TEST(EventOps, AccessMappingIsWindows) {
  using ntsem::object::map_generic_access;
  EXPECT_EQ(map_generic_access(GENERIC_READ, event_ops::mapping), READ_CONTROL | EVENT_QUERY_STATE);
  EXPECT_EQ(map_generic_access(GENERIC_WRITE, event_ops::mapping),
            READ_CONTROL | EVENT_MODIFY_STATE);
  EXPECT_EQ(map_generic_access(GENERIC_EXECUTE, event_ops::mapping), READ_CONTROL | SYNCHRONIZE);
  EXPECT_EQ(map_generic_access(GENERIC_ALL, event_ops::mapping), DWORD{EVENT_ALL_ACCESS});
  EXPECT_EQ(DWORD{EVENT_ALL_ACCESS}, 0x1F0003u);
}

struct event_slot_state {
  bool manual_reset;
  bool signaled;
  friend bool operator==(const event_slot_state&, const event_slot_state&) = default;
};

event_slot_state state_of(const ntsem::object::object_ref& ref) {
  event_slot_state s{};
  EXPECT_EQ(ntsem::object::query_event(ref, &s.manual_reset, &s.signaled), STATUS_SUCCESS);
  return s;
}

TEST(EventSlot, SetAndResetReportThePreviousStateAndKeepTheResetMode) {
  using namespace ntsem::object;
  for (bool manual : {false, true}) {
    object_ref ref;
    ASSERT_EQ(create_event(manual, false, &ref), STATUS_SUCCESS);
    EXPECT_EQ(ref.slot->maximum.load(), 0);
    EXPECT_EQ(state_of(ref), (event_slot_state{manual, false}));
    LONG previous = 7;
    EXPECT_EQ(change_event(ref, event_change::set, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 0);
    EXPECT_EQ(change_event(ref, event_change::set, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 1);
    EXPECT_EQ(state_of(ref), (event_slot_state{manual, true}));
    EXPECT_EQ(change_event(ref, event_change::reset, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 1);
    EXPECT_EQ(change_event(ref, event_change::reset, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(state_of(ref), (event_slot_state{manual, false}));
    drop_ref(ref);
  }
}

TEST(EventSlot, ATakeResetsOnlyAnAutoResetEvent) {
  using namespace ntsem::object;
  object_ref automatic, manual;
  ASSERT_EQ(create_event(false, true, &automatic), STATUS_SUCCESS);
  ASSERT_EQ(create_event(true, true, &manual), STATUS_SUCCESS);
  EXPECT_EQ(try_take<event_ops>(automatic), take_result::taken);
  EXPECT_EQ(try_take<event_ops>(automatic), take_result::not_signaled);
  EXPECT_EQ(try_take<event_ops>(manual), take_result::taken);
  EXPECT_EQ(try_take<event_ops>(manual), take_result::taken);
  EXPECT_EQ(state_of(manual), (event_slot_state{true, true}));
  drop_ref(automatic);
  drop_ref(manual);
}

// A reference that outlived its object changes nothing in the slot's next
// object (INV-INCARNATION).
TEST(EventSlot, ADeadEventIsNeverChanged) {
  using namespace ntsem::object;
  object_ref dead;
  ASSERT_EQ(create_event(false, false, &dead), STATUS_SUCCESS);
  const object_ref stale = dead;
  drop_ref(dead);
  LONG previous = 7;
  EXPECT_EQ(change_event(stale, event_change::set, &previous), STATUS_INVALID_HANDLE);
  EXPECT_EQ(previous, 7);
  bool manual = false, signaled = false;
  EXPECT_EQ(query_event(stale, &manual, &signaled), STATUS_INVALID_HANDLE);
}

}  // namespace

// The objects whose waits take a unit (a semaphore, an auto-reset event),
// as the tests of hand-off across processes make, signal and read them
// (unit_handoff_death_test.cpp, offer_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include <ntsem/windows.h>

#include "process/engine_child_process.hpp"
#include "support/child_process.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"

namespace ntsem::test {

// The kind of object handed on, with the calls that make, signal and read
// it.
struct unit_object {
  const char* test_name;
  const char* child_open;     // ntsem_child's command that opens it by name
  const char* child_signal;   // ntsem_child's command that signals h0
  const char* child_signaled; // and its answer from an object that held nothing
  const char* engine_open;    // engine_child's command that opens it by name
  const char* engine_signal;  // engine_child's command that signals it
  HANDLE (*create)(SECURITY_ATTRIBUTES* attributes, const char* name);
  // 1 while the object holds the unit, 0 once it is taken.
  LONG (*units)(HANDLE h);
};

inline const unit_object semaphore{
    "Semaphore", "open-sem", "release h0 1", "ok prev=0", "open-semaphore", "release-semaphore",
    [](SECURITY_ATTRIBUTES* a, const char* name) { return CreateSemaphoreA(a, 0, 5, name); },
    [](HANDLE h) { return count_of(h); }};

inline const unit_object auto_reset_event{
    "AutoResetEvent", "open-event", "set-event h0", "ok", "open-event", "set-event",
    [](SECURITY_ATTRIBUTES* a, const char* name) { return CreateEventA(a, FALSE, FALSE, name); },
    [](HANDLE h) {
      // NtQueryEvent reads the state as a query does (it waits out a seal).
      EVENT_BASIC_INFORMATION info{};
      return NtQueryEvent(h, EventBasicInformation, &info, sizeof info, nullptr) == STATUS_SUCCESS
                 ? info.EventState
                 : LONG{-1};
    }};

// The object, made for the test, and the helpers around it.
class unit_handoff : public ::testing::TestWithParam<const unit_object*> {
 protected:
  // `sddl` null: the default descriptor (the creating user only).
  void make(const char* sddl) {
    sddl_descriptor descriptor(sddl ? sddl : "");
    ASSERT_TRUE(!sddl || descriptor.ok());
    object_ = GetParam()->create(sddl ? descriptor.attributes() : nullptr, name_.c_str());
    ASSERT_NE(object_, nullptr) << GetLastError();
  }
  void TearDown() override {
    if (object_) {
      EXPECT_TRUE(CloseHandle(object_));
    }
  }

  std::string child_open() const { return std::string(GetParam()->child_open) + " " + name_; }

  // G, an engine_child with the object open and fault point `point` armed
  // (`how`: "" to die there, "stop" to stop), then sent `command`; run as
  // `user` if one is given.
  child_process to_the_fault_point(const std::string& how, const std::string& command,
                                   const std::string& point = "unit-given-unstored",
                                   std::optional<user_ids> user = {}) {
    child_process g = start_engine_child({}, user);
    EXPECT_EQ(g.ask(std::string(GetParam()->engine_open) + " " + name_), "opened");
    EXPECT_EQ(g.ask("arm-fault " + point + " " + how), "armed");
    g.send(command);
    return g;
  }

  // A has its unit, once: the object holds none, and nobody else can take
  // one.
  void expect_given_once(child_process& a) {
    EXPECT_EQ(a.expect_line(), "result=0x00000000 err=0");
    EXPECT_EQ(GetParam()->units(object_), 0);
    EXPECT_EQ(queue_length(object_), 0u);
    EXPECT_EQ(WaitForSingleObject(object_, 0), static_cast<DWORD>(WAIT_TIMEOUT));
    EXPECT_TRUE(a.wait_exit().exited_with(0));
  }

  const std::string name_ = "Global\\" + unique_name("unit-handoff");
  HANDLE object_ = nullptr;
};

inline std::string type_name(const ::testing::TestParamInfo<const unit_object*>& type) {
  return type.param->test_name;
}

}  // namespace ntsem::test

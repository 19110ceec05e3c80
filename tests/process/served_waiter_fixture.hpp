// A fixture for the tests of a release that serves another process's
// wait-all (wait/serve_all.hpp): on top of `Base`, which provides
// wait_all_in(w) (W, an ntsem_child, waits for all of the objects, queued
// on the first and asleep) and queue_behind(x) (X, another, asleep on that
// object behind W), both set up before each test, and both expected to
// exit cleanly after it.
#pragma once

#include <gtest/gtest.h>

#include "support/child_process.hpp"

namespace ntsem::test {

template <class Base>
class served_waiter_fixture : public Base {
 protected:
  void SetUp() override {
    Base::SetUp();
    ASSERT_NO_FATAL_FAILURE(this->wait_all_in(w_));
    ASSERT_NO_FATAL_FAILURE(this->queue_behind(x_));
  }
  void TearDown() override {
    if (!this->HasFailure()) {
      EXPECT_TRUE(w_.wait_exit().exited_with(0));
      EXPECT_TRUE(x_.wait_exit().exited_with(0));
    }
    Base::TearDown();
  }

  child_process w_;
  child_process x_;
};

}  // namespace ntsem::test

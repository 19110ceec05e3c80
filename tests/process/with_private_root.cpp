// The executable this is linked into runs in a namespace root of its own
// (support/private_root.hpp); under CTest, which runs each case in a process
// of its own, so does every case.  Run whole by hand, its cases share one
// root, and those that list or collect the namespace see each other's files.
#include "support/private_root.hpp"

namespace {

const auto* const root =
    ::testing::AddGlobalTestEnvironment(new ntsem::test::private_namespace_root);

}  // namespace

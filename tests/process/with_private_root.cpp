// Every case of the executable this is linked into runs in a namespace root
// of its own (support/private_root.hpp).
#include "support/private_root.hpp"

namespace {

const auto* const root =
    ::testing::AddGlobalTestEnvironment(new ntsem::test::private_namespace_root);

}  // namespace

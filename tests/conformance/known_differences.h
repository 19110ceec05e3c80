// The cases that cannot pass in every world, and why.  The list itself, with
// a reason and a public reference for each entry, is known_differences.cpp.
//
// The native build never skips anything: it asserts Windows' behaviour (and
// where ntsem goes beyond Windows, ntsem's promise).  Only a Windows build
// consults the list, and only for the entries that apply where it runs.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace conformance {

enum class differs_in {
  wine,     // Wine differs from Windows; ntsem follows Windows
  windows,  // ntsem goes beyond Windows on purpose (so Wine differs too)
};

struct known_difference {
  const char* test;  // the case, "Suite.Name"
  differs_in where;
  const char* reason;
  const char* reference;
};

std::span<const known_difference> known_differences();

// The entry that skips `test` in the running world, or null (natively: always).
const known_difference* skipped_here(std::string_view test);

// Where the suite runs: "ntsem", "Wine <version>" or "Windows".
std::string world();

}  // namespace conformance

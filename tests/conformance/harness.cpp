// The runner: runs every registered case (or those whose name contains one of
// the arguments), one after the other, and ends with exactly one summary line
//   N passed, N failed, N skipped
// that scripts parse.  Exits non-zero on any failure.
#include "harness.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>
#include <string_view>

#include "known_differences.h"

namespace conformance {

namespace {

struct test_case {
  std::string name;
  std::function<void()> body;
};

std::vector<test_case>& registry() {
  static std::vector<test_case> cases;  // filled during static initialization
  return cases;
}

std::mutex output_mutex;
std::atomic<int> failures_in_case{0};
thread_local std::vector<std::string> active_notes;

const char* base_name(const char* path) {
  const char* name = path;
  for (const char* p = path; *p != '\0'; ++p)
    if (*p == '/' || *p == '\\') name = p + 1;
  return name;
}

bool selected(std::string_view name, const std::vector<std::string_view>& filters) {
  if (filters.empty()) return true;
  return std::any_of(filters.begin(), filters.end(),
                     [&](std::string_view f) { return name.find(f) != std::string_view::npos; });
}

// Every entry of the known-differences list must name a case: a renamed case
// would otherwise silently run (and fail) where it is meant to be skipped.
int stale_known_differences() {
  int stale = 0;
  for (const known_difference& d : known_differences()) {
    const bool exists = std::any_of(registry().begin(), registry().end(),
                                    [&](const test_case& c) { return c.name == d.test; });
    if (!exists) {
      std::printf("known_differences.cpp: no case is named %s\n", d.test);
      ++stale;
    }
  }
  return stale;
}

enum class outcome { passed, failed, skipped };

outcome run(const test_case& c) {
  if (const known_difference* d = skipped_here(c.name)) {
    std::printf("SKIP %s\n     %s\n     see %s\n", c.name.c_str(), d->reason, d->reference);
    return outcome::skipped;
  }
  failures_in_case = 0;
  const auto start = std::chrono::steady_clock::now();
  try {
    c.body();
  } catch (const case_aborted&) {
    // Already reported by the REQUIRE that threw.
  } catch (const case_skipped& s) {
    std::printf("SKIP %s\n     %s\n", c.name.c_str(), s.reason.c_str());
    return outcome::skipped;
  } catch (const std::exception& e) {
    report_failure("harness", 0, std::string("unexpected exception: ") + e.what());
  } catch (...) {
    report_failure("harness", 0, "unexpected exception");
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  const bool ok = failures_in_case == 0;
  std::printf("%s %s (%lld ms)\n", ok ? "ok  " : "FAIL", c.name.c_str(),
              static_cast<long long>(ms));
  std::fflush(stdout);
  return ok ? outcome::passed : outcome::failed;
}

}  // namespace

void add_case(std::string name, std::function<void()> body) {
  registry().push_back({std::move(name), std::move(body)});
}

void report_failure(const char* file, int line, const std::string& what) {
  ++failures_in_case;
  std::lock_guard<std::mutex> lock(output_mutex);
  std::printf("%s:%d: %s\n", base_name(file), line, what.c_str());
  for (const std::string& n : active_notes) std::printf("    with %s\n", n.c_str());
  std::fflush(stdout);
}

bool check(bool condition, const char* file, int line, const char* text) {
  if (!condition) report_failure(file, line, std::string("CHECK(") + text + ")");
  return condition;
}

note::note(const char* name, const std::string& value) {
  active_notes.push_back(std::string(name) + " = " + value);
}

note::~note() { active_notes.pop_back(); }

}  // namespace conformance

int main(int argc, char** argv) {
  using namespace conformance;
  std::vector<std::string_view> filters(argv + 1, argv + argc);
  auto& cases = registry();
  // Static initialization order across files is unspecified: sort for a
  // stable, readable order.
  std::sort(cases.begin(), cases.end(),
            [](const test_case& a, const test_case& b) { return a.name < b.name; });
  if (filters.size() == 1 && filters[0] == "--list") {
    for (const test_case& c : cases) std::printf("%s\n", c.name.c_str());
    return 0;
  }

  std::printf("conformance suite against %s\n", world().c_str());
  // Windows hands a just-closed handle value out first.  Whatever the runtime
  // creates lazily on first use (MinGW's emulated thread_local takes a lock
  // whose kernel objects appear on first use) must not take such a value in
  // the middle of a case: use it all once here.
  {
    const note warm_up("warm_up", "");
    std::lock_guard<std::mutex> lock(output_mutex);
  }
  int passed = 0, failed = stale_known_differences(), skipped = 0, selected_count = 0;
  for (const test_case& c : cases) {
    if (!selected(c.name, filters)) continue;
    ++selected_count;
    switch (run(c)) {
      case outcome::passed: ++passed; break;
      case outcome::failed: ++failed; break;
      case outcome::skipped: ++skipped; break;
    }
  }
  if (selected_count == 0) {
    std::printf("no case matches the arguments\n");
    ++failed;
  }
  std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed == 0 ? 0 : 1;
}

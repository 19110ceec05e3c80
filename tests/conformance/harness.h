// A minimal test harness that builds with any C++20 compiler, so the same
// cases run natively against ntsem and as a Windows program.
//
//   TEST(Suite, Name) { ... }        registers a case named "Suite.Name"
//   CHECK(cond), CHECK_EQ(a, e), CHECK_NE(a, e)
//                                    report a failure and go on
//   REQUIRE(cond), REQUIRE_EQ(a, e)  report a failure and end the case
//   NOTE(value)                      adds "value = ..." to every failure
//                                    reported while it is in scope
//   SKIP(reason)                     ends the case as skipped
//
// Integers compare by value whatever their types (DWORD against 87L), and an
// unsigned one is printed in hex as well.  CHECK may be used from any thread;
// REQUIRE and SKIP only from the thread running the case.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace conformance {

void add_case(std::string name, std::function<void()> body);

struct registrar {
  registrar(const char* name, void (*body)()) { add_case(name, body); }
};

// Thrown by REQUIRE and SKIP; caught by the runner.
struct case_aborted {};
struct case_skipped {
  std::string reason;
};

// ---- Printing values ----

template <class T>
std::string show(const T& value, bool hex = false);

inline std::string hex_text(std::uintmax_t u) {
  static const char digits[] = "0123456789abcdef";
  std::string h;
  do {
    h.insert(h.begin(), digits[u % 16]);
    u /= 16;
  } while (u != 0);
  return "0x" + h;
}

inline std::string show_integer(std::intmax_t v, std::uintmax_t u, bool is_signed, bool hex) {
  if (is_signed && v < 0) return std::to_string(v);
  return hex ? std::to_string(u) + " (" + hex_text(u) + ")" : std::to_string(u);
}

template <class T>
std::string show(const T& value, bool hex) {
  if constexpr (std::is_same_v<T, bool>) {
    return value ? "true" : "false";
  } else if constexpr (std::is_integral_v<T>) {
    return show_integer(static_cast<std::intmax_t>(value), static_cast<std::uintmax_t>(value),
                        std::is_signed_v<T>, hex || std::is_unsigned_v<T>);
  } else if constexpr (std::is_null_pointer_v<T>) {
    return "nullptr";
  } else if constexpr (std::is_convertible_v<T, std::string>) {
    return "\"" + std::string(value) + "\"";
  } else if constexpr (std::is_pointer_v<T>) {  // a HANDLE
    return hex_text(reinterpret_cast<std::uintptr_t>(value));
  } else {  // a container of the above
    std::string out = "{";
    for (const auto& element : value) out += (out.size() > 1 ? ", " : "") + show(element, hex);
    return out + "}";
  }
}

// ---- Comparing values ----

template <class A, class E>
bool equal(const A& actual, const E& expected) {
  if constexpr (std::is_integral_v<A> && std::is_integral_v<E> && !std::is_same_v<A, bool> &&
                !std::is_same_v<E, bool>) {
    return std::cmp_equal(actual, expected);  // 87u == 87L, and -1 != 0xFFFFFFFFu
  } else {
    return actual == expected;
  }
}

// Records a failure of the running case and prints it with the active notes.
void report_failure(const char* file, int line, const std::string& what);

template <class A, class E>
bool check_eq(bool want_equal, const char* file, int line, const char* actual_text,
              const char* expected_text, const A& actual, const E& expected) {
  if (equal(actual, expected) == want_equal) return true;
  const bool hex = std::is_unsigned_v<A> || std::is_unsigned_v<E>;
  report_failure(file, line,
                 std::string(want_equal ? "CHECK_EQ(" : "CHECK_NE(") + actual_text + ", " +
                     expected_text + ")\n    expected: " + (want_equal ? "" : "not ") +
                     show(expected, hex) + "\n      actual: " + show(actual, hex));
  return false;
}

bool check(bool condition, const char* file, int line, const char* text);

// Context for the failures reported in its scope (per thread).
class note {
 public:
  note(const char* name, const std::string& value);
  ~note();
  note(const note&) = delete;
  note& operator=(const note&) = delete;
};

}  // namespace conformance

#define CONFORMANCE_CAT2(a, b) a##b
#define CONFORMANCE_CAT(a, b) CONFORMANCE_CAT2(a, b)

#define TEST(suite, name)                                                      \
  static void conformance_case_##suite##_##name();                             \
  static const ::conformance::registrar conformance_registrar_##suite##_##name{ \
      #suite "." #name, &conformance_case_##suite##_##name};                    \
  static void conformance_case_##suite##_##name()

#define CHECK(cond) ::conformance::check(static_cast<bool>(cond), __FILE__, __LINE__, #cond)
#define CHECK_EQ(actual, expected) \
  ::conformance::check_eq(true, __FILE__, __LINE__, #actual, #expected, (actual), (expected))
#define CHECK_NE(actual, expected) \
  ::conformance::check_eq(false, __FILE__, __LINE__, #actual, #expected, (actual), (expected))
#define REQUIRE(cond) \
  do {                \
    if (!CHECK(cond)) throw ::conformance::case_aborted{}; \
  } while (false)
#define REQUIRE_EQ(actual, expected) \
  do {                               \
    if (!CHECK_EQ(actual, expected)) throw ::conformance::case_aborted{}; \
  } while (false)
#define NOTE(value) \
  const ::conformance::note CONFORMANCE_CAT(conformance_note_, __LINE__)(#value, ::conformance::show(value))
#define SKIP(reason) throw ::conformance::case_skipped{reason}

// ntsem_probe: what does each call of a list return, and what last error does
// it leave?  The same source builds natively against ntsem and as a Windows
// program (probe-both.sh runs it under Wine and prints the difference).
//
//   ntsem_probe [create|release|wait|multiple|handles|access|all]...
//
// One line a call:
//   ReleaseSemaphore(h(1/1), 1, &prev) -> FALSE err=298 prev=untouched
// h(c/m) is a fresh semaphore of count c and maximum m.  The last error and
// every out-parameter start as sentinels, so "untouched" is visible; "count="
// is the semaphore's count after the call.  Handle values are never printed
// (they differ between worlds by design); only what they refer to.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "observe.h"
#include "platform.h"

namespace {

using conformance::count_of;
using conformance::untouched_error;
using conformance::untouched_long;

// ---- Printing ----

std::string bool_text(BOOL b) { return b ? "TRUE" : "FALSE"; }

std::string wait_text(DWORD r) {
  if (r == WAIT_FAILED) return "WAIT_FAILED";
  if (r == WAIT_TIMEOUT) return "WAIT_TIMEOUT";
  if (r < MAXIMUM_WAIT_OBJECTS) return r == 0 ? "WAIT_OBJECT_0" : "WAIT_OBJECT_0+" + std::to_string(r);
  return "wait result " + std::to_string(r);
}

std::string long_text(const char* name, LONG v) {
  return std::string(" ") + name + "=" + (v == untouched_long ? "untouched" : std::to_string(v));
}

// Prints `call -> RESULT err=ERROR DETAILS...`.  `call_and_describe` makes
// the call first (into a local: the operands of + are unsequenced) and returns
// "RESULT DETAILS..."; reading a count afterwards keeps the last error.
void probe(const std::string& call, const std::function<std::string()>& call_and_describe) {
  SetLastError(untouched_error);
  const std::string result = call_and_describe();
  const DWORD error = GetLastError();
  const std::size_t space = result.find(' ');
  const std::string head = result.substr(0, space);
  const std::string details = space == std::string::npos ? "" : result.substr(space);
  std::printf("%s -> %s err=%s%s\n", call.c_str(), head.c_str(),
              error == untouched_error ? "untouched" : std::to_string(error).c_str(),
              details.c_str());
}

// ---- Objects ----

HANDLE sem(LONG count, LONG maximum) { return CreateSemaphoreA(nullptr, count, maximum, nullptr); }

HANDLE closed_handle() {
  HANDLE h = sem(1, 1);
  CloseHandle(h);
  return h;
}

HANDLE pseudo(std::intptr_t value) { return reinterpret_cast<HANDLE>(value); }

std::string created_text(HANDLE h) {
  if (!h) return "NULL";
  std::string text = "handle count=" + std::to_string(count_of(h));
  CloseHandle(h);
  return text;
}

// ---- The lists ----

void probe_create() {
  struct counts {
    LONG initial, maximum;
  };
  for (counts c : {counts{0, 0}, counts{1, 0}, counts{-1, 5}, counts{6, 5}, counts{0, -1},
                   counts{0, LONG(0x80000000)}, counts{5, 5}, counts{0, 0x7FFFFFFF}}) {
    const std::string args = std::to_string(c.initial) + ", " + std::to_string(c.maximum);
    probe("CreateSemaphoreA(NULL, " + args + ", NULL)",
          [&] { return created_text(CreateSemaphoreA(nullptr, c.initial, c.maximum, nullptr)); });
  }
  const WCHAR empty[] = {0};
  const WCHAR name_w[] = {'p', 'r', 'o', 'b', 'e', 0};
  probe("CreateSemaphoreA(NULL, 1, 1, \"\")",
        [] { return created_text(CreateSemaphoreA(nullptr, 1, 1, "")); });
  probe("CreateSemaphoreW(NULL, 1, 1, L\"\")",
        [&] { return created_text(CreateSemaphoreW(nullptr, 1, 1, empty)); });
  probe("CreateSemaphoreA(NULL, 1, 1, \"probe\")",
        [] { return created_text(CreateSemaphoreA(nullptr, 1, 1, "probe")); });
  probe("CreateSemaphoreW(NULL, 1, 1, L\"probe\")",
        [&] { return created_text(CreateSemaphoreW(nullptr, 1, 1, name_w)); });
  for (DWORD flags : {DWORD{1}, DWORD{0xFFFFFFFF}}) {
    probe("CreateSemaphoreExA(NULL, 0, 1, NULL, " + std::to_string(flags) + ", ALL_ACCESS)", [&] {
      return created_text(CreateSemaphoreExA(nullptr, 0, 1, nullptr, flags, SEMAPHORE_ALL_ACCESS));
    });
  }
}

void release(const std::string& what, HANDLE h, LONG n) {
  probe("ReleaseSemaphore(" + what + ", " + std::to_string(n) + ", &prev)", [&] {
    LONG previous = untouched_long;
    const BOOL ok = ReleaseSemaphore(h, n, &previous);
    return bool_text(ok) + long_text("prev", previous) + long_text("count", count_of(h));
  });
}

void probe_release() {
  for (LONG n : {LONG{1}, LONG{0}, LONG{-1}, LONG(0x80000000), LONG{9}}) {
    HANDLE h = sem(2, 10);
    release("h(2/10)", h, n);
    CloseHandle(h);
  }
  HANDLE full = sem(1, 1);
  release("h(1/1)", full, 1);
  CloseHandle(full);
  HANDLE high = sem(0x7FFFFFFE, 0x7FFFFFFF);
  release("h(0x7FFFFFFE/0x7FFFFFFF)", high, 2);
  release("h(0x7FFFFFFE/0x7FFFFFFF)", high, 1);
  CloseHandle(high);
  for (LONG n : {LONG{0}, LONG{1}}) {
    probe("ReleaseSemaphore(NULL, " + std::to_string(n) + ", &prev)", [&] {
      LONG previous = untouched_long;
      return bool_text(ReleaseSemaphore(nullptr, n, &previous)) + long_text("prev", previous);
    });
  }
  struct bad {
    const char* name;
    HANDLE h;
  };
  for (bad b : {bad{"0x1234", pseudo(0x1234)}, bad{"closed", closed_handle()},
                bad{"GetCurrentProcess()", GetCurrentProcess()},
                bad{"GetCurrentThread()", GetCurrentThread()}}) {
    probe(std::string("ReleaseSemaphore(") + b.name + ", 1, &prev)", [&] {
      LONG previous = untouched_long;
      return bool_text(ReleaseSemaphore(b.h, 1, &previous)) + long_text("prev", previous);
    });
  }
}

// Handle values that are not live handles: NULL, made up, closed, and the
// pseudo handles -1 to -6.
struct named_handle {
  const char* name;
  HANDLE h;
};
std::vector<named_handle> odd_handles() {
  return {{"NULL", nullptr},          {"0x1234", pseudo(0x1234)},  {"closed", closed_handle()},
          {"(HANDLE)-1", pseudo(-1)}, {"(HANDLE)-2", pseudo(-2)},  {"(HANDLE)-3", pseudo(-3)},
          {"(HANDLE)-4", pseudo(-4)}, {"(HANDLE)-5", pseudo(-5)},  {"(HANDLE)-6", pseudo(-6)}};
}

void probe_wait() {
  HANDLE h = sem(1, 1);
  probe("WaitForSingleObject(h(1/1), 0)", [&] { return wait_text(WaitForSingleObject(h, 0)); });
  probe("WaitForSingleObject(h(0/1), 0)", [&] { return wait_text(WaitForSingleObject(h, 0)); });
  probe("WaitForSingleObject(h(0/1), 10)", [&] { return wait_text(WaitForSingleObject(h, 10)); });
  probe("WaitForSingleObjectEx(h(0/1), 0, TRUE)",
        [&] { return wait_text(WaitForSingleObjectEx(h, 0, TRUE)); });
  CloseHandle(h);
  HANDLE low = sem(1, 1);
  probe("WaitForSingleObject(h(1/1) | 3, 0)", [&] {
    const DWORD r = WaitForSingleObject(conformance::with_low_bits(low, 3), 0);
    return wait_text(r) + long_text("count", count_of(low));
  });
  CloseHandle(low);
  HANDLE upper = sem(1, 1);
  probe("WaitForSingleObject(h(1/1) | 0x12345678'00000000, 0)", [&] {
    auto junk = reinterpret_cast<HANDLE>(reinterpret_cast<std::uintptr_t>(upper) |
                                         0x12345678'00000000u);
    const DWORD r = WaitForSingleObject(junk, 0);
    return wait_text(r) + long_text("count", count_of(upper));
  });
  CloseHandle(upper);
  for (const named_handle& n : odd_handles()) {
    probe(std::string("WaitForSingleObject(") + n.name + ", 0)",
          [&] { return wait_text(WaitForSingleObject(n.h, 0)); });
  }
}

std::string counts_text(const std::vector<HANDLE>& handles) {
  std::string out = " counts=";
  for (std::size_t i = 0; i < handles.size(); ++i)
    out += (i ? "," : "") + std::to_string(count_of(handles[i]));
  return out;
}

// `counted`: the semaphores whose counts are printed after the call.
void wait_multiple(const std::string& what, std::vector<HANDLE> handles, BOOL all,
                   std::vector<HANDLE> counted) {
  probe(std::string("WaitForMultipleObjects(") + what + (all ? ", all" : ", any") + ", 0)", [&] {
    const DWORD r =
        WaitForMultipleObjects(static_cast<DWORD>(handles.size()), handles.data(), all, 0);
    return wait_text(r) + counts_text(counted);
  });
}

void wait_multiple(const std::string& what, const std::vector<HANDLE>& handles, BOOL all) {
  wait_multiple(what, handles, all, handles);
}

void probe_multiple() {
  std::vector<HANDLE> many;
  for (int i = 0; i < 65; ++i) many.push_back(sem(1, 1));
  for (DWORD n : {DWORD{0}, DWORD{65}, DWORD{0xFFFFFFFF}}) {
    probe("WaitForMultipleObjects(" + std::to_string(n) + " handles, any, 0)",
          [&] { return wait_text(WaitForMultipleObjects(n, many.data(), FALSE, 0)); });
  }
  probe("WaitForMultipleObjects(64 of h(1/1), all, 0)",
        [&] { return wait_text(WaitForMultipleObjects(64, many.data(), TRUE, 0)); });
  for (HANDLE h : many) CloseHandle(h);

  for (BOOL all : {FALSE, TRUE}) {
    HANDLE a = sem(0, 1), b = sem(1, 1), c = sem(1, 1);
    wait_multiple("{h(0/1), h(1/1), h(1/1)}", {a, b, c}, all);
    CloseHandle(a);
    CloseHandle(b);
    CloseHandle(c);
  }
  // The same object twice.  Never {s, s} with a count of 1 in a wait-all:
  // Wine's server aborts on it.
  for (BOOL all : {FALSE, TRUE}) {
    HANDLE s = sem(2, 2);
    wait_multiple("{s(2/2), s}", {s, s}, all);
    CloseHandle(s);
    s = sem(2, 2);
    HANDLE d = conformance::full_access_duplicate(s);
    wait_multiple("{s(2/2), duplicate of s}", {s, d}, all);
    CloseHandle(d);
    CloseHandle(s);
  }
  // A fresh h(1/1) next to something that is not a waitable semaphore.
  auto with_fresh = [](const std::string& other_name, const std::function<HANDLE()>& other,
                       BOOL all) {
    HANDLE s = sem(1, 1);
    HANDLE o = other();
    wait_multiple("{h(1/1), " + other_name + "}", {s, o}, all, {s});
    CloseHandle(s);
  };
  for (BOOL all : {FALSE, TRUE}) {
    with_fresh("NULL", [] { return nullptr; }, all);
    with_fresh("closed", closed_handle, all);
    with_fresh("GetCurrentProcess()", GetCurrentProcess, all);
    with_fresh("GetCurrentThread()", GetCurrentThread, all);
    HANDLE no_sync = CreateSemaphoreExA(nullptr, 1, 1, nullptr, 0, SEMAPHORE_MODIFY_STATE);
    with_fresh("h(1/1) without SYNCHRONIZE", [&] { return no_sync; }, all);
    CloseHandle(no_sync);
  }
}

void probe_handles() {
  for (const named_handle& n : odd_handles()) {
    probe(std::string("CloseHandle(") + n.name + ")", [&] { return bool_text(CloseHandle(n.h)); });
  }
  for (named_handle n : {named_handle{"h(0/1)", sem(0, 1)}, named_handle{"NULL", nullptr},
                         named_handle{"GetCurrentProcess()", GetCurrentProcess()}}) {
    probe(std::string("GetHandleInformation(") + n.name + ", &flags)", [&] {
      DWORD flags = untouched_error;
      const BOOL ok = GetHandleInformation(n.h, &flags);
      return bool_text(ok) + " flags=" +
             (flags == untouched_error ? std::string("untouched") : std::to_string(flags));
    });
    probe(std::string("SetHandleInformation(") + n.name + ", INHERIT, INHERIT)",
          [&] { return bool_text(SetHandleInformation(n.h, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT)); });
  }
  HANDLE p = sem(0, 1);
  SetHandleInformation(p, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE);
  probe("CloseHandle(protected h(0/1))", [&] { return bool_text(CloseHandle(p)); });
  SetHandleInformation(p, HANDLE_FLAG_PROTECT_FROM_CLOSE, 0);
  CloseHandle(p);

  HANDLE h = sem(1, 2);
  probe("DuplicateHandle(h(1/2), CLOSE_SOURCE | SAME_ACCESS)", [&] {
    HANDLE moved = nullptr;
    const BOOL ok = DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &moved, 0, FALSE,
                                    DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ACCESS);
    std::string text = bool_text(ok) + " new=" + (moved == h ? "same value as the source" : "new value");
    CloseHandle(moved);
    return text;
  });
  h = sem(1, 2);
  probe("DuplicateHandle(h(1/2) to process 0x1234, CLOSE_SOURCE)", [&] {
    HANDLE target = nullptr;
    const BOOL ok = DuplicateHandle(GetCurrentProcess(), h, pseudo(0x1234), &target, 0, FALSE,
                                    DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ACCESS);
    const bool open = count_of(h) >= 0;
    if (open) CloseHandle(h);
    return bool_text(ok) + " source=" + (open ? "open" : "closed");
  });
  probe("DuplicateHandle(GetCurrentProcess())", [&] {
    HANDLE target = nullptr;
    const BOOL ok = DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(), GetCurrentProcess(),
                                    &target, 0, FALSE, DUPLICATE_SAME_ACCESS);
    if (ok) CloseHandle(target);
    return bool_text(ok);
  });
}

void probe_access() {
  struct mask {
    const char* name;
    DWORD access;
  };
  for (mask m : {mask{"0", 0}, mask{"SEMAPHORE_MODIFY_STATE", SEMAPHORE_MODIFY_STATE},
                 mask{"SEMAPHORE_QUERY_STATE", SEMAPHORE_QUERY_STATE},
                 mask{"SYNCHRONIZE", SYNCHRONIZE}, mask{"GENERIC_READ", GENERIC_READ},
                 mask{"GENERIC_WRITE", GENERIC_WRITE}, mask{"GENERIC_EXECUTE", GENERIC_EXECUTE},
                 mask{"GENERIC_ALL", GENERIC_ALL}, mask{"MAXIMUM_ALLOWED", MAXIMUM_ALLOWED}}) {
    const std::string what = std::string("h(1/2, ") + m.name + ")";
    HANDLE h = CreateSemaphoreExA(nullptr, 1, 2, nullptr, 0, m.access);
    probe("WaitForSingleObject(" + what + ", 0)", [&] {
      const DWORD r = WaitForSingleObject(h, 0);
      return wait_text(r) + long_text("count", count_of(h));
    });
    CloseHandle(h);
    h = CreateSemaphoreExA(nullptr, 1, 2, nullptr, 0, m.access);
    release(what, h, 1);
    CloseHandle(h);
  }
}

struct list {
  const char* name;
  void (*run)();
};

constexpr list lists[] = {{"create", probe_create},       {"release", probe_release},
                          {"wait", probe_wait},           {"multiple", probe_multiple},
                          {"handles", probe_handles},     {"access", probe_access}};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> wanted(argv + 1, argv + argc);
  if (wanted.empty()) wanted.push_back("all");
  for (std::string_view w : wanted) {
    bool known = w == "all";
    for (const list& l : lists) {
      if (w != "all" && w != l.name) continue;
      known = true;
      std::printf("== %s\n", l.name);
      l.run();
    }
    if (!known) {
      std::fprintf(stderr, "usage: ntsem_probe [create|release|wait|multiple|handles|access|all]...\n");
      return 2;
    }
  }
  return 0;
}

// ntsem_child — a helper process for multi-process tests.  It runs ntsem calls
// on command, one result line per command, so that a test (the parent, see
// tests/support/child_process.hpp) can drive it step by step and synchronise
// on its output.
//
// Input
// -----
// Commands come first from argv, ONE COMMAND PER ARGUMENT ("create-sem - 1 1"),
// then from stdin, one per line, until end of file; then the child exits 0.
// Words are separated by blanks.  Empty lines and lines starting with '#' are
// not commands and print nothing.
//
// Arguments
//   NAME    "-" is a NULL name, "\"\"" (two double quotes) the empty name;
//           otherwise the word with %XX decoded (%20 for a blank, %25 for %).
//   hN      the handle in slot N (slots are numbered from 0 in the order of
//           successful create-sem / open-sem / create-event / open-event; a
//           closed slot keeps its stale value).  A number (0, 0x1234) is
//           taken as a raw HANDLE value.
//   ACCESS  a number, or names joined with '|': SYNCHRONIZE,
//           SEMAPHORE_MODIFY_STATE, SEMAPHORE_QUERY_STATE, SEMAPHORE_ALL_ACCESS,
//           EVENT_MODIFY_STATE, EVENT_QUERY_STATE, EVENT_ALL_ACCESS, DELETE,
//           READ_CONTROL, GENERIC_ALL, MAXIMUM_ALLOWED.  Default
//           SEMAPHORE_ALL_ACCESS or EVENT_ALL_ACCESS.
//   BOOL    0 or 1.
//   MS      milliseconds, a number or INFINITE.
//   Numbers are decimal, or hexadecimal with 0x; they may be negative.
//
// Commands and their output (exactly one line each, flushed, unless noted).
// The interpreter sets the last error to 0 before each command; err= is
// GetLastError() right after the call.  Results are hexadecimal, 8 digits.
//   create-sem NAME INITIAL MAX [ACCESS]  ok h=<slot> err=<n> | fail err=<n>
//                                         (CreateSemaphoreExA, dwFlags 0)
//   create-sem-sd NAME INITIAL MAX SDDL   as create-sem, with the descriptor
//                                         SDDL (one word, used as written) and
//                                         SEMAPHORE_ALL_ACCESS; fail sddl
//                                         err=<n> if SDDL does not convert
//   open-sem NAME [ACCESS]                ok h=<slot> err=<n> | fail err=<n>
//   release hN COUNT                      ok prev=<n> | fail err=<n>
//   create-event NAME MANUAL INITIAL [ACCESS]
//                                         ok h=<slot> err=<n> | fail err=<n>
//                                         (CreateEventExA; MANUAL and INITIAL
//                                         are BOOLs, the two flags)
//   open-event NAME [ACCESS]              ok h=<slot> err=<n> | fail err=<n>
//   create-mutex NAME OWNER               ok h=<slot> err=<n> | fail err=<n>
//                                         (CreateMutexA; OWNER a BOOL)
//   open-mutex NAME                       ok h=<slot> err=<n> | fail err=<n>
//                                         (MUTEX_ALL_ACCESS)
//   release-mutex hN                      ok | fail err=<n>
//   set-event hN                          ok | fail err=<n>
//   reset-event hN                        ok | fail err=<n>
//   pulse-event hN                        ok | fail err=<n>
//   wait hN MS                            result=0x<8 hex> err=<n>
//                                         (wait, wait-any, wait-all and
//                                         block-on take any object)
//   wait-any MS hA [hB...]                result=0x<8 hex> err=<n>
//   wait-all MS hA [hB...]                result=0x<8 hex> err=<n>
//   block-on hA [hB...]                   "blocking", then waits INFINITE (on
//                                         one handle: WaitForSingleObject; on
//                                         several: wait-any); if that ever
//                                         returns, a second line
//                                         result=0x<8 hex> err=<n>
//   wait-all-loop MS hA [hB...]           "looping", then wait-alls over the
//                                         handles, in that order, one after the
//                                         other for as long as each returns
//                                         WAIT_OBJECT_0 (or WAIT_ABANDONED_0:
//                                         taken too), never releasing
//                                         anything: for tests that kill it in
//                                         the middle of one.  At any other
//                                         result, a second line
//                                         stopped round=<i> result=0x<8 hex>
//                                         err=<n> (i counts from 0)
//   close hN                              ok | fail err=<n>
//   print-handle hN                       handle=0x<16 hex>
//   sleep MS                              ok (after sleeping)
//   ready                                 ready
//   print-uid                             uid=<n> gid=<n> euid=<n> egid=<n>
//                                         groups=<n,n,...> (may be empty)
//   print-pid                             pid=<n> ppid=<n>
//   list-fds                              fds=<n,n,...> (open descriptors)
//   exit CODE                             ok, then exits with CODE
//   churn NAME COUNT                      COUNT times: CreateSemaphoreA(NULL, 1,
//                                         1, NAME), then CloseHandle; then
//                                         ok created=<n> opened=<n> (err 0 or
//                                         ERROR_ALREADY_EXISTS) | fail
//                                         round=<i> err=<n> at the first
//                                         failed call
// Errors of the interpreter itself (never a crash):
//   fail unknown-command | fail usage: <usage> | fail bad-slot
//
// ntsem's diagnostics and sanitizer reports go to stderr, never to stdout.
#include <ntsem/sddl.h>
#include <ntsem/windows.h>

#include <dirent.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "say.hpp"

namespace {

using ntsem::test::say;
using words = std::vector<std::string_view>;

words split(std::string_view line) {
  words out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::optional<long long> parse_number(std::string_view word) {
  std::string text(word);
  bool negative = !text.empty() && text[0] == '-';
  std::string_view digits = std::string_view(text).substr(negative ? 1 : 0);
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) base = 16;
  if (digits.empty() || digits[0] == '-' || digits[0] == '+') return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, base);
  if (errno != 0 || end != text.c_str() + text.size()) {
    // Full-width unsigned values (0xFFFFFFFFFFFFFFFF) for raw handles.
    if (negative) return std::nullopt;
    errno = 0;
    unsigned long long u = std::strtoull(text.c_str(), &end, base);
    if (errno != 0 || end != text.c_str() + text.size()) return std::nullopt;
    return static_cast<long long>(u);
  }
  return value;
}

std::optional<LONG> parse_long(std::string_view word) {
  auto v = parse_number(word);
  if (!v || *v < INT32_MIN || *v > INT32_MAX) return std::nullopt;
  return static_cast<LONG>(*v);
}

// DWORDs: 0..0xFFFFFFFF, or -1 for 0xFFFFFFFF.
std::optional<DWORD> parse_dword(std::string_view word) {
  auto v = parse_number(word);
  if (!v || *v < -1 || *v > static_cast<long long>(UINT32_MAX)) return std::nullopt;
  return static_cast<DWORD>(*v);
}

std::optional<DWORD> parse_ms(std::string_view word) {
  if (word == "INFINITE") return INFINITE;
  return parse_dword(word);
}

std::optional<DWORD> parse_access(std::string_view word) {
  static constexpr struct {
    std::string_view name;
    DWORD value;
  } names[] = {
      {"SYNCHRONIZE", SYNCHRONIZE},
      {"SEMAPHORE_MODIFY_STATE", SEMAPHORE_MODIFY_STATE},
      {"SEMAPHORE_QUERY_STATE", SEMAPHORE_QUERY_STATE},
      {"SEMAPHORE_ALL_ACCESS", SEMAPHORE_ALL_ACCESS},
      {"EVENT_MODIFY_STATE", EVENT_MODIFY_STATE},
      {"EVENT_QUERY_STATE", EVENT_QUERY_STATE},
      {"EVENT_ALL_ACCESS", EVENT_ALL_ACCESS},
      {"DELETE", DELETE},
      {"READ_CONTROL", READ_CONTROL},
      {"GENERIC_ALL", GENERIC_ALL},
      {"MAXIMUM_ALLOWED", MAXIMUM_ALLOWED},
  };
  DWORD mask = 0;
  while (!word.empty()) {
    std::size_t bar = word.find('|');
    std::string_view part = word.substr(0, bar);
    word = bar == std::string_view::npos ? std::string_view{} : word.substr(bar + 1);
    std::optional<DWORD> value;
    for (const auto& n : names)
      if (n.name == part) value = n.value;
    if (!value) value = parse_dword(part);
    if (!value) return std::nullopt;
    mask |= *value;
  }
  return mask;
}

// nullopt: malformed.  An engaged empty optional string: the NULL name.
std::optional<std::optional<std::string>> parse_name(std::string_view word) {
  if (word == "-") return std::optional<std::string>{};
  if (word == "\"\"") return std::optional<std::string>{std::string{}};
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] != '%') {
      out.push_back(word[i]);
      continue;
    }
    if (i + 2 >= word.size()) return std::nullopt;
    std::string hex(word.substr(i + 1, 2));
    char* end = nullptr;
    unsigned long byte = std::strtoul(hex.c_str(), &end, 16);
    if (end != hex.c_str() + 2 || hex[0] == '-' || hex[0] == '+') return std::nullopt;
    out.push_back(static_cast<char>(byte));
    i += 2;
  }
  return std::optional<std::string>{out};
}

const char* name_ptr(const std::optional<std::string>& name) {
  return name ? name->c_str() : nullptr;
}

class interpreter {
 public:
  // Runs one command line; prints its result line(s).
  void run(std::string_view line);

 private:
  struct command {
    std::string_view name;
    std::size_t min_args, max_args;  // words after the name
    std::string_view usage;
    void (interpreter::*run)(const words& args);
  };
  static const command table[];

  // Returns false (having printed the failure) if `word` is not a handle.
  bool handle(std::string_view word, HANDLE& out);
  // The same for every word of `a` from `first` on.
  bool handles(const words& a, std::size_t first, std::vector<HANDLE>& out);
  void remember(HANDLE h) {
    slots_.push_back(h);
    say("ok h=%zu err=%" PRIu32, slots_.size() - 1, GetLastError());
  }
  static void wait_result(DWORD result) { say("result=0x%08" PRIX32 " err=%" PRIu32, result, GetLastError()); }

  void create_sem(const words& a);
  void create_sem_sd(const words& a);
  void create_and_remember(const SECURITY_ATTRIBUTES* sa, const words& a, DWORD access);
  void open_sem(const words& a);
  void release(const words& a);
  void create_event(const words& a);
  void open_event(const words& a);
  void set_event(const words& a) { call_on_handle(a, SetEvent); }
  void reset_event(const words& a) { call_on_handle(a, ResetEvent); }
  void create_mutex(const words& a);
  void open_mutex(const words& a);
  void release_mutex(const words& a) { call_on_handle(a, ReleaseMutex); }
  void pulse_event(const words& a) { call_on_handle(a, PulseEvent); }
  // hN: "ok" if call(h) succeeds, else "fail err=<n>".
  void call_on_handle(const words& a, BOOL (*call)(HANDLE));
  void wait(const words& a);
  void wait_any(const words& a) { wait_multiple(a, FALSE); }
  void wait_all(const words& a) { wait_multiple(a, TRUE); }
  void wait_multiple(const words& a, BOOL all);
  void block_on(const words& a);
  void wait_all_loop(const words& a);
  void close(const words& a) { call_on_handle(a, CloseHandle); }
  void print_handle(const words& a);
  void sleep(const words& a);
  void ready(const words&) { say("ready"); }
  void print_uid(const words& a);
  void print_pid(const words&) { say("pid=%ld ppid=%ld", static_cast<long>(getpid()), static_cast<long>(getppid())); }
  void list_fds(const words& a);
  void exit(const words& a);
  void churn(const words& a);

  std::vector<HANDLE> slots_;
  const command* current_ = nullptr;
};

const interpreter::command interpreter::table[] = {
    {"create-sem", 3, 4, "create-sem NAME INITIAL MAX [ACCESS]", &interpreter::create_sem},
    {"create-sem-sd", 4, 4, "create-sem-sd NAME INITIAL MAX SDDL", &interpreter::create_sem_sd},
    {"open-sem", 1, 2, "open-sem NAME [ACCESS]", &interpreter::open_sem},
    {"release", 2, 2, "release hN COUNT", &interpreter::release},
    {"create-event", 3, 4, "create-event NAME MANUAL INITIAL [ACCESS]",
     &interpreter::create_event},
    {"open-event", 1, 2, "open-event NAME [ACCESS]", &interpreter::open_event},
    {"set-event", 1, 1, "set-event hN", &interpreter::set_event},
    {"create-mutex", 2, 2, "create-mutex NAME OWNER", &interpreter::create_mutex},
    {"open-mutex", 1, 1, "open-mutex NAME", &interpreter::open_mutex},
    {"release-mutex", 1, 1, "release-mutex hN", &interpreter::release_mutex},
    {"reset-event", 1, 1, "reset-event hN", &interpreter::reset_event},
    {"pulse-event", 1, 1, "pulse-event hN", &interpreter::pulse_event},
    {"wait", 2, 2, "wait hN MS", &interpreter::wait},
    {"wait-any", 1, SIZE_MAX, "wait-any MS hA [hB...]", &interpreter::wait_any},
    {"wait-all", 1, SIZE_MAX, "wait-all MS hA [hB...]", &interpreter::wait_all},
    {"block-on", 1, SIZE_MAX, "block-on hA [hB...]", &interpreter::block_on},
    {"wait-all-loop", 2, SIZE_MAX, "wait-all-loop MS hA [hB...]", &interpreter::wait_all_loop},
    {"close", 1, 1, "close hN", &interpreter::close},
    {"print-handle", 1, 1, "print-handle hN", &interpreter::print_handle},
    {"sleep", 1, 1, "sleep MS", &interpreter::sleep},
    {"ready", 0, 0, "ready", &interpreter::ready},
    {"print-uid", 0, 0, "print-uid", &interpreter::print_uid},
    {"print-pid", 0, 0, "print-pid", &interpreter::print_pid},
    {"list-fds", 0, 0, "list-fds", &interpreter::list_fds},
    {"exit", 1, 1, "exit CODE", &interpreter::exit},
    {"churn", 2, 2, "churn NAME COUNT", &interpreter::churn},
};

void interpreter::run(std::string_view line) {
  words w = split(line);
  if (w.empty() || w[0][0] == '#') return;
  for (const command& c : table) {
    if (c.name != w[0]) continue;
    words args(w.begin() + 1, w.end());
    if (args.size() < c.min_args || args.size() > c.max_args) {
      say("fail usage: %.*s", static_cast<int>(c.usage.size()), c.usage.data());
      return;
    }
    current_ = &c;
    SetLastError(0);
    (this->*c.run)(args);
    return;
  }
  say("fail unknown-command");
}

bool interpreter::handle(std::string_view word, HANDLE& out) {
  if (word.size() >= 2 && word[0] == 'h' && word[1] >= '0' && word[1] <= '9') {
    auto slot = parse_number(word.substr(1));
    if (!slot || *slot < 0 || static_cast<unsigned long long>(*slot) >= slots_.size()) {
      say("fail bad-slot");
      return false;
    }
    out = slots_[static_cast<std::size_t>(*slot)];
    return true;
  }
  if (auto raw = parse_number(word)) {
    out = reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(*raw));
    return true;
  }
  say("fail usage: %.*s", static_cast<int>(current_->usage.size()), current_->usage.data());
  return false;
}

bool interpreter::handles(const words& a, std::size_t first, std::vector<HANDLE>& out) {
  out.resize(a.size() - first);
  for (std::size_t i = first; i < a.size(); ++i)
    if (!handle(a[i], out[i - first])) return false;
  return true;
}

#define NTSEM_CHILD_USAGE_UNLESS(cond)                                                                 \
  do {                                                                                                 \
    if (!(cond)) {                                                                                     \
      say("fail usage: %.*s", static_cast<int>(current_->usage.size()), current_->usage.data());    \
      return;                                                                                          \
    }                                                                                                  \
  } while (0)

// a: NAME INITIAL MAX, the words create-sem and create-sem-sd share.
void interpreter::create_and_remember(const SECURITY_ATTRIBUTES* sa, const words& a,
                                      DWORD access) {
  auto name = parse_name(a[0]);
  auto initial = parse_long(a[1]);
  auto maximum = parse_long(a[2]);
  NTSEM_CHILD_USAGE_UNLESS(name && initial && maximum);
  HANDLE h = CreateSemaphoreExA(const_cast<SECURITY_ATTRIBUTES*>(sa), *initial, *maximum,
                                name_ptr(*name), 0, access);
  if (h == nullptr) return say("fail err=%" PRIu32, GetLastError());
  remember(h);
}

void interpreter::create_sem(const words& a) {
  auto access = a.size() > 3 ? parse_access(a[3]) : std::optional<DWORD>{SEMAPHORE_ALL_ACCESS};
  NTSEM_CHILD_USAGE_UNLESS(access);
  create_and_remember(nullptr, a, *access);
}

void interpreter::create_sem_sd(const words& a) {
  PSECURITY_DESCRIPTOR sd = nullptr;
  const std::string sddl(a[3]);
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl.c_str(), SDDL_REVISION_1, &sd,
                                                            nullptr))
    return say("fail sddl err=%" PRIu32, GetLastError());
  SECURITY_ATTRIBUTES sa{sizeof(sa), sd, FALSE};
  SetLastError(0);
  create_and_remember(&sa, a, SEMAPHORE_ALL_ACCESS);
  LocalFree(sd);
}

void interpreter::open_sem(const words& a) {
  auto name = parse_name(a[0]);
  auto access = a.size() > 1 ? parse_access(a[1]) : std::optional<DWORD>{SEMAPHORE_ALL_ACCESS};
  NTSEM_CHILD_USAGE_UNLESS(name && access);
  HANDLE h = OpenSemaphoreA(*access, FALSE, name_ptr(*name));
  if (h == nullptr) return say("fail err=%" PRIu32, GetLastError());
  remember(h);
}

void interpreter::release(const words& a) {
  HANDLE h;
  if (!handle(a[0], h)) return;
  auto count = parse_long(a[1]);
  NTSEM_CHILD_USAGE_UNLESS(count);
  LONG previous = 0;
  if (!ReleaseSemaphore(h, *count, &previous)) return say("fail err=%" PRIu32, GetLastError());
  say("ok prev=%" PRId32, previous);
}

void interpreter::create_event(const words& a) {
  auto name = parse_name(a[0]);
  auto manual = parse_dword(a[1]);
  auto initial = parse_dword(a[2]);
  auto access = a.size() > 3 ? parse_access(a[3]) : std::optional<DWORD>{EVENT_ALL_ACCESS};
  NTSEM_CHILD_USAGE_UNLESS(name && manual && *manual <= 1 && initial && *initial <= 1 && access);
  const DWORD flags =
      (*manual ? CREATE_EVENT_MANUAL_RESET : 0u) | (*initial ? CREATE_EVENT_INITIAL_SET : 0u);
  HANDLE h = CreateEventExA(nullptr, name_ptr(*name), flags, *access);
  if (h == nullptr) return say("fail err=%" PRIu32, GetLastError());
  remember(h);
}

void interpreter::open_event(const words& a) {
  auto name = parse_name(a[0]);
  auto access = a.size() > 1 ? parse_access(a[1]) : std::optional<DWORD>{EVENT_ALL_ACCESS};
  NTSEM_CHILD_USAGE_UNLESS(name && access);
  HANDLE h = OpenEventA(*access, FALSE, name_ptr(*name));
  if (h == nullptr) return say("fail err=%" PRIu32, GetLastError());
  remember(h);
}

void interpreter::create_mutex(const words& a) {
  auto name = parse_name(a[0]);
  auto owner = parse_dword(a[1]);
  NTSEM_CHILD_USAGE_UNLESS(name && owner && *owner <= 1);
  HANDLE h = CreateMutexA(nullptr, *owner != 0, name_ptr(*name));
  if (h == nullptr) return say("fail err=%" PRIu32, GetLastError());
  remember(h);
}

void interpreter::open_mutex(const words& a) {
  auto name = parse_name(a[0]);
  NTSEM_CHILD_USAGE_UNLESS(name);
  HANDLE h = OpenMutexA(MUTEX_ALL_ACCESS, FALSE, name_ptr(*name));
  if (h == nullptr) return say("fail err=%" PRIu32, GetLastError());
  remember(h);
}

void interpreter::call_on_handle(const words& a, BOOL (*call)(HANDLE)) {
  HANDLE h;
  if (!handle(a[0], h)) return;
  if (!call(h)) return say("fail err=%" PRIu32, GetLastError());
  say("ok");
}

void interpreter::wait(const words& a) {
  HANDLE h;
  if (!handle(a[0], h)) return;
  auto ms = parse_ms(a[1]);
  NTSEM_CHILD_USAGE_UNLESS(ms);
  wait_result(WaitForSingleObject(h, *ms));
}

void interpreter::wait_multiple(const words& a, BOOL all) {
  auto ms = parse_ms(a[0]);
  NTSEM_CHILD_USAGE_UNLESS(ms);
  std::vector<HANDLE> hs;
  if (!handles(a, 1, hs)) return;
  wait_result(WaitForMultipleObjects(static_cast<DWORD>(hs.size()), hs.data(), all, *ms));
}

void interpreter::block_on(const words& a) {
  std::vector<HANDLE> hs;
  if (!handles(a, 0, hs)) return;
  say("blocking");
  if (hs.size() == 1)
    wait_result(WaitForSingleObject(hs[0], INFINITE));
  else
    wait_result(WaitForMultipleObjects(static_cast<DWORD>(hs.size()), hs.data(), FALSE, INFINITE));
}

void interpreter::wait_all_loop(const words& a) {
  auto ms = parse_ms(a[0]);
  NTSEM_CHILD_USAGE_UNLESS(ms);
  std::vector<HANDLE> hs;
  if (!handles(a, 1, hs)) return;
  say("looping");
  for (unsigned long long round = 0;; ++round) {
    const DWORD r = WaitForMultipleObjects(static_cast<DWORD>(hs.size()), hs.data(), TRUE, *ms);
    // An abandoned mutex in the set is taken with the rest all the same.
    if (r != WAIT_OBJECT_0 && r != WAIT_ABANDONED_0)
      return say("stopped round=%llu result=0x%08" PRIX32 " err=%" PRIu32, round, r,
                 GetLastError());
  }
}

void interpreter::print_handle(const words& a) {
  HANDLE h;
  if (!handle(a[0], h)) return;
  say("handle=0x%016" PRIxPTR, reinterpret_cast<std::uintptr_t>(h));
}

void interpreter::sleep(const words& a) {
  auto ms = parse_dword(a[0]);
  NTSEM_CHILD_USAGE_UNLESS(ms);
  timespec left{static_cast<time_t>(*ms / 1000), static_cast<long>(*ms % 1000) * 1000000L};
  while (nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
  say("ok");
}

void interpreter::print_uid(const words&) {
  std::string groups;
  int n = getgroups(0, nullptr);
  std::vector<gid_t> list(n > 0 ? static_cast<std::size_t>(n) : 0);
  n = n > 0 ? getgroups(n, list.data()) : 0;
  for (int i = 0; i < n; ++i) {
    if (i > 0) groups += ',';
    groups += std::to_string(list[static_cast<std::size_t>(i)]);
  }
  say("uid=%lu gid=%lu euid=%lu egid=%lu groups=%s", static_cast<unsigned long>(getuid()),
      static_cast<unsigned long>(getgid()), static_cast<unsigned long>(geteuid()),
      static_cast<unsigned long>(getegid()), groups.c_str());
}

void interpreter::list_fds(const words&) {
  std::string fds;
  if (DIR* dir = opendir("/proc/self/fd")) {
    int own = dirfd(dir);
    std::vector<long> seen;
    while (dirent* e = readdir(dir)) {
      if (e->d_name[0] == '.') continue;
      long fd = std::strtol(e->d_name, nullptr, 10);
      if (fd != own) seen.push_back(fd);
    }
    closedir(dir);
    std::sort(seen.begin(), seen.end());
    for (long fd : seen) fds += (fds.empty() ? "" : ",") + std::to_string(fd);
  }
  say("fds=%s", fds.c_str());
}

void interpreter::exit(const words& a) {
  auto code = parse_long(a[0]);
  NTSEM_CHILD_USAGE_UNLESS(code);
  say("ok");
  std::exit(static_cast<int>(*code));
}

void interpreter::churn(const words& a) {
  auto name = parse_name(a[0]);
  auto count = parse_long(a[1]);
  NTSEM_CHILD_USAGE_UNLESS(name && count && *count >= 0);
  long created = 0, opened = 0;
  for (LONG round = 0; round < *count; ++round) {
    SetLastError(0);
    HANDLE h = CreateSemaphoreA(nullptr, 1, 1, name_ptr(*name));
    const DWORD error = GetLastError();
    if (h == nullptr) return say("fail round=%" PRId32 " err=%" PRIu32, round, error);
    ++(error == ERROR_ALREADY_EXISTS ? opened : created);
    if (!CloseHandle(h)) return say("fail round=%" PRId32 " err=%" PRIu32, round, GetLastError());
  }
  say("ok created=%ld opened=%ld", created, opened);
}

}  // namespace

int main(int argc, char** argv) {
  interpreter in;
  for (int i = 1; i < argc; ++i) in.run(argv[i]);
  std::string line;
  while (std::getline(std::cin, line)) in.run(line);
  return 0;
}

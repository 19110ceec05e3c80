// Leftovers of killed processes, and their removal through the public calls
// of <ntsem/namespace.h>, with real processes: children are ntsem_child,
// killed with SIGKILL.  Every case runs in a namespace root of its own
// (with_private_root.cpp), whose session directory is "session-test".
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <ntsem/namespace.h>

#include "support/child_process.hpp"
#include "support/named_objects.hpp"
#include "support/private_root.hpp"
#include "support/semaphore_state.hpp"
#include "sys/fault_point.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::creates_fresh;
using ntsem::test::directory_path;
using ntsem::test::file_exists;
using ntsem::test::file_of;
using ntsem::test::files_in;
using ntsem::test::leave_leftover;
using ntsem::test::unique_name;
using lines = std::vector<std::string>;

const std::string session_directory = std::string("session-") + ntsem::test::test_session;

// One file as the calls report it, in one line for exact comparisons.
std::string text_of(const NTSEM_OBJECT_INFO& i) {
  return std::string(i.Directory) + "/" + i.FileName + " name=" + i.Name +
         " state=" + std::to_string(i.State) + " type=" + std::to_string(i.Type) +
         " count=" + std::to_string(i.Count) + "/" + std::to_string(i.Maximum) +
         " uid=" + std::to_string(i.OwnerUid) + " mode=" + std::to_string(i.Mode) +
         " error=" + std::to_string(i.Error) +
         " scope=" + std::to_string(i.Scope);
}

std::string text_of(const NTSEM_GC_SUMMARY& s) {
  return "held=" + std::to_string(s.Held) + " leftovers=" + std::to_string(s.Leftovers) +
         " removed=" + std::to_string(s.Removed) + " not_removed=" + std::to_string(s.NotRemoved) +
         " kept=" + std::to_string(s.Kept) + " skipped=" + std::to_string(s.Skipped);
}

// What a leftover semaphore of this user reports, in the session.
std::string leftover_text(const std::string& name, int count, int maximum) {
  return session_directory + "/" + name + " name=" + name + " state=" +
         std::to_string(NTSEM_FILE_LEFTOVER) + " type=1 count=" + std::to_string(count) + "/" +
         std::to_string(maximum) + " uid=" + std::to_string(getuid()) +
         " mode=384 error=0 scope=2";  // 384 is 0600
}

struct gc_result {
  BOOL ok = FALSE;
  DWORD error = 0;
  std::string summary;
  lines reports;  // "<action> <file>"
};

gc_result gc(DWORD scopes, DWORD flags = 0) {
  gc_result r;
  NTSEM_GC_SUMMARY summary{};
  SetLastError(ntsem::test::untouched_error);
  r.ok = NtsemRemoveLeftovers(
      scopes, flags,
      [](const NTSEM_OBJECT_INFO* info, DWORD action, PVOID context) -> BOOL {
        static_cast<lines*>(context)->push_back(std::to_string(action) + " " + text_of(*info));
        return TRUE;
      },
      &r.reports, &summary);
  r.error = GetLastError();
  r.summary = text_of(summary);
  return r;
}

lines enumerate(DWORD scopes) {
  lines found;
  const BOOL ok = NtsemEnumerateNamedObjects(
      scopes,
      [](const NTSEM_OBJECT_INFO* info, PVOID context) -> BOOL {
        static_cast<lines*>(context)->push_back(text_of(*info));
        return TRUE;
      },
      &found);
  EXPECT_TRUE(ok);
  return found;
}

std::string report(DWORD action, const std::string& file_text) {
  return std::to_string(action) + " " + file_text;
}

// The child's create command for a name (blank-free names only).
std::string create_line(const std::string& name, int initial, int maximum) {
  return "create-sem " + name + " " + std::to_string(initial) + " " + std::to_string(maximum);
}

TEST(Leftovers, AKilledLastHolderLeavesAFileThatGcRemoves) {
  const std::string name = unique_name("killed");
  ASSERT_EQ(leave_leftover(name, 2, 3), "");
  ASSERT_EQ(files_in(session_directory), lines{name});
  EXPECT_EQ(enumerate(NTSEM_SCOPE_SESSION), lines{leftover_text(name, 2, 3)});

  const gc_result r = gc(NTSEM_SCOPE_SESSION);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.error, ntsem::test::untouched_error);
  EXPECT_EQ(r.reports, lines{report(NTSEM_GC_REMOVED, leftover_text(name, 2, 3))});
  EXPECT_EQ(r.summary, "held=0 leftovers=1 removed=1 not_removed=0 kept=0 skipped=0");
  EXPECT_EQ(files_in(session_directory), lines{});
  EXPECT_EQ(enumerate(NTSEM_SCOPE_SESSION), lines{});

  // The name is free: a create makes a new object with its own counts.
  EXPECT_EQ(creates_fresh(name, 0, 1), "");
}

TEST(Leftovers, GcNeverRemovesAHeldObject) {
  const std::string name = unique_name("held");
  child_process holder;
  ASSERT_EQ(holder.ask(create_line(name, 1, 4)), "ok h=0 err=0");
  const std::string mine = unique_name("mine");
  HANDLE own = CreateSemaphoreA(nullptr, 0, 2, mine.c_str());
  ASSERT_NE(own, nullptr);

  for (int round = 0; round < 3; ++round) {
    const gc_result r = gc(NTSEM_SCOPE_SESSION | NTSEM_SCOPE_GLOBAL);
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.reports, lines{});
    EXPECT_EQ(r.summary, "held=2 leftovers=0 removed=0 not_removed=0 kept=0 skipped=0");
  }
  EXPECT_EQ(files_in(session_directory), (lines{name, mine}));

  // Both objects still work, across processes, by name.
  child_process other;
  EXPECT_EQ(other.ask("open-sem " + name), "ok h=0 err=0");
  EXPECT_EQ(other.ask("release h0 2"), "ok prev=1");
  EXPECT_EQ(holder.ask("wait h0 0"), "result=0x00000000 err=0");
  EXPECT_EQ(other.ask("open-sem " + mine), "ok h=1 err=0");
  EXPECT_EQ(other.ask("release h1 1"), "ok prev=0");
  EXPECT_EQ(ntsem::test::count_of(own), 1);
  CloseHandle(own);
  EXPECT_TRUE(other.wait_exit().exited_with(0));
  EXPECT_TRUE(holder.wait_exit().exited_with(0));
  EXPECT_EQ(files_in(session_directory), lines{});
}

// How often this process reached gc's locked window (fault_point
// gc_file_locked) while `counting` lives.
struct gc_lock_count {
  gc_lock_count() {
    times = 0;
    ntsem::sys::arm_fault_point(ntsem::sys::fault_point::gc_file_locked, [] { ++times; });
  }
  ~gc_lock_count() { ntsem::sys::arm_fault_point(ntsem::sys::fault_point::none); }
  static inline int times = 0;
};

// A dry run takes no lock either: it tells the leftover by the kernel's
// list of locks.  A lock taken only to look would keep a joiner of the name
// waiting, and then let it join the leftover instead of reclaiming it.
TEST(Leftovers, ADryRunRemovesNothingAndLocksNothing) {
  const std::string name = unique_name("dry");
  ASSERT_EQ(leave_leftover(name, 0, 1), "");
  gc_lock_count locked;
  for (int round = 0; round < 2; ++round) {
    const gc_result r = gc(NTSEM_SCOPE_SESSION, NTSEM_GC_DRY_RUN);
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.reports, lines{report(NTSEM_GC_WOULD_REMOVE, leftover_text(name, 0, 1))});
    EXPECT_EQ(r.summary, "held=0 leftovers=1 removed=0 not_removed=0 kept=0 skipped=0");
    EXPECT_EQ(files_in(session_directory), lines{name});
  }
  EXPECT_EQ(gc_lock_count::times, 0);
  EXPECT_EQ(gc(NTSEM_SCOPE_SESSION).summary,
            "held=0 leftovers=1 removed=1 not_removed=0 kept=0 skipped=0");
  EXPECT_EQ(gc_lock_count::times, 1);  // the removal does lock it
  EXPECT_EQ(files_in(session_directory), lines{});
}

// A long name's file is named by its digest; what is reported is the name
// stored in the file.
TEST(Leftovers, ALongNameIsReportedWhole) {
  const std::string name = unique_name(std::string(220, 'n'));
  ASSERT_EQ(leave_leftover(name, 1, 1), "");
  const std::string file = std::filesystem::path(file_of(name)).filename().string();
  ASSERT_EQ(file.front(), '~');
  lines expected{leftover_text(name, 1, 1)};
  expected[0].replace(session_directory.size() + 1, name.size(), file);
  EXPECT_EQ(enumerate(NTSEM_SCOPE_SESSION), expected);
  EXPECT_EQ(gc(NTSEM_SCOPE_SESSION).reports, lines{report(NTSEM_GC_REMOVED, expected[0])});
  EXPECT_EQ(files_in(session_directory), lines{});
}

class ForeignFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    // The session directory exists once an object was made in it.
    CloseHandle(CreateSemaphoreA(nullptr, 0, 1, unique_name("mkdir").c_str()));
    ASSERT_EQ(files_in(session_directory), lines{});
  }
  void TearDown() override {
    for (const std::string& file : files_in(session_directory))
      std::filesystem::remove_all(path(file));
  }
  static std::string path(const std::string& file) {
    return directory_path(session_directory) + "/" + file;
  }
  static void write(const std::string& file, const std::string& bytes) {
    std::ofstream(path(file), std::ios::binary) << bytes;
    ::chmod(path(file).c_str(), 0644);
  }
  // A header of this layout but for the version, and a name.
  static std::string header(std::uint32_t version, const std::string& name) {
    std::string bytes(4096, '\0');
    bytes.replace(0, 8, "NTSEMOBJ");
    bytes[8] = static_cast<char>(version);
    bytes[12] = 64;
    bytes[16] = static_cast<char>(128);
    bytes[20] = static_cast<char>(name.size());
    bytes[24] = 1;
    bytes.replace(128, name.size(), name);
    return bytes;
  }
  static std::string untrusted_text(const std::string& file, DWORD state, DWORD error) {
    return session_directory + "/" + file + " name= state=" + std::to_string(state) +
           " type=0 count=-1/-1 uid=" + std::to_string(getuid()) + " mode=420 error=" +
           std::to_string(error) + " scope=2";  // 420 is 0644
  }
};

TEST_F(ForeignFiles, AreReportedAndNeverRemoved) {
  write("junk", std::string(4096, 'x'));
  write("short", "NTSEMOBJ");
  write("v99", header(99, "v99"));
  write(".hidden", "");  // ntsem's own temporaries: not objects, never reported
  ASSERT_EQ(::mkdir(path("subdir").c_str(), 0755), 0);
  ::chmod(path("subdir").c_str(), 0644);
  const lines expected{
      untrusted_text("junk", NTSEM_FILE_CORRUPT, ERROR_FILE_CORRUPT),
      untrusted_text("short", NTSEM_FILE_CORRUPT, ERROR_FILE_CORRUPT),
      untrusted_text("subdir", NTSEM_FILE_CORRUPT, ERROR_FILE_CORRUPT),
      untrusted_text("v99", NTSEM_FILE_OTHER_VERSION, ERROR_REVISION_MISMATCH),
  };
  EXPECT_EQ(enumerate(NTSEM_SCOPE_SESSION), expected);
  for (DWORD flags : {DWORD{NTSEM_GC_DRY_RUN}, DWORD{0}}) {
    const gc_result r = gc(NTSEM_SCOPE_SESSION, flags);
    EXPECT_TRUE(r.ok);
    lines kept;
    for (const std::string& e : expected) kept.push_back(report(NTSEM_GC_KEPT, e));
    EXPECT_EQ(r.reports, kept);
    EXPECT_EQ(r.summary, "held=0 leftovers=0 removed=0 not_removed=0 kept=4 skipped=0");
  }
  EXPECT_EQ(files_in(session_directory), (lines{".hidden", "junk", "short", "subdir", "v99"}));
}

// A valid object file under a name that is not its own is no object that any
// open could reach: kept as foreign, while the real leftover goes.
TEST_F(ForeignFiles, ALeftoverCopiedUnderAnotherNameIsKept) {
  const std::string name = unique_name("original");
  ASSERT_EQ(leave_leftover(name, 1, 2), "");
  std::filesystem::copy_file(path(name), path("copy"));
  ::chmod(path("copy").c_str(), 0644);
  const gc_result r = gc(NTSEM_SCOPE_SESSION);
  EXPECT_EQ(r.reports, (lines{report(NTSEM_GC_KEPT, untrusted_text("copy", NTSEM_FILE_CORRUPT,
                                                                   ERROR_FILE_CORRUPT)),
                              report(NTSEM_GC_REMOVED, leftover_text(name, 1, 2))}));
  EXPECT_EQ(files_in(session_directory), lines{"copy"});
}

TEST(Leftovers, ScopesSelectTheDirectories) {
  const std::string global = "Global\\" + unique_name("global");
  const std::string local = unique_name("local");
  const std::string elsewhere = unique_name("elsewhere");
  ASSERT_EQ(leave_leftover(global, 0, 1), "");
  ASSERT_EQ(leave_leftover(local, 0, 1), "");
  ASSERT_EQ(leave_leftover(elsewhere, 0, 1, {"NTSEM_SESSION=other"}), "");
  ASSERT_EQ(files_in("session-other"), lines{elsewhere});

  EXPECT_EQ(gc(NTSEM_SCOPE_SESSION).summary,
            "held=0 leftovers=1 removed=1 not_removed=0 kept=0 skipped=0");
  EXPECT_EQ(files_in(session_directory), lines{});
  EXPECT_EQ(files_in("global"), lines{unique_name("global")});
  EXPECT_EQ(files_in("session-other"), lines{elsewhere});

  EXPECT_EQ(gc(NTSEM_SCOPE_GLOBAL).summary,
            "held=0 leftovers=1 removed=1 not_removed=0 kept=0 skipped=0");
  EXPECT_EQ(files_in("global"), lines{});

  const gc_result r = gc(NTSEM_SCOPE_ALL_SESSIONS);
  ASSERT_EQ(r.reports.size(), 1u);
  EXPECT_EQ(r.reports[0].rfind("0 session-other/" + elsewhere + " ", 0), 0u) << r.reports[0];
  EXPECT_EQ(files_in("session-other"), lines{});
}

TEST(Leftovers, ACallbackThatReturnsFalseStopsTheRun) {
  const std::string first = unique_name("a-first"), second = unique_name("b-second");
  ASSERT_EQ(leave_leftover(first, 0, 1), "");
  ASSERT_EQ(leave_leftover(second, 0, 1), "");
  NTSEM_GC_SUMMARY summary{};
  int calls = 0;
  EXPECT_TRUE(NtsemRemoveLeftovers(
      NTSEM_SCOPE_SESSION, 0,
      [](const NTSEM_OBJECT_INFO*, DWORD, PVOID context) -> BOOL {
        ++*static_cast<int*>(context);
        return FALSE;
      },
      &calls, &summary));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(text_of(summary), "held=0 leftovers=1 removed=1 not_removed=0 kept=0 skipped=0");
  EXPECT_EQ(files_in(session_directory), lines{second});
  // Without a callback: counted only.
  EXPECT_TRUE(NtsemRemoveLeftovers(NTSEM_SCOPE_SESSION, 0, nullptr, nullptr, &summary));
  EXPECT_EQ(text_of(summary), "held=0 leftovers=1 removed=1 not_removed=0 kept=0 skipped=0");
  EXPECT_EQ(files_in(session_directory), lines{});
}

TEST(Leftovers, BadArgumentsAreRefused) {
  const auto refused = [](BOOL ok) { return !ok && GetLastError() == DWORD(ERROR_INVALID_PARAMETER); };
  NTSEM_GC_SUMMARY summary{};
  const NTSEM_OBJECT_CALLBACK ignore = [](const NTSEM_OBJECT_INFO*, PVOID) -> BOOL { return TRUE; };
  EXPECT_TRUE(refused(NtsemRemoveLeftovers(0, 0, nullptr, nullptr, &summary)));
  EXPECT_TRUE(refused(NtsemRemoveLeftovers(0x8, 0, nullptr, nullptr, &summary)));
  EXPECT_TRUE(refused(NtsemRemoveLeftovers(NTSEM_SCOPE_SESSION, 0x2, nullptr, nullptr, &summary)));
  EXPECT_TRUE(refused(NtsemRemoveLeftovers(NTSEM_SCOPE_SESSION, 0, nullptr, nullptr, nullptr)));
  EXPECT_TRUE(refused(NtsemEnumerateNamedObjects(NTSEM_SCOPE_SESSION, nullptr, nullptr)));
  EXPECT_TRUE(refused(NtsemEnumerateNamedObjects(0, ignore, nullptr)));
  // Nothing to find (perhaps not even a directory): no error.
  SetLastError(ntsem::test::untouched_error);
  EXPECT_TRUE(NtsemRemoveLeftovers(NTSEM_SCOPE_ALL_SESSIONS | NTSEM_SCOPE_GLOBAL, 0, nullptr,
                                   nullptr, &summary));
  EXPECT_EQ(GetLastError(), ntsem::test::untouched_error);
  EXPECT_EQ(text_of(summary), "held=0 leftovers=0 removed=0 not_removed=0 kept=0 skipped=0");
}

// Two children make (or join) and close the same name over and over while
// this process runs gc over and over.  Every create must succeed, and no
// file may be left at the end: a gc that took a live object's file, got in
// the way of a join, or made a leaving last holder keep its file would show
// as a failed create, a wrong count, or a file left behind.  Nor may gc ever
// find the object unheld while its users live: a leaving last holder lets go
// of the object and takes it exclusively in one step (named_object.hpp), so
// a gc never comes in between.
// One gc while live processes churn `name`: it finds the object held, or
// nothing.
void gc_amid_churn() {
  const gc_result r = gc(NTSEM_SCOPE_SESSION);
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.reports, lines{});
  ASSERT_TRUE(r.summary == "held=0 leftovers=0 removed=0 not_removed=0 kept=0 skipped=0" ||
              r.summary == "held=1 leftovers=0 removed=0 not_removed=0 kept=0 skipped=0")
      << r.summary;
}

TEST(Leftovers, GcRacingCreateAndCloseNeverTakesALiveObject) {
  const std::string name = unique_name("churn");
  constexpr int rounds = 8000;
  std::vector<child_process> churners(2);
  for (child_process& churner : churners)
    ASSERT_TRUE(churner.send("churn " + name + " " + std::to_string(rounds)));
  int runs = 0;
  std::vector<std::string> results;
  // A deadlock guard only: children that end without their line stop the loop.
  const auto guard = std::chrono::steady_clock::now() + ntsem::test::child_guard;
  while (results.size() < churners.size()) {
    ASSERT_LT(std::chrono::steady_clock::now(), guard) << "no answer from the churning children";
    ASSERT_NO_FATAL_FAILURE(gc_amid_churn());
    ++runs;
    for (child_process& churner : churners)
      if (std::optional<std::string> line = churner.read_line(std::chrono::milliseconds(0)))
        results.push_back(*line);
  }
  EXPECT_GT(runs, 0);
  long made = 0;
  for (const std::string& result : results) {
    long created = -1, opened = -1;
    ASSERT_EQ(std::sscanf(result.c_str(), "ok created=%ld opened=%ld", &created, &opened), 2)
        << result;
    EXPECT_EQ(created + opened, rounds) << result;
    made += created;
  }
  EXPECT_GT(made, 0);
  for (child_process& churner : churners) EXPECT_TRUE(churner.wait_exit().exited_with(0));
  EXPECT_EQ(files_in(session_directory), lines{});
}

// The same, with the churning child killed at whatever point it reached:
// what it leaves (at most its one object) is removed, and nothing remains.
TEST(Leftovers, AChurnerKilledAnywhereLeavesNothingAfterGc) {
  const std::string name = unique_name("killed-churn");
  child_process churner;
  ASSERT_TRUE(churner.send("churn " + name + " 1000000"));
  for (int run = 0; run < 200; ++run) ASSERT_NO_FATAL_FAILURE(gc_amid_churn());
  churner.kill(SIGKILL);
  ASSERT_TRUE(churner.wait_exit().killed_by(SIGKILL));
  const gc_result r = gc(NTSEM_SCOPE_SESSION);
  EXPECT_TRUE(r.ok);
  EXPECT_TRUE(r.summary == "held=0 leftovers=0 removed=0 not_removed=0 kept=0 skipped=0" ||
              r.summary == "held=0 leftovers=1 removed=1 not_removed=0 kept=0 skipped=0")
      << r.summary;
  EXPECT_EQ(files_in(session_directory), lines{});
  EXPECT_EQ(creates_fresh(name, 0, 1), "");
}

}  // namespace

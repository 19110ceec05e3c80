// `ntsem gc` and `ntsem list`, the tool run as a process of its own against
// leftovers and process records of children killed with SIGKILL.  Every case runs in a namespace
// root of its own (with_private_root.cpp): session directory "session-test".
#include <gtest/gtest.h>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "process/engine_child_process.hpp"
#include "support/child_process.hpp"
#include "support/named_objects.hpp"
#include "support/private_root.hpp"

namespace {

using ntsem::test::child_options;
using ntsem::test::child_process;
using ntsem::test::child_run;
using ntsem::test::directory_path;
using ntsem::test::file_exists;
using ntsem::test::files_in;
using ntsem::test::killed_engine_childs_record;
using ntsem::test::leave_leftover;
using ntsem::test::unique_name;
using ntsem::test::user_ids;
using lines = std::vector<std::string>;

const std::string session = std::string("session-") + ntsem::test::test_session;

child_run ntsem(std::vector<std::string> arguments, std::optional<user_ids> user = {}) {
  child_options options;
  options.commands = std::move(arguments);
  options.user = user;
  options.path = NTSEM_TOOL_PATH;
  return ntsem::test::run_program(std::move(options));
}

std::string user_name(uid_t uid) {
  const passwd* entry = ::getpwuid(uid);
  return entry ? entry->pw_name : std::to_string(uid);
}

const std::string me = user_name(::getuid());

// "removed: session-test: "x" (semaphore 2/3, owner root, mode 0600)"
std::string object_line(const std::string& action, const std::string& name, int count,
                        int maximum, const std::string& details = ", owner " + me + ", mode 0600") {
  return action + ": " + session + ": \"" + name + "\" (semaphore " + std::to_string(count) + "/" +
         std::to_string(maximum) + details + ")";
}

// The summary line; `records`: dead process records removed (or to remove).
std::string summary(int removed, int not_removable, int kept, int skipped, int in_use,
                    bool dry_run = false, int records = 0, int records_not_removable = 0) {
  const std::string verb = dry_run ? " to remove " : " removed ";
  return std::string(dry_run ? "summary (dry run): " : "summary: ") + "leftovers" + verb +
         std::to_string(removed) + ", not removable " + std::to_string(not_removable) +
         "; dead process records" + verb + std::to_string(records) + ", not removable " +
         std::to_string(records_not_removable) + "; foreign or corrupt kept " +
         std::to_string(kept) + "; skipped " + std::to_string(skipped) + "; in use " +
         std::to_string(in_use);
}

// "removed: waiters: process record 12-0000abcd (leftover, owner root, mode 0644)"
std::string record_line(const std::string& action, const ntsem::names::record_name& record,
                        const std::string& details = ", owner " + me + ", mode 0644") {
  return action + ": waiters: process record " + ntsem::names::record_file_name(record) +
         " (leftover" + details + ")";
}

// A table row's cells (columns are separated by two spaces or more).
lines cells(const std::string& row) {
  lines out;
  std::size_t i = 0;
  while (i < row.size()) {
    std::size_t end = row.find("  ", i);
    if (end == std::string::npos) end = row.size();
    out.push_back(row.substr(i, end - i));
    i = row.find_first_not_of(' ', end);
    if (i == std::string::npos) break;
  }
  return out;
}

void write_junk(const std::string& file) {
  const std::string path = directory_path(session) + "/" + file;
  std::ofstream(path, std::ios::binary) << std::string(4096, 'x');
  ::chmod(path.c_str(), 0644);
}

// The session directory, made by making (and closing) an object in it.
void make_session_directory() {
  child_process maker;
  ASSERT_EQ(maker.ask("create-sem " + unique_name("mkdir") + " 0 1"), "ok h=0 err=0");
  ASSERT_TRUE(maker.wait_exit().exited_with(0));
}

TEST(GcTool, RemovesALeftoverAndSaysSo) {
  const std::string name = unique_name("killed");
  ASSERT_EQ(leave_leftover(name, 2, 3), "");
  const child_run run = ntsem({"gc"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.output_lines, (lines{object_line("removed", name, 2, 3), summary(1, 0, 0, 0, 0)}));
  EXPECT_EQ(files_in(session), lines{});
  // Nothing left: a second run finds nothing.
  EXPECT_EQ(ntsem({"gc"}).output_lines, lines{summary(0, 0, 0, 0, 0)});
}

TEST(GcTool, ADryRunRemovesNothingAndExits3) {
  const std::string name = unique_name("dry");
  ASSERT_EQ(leave_leftover(name, 0, 1), "");
  const child_run run = ntsem({"gc", "--dry-run"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.output_lines,
            (lines{object_line("would remove", name, 0, 1), summary(1, 0, 0, 0, 0, true)}));
  EXPECT_EQ(files_in(session), lines{name});
  EXPECT_EQ(ntsem({"gc"}).exit_code, 0);
  EXPECT_EQ(files_in(session), lines{});
}

TEST(GcTool, JsonOutput) {
  const std::string name = unique_name("json");
  ASSERT_EQ(leave_leftover(name, 1, 2), "");
  const child_run run = ntsem({"gc", "--json", "--session"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.output_lines,
            lines{"{\"dry_run\":false,\"files\":[{\"action\":\"removed\",\"scope\":\"session\","
                  "\"directory\":\"" + session + "\",\"file\":\"" + name + "\",\"name\":\"" + name +
                  "\",\"state\":\"leftover\",\"type\":\"semaphore\",\"count\":1,\"maximum\":2,"
                  "\"manual_reset\":null,\"uid\":" + std::to_string(::getuid()) + ",\"mode\":\"0600\",\"error\":0}],"
                  "\"summary\":{\"held\":0,\"leftovers\":1,\"removed\":1,\"not_removed\":0,"
                  "\"kept\":0,\"skipped\":0,\"records\":{\"held\":0,\"leftovers\":0,"
                  "\"removed\":0,\"not_removed\":0,\"kept\":0,\"skipped\":0}}}"});
}

TEST(GcTool, LeavesAHeldObjectAlone) {
  const std::string name = unique_name("held");
  child_process holder;
  ASSERT_EQ(holder.ask("create-sem " + name + " 0 1"), "ok h=0 err=0");
  const child_run run = ntsem({"gc"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.output_lines, lines{summary(0, 0, 0, 0, 1)});
  child_process other;
  EXPECT_EQ(other.ask("open-sem " + name), "ok h=0 err=0");
  EXPECT_EQ(other.ask("release h0 1"), "ok prev=0");
  EXPECT_EQ(holder.ask("wait h0 0"), "result=0x00000000 err=0");
}

TEST(GcTool, KeepsAForeignFileAndExits3) {
  make_session_directory();
  write_junk("junk");
  const child_run run = ntsem({"gc"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.output_lines,
            (lines{"kept: " + session + ": file junk (foreign or corrupt: ERROR_FILE_CORRUPT (1392), "
                   "owner " + me + ", mode 0644)",
                   summary(0, 0, 1, 0, 0)}));
  EXPECT_EQ(files_in(session), lines{"junk"});
}

// Another user may neither open an owner-only leftover (skipped: exit 4) nor
// remove one from the sticky directory when it may open it (exit 3).
TEST(GcTool, AnotherUsersLeftoversAreReportedNotRemoved) {
  if (!child_process::can_switch_user()) GTEST_SKIP() << "needs root to run as another user";
  const user_ids nobody = child_process::unprivileged_user();
  if (std::string why = child_process::cannot_run_as(nobody); !why.empty()) GTEST_SKIP() << why;
  const std::string name = unique_name("theirs");
  ASSERT_EQ(leave_leftover(name, 0, 1), "");
  const std::string path = directory_path(session) + "/" + name;

  child_run run = ntsem({"gc"}, nobody);
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_EQ(run.output_lines,
            (lines{"skipped: " + session + ": file " + name +
                       " (inaccessible: ERROR_ACCESS_DENIED (5), owner " + me + ", mode 0600)",
                   summary(0, 0, 0, 1, 0)}));

  ASSERT_EQ(::chmod(path.c_str(), 0666), 0);  // it may write it, but not unlink it
  run = ntsem({"gc"}, nobody);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.output_lines,
            (lines{object_line("not removed", name, 0, 1,
                               ": ERROR_ACCESS_DENIED (5), owner " + me + ", mode 0666"),
                   summary(0, 1, 0, 0, 0)}));

  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);  // it may read it only
  run = ntsem({"gc", "--dry-run"}, nobody);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.output_lines,
            (lines{object_line("not removed", name, 0, 1,
                               ": ERROR_ACCESS_DENIED (5), owner " + me + ", mode 0644"),
                   summary(0, 1, 0, 0, 0, true)}));
  EXPECT_EQ(files_in(session), lines{name});

  EXPECT_EQ(ntsem({"gc"}).exit_code, 0);  // its owner may
  EXPECT_EQ(files_in(session), lines{});
}

TEST(GcTool, RemovesAKilledProcesssRecordAndSaysSo) {
  const ntsem::names::record_name record = killed_engine_childs_record();
  const child_run run = ntsem({"gc"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.output_lines,
            (lines{record_line("removed", record), summary(0, 0, 0, 0, 0, false, 1)}));
  EXPECT_FALSE(file_exists(ntsem::test::record_path(record)));
  EXPECT_EQ(ntsem({"gc"}).output_lines, lines{summary(0, 0, 0, 0, 0)});
}

TEST(GcTool, ADryRunReportsADeadRecordAndRemovesNothing) {
  const ntsem::names::record_name record = killed_engine_childs_record();
  const child_run run = ntsem({"gc", "--dry-run"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.output_lines,
            (lines{record_line("would remove", record), summary(0, 0, 0, 0, 0, true, 1)}));
  EXPECT_TRUE(file_exists(ntsem::test::record_path(record)));
}

TEST(GcTool, RecordsAreInTheJsonOutput) {
  const ntsem::names::record_name record = killed_engine_childs_record();
  const child_run run = ntsem({"gc", "--json", "--global"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.output_lines,
            lines{"{\"dry_run\":false,\"files\":[{\"action\":\"removed\",\"scope\":null,"
                  "\"directory\":\"waiters\",\"file\":\"" + ntsem::names::record_file_name(record) +
                  "\",\"name\":null,\"state\":\"leftover\",\"type\":\"process record\","
                  "\"count\":null,\"maximum\":null,\"manual_reset\":null,\"uid\":" +
                  std::to_string(::getuid()) + ",\"mode\":\"0644\",\"error\":0}],"
                  "\"summary\":{\"held\":0,\"leftovers\":0,\"removed\":0,\"not_removed\":0,"
                  "\"kept\":0,\"skipped\":0,\"records\":{\"held\":0,\"leftovers\":1,"
                  "\"removed\":1,\"not_removed\":0,\"kept\":0,\"skipped\":0}}}"});
}

// A live process holds its record's lock: gc counts the record as in use
// and leaves it, and the process goes on using it.
TEST(GcTool, LeavesALiveProcesssRecordAlone) {
  child_process child = ntsem::test::start_engine_child();
  const ntsem::names::record_name record = ntsem::test::record_in(child.ask("record"), "record");
  const child_run run = ntsem({"gc"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.output_lines, lines{summary(0, 0, 0, 0, 1)});
  EXPECT_TRUE(file_exists(ntsem::test::record_path(record)));
  EXPECT_EQ(child.ask("claim"), "claimed");
  EXPECT_EQ(child.ask("read-claim").rfind("claim ", 0), 0u);
}

// A file under a record's name that is no record is kept (exit 3); a file
// under any other name in waiters/ is no record of ntsem's: not reported.
TEST(GcTool, KeepsAFileUnderARecordNameThatIsNoRecord) {
  const ntsem::names::record_name junk{1, 0x12345678};
  const std::string other = ntsem::names::root_path() + "/waiters/notes";
  killed_engine_childs_record();  // makes waiters/
  ASSERT_EQ(ntsem({"gc"}).exit_code, 0);
  for (const std::string& path : {ntsem::test::record_path(junk), other}) {
    std::ofstream(path, std::ios::binary) << std::string(200, 'x');
    ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  }
  const child_run run = ntsem({"gc"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.output_lines,
            (lines{"kept: waiters: file 1-12345678 (foreign or corrupt: ERROR_FILE_CORRUPT (1392), "
                   "owner " + me + ", mode 0644)",
                   summary(0, 0, 1, 0, 0)}));
  EXPECT_TRUE(file_exists(ntsem::test::record_path(junk)));
  EXPECT_TRUE(file_exists(other));
}

// Another user may read a record (mode 0644) but neither lock it nor unlink
// it from the sticky waiters/: a dead one is reported, not removed (exit 3).
TEST(GcTool, AnotherUsersDeadRecordIsReportedNotRemoved) {
  if (!child_process::can_switch_user()) GTEST_SKIP() << "needs root to run as another user";
  const user_ids nobody = child_process::unprivileged_user();
  if (std::string why = child_process::cannot_run_as(nobody); !why.empty()) GTEST_SKIP() << why;
  const ntsem::names::record_name record = killed_engine_childs_record();
  const child_run run = ntsem({"gc"}, nobody);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.output_lines,
            (lines{record_line("not removed", record,
                               ": ERROR_ACCESS_DENIED (5), owner " + me + ", mode 0644"),
                   summary(0, 0, 0, 0, 0, false, 0, 1)}));
  EXPECT_TRUE(file_exists(ntsem::test::record_path(record)));
  EXPECT_EQ(ntsem({"gc"}).exit_code, 0);  // its owner (or root) may
  EXPECT_FALSE(file_exists(ntsem::test::record_path(record)));
}

TEST(ListTool, ShowsHeldObjectsLeftoversAndForeignFiles) {
  const std::string held = unique_name("a-held");
  child_process holder;
  ASSERT_EQ(holder.ask("create-sem " + held + " 1 2"), "ok h=0 err=0");
  const std::string leftover = unique_name("b-left");
  // A name with a line break in it, shown escaped.
  ASSERT_EQ(leave_leftover(leftover + "%0Abreak", 3, 5), "");
  write_junk("junk");

  const child_run run = ntsem({"list"});
  EXPECT_EQ(run.exit_code, 0);
  ASSERT_EQ(run.output_lines.size(), 4u);
  EXPECT_EQ(cells(run.output_lines[0]),
            (lines{"DIRECTORY", "NAME", "TYPE", "VALUE", "OWNER", "MODE", "STATE"}));
  EXPECT_EQ(cells(run.output_lines[1]),
            (lines{session, "file junk", "-", "-", me, "0644",
                   "foreign or corrupt: ERROR_FILE_CORRUPT (1392)"}));
  EXPECT_EQ(cells(run.output_lines[2]),
            (lines{session, "\"" + held + "\"", "semaphore", "1/2", me, "0600", "held"}));
  EXPECT_EQ(cells(run.output_lines[3]), (lines{session, "\"" + leftover + "\\nbreak\"",
                                               "semaphore", "3/5", me, "0600", "leftover"}));

  const std::string uid = std::to_string(::getuid());
  const child_run json = ntsem({"list", "--json"});
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_EQ(json.output_lines,
            lines{"{\"objects\":["
                  "{\"scope\":\"session\",\"directory\":\"" + session + "\",\"file\":\"junk\","
                  "\"name\":null,\"state\":\"foreign or corrupt\",\"type\":null,\"count\":null,"
                  "\"maximum\":null,\"manual_reset\":null,\"uid\":" + uid + ",\"mode\":\"0644\",\"error\":1392},"
                  "{\"scope\":\"session\",\"directory\":\"" + session + "\",\"file\":\"" + held +
                  "\",\"name\":\"" + held + "\",\"state\":\"held\",\"type\":\"semaphore\","
                  "\"count\":1,\"maximum\":2,\"manual_reset\":null,\"uid\":" + uid + ",\"mode\":\"0600\",\"error\":0},"
                  "{\"scope\":\"session\",\"directory\":\"" + session + "\",\"file\":\"" +
                  leftover + "%0Abreak\",\"name\":\"" + leftover + "\\u000Abreak\","
                  "\"state\":\"leftover\",\"type\":\"semaphore\",\"count\":3,\"maximum\":5,"
                  "\"manual_reset\":null,\"uid\":" + uid + ",\"mode\":\"0600\",\"error\":0}]}"});
  // Listing changes nothing.
  EXPECT_EQ(files_in(session), (lines{"junk", held, leftover + "%0Abreak"}));
  EXPECT_EQ(holder.ask("wait h0 0"), "result=0x00000000 err=0");
}

TEST(ListTool, ShowsEventsWithTheirStateAndResetMode) {
  const std::string manual = unique_name("event-m");
  const std::string automatic = unique_name("event-a");
  child_process holder;
  ASSERT_EQ(holder.ask("create-event " + automatic + " 0 0"), "ok h=0 err=0");
  ASSERT_EQ(holder.ask("create-event " + manual + " 1 1"), "ok h=1 err=0");
  const child_run run = ntsem({"list"});
  EXPECT_EQ(run.exit_code, 0);
  ASSERT_EQ(run.output_lines.size(), 3u);
  EXPECT_EQ(cells(run.output_lines[1]), (lines{session, "\"" + automatic + "\"", "event",
                                               "reset (auto)", me, "0600", "held"}));
  EXPECT_EQ(cells(run.output_lines[2]), (lines{session, "\"" + manual + "\"", "event",
                                               "set (manual)", me, "0600", "held"}));
  const std::string uid = std::to_string(::getuid());
  const child_run json = ntsem({"list", "--json"});
  ASSERT_EQ(json.output_lines.size(), 1u);
  EXPECT_NE(json.output_lines[0].find(
                "\"name\":\"" + manual + "\",\"state\":\"held\",\"type\":\"event\",\"count\":1,"
                "\"maximum\":null,\"manual_reset\":true,\"uid\":" + uid),
            std::string::npos)
      << json.output_lines[0];
  EXPECT_NE(json.output_lines[0].find("\"type\":\"event\",\"count\":0,\"maximum\":null,"
                                      "\"manual_reset\":false"),
            std::string::npos)
      << json.output_lines[0];

  // Killed, the holder leaves both as leftovers, which gc removes.
  holder.kill(SIGKILL);
  ASSERT_TRUE(holder.wait_exit().killed_by(SIGKILL));
  const child_run gc = ntsem({"gc"});
  EXPECT_EQ(gc.exit_code, 0);
  EXPECT_EQ(gc.output_lines,
            (lines{"removed: " + session + ": \"" + automatic + "\" (event reset (auto), owner " +
                       me + ", mode 0600)",
                   "removed: " + session + ": \"" + manual + "\" (event set (manual), owner " + me +
                       ", mode 0600)",
                   summary(2, 0, 0, 0, 0)}));
  EXPECT_EQ(files_in(session), lines{});
}

TEST(ListTool, AnEmptyNamespaceListsNothing) {
  const child_run run = ntsem({"list", "--global", "--all-sessions"});
  EXPECT_EQ(run.exit_code, 0);
  ASSERT_EQ(run.output_lines.size(), 1u);
  EXPECT_EQ(cells(run.output_lines[0]),
            (lines{"DIRECTORY", "NAME", "TYPE", "VALUE", "OWNER", "MODE", "STATE"}));
  EXPECT_EQ(ntsem({"list", "--json"}).output_lines, lines{"{\"objects\":[]}"});
}

TEST(GcTool, UsageAndHelp) {
  const child_run help = ntsem({"gc", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  ASSERT_FALSE(help.output_lines.empty());
  EXPECT_EQ(help.output_lines[0],
            "Usage: ntsem gc [--dry-run] [--json] [--global] [--session] [--all-sessions]");
  EXPECT_EQ(ntsem({"list", "--help"}).exit_code, 0);
  EXPECT_EQ(ntsem({"gc", "--bogus"}).exit_code, 2);
  EXPECT_EQ(ntsem({"gc", "--dry-run=yes"}).exit_code, 2);
  EXPECT_EQ(ntsem({"list", "stray"}).exit_code, 2);
}

}  // namespace

#include "gc.hpp"

#include <ntsem/namespace.h>

#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "object_text.hpp"
#include "options.hpp"
#include "scope_options.hpp"
#include "text_escape.hpp"
#include "win32_text.hpp"

namespace ntsem_tool {

namespace {

// Beyond the codes every command shares (command.hpp).
constexpr int exit_left_behind = 3;  // a leftover, a dead record or a foreign file remains
constexpr int exit_not_seen = 4;     // files gc may not open: it cannot tell

struct GcSettings {
  ScopeFlags scopes;
  bool dry_run = false;
  bool json = false;
};

std::vector<FlagOption> gc_options(GcSettings& settings) {
  return with_scope_flags(
      {
          {"--dry-run", "list what would be removed, remove nothing", &settings.dry_run},
          {"--json", "print one JSON document instead of text", &settings.json},
      },
      settings.scopes);
}

std::string_view action_text(DWORD action) {
  switch (action) {
    case NTSEM_GC_REMOVED:
      return "removed";
    case NTSEM_GC_WOULD_REMOVE:
      return "would remove";
    case NTSEM_GC_NOT_REMOVED:
      return "not removed";
    case NTSEM_GC_KEPT:
      return "kept";
    case NTSEM_GC_SKIPPED:
      return "skipped";
    default:
      return "unknown";
  }
}

// removed: session-4: "jobs" (semaphore 2/3, owner alice, mode 0600)
// removed: waiters: process record 4242-0badf00d (leftover, owner alice, mode 0644)
// kept: global: file junk (foreign or corrupt: ERROR_FILE_CORRUPT (1392), owner bob, mode 0644)
std::string text_line(const NTSEM_OBJECT_INFO& info, DWORD action) {
  std::string line(action_text(action));
  line += ": ";
  line += printable(info.Directory);
  line += ": ";
  line += object_label(info);
  line += " (";
  if (has_name(info)) {
    line += type_text(info.Type);
    line += ' ';
    line += counts_text(info);
  } else {
    line += state_text(info.State);
  }
  if (info.Error != ERROR_SUCCESS) {
    line += ": ";
    line += error_text(info.Error);
  }
  line += ", owner " + owner_text(info.OwnerUid) + ", mode " + mode_text(info.Mode) + ")";
  return line;
}

struct GcOutput {
  const GcSettings* settings;
  std::vector<std::string> json_files;
};

BOOL WINAPI report(const NTSEM_OBJECT_INFO* info, DWORD action, PVOID context) {
  auto& output = *static_cast<GcOutput*>(context);
  if (output.settings->json) {
    output.json_files.push_back("{\"action\":\"" + std::string(action_text(action)) + "\"," +
                                json_members(*info) + "}");
  } else {
    std::cout << text_line(*info, action) << '\n';
  }
  return TRUE;
}

// Both gcs' counts, for what is the same for either.
NTSEM_GC_SUMMARY total_of(const NTSEM_GC_SUMMARY& objects, const NTSEM_GC_SUMMARY& records) {
  return {objects.Held + records.Held,       objects.Leftovers + records.Leftovers,
          objects.Removed + records.Removed, objects.NotRemoved + records.NotRemoved,
          objects.Kept + records.Kept,       objects.Skipped + records.Skipped};
}

// "leftovers removed 1, not removable 0" ("... to remove ..." in a dry run)
std::string found_text(std::string_view what, const NTSEM_GC_SUMMARY& summary, bool dry_run) {
  std::string text(what);
  text += dry_run ? " to remove " : " removed ";
  text += std::to_string(dry_run ? summary.Leftovers - summary.NotRemoved : summary.Removed);
  text += ", not removable " + std::to_string(summary.NotRemoved);
  return text;
}

std::string summary_text(const NTSEM_GC_SUMMARY& objects, const NTSEM_GC_SUMMARY& records,
                         bool dry_run) {
  const NTSEM_GC_SUMMARY total = total_of(objects, records);
  std::string text = dry_run ? "summary (dry run): " : "summary: ";
  text += found_text("leftovers", objects, dry_run);
  text += "; " + found_text("dead process records", records, dry_run);
  text += "; foreign or corrupt kept " + std::to_string(total.Kept);
  text += "; skipped " + std::to_string(total.Skipped);
  text += "; in use " + std::to_string(total.Held);
  return text;
}

std::string summary_json(const NTSEM_GC_SUMMARY& summary) {
  return "\"held\":" + std::to_string(summary.Held) +
         ",\"leftovers\":" + std::to_string(summary.Leftovers) +
         ",\"removed\":" + std::to_string(summary.Removed) +
         ",\"not_removed\":" + std::to_string(summary.NotRemoved) +
         ",\"kept\":" + std::to_string(summary.Kept) +
         ",\"skipped\":" + std::to_string(summary.Skipped);
}

void print_json(const GcOutput& output, const NTSEM_GC_SUMMARY& objects,
                const NTSEM_GC_SUMMARY& records) {
  std::cout << "{\"dry_run\":" << (output.settings->dry_run ? "true" : "false")
            << ",\"files\":" << json_array(output.json_files) << ",\"summary\":{"
            << summary_json(objects) << ",\"records\":{" << summary_json(records) << "}}}\n";
}

int exit_code_of(const NTSEM_GC_SUMMARY& summary, bool dry_run) {
  const bool left_behind =
      summary.NotRemoved > 0 || summary.Kept > 0 || (dry_run && summary.Leftovers > 0);
  if (left_behind) {
    return exit_left_behind;
  }
  return summary.Skipped > 0 ? exit_not_seen : exit_ok;
}

}  // namespace

void print_gc_help(std::ostream& out) {
  GcSettings defaults;
  out << "Usage: ntsem gc [--dry-run] [--json] [--global] [--session] [--all-sessions]\n"
         "\n"
         "Removes the leftovers of named objects: the files whose last holder was\n"
         "killed before it could remove them (the next create or open of such a\n"
         "name reclaims it too).  Prints a line for each file it removes or would\n"
         "remove, and for each it leaves: leftovers it may not remove (another\n"
         "user's), foreign or corrupt files and files of another ntsem version\n"
         "(never removed), and files it may not open (skipped: held or not, it\n"
         "cannot tell).  Objects in use are left alone and only counted.  A file is\n"
         "removed only while nobody holds it or is opening it.\n"
         "\n"
         "Removes as well the process records (waiters/<pid>-<nonce> under the\n"
         "root, in no scope) of processes that were killed, and reports them in\n"
         "the same way.  A record is removed only while no process holds it: the\n"
         "record of a live process is never removed.\n"
         "\n"
         "Options:\n";
  print_options(out, {}, {}, gc_options(defaults));
  out << "  -h, --help      show this help\n"
         "\n";
  print_scope_help(out);
  out << "\n"
         "Exit status:\n"
         "  0  nothing left behind: every leftover and dead record found was removed\n"
         "  1  runtime failure: a namespace directory or waiters/ could not be read\n"
         "  2  usage error: unknown command, bad option or bad value\n"
         "  3  files are left behind: a leftover or dead process record that could\n"
         "     not be removed (with --dry-run, any), or a foreign or corrupt file\n"
         "  4  nothing left behind among the files gc could open, but it skipped\n"
         "     files it may not open\n";
}

int run_gc(Arguments arguments) {
  GcSettings settings;
  parse_options(arguments, {}, {}, gc_options(settings));
  GcOutput output{&settings, {}};
  const DWORD flags = settings.dry_run ? NTSEM_GC_DRY_RUN : 0;
  NTSEM_GC_SUMMARY objects{};
  if (NtsemRemoveLeftovers(scopes_of(settings.scopes), flags, report, &output, &objects) ==
      FALSE) {
    std::cerr << "ntsem gc: " << failed_call_text("NtsemRemoveLeftovers") << '\n';
    return exit_failure;
  }
  NTSEM_GC_SUMMARY records{};
  if (NtsemRemoveDeadProcessRecords(flags, report, &output, &records) == FALSE) {
    std::cerr << "ntsem gc: " << failed_call_text("NtsemRemoveDeadProcessRecords") << '\n';
    return exit_failure;
  }
  if (settings.json) {
    print_json(output, objects, records);
  } else {
    std::cout << summary_text(objects, records, settings.dry_run) << '\n';
  }
  return exit_code_of(total_of(objects, records), settings.dry_run);
}

}  // namespace ntsem_tool

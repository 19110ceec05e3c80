// NtsemEnumerateNamedObjects, NtsemRemoveLeftovers and
// NtsemRemoveDeadProcessRecords (<ntsem/namespace.h>): the C face of
// namespace/namespace_scan.hpp, namespace/leftovers.hpp and
// namespace/dead_records.hpp.
#include <ntsem/namespace.h>
#include <ntsem/winternl.h>

#include "namespace/dead_records.hpp"
#include "namespace/leftovers.hpp"
#include "namespace/namespace_scan.hpp"
#include "win32/last_error.hpp"

using namespace ntsem;

namespace {

static_assert(NTSEM_SCOPE_GLOBAL == names::scan_global);
static_assert(NTSEM_SCOPE_SESSION == names::scan_session);
static_assert(NTSEM_SCOPE_ALL_SESSIONS == names::scan_all_sessions);
static_assert(NTSEM_FILE_HELD == DWORD(names::file_state::held));
static_assert(NTSEM_FILE_LEFTOVER == DWORD(names::file_state::leftover));
static_assert(NTSEM_FILE_CORRUPT == DWORD(names::file_state::corrupt));
static_assert(NTSEM_FILE_OTHER_VERSION == DWORD(names::file_state::other_version));
static_assert(NTSEM_FILE_INACCESSIBLE == DWORD(names::file_state::inaccessible));
static_assert(NTSEM_TYPE_UNKNOWN == DWORD(shm::object_type::none));
static_assert(NTSEM_TYPE_SEMAPHORE == DWORD(shm::object_type::semaphore));
static_assert(NTSEM_TYPE_EVENT == DWORD(shm::object_type::event));
static_assert(NTSEM_GC_REMOVED == DWORD(names::gc_action::removed));
static_assert(NTSEM_GC_WOULD_REMOVE == DWORD(names::gc_action::would_remove));
static_assert(NTSEM_GC_NOT_REMOVED == DWORD(names::gc_action::not_removed));
static_assert(NTSEM_GC_KEPT == DWORD(names::gc_action::kept));
static_assert(NTSEM_GC_SKIPPED == DWORD(names::gc_action::skipped));

// A view of `f` for a callback; its strings point into `f`.
NTSEM_OBJECT_INFO info_of(const names::scanned_file& f) {
  NTSEM_OBJECT_INFO info{};
  info.Scope = f.where == names::scope::global ? NTSEM_SCOPE_GLOBAL : NTSEM_SCOPE_SESSION;
  info.Directory = f.directory.c_str();
  info.FileName = f.file_name.c_str();
  info.Name = f.name.c_str();
  info.State = static_cast<DWORD>(f.state);
  info.Type = static_cast<DWORD>(f.type);
  info.Count = f.count;
  info.Maximum = f.maximum;
  info.ManualReset = f.manual_reset;
  info.OwnerUid = f.owner;
  info.Mode = f.mode;
  info.Error = f.status == STATUS_SUCCESS ? ERROR_SUCCESS : RtlNtStatusToDosError(f.status);
  return info;
}

bool result_of(NTSTATUS status) { return status == STATUS_SUCCESS || win32::fail(status); }

// Runs a gc (`remove`, given dry_run, the report and the summary) for a C
// caller: `callback` (optional) sees each reported file as made by
// `info_for`.
template <typename Remove, typename Info>
BOOL run_gc(DWORD flags, NTSEM_GC_CALLBACK callback, PVOID context, NTSEM_GC_SUMMARY* summary,
            Remove remove, Info info_for) {
  if (summary == nullptr || (flags & ~NTSEM_GC_DRY_RUN) != 0)
    return win32::fail(STATUS_INVALID_PARAMETER);
  names::gc_summary counted;
  const NTSTATUS s = remove(
      (flags & NTSEM_GC_DRY_RUN) != 0,
      [&](const names::scanned_file& f, names::gc_action action) {
        if (callback == nullptr) return true;
        const NTSEM_OBJECT_INFO info = info_for(f);
        return callback(&info, static_cast<DWORD>(action), context) != FALSE;
      },
      &counted);
  *summary = {counted.held,        counted.leftovers, counted.removed,
              counted.not_removed, counted.kept,      counted.skipped};
  return result_of(s);
}

// A record as a file of no scope, of type process record once it checked.
NTSEM_OBJECT_INFO record_info_of(const names::scanned_file& f) {
  NTSEM_OBJECT_INFO info = info_of(f);
  info.Scope = 0;
  if (f.state == names::file_state::leftover) info.Type = NTSEM_TYPE_PROCESS_RECORD;
  return info;
}

}  // namespace

extern "C" {

BOOL NtsemEnumerateNamedObjects(DWORD scopes, NTSEM_OBJECT_CALLBACK callback, PVOID context) {
  if (callback == nullptr) return win32::fail(STATUS_INVALID_PARAMETER);
  return result_of(names::scan_namespace(scopes, [&](const names::scanned_file& f) {
    const NTSEM_OBJECT_INFO info = info_of(f);
    return callback(&info, context) != FALSE;
  }));
}

BOOL NtsemRemoveLeftovers(DWORD scopes, DWORD flags, NTSEM_GC_CALLBACK callback, PVOID context,
                          NTSEM_GC_SUMMARY* summary) {
  return run_gc(
      flags, callback, context, summary,
      [scopes](bool dry_run, const names::gc_report& report, names::gc_summary* counted) {
        return names::remove_leftovers(scopes, dry_run, report, counted);
      },
      info_of);
}

BOOL NtsemRemoveDeadProcessRecords(DWORD flags, NTSEM_GC_CALLBACK callback, PVOID context,
                                   NTSEM_GC_SUMMARY* summary) {
  return run_gc(flags, callback, context, summary, names::remove_dead_records, record_info_of);
}

}  // extern "C"

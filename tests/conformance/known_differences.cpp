// The one list of cases skipped outside the native build, each with its reason
// and a public reference.  Nothing else is skipped: a case that fails under
// Wine and is not listed here is a bug in the case or in ntsem until shown
// otherwise.
#include "known_differences.h"

#include <algorithm>

#include "platform.h"

namespace conformance {

namespace {

constexpr known_difference list[] = {
    // ---- Wine differs from Windows (ntsem follows Windows) ----
    {"NamedSecurity.AnEmptyDaclRefusesSynchronize", differs_in::wine,
     "Windows grants nothing through an empty DACL but the owner's implicit READ_CONTROL and "
     "WRITE_DAC; Wine 8 lets the owner open the object for SYNCHRONIZE (other rights are "
     "refused, as on Windows).",
     "https://learn.microsoft.com/en-us/windows/win32/secauthz/null-dacls-and-empty-dacls "
     "(\"the system denies all access attempts\"); "
     "https://learn.microsoft.com/en-us/windows/win32/secauthz/dacls-and-aces"},
    {"ReleaseSemaphore.ZeroCountIsInvalidParameter", differs_in::wine,
     "Windows refuses a release count of 0 (STATUS_INVALID_PARAMETER, ERROR_INVALID_PARAMETER); "
     "Wine 8 accepts it as a successful release of nothing.",
     "https://learn.microsoft.com/en-us/windows/win32/api/synchapi/nf-synchapi-releasesemaphore "
     "(\"The value must be greater than zero\"); ReactOS ntoskrnl/ex/sem.c, NtReleaseSemaphore"},
    {"ReleaseSemaphore.NegativeCountIsInvalidParameter", differs_in::wine,
     "Windows refuses a negative release count with ERROR_INVALID_PARAMETER; Wine 8 adds it as "
     "an unsigned number and reports ERROR_TOO_MANY_POSTS.",
     "https://learn.microsoft.com/en-us/windows/win32/api/synchapi/nf-synchapi-releasesemaphore; "
     "ReactOS ntoskrnl/ex/sem.c, NtReleaseSemaphore (ReleaseCount <= 0)"},
    {"ReleaseSemaphore.CountIsCheckedBeforeTheHandle", differs_in::wine,
     "Windows' NtReleaseSemaphore checks the count before it looks up the handle, so "
     "ReleaseSemaphore(NULL, 0) is ERROR_INVALID_PARAMETER; Wine 8 reports ERROR_INVALID_HANDLE.",
     "ReactOS ntoskrnl/ex/sem.c, NtReleaseSemaphore (the count test precedes "
     "ObReferenceObjectByHandle)"},
    {"WaitAll.TheSameObjectTwiceIsInvalidParameter", differs_in::wine,
     "Windows refuses the same object twice in a wait-all (STATUS_INVALID_PARAMETER_MIX, "
     "ERROR_INVALID_PARAMETER), through one handle or two; Wine 8 accepts it and takes a unit "
     "per entry, and its server aborts on an assertion (server/semaphore.c, semaphore_satisfied) "
     "when {s, s} meets a count of 1.  Never run under Wine.",
     "https://learn.microsoft.com/en-us/windows/win32/api/synchapi/nf-synchapi-waitformultipleobjects "
     "(\"It may not contain multiple copies of the same handle\"); "
     "https://devblogs.microsoft.com/oldnewthing/20110225-00/?p=11383 "
     "(ERROR_INVALID_PARAMETER for one object twice in a wait-all); ReactOS ntoskrnl/ob/obwait.c, "
     "NtWaitForMultipleObjects (STATUS_INVALID_PARAMETER_MIX)"},
    {"WaitForMultipleObjects.PseudoHandlesAreInvalidHandle", differs_in::wine,
     "Windows' NtWaitForMultipleObjects looks every handle up in the process handle table, where "
     "the pseudo handles of the current process and thread are not: ERROR_INVALID_HANDLE.  "
     "(WaitForSingleObject resolves them and waits.)  Wine 8 waits on them.",
     "ReactOS ntoskrnl/ob/obwait.c, NtWaitForMultipleObjects (ExMapHandleToPointer, no "
     "pseudo-handle case) against NtWaitForSingleObject (ObReferenceObjectByHandle)"},
    {"IsValidAcl.ChecksEveryAce", differs_in::wine,
     "Windows' IsValidAcl walks every ACE: an AceCount that does not fit in AclSize, an ACE "
     "smaller than its header or its SID, or an ACE whose SID is invalid makes the ACL invalid.  "
     "Wine 8 checks the revision and the ACEs' extent only.",
     "https://learn.microsoft.com/en-us/windows/win32/api/securitybaseapi/nf-securitybaseapi-isvalidacl "
     "(\"verifies that the number of ACEs specified in the AceCount member ... fits the space "
     "specified by the AclSize member\"); ReactOS sdk/lib/rtl/acl.c, RtlValidAcl"},
    {"Sid.CopySidTooSmallIsInsufficientBuffer", differs_in::wine,
     "Windows' CopySid reports RtlCopySid's STATUS_BUFFER_TOO_SMALL as ERROR_INSUFFICIENT_BUFFER; "
     "Wine 8 fails without setting the last error.",
     "ReactOS dll/win32/advapi32/wine/security.c, CopySid (set_ntstatus of RtlCopySid) and "
     "sdk/lib/rtl/sid.c, RtlCopySid (STATUS_BUFFER_TOO_SMALL)"},
    {"Sid.InitializeSidTakesFifteenSubAuthorities", differs_in::wine,
     "A SID holds up to SID_MAX_SUB_AUTHORITIES (15) sub-authorities and InitializeSid accepts "
     "any count up to it; Wine 8 refuses 15 (it tests count >= 15).",
     "https://learn.microsoft.com/en-us/windows/win32/api/winnt/ns-winnt-sid; "
     "https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ntifs/nf-ntifs-rtlinitializesid; "
     "ReactOS sdk/lib/rtl/sid.c, RtlInitializeSid"},
    {"SecurityDescriptor.GetOwnerAndGroupCheckTheRevision", differs_in::wine,
     "Windows' GetSecurityDescriptorOwner and GetSecurityDescriptorGroup refuse a descriptor "
     "whose revision is not 1 (STATUS_UNKNOWN_REVISION, ERROR_UNKNOWN_REVISION), as every other "
     "Get call does; Wine 8 reads the owner and group anyway.",
     "ReactOS sdk/lib/rtl/sd.c, RtlGetOwnerSecurityDescriptor and RtlGetGroupSecurityDescriptor"},
    {"Sddl.NoAccessControlIsANullDacl", differs_in::wine,
     "The DACL flag NO_ACCESS_CONTROL (SDDL_NULL_ACL) makes the DACL null: present, with no "
     "ACL.  Wine 8 skips the flag and gives an empty ACL, which denies everything.",
     "https://learn.microsoft.com/en-us/windows/win32/secauthz/security-descriptor-string-format "
     "(\"NO_ACCESS_CONTROL  SDDL_NULL_ACL  The ACL is null.\")"},
    {"CreateEventEx.UnknownFlagsAreInvalidParameter", differs_in::wine,
     "Windows' CreateEventEx refuses dwFlags bits other than CREATE_EVENT_MANUAL_RESET and "
     "CREATE_EVENT_INITIAL_SET with ERROR_INVALID_PARAMETER, before it looks at the name; "
     "Wine 8 ignores the unknown bits and creates the event.",
     "ReactOS dll/win32/kernel32/client/synch.c, CreateEventExW (\"Check for invalid flags\": "
     "dwFlags & ~(CREATE_EVENT_INITIAL_SET | CREATE_EVENT_MANUAL_RESET) fails with "
     "ERROR_INVALID_PARAMETER before NtCreateEvent); "
     "https://learn.microsoft.com/en-us/windows/win32/api/synchapi/nf-synchapi-createeventexw "
     "(dwFlags: 0 or the two flags)"},
    {"OpenEvent.NoRightsAtAllIsAccessDenied", differs_in::wine,
     "Windows' access check refuses a request for no rights on an existing object "
     "(STATUS_ACCESS_DENIED, ERROR_ACCESS_DENIED), whatever its type; Wine 8 opens an event "
     "with an empty access mask, and CreateEventEx with access 0 returns the existing event.",
     "ReactOS ntoskrnl/se/accesschk.c, SepAccessCheck (no DesiredAccess and nothing granted "
     "before: STATUS_ACCESS_DENIED); Wine's dlls/kernel32/tests/sync.c, test_mutex "
     "(OpenMutexA(0, ...) on an existing mutex fails with ERROR_ACCESS_DENIED on Windows)"},
    {"AlertableWait.AnApcEndsABlockedSignalObjectAndWait", differs_in::wine,
     "Windows makes SignalObjectAndWait's signal once per call: kernel32 calls "
     "NtSignalAndWaitForSingleObject again only for STATUS_ALERTED, and a user APC ends the "
     "call with WAIT_IO_COMPLETION.  Under Wine 8 a thread blocked in it whose wait an APC "
     "ends has released the semaphore twice (its count is 2 where 1 is expected).",
     "ReactOS dll/win32/kernel32/client/synch.c, SignalObjectAndWait (the loop repeats on "
     "STATUS_ALERTED only); "
     "https://learn.microsoft.com/en-us/windows/win32/api/synchapi/nf-synchapi-signalobjectandwait"},

    // ---- ntsem goes beyond Windows on purpose ----
    {"WaitForSingleObject.StaleHandleNeverReachesANewerObject", differs_in::windows,
     "ntsem never reuses a closed handle's value; Windows (and Wine) hand the lowest free "
     "handle-table entry out again, so a stale value can name a newer object.",
     "ReactOS ntoskrnl/ex/handle.c, ExpAllocateHandleTableEntry (takes the table's first free "
     "entry); include/ntsem/windows.h, \"Handles\""},
    {"StaleHandles.RacingClosesNeverTouchNewerObjects", differs_in::windows,
     "The same promise under a race: a handle closed by another thread never reaches an object "
     "created afterwards.  Windows reuses handle values.",
     "ReactOS ntoskrnl/ex/handle.c, ExpAllocateHandleTableEntry; include/ntsem/windows.h, "
     "\"Handles\""},
    {"WaitForSingleObject.TruncatedHandleIsRefused", differs_in::windows,
     "ntsem keeps a generation in a handle's upper 32 bits and refuses a truncated value; on "
     "Windows only the lower 32 bits are significant, so the truncated value is the same handle.",
     "https://learn.microsoft.com/en-us/windows/win32/winprog64/interprocess-communication "
     "(\"it is safe to truncate the handle\")"},
    {"WaitForMultipleObjects.NullArrayIsNoAccess", differs_in::windows,
     "ntsem answers a NULL handle array with ERROR_NOACCESS; Windows' WaitForMultipleObjectsEx "
     "copies the array without an exception handler and the process faults.",
     "ReactOS dll/win32/kernel32/client/synch.c, WaitForMultipleObjectsEx (RtlCopyMemory of "
     "lpHandles); include/ntsem/windows.h, \"Where Windows would crash on a bad pointer\""},
};

#if defined(_WIN32)
// Wine's ntdll exports wine_get_version; Windows' does not.
const char* wine_version() {
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  FARPROC proc = ntdll ? GetProcAddress(ntdll, "wine_get_version") : nullptr;
  if (!proc) return nullptr;
  // Through void(*)() so that -Wcast-function-type accepts the cast.
  auto get = reinterpret_cast<const char* (*)()>(reinterpret_cast<void (*)()>(proc));
  return get();
}
#endif

}  // namespace

std::span<const known_difference> known_differences() { return list; }

const known_difference* skipped_here(std::string_view test) {
#if defined(_WIN32)
  const bool under_wine = wine_version() != nullptr;
  for (const known_difference& d : list) {
    if (test == d.test && (d.where == differs_in::windows || under_wine)) return &d;
  }
#else
  (void)test;
#endif
  return nullptr;
}

std::string world() {
#if defined(_WIN32)
  if (const char* v = wine_version()) return std::string("Wine ") + v;
  return "Windows";
#else
  return "ntsem";
#endif
}

}  // namespace conformance

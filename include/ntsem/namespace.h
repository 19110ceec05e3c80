/*
 * <ntsem/namespace.h> — ntsem's own calls (not Windows') for looking at the
 * named objects on this machine and removing what crashed processes left
 * behind: the files of their objects and their process records.  For tools
 * such as `ntsem list` and `ntsem gc`; C and C++.
 *
 * Contract
 * --------
 * Where objects live.  Each named object is a file in a namespace directory
 * under $NTSEM_ROOT (default /dev/shm/ntsem): "global" for Global\ names,
 * "session-<id>" for each session's Local\ and unprefixed names.  A file
 * whose last holder was killed (SIGKILL, a crash) stays there, a "leftover",
 * until the next create or open of its name reclaims it, or until
 * NtsemRemoveLeftovers removes it.
 *
 * Scopes.  A scope argument is a non-zero combination of NTSEM_SCOPE_GLOBAL,
 * NTSEM_SCOPE_SESSION (the caller's session: NTSEM_SESSION, else the login
 * session) and NTSEM_SCOPE_ALL_SESSIONS (every session directory, the
 * caller's included).  Directories are visited in name order ("global"
 * first), files in name order within each; a directory that does not exist
 * holds nothing.
 *
 *   file \ call   | NtsemEnumerateNamedObjects | NtsemRemoveLeftovers
 *   --------------+----------------------------+-------------------------------
 *   held          | reported, NTSEM_FILE_HELD  | left alone, counted in Held
 *   leftover      | reported, ..._LEFTOVER     | removed, NTSEM_GC_REMOVED (or
 *                 |                            | NTSEM_GC_WOULD_REMOVE with
 *                 |                            | NTSEM_GC_DRY_RUN); when the
 *                 |                            | caller may not remove it,
 *                 |                            | NTSEM_GC_NOT_REMOVED
 *   corrupt,      | reported, ..._CORRUPT or   | never removed, NTSEM_GC_KEPT
 *   other version | ..._OTHER_VERSION          |
 *   not openable  | reported, ..._INACCESSIBLE | NTSEM_GC_SKIPPED
 *   '.'-names     | not reported (ntsem's own temporary files), never removed
 *
 * What is read is a snapshot.  Enumeration takes no lock at all: it reads
 * each file through a descriptor of its own, and tells whether a holder's
 * lock is there from the kernel's list of locks (/proc/locks, read once a
 * call), so it never delays or disturbs a process that joins or leaves an
 * object.  Where the kernel leaves a lock out of that list (a lock taken by
 * a process outside the caller's pid namespace, or by one that has ended
 * since, in a namespace other than the first) the object reads as not held;
 * where /proc/locks cannot be read, every object reads as held.  Anything
 * it reports (held or not, the count) may be stale by the time the callback
 * runs, and a file being made again at that moment may read as corrupt once.
 *
 * Removal is exact.  A file is removed only if NtsemRemoveLeftovers holds
 * the object's holders lock exclusively (every process that holds the
 * object holds it shared) and the name still names that very file.  So it
 * never removes an object that a process holds or is joining, and a process
 * never finds its object's name gone while it holds it.  The lock is only
 * tried, never waited for: a file whose lock is busy is in use (counted in
 * Held).  A file that is not a valid object file of this
 * version is never removed, whoever owns it.
 *
 * Process records.  Each process that waits keeps a record, a file
 * "waiters/<pid>-<nonce>" under $NTSEM_ROOT (mode 0644), and removes it when
 * it exits normally; a killed process leaves it behind.  Records belong to
 * no scope, so NtsemRemoveLeftovers leaves them alone (a caller that cleans
 * one scope should not find its call reaching beyond it);
 * NtsemRemoveDeadProcessRecords removes them, with the same flags, callback
 * and summary, and the same table: a record of a live process counts as
 * held (in Held, not reported); one whose process ended is a leftover
 * (Info->Type NTSEM_TYPE_PROCESS_RECORD, Info->Scope 0, Info->Name ""); a
 * file under a record's name that is not a record of this version is kept.
 * Files in "waiters" under any other name are not records: they are neither
 * reported nor removed.  Removal is exact here too: a process holds a lock
 * on its record for its whole life, and a record is removed only while the
 * call holds that lock itself and the name still names the file it locked,
 * so a live process never loses its record.  Another user's record (mode
 * 0644) cannot be locked by a caller other than root: one whose process
 * ended is reported NTSEM_GC_NOT_REMOVED, Error ERROR_ACCESS_DENIED.
 *
 * Permissions.  A file the caller may not open for writing is not locked and
 * not removed: one it may read is still reported for what it is
 * (a leftover: NTSEM_GC_NOT_REMOVED, Error ERROR_ACCESS_DENIED); one it may
 * not read is NTSEM_FILE_INACCESSIBLE / NTSEM_GC_SKIPPED.  The namespace
 * directories are sticky (mode 1777): only a file's owner (or root) may
 * unlink it.  None of these stops the call.
 *
 * Callbacks run on the calling thread, once per file, after the call has let
 * go of that file; they may call any ntsem function.  Returning FALSE stops
 * the call early (it then returns TRUE).  The strings of an
 * NTSEM_OBJECT_INFO are valid only during the callback.
 *
 * Results.  TRUE on success.  FALSE with the last error set:
 * ERROR_INVALID_PARAMETER (no scope, an unknown scope or flag, a NULL
 * callback where one is required, a NULL summary), ERROR_ACCESS_DENIED or
 * ERROR_NO_SYSTEM_RESOURCES (a namespace directory could not be read; the
 * files before it were handled).  A successful call leaves the last error
 * untouched.
 *
 * Thread safety.  These calls may be made from any thread at any time, also
 * while other threads and processes create, open and close named objects
 * and wait.  None is async-signal-safe.
 */
#ifndef NTSEM_NAMESPACE_H
#define NTSEM_NAMESPACE_H

#include <ntsem/windows.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Scopes (combine with |). */
#define NTSEM_SCOPE_GLOBAL 0x1u
#define NTSEM_SCOPE_SESSION 0x2u
#define NTSEM_SCOPE_ALL_SESSIONS 0x4u

/* NTSEM_OBJECT_INFO.State */
#define NTSEM_FILE_HELD 0u          /* a process holds the object */
#define NTSEM_FILE_LEFTOVER 1u      /* a valid object file that nobody holds */
#define NTSEM_FILE_CORRUPT 2u       /* foreign, damaged, or not a regular file */
#define NTSEM_FILE_OTHER_VERSION 3u /* an object file of another layout version */
#define NTSEM_FILE_INACCESSIBLE 4u  /* the caller may not open it */

/* NTSEM_OBJECT_INFO.Type */
#define NTSEM_TYPE_UNKNOWN 0u /* the file was not read (not HELD or LEFTOVER) */
#define NTSEM_TYPE_SEMAPHORE 1u
#define NTSEM_TYPE_EVENT 2u
#define NTSEM_TYPE_PROCESS_RECORD 3u /* a process record whose process ended
                                        (NtsemRemoveDeadProcessRecords) */
#define NTSEM_TYPE_MUTEX 4u

typedef struct NTSEM_OBJECT_INFO {
  DWORD Scope;        /* NTSEM_SCOPE_GLOBAL, or NTSEM_SCOPE_SESSION for any
                         session directory; 0 for a file in "waiters" */
  LPCSTR Directory;   /* "global", "session-<id>", "waiters" */
  LPCSTR FileName;    /* the file's name in Directory */
  LPCSTR Name;        /* the object's name within its scope, as UTF-8, read
                         from the file (so a long name, whose file name is a
                         digest, is shown whole; an unpaired surrogate of a W
                         name shows as U+FFFD); "" unless HELD or LEFTOVER */
  DWORD State;        /* NTSEM_FILE_* */
  DWORD Type;         /* NTSEM_TYPE_* */
  LONG Count;         /* semaphores: the count; events: 1 signaled, 0 not;
                         mutexes: 1 free, 0 owned; -1 otherwise */
  LONG Maximum;       /* semaphores: the maximum count; -1 otherwise */
  DWORD OwnerUid;     /* the file's owner */
  DWORD Mode;         /* the file's permission bits (0600: its owner only) */
  DWORD Error;        /* why CORRUPT (ERROR_FILE_CORRUPT), OTHER_VERSION
                         (ERROR_REVISION_MISMATCH), INACCESSIBLE
                         (ERROR_ACCESS_DENIED), or a leftover
                         NTSEM_GC_NOT_REMOVED; 0 otherwise */
  LONG ManualReset;   /* events: 1 manual-reset, 0 auto-reset; -1 otherwise */
} NTSEM_OBJECT_INFO;

/* Called once for each file; return FALSE to stop. */
typedef BOOL(WINAPI *NTSEM_OBJECT_CALLBACK)(const NTSEM_OBJECT_INFO *Info, PVOID Context);

/* Reports every file in the namespace directories of Scopes.  Callback is
   required. */
NTSEM_API BOOL WINAPI NtsemEnumerateNamedObjects(DWORD Scopes, NTSEM_OBJECT_CALLBACK Callback,
                                                 PVOID Context);

/* NtsemRemoveLeftovers flags */
#define NTSEM_GC_DRY_RUN 0x1u /* report the leftovers, remove nothing */

/* What NtsemRemoveLeftovers did with a file (the Action of its callback). */
#define NTSEM_GC_REMOVED 0u      /* a leftover, removed */
#define NTSEM_GC_WOULD_REMOVE 1u /* a leftover, left in place (NTSEM_GC_DRY_RUN) */
#define NTSEM_GC_NOT_REMOVED 2u  /* a leftover the caller may not remove (Info->Error) */
#define NTSEM_GC_KEPT 3u         /* corrupt or of another version: never removed */
#define NTSEM_GC_SKIPPED 4u      /* could not be opened: held or not is unknown */

typedef BOOL(WINAPI *NTSEM_GC_CALLBACK)(const NTSEM_OBJECT_INFO *Info, DWORD Action,
                                        PVOID Context);

typedef struct NTSEM_GC_SUMMARY {
  DWORD Held;       /* objects in use, left alone (not reported) */
  DWORD Leftovers;  /* leftovers found: Removed + NotRemoved, or all would be
                       removed with NTSEM_GC_DRY_RUN */
  DWORD Removed;
  DWORD NotRemoved;
  DWORD Kept;
  DWORD Skipped;
} NTSEM_GC_SUMMARY;

/* Removes the leftovers of Scopes (with NTSEM_GC_DRY_RUN in Flags, only finds
   them).  Callback, which may be NULL, is called for each file that is not
   held; *Summary (required) counts what was done, also when the call stops
   early or fails part way.  No leftover remains in Scopes when the call
   returns TRUE with Summary->Leftovers == Summary->Removed, unless a process
   was killed meanwhile. */
NTSEM_API BOOL WINAPI NtsemRemoveLeftovers(DWORD Scopes, DWORD Flags, NTSEM_GC_CALLBACK Callback,
                                           PVOID Context, NTSEM_GC_SUMMARY *Summary);

/* Removes the records of processes that ended (with NTSEM_GC_DRY_RUN in
   Flags, only finds them), as NtsemRemoveLeftovers removes leftovers:
   Callback, which may be NULL, is called for each record that is not a live
   process's and for each file under a record's name that is not a record;
   *Summary (required) counts them, Held counting the records of live
   processes.  No record of an ended process remains when the call returns
   TRUE with Summary->Leftovers == Summary->Removed, unless a process was
   killed meanwhile. */
NTSEM_API BOOL WINAPI NtsemRemoveDeadProcessRecords(DWORD Flags, NTSEM_GC_CALLBACK Callback,
                                                    PVOID Context, NTSEM_GC_SUMMARY *Summary);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NTSEM_NAMESPACE_H */

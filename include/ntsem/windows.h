/*
 * <ntsem/windows.h> — the Win32 synchronization subset of ntsem, for C and C++.
 *
 * Contract
 * --------
 * The calls below behave as their Windows namesakes: same return values, same
 * last-error codes (GetLastError, per thread), same constants. Where Windows
 * would crash on a bad pointer ntsem returns an error instead; where ntsem goes
 * beyond Windows it says so below.
 *
 * Objects.  A semaphore holds a count in [0, maximum]; it is signaled while the
 * count is above zero and each satisfied wait takes one unit.  Object state
 * lives in shared memory, never on a process's private heap.
 *
 *   state \ call      | WaitForSingleObject    | ReleaseSemaphore(n)
 *   ------------------+------------------------+-----------------------------
 *   count > 0         | takes one, WAIT_OBJECT_0 | count += n if <= maximum
 *   count == 0        | blocks until released  | wakes at most n waiters
 *                     | or the timeout passes  |
 *   count + n > max   |                        | FALSE, ERROR_TOO_MANY_POSTS,
 *                     |                        | count and *lpPreviousCount
 *                     |                        | untouched
 *
 * An event is signaled or not.  A manual-reset event stays signaled until
 * ResetEvent and satisfies every wait meanwhile; an auto-reset event satisfies
 * one wait and is reset by it (WaitForMultipleObjects counts as one wait).
 *
 *   state \ call      | WaitForSingleObject      | SetEvent         | ResetEvent
 *   ------------------+--------------------------+------------------+-----------
 *   signaled, manual  | WAIT_OBJECT_0, stays set | TRUE, no change  | TRUE, reset
 *   signaled, auto    | WAIT_OBJECT_0, reset     | TRUE, no change  | TRUE, reset
 *   not signaled      | blocks until set or the  | TRUE, set; wakes | TRUE, no
 *                     | timeout passes           | every waiter     | change
 *                     |                          | (manual) or      |
 *                     |                          | satisfies one    |
 *                     |                          | wait (auto)      |
 *
 * CreateEvent gives EVENT_ALL_ACCESS; CreateEventEx the access asked for, and
 * its dwFlags are CREATE_EVENT_MANUAL_RESET | CREATE_EVENT_INITIAL_SET: any
 * other bit is NULL + ERROR_INVALID_PARAMETER, as Windows' kernel32 refuses it
 * (Wine accepts it).  SetEvent, ResetEvent and PulseEvent need
 * EVENT_MODIFY_STATE.  PulseEvent is one step: it satisfies the waits in
 * progress at that moment (every one for a manual-reset event, the oldest for
 * an auto-reset one) and leaves the event reset, signaled or not before;
 * nobody ever sees the event signaled, and a wait that begins after it is not
 * satisfied by it.  One exception: a thread of another user, waiting on a
 * named event that the pulsing process may signal but whose waits it may not
 * claim (docs/wait-engine.md, "Permissions"), is woken but misses the pulse
 * and waits on.
 *
 * Waiting.  Timeouts are in milliseconds on a monotonic clock; 0 polls,
 * INFINITE never times out; a signal handler never shortens a wait.  A
 * successful or timed-out wait leaves the last error untouched.
 * WaitForMultipleObjects with bWaitAll FALSE satisfies one wait on the object
 * with the lowest index that is signaled (a semaphore unit, an auto-reset
 * event's signal) and changes no other object; with bWaitAll TRUE it
 * satisfies one wait on every object at once, and no thread ever sees part
 * of that, even when the waiting process is killed in the middle (the next
 * user of each object finishes or undoes its part).  A wait-all that cannot
 * complete holds no claim on the objects it could take; unlike Windows, it
 * is not served before single waiters queued after it on the same object.  A thread blocked on an object keeps the object alive: closing
 * the handle in another thread neither wakes nor fails the wait.
 * SignalObjectAndWait releases one unit of a semaphore or sets an event and
 * waits on another object as one step: the wait is begun before the signal
 * can be seen, so a thread that the signal wakes and that signals back
 * (even with PulseEvent) finds the caller waiting.  A semaphore at its
 * maximum fails it with ERROR_TOO_MANY_POSTS, and then nothing is waited
 * for or taken.
 *
 * Alertable waits and user APCs.  QueueUserAPC queues an APC (a routine and
 * its argument) to a thread of this process, through a thread handle with
 * THREAD_SET_CONTEXT (ERROR_ACCESS_DENIED without it; ERROR_GEN_FAILURE once
 * the thread has ended).  The APC runs in that thread, and only when the
 * thread waits alertably: WaitForSingleObjectEx, WaitForMultipleObjectsEx or
 * SignalObjectAndWait with bAlertable TRUE, or SleepEx(..., TRUE).  Such a
 * wait runs every APC queued to the thread, oldest first (and those they
 * queue), and returns WAIT_IO_COMPLETION, leaving the last error untouched;
 * a wait that is not alertable never runs APCs.  An alertable wait that can
 * be satisfied when it starts is satisfied, and the APCs stay queued for the
 * next one; so is one that a release satisfies before an APC ends it.  The
 * APCs run after the wait has left every object, so an object that an APC
 * signals is not taken by the wait that ran the APC.  An APC queued to a
 * thread that sleeps in an alertable wait wakes it.  A thread's APCs that
 * are still queued when it ends are dropped.  SleepEx returns 0 once the
 * time has passed, or WAIT_IO_COMPLETION.
 *
 * Threads.  A thread handle names a thread of this process: DuplicateHandle
 * of GetCurrentThread() gives one, and OpenThread one for a thread id.  A
 * wait on it is satisfied once the thread has ended (and takes nothing).  A
 * thread's id is its Linux thread id (GetCurrentThreadId); ntsem knows a
 * thread once it has called GetCurrentThreadId, used GetCurrentThread() as
 * a handle or waited alertably, and OpenThread of any other id, including
 * the threads of other processes (not supported yet), fails with
 * ERROR_INVALID_PARAMETER, as Windows does for an id that names no thread.
 * A thread that has ended can still be opened while a handle to it is open.
 * A thread ends, for ntsem, when its thread-local storage is destroyed (it
 * returned or called pthread_exit; the main thread, at exit()).  The
 * semaphore and event calls, and SignalObjectAndWait for its object to
 * signal, refuse a thread handle with ERROR_INVALID_HANDLE, as QueueUserAPC
 * refuses another type's handle.  Where Windows would queue a null APC routine and fault when it runs,
 * QueueUserAPC fails with ERROR_INVALID_PARAMETER.
 *
 * Handles.  HANDLE values are multiples of 4 (the two low bits are ignored, as
 * on Windows) and carry a generation: a closed handle stays invalid forever and
 * never refers to a newer object (Windows reuses values; ntsem does not).  The
 * generation lives in the upper 32 bits, so a handle value truncated to 32 bits
 * is refused with ERROR_INVALID_HANDLE rather than taken for another object.
 * Each handle carries an access mask that every call checks: a handle without
 * SYNCHRONIZE cannot be waited on, one without SEMAPHORE_MODIFY_STATE cannot
 * release, one without EVENT_MODIFY_STATE cannot set or reset
 * (ERROR_ACCESS_DENIED).  A handle of another type is ERROR_INVALID_HANDLE.
 * Checks run in the order: bad handle, wrong type, missing right.
 *
 * Memory ordering.  A wait that returns WAIT_OBJECT_0 (+ i) synchronizes-with
 * the release or SetEvent that made the object signaled: everything the
 * releasing thread wrote before ReleaseSemaphore or SetEvent is visible after
 * the wait returns.  An APC sees everything its queuer wrote before
 * QueueUserAPC.
 *
 * Thread safety.  Every call may be made from any thread at any time.  None of
 * them is async-signal-safe except ReleaseSemaphore, SetEvent and ResetEvent on
 * an unnamed object and GetLastError/SetLastError.
 *
 * Names.  A named object ("x", "Local\\x": the caller's session; "Global\\x":
 * the machine) is shared by every process that creates or opens the name and
 * lives until its last handle in any process is closed; a process that ends,
 * however it ends, closes its handles.  CreateXxx on an existing name returns
 * that object with ERROR_ALREADY_EXISTS and ignores the counts, reset mode and
 * initial state; a new object sets the last error to 0.  Semaphores and
 * events share one namespace: CreateXxx or OpenXxx on a name that another
 * type holds is NULL + ERROR_INVALID_HANDLE.  Names are case-sensitive; A
 * names are UTF-8, W names UTF-16, and both reach the same object.  A new named object can be opened by its creating user only.
 *
 * Security.  The SID, ACL and security-descriptor calls of
 * <ntsem/winnt_security.h> (included here) and the string forms of
 * <ntsem/sddl.h> build descriptors in Windows' own byte layouts, so code that
 * fills SECURITY_ATTRIBUTES.lpSecurityDescriptor compiles and behaves
 * unchanged.  CreateSemaphore and CreateEvent check a descriptor they are
 * given before they look at the name (ERROR_UNKNOWN_REVISION,
 * ERROR_INVALID_SECURITY_DESCR, ERROR_INVALID_ACL or ERROR_INVALID_SID for a
 * bad one, after the counts and flags are checked, as on Windows).  An unnamed object keeps no descriptor: only its
 * handles reach it.  A named object's descriptor becomes the owner, group
 * and mode of its file, so the kernel enforces it between users; an open
 * that asks for more than the caller's class is granted fails with
 * ERROR_ACCESS_DENIED.  docs/namespace.md, "Access", gives the mapping.
 *
 * Not yet here: handles passed to other processes (inheritance,
 * duplication into another process), threads of other processes, mutexes.
 */
#ifndef NTSEM_WINDOWS_H
#define NTSEM_WINDOWS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Basic types (LLP64 sizes, as on Windows) ---- */
typedef int BOOL;
typedef unsigned char BYTE;
typedef unsigned char BOOLEAN;
typedef uint16_t WORD;
typedef uint32_t DWORD;
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef uint32_t UINT;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef uintptr_t ULONG_PTR;
typedef intptr_t LONG_PTR;
typedef ULONG_PTR DWORD_PTR;
typedef ULONG_PTR SIZE_T;
typedef void *PVOID;
typedef void *LPVOID;
typedef const void *LPCVOID;
typedef void *HANDLE;
typedef HANDLE *PHANDLE;
typedef HANDLE *LPHANDLE;
typedef BOOL *PBOOL;
typedef BOOL *LPBOOL;
typedef DWORD *PDWORD;
typedef DWORD *LPDWORD;
typedef LONG *PLONG;
typedef LONG *LPLONG;
typedef ULONG *PULONG;
typedef char CHAR;
typedef CHAR *LPSTR;
typedef const CHAR *LPCSTR;
#if defined(__cplusplus)
typedef char16_t WCHAR;
#elif defined(__SIZEOF_WCHAR_T__) && __SIZEOF_WCHAR_T__ == 2
typedef __WCHAR_TYPE__ WCHAR;
#else
typedef uint16_t WCHAR;
#endif
typedef WCHAR *LPWSTR;
typedef const WCHAR *LPCWSTR;
typedef DWORD ACCESS_MASK;
typedef ACCESS_MASK *PACCESS_MASK;
typedef PVOID PSECURITY_DESCRIPTOR;
typedef HANDLE HLOCAL;

typedef struct _SECURITY_ATTRIBUTES {
  DWORD nLength;
  LPVOID lpSecurityDescriptor;
  BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

#ifndef WINAPI
#define WINAPI
#endif
/* The library exports exactly the functions declared with NTSEM_API. */
#if defined(__GNUC__)
#define NTSEM_API __attribute__((visibility("default")))
#else
#define NTSEM_API
#endif
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* ---- Constants ---- */
#define INFINITE 0xFFFFFFFFu
#define MAXIMUM_WAIT_OBJECTS 64
#define MAX_PATH 260
#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)

#define WAIT_OBJECT_0 0x00000000u
#define WAIT_ABANDONED 0x00000080u
#define WAIT_ABANDONED_0 0x00000080u
#define WAIT_IO_COMPLETION 0x000000C0u
#define WAIT_TIMEOUT 258u
#define WAIT_FAILED 0xFFFFFFFFu

/* Standard and generic access rights. */
#define DELETE 0x00010000u
#define READ_CONTROL 0x00020000u
#define WRITE_DAC 0x00040000u
#define WRITE_OWNER 0x00080000u
#define SYNCHRONIZE 0x00100000u
#define STANDARD_RIGHTS_REQUIRED 0x000F0000u
#define STANDARD_RIGHTS_READ READ_CONTROL
#define STANDARD_RIGHTS_WRITE READ_CONTROL
#define STANDARD_RIGHTS_EXECUTE READ_CONTROL
#define STANDARD_RIGHTS_ALL 0x001F0000u
#define SPECIFIC_RIGHTS_ALL 0x0000FFFFu
#define MAXIMUM_ALLOWED 0x02000000u
#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u
#define GENERIC_EXECUTE 0x20000000u
#define GENERIC_ALL 0x10000000u

/* Object-specific access rights. */
#define SEMAPHORE_QUERY_STATE 0x0001u
#define SEMAPHORE_MODIFY_STATE 0x0002u
#define SEMAPHORE_ALL_ACCESS 0x001F0003u
#define EVENT_QUERY_STATE 0x0001u
#define EVENT_MODIFY_STATE 0x0002u
#define EVENT_ALL_ACCESS 0x001F0003u
#define MUTANT_QUERY_STATE 0x0001u
#define MUTEX_MODIFY_STATE 0x0001u
#define MUTEX_ALL_ACCESS 0x001F0001u
#define MUTANT_ALL_ACCESS 0x001F0001u
#define THREAD_TERMINATE 0x0001u
#define THREAD_SUSPEND_RESUME 0x0002u
#define THREAD_GET_CONTEXT 0x0008u
#define THREAD_SET_CONTEXT 0x0010u
#define THREAD_SET_INFORMATION 0x0020u
#define THREAD_QUERY_INFORMATION 0x0040u
#define THREAD_SET_THREAD_TOKEN 0x0080u
#define THREAD_IMPERSONATE 0x0100u
#define THREAD_DIRECT_IMPERSONATION 0x0200u
#define THREAD_SET_LIMITED_INFORMATION 0x0400u
#define THREAD_QUERY_LIMITED_INFORMATION 0x0800u
#define THREAD_RESUME 0x1000u
#define THREAD_ALL_ACCESS 0x001FFFFFu

/* CreateEventEx flags. */
#define CREATE_EVENT_MANUAL_RESET 0x00000001u
#define CREATE_EVENT_INITIAL_SET 0x00000002u
#define CREATE_MUTEX_INITIAL_OWNER 0x00000001u

/* Handle flags and duplication options. */
#define HANDLE_FLAG_INHERIT 0x00000001u
#define HANDLE_FLAG_PROTECT_FROM_CLOSE 0x00000002u
#define DUPLICATE_CLOSE_SOURCE 0x00000001u
#define DUPLICATE_SAME_ACCESS 0x00000002u

/* Error codes (GetLastError). */
#define ERROR_SUCCESS 0L
#define NO_ERROR 0L
#define ERROR_INVALID_FUNCTION 1L
#define ERROR_FILE_NOT_FOUND 2L
#define ERROR_PATH_NOT_FOUND 3L
#define ERROR_ACCESS_DENIED 5L
#define ERROR_INVALID_HANDLE 6L
#define ERROR_NOT_ENOUGH_MEMORY 8L
#define ERROR_OUTOFMEMORY 14L
#define ERROR_BAD_LENGTH 24L
#define ERROR_GEN_FAILURE 31L
#define ERROR_NOT_SUPPORTED 50L
#define ERROR_INVALID_PARAMETER 87L
#define ERROR_INSUFFICIENT_BUFFER 122L
#define ERROR_INVALID_NAME 123L
#define ERROR_BAD_PATHNAME 161L
#define ERROR_ALREADY_EXISTS 183L
#define ERROR_FILENAME_EXCED_RANGE 206L
#define ERROR_NOT_OWNER 288L
#define ERROR_TOO_MANY_POSTS 298L
#define ERROR_NOACCESS 998L
#define ERROR_UNKNOWN_REVISION 1305L
#define ERROR_REVISION_MISMATCH 1306L
#define ERROR_INVALID_OWNER 1307L
#define ERROR_INVALID_PRIMARY_GROUP 1308L
#define ERROR_NONE_MAPPED 1332L
#define ERROR_INVALID_ACL 1336L
#define ERROR_INVALID_SID 1337L
#define ERROR_INVALID_SECURITY_DESCR 1338L
#define ERROR_ALLOTTED_SPACE_EXCEEDED 1344L
#define ERROR_BAD_DESCRIPTOR_FORMAT 1361L
#define ERROR_FILE_CORRUPT 1392L
#define ERROR_NO_SYSTEM_RESOURCES 1450L
#define ERROR_TIMEOUT 1460L
#define ERROR_MR_MID_NOT_FOUND 317L

/* ---- Last error ---- */
NTSEM_API DWORD WINAPI GetLastError(void);
NTSEM_API void WINAPI SetLastError(DWORD dwErrCode);

/* ---- Semaphores ---- */
NTSEM_API HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                               LONG lMaximumCount, LPCSTR lpName);
NTSEM_API HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                               LONG lMaximumCount, LPCWSTR lpName);
NTSEM_API HANDLE WINAPI CreateSemaphoreExA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                                 LONG lMaximumCount, LPCSTR lpName, DWORD dwFlags,
                                 DWORD dwDesiredAccess);
NTSEM_API HANDLE WINAPI CreateSemaphoreExW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                                 LONG lMaximumCount, LPCWSTR lpName, DWORD dwFlags,
                                 DWORD dwDesiredAccess);
NTSEM_API HANDLE WINAPI OpenSemaphoreA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName);
NTSEM_API HANDLE WINAPI OpenSemaphoreW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName);
NTSEM_API BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount, LPLONG lpPreviousCount);

/* ---- Events ---- */
NTSEM_API HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                     BOOL bInitialState, LPCSTR lpName);
NTSEM_API HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                     BOOL bInitialState, LPCWSTR lpName);
NTSEM_API HANDLE WINAPI CreateEventExA(LPSECURITY_ATTRIBUTES lpEventAttributes, LPCSTR lpName,
                                       DWORD dwFlags, DWORD dwDesiredAccess);
NTSEM_API HANDLE WINAPI CreateEventExW(LPSECURITY_ATTRIBUTES lpEventAttributes, LPCWSTR lpName,
                                       DWORD dwFlags, DWORD dwDesiredAccess);
NTSEM_API HANDLE WINAPI OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName);
NTSEM_API HANDLE WINAPI OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName);
NTSEM_API BOOL WINAPI SetEvent(HANDLE hEvent);
NTSEM_API BOOL WINAPI ResetEvent(HANDLE hEvent);
NTSEM_API BOOL WINAPI PulseEvent(HANDLE hEvent);

/* ---- Mutexes ----
 * A mutex is owned by one thread at a time.  A wait on it takes ownership
 * (WAIT_OBJECT_0); its owner's waits on it succeed at once and are counted,
 * and each needs its ReleaseMutex; the last one hands the mutex to the
 * oldest waiting thread before it returns.  ReleaseMutex by a thread that
 * does not own it: FALSE + ERROR_NOT_OWNER.  When the owner ends (thread
 * exit, process exit, SIGKILL) still owning it, the mutex is abandoned: the
 * next wait that takes it returns WAIT_ABANDONED_0 + i, once, and owns it.
 * CreateMutex on an existing name opens it (ERROR_ALREADY_EXISTS) without
 * taking it.  CreateMutexEx's flags are 0 or CREATE_MUTEX_INITIAL_OWNER. */
NTSEM_API HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                     LPCSTR lpName);
NTSEM_API HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                     LPCWSTR lpName);
NTSEM_API HANDLE WINAPI CreateMutexExA(LPSECURITY_ATTRIBUTES lpMutexAttributes, LPCSTR lpName,
                                       DWORD dwFlags, DWORD dwDesiredAccess);
NTSEM_API HANDLE WINAPI CreateMutexExW(LPSECURITY_ATTRIBUTES lpMutexAttributes, LPCWSTR lpName,
                                       DWORD dwFlags, DWORD dwDesiredAccess);
NTSEM_API HANDLE WINAPI OpenMutexA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName);
NTSEM_API HANDLE WINAPI OpenMutexW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName);
NTSEM_API BOOL WINAPI ReleaseMutex(HANDLE hMutex);

/* ---- Waiting ---- */
NTSEM_API DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);
NTSEM_API DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable);
NTSEM_API DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                    DWORD dwMilliseconds);
NTSEM_API DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                      DWORD dwMilliseconds, BOOL bAlertable);
NTSEM_API DWORD WINAPI SignalObjectAndWait(HANDLE hObjectToSignal, HANDLE hObjectToWaitOn,
                                           DWORD dwMilliseconds, BOOL bAlertable);

/* ---- Handles ---- */
NTSEM_API BOOL WINAPI CloseHandle(HANDLE hObject);
NTSEM_API BOOL WINAPI GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags);
NTSEM_API BOOL WINAPI SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags);
NTSEM_API BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                            HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle,
                            DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions);
/* The pseudo handles of the calling process and thread: (HANDLE)-1 and (HANDLE)-2. */
NTSEM_API HANDLE WINAPI GetCurrentProcess(void);
NTSEM_API HANDLE WINAPI GetCurrentThread(void);

/* ---- Threads and user APCs ---- */
typedef void(WINAPI *PAPCFUNC)(ULONG_PTR dwParam);
/* The calling thread's id: its Linux thread id (gettid). */
NTSEM_API DWORD WINAPI GetCurrentThreadId(void);
NTSEM_API HANDLE WINAPI OpenThread(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwThreadId);
NTSEM_API DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData);
NTSEM_API DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable);
NTSEM_API void WINAPI Sleep(DWORD dwMilliseconds);

/* ---- Local memory ---- */
/* Frees what the SID and SDDL calls allocate; NULL is ignored.  Returns NULL. */
NTSEM_API HLOCAL WINAPI LocalFree(HLOCAL hMem);

#ifdef __cplusplus
} /* extern "C" */
#endif

#include <ntsem/winnt_security.h>

#endif /* NTSEM_WINDOWS_H */

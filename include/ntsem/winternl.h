/*
 * <ntsem/winternl.h> — the native (Nt*) layer that the Win32 calls are built on,
 * as in Windows' ntdll.
 *
 * Contract
 * --------
 * Every call returns an NTSTATUS and never touches the Win32 last error.  An
 * out-parameter is written only on success.  Argument checks come before the
 * handle lookup where Windows does it that way (NtReleaseSemaphore checks the
 * release count first), then: bad handle (STATUS_INVALID_HANDLE), wrong type
 * (STATUS_OBJECT_TYPE_MISMATCH), missing access right (STATUS_ACCESS_DENIED).
 *
 * Timeouts (PLARGE_INTEGER): NULL waits forever; 0 polls; a negative value is
 * relative, in 100 ns units, measured on a monotonic clock; a positive value
 * is an absolute system time (100 ns units since 1601-01-01 UTC) and follows
 * changes of the system clock, as on Windows.
 *
 * NtWaitForSingleObject / NtWaitForMultipleObjects return STATUS_WAIT_0 + i
 * when object i satisfied the wait (WaitAny: the lowest index that could be;
 * WaitAll: STATUS_WAIT_0 once every object was taken at once), or
 * STATUS_TIMEOUT.  The same object twice in a WaitAll is
 * STATUS_INVALID_PARAMETER_MIX.  NtSignalAndWaitForSingleObject checks the
 * signal handle, then the wait handle (SYNCHRONIZE), then the signal
 * object's type (semaphore or event, else STATUS_OBJECT_TYPE_MISMATCH) and
 * right (SEMAPHORE_MODIFY_STATE or EVENT_MODIFY_STATE); it releases one unit
 * or sets the event and waits, the wait begun before the signal can be seen.
 * A semaphore at its maximum gives STATUS_SEMAPHORE_LIMIT_EXCEEDED and no
 * wait.  With Alertable TRUE the three waits, and NtDelayExecution, return
 * STATUS_USER_APC after running the calling thread's queued user APCs when
 * they cannot be satisfied at once (<ntsem/windows.h>, "Alertable waits and
 * user APCs").
 *
 * NtQueueApcThread queues ApcRoutine(ApcArgument1, ApcArgument2,
 * ApcArgument3) to a thread of this process (THREAD_SET_CONTEXT; the pseudo
 * handle GetCurrentThread() has it): STATUS_UNSUCCESSFUL once the thread has
 * ended, STATUS_INVALID_PARAMETER for a NULL routine (which Windows queues,
 * to fault when it runs).  NtDelayExecution sleeps for DelayInterval (as a
 * timeout; NULL is STATUS_ACCESS_VIOLATION, where Windows faults):
 * STATUS_SUCCESS once the time has passed, STATUS_USER_APC if alertable
 * and APCs ran.
 *
 * Memory ordering: a wait that returns STATUS_WAIT_0 + i synchronizes-with the
 * release that made the object signaled.
 *
 * Names: an OBJECT_ATTRIBUTES ObjectName is read as kernel32 passes it,
 * relative to the caller's BaseNamedObjects directory ("x", "Local\x",
 * "Global\x"); RootDirectory must be NULL.  NtCreateXxx on a name that
 * exists opens it and returns STATUS_OBJECT_NAME_EXISTS when OBJ_OPENIF is
 * set, and fails with STATUS_OBJECT_NAME_COLLISION otherwise.
 *
 * Events: NtCreateEvent takes NotificationEvent (manual reset) or
 * SynchronizationEvent (auto reset); another EventType is
 * STATUS_INVALID_PARAMETER, checked before the descriptor and the name.
 * NtSetEvent and NtResetEvent write *PreviousState (when not NULL) as 1 if the
 * event was signaled before the call, else 0; NtClearEvent resets without
 * reporting.  The three need EVENT_MODIFY_STATE, NtQueryEvent
 * (EventBasicInformation: EventType, EventState) EVENT_QUERY_STATE.
 * NtPulseEvent (EVENT_MODIFY_STATE) satisfies the waits in progress and
 * leaves the event reset in one step, as PulseEvent does; *PreviousState as
 * for NtSetEvent.
 *
 * RtlNtStatusToDosError maps a status to the Win32 error code Windows gives for
 * it (ERROR_MR_MID_NOT_FOUND for one it does not know).
 */
#ifndef NTSEM_WINTERNL_H
#define NTSEM_WINTERNL_H

#include <ntsem/windows.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef LONG NTSTATUS;
typedef NTSTATUS *PNTSTATUS;
typedef LONG KPRIORITY;

#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)

#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define STATUS_WAIT_0 ((NTSTATUS)0x00000000L)
#define STATUS_ABANDONED_WAIT_0 ((NTSTATUS)0x00000080L)
#define STATUS_USER_APC ((NTSTATUS)0x000000C0L)
#define STATUS_ALERTED ((NTSTATUS)0x00000101L)
#define STATUS_TIMEOUT ((NTSTATUS)0x00000102L)
#define STATUS_PENDING ((NTSTATUS)0x00000103L)
#define STATUS_OBJECT_NAME_EXISTS ((NTSTATUS)0x40000000L)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001L)
#define STATUS_NOT_IMPLEMENTED ((NTSTATUS)0xC0000002L)
#define STATUS_INVALID_INFO_CLASS ((NTSTATUS)0xC0000003L)
#define STATUS_INFO_LENGTH_MISMATCH ((NTSTATUS)0xC0000004L)
#define STATUS_ACCESS_VIOLATION ((NTSTATUS)0xC0000005L)
#define STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008L)
#define STATUS_INVALID_CID ((NTSTATUS)0xC000000BL)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#define STATUS_NO_MEMORY ((NTSTATUS)0xC0000017L)
#define STATUS_ACCESS_DENIED ((NTSTATUS)0xC0000022L)
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023L)
#define STATUS_OBJECT_TYPE_MISMATCH ((NTSTATUS)0xC0000024L)
#define STATUS_INVALID_PARAMETER_MIX ((NTSTATUS)0xC0000030L)
#define STATUS_OBJECT_NAME_INVALID ((NTSTATUS)0xC0000033L)
#define STATUS_OBJECT_NAME_NOT_FOUND ((NTSTATUS)0xC0000034L)
#define STATUS_OBJECT_NAME_COLLISION ((NTSTATUS)0xC0000035L)
#define STATUS_OBJECT_PATH_NOT_FOUND ((NTSTATUS)0xC000003AL)
#define STATUS_OBJECT_PATH_SYNTAX_BAD ((NTSTATUS)0xC000003BL)
#define STATUS_MUTANT_NOT_OWNED ((NTSTATUS)0xC0000046L)
#define STATUS_MUTANT_LIMIT_EXCEEDED ((NTSTATUS)0xC0000191L)
#define STATUS_UNKNOWN_REVISION ((NTSTATUS)0xC0000058L)
#define STATUS_REVISION_MISMATCH ((NTSTATUS)0xC0000059L)
#define STATUS_INVALID_OWNER ((NTSTATUS)0xC000005AL)
#define STATUS_INVALID_PRIMARY_GROUP ((NTSTATUS)0xC000005BL)
#define STATUS_SEMAPHORE_LIMIT_EXCEEDED ((NTSTATUS)0xC0000047L)
#define STATUS_INVALID_ACL ((NTSTATUS)0xC0000077L)
#define STATUS_INVALID_SID ((NTSTATUS)0xC0000078L)
#define STATUS_INVALID_SECURITY_DESCR ((NTSTATUS)0xC0000079L)
#define STATUS_ALLOTTED_SPACE_EXCEEDED ((NTSTATUS)0xC0000099L)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009AL)
#define STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BBL)
#define STATUS_BAD_DESCRIPTOR_FORMAT ((NTSTATUS)0xC00000E7L)
#define STATUS_FILE_CORRUPT_ERROR ((NTSTATUS)0xC0000102L)
#define STATUS_INVALID_PARAMETER_1 ((NTSTATUS)0xC00000EFL)
#define STATUS_INVALID_PARAMETER_3 ((NTSTATUS)0xC00000F1L)
#define STATUS_NAME_TOO_LONG ((NTSTATUS)0xC0000106L)
#define STATUS_HANDLE_NOT_CLOSABLE ((NTSTATUS)0xC0000235L)

typedef union _LARGE_INTEGER {
  __extension__ struct {
    DWORD LowPart;
    LONG HighPart;
  };
  struct {
    DWORD LowPart;
    LONG HighPart;
  } u;
  LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef struct _UNICODE_STRING {
  WORD Length;        /* in bytes, without a terminator */
  WORD MaximumLength; /* in bytes */
  WCHAR *Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

#define OBJ_INHERIT 0x00000002L
#define OBJ_PERMANENT 0x00000010L
#define OBJ_EXCLUSIVE 0x00000020L
#define OBJ_CASE_INSENSITIVE 0x00000040L
#define OBJ_OPENIF 0x00000080L
#define OBJ_OPENLINK 0x00000100L

typedef struct _OBJECT_ATTRIBUTES {
  ULONG Length;
  HANDLE RootDirectory;
  PUNICODE_STRING ObjectName;
  ULONG Attributes;
  PVOID SecurityDescriptor;
  PVOID SecurityQualityOfService;
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;

/* The native calls check enum arguments and refuse values they do not know
 * (STATUS_INVALID_PARAMETER, STATUS_INVALID_INFO_CLASS).  In C++ an enum
 * without a fixed underlying type cannot hold such a value (reading one is
 * undefined), so there these enums are fixed to int: every int a caller
 * passes is a value of the type.  The C ABI is the same either way. */
#ifdef __cplusplus
#define NTSEM_INT_ENUM : int
#else
#define NTSEM_INT_ENUM
#endif

typedef enum _WAIT_TYPE NTSEM_INT_ENUM {
  WaitAll = 0,
  WaitAny = 1,
  WaitNotification = 2,
  WaitDequeue = 3,
  WaitDpc = 4
} WAIT_TYPE;

typedef enum _SEMAPHORE_INFORMATION_CLASS NTSEM_INT_ENUM {
  SemaphoreBasicInformation = 0
} SEMAPHORE_INFORMATION_CLASS;

typedef struct _SEMAPHORE_BASIC_INFORMATION {
  LONG CurrentCount;
  LONG MaximumCount;
} SEMAPHORE_BASIC_INFORMATION, *PSEMAPHORE_BASIC_INFORMATION;

NTSEM_API NTSTATUS NtCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                           POBJECT_ATTRIBUTES ObjectAttributes, LONG InitialCount,
                           LONG MaximumCount);
NTSEM_API NTSTATUS NtOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                   POBJECT_ATTRIBUTES ObjectAttributes);
NTSEM_API NTSTATUS NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount, PLONG PreviousCount);
NTSEM_API NTSTATUS NtQuerySemaphore(HANDLE SemaphoreHandle,
                          SEMAPHORE_INFORMATION_CLASS SemaphoreInformationClass,
                          PVOID SemaphoreInformation, ULONG SemaphoreInformationLength,
                          PULONG ReturnLength);
typedef enum _EVENT_TYPE NTSEM_INT_ENUM {
  NotificationEvent = 0,   /* manual reset */
  SynchronizationEvent = 1 /* auto reset */
} EVENT_TYPE;

typedef enum _EVENT_INFORMATION_CLASS NTSEM_INT_ENUM {
  EventBasicInformation = 0
} EVENT_INFORMATION_CLASS;

typedef struct _EVENT_BASIC_INFORMATION {
  EVENT_TYPE EventType;
  LONG EventState; /* 1 signaled, 0 not */
} EVENT_BASIC_INFORMATION, *PEVENT_BASIC_INFORMATION;

NTSEM_API NTSTATUS NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                 POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                 BOOLEAN InitialState);
NTSEM_API NTSTATUS NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes);
NTSEM_API NTSTATUS NtSetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSEM_API NTSTATUS NtResetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSEM_API NTSTATUS NtClearEvent(HANDLE EventHandle);
NTSEM_API NTSTATUS NtPulseEvent(HANDLE EventHandle, PLONG PreviousState);
NTSEM_API NTSTATUS NtQueryEvent(HANDLE EventHandle, EVENT_INFORMATION_CLASS EventInformationClass,
                                PVOID EventInformation, ULONG EventInformationLength,
                                PULONG ReturnLength);

/*
 * Mutants (mutexes): NtCreateMutant with InitialOwner makes the caller its
 * owner.  NtReleaseMutant by its owner writes *PreviousCount (when not NULL)
 * as the count before the release (0 owned once, -1 twice, ...); by anyone
 * else it is STATUS_MUTANT_NOT_OWNED.  NtQueryMutant (MutantBasicInformation,
 * MUTANT_QUERY_STATE): CurrentCount 1 free, 0 owned once, -n owned n + 1
 * times; OwnedByCaller; AbandonedState.
 */
typedef enum _MUTANT_INFORMATION_CLASS NTSEM_INT_ENUM {
  MutantBasicInformation = 0
} MUTANT_INFORMATION_CLASS;

typedef struct _MUTANT_BASIC_INFORMATION {
  LONG CurrentCount;
  BOOLEAN OwnedByCaller;
  BOOLEAN AbandonedState;
} MUTANT_BASIC_INFORMATION, *PMUTANT_BASIC_INFORMATION;

NTSEM_API NTSTATUS NtCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                  POBJECT_ATTRIBUTES ObjectAttributes, BOOLEAN InitialOwner);
NTSEM_API NTSTATUS NtOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                POBJECT_ATTRIBUTES ObjectAttributes);
NTSEM_API NTSTATUS NtReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount);
NTSEM_API NTSTATUS NtQueryMutant(HANDLE MutantHandle,
                                 MUTANT_INFORMATION_CLASS MutantInformationClass,
                                 PVOID MutantInformation, ULONG MutantInformationLength,
                                 PULONG ReturnLength);

NTSEM_API NTSTATUS NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSEM_API NTSTATUS NtWaitForMultipleObjects(ULONG Count, const HANDLE *Handles, WAIT_TYPE WaitType,
                                  BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSEM_API NTSTATUS NtSignalAndWaitForSingleObject(HANDLE SignalHandle, HANDLE WaitHandle,
                                                  BOOLEAN Alertable, PLARGE_INTEGER Timeout);
/* A user APC as NtQueueApcThread takes it: the routine and its three arguments. */
typedef void(WINAPI *PNTAPCFUNC)(ULONG_PTR ApcArgument1, ULONG_PTR ApcArgument2,
                                 ULONG_PTR ApcArgument3);
NTSEM_API NTSTATUS NtQueueApcThread(HANDLE ThreadHandle, PNTAPCFUNC ApcRoutine,
                                    ULONG_PTR ApcArgument1, ULONG_PTR ApcArgument2,
                                    ULONG_PTR ApcArgument3);
NTSEM_API NTSTATUS NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER DelayInterval);
NTSEM_API NTSTATUS NtClose(HANDLE Handle);
NTSEM_API NTSTATUS NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
                           HANDLE TargetProcessHandle, PHANDLE TargetHandle,
                           ACCESS_MASK DesiredAccess, ULONG HandleAttributes, ULONG Options);
NTSEM_API ULONG RtlNtStatusToDosError(NTSTATUS Status);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NTSEM_WINTERNL_H */

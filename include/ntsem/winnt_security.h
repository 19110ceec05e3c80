/*
 * <ntsem/winnt_security.h> — security identifiers, access control lists and
 * security descriptors: the types of winnt.h and the calls of
 * securitybaseapi.h that programs use to build the descriptor they pass in
 * SECURITY_ATTRIBUTES.lpSecurityDescriptor.  Included by <ntsem/windows.h>;
 * usable from C and C++.
 *
 * Contract
 * --------
 * Names, values and layouts are Windows x64's: a SECURITY_DESCRIPTOR is 40
 * bytes with pointers, a SECURITY_DESCRIPTOR_RELATIVE 20 bytes with offsets
 * from its own start, so bytes built by Windows code read the same here.
 * Every call returns what its Windows namesake returns and sets the same last
 * error.  IsValidSid, IsValidAcl, EqualSid and GetLengthSid leave the last
 * error alone, IsValidSecurityDescriptor sets ERROR_INVALID_SECURITY_DESCR
 * when it answers no (Windows documents no error for any of them).  A NULL
 * pointer where Windows would fault is ERROR_NOACCESS.
 *
 * Memory.  The caller owns every buffer it passes.  AllocateAndInitializeSid
 * returns memory freed with FreeSid; ConvertStringSidToSid,
 * ConvertSidToStringSid and ConvertStringSecurityDescriptorToSecurityDescriptor
 * (<ntsem/sddl.h>) return memory freed with LocalFree.  Pointers that the Get*
 * calls return point into the caller's descriptor or SID.
 *
 * Validity.  IsValidSid: revision 1 and at most 15 sub-authorities.
 * IsValidAcl: revision 2 to 4, a size of at least 8 bytes, and every ACE
 * inside the ACL's size with a size that holds its header and, for the
 * allowed, denied, audit and alarm kinds, a valid SID.  IsValidSecurityDescriptor:
 * revision 1, a valid owner, group, DACL and SACL where present, and, for a
 * self-relative descriptor, every part at an aligned offset past the header
 * and inside the length that GetSecurityDescriptorLength gives.  The same
 * checks decide whether CreateSemaphore accepts a descriptor (a bad revision is
 * ERROR_UNKNOWN_REVISION, as on Windows).  Validation reads an absolute
 * descriptor's parts through its pointers and a self-relative descriptor's
 * parts at its offsets; it never reads past a part's own length, but it
 * cannot know a caller's buffer: pass pointers to real descriptors.
 *
 * Thread safety.  The calls keep no state; two threads may use them at once
 * on different buffers, or read the same buffer at once.
 */
#ifndef NTSEM_WINNT_SECURITY_H
#define NTSEM_WINNT_SECURITY_H

#include <ntsem/windows.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned char UCHAR;
typedef UCHAR *PUCHAR;
typedef PVOID PSID;
typedef WORD SECURITY_DESCRIPTOR_CONTROL, *PSECURITY_DESCRIPTOR_CONTROL;

/* ---- Security identifiers ---- */
typedef struct _SID_IDENTIFIER_AUTHORITY {
  BYTE Value[6]; /* a 48-bit number, most significant byte first */
} SID_IDENTIFIER_AUTHORITY, *PSID_IDENTIFIER_AUTHORITY;

typedef struct _SID {
  BYTE Revision;
  BYTE SubAuthorityCount;
  SID_IDENTIFIER_AUTHORITY IdentifierAuthority;
  DWORD SubAuthority[1]; /* SubAuthorityCount of them */
} SID, *PISID;

#define SID_REVISION 1
#define SID_MAX_SUB_AUTHORITIES 15
#define SID_RECOMMENDED_SUB_AUTHORITIES 1
#define SECURITY_MAX_SID_SIZE \
  (sizeof(SID) - sizeof(DWORD) + (SID_MAX_SUB_AUTHORITIES * sizeof(DWORD)))

/* Identifier authorities, as initializers:
 *   SID_IDENTIFIER_AUTHORITY world = SECURITY_WORLD_SID_AUTHORITY; */
#define SECURITY_NULL_SID_AUTHORITY {0, 0, 0, 0, 0, 0}
#define SECURITY_WORLD_SID_AUTHORITY {0, 0, 0, 0, 0, 1}
#define SECURITY_LOCAL_SID_AUTHORITY {0, 0, 0, 0, 0, 2}
#define SECURITY_CREATOR_SID_AUTHORITY {0, 0, 0, 0, 0, 3}
#define SECURITY_NON_UNIQUE_AUTHORITY {0, 0, 0, 0, 0, 4}
#define SECURITY_NT_AUTHORITY {0, 0, 0, 0, 0, 5}

/* Relative identifiers. */
#define SECURITY_NULL_RID 0x00000000u
#define SECURITY_WORLD_RID 0x00000000u
#define SECURITY_LOCAL_RID 0x00000000u
#define SECURITY_CREATOR_OWNER_RID 0x00000000u
#define SECURITY_CREATOR_GROUP_RID 0x00000001u
#define SECURITY_CREATOR_OWNER_SERVER_RID 0x00000002u
#define SECURITY_CREATOR_GROUP_SERVER_RID 0x00000003u
#define SECURITY_CREATOR_OWNER_RIGHTS_RID 0x00000004u
#define SECURITY_DIALUP_RID 0x00000001u
#define SECURITY_NETWORK_RID 0x00000002u
#define SECURITY_BATCH_RID 0x00000003u
#define SECURITY_INTERACTIVE_RID 0x00000004u
#define SECURITY_SERVICE_RID 0x00000006u
#define SECURITY_ANONYMOUS_LOGON_RID 0x00000007u
#define SECURITY_PROXY_RID 0x00000008u
#define SECURITY_ENTERPRISE_CONTROLLERS_RID 0x00000009u
#define SECURITY_PRINCIPAL_SELF_RID 0x0000000Au
#define SECURITY_AUTHENTICATED_USER_RID 0x0000000Bu
#define SECURITY_RESTRICTED_CODE_RID 0x0000000Cu
#define SECURITY_TERMINAL_SERVER_RID 0x0000000Du
#define SECURITY_REMOTE_LOGON_RID 0x0000000Eu
#define SECURITY_LOCAL_SYSTEM_RID 0x00000012u
#define SECURITY_LOCAL_SERVICE_RID 0x00000013u
#define SECURITY_NETWORK_SERVICE_RID 0x00000014u
#define SECURITY_BUILTIN_DOMAIN_RID 0x00000020u
#define DOMAIN_ALIAS_RID_ADMINS 0x00000220u
#define DOMAIN_ALIAS_RID_USERS 0x00000221u
#define DOMAIN_ALIAS_RID_GUESTS 0x00000222u
#define DOMAIN_ALIAS_RID_POWER_USERS 0x00000223u
#define DOMAIN_ALIAS_RID_ACCOUNT_OPS 0x00000224u
#define DOMAIN_ALIAS_RID_SYSTEM_OPS 0x00000225u
#define DOMAIN_ALIAS_RID_PRINT_OPS 0x00000226u
#define DOMAIN_ALIAS_RID_BACKUP_OPS 0x00000227u
#define DOMAIN_ALIAS_RID_REPLICATOR 0x00000228u
#define DOMAIN_ALIAS_RID_PREW2KCOMPACCESS 0x0000022Au
#define DOMAIN_ALIAS_RID_REMOTE_DESKTOP_USERS 0x0000022Bu
#define DOMAIN_ALIAS_RID_NETWORK_CONFIGURATION_OPS 0x0000022Cu

/* The well-known SIDs CreateWellKnownSid builds (Windows' values; the
 * domain-relative kinds, which need a domain, are not here). */
typedef enum _WELL_KNOWN_SID_TYPE {
  WinNullSid = 0,
  WinWorldSid = 1,
  WinLocalSid = 2,
  WinCreatorOwnerSid = 3,
  WinCreatorGroupSid = 4,
  WinCreatorOwnerServerSid = 5,
  WinCreatorGroupServerSid = 6,
  WinNtAuthoritySid = 7,
  WinDialupSid = 8,
  WinNetworkSid = 9,
  WinBatchSid = 10,
  WinInteractiveSid = 11,
  WinServiceSid = 12,
  WinAnonymousSid = 13,
  WinProxySid = 14,
  WinEnterpriseControllersSid = 15,
  WinSelfSid = 16,
  WinAuthenticatedUserSid = 17,
  WinRestrictedCodeSid = 18,
  WinTerminalServerSid = 19,
  WinRemoteLogonIdSid = 20,
  WinLocalSystemSid = 22,
  WinLocalServiceSid = 23,
  WinNetworkServiceSid = 24,
  WinBuiltinDomainSid = 25,
  WinBuiltinAdministratorsSid = 26,
  WinBuiltinUsersSid = 27,
  WinBuiltinGuestsSid = 28,
  WinBuiltinPowerUsersSid = 29,
  WinBuiltinAccountOperatorsSid = 30,
  WinBuiltinSystemOperatorsSid = 31,
  WinBuiltinPrintOperatorsSid = 32,
  WinBuiltinBackupOperatorsSid = 33,
  WinBuiltinReplicatorSid = 34,
  WinBuiltinPreWindows2000CompatibleAccessSid = 35,
  WinBuiltinRemoteDesktopUsersSid = 36,
  WinBuiltinNetworkConfigurationOperatorsSid = 37,
  WinCreatorOwnerRightsSid = 71
} WELL_KNOWN_SID_TYPE;

/* ---- Access control lists ---- */
typedef struct _ACL {
  BYTE AclRevision;
  BYTE Sbz1;
  WORD AclSize; /* in bytes, this header included */
  WORD AceCount;
  WORD Sbz2;
} ACL, *PACL;

#define ACL_REVISION 2
#define ACL_REVISION_DS 4
#define ACL_REVISION1 1
#define ACL_REVISION2 2
#define ACL_REVISION3 3
#define ACL_REVISION4 4
#define MIN_ACL_REVISION ACL_REVISION2
#define MAX_ACL_REVISION ACL_REVISION4

typedef struct _ACE_HEADER {
  BYTE AceType;
  BYTE AceFlags;
  WORD AceSize; /* in bytes, this header included */
} ACE_HEADER, *PACE_HEADER;

#define ACCESS_MIN_MS_ACE_TYPE 0x0
#define ACCESS_ALLOWED_ACE_TYPE 0x0
#define ACCESS_DENIED_ACE_TYPE 0x1
#define SYSTEM_AUDIT_ACE_TYPE 0x2
#define SYSTEM_ALARM_ACE_TYPE 0x3
#define ACCESS_MAX_MS_V2_ACE_TYPE 0x3

/* AceFlags. */
#define OBJECT_INHERIT_ACE 0x1
#define CONTAINER_INHERIT_ACE 0x2
#define NO_PROPAGATE_INHERIT_ACE 0x4
#define INHERIT_ONLY_ACE 0x8
#define INHERITED_ACE 0x10
#define VALID_INHERIT_FLAGS 0x1F
#define SUCCESSFUL_ACCESS_ACE_FLAG 0x40
#define FAILED_ACCESS_ACE_FLAG 0x80

/* SidStart is the first DWORD of the SID that ends the ACE. */
typedef struct _ACCESS_ALLOWED_ACE {
  ACE_HEADER Header;
  ACCESS_MASK Mask;
  DWORD SidStart;
} ACCESS_ALLOWED_ACE, *PACCESS_ALLOWED_ACE;

typedef struct _ACCESS_DENIED_ACE {
  ACE_HEADER Header;
  ACCESS_MASK Mask;
  DWORD SidStart;
} ACCESS_DENIED_ACE, *PACCESS_DENIED_ACE;

/* ---- Security descriptors ---- */
#define SECURITY_DESCRIPTOR_REVISION 1
#define SECURITY_DESCRIPTOR_REVISION1 1

/* SECURITY_DESCRIPTOR_CONTROL bits. */
#define SE_OWNER_DEFAULTED 0x0001
#define SE_GROUP_DEFAULTED 0x0002
#define SE_DACL_PRESENT 0x0004
#define SE_DACL_DEFAULTED 0x0008
#define SE_SACL_PRESENT 0x0010
#define SE_SACL_DEFAULTED 0x0020
#define SE_DACL_UNTRUSTED 0x0040
#define SE_SERVER_SECURITY 0x0080
#define SE_DACL_AUTO_INHERIT_REQ 0x0100
#define SE_SACL_AUTO_INHERIT_REQ 0x0200
#define SE_DACL_AUTO_INHERITED 0x0400
#define SE_SACL_AUTO_INHERITED 0x0800
#define SE_DACL_PROTECTED 0x1000
#define SE_SACL_PROTECTED 0x2000
#define SE_RM_CONTROL_VALID 0x4000
#define SE_SELF_RELATIVE 0x8000

/* The absolute form: its parts anywhere in memory. */
typedef struct _SECURITY_DESCRIPTOR {
  BYTE Revision;
  BYTE Sbz1;
  SECURITY_DESCRIPTOR_CONTROL Control;
  PSID Owner;
  PSID Group;
  PACL Sacl;
  PACL Dacl;
} SECURITY_DESCRIPTOR, *PISECURITY_DESCRIPTOR;

/* The self-relative form (SE_SELF_RELATIVE set): one block, its parts at
 * offsets from its start, 0 for a part that is not there. */
typedef struct _SECURITY_DESCRIPTOR_RELATIVE {
  BYTE Revision;
  BYTE Sbz1;
  SECURITY_DESCRIPTOR_CONTROL Control;
  DWORD Owner;
  DWORD Group;
  DWORD Sacl;
  DWORD Dacl;
} SECURITY_DESCRIPTOR_RELATIVE, *PISECURITY_DESCRIPTOR_RELATIVE;

#define SECURITY_DESCRIPTOR_MIN_LENGTH (sizeof(SECURITY_DESCRIPTOR))

/* ---- Security identifiers ---- */
NTSEM_API BOOL WINAPI AllocateAndInitializeSid(PSID_IDENTIFIER_AUTHORITY pIdentifierAuthority,
                                               BYTE nSubAuthorityCount, DWORD nSubAuthority0,
                                               DWORD nSubAuthority1, DWORD nSubAuthority2,
                                               DWORD nSubAuthority3, DWORD nSubAuthority4,
                                               DWORD nSubAuthority5, DWORD nSubAuthority6,
                                               DWORD nSubAuthority7, PSID *pSid);
/* Frees what AllocateAndInitializeSid returned; returns NULL. */
NTSEM_API PVOID WINAPI FreeSid(PSID pSid);
NTSEM_API BOOL WINAPI InitializeSid(PSID Sid, PSID_IDENTIFIER_AUTHORITY pIdentifierAuthority,
                                    BYTE nSubAuthorityCount);
NTSEM_API DWORD WINAPI GetSidLengthRequired(UCHAR nSubAuthorityCount);
NTSEM_API BOOL WINAPI IsValidSid(PSID pSid);
NTSEM_API DWORD WINAPI GetLengthSid(PSID pSid);
NTSEM_API BOOL WINAPI EqualSid(PSID pSid1, PSID pSid2);
NTSEM_API BOOL WINAPI CopySid(DWORD nDestinationSidLength, PSID pDestinationSid,
                              PSID pSourceSid);
/* These three point into the SID and set the last error to ERROR_SUCCESS; as on
 * Windows, GetSidSubAuthority does not check the index. */
NTSEM_API PDWORD WINAPI GetSidSubAuthority(PSID pSid, DWORD nSubAuthority);
NTSEM_API PUCHAR WINAPI GetSidSubAuthorityCount(PSID pSid);
NTSEM_API PSID_IDENTIFIER_AUTHORITY WINAPI GetSidIdentifierAuthority(PSID pSid);
/* DomainSid is ignored: every type above is outside any domain.  Too small a
 * *cbSid (pSid may then be NULL) is ERROR_INSUFFICIENT_BUFFER with the size
 * needed in *cbSid; another type is ERROR_INVALID_PARAMETER. */
NTSEM_API BOOL WINAPI CreateWellKnownSid(WELL_KNOWN_SID_TYPE WellKnownSidType, PSID DomainSid,
                                         PSID pSid, DWORD *cbSid);

/* ---- Access control lists ---- */
NTSEM_API BOOL WINAPI InitializeAcl(PACL pAcl, DWORD nAclLength, DWORD dwAclRevision);
NTSEM_API BOOL WINAPI IsValidAcl(PACL pAcl);
/* Each appends one ACE; an ACE revision above the ACL's raises the ACL's. */
NTSEM_API BOOL WINAPI AddAccessAllowedAce(PACL pAcl, DWORD dwAceRevision, DWORD AccessMask,
                                          PSID pSid);
NTSEM_API BOOL WINAPI AddAccessAllowedAceEx(PACL pAcl, DWORD dwAceRevision, DWORD AceFlags,
                                            DWORD AccessMask, PSID pSid);
NTSEM_API BOOL WINAPI AddAccessDeniedAce(PACL pAcl, DWORD dwAceRevision, DWORD AccessMask,
                                         PSID pSid);
NTSEM_API BOOL WINAPI AddAccessDeniedAceEx(PACL pAcl, DWORD dwAceRevision, DWORD AceFlags,
                                           DWORD AccessMask, PSID pSid);
NTSEM_API BOOL WINAPI GetAce(PACL pAcl, DWORD dwAceIndex, LPVOID *pAce);

/* ---- Security descriptors ---- */
NTSEM_API BOOL WINAPI InitializeSecurityDescriptor(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                                   DWORD dwRevision);
NTSEM_API BOOL WINAPI IsValidSecurityDescriptor(PSECURITY_DESCRIPTOR pSecurityDescriptor);
NTSEM_API DWORD WINAPI GetSecurityDescriptorLength(PSECURITY_DESCRIPTOR pSecurityDescriptor);
NTSEM_API BOOL WINAPI GetSecurityDescriptorControl(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                                   PSECURITY_DESCRIPTOR_CONTROL pControl,
                                                   LPDWORD lpdwRevision);
/* The Set* calls store the pointers they are given (the caller keeps the SID
 * or ACL alive) and refuse a self-relative descriptor. */
NTSEM_API BOOL WINAPI SetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                                BOOL bDaclPresent, PACL pDacl,
                                                BOOL bDaclDefaulted);
/* Without a DACL, *lpbDaclPresent is FALSE and the other two are not written. */
NTSEM_API BOOL WINAPI GetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                                LPBOOL lpbDaclPresent, PACL *pDacl,
                                                LPBOOL lpbDaclDefaulted);
NTSEM_API BOOL WINAPI SetSecurityDescriptorOwner(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                                 PSID pOwner, BOOL bOwnerDefaulted);
NTSEM_API BOOL WINAPI GetSecurityDescriptorOwner(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                                 PSID *pOwner, LPBOOL lpbOwnerDefaulted);
NTSEM_API BOOL WINAPI SetSecurityDescriptorGroup(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                                 PSID pGroup, BOOL bGroupDefaulted);
NTSEM_API BOOL WINAPI GetSecurityDescriptorGroup(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                                 PSID *pGroup, LPBOOL lpbGroupDefaulted);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NTSEM_WINNT_SECURITY_H */

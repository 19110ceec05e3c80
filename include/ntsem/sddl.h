/*
 * <ntsem/sddl.h> — the string forms of SIDs and security descriptors, as
 * Windows' sddl.h gives them.  For C and C++.
 *
 * Contract
 * --------
 * Each call returns what its Windows namesake returns and sets the same last
 * error.  What a call returns is allocated here and freed with LocalFree.
 *
 * SID strings: "S-1-<authority>-<sub-authority>..." with 1 to 15
 * sub-authorities, the authority in decimal or as "0x" and up to 12 hex
 * digits (ConvertSidToStringSid writes an authority of 2^32 or more that way),
 * or a two-letter alias: WD CO CG OW NU IU SU AN ED PS AU RC SY LS NS BA BU
 * BG PU AO SO PO BO RE RU RD NO (letters in either case).  A malformed string
 * is ERROR_INVALID_SID.
 *
 * Descriptor strings (ConvertStringSecurityDescriptorToSecurityDescriptor,
 * StringSDRevision SDDL_REVISION_1, else ERROR_UNKNOWN_REVISION):
 *   O:<sid>  G:<sid>  D:<flags><ace>...
 * each part at most once, in any order, with optional spaces between tokens.
 * DACL flags: P (SE_DACL_PROTECTED), AI (SE_DACL_AUTO_INHERITED),
 * AR (SE_DACL_AUTO_INHERIT_REQ), or NO_ACCESS_CONTROL alone (a NULL DACL).
 * An ACE is (<type>;<flags>;<rights>;;;<sid>): type A or D; flags from
 * OI CI NP IO ID; rights as a number (0x hex, 0 octal, or decimal) or as
 * mnemonics: GA GR GW GX (generic), SD RC WD WO (standard: DELETE,
 * READ_CONTROL, WRITE_DAC, WRITE_OWNER), and CC DC LC SW RP WP DT LO CR, which
 * name the object-specific bits 0 to 8 (CC is SEMAPHORE_QUERY_STATE, DC is
 * SEMAPHORE_MODIFY_STATE).  The result is self-relative, its DACL of revision
 * ACL_REVISION.  Errors: a part that is not O:, G: or D: (or a part given
 * twice) is ERROR_INVALID_PARAMETER; a bad owner or group SID is
 * ERROR_INVALID_SID; anything wrong inside a DACL is ERROR_INVALID_ACL.
 * Not supported here: SACLs ("S:", ERROR_NOT_SUPPORTED), object ACEs (GUIDs),
 * conditional and resource-attribute ACEs, the file, registry and label right
 * mnemonics (FA, KA, NR, ...), and domain-relative aliases (LA, DA, ...).
 */
#ifndef NTSEM_SDDL_H
#define NTSEM_SDDL_H

#include <ntsem/windows.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SDDL_REVISION_1 1
#define SDDL_REVISION SDDL_REVISION_1

NTSEM_API BOOL WINAPI ConvertStringSidToSidA(LPCSTR StringSid, PSID *Sid);
NTSEM_API BOOL WINAPI ConvertStringSidToSidW(LPCWSTR StringSid, PSID *Sid);
NTSEM_API BOOL WINAPI ConvertSidToStringSidA(PSID Sid, LPSTR *StringSid);
NTSEM_API BOOL WINAPI ConvertSidToStringSidW(PSID Sid, LPWSTR *StringSid);
/* SecurityDescriptorSize may be NULL. */
NTSEM_API BOOL WINAPI ConvertStringSecurityDescriptorToSecurityDescriptorA(
    LPCSTR StringSecurityDescriptor, DWORD StringSDRevision,
    PSECURITY_DESCRIPTOR *SecurityDescriptor, PULONG SecurityDescriptorSize);
NTSEM_API BOOL WINAPI ConvertStringSecurityDescriptorToSecurityDescriptorW(
    LPCWSTR StringSecurityDescriptor, DWORD StringSDRevision,
    PSECURITY_DESCRIPTOR *SecurityDescriptor, PULONG SecurityDescriptorSize);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NTSEM_SDDL_H */

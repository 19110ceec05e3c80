#include "security/well_known_sid.hpp"

#include <cstdint>

namespace ntsem::security {
namespace {

// Every SID here has an authority below 256 and at most two sub-authorities.
struct well_known {
  WELL_KNOWN_SID_TYPE type;
  char alias[3];  // "" where SDDL has none
  std::uint8_t authority;
  std::uint8_t count;
  std::uint32_t rids[2];
};

constexpr std::uint8_t null_authority = 0, world_authority = 1, local_authority = 2,
                       creator_authority = 3, nt_authority = 5;

constexpr well_known table[] = {
    {WinNullSid, "", null_authority, 1, {SECURITY_NULL_RID}},
    {WinWorldSid, "WD", world_authority, 1, {SECURITY_WORLD_RID}},
    {WinLocalSid, "", local_authority, 1, {SECURITY_LOCAL_RID}},
    {WinCreatorOwnerSid, "CO", creator_authority, 1, {SECURITY_CREATOR_OWNER_RID}},
    {WinCreatorGroupSid, "CG", creator_authority, 1, {SECURITY_CREATOR_GROUP_RID}},
    {WinCreatorOwnerServerSid, "", creator_authority, 1, {SECURITY_CREATOR_OWNER_SERVER_RID}},
    {WinCreatorGroupServerSid, "", creator_authority, 1, {SECURITY_CREATOR_GROUP_SERVER_RID}},
    {WinCreatorOwnerRightsSid, "OW", creator_authority, 1, {SECURITY_CREATOR_OWNER_RIGHTS_RID}},
    {WinNtAuthoritySid, "", nt_authority, 0, {}},
    {WinDialupSid, "", nt_authority, 1, {SECURITY_DIALUP_RID}},
    {WinNetworkSid, "NU", nt_authority, 1, {SECURITY_NETWORK_RID}},
    {WinBatchSid, "", nt_authority, 1, {SECURITY_BATCH_RID}},
    {WinInteractiveSid, "IU", nt_authority, 1, {SECURITY_INTERACTIVE_RID}},
    {WinServiceSid, "SU", nt_authority, 1, {SECURITY_SERVICE_RID}},
    {WinAnonymousSid, "AN", nt_authority, 1, {SECURITY_ANONYMOUS_LOGON_RID}},
    {WinProxySid, "", nt_authority, 1, {SECURITY_PROXY_RID}},
    {WinEnterpriseControllersSid, "ED", nt_authority, 1, {SECURITY_ENTERPRISE_CONTROLLERS_RID}},
    {WinSelfSid, "PS", nt_authority, 1, {SECURITY_PRINCIPAL_SELF_RID}},
    {WinAuthenticatedUserSid, "AU", nt_authority, 1, {SECURITY_AUTHENTICATED_USER_RID}},
    {WinRestrictedCodeSid, "RC", nt_authority, 1, {SECURITY_RESTRICTED_CODE_RID}},
    {WinTerminalServerSid, "", nt_authority, 1, {SECURITY_TERMINAL_SERVER_RID}},
    {WinRemoteLogonIdSid, "", nt_authority, 1, {SECURITY_REMOTE_LOGON_RID}},
    {WinLocalSystemSid, "SY", nt_authority, 1, {SECURITY_LOCAL_SYSTEM_RID}},
    {WinLocalServiceSid, "LS", nt_authority, 1, {SECURITY_LOCAL_SERVICE_RID}},
    {WinNetworkServiceSid, "NS", nt_authority, 1, {SECURITY_NETWORK_SERVICE_RID}},
    {WinBuiltinDomainSid, "", nt_authority, 1, {SECURITY_BUILTIN_DOMAIN_RID}},
    {WinBuiltinAdministratorsSid, "BA", nt_authority, 2,
     {SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS}},
    {WinBuiltinUsersSid, "BU", nt_authority, 2,
     {SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_USERS}},
    {WinBuiltinGuestsSid, "BG", nt_authority, 2,
     {SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_GUESTS}},
    {WinBuiltinPowerUsersSid, "PU", nt_authority, 2,
     {SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_POWER_USERS}},
    {WinBuiltinAccountOperatorsSid, "AO", nt_authority, 2,
     {SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ACCOUNT_OPS}},
    {WinBuiltinSystemOperatorsSid, "SO", nt_authority, 2,
     {SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_SYSTEM_OPS}},
    {WinBuiltinPrintOperatorsSid, "PO", nt_authority, 2,
     {SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_PRINT_OPS}},
    {WinBuiltinBackupOperatorsSid, "BO", nt_authority, 2,
     {SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_BACKUP_OPS}},
    {WinBuiltinReplicatorSid, "RE", nt_authority, 2,
     {SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_REPLICATOR}},
    {WinBuiltinPreWindows2000CompatibleAccessSid, "RU", nt_authority, 2,
     {SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_PREW2KCOMPACCESS}},
    {WinBuiltinRemoteDesktopUsersSid, "RD", nt_authority, 2,
     {SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_REMOTE_DESKTOP_USERS}},
    {WinBuiltinNetworkConfigurationOperatorsSid, "NO", nt_authority, 2,
     {SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_NETWORK_CONFIGURATION_OPS}},
};

sid sid_of(const well_known& w) {
  sid s;
  s.authority[5] = w.authority;
  s.sub_authorities.assign(w.rids, w.rids + w.count);
  return s;
}

char16_t upper(char16_t c) { return c >= u'a' && c <= u'z' ? static_cast<char16_t>(c - 32) : c; }

}  // namespace

std::optional<sid> well_known_sid(WELL_KNOWN_SID_TYPE type) {
  for (const well_known& w : table)
    if (w.type == type) return sid_of(w);
  return std::nullopt;
}

std::optional<sid> sid_of_alias(std::u16string_view alias) {
  if (alias.size() != 2) return std::nullopt;
  for (const well_known& w : table) {
    if (w.alias[0] != 0 && upper(alias[0]) == static_cast<char16_t>(w.alias[0]) &&
        upper(alias[1]) == static_cast<char16_t>(w.alias[1]))
      return sid_of(w);
  }
  return std::nullopt;
}

}  // namespace ntsem::security

// The AWS credentials cached with a session, copied into the secret store's volatile tier (the kernel
// keyring on Linux) beside the keychain entry, so a command that needs nothing else (credential_process)
// reads them without opening the keychain. The copy is a session entry of the agreed format holding the
// binding and the credentials, never a token, under the entry's key + "/aws"; it is checked against the
// binding, pool and scope before use, the OS forgets it when the credentials expire, and sign-out or a
// refused sign-in drops it for every process at once. Without a tier, every call does nothing.
#pragma once

#include "config/profile.h"
#include "session/sessionentry.h"

namespace fedsync {

class SecretStore;

class SessionCredentialsTier final
{
public:
    // `profile` and `secrets` must outlive the tier.
    SessionCredentialsTier(const Profile &profile, const SecretStore *secrets);

    // The copy for `binding`, when it holds credentials for `pool` and `scope`; empty otherwise.
    CachedAwsCredentials load(const SessionBinding &binding, const QString &pool, const QString &scope) const;
    void store(const SessionBinding &binding, const CachedAwsCredentials &credentials) const;
    void drop(const SessionBinding &binding) const;
    // Drops the copy of the session stored under `sessionKey` (a deleted profile's sessions).
    static void dropForSessionKey(const SecretStore *secrets, const QString &sessionKey);

private:
    static QString tierKey(const QString &sessionKey) { return sessionKey + QStringLiteral("/aws"); }
    QString keyFor(const SessionBinding &binding) const;

    const Profile &m_profile;
    const SecretStore *m_secrets;
};

} // namespace fedsync

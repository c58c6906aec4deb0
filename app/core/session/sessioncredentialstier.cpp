#include "session/sessioncredentialstier.h"

#include "log/logcategories.h"
#include "secrets/secretstore.h"
#include "secrets/volatilesecrets.h"

namespace fedsync {

SessionCredentialsTier::SessionCredentialsTier(const Profile &profile, const SecretStore *secrets)
    : m_profile(profile)
    , m_secrets(secrets)
{}

QString SessionCredentialsTier::keyFor(const SessionBinding &binding) const
{
    return tierKey(SessionEntry::keyFor(m_profile, binding));
}

CachedAwsCredentials SessionCredentialsTier::load(const SessionBinding &binding, const QString &pool,
                                                  const QString &scope) const
{
    VolatileSecrets *tier = m_secrets ? m_secrets->volatileTier() : nullptr;
    if (!tier || !binding.isComplete())
        return {};
    QByteArray value = tier->get(keyFor(binding));
    if (value.isEmpty())
        return {};
    UserError error;
    std::optional<SessionEntry> entry = SessionEntry::decode(value, &error);
    wipeSecret(value);
    if (!entry)
        return {};
    CachedAwsCredentials credentials;
    if (entry->checkBinding(binding).isError() || !entry->refreshToken.isEmpty())
        qCWarning(lcSession) << "The credentials kept in the kernel keyring are not this session's; not used";
    else if (entry->aws.pool == pool && entry->aws.scope == scope)
        credentials = entry->aws;
    else
        qCDebug(lcSession) << "The credentials kept in the kernel keyring are for another pool or role";
    entry->wipe();
    return credentials;
}

void SessionCredentialsTier::store(const SessionBinding &binding,
                                   const CachedAwsCredentials &credentials) const
{
    VolatileSecrets *tier = m_secrets ? m_secrets->volatileTier() : nullptr;
    if (!tier || !binding.isComplete() || credentials.isEmpty() || !credentials.expiration.isValid())
        return;
    SessionEntry entry;
    entry.binding = binding;
    entry.aws = credentials;
    QByteArray value = entry.encode();
    tier->put(keyFor(binding), value, credentials.expiration);
    wipeSecret(value);
    entry.wipe();
}

void SessionCredentialsTier::drop(const SessionBinding &binding) const
{
    if (binding.isComplete())
        dropForSessionKey(m_secrets, SessionEntry::keyFor(m_profile, binding));
}

void SessionCredentialsTier::dropForSessionKey(const SecretStore *secrets, const QString &sessionKey)
{
    if (VolatileSecrets *tier = secrets ? secrets->volatileTier() : nullptr)
        tier->drop(tierKey(sessionKey));
}

} // namespace fedsync

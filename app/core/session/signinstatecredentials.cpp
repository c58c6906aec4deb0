// SignInState: the AWS credentials cached with the session, in its keychain entry (read-modify-write under
// the session lock) and in the copy the OS keeps at hand (SessionCredentialsTier).
#include "session/signinstate.h"

#include "secrets/secretstore.h"

namespace fedsync {

CachedAwsCredentials SignInState::cachedAwsCredentials(const QString &pool, const QString &scope) const
{
    return m_aws.pool == pool && m_aws.scope == scope ? m_aws : CachedAwsCredentials();
}

CachedAwsCredentials SignInState::credentialsAtHand(const QString &pool, const QString &scope) const
{
    const QString sub = m_binding.isComplete() ? m_binding.subject : lastUserSubject();
    return sub.isEmpty() ? CachedAwsCredentials() : m_credentialsTier.load(bindingFor(sub), pool, scope);
}

void SignInState::storeAwsCredentials(const CachedAwsCredentials &credentials, std::function<void()> done)
{
    auto finish = [done] {
        if (done)
            done();
    };
    m_aws.wipe();
    m_aws = credentials;
    if (!m_persisted || !m_binding.isComplete()) {
        finish();
        return;
    }
    const SessionBinding binding = m_binding;
    const QString key = SessionEntry::keyFor(m_profile, binding);
    locked(
        key,
        [this, key, binding, credentials, finish](std::function<void()> release) {
            m_secrets->read(key, this, [=, this](const SecretResult &result) {
                UserError error;
                QByteArray value = result.value;
                std::optional<SessionEntry> entry =
                    result.ok() ? SessionEntry::decode(value, &error) : std::nullopt;
                wipeSecret(value);
                if (!entry || entry->checkBinding(binding).isError()) {
                    release(); // signed out meanwhile, or unreadable: nothing to add the cache to
                    finish();
                    return;
                }
                entry->aws = credentials;
                m_credentialsTier.store(binding, credentials);
                writeEntry(*entry, [release, finish] {
                    release();
                    finish();
                });
                entry->wipe();
            });
        },
        [finish](const UserError &) { finish(); });
}

} // namespace fedsync

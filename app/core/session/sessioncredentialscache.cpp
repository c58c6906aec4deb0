#include "session/sessioncredentialscache.h"

#include "session/signinstate.h"

namespace fedsync {

SessionCredentialsCache::SessionCredentialsCache(SignInState *session)
    : m_session(session)
{}

namespace {
aws::AwsCredentials toAws(CachedAwsCredentials cached)
{
    aws::AwsCredentials credentials;
    if (cached.isEmpty())
        return credentials;
    credentials.accessKeyId = cached.accessKeyId;
    credentials.secretAccessKey = cached.secretAccessKey.toUtf8();
    credentials.sessionToken = cached.sessionToken.toUtf8();
    credentials.expiration = cached.expiration;
    credentials.issued = cached.issued;
    credentials.identityId = cached.identityId;
    cached.wipe();
    return credentials;
}
} // namespace

aws::AwsCredentials SessionCredentialsCache::loadCredentials(const QString &pool, const QString &scope)
{
    if (!m_session || !m_session->isSignedIn())
        return {};
    return toAws(m_session->cachedAwsCredentials(pool, scope));
}

aws::AwsCredentials SessionCredentialsCache::loadAtHand(const QString &pool, const QString &scope)
{
    return m_session ? toAws(m_session->credentialsAtHand(pool, scope)) : aws::AwsCredentials();
}

void SessionCredentialsCache::storeCredentials(const QString &pool, const QString &scope,
                                               const aws::AwsCredentials &credentials)
{
    if (!m_session || !m_session->isSignedIn() || !credentials.expiration.isValid())
        return;
    CachedAwsCredentials cached;
    cached.pool = pool;
    cached.scope = scope;
    cached.identityId = credentials.identityId;
    cached.accessKeyId = credentials.accessKeyId;
    cached.secretAccessKey = QString::fromUtf8(credentials.secretAccessKey);
    cached.sessionToken = QString::fromUtf8(credentials.sessionToken);
    cached.expiration = credentials.expiration;
    cached.issued = credentials.issued;
    m_session->storeAwsCredentials(cached);
    cached.wipe();
}

} // namespace fedsync

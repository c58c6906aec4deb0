// Gets and keeps temporary AWS credentials for the signed-in user from Amazon Cognito Identity: GetId
// (skipped when the identity id is cached), then GetCredentialsForIdentity (enhanced flow) or
// GetOpenIdToken + STS AssumeRoleWithWebIdentity (basic flow). Credentials stay in memory and are renewed
// five minutes before they expire; however many callers ask at once, one refresh is in flight. A cached
// identity id that Cognito rejects is forgotten and fetched again, once. Failures arrive diagnosed.
#pragma once

#include "aws/awscredentials.h"
#include "aws/awscredentialscache.h"
#include "aws/awscredentialssource.h"
#include "aws/cognitodiagnostics.h"
#include "aws/idtokensource.h"
#include "common/clock.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace fedsync::aws {

class AwsCall;
class CognitoIdentityClient;
class IdentityIdCache;
class StsClient;

struct CognitoCredentialsConfig
{
    enum class Flow { Enhanced, Basic };

    QString region;
    QString identityPoolId;
    QString providerName; // the Logins key: the issuer without "https://" (trailing slash kept)
    Flow flow = Flow::Enhanced;
    QString roleArn;       // basic flow: the role to assume (required)
    QString customRoleArn; // enhanced flow: optional CustomRoleArn
    QString accountId;     // optional, for GetId
    QString roleSessionName = QStringLiteral("fedsync");
    int durationSeconds = 0; // basic flow; 0: the role's default
    // Renewal starts when this much is left, or a fifth of the lifetime if that is less (credentials
    // that live a few minutes are renewed at 80% of their life, not constantly).
    int refreshBeforeExpirySeconds = 300;
    // Renewals scheduled by the provider itself (not the ones callers wait for) stay below this per hour;
    // after a failure the next try waits with exponential backoff and jitter.
    int maxRenewalsPerHour = 60;
    int minRetryDelaySeconds = 5;
    int maxRetryDelaySeconds = 300;
};

class CognitoCredentialsProvider final : public QObject, public AwsCredentialsSource
{
    Q_OBJECT
public:
    // Nothing is owned; all must outlive the provider. `sts` may be null for the enhanced flow.
    CognitoCredentialsProvider(CognitoCredentialsConfig config, CognitoIdentityClient *identity,
                               StsClient *sts, IdTokenSource *tokens, IdentityIdCache *cache,
                               QObject *parent = nullptr);
    ~CognitoCredentialsProvider() override;

    const CognitoCredentialsConfig &config() const { return m_config; }

    // Valid credentials, from memory when they are not about to expire; otherwise after one (shared) refresh.
    void requestCredentials(Callback callback) override;
    // Credentials usable now without a sign-in or a request: fresh ones in memory, or ones the cache
    // keeps at hand (loadAtHand) with the full renewal margin left; invalid when there are none (then
    // requestCredentials()). What credential_process answers from.
    AwsCredentials credentialsAtHand() const;
    // Starts a refresh now unless one is in flight (e.g. after signing in again).
    void refresh();
    // Signing out: forgets the credentials, cancels a refresh (waiting callers get "aws.cancelled").
    void clear();

    AwsCredentials credentials() const { return m_credentials; }
    QString identityId() const { return m_identityId; }
    bool isRefreshing() const { return m_inFlight; }

    void setClock(Clock clock) { m_clock = std::move(clock); }
    // Credentials shared with other processes (the session's keychain entry); not owned, may be null.
    void setCache(AwsCredentialsCache *cache) { m_credentialsCache = cache; }
    // When the provider will renew on its own (invalid: not scheduled), by the provider's clock.
    QDateTime nextRenewal() const { return m_nextRenewal; }
    // How long before expiry renewal starts for credentials valid from `issued` to `expiration`.
    qint64 renewalLeadSeconds(const QDateTime &issued, const QDateTime &expiration) const;

Q_SIGNALS:
    void credentialsChanged(const fedsync::aws::AwsCredentials &credentials);
    void errorOccurred(const fedsync::UserError &error);
    void refreshing(bool inProgress);

private:
    QDateTime now() const;
    void startRefresh();
    void onIdToken(const FederatedIdToken &token, const UserError &error);
    void getId();
    void fetchCredentials(const QString &identityId);
    void assumeRole(const QString &identityId, const QByteArray &openIdToken);
    void onIdentityFailure(const AwsFailure &failure, const QString &operation);
    void succeed(const AwsCredentials &credentials);
    void fail(const UserError &error);
    void scheduleRefresh();
    void scheduleAt(QDateTime due);
    void scheduleRetry();
    bool rejectsLoginToken(const AwsFailure &failure) const;
    bool retryWithNewToken(const AwsFailure &failure);
    CognitoDiagnosticContext diagnosticContext(const QString &operation) const;
    QString cacheScope() const;
    // Whether credentials (the current ones, or a cache's) still have their renewal margin left.
    bool isUsable(const AwsCredentials &credentials) const;
    QMap<QString, QByteArray> logins() const;
    // Wraps a callback so it is delivered later (deliveredLater, tied to this provider) and dropped when
    // the refresh it belongs to was cancelled or superseded.
    template<typename F> auto forThisRefresh(F &&f);

    CognitoCredentialsConfig m_config;
    CognitoIdentityClient *m_identity;
    StsClient *m_sts;
    IdTokenSource *m_tokens;
    IdentityIdCache *m_cache;
    Clock m_clock;

    AwsCredentials m_credentials;
    QString m_identityId;
    QString m_identitySub; // whose identity m_identityId is
    FederatedIdToken m_token;
    QList<Callback> m_waiters;
    QPointer<AwsCall> m_call;
    QTimer m_refreshTimer;
    quint64 m_generation = 0;
    bool m_inFlight = false;
    bool m_usedCachedId = false;
    bool m_retriedStaleId = false;
    bool m_retriedNewToken = false;
    AwsCredentialsCache *m_credentialsCache = nullptr;
    QDateTime m_nextRenewal;     // the timer's due time
    int m_failures = 0;          // proactive renewals failed in a row
    QList<QDateTime> m_renewals; // proactive renewals started in the last hour
};

} // namespace fedsync::aws

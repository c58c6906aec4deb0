#include "aws/cognitocredentialsprovider.h"

#include "aws/awscall.h"
#include "aws/cognitoidentityclient.h"
#include "aws/identityidcache.h"
#include "aws/stsclient.h"
#include "common/deliverlater.h"
#include "log/logcategories.h"
#include "log/redact.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <algorithm>

namespace fedsync::aws {
namespace {
// Never wait less than this between proactive refreshes, whatever lifetime the credentials have.
constexpr qint64 minimumRefreshDelayMs = 1000;
} // namespace

template<typename F> auto CognitoCredentialsProvider::forThisRefresh(F &&f)
{
    return deliveredLater(this, [this, generation = m_generation, f = std::forward<F>(f)](auto &&...args) {
        if (m_generation == generation)
            f(std::forward<decltype(args)>(args)...);
    });
}

CognitoCredentialsProvider::CognitoCredentialsProvider(CognitoCredentialsConfig config,
                                                       CognitoIdentityClient *identity, StsClient *sts,
                                                       IdTokenSource *tokens, IdentityIdCache *cache,
                                                       QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_identity(identity)
    , m_sts(sts)
    , m_tokens(tokens)
    , m_cache(cache)
{
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        qCDebug(lcAws) << "Refreshing AWS credentials before they expire";
        m_nextRenewal = {};
        m_renewals.append(now());
        refresh();
    });
}

CognitoCredentialsProvider::~CognitoCredentialsProvider()
{
    ++m_generation;
    delete m_call; // no callback: the call's finished() dies with it
}

QDateTime CognitoCredentialsProvider::now() const
{
    return m_clock.now();
}

qint64 CognitoCredentialsProvider::renewalLeadSeconds(const QDateTime &issued,
                                                      const QDateTime &expiration) const
{
    const qint64 lifetime = issued.isValid() && expiration.isValid() ? issued.secsTo(expiration) : 0;
    if (lifetime <= 0)
        return m_config.refreshBeforeExpirySeconds;
    return qMin<qint64>(m_config.refreshBeforeExpirySeconds, lifetime / 5);
}

bool CognitoCredentialsProvider::isUsable(const AwsCredentials &credentials) const
{
    // With their issue time, the renewal margin of their own lifetime (a fifth of 60 s credentials);
    // without it (cached by an earlier version), the full margin.
    return !credentials.isExpiringWithin(renewalLeadSeconds(credentials.issued, credentials.expiration),
                                         now());
}

void CognitoCredentialsProvider::requestCredentials(Callback callback)
{
    if (isUsable(m_credentials)) {
        callback(m_credentials, {});
        return;
    }
    if (m_credentialsCache && !m_inFlight) {
        // Another process of this session (or an earlier command) may hold credentials still good.
        const AwsCredentials cached =
            m_credentialsCache->loadCredentials(m_config.identityPoolId, cacheScope());
        if (cached.isValid() && cached.accessKeyId != m_credentials.accessKeyId && isUsable(cached)) {
            qCDebug(lcAws) << "Using AWS credentials cached with the session" << cached.summary();
            m_credentials = cached;
            if (!cached.identityId.isEmpty())
                m_identityId = cached.identityId;
            scheduleRefresh();
            Q_EMIT credentialsChanged(m_credentials);
            callback(m_credentials, {});
            return;
        }
    }
    m_waiters.append(std::move(callback));
    if (!m_inFlight)
        startRefresh();
}

AwsCredentials CognitoCredentialsProvider::credentialsAtHand() const
{
    if (isUsable(m_credentials))
        return m_credentials;
    if (!m_credentialsCache)
        return {};
    AwsCredentials held = m_credentialsCache->loadAtHand(m_config.identityPoolId, cacheScope());
    if (!held.isValid() || !isUsable(held))
        return {};
    qCDebug(lcAws) << "AWS credentials at hand" << held.summary();
    return held;
}

void CognitoCredentialsProvider::refresh()
{
    if (!m_inFlight)
        startRefresh();
}

void CognitoCredentialsProvider::clear()
{
    ++m_generation;
    delete m_call;
    m_refreshTimer.stop();
    m_nextRenewal = {};
    m_failures = 0;
    m_credentials = {};
    m_identityId.clear();
    m_identitySub.clear();
    m_token = {};
    const bool wasRefreshing = m_inFlight;
    m_inFlight = false;
    const QList<Callback> waiters = std::exchange(m_waiters, {});
    const UserError cancelled =
        UserError::make(QStringLiteral("aws.cancelled"), tr("Getting AWS credentials was cancelled"));
    for (const Callback &waiter : waiters)
        waiter({}, cancelled);
    if (wasRefreshing)
        Q_EMIT refreshing(false);
    Q_EMIT credentialsChanged(m_credentials);
}

void CognitoCredentialsProvider::startRefresh()
{
    m_inFlight = true;
    m_usedCachedId = false;
    m_retriedStaleId = false;
    m_retriedNewToken = false;
    ++m_generation;
    m_refreshTimer.stop();
    m_nextRenewal = {};
    Q_EMIT refreshing(true);
    if (m_config.flow == CognitoCredentialsConfig::Flow::Basic && (m_config.roleArn.isEmpty() || !m_sts)) {
        AwsFailure failure;
        failure.error = UserError::make(
            QStringLiteral("aws.role.missing"), tr("No role to assume"),
            tr("The basic flow calls STS AssumeRoleWithWebIdentity, which needs the identity pool's "
               "authenticated role"),
            tr("Set the role ARN in the profile's Amazon Cognito settings, or choose the enhanced flow"));
        failure.aws.type = QStringLiteral("ValidationError");
        failure.aws.message = QStringLiteral("roleArn is not set");
        // Deferred like every other outcome, so callers never see a callback from inside their own call.
        forThisRefresh([this, failure] {
            fail(CognitoDiagnostics::diagnose(
                failure, diagnosticContext(QStringLiteral("AssumeRoleWithWebIdentity"))));
        })();
        return;
    }
    m_tokens->requestIdToken(forThisRefresh(
        [this](const FederatedIdToken &token, const UserError &error) { onIdToken(token, error); }));
}

void CognitoCredentialsProvider::onIdToken(const FederatedIdToken &token, const UserError &error)
{
    if (error.isError()) {
        fail(error);
        return;
    }
    m_token = token;
    QString identityId;
    if (!m_identityId.isEmpty() && m_identitySub == token.subject)
        identityId = m_identityId;
    else if (m_cache)
        identityId = m_cache->load(m_config.identityPoolId, token.subject);
    if (identityId.isEmpty()) {
        getId();
        return;
    }
    m_usedCachedId = true;
    m_identityId = identityId;
    m_identitySub = token.subject;
    fetchCredentials(identityId);
}

QMap<QString, QByteArray> CognitoCredentialsProvider::logins() const
{
    return {{m_config.providerName, m_token.token}};
}

void CognitoCredentialsProvider::getId()
{
    m_call = m_identity->getId(
        m_config.identityPoolId, logins(),
        forThisRefresh([this](const QString &identityId, const AwsFailure &failure) {
            if (failure.isError()) {
                if (!retryWithNewToken(failure))
                    fail(CognitoDiagnostics::diagnose(failure, diagnosticContext(QStringLiteral("GetId"))));
                return;
            }
            qCInfo(lcAws) << "Cognito identity" << identityId;
            m_identityId = identityId;
            m_identitySub = m_token.subject;
            if (m_cache)
                m_cache->store(m_config.identityPoolId, m_token.subject, identityId);
            fetchCredentials(identityId);
        }),
        m_config.accountId);
}

void CognitoCredentialsProvider::fetchCredentials(const QString &identityId)
{
    if (m_config.flow == CognitoCredentialsConfig::Flow::Enhanced) {
        m_call = m_identity->getCredentialsForIdentity(
            identityId, logins(), m_config.customRoleArn,
            forThisRefresh([this](const AwsCredentials &credentials, const AwsFailure &failure) {
                if (failure.isError())
                    onIdentityFailure(failure, QStringLiteral("GetCredentialsForIdentity"));
                else
                    succeed(credentials);
            }));
        return;
    }
    m_call = m_identity->getOpenIdToken(
        identityId, logins(),
        forThisRefresh([this](const QString &id, const QByteArray &openIdToken, const AwsFailure &failure) {
            if (failure.isError())
                onIdentityFailure(failure, QStringLiteral("GetOpenIdToken"));
            else
                assumeRole(id, openIdToken);
        }));
}

void CognitoCredentialsProvider::assumeRole(const QString &identityId, const QByteArray &openIdToken)
{
    AssumeRoleWithWebIdentityRequest request{m_config.roleArn, m_config.roleSessionName, openIdToken,
                                             m_config.durationSeconds};
    m_call = m_sts->assumeRoleWithWebIdentity(
        request, forThisRefresh([this, identityId](AwsCredentials credentials, const AwsFailure &failure) {
            if (failure.isError()) {
                fail(CognitoDiagnostics::diagnose(
                    failure, diagnosticContext(QStringLiteral("AssumeRoleWithWebIdentity"))));
                return;
            }
            credentials.identityId = identityId;
            succeed(credentials);
        }));
}

bool CognitoCredentialsProvider::rejectsLoginToken(const AwsFailure &failure) const
{
    if (failure.aws.type != QLatin1String("NotAuthorizedException"))
        return false;
    // Only what a newly issued token can cure: a signature Cognito cannot verify (the key that signed it
    // was dropped) or an expiry. A wrong issuer, audience or provider is a configuration problem.
    const QString &message = failure.aws.message;
    return message.contains(QLatin1String("Couldn't verify signed token"), Qt::CaseInsensitive) ||
           message.contains(QLatin1String("Token expired"), Qt::CaseInsensitive);
}

bool CognitoCredentialsProvider::retryWithNewToken(const AwsFailure &failure)
{
    // The token was valid when Fedsync checked it; if Cognito now refuses it (signing key rotated and the
    // old one dropped, or expired meanwhile), a newly issued token is tried once before advising anything.
    if (m_retriedNewToken || !rejectsLoginToken(failure))
        return false;
    m_retriedNewToken = true;
    qCInfo(lcAws) << "Cognito refused the ID token (" << failure.aws.message << "); trying a new one once";
    m_tokens->requestNewIdToken(forThisRefresh(
        [this](const FederatedIdToken &token, const UserError &error) { onIdToken(token, error); }));
    return true;
}

void CognitoCredentialsProvider::onIdentityFailure(const AwsFailure &failure, const QString &operation)
{
    if (retryWithNewToken(failure))
        return;
    if (rejectsLoginToken(failure)) {
        // The token, not the identity, is what Cognito refused, and a new one was tried already.
        fail(CognitoDiagnostics::diagnose(failure, diagnosticContext(operation)));
        return;
    }
    const QString type = failure.aws.type;
    const bool rejectsIdentity =
        type == QLatin1String("NotAuthorizedException") || type == QLatin1String("ResourceNotFoundException");
    if (m_usedCachedId && !m_retriedStaleId && rejectsIdentity) {
        qCInfo(lcAws) << "Cached identity" << m_identityId << "rejected (" << type
                      << "); asking for it again";
        m_retriedStaleId = true;
        m_usedCachedId = false;
        if (m_cache)
            m_cache->forget(m_config.identityPoolId, m_token.subject);
        m_identityId.clear();
        m_identitySub.clear();
        getId();
        return;
    }
    fail(CognitoDiagnostics::diagnose(failure, diagnosticContext(operation)));
}

void CognitoCredentialsProvider::succeed(const AwsCredentials &credentials)
{
    m_call.clear();
    m_credentials = credentials;
    m_credentials.issued = now();
    m_failures = 0;
    if (!credentials.identityId.isEmpty())
        m_identityId = credentials.identityId;
    else
        m_credentials.identityId = m_identityId;
    qCInfo(lcAws) << "AWS credentials" << credentials.summary();
    m_inFlight = false;
    if (m_credentialsCache)
        m_credentialsCache->storeCredentials(m_config.identityPoolId, cacheScope(), m_credentials);
    scheduleRefresh();
    Q_EMIT refreshing(false);
    Q_EMIT credentialsChanged(m_credentials);
    const QList<Callback> waiters = std::exchange(m_waiters, {});
    for (const Callback &waiter : waiters)
        waiter(m_credentials, {});
}

void CognitoCredentialsProvider::fail(const UserError &error)
{
    m_call.clear();
    m_inFlight = false;
    qCWarning(lcAws) << "Getting AWS credentials failed:" << error.code;
    Q_EMIT refreshing(false);
    Q_EMIT errorOccurred(error);
    // An early refresh that failed leaves credentials that still work for a while: hand those out.
    const bool stillUsable = !m_credentials.isExpiringWithin(30, now());
    const QList<Callback> waiters = std::exchange(m_waiters, {});
    for (const Callback &waiter : waiters) {
        if (stillUsable)
            waiter(m_credentials, {});
        else
            waiter({}, error);
    }
    if (m_credentials.isValid()) {
        ++m_failures;
        scheduleRetry();
    }
}

void CognitoCredentialsProvider::scheduleRefresh()
{
    if (!m_credentials.expiration.isValid())
        return;
    scheduleAt(m_credentials.expiration.addSecs(
        -renewalLeadSeconds(m_credentials.issued, m_credentials.expiration)));
}

void CognitoCredentialsProvider::scheduleRetry()
{
    // Exponential backoff with "equal jitter": half the step fixed, half random.
    const qint64 step =
        qMin<qint64>(qint64(m_config.maxRetryDelaySeconds) * 1000,
                     qint64(m_config.minRetryDelaySeconds) * 1000 << qBound(0, m_failures - 1, 20));
    const qint64 delay = step / 2 + QRandomGenerator::global()->bounded(step / 2 + 1);
    qCInfo(lcAws) << "Renewing AWS credentials again in" << delay << "ms (failure" << m_failures << ")";
    scheduleAt(now().addMSecs(delay));
}

void CognitoCredentialsProvider::scheduleAt(QDateTime due)
{
    const QDateTime current = now();
    // However short the lifetime, proactive renewals stay within the hourly budget: spaced evenly, and
    // none while the last hour's budget is spent.
    const QDateTime hourAgo = current.addSecs(-3600);
    m_renewals.erase(
        std::remove_if(m_renewals.begin(), m_renewals.end(), [&](const QDateTime &t) { return t < hourAgo; }),
        m_renewals.end());
    const int budget = qMax(1, m_config.maxRenewalsPerHour);
    if (!m_renewals.isEmpty())
        due = qMax(due, m_renewals.last().addSecs(3600 / budget));
    if (m_renewals.size() >= budget)
        due = qMax(due, m_renewals.first().addSecs(3600));
    const qint64 delay = qMax(minimumRefreshDelayMs, current.msecsTo(due));
    m_nextRenewal = current.addMSecs(delay);
    m_refreshTimer.start(std::chrono::milliseconds(delay));
}

QString CognitoCredentialsProvider::cacheScope() const
{
    const QStringList parts{m_config.identityPoolId,
                            m_config.flow == CognitoCredentialsConfig::Flow::Basic
                                ? QStringLiteral("basic")
                                : QStringLiteral("enhanced"),
                            m_config.roleArn, m_config.customRoleArn, m_config.providerName};
    return QString::fromLatin1(
        QCryptographicHash::hash(parts.join(QLatin1Char('\n')).toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(16));
}

CognitoDiagnosticContext CognitoCredentialsProvider::diagnosticContext(const QString &operation) const
{
    CognitoDiagnosticContext context;
    context.operation = operation;
    context.region = m_config.region;
    context.identityPoolId = m_config.identityPoolId;
    context.providerName = m_config.providerName;
    context.tokenIssuer = m_token.issuer;
    context.clientId = m_token.clientId;
    context.tokenAlgorithm = m_token.algorithm;
    context.roleArn = m_config.roleArn;
    context.customRoleArn = m_config.customRoleArn;
    return context;
}

} // namespace fedsync::aws

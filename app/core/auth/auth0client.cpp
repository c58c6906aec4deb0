#include "auth/auth0client.h"
#include "common/errorcodes.h"

#include "auth/httpcachefile.h"
#include "common/deliverlater.h"
#include "log/logcategories.h"
#include "log/redact.h"
#include "net/httpjob.h"
#include "net/networkcontext.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrlQuery>

namespace fedsync {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Auth0Client", text);
}

const QString kService = QStringLiteral("auth0");

QByteArray formEncode(const QList<QPair<QString, QString>> &fields)
{
    QByteArray out;
    for (const auto &[name, value] : fields) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

UserError httpError(const HttpJob &job, const QString &what)
{
    if (job.refusal().isError())
        return job.refusal();
    if (job.response().isTransportFailure())
        return job.response().transportError(job.request().url);
    return UserError::make(QStringLiteral("oidc.http.%1").arg(job.response().status), what,
                           tr("The server answered HTTP %1").arg(job.response().status),
                           tr("Check that the profile's Auth0 domain is right, then try again"));
}
} // namespace

Auth0Client::Auth0Client(const NetworkContext &context, QString issuer, QString clientId, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_issuer(std::move(issuer))
    , m_clientId(std::move(clientId))
{
}

// The jobs are children: their destructors abort the replies without emitting finished().
Auth0Client::~Auth0Client() = default;

HttpJob *Auth0Client::startJob(HttpRequest request)
{
    auto *job = new HttpJob(m_context, std::move(request), this);
    m_jobs.removeAll(nullptr); // finished jobs delete themselves
    m_jobs.append(job);
    connect(job, &HttpJob::finished, job, &QObject::deleteLater);
    job->start();
    return job;
}

void Auth0Client::discovery(QObject *context, DiscoveryCallback callback)
{
    callback = deliveredLater(context, std::move(callback));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_haveDiscovery && now < m_discoveryExpires) {
        callback(m_discovery, {});
        return;
    }
    const HttpCacheFile cacheFile(m_cacheDirectory, m_issuer + QStringLiteral("\ndiscovery"));
    if (const std::optional<QByteArray> cached = cacheFile.load(now)) {
        UserError cachedError;
        const OidcDiscovery parsed = OidcDiscovery::parse(*cached, m_issuer, &cachedError);
        if (!cachedError.isError()) {
            m_discovery = parsed;
            m_haveDiscovery = true;
            m_discoveryExpires = now.addSecs(60); // read the file again soon: it holds the real lifetime
            callback(m_discovery, {});
            return;
        }
        cacheFile.remove();
    }
    m_discoveryWaiters.append(std::move(callback));
    if (m_discoveryWaiters.size() > 1)
        return; // one request in flight serves everybody
    HttpRequest request;
    request.url = QUrl(m_issuer + QStringLiteral(".well-known/openid-configuration"));
    request.service = kService;
    request.operation = QStringLiteral("discovery");
    request.headers = {{"Accept", "application/json"}};
    HttpJob *job = startJob(std::move(request));
    connect(job, &HttpJob::finished, this, [this, job] {
        UserError error;
        OidcDiscovery parsed;
        if (job->response().status == 200)
            parsed = OidcDiscovery::parse(job->response().body, m_issuer, &error);
        else
            error = httpError(*job, tr("The sign-in provider's configuration could not be loaded"));
        if (!error.isError()) {
            const QDateTime fetched = QDateTime::currentDateTimeUtc();
            const QByteArray cacheControl = job->response().header("Cache-Control");
            m_discovery = parsed;
            m_haveDiscovery = true;
            m_discoveryExpires = fetched.addSecs(HttpCacheFile::maxAgeFrom(cacheControl));
            HttpCacheFile(m_cacheDirectory, m_issuer + QStringLiteral("\ndiscovery"))
                .store(job->response().body, cacheControl, fetched);
        }
        const auto waiters = std::exchange(m_discoveryWaiters, {});
        for (const auto &waiter : waiters)
            waiter(parsed, error);
    });
}

void Auth0Client::jwks(bool refetch, QObject *context, JwksCallback callback)
{
    callback = deliveredLater(context, std::move(callback));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!refetch && !m_jwks.isEmpty() && now < m_jwksExpires) {
        callback(m_jwks, {});
        return;
    }
    const HttpCacheFile cacheFile(m_cacheDirectory, m_issuer + QStringLiteral("\njwks"));
    if (refetch) {
        cacheFile.remove();
    } else if (const std::optional<QByteArray> cached = cacheFile.load(now);
               cached && QJsonDocument::fromJson(*cached).isObject()) {
        m_jwks = *cached;
        m_jwksExpires = now.addSecs(60);
        callback(m_jwks, {});
        return;
    }
    m_jwksWaiters.append(std::move(callback));
    if (m_jwksWaiters.size() > 1)
        return;
    discovery(this, [this](const OidcDiscovery &d, const UserError &discoveryError) {
        if (discoveryError.isError()) {
            const auto waiters = std::exchange(m_jwksWaiters, {});
            for (const auto &waiter : waiters)
                waiter({}, discoveryError);
            return;
        }
        HttpRequest request;
        request.url = d.jwksUri;
        request.service = kService;
        request.operation = QStringLiteral("jwks");
        request.headers = {{"Accept", "application/json"}};
        HttpJob *job = startJob(std::move(request));
        connect(job, &HttpJob::finished, this, [this, job] {
            UserError error;
            if (job->response().status == 200 && QJsonDocument::fromJson(job->response().body).isObject()) {
                const QDateTime fetched = QDateTime::currentDateTimeUtc();
                const QByteArray cacheControl = job->response().header("Cache-Control");
                m_jwks = job->response().body;
                m_jwksExpires = fetched.addSecs(HttpCacheFile::maxAgeFrom(cacheControl));
                HttpCacheFile(m_cacheDirectory, m_issuer + QStringLiteral("\njwks"))
                    .store(m_jwks, cacheControl, fetched);
            } else
                error = httpError(*job, tr("The sign-in provider's signing keys could not be loaded"));
            const auto waiters = std::exchange(m_jwksWaiters, {});
            for (const auto &waiter : waiters)
                waiter(m_jwks, error);
        });
    });
}

void Auth0Client::postToken(const QList<QPair<QString, QString>> &form, const QString &operation,
                            const QString &summary, TokenCallback callback)
{
    discovery(this, [this, form, operation, summary, callback = std::move(callback)](const OidcDiscovery &d,
                                                                                 const UserError &error) {
        if (error.isError()) {
            callback({}, error);
            return;
        }
        HttpRequest request;
        request.method = QByteArrayLiteral("POST");
        request.url = d.tokenEndpoint;
        request.body = formEncode(form);
        request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
        request.service = kService;
        request.operation = operation;
        request.summary = summary;
        sendToken(std::move(request), 1, std::move(callback));
    });
}

void Auth0Client::sendToken(HttpRequest request, int attempt, TokenCallback callback)
{
    HttpJob *job = startJob(request);
    connect(job, &HttpJob::finished, this, [this, job, request, attempt, callback]() mutable {
        UserError tokenError;
        TokenResponse tokens;
        if (job->response().isTransportFailure() || job->refusal().isError()) {
            tokenError = httpError(*job, tr("The sign-in could not be completed"));
            if (!job->refusal().isError() &&
                !tokenError.action.contains(tr("try again"), Qt::CaseInsensitive))
                tokenError.action = tokenError.action.isEmpty() ? tr("Try again in a moment")
                                                                : tokenError.action + tr("; then try again");
        } else {
            tokens = TokenResponse::parse(job->response().status, job->response().body,
                                          QDateTime::currentDateTimeUtc(), &tokenError);
        }
        // Like AWS calls: a network failure, a 5xx or a garbled answer is tried again (jittered backoff)
        // before anyone is told; none of them says anything about the refresh token.
        if (tokenError.isError() && attempt < m_tokenAttempts && isRetryable(*job, tokenError)) {
            tokens.wipe();
            const int delay = m_retryDelay ? m_retryDelay(attempt) : standardBackoffMs(attempt);
            qCInfo(lcAuth) << request.operation << "attempt" << attempt << "failed (" << tokenError.code
                           << "); retrying in" << delay << "ms";
            QTimer::singleShot(delay, this, [this, request, attempt, callback]() mutable {
                sendToken(std::move(request), attempt + 1, std::move(callback));
            });
            return;
        }
        callback(std::move(tokens), tokenError);
    });
}

bool Auth0Client::isRetryable(const HttpJob &job, const UserError &error)
{
    if (job.refusal().isError() || job.response().aborted || !job.response().sslErrors.isEmpty())
        return false;
    if (job.response().isTransportFailure())
        return true;
    return error.code == errorcode::OidcTokenUnavailable ||
           error.code == errorcode::OidcTokenMalformed;
}

int Auth0Client::standardBackoffMs(int retry)
{
    constexpr qint64 baseMs = 200;
    constexpr qint64 capMs = 5000;
    const qint64 ceiling = qMin(capMs, baseMs << qBound(0, retry - 1, 10));
    return int(ceiling / 2 + QRandomGenerator::global()->bounded(ceiling / 2 + 1));
}

void Auth0Client::exchangeCode(const QString &code, const QString &codeVerifier, const QString &redirectUri,
                               QObject *context, TokenCallback callback)
{
    postToken({{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
               {QStringLiteral("client_id"), m_clientId},
               {QStringLiteral("code"), code},
               {QStringLiteral("code_verifier"), codeVerifier},
               {QStringLiteral("redirect_uri"), redirectUri}},
              QStringLiteral("token"),
              QStringLiteral("authorization_code grant, code %1").arg(redactLength(code)),
              deliveredLater(context, std::move(callback)));
}

void Auth0Client::refresh(const QString &refreshToken, const QString &scope, QObject *context,
                          TokenCallback callback)
{
    QList<QPair<QString, QString>> form = {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                           {QStringLiteral("client_id"), m_clientId},
                                           {QStringLiteral("refresh_token"), refreshToken}};
    if (!scope.isEmpty())
        form.append({QStringLiteral("scope"), scope});
    postToken(form, QStringLiteral("refresh"),
              QStringLiteral("refresh_token grant, refresh token %1").arg(redactLength(refreshToken)),
              deliveredLater(context, std::move(callback)));
}

void Auth0Client::revokeRefreshToken(const QString &refreshToken, QObject *context,
                                     std::function<void(const UserError &)> callback)
{
    callback = deliveredLater(context, std::move(callback));
    HttpRequest request;
    request.method = QByteArrayLiteral("POST");
    // Auth0's fixed path under the issuer: the token goes nowhere but the provider that issued it.
    request.url = QUrl(m_issuer + QStringLiteral("oauth/revoke"));
    request.body = formEncode({{QStringLiteral("client_id"), m_clientId},
                               {QStringLiteral("token"), refreshToken},
                               {QStringLiteral("token_type_hint"), QStringLiteral("refresh_token")}});
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
    request.service = kService;
    request.operation = QStringLiteral("revoke");
    request.summary = QStringLiteral("refresh token %1").arg(redactLength(refreshToken));
    HttpJob *job = startJob(std::move(request));
    connect(job, &HttpJob::finished, this, [job, callback] {
        if (job->response().status == 200 && !job->refusal().isError()) {
            callback({});
            return;
        }
        callback(httpError(*job, tr("The sign-in provider did not confirm that your sign-in was revoked")));
    });
}

QUrl Auth0Client::logoutUrl(const QString &returnTo, bool federated) const
{
    QUrl url(m_issuer + QStringLiteral("v2/logout"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("client_id"), QString::fromLatin1(QUrl::toPercentEncoding(m_clientId)));
    if (!returnTo.isEmpty())
        query.addQueryItem(QStringLiteral("returnTo"), QString::fromLatin1(QUrl::toPercentEncoding(returnTo)));
    if (federated)
        query.addQueryItem(QStringLiteral("federated"), QString());
    url.setQuery(query);
    return url;
}

void Auth0Client::cancelAll()
{
    const auto jobs = std::exchange(m_jobs, {});
    for (const QPointer<HttpJob> &job : jobs)
        if (job)
            job->abort();
}

} // namespace fedsync

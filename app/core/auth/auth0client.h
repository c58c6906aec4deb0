// Talks to one Auth0 tenant (or any OpenID provider shaped like one): discovery (cached), the JWKS
// (cached, refetched on demand), the token endpoint (code exchange and refresh), and the
// /v2/logout URL. Asynchronous: each call takes a context object and a callback, run later on this
// object's thread and only while the context is alive (a caller that goes away with a request in flight
// is never called back). Every request is one trace event, with secrets redacted.
#pragma once

#include "auth/oidcdiscovery.h"
#include "auth/tokenresponse.h"
#include "common/usererror.h"
#include "net/httpjob.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace fedsync {

class HttpJob;
class NetworkContext;
struct HttpRequest;

class Auth0Client final : public QObject
{
    Q_OBJECT
public:
    using DiscoveryCallback = std::function<void(const OidcDiscovery &, const UserError &)>;
    using JwksCallback = std::function<void(const QByteArray &jwksJson, const UserError &)>;
    using TokenCallback = std::function<void(TokenResponse, const UserError &)>;

    // `issuer` is https://<domain>/ (trailing slash included, as Auth0 publishes it).
    Auth0Client(const NetworkContext &context, QString issuer, QString clientId, QObject *parent = nullptr);
    ~Auth0Client() override;

    const QString &issuer() const { return m_issuer; }
    // Where discovery and the JWKS are kept between runs (0600 files, for their HTTP cache lifetime);
    // empty (the default): in memory only, still for their cache lifetime.
    void setCacheDirectory(const QString &directory) { m_cacheDirectory = directory; }
    const QString &clientId() const { return m_clientId; }

    void discovery(QObject *context, DiscoveryCallback callback);
    // The cached key set, or a fresh one when `refetch` (an ID token named an unknown kid: rotation).
    void jwks(bool refetch, QObject *context, JwksCallback callback);
    void exchangeCode(const QString &code, const QString &codeVerifier, const QString &redirectUri,
                      QObject *context, TokenCallback callback);
    void refresh(const QString &refreshToken, const QString &scope, QObject *context, TokenCallback callback);
    // Revokes a refresh token at https://<domain>/oauth/revoke (RFC 7009, as Auth0 serves it). The
    // callback gets no error when the provider confirmed it.
    void revokeRefreshToken(const QString &refreshToken, QObject *context,
                            std::function<void(const UserError &)> callback);
    // Auth0's logout: https://<domain>/v2/logout?client_id=…&returnTo=…[&federated]
    QUrl logoutUrl(const QString &returnTo, bool federated) const;

    // Token requests are tried this many times in all when the network fails, the server answers 5xx
    // or its answer is garbled; `delay(retry)` gives the wait before retry n (default: jittered backoff).
    void setTokenRetryPolicy(int attempts, std::function<int(int retry)> delay = {})
    {
        m_tokenAttempts = qMax(1, attempts);
        m_retryDelay = std::move(delay);
    }
    static int standardBackoffMs(int retry);

    // Aborts every request in flight; their callbacks receive a cancellation error. (Destroying the
    // client aborts them too, without calling anyone back.)
    void cancelAll();

private:
    HttpJob *startJob(HttpRequest request);
    void postToken(const QList<QPair<QString, QString>> &form, const QString &operation, const QString &summary,
                   TokenCallback callback);
    void sendToken(HttpRequest request, int attempt, TokenCallback callback);
    static bool isRetryable(const HttpJob &job, const UserError &error);

    const NetworkContext &m_context;
    QString m_issuer;
    QString m_clientId;
    QString m_cacheDirectory;
    bool m_haveDiscovery = false;
    QDateTime m_discoveryExpires;
    OidcDiscovery m_discovery;
    QDateTime m_jwksExpires;
    QList<DiscoveryCallback> m_discoveryWaiters;
    QByteArray m_jwks;
    QList<JwksCallback> m_jwksWaiters;
    QList<QPointer<HttpJob>> m_jobs;
    int m_tokenAttempts = 3;
    std::function<int(int)> m_retryDelay;
};

} // namespace fedsync

#include "aws/awsclient.h"

#include "aws/awscall.h"
#include "aws/sigv4signer.h"
#include "common/retryquota.h"
#include "net/networkcontext.h"

#include <QJsonDocument>
#include <QRandomGenerator>

namespace fedsync::aws {
namespace {

QByteArray hostHeader(const QUrl &url)
{
    const int port = url.port();
    const bool defaultPort = port < 0 || (url.scheme() == QLatin1String("https") && port == 443) ||
                             (url.scheme() == QLatin1String("http") && port == 80);
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':')) // IPv6 literal
        host = '[' + host + ']';
    return defaultPort ? host : host + ':' + QByteArray::number(port);
}

} // namespace

AwsClient::AwsClient(const NetworkContext &context, QString region, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_region(std::move(region))
    , m_retryQuota(std::make_shared<RetryQuota>())
{}

AwsClient::~AwsClient() = default;

QUrl AwsClient::endpoint(const QString &service) const
{
    const auto it = m_endpoints.constFind(service);
    if (it != m_endpoints.cend())
        return *it;
    const QString suffix = m_region.startsWith(QLatin1String("cn-")) ? QStringLiteral("amazonaws.com.cn")
                                                                     : QStringLiteral("amazonaws.com");
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(QStringLiteral("%1.%2.%3").arg(service, m_region, suffix));
    url.setPath(QStringLiteral("/"));
    return url;
}

void AwsClient::setEndpoint(const QString &service, const QUrl &url)
{
    m_endpoints.insert(service, url);
}

void AwsClient::setRetryQuota(std::shared_ptr<RetryQuota> quota)
{
    m_retryQuota = quota ? std::move(quota) : std::make_shared<RetryQuota>();
}

int AwsClient::retryDelayMs(int retry) const
{
    return m_retryDelay ? m_retryDelay(retry) : standardBackoffMs(retry);
}

int AwsClient::standardBackoffMs(int retry)
{
    constexpr qint64 baseMs = 100;
    constexpr qint64 capMs = 20000;
    const int exponent = qBound(0, retry - 1, 20);
    const qint64 ceiling = qMin(capMs, baseMs << exponent);
    return int(QRandomGenerator::global()->bounded(ceiling + 1));
}

QDateTime AwsClient::localNow() const
{
    return m_clock.now();
}

QDateTime AwsClient::now() const
{
    return localNow().addMSecs(m_clockOffsetMs);
}

void AwsClient::setClockOffsetMs(qint64 offset)
{
    if (offset == m_clockOffsetMs)
        return;
    m_clockOffsetMs = offset;
    Q_EMIT clockOffsetChanged(offset);
}

AwsCall *AwsClient::callJson11(const QString &target, const QString &service, const QString &operation,
                               const QJsonObject &input, const AwsCallOptions &options)
{
    return callJson(QByteArrayLiteral("application/x-amz-json-1.1"), target, service, operation,
                    QJsonDocument(input).toJson(QJsonDocument::Compact), {}, options);
}

AwsCall *AwsClient::callJson(const QByteArray &contentType, const QString &target, const QString &service,
                             const QString &operation, const QByteArray &body, const QByteArray &payloadHash,
                             const AwsCallOptions &options)
{
    AwsRequestSpec spec;
    spec.protocol = AwsProtocol::Json11;
    spec.service = service;
    spec.operation = operation;
    spec.url = endpoint(service);
    spec.headers = {{QByteArrayLiteral("Host"), hostHeader(spec.url)},
                    {QByteArrayLiteral("Content-Type"), contentType},
                    {QByteArrayLiteral("X-Amz-Target"), (target + QLatin1Char('.') + operation).toLatin1()}};
    spec.body = body;
    spec.payloadHash = payloadHash;
    spec.options = options;
    return new AwsCall(this, std::move(spec));
}

AwsCall *AwsClient::callJson10(const QString &target, const QString &service, const QString &operation,
                               const QJsonObject &input, const AwsCallOptions &options)
{
    return callJson10(target, service, operation, QJsonDocument(input).toJson(QJsonDocument::Compact), {},
                      options);
}

AwsCall *AwsClient::callJson10(const QString &target, const QString &service, const QString &operation,
                               const QByteArray &body, const QByteArray &payloadHash,
                               const AwsCallOptions &options)
{
    // The reply and error format are JSON 1.1's; only the declared version differs.
    return callJson(QByteArrayLiteral("application/x-amz-json-1.0"), target, service, operation, body,
                    payloadHash, options);
}

AwsCall *AwsClient::callRestJson(const QString &service, const QString &operation, const QByteArray &method,
                                 const QByteArray &path, const QUrlQuery &query, const QJsonObject &body,
                                 const AwsCallOptions &options)
{
    const bool hasBody = !body.isEmpty() || method == "POST" || method == "PUT";
    return callRestJson(service, operation, method, path, query,
                        hasBody ? QJsonDocument(body).toJson(QJsonDocument::Compact) : QByteArray(), {},
                        options);
}

AwsCall *AwsClient::callRestJson(const QString &service, const QString &operation, const QByteArray &method,
                                 const QByteArray &path, const QUrlQuery &query, const QByteArray &body,
                                 const QByteArray &payloadHash, const AwsCallOptions &options)
{
    AwsRequestSpec spec;
    spec.protocol = AwsProtocol::RestJson;
    spec.service = service;
    spec.operation = operation;
    spec.method = method;
    QUrl url = endpoint(service);
    QByteArray base = url.path(QUrl::FullyEncoded).toLatin1();
    if (base.endsWith('/'))
        base.chop(1);
    url.setPath(QString::fromLatin1(base + path), QUrl::StrictMode);
    if (!query.isEmpty())
        url.setQuery(query);
    spec.url = url;
    spec.headers = {{QByteArrayLiteral("Host"), hostHeader(url)}};
    if (!body.isEmpty() || method == "POST" || method == "PUT") {
        spec.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        spec.body = body;
        spec.payloadHash = payloadHash;
    }
    spec.options = options;
    return new AwsCall(this, std::move(spec));
}

AwsCall *AwsClient::callQuery(const QString &service, const QString &action, const QString &version,
                              const QList<QPair<QString, QByteArray>> &params, const AwsCallOptions &options)
{
    AwsRequestSpec spec;
    spec.protocol = AwsProtocol::Query;
    spec.service = service;
    spec.operation = action;
    spec.url = endpoint(service);
    spec.headers = {{QByteArrayLiteral("Host"), hostHeader(spec.url)},
                    {QByteArrayLiteral("Content-Type"),
                     QByteArrayLiteral("application/x-www-form-urlencoded; charset=utf-8")}};
    QByteArray form = "Action=" + SigV4Signer::uriEncode(action.toUtf8(), false) +
                      "&Version=" + SigV4Signer::uriEncode(version.toUtf8(), false);
    for (const auto &[name, value] : params)
        form +=
            '&' + SigV4Signer::uriEncode(name.toUtf8(), false) + '=' + SigV4Signer::uriEncode(value, false);
    spec.body = form;
    spec.options = options;
    return new AwsCall(this, std::move(spec));
}

} // namespace fedsync::aws

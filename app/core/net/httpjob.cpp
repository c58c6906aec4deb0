#include "net/httpjob.h"

#include "log/logcategories.h"
#include "net/networkcontext.h"
#include "trace/flowtrace.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QSslError>

#include <atomic>

namespace fedsync {
namespace {
std::atomic<quint64> nextRequestId{1};

QString tr(const char *text)
{
    return QCoreApplication::translate("HttpJob", text);
}
} // namespace

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

UserError HttpResponse::transportError(const QUrl &url) const
{
    const QString host = url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
    const QString what = tr("Could not reach %1").arg(host);
    if (timedOut)
        return UserError::make(QStringLiteral("net.timeout"), what, tr("The server did not answer in time"),
                               tr("Check your network connection and try again"));
    if (!sslErrors.isEmpty() || networkError == QNetworkReply::SslHandshakeFailedError)
        return UserError::make(
            QStringLiteral("net.tls"), tr("The secure connection to %1 could not be trusted").arg(host),
            sslErrors.isEmpty() ? networkErrorText : sslErrors.join(QStringLiteral("; ")),
            tr("Check the computer's date and time. If you use a private certificate authority (such as the "
               "sandbox's), set the profile's CA file. Fedsync never connects without a valid certificate"));
    switch (networkError) {
    case QNetworkReply::ConnectionRefusedError:
        return UserError::make(QStringLiteral("net.refused"), what, tr("The connection was refused"),
                               tr("Check that the address in the profile is right and the service is running"));
    case QNetworkReply::HostNotFoundError:
        return UserError::make(QStringLiteral("net.dns"), what, tr("The host name could not be found"),
                               tr("Check the domain in the profile and your network connection"));
    case QNetworkReply::RemoteHostClosedError:
        return UserError::make(QStringLiteral("net.closed"), what, tr("The server closed the connection"),
                               tr("Try again in a moment"));
    case QNetworkReply::OperationCanceledError:
        return UserError::make(QStringLiteral("net.cancelled"), tr("The request to %1 was cancelled").arg(host));
    default:
        return UserError::make(QStringLiteral("net.failed"), what, networkErrorText,
                               tr("Check your network connection and try again"));
    }
}

HttpJob::HttpJob(const NetworkContext &context, HttpRequest request, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_request(std::move(request))
    , m_id(nextRequestId++)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        m_response.timedOut = true;
        if (m_reply)
            m_reply->abort();
    });
}

HttpJob::~HttpJob()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void HttpJob::start()
{
    m_clock.start();
    m_refusal = NetworkContext::checkUrlAllowed(m_request.url);
    if (m_refusal.isError()) {
        m_response.networkErrorText = m_refusal.what;
        QMetaObject::invokeMethod(this, &HttpJob::finish, Qt::QueuedConnection);
        return;
    }
    QNetworkRequest request(m_request.url);
    request.setSslConfiguration(m_context.sslConfiguration());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QStringLiteral("Fedsync/%1").arg(QCoreApplication::applicationVersion()));
    for (const auto &[name, value] : m_request.headers)
        request.setRawHeader(name, value);

    m_reply = m_context.accessManager()->sendCustomRequest(request, m_request.method, m_request.body);
    connect(m_reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        // Recorded for the message; never ignored, so the handshake fails.
        for (const QSslError &error : errors)
            m_response.sslErrors << error.errorString();
    });
    connect(m_reply, &QNetworkReply::finished, this, &HttpJob::onReplyFinished);
    m_timeout.start(m_request.timeoutMs > 0 ? m_request.timeoutMs : m_context.timeoutMs());
}

void HttpJob::abort()
{
    if (m_finished)
        return;
    m_response.aborted = true;
    if (m_reply)
        m_reply->abort();
}

void HttpJob::onReplyFinished()
{
    m_timeout.stop();
    QNetworkReply *reply = m_reply;
    m_response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_response.body = reply->readAll();
    m_response.headers = reply->rawHeaderPairs();
    m_response.networkError = reply->error();
    m_response.networkErrorText = reply->errorString();
    m_response.peerCertificateChain = reply->sslConfiguration().peerCertificateChain();
    reply->deleteLater();
    m_reply.clear();
    finish();
}

TraceEvent HttpJob::traceEventFor(const HttpRequest &request)
{
    TraceEvent event;
    event.service = request.service;
    event.operation = request.operation;
    event.method = QString::fromLatin1(request.method);
    event.url = request.url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
    event.summary = request.summary;
    return event;
}

void HttpJob::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_response.durationMs = m_clock.elapsed();
    if (m_recordTrace && m_context.trace()) {
        TraceEvent event = traceEventFor(m_request);
        event.httpStatus = m_response.status;
        event.durationMs = m_response.durationMs;
        event.ok = m_response.status >= 200 && m_response.status < 300;
        event.requestHeaders = TraceEvent::redactedHeaders(m_request.headers);
        event.responseHeaders = TraceEvent::redactedHeaders(m_response.headers);
        if (m_response.status)
            event.responseBytes = m_response.body.size();
        if (m_refusal.isError())
            event.error = m_refusal.code;
        else if (m_response.isTransportFailure())
            event.error = m_response.transportError(m_request.url).code;
        m_context.trace()->record(event);
    }
    Q_EMIT finished();
}

} // namespace fedsync

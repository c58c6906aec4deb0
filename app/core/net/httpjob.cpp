#include "net/httpjob.h"

#include "log/logcategories.h"
#include "net/lowdelay.h"
#include "net/networkcontext.h"
#include "trace/flowtrace.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QSslError>

#include <algorithm>
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
    const QString host =
        url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
    const QString what = tr("Could not reach %1").arg(host);
    if (tooLarge)
        return UserError::make(
            QStringLiteral("net.too_large"), tr("The answer from %1 was too large").arg(host),
            tr("It was longer than %1 KB, the most Fedsync accepts for this request").arg(limitBytes / 1024),
            tr("Check that the address in the profile points at the right service"));
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
        return UserError::make(
            QStringLiteral("net.refused"), what, tr("The connection was refused"),
            tr("Check that the address in the profile is right and the service is running"));
    case QNetworkReply::HostNotFoundError:
        return UserError::make(QStringLiteral("net.dns"), what, tr("The host name could not be found"),
                               tr("Check the domain in the profile and your network connection"));
    case QNetworkReply::RemoteHostClosedError:
        if (url.scheme() == QLatin1String("http"))
            return UserError::make(QStringLiteral("net.closed"), what,
                                   tr("The server closed the connection without answering plain HTTP"),
                                   tr("If the service speaks only HTTPS, write the address with https:// in "
                                      "the profile; otherwise try again in a moment"));
        return UserError::make(QStringLiteral("net.closed"), what, tr("The server closed the connection"),
                               tr("Try again in a moment"));
    case QNetworkReply::OperationCanceledError:
        return UserError::make(QStringLiteral("net.cancelled"),
                               tr("The request to %1 was cancelled").arg(host));
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
        qCInfo(lcNet) << "request" << m_id << "timed out:" << m_request.service << m_request.operation;
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
    request.setSslConfiguration(m_context.sslConfigurationFor(m_request.url));
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
    m_response.limitBytes =
        m_request.maxResponseBytes > 0 ? m_request.maxResponseBytes : m_context.maxResponseBytes();
    connect(m_reply, &QNetworkReply::metaDataChanged, this, [this] {
        // A declared length over the limit ends the exchange before the body is read.
        bool ok = false;
        const qint64 declared =
            m_reply ? m_reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok) : 0;
        if (ok && declared > m_response.limitBytes)
            refuseTooLarge();
        else if (ok && declared > m_response.body.capacity())
            m_response.body.reserve(declared); // one buffer for the whole body, as long as it says
    });
    // A new connection: Nagle's algorithm off for it (lowdelay.h), once its socket exists and again once its
    // TLS session is up (the first signal may come after the connection was made, on Qt's HTTP thread).
    connect(m_reply, &QNetworkReply::socketStartedConnecting, this,
            [] { lowdelay::applyToOpenConnections(); });
    connect(m_reply, &QNetworkReply::encrypted, this, [] { lowdelay::applyToOpenConnections(); });
    connect(m_reply, &QNetworkReply::readyRead, this, &HttpJob::onReadyRead);
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

void HttpJob::onReadyRead()
{
    if (!m_reply || m_response.tooLarge)
        return;
    // What arrived, read straight into the body, up to one byte past the limit (that byte says "too long").
    // Not QIODevice::read(limit): it allocates a buffer of the limit's size (16 MB) at every call.
    const qint64 room = m_response.limitBytes - m_response.body.size() + 1;
    const qint64 wanted = std::min(m_reply->bytesAvailable(), room);
    if (wanted <= 0)
        return;
    const qsizetype had = m_response.body.size();
    m_response.body.resize(had + wanted);
    const qint64 got = m_reply->read(m_response.body.data() + had, wanted);
    m_response.body.resize(had + std::max<qint64>(got, 0));
    if (m_response.body.size() > m_response.limitBytes)
        refuseTooLarge();
}

void HttpJob::refuseTooLarge()
{
    if (m_response.tooLarge)
        return;
    m_response.tooLarge = true;
    m_response.body.clear();
    m_response.body.squeeze();
    if (m_reply)
        m_reply->abort();
}

void HttpJob::onReplyFinished()
{
    m_timeout.stop();
    QNetworkReply *reply = m_reply;
    // An aborted reply (timeout) is closed: reading it would only print a warning.
    if (!m_response.tooLarge && reply->isOpen()) {
        onReadyRead();
        if (!m_response.tooLarge && reply->bytesAvailable() > 0)
            refuseTooLarge();
    }
    // A refused body is a transport failure, and so is an exchange aborted after its status line came
    // (a cancel or a timeout in the middle of the body): no HTTP answer is handed on, only part of one.
    const bool cutShort = m_response.tooLarge || m_response.aborted || m_response.timedOut;
    m_response.status = cutShort ? 0 : reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
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

#include "fakenetwork.h"

#include <QTimer>

namespace fedsync::test {

QByteArray rawPath(const RecordedRequest &request)
{
    return request.request.url().path(QUrl::FullyEncoded).toLatin1();
}

QUrlQuery sentQuery(const RecordedRequest &request)
{
    return QUrlQuery(request.request.url().query(QUrl::FullyEncoded));
}

FakeResponse FakeResponse::json(int status, const QByteArray &body, int delayMs)
{
    FakeResponse r;
    r.status = status;
    r.body = body;
    r.delayMs = delayMs;
    r.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    return r;
}

FakeResponse FakeResponse::fail(QNetworkReply::NetworkError error, int delayMs)
{
    FakeResponse r;
    r.kind = Kind::Fail;
    r.error = error;
    r.delayMs = delayMs;
    return r;
}

FakeResponse FakeResponse::hang()
{
    FakeResponse r;
    r.kind = Kind::Hang;
    return r;
}

FakeNetworkAccessManager::FakeNetworkAccessManager(QObject *parent)
    : QNetworkAccessManager(parent)
{
}

QNetworkReply *FakeNetworkAccessManager::createRequest(Operation op, const QNetworkRequest &request,
                                                       QIODevice *outgoingData)
{
    RecordedRequest recorded{op, request.attribute(QNetworkRequest::CustomVerbAttribute).toByteArray(), request,
                             outgoingData ? outgoingData->readAll() : QByteArray()};
    if (recorded.verb.isEmpty()) {
        switch (op) {
        case GetOperation: recorded.verb = "GET"; break;
        case PostOperation: recorded.verb = "POST"; break;
        case PutOperation: recorded.verb = "PUT"; break;
        case DeleteOperation: recorded.verb = "DELETE"; break;
        case HeadOperation: recorded.verb = "HEAD"; break;
        default: recorded.verb = "CUSTOM"; break;
        }
    }
    m_requests.append(recorded);
    FakeResponse response;
    if (m_handler)
        response = m_handler(recorded);
    else if (!m_queue.isEmpty())
        response = m_queue.takeFirst();
    else
        response = FakeResponse::fail(QNetworkReply::ConnectionRefusedError);
    return new FakeReply(recorded, std::move(response), this);
}

FakeReply::FakeReply(const RecordedRequest &recorded, FakeResponse response, QObject *parent)
    : QNetworkReply(parent)
    , m_response(std::move(response))
{
    setRequest(recorded.request);
    setUrl(recorded.request.url());
    setOperation(recorded.operation);
    open(QIODevice::ReadOnly);
    if (m_response.kind == FakeResponse::Kind::Hang)
        return;
    QTimer::singleShot(m_response.delayMs, this, &FakeReply::deliver);
}

void FakeReply::deliver()
{
    if (m_done)
        return;
    m_done = true;
    if (m_response.kind == FakeResponse::Kind::Fail) {
        setError(m_response.error, QStringLiteral("Fake network error %1").arg(int(m_response.error)));
        Q_EMIT errorOccurred(m_response.error);
        setFinished(true);
        Q_EMIT finished();
        return;
    }
    setAttribute(QNetworkRequest::HttpStatusCodeAttribute, m_response.status);
    for (const auto &[name, value] : m_response.headers)
        setRawHeader(name, value);
    m_buffer = m_response.body;
    if (m_response.status >= 400) {
        // As QNetworkAccessManager does for HTTP errors: the body is still readable.
        const auto error = m_response.status >= 500 ? QNetworkReply::InternalServerError
                                                    : QNetworkReply::ProtocolInvalidOperationError;
        setError(error, QStringLiteral("HTTP %1").arg(m_response.status));
    }
    Q_EMIT metaDataChanged();
    if (!m_buffer.isEmpty())
        Q_EMIT readyRead();
    if (error() != NoError)
        Q_EMIT errorOccurred(error());
    setFinished(true);
    Q_EMIT finished();
}

void FakeReply::abort()
{
    if (m_done)
        return;
    m_done = true;
    setError(OperationCanceledError, QStringLiteral("Operation canceled"));
    Q_EMIT errorOccurred(OperationCanceledError);
    setFinished(true);
    Q_EMIT finished();
}

qint64 FakeReply::bytesAvailable() const
{
    return m_buffer.size() - m_offset + QIODevice::bytesAvailable();
}

qint64 FakeReply::readData(char *data, qint64 maxSize)
{
    const qint64 n = std::min<qint64>(maxSize, m_buffer.size() - m_offset);
    if (n <= 0)
        return m_done ? -1 : 0;
    std::memcpy(data, m_buffer.constData() + m_offset, size_t(n));
    m_offset += n;
    return n;
}

} // namespace fedsync::test

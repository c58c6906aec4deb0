// One HTTP exchange as a small job object: timeout, abort, a request id, a human error text, and (unless
// the caller records a higher-level event itself, as the AWS client does for retried calls) one trace
// event. Refuses non-https URLs outside loopback before anything is sent. Reply bodies are capped. Never
// follows redirects: the APIs it talks to do not redirect, and an unexpected 30x must not carry a request
// elsewhere.
#pragma once

#include "common/usererror.h"
#include "trace/traceevent.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSslCertificate>
#include <QStringList>
#include <QTimer>
#include <QUrl>

namespace fedsync {

class NetworkContext;

struct HttpRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // For the trace: which service and operation this is, and a redacted summary of what is sent.
    QString service;
    QString operation;
    QString summary;
    int timeoutMs = 0;           // 0: the context's default
    qint64 maxResponseBytes = 0; // 0: the context's default; a longer body ends the job (tooLarge)
};

struct HttpResponse
{
    int status = 0; // 0 when no HTTP answer arrived
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorText;
    QStringList sslErrors;
    // The certificates the server presented, leaf first (empty for plain http or no answer).
    QList<QSslCertificate> peerCertificateChain;
    bool timedOut = false;
    bool aborted = false;
    bool tooLarge = false; // the body went past the request's limit: nothing of it is kept
    qint64 limitBytes = 0;
    qint64 durationMs = 0;

    QByteArray header(const QByteArray &name) const; // case-insensitive
    // True when no HTTP answer came back (connection refused, DNS, TLS, timeout, reset).
    bool isTransportFailure() const { return status == 0; }
    // A person-readable error for a transport failure: what, why, what to do.
    UserError transportError(const QUrl &url) const;
};

class HttpJob final : public QObject
{
    Q_OBJECT
public:
    HttpJob(const NetworkContext &context, HttpRequest request, QObject *parent = nullptr);
    ~HttpJob() override;

    // Sends the request; finished() follows, always exactly once (also after abort() or a refusal).
    void start();
    void abort();

    void setRecordTrace(bool record) { m_recordTrace = record; }
    // The trace event for `request` before the outcome is known: service, operation, method, summary, and
    // the URL without query, fragment or user info (where secrets could be). Callers that record their
    // own event (a retried AWS call) start from this too.
    static TraceEvent traceEventFor(const HttpRequest &request);
    const HttpRequest &request() const { return m_request; }
    const HttpResponse &response() const { return m_response; }
    const UserError &refusal() const { return m_refusal; }
    bool isFinished() const { return m_finished; }
    quint64 requestId() const { return m_id; }

Q_SIGNALS:
    void finished();

private:
    void onReplyFinished();
    void onReadyRead();
    void refuseTooLarge();
    void finish();

    const NetworkContext &m_context;
    HttpRequest m_request;
    HttpResponse m_response;
    UserError m_refusal;
    QPointer<QNetworkReply> m_reply;
    QTimer m_timeout;
    QElapsedTimer m_clock;
    quint64 m_id;
    bool m_recordTrace = true;
    bool m_finished = false;
};

} // namespace fedsync

// One logical AWS call (however many HTTP attempts it takes) as a job object: retries, clock-skew
// correction, abort, and exactly one trace event. Made by AwsClient and started on the next event-loop
// turn, so connect to finished() right away. The caller owns it (it is parented to the client until then;
// deleteLater() it in the finished handler).
#pragma once

#include "aws/awsclient.h"
#include "aws/awserror.h"
#include "net/httpjob.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

namespace fedsync::aws {

struct AwsCredentials;

struct AwsRequestSpec
{
    AwsProtocol protocol = AwsProtocol::Json11;
    QString service;
    QString operation;
    QByteArray method = QByteArrayLiteral("POST");
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray payloadHash; // SHA-256 of body (hex) when computed already; empty: the signer computes it
    AwsCallOptions options;
};

class AwsCall final : public QObject
{
    Q_OBJECT
public:
    AwsCall(AwsClient *client, AwsRequestSpec spec);
    ~AwsCall() override;

    // finished() follows with a cancellation error (unless it already finished).
    void abort();
    // Deletes the call once it finished, and aborts it silently (no finished()) when `context` goes
    // first, before anything could reach the context.
    void bindLifetimeTo(QObject *context);

    bool isFinished() const { return m_finished; }
    bool isOk() const { return m_finished && !m_failure.isError(); }
    const AwsRequestSpec &spec() const { return m_spec; }
    // The successful reply: raw body, or parsed as a JSON object (empty when not JSON).
    QByteArray body() const { return m_response.body; }
    QJsonObject json() const;
    const HttpResponse &response() const { return m_response; }
    const AwsFailure &failure() const { return m_failure; }
    int attempts() const { return m_attempts; }

Q_SIGNALS:
    void finished();

private:
    void startAttempt();
    void send(const AwsCredentials *credentials);
    void onAttemptFinished();
    // Schedules the next attempt if attempts and the client's retry quota allow (a timeout costs more).
    bool retryLater(bool timeout);
    void fail(UserError error, AwsError aws = {});
    void finish();

    QPointer<AwsClient> m_client;
    AwsRequestSpec m_spec;
    QPointer<HttpJob> m_job;
    HttpResponse m_response;
    AwsFailure m_failure;
    QTimer m_retryTimer;
    QElapsedTimer m_clock;
    int m_attempts = 0;
    int m_budget = 0;
    int m_quotaTaken = 0; // drawn from the client's retry quota, given back on success
    bool m_skewCorrected = false;
    bool m_aborted = false;
    bool m_finished = false;
};

} // namespace fedsync::aws

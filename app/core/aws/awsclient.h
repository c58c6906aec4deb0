// The one HTTP client for AWS: builds requests for the three wire protocols Fedsync needs (JSON 1.1 for
// Cognito Identity, REST-JSON for Cognito Sync, Query for STS), signs them with SigV4 when asked, retries
// as the AWS SDKs' "standard" mode does, and corrects a wrong local clock from the service's Date header.
// Every call is an AwsCall job; the client holds what calls share (endpoints, credentials, clock offset).
#pragma once

#include "common/clock.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>

namespace fedsync {
class NetworkContext;
class RetryQuota;
} // namespace fedsync

namespace fedsync::aws {

class AwsCall;
class AwsCredentialsSource;

struct AwsCallOptions
{
    bool sign = false; // SigV4 with the client's credentials source
    QString summary;   // for the trace: already redacted
    int timeoutMs = 0; // 0: the network context's default
};

class AwsClient final : public QObject
{
    Q_OBJECT
public:
    AwsClient(const NetworkContext &context, QString region, QObject *parent = nullptr);
    ~AwsClient() override;

    const NetworkContext &networkContext() const { return m_context; }
    QString region() const { return m_region; }

    // https://<service>.<region>.amazonaws.com unless overridden (the sandbox, a VPC endpoint).
    QUrl endpoint(const QString &service) const;
    void setEndpoint(const QString &service, const QUrl &url);

    // Not owned; must outlive the client. Needed only for signed calls.
    void setCredentialsSource(AwsCredentialsSource *source) { m_credentials = source; }
    AwsCredentialsSource *credentialsSource() const { return m_credentials; }

    // Retry policy: attempts in all (first one included), and the wait before retry n (1-based).
    int maxAttempts() const { return m_maxAttempts; }
    void setMaxAttempts(int attempts) { m_maxAttempts = qMax(1, attempts); }
    void setRetryDelay(std::function<int(int retry)> delayMs) { m_retryDelay = std::move(delayMs); }
    int retryDelayMs(int retry) const;
    // Exponential backoff with full jitter: random in [0, min(20 s, 100 ms * 2^(retry-1))].
    static int standardBackoffMs(int retry);
    // The retry budget every call of this client draws from (RetryQuota's standard-mode bucket). Can be
    // shared with other clients or with the sync engine so that one sync has one budget.
    const std::shared_ptr<RetryQuota> &retryQuota() const { return m_retryQuota; }
    void setRetryQuota(std::shared_ptr<RetryQuota> quota);

    // The time used for signing: the local clock plus the offset learnt from a clock-skew error.
    QDateTime now() const;
    QDateTime localNow() const;
    void setClock(Clock clock) { m_clock = std::move(clock); }
    qint64 clockOffsetMs() const { return m_clockOffsetMs; }
    void setClockOffsetMs(qint64 offset);

    // JSON 1.1: POST / with X-Amz-Target: <target>.<operation>.
    AwsCall *callJson11(const QString &target, const QString &service, const QString &operation,
                        const QJsonObject &input, const AwsCallOptions &options = {});
    // JSON 1.0 (DynamoDB): the same as JSON 1.1 with Content-Type application/x-amz-json-1.0.
    AwsCall *callJson10(const QString &target, const QString &service, const QString &operation,
                        const QJsonObject &input, const AwsCallOptions &options = {});
    // The same with the input's JSON already serialized (`body`) and, optionally, its SHA-256 in hex
    // (`payloadHash`): both can be made off the UI thread for a large body.
    AwsCall *callJson10(const QString &target, const QString &service, const QString &operation,
                        const QByteArray &body, const QByteArray &payloadHash,
                        const AwsCallOptions &options = {});
    // REST-JSON: `path` is already percent-encoded (an identity id's ':' as %3A); body may be empty.
    AwsCall *callRestJson(const QString &service, const QString &operation, const QByteArray &method,
                          const QByteArray &path, const QUrlQuery &query, const QJsonObject &body,
                          const AwsCallOptions &options = {});
    // The same with the body's JSON already serialized (`body`) and, optionally, its SHA-256 in hex
    // (`payloadHash`): both can be made off the UI thread for a large body.
    AwsCall *callRestJson(const QString &service, const QString &operation, const QByteArray &method,
                          const QByteArray &path, const QUrlQuery &query, const QByteArray &body,
                          const QByteArray &payloadHash, const AwsCallOptions &options = {});
    // Query: POST / with a form body Action=<action>&Version=<version>&<params>; XML reply.
    AwsCall *callQuery(const QString &service, const QString &action, const QString &version,
                       const QList<QPair<QString, QByteArray>> &params, const AwsCallOptions &options = {});

Q_SIGNALS:
    void clockOffsetChanged(qint64 offsetMs);

private:
    AwsCall *callJson(const QByteArray &contentType, const QString &target, const QString &service,
                      const QString &operation, const QByteArray &body, const QByteArray &payloadHash,
                      const AwsCallOptions &options);

    const NetworkContext &m_context;
    QString m_region;
    QHash<QString, QUrl> m_endpoints;
    AwsCredentialsSource *m_credentials = nullptr;
    int m_maxAttempts = 3;
    std::shared_ptr<RetryQuota> m_retryQuota;
    std::function<int(int)> m_retryDelay;
    Clock m_clock;
    qint64 m_clockOffsetMs = 0;
};

} // namespace fedsync::aws

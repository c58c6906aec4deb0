#include "aws/awscall.h"

#include "aws/awscredentials.h"
#include "aws/awscredentialssource.h"
#include "aws/sigv4signer.h"
#include "common/retryquota.h"
#include "log/logcategories.h"
#include "log/redact.h"
#include "net/networkcontext.h"
#include "trace/flowtrace.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace fedsync::aws {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("AwsCall", text);
}

// A skew larger than this behind a signature error means the local clock is the problem.
constexpr qint64 skewThresholdMs = 4 * 60 * 1000;

bool isRetryableTransport(const HttpResponse &response)
{
    if (response.aborted || response.tooLarge || !response.sslErrors.isEmpty())
        return false;
    if (response.timedOut)
        return true;
    switch (response.networkError) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
        return true;
    default:
        return false;
    }
}

UserError userErrorFor(const AwsRequestSpec &spec, const AwsError &aws, int attempts)
{
    QString action;
    if (aws.isThrottling())
        action = tr("AWS is limiting the request rate; wait a minute and try again");
    else if (aws.httpStatus >= 500)
        action = tr("The service has a problem; try again later");
    QString details = QStringLiteral("%1 %2: HTTP %3, %4 attempt(s)")
                          .arg(spec.service, spec.operation)
                          .arg(aws.httpStatus)
                          .arg(attempts);
    if (!aws.requestId.isEmpty())
        details += QStringLiteral(", request id ") + aws.requestId;
    QString why = aws.type;
    if (!aws.message.isEmpty())
        why += QStringLiteral(": ") + scrubSecrets(aws.message);
    return UserError::make(QStringLiteral("aws.") + aws.type,
                           tr("%1 refused %2").arg(spec.service, spec.operation), why, action, details);
}

} // namespace

AwsCall::AwsCall(AwsClient *client, AwsRequestSpec spec)
    : QObject(client)
    , m_client(client)
    , m_spec(std::move(spec))
    , m_budget(client->maxAttempts())
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &AwsCall::startAttempt);
    m_clock.start();
    QMetaObject::invokeMethod(this, &AwsCall::startAttempt, Qt::QueuedConnection);
}

AwsCall::~AwsCall()
{
    if (m_job) {
        m_job->disconnect(this);
        delete m_job;
    }
}

QJsonObject AwsCall::json() const
{
    return QJsonDocument::fromJson(m_response.body).object();
}

void AwsCall::bindLifetimeTo(QObject *context)
{
    connect(this, &AwsCall::finished, this, &QObject::deleteLater);
    connect(context, &QObject::destroyed, this, [this] {
        disconnect();
        abort();
        deleteLater();
    });
}

void AwsCall::abort()
{
    if (m_finished || m_aborted)
        return;
    m_aborted = true;
    m_retryTimer.stop();
    if (m_job && !m_job->isFinished()) {
        m_job->abort(); // onAttemptFinished() reports the cancellation
        return;
    }
    fail(UserError::make(QStringLiteral("aws.cancelled"), tr("%1 was cancelled").arg(m_spec.operation)));
}

void AwsCall::startAttempt()
{
    if (m_finished || m_aborted || !m_client)
        return;
    ++m_attempts;
    if (!m_spec.options.sign) {
        send(nullptr);
        return;
    }
    AwsCredentialsSource *source = m_client->credentialsSource();
    if (!source) {
        fail(UserError::make(QStringLiteral("aws.credentials.missing"),
                             tr("%1 needs AWS credentials and none are available").arg(m_spec.operation), {},
                             tr("Sign in first")));
        return;
    }
    QPointer<AwsCall> self(this);
    source->requestCredentials([self](const AwsCredentials &credentials, const UserError &error) {
        if (!self || self->m_finished)
            return;
        if (self->m_aborted) {
            self->fail(UserError::make(QStringLiteral("aws.cancelled"),
                                       tr("%1 was cancelled").arg(self->m_spec.operation)));
            return;
        }
        if (error.isError() || !credentials.isValid()) {
            self->fail(error.isError() ? error
                                       : UserError::make(QStringLiteral("aws.credentials.missing"),
                                                         tr("No AWS credentials are available")));
            return;
        }
        self->send(&credentials);
    });
}

void AwsCall::send(const AwsCredentials *credentials)
{
    HttpRequest request;
    request.method = m_spec.method;
    request.url = m_spec.url;
    request.headers = m_spec.headers;
    request.body = m_spec.body;
    request.service = m_spec.service;
    request.operation = m_spec.operation;
    request.summary = m_spec.options.summary;
    request.timeoutMs = m_spec.options.timeoutMs;
    if (credentials) {
        SigV4Options options;
        options.region = m_client->region();
        options.service = m_spec.service;
        const SigV4Signer signer(
            {credentials->accessKeyId.toLatin1(), credentials->secretAccessKey, credentials->sessionToken},
            options);
        const SigV4Request toSign{m_spec.method, m_spec.url.path(QUrl::FullyEncoded).toLatin1(),
                                  m_spec.url.query(QUrl::FullyEncoded).toLatin1(), m_spec.headers,
                                  m_spec.body};
        request.headers += signer.signHeaders(toSign, m_client->now(), m_spec.payloadHash).headersToAdd;
    }
    m_job = new HttpJob(m_client->networkContext(), std::move(request), this);
    m_job->setRecordTrace(false);
    connect(m_job, &HttpJob::finished, this, &AwsCall::onAttemptFinished);
    m_job->start();
}

void AwsCall::onAttemptFinished()
{
    HttpJob *job = m_job;
    m_job.clear();
    if (!job)
        return;
    job->deleteLater();
    m_response = job->response();
    if (m_aborted || m_response.aborted) {
        fail(UserError::make(QStringLiteral("aws.cancelled"), tr("%1 was cancelled").arg(m_spec.operation)));
        return;
    }
    if (job->refusal().isError()) {
        fail(job->refusal());
        return;
    }
    if (m_response.isTransportFailure()) {
        const UserError error = m_response.transportError(m_spec.url);
        qCInfo(lcAws) << m_spec.operation << "attempt" << m_attempts << "failed:" << error.code;
        if (isRetryableTransport(m_response) && retryLater(m_response.timedOut))
            return;
        fail(error);
        return;
    }
    if (m_response.status >= 200 && m_response.status < 300) {
        finish();
        return;
    }
    const AwsError aws =
        AwsError::parse(m_spec.protocol, m_response.status, m_response.headers, m_response.body);
    qCInfo(lcAws) << m_spec.operation << "attempt" << m_attempts << "failed: HTTP" << aws.httpStatus
                  << aws.type;

    if (m_spec.options.sign && !m_skewCorrected && aws.serverDate.isValid() && m_client) {
        const qint64 offset = m_client->localNow().msecsTo(aws.serverDate);
        const bool farOff = qAbs(offset - m_client->clockOffsetMs()) > skewThresholdMs;
        if (aws.isClockSkew() || (aws.isPossiblyClockSkew() && farOff)) {
            m_skewCorrected = true;
            ++m_budget; // the corrected retry does not use up a regular one
            qCWarning(lcAws) << "Local clock is off by" << offset / 1000
                             << "s; signing with the service's time";
            m_client->setClockOffsetMs(offset);
            startAttempt();
            return;
        }
    }
    if (aws.isRetryable() && retryLater(false))
        return;
    fail(userErrorFor(m_spec, aws, m_attempts), aws);
}

bool AwsCall::retryLater(bool timeout)
{
    if (m_attempts >= m_budget || !m_client)
        return false;
    const int cost = m_client->retryQuota()->acquire(timeout);
    if (cost == 0) {
        qCInfo(lcAws) << "Not retrying" << m_spec.operation << ": the retry quota is used up";
        return false;
    }
    m_quotaTaken += cost;
    const int delay = m_client->retryDelayMs(m_attempts);
    qCDebug(lcAws) << "Retrying" << m_spec.operation << "in" << delay << "ms";
    m_retryTimer.start(qMax(0, delay));
    return true;
}

void AwsCall::fail(UserError error, AwsError aws)
{
    m_failure.error = std::move(error);
    m_failure.aws = std::move(aws);
    finish();
}

void AwsCall::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_retryTimer.stop();
    m_failure.attempts = m_attempts;
    if (!m_failure.isError() && m_client)
        m_client->retryQuota()->release(m_quotaTaken);
    if (m_client && m_client->networkContext().trace()) {
        HttpRequest request;
        request.method = m_spec.method;
        request.url = m_spec.url;
        request.service = m_spec.service;
        request.operation = m_spec.operation;
        request.summary = m_spec.options.summary;
        TraceEvent event = HttpJob::traceEventFor(request);
        event.httpStatus = m_response.status;
        event.attempts = qMax(1, m_attempts);
        event.durationMs = m_clock.elapsed();
        event.ok = !m_failure.isError();
        event.requestHeaders = TraceEvent::redactedHeaders(m_spec.headers);
        event.responseHeaders = TraceEvent::redactedHeaders(m_response.headers);
        if (m_response.status)
            event.responseBytes = m_response.body.size();
        if (m_failure.aws.isError())
            event.error = m_failure.aws.type;
        else if (m_failure.isError())
            event.error = m_failure.error.code;
        m_client->networkContext().trace()->record(event);
    }
    Q_EMIT finished();
}

} // namespace fedsync::aws

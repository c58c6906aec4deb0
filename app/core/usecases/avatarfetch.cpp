#include "usecases/avatarfetch.h"

#include "net/httpjob.h"
#include "net/networkcontext.h"

namespace fedsync {

AvatarFetch::AvatarFetch(const NetworkContext &network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{}

AvatarFetch::~AvatarFetch()
{
    // Nothing is emitted from a destructor: the owner may be half destroyed (its widgets gone).
    if (m_job) {
        m_job->disconnect(this);
        m_job->abort();
    }
}

void AvatarFetch::fetch(const QUrl &url)
{
    if (m_job) {
        HttpJob *old = m_job;
        m_job = nullptr;
        old->disconnect(this);
        old->abort();
    }
    HttpRequest request;
    request.url = url;
    request.service = QStringLiteral("picture");
    request.operation = QStringLiteral("avatar");
    request.timeoutMs = TimeoutMs;
    request.maxResponseBytes = MaxBytes;
    auto *job = new HttpJob(m_network, request, this);
    job->setRecordTrace(false);
    m_job = job;
    connect(job, &HttpJob::finished, this, [this, job] {
        job->deleteLater();
        if (m_job == job)
            m_job = nullptr;
        const HttpResponse &response = job->response();
        if (job->refusal().isError()) {
            Q_EMIT failed(job->refusal());
        } else if (response.isTransportFailure()) {
            Q_EMIT failed(response.transportError(job->request().url)); // also: longer than MaxBytes
        } else if (response.status != 200 || response.body.isEmpty()) {
            Q_EMIT failed(UserError::make(QStringLiteral("avatar.http"),
                                          tr("The profile picture could not be fetched"),
                                          tr("The server answered HTTP %1").arg(response.status)));
        } else {
            Q_EMIT fetched(response.body);
        }
    });
    job->start();
}

} // namespace fedsync

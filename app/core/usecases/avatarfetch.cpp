#include "usecases/avatarfetch.h"

#include "auth/httpcachefile.h"
#include "net/httpjob.h"
#include "net/networkcontext.h"

#include <QDateTime>
#include <QPointer>

namespace fedsync {

namespace {

HttpCacheFile cacheFileFor(const QString &directory, const QUrl &url)
{
    return HttpCacheFile(directory, QStringLiteral("picture\n") + url.toString(QUrl::FullyEncoded));
}

} // namespace

AvatarFetch::AvatarFetch(const NetworkContext &network, QString cacheDirectory, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_cacheDirectory(std::move(cacheDirectory))
{}

AvatarFetch::~AvatarFetch()
{
    // Nothing is emitted from a destructor: the owner may be half destroyed (its widgets gone). A read
    // from the disk still running is waited for by m_disk and its result dropped.
    cancel();
}

void AvatarFetch::cancel()
{
    ++m_generation; // a picture read from the disk and not yet delivered is dropped
    if (m_job) {
        HttpJob *old = m_job;
        m_job = nullptr;
        old->disconnect(this);
        old->abort();
    }
}

void AvatarFetch::fetch(const QUrl &url)
{
    cancel();
    const quint64 generation = m_generation;
    if (m_cacheDirectory.isEmpty()) {
        startRequest(url);
        return;
    }
    // The kept copy (up to MaxBytes, base64 in JSON) is read on a worker: never on the window's thread.
    m_disk.run(
        this,
        [file = cacheFileFor(m_cacheDirectory, url)] {
            return file.load(QDateTime::currentDateTimeUtc()).value_or(QByteArray());
        },
        [this, generation, url](const QByteArray &kept) {
            if (generation != m_generation)
                return; // cancelled, or another fetch() since
            if (kept.isEmpty())
                startRequest(url);
            else
                deliver(kept, generation);
        });
}

void AvatarFetch::deliver(const QByteArray &image, quint64 generation)
{
    const QPointer<AvatarFetch> alive(this);
    Q_EMIT fetched(image);
    if (!alive || !m_prepare || generation != m_generation)
        return; // a slot of fetched() deleted this, cancelled or fetched again; or no preparer
    // A large picture on the worker; a small one (a provider's usual picture, a few kB) at once: the hop
    // would cost more than the decoding, and the worker thread would keep font and image caches of its
    // own (0.6 MiB of a signed-in window two seconds after its first sync, docs/PERFORMANCE.md).
    m_disk.runIfLarge(
        this, image.size(), [prepare = m_prepare, image] { return prepare(image); },
        [this, generation](const QVariant &picture) {
            if (generation == m_generation)
                Q_EMIT prepared(picture);
        });
}

void AvatarFetch::startRequest(const QUrl &url)
{
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
            cacheFileFor(m_cacheDirectory, job->request().url)
                .store(response.body, response.header("Cache-Control"), QDateTime::currentDateTimeUtc());
            deliver(response.body, m_generation);
        }
    });
    job->start();
}

} // namespace fedsync

#include "sync/syncengine.h"

#include "log/logcategories.h"

namespace fedsync {

SyncEngine::SyncEngine(LocalStore &store, SyncRemote &remote, QString deviceId, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_remote(remote)
    , m_writer(store)
    , m_deviceId(std::move(deviceId))
{
    qRegisterMetaType<SyncReport>();
    qRegisterMetaType<SyncConflict>();
    qRegisterMetaType<QList<SyncConflict>>();
    qRegisterMetaType<SyncPhase>();
    qRegisterMetaType<UserError>();
    m_retry.quota = std::make_shared<RetryQuota>();
}

void SyncEngine::setRetryPolicy(const SyncRetryPolicy &policy)
{
    std::shared_ptr<RetryQuota> quota = m_retry.quota;
    m_retry = policy;
    if (!m_retry.quota)
        m_retry.quota = std::move(quota);
}

SyncEngine::~SyncEngine()
{
    if (m_listCall)
        m_listCall->cancel();
    for (Run &run : m_runs) {
        if (run.job) {
            run.job->disconnect(this);
            delete run.job;
        }
    }
}

bool SyncEngine::isWaitingForResolution(const QString &dataset) const
{
    const auto run = m_runs.constFind(dataset);
    return run != m_runs.cend() && run->job && run->job->isWaitingForResolution();
}

void SyncEngine::synchronize(const QString &dataset, ConflictPolicy policy)
{
    const auto run = m_runs.find(dataset);
    if (run != m_runs.end()) {
        run->again = true;
        run->againPolicy = policy;
        return;
    }
    startRun(dataset, policy);
}

void SyncEngine::startRun(const QString &dataset, ConflictPolicy policy)
{
    auto *job = new DatasetSync(m_store, m_writer, m_remote, m_deviceId, dataset, policy, m_retry, this);
    m_runs.insert(dataset, Run{job, false, policy});
    connect(job, &DatasetSync::progress, this, [this, dataset](SyncPhase phase, int done, int total) {
        Q_EMIT progress(dataset, phase, done, total);
    });
    connect(job, &DatasetSync::conflictsFound, this, [this, dataset](const QList<SyncConflict> &conflicts) {
        Q_EMIT conflictsFound(dataset, conflicts);
    });
    connect(job, &DatasetSync::deletedRemotely, this,
            [this, dataset](bool kept) { Q_EMIT datasetDeletedRemotely(dataset, kept); });
    connect(job, &DatasetSync::datasetsMerged, this,
            [this, dataset](const QStringList &names) { Q_EMIT datasetsMerged(dataset, names); });
    connect(job, &DatasetSync::finished, this, [this, dataset](const SyncReport &report) {
        // What the next synchronizeAll compares ListDatasets with: the state after this run's own
        // push, or the listed one if this run changed nothing remotely and left nothing behind;
        // otherwise nothing (the next synchronizeAll looks again).
        const auto listed = m_remoteStates.constFind(dataset);
        if (!report.remoteState.isEmpty()) {
            m_store.setRemoteState(dataset, report.remoteState);
        } else if (listed != m_remoteStates.cend()) {
            const bool caughtUp = report.pushed == 0 && report.unresolved == 0 && report.heldBack.isEmpty() &&
                                  !report.deletedRemotely && !report.deletedLocally;
            m_store.setRemoteState(dataset, caughtUp ? *listed : QString());
        }
        m_remoteStates.remove(dataset);
        Q_EMIT finished(dataset, report);
        runEnded(dataset, true);
    });
    connect(job, &DatasetSync::remoteUnavailable, this, [this, dataset](const UserError &error) {
        Q_EMIT remoteUnavailable(dataset, error);
        if (m_allRunning && !m_allStopping)
            QMetaObject::invokeMethod(this, &SyncEngine::stopAll, Qt::QueuedConnection);
    });
    connect(job, &DatasetSync::failed, this, [this, dataset](const UserError &error) {
        Q_EMIT failed(dataset, error);
        runEnded(dataset, false);
    });
    connect(job, &DatasetSync::cancelled, this, [this, dataset]() {
        Q_EMIT cancelled(dataset);
        runEnded(dataset, false);
    });
    Q_EMIT started(dataset);
    job->start();
}

void SyncEngine::runEnded(const QString &dataset, bool ok)
{
    const auto run = m_runs.find(dataset);
    if (run == m_runs.end())
        return;
    if (run->job)
        run->job->deleteLater();
    const bool again = run->again;
    const ConflictPolicy policy = run->againPolicy;
    m_runs.erase(run);
    if (again) {
        startRun(dataset, policy);
        return;
    }
    allStep(dataset, ok);
}

void SyncEngine::resolveConflicts(const QString &dataset, const QList<ConflictResolution> &resolutions)
{
    const auto run = m_runs.constFind(dataset);
    if (run != m_runs.cend() && run->job)
        run->job->resolve(resolutions);
}

void SyncEngine::cancel(const QString &dataset)
{
    const auto run = m_runs.find(dataset);
    if (run == m_runs.end())
        return;
    run->again = false;
    if (run->job)
        run->job->cancel(); // emits cancelled, which ends the run
}

void SyncEngine::cancelAll()
{
    if (m_listCall) {
        m_listCall->cancel();
        m_listCall.reset();
        if (m_allRunning && m_allPending.isEmpty()) {
            m_allRunning = false;
            Q_EMIT allFinished(m_allSucceeded, m_allFailed + 1);
        }
    }
    const QStringList datasets = m_runs.keys();
    for (const QString &dataset : datasets)
        cancel(dataset);
}

void SyncEngine::synchronizeAll(ConflictPolicy policy)
{
    if (m_allRunning)
        return;
    m_allRunning = true;
    m_allStopping = false;
    m_allSucceeded = 0;
    m_allFailed = 0;
    m_allPending.clear();
    m_remoteStates.clear();
    m_listCall =
        m_remote.listDatasets(this, [this, policy](const RemoteResult<QList<RemoteDataset>> &result) {
            m_listCall.reset();
            QStringList names;
            if (result.ok()) {
                for (const RemoteDataset &dataset : result.value) {
                    names << dataset.name;
                    m_remoteStates.insert(dataset.name, dataset.state());
                }
            } else {
                ++m_allFailed;
                if (result.error->isTransient()) {
                    // Offline or busy: every dataset would meet the same; nothing is lost locally.
                    Q_EMIT remoteUnavailable(QString(), result.error->error);
                    Q_EMIT failed(QString(), result.error->error);
                    m_allRunning = false;
                    Q_EMIT allFinished(m_allSucceeded, m_allFailed);
                    return;
                }
                // Still synchronize what this device has; the failure is reported and counted.
                Q_EMIT failed(QString(), result.error->error);
            }
            const auto local = m_store.listDatasets();
            QStringList skipped;
            if (!local.ok()) {
                ++m_allFailed;
                Q_EMIT failed(QString(), local.error);
            } else {
                for (const LocalDataset &dataset : local.value) {
                    names << dataset.name;
                    const auto listed = m_remoteStates.constFind(dataset.name);
                    if (listed != m_remoteStates.cend() && unchangedSinceLastSync(dataset, *listed))
                        skipped << dataset.name;
                }
            }
            names.removeDuplicates();
            for (const QString &name : std::as_const(skipped)) {
                names.removeAll(name);
                m_remoteStates.remove(name);
            }
            m_allPending = QSet<QString>(names.cbegin(), names.cend());
            for (const QString &name : std::as_const(skipped)) {
                ++m_allSucceeded;
                SyncReport report;
                report.dataset = name;
                report.skipped = true;
                Q_EMIT finished(name, report);
            }
            if (m_allPending.isEmpty()) {
                m_allRunning = false;
                Q_EMIT allFinished(m_allSucceeded, m_allFailed);
                return;
            }
            for (const QString &name : std::as_const(names))
                synchronize(name, policy);
        });
}

bool SyncEngine::unchangedSinceLastSync(const LocalDataset &local, const QString &remoteState) const
{
    if (remoteState.isEmpty() || local.remoteState != remoteState || local.isPendingDelete())
        return false;
    const StoreResult<bool> dirty = m_store.hasDirtyRecords(local.name);
    return dirty.ok() && !dirty.value;
}

void SyncEngine::stopAll()
{
    if (!m_allRunning || m_allStopping)
        return;
    m_allStopping = true;
    const QStringList pending(m_allPending.cbegin(), m_allPending.cend());
    qCInfo(lcSync) << "the remote is unavailable: stopping the sync of" << pending.size()
                   << "more dataset(s)";
    for (const QString &dataset : pending)
        cancel(dataset);
}

void SyncEngine::allStep(const QString &dataset, bool ok)
{
    if (!m_allRunning || !m_allPending.remove(dataset))
        return;
    ++(ok ? m_allSucceeded : m_allFailed);
    if (m_allPending.isEmpty() && !m_listCall) {
        m_allRunning = false;
        Q_EMIT allFinished(m_allSucceeded, m_allFailed);
    }
}

} // namespace fedsync

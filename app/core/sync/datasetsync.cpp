#include "sync/datasetsync.h"

#include "log/logcategories.h"
#include "sync/pullmerge.h"

#include <QSet>

#include <algorithm>
#include <utility>

namespace fedsync {

DatasetSync::DatasetSync(LocalStore &store, BackgroundStoreWriter &writer, SyncRemote &remote,
                         QString deviceId, QString dataset, ConflictPolicy policy, SyncRetryPolicy retry,
                         QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_writer(writer)
    , m_remote(remote)
    , m_deviceId(std::move(deviceId))
    , m_dataset(std::move(dataset))
    , m_policy(policy)
    , m_retry(retry)
{
    m_report.dataset = m_dataset;
    m_backoff.setSingleShot(true);
}

DatasetSync::~DatasetSync()
{
    if (m_call)
        m_call->cancel();
}

void DatasetSync::start()
{
    const auto local = m_store.dataset(m_dataset);
    if (!local.ok())
        return fail(local.error);
    if (local.value && local.value->isPendingDelete())
        return deleteRemote();
    pull();
}

void DatasetSync::cancel()
{
    if (m_done)
        return;
    m_done = true;
    if (m_call)
        m_call->cancel();
    m_call.reset();
    m_backoff.stop();
    qCInfo(lcSync) << "sync cancelled" << m_dataset;
    Q_EMIT cancelled();
}

template<typename T>
bool DatasetSync::settle(const RemoteResult<T> &result, const std::function<void()> &again)
{
    m_call.reset();
    if (m_done)
        return false;
    if (result.ok()) {
        m_transientRetries = 0;
        if (m_retry.quota && m_quotaTaken > 0)
            m_retry.quota->release(m_quotaTaken);
        m_quotaTaken = 0;
        return true;
    }
    const RemoteError &error = *result.error;
    // A busy service that the remote already retried with backoff is not asked again: each dataset
    // doing so would multiply the requests (SyncEngine then stops the rest of the sync).
    const bool busy = error.kind == RemoteErrorKind::Throttled && error.retried;
    if (error.isTransient() && !busy && m_transientRetries < m_retry.maxTransientRetries) {
        const int cost = m_retry.quota ? m_retry.quota->acquire(error.kind == RemoteErrorKind::Network)
                                       : RetryQuota::RetryCost;
        if (cost > 0) {
            m_quotaTaken += cost;
            retryLater(error, again);
            return false;
        }
        qCInfo(lcSync) << "sync of" << m_dataset << "stops retrying: the retry budget is used up";
    }
    if (!error.isTransient()) {
        fail(error.error);
        return false;
    }
    Q_EMIT remoteUnavailable(error.error);
    fail(error.error);
    return false;
}

// The push's answers are settled in datasetsyncpush.cpp.
template bool DatasetSync::settle(const RemoteResult<QList<SyncRecord>> &result,
                                  const std::function<void()> &again);
template bool DatasetSync::settle(const RemoteResult<bool> &result, const std::function<void()> &again);

void DatasetSync::retryLater(const RemoteError &error, std::function<void()> again)
{
    const int delay =
        std::min(m_retry.maxBackoffMs, m_retry.initialBackoffMs * (1 << std::min(m_transientRetries, 16)));
    ++m_transientRetries;
    qCInfo(lcSync) << "sync of" << m_dataset << "retries in" << delay << "ms after" << error.error.code;
    m_backoff.disconnect(this);
    connect(&m_backoff, &QTimer::timeout, this, std::move(again));
    m_backoff.start(delay);
}

void DatasetSync::deleteRemote()
{
    Q_EMIT progress(SyncPhase::DeletingRemote, 0, 1);
    if (m_done)
        return; // cancelled from a slot
    ++m_report.requests;
    m_call = m_remote.deleteDataset(m_dataset, this, [this](const RemoteResult<bool> &result) {
        if (m_done)
            return;
        if (!result.ok() && result.error->kind == RemoteErrorKind::NotFound) {
            m_call.reset(); // already gone: that is what was asked
        } else if (!settle(result, [this]() { deleteRemote(); })) {
            return;
        }
        inStore([dataset = m_dataset](LocalStore &store) { return store.purgeDataset(dataset); },
                [this](const UserError &error) {
                    if (error.isError())
                        return fail(error);
                    m_report.deletedLocally = true;
                    Q_EMIT progress(SyncPhase::DeletingRemote, 1, 1);
                    succeed();
                });
    });
}

void DatasetSync::pull()
{
    ++m_attempts;
    const auto local = m_store.dataset(m_dataset);
    if (!local.ok())
        return fail(local.error);
    m_baseSyncCount = local.value ? std::max<qint64>(local.value->lastSyncCount, 0) : 0;
    m_pageToken.clear();
    m_pulled = ListRecordsReply();
    m_prefetchedDirty.reset();
    m_pullAgain = false;
    m_prefetching = true;
    m_afterPullWaits = false;
    inStore([dataset = m_dataset](LocalStore &store) { return store.dirtyRecords(dataset); },
            [this, round = ++m_prefetchRound](const StoreResult<QList<LocalRecord>> &dirty) {
                if (round != m_prefetchRound)
                    return;
                m_prefetching = false;
                if (dirty.ok()) // a failure is met again on the usual path
                    m_prefetchedDirty = dirty.value;
                if (std::exchange(m_afterPullWaits, false) && !m_done)
                    afterPull();
            });
    requestPage();
}

void DatasetSync::requestPage()
{
    Q_EMIT progress(SyncPhase::Pulling, int(m_pulled.records.size()), 0);
    if (m_done)
        return; // cancelled from a slot
    ++m_report.requests;
    m_call = m_remote.listRecords(ListRecordsRequest{m_dataset, m_baseSyncCount, m_pageToken, 1024}, this,
                                  [this](const RemoteResult<ListRecordsReply> &result) {
                                      if (!settle(result, [this]() { requestPage(); }))
                                          return;
                                      const ListRecordsReply &page = result.value;
                                      QList<SyncRecord> records = m_pulled.records + page.records;
                                      m_pulled = page;
                                      m_pulled.records = records;
                                      m_pageToken = page.nextToken;
                                      if (!m_pageToken.isEmpty())
                                          return requestPage();
                                      afterPull();
                                  });
}

void DatasetSync::afterPull()
{
    // Without the edits read during the pull, an empty pull would read them again and a first push could
    // not go beside the save (a 1,024-record push read them twice more); they come next from the writer.
    if (m_prefetching) {
        m_afterPullWaits = true;
        return;
    }
    if (!m_pulled.mergedDatasetNames.isEmpty())
        Q_EMIT datasetsMerged(m_pulled.mergedDatasetNames);
    if (m_done)
        return; // cancelled from a slot
    // What this job wrote itself comes back when it pulls again: the store holds it already, so it is
    // neither saved again nor counted as pulled.
    if (!m_ownWrites.isEmpty()) {
        m_pulled.records.removeIf([this](const SyncRecord &record) {
            const auto own = m_ownWrites.constFind(record.key);
            return own != m_ownWrites.cend() && *own == record.syncCount;
        });
    }
    const bool goneRemotely =
        m_pulled.datasetDeletedAfterRequestedSyncCount || (!m_pulled.datasetExists && m_baseSyncCount > 0);
    if (goneRemotely && !m_handledDeletion)
        return readDirty(&DatasetSync::handleRemoteDeletion);

    const auto local = m_store.dataset(m_dataset);
    if (!local.ok())
        return fail(local.error);
    if (!local.value && !m_pulled.datasetExists && m_pulled.records.isEmpty())
        return succeed(); // neither side has it

    Q_EMIT progress(SyncPhase::Merging, 0, int(m_pulled.records.size()));
    if (m_done)
        return; // cancelled from a slot
    // Nothing new, on a dataset caught up with the remote: nothing to save (LocalStore::applyRemote would
    // write nothing either), and the edits to push were read while the pull was in flight.
    if (m_pulled.records.isEmpty() && m_prefetchedDirty && local.value &&
        local.value->isCaughtUpWith(m_pulled.datasetSyncCount)) {
        Saved saved;
        saved.outcome.lastSyncCount = local.value->lastSyncCount;
        saved.toPush = *std::exchange(m_prefetchedDirty, std::nullopt);
        m_conflicts.clear();
        m_autoResolutions.clear();
        m_report.conflicts = int(m_conflictKeys.size()); // those of earlier rounds
        return pulledSaved(saved);
    }
    if (local.value && canPushWhileSaving(*local.value))
        return pushWhileSaving();
    // Conflicts: a dirty local record whose remote copy changed, with another value (PullMerge decides).
    // Without any, the pull is saved in the same trip to the writer, on the unpushed edits as they are
    // then, and the edits to push are read after it.
    inStore(savePullWork(),
        [this](const StoreResult<PullStep> &step) {
            if (!step.ok())
                return fail(step.error);
            if (!step.value.saved)
                return mergePulled(step.value.dirty);
            m_conflicts.clear();
            m_autoResolutions.clear();
            m_report.conflicts = int(m_conflictKeys.size()); // those of earlier rounds
            pulledSaved(*step.value.saved);
        });
}

std::function<StoreResult<DatasetSync::PullStep>(LocalStore &)>
DatasetSync::savePullWork(bool readEdits) const
{
    return [dataset = m_dataset, pulled = m_pulled.records, syncCount = m_pulled.datasetSyncCount,
            readEdits](LocalStore &store) -> StoreResult<PullStep> {
        const auto dirty = store.dirtyRecords(dataset);
        if (!dirty.ok())
            return {{}, dirty.error};
        const PullMerge merge(dataset, pulled, dirty.value);
        if (!merge.conflicts().isEmpty())
            return {PullStep{dirty.value, {}}, {}};
        const StoreResult<Saved> saved =
            save(store, dataset, merge, merge.settledByThemselves(), syncCount, readEdits);
        if (!saved.ok())
            return {{}, saved.error};
        return {PullStep{{}, saved.value}, {}};
    };
}

StoreResult<DatasetSync::Saved> DatasetSync::save(LocalStore &store, const QString &dataset,
                                                  const PullMerge &merge,
                                                  const QHash<QString, ConflictResolution> &resolutions,
                                                  qint64 syncCount, bool readEdits)
{
    const auto outcome = store.applyRemote(dataset, merge.decide(resolutions), syncCount);
    if (!outcome.ok())
        return {{}, outcome.error};
    if (!readEdits)
        return {{outcome.value, {}}, {}};
    const auto dirty = store.dirtyRecords(dataset);
    if (!dirty.ok())
        return {{}, dirty.error};
    return {{outcome.value, dirty.value}, {}};
}

void DatasetSync::readDirty(void (DatasetSync::*then)(const QList<LocalRecord> &))
{
    inStore([dataset = m_dataset](LocalStore &store) { return store.dirtyRecords(dataset); },
            [this, then](const StoreResult<QList<LocalRecord>> &dirty) {
                if (!dirty.ok())
                    return fail(dirty.error);
                (this->*then)(dirty.value);
            });
}

void DatasetSync::mergePulled(const QList<LocalRecord> &dirty)
{
    const PullMerge merge(m_dataset, m_pulled.records, dirty);
    m_conflicts = merge.conflicts();
    m_autoResolutions = merge.settledByThemselves();
    for (const SyncConflict &conflict : std::as_const(m_conflicts))
        m_conflictKeys.insert(conflict.remote.key);
    m_report.conflicts = int(m_conflictKeys.size());

    QHash<QString, ConflictResolution> resolutions = m_autoResolutions;
    resolutions.insert(merge.byPolicy(m_policy));
    if (!m_conflicts.isEmpty() && (m_policy == ConflictPolicy::Ask || m_policy == ConflictPolicy::Report))
        Q_EMIT conflictsFound(m_conflicts);
    if (m_done)
        return; // cancelled from a slot
    if (!m_conflicts.isEmpty() && m_policy == ConflictPolicy::Ask) {
        m_waiting = true;
        Q_EMIT progress(SyncPhase::WaitingForResolution, 0, int(m_conflicts.size()));
        return;
    }
    applyPulled(resolutions);
}

void DatasetSync::handleRemoteDeletion(const QList<LocalRecord> &dirty)
{
    // Someone deleted the dataset. Edits this device never pushed would be lost silently if we
    // simply purged, so they are kept and pushed as the content of a new dataset; without such
    // edits the local copy is purged, as the official managers do.
    m_handledDeletion = true;
    m_report.deletedRemotely = true;
    const bool hasLiveEdits = std::any_of(
        dirty.cbegin(), dirty.cend(), [](const LocalRecord &record) { return !record.record.isRemoved(); });
    qCInfo(lcSync) << "dataset deleted remotely" << m_dataset << "local edits kept:" << hasLiveEdits;
    if (!hasLiveEdits) {
        inStore([dataset = m_dataset](LocalStore &store) { return store.purgeDataset(dataset); },
                [this](const UserError &error) {
                    if (error.isError())
                        return fail(error);
                    Q_EMIT deletedRemotely(false);
                    succeed();
                });
        return;
    }
    inStore([dataset = m_dataset](LocalStore &store) { return store.resetToLocalChanges(dataset); },
            [this](const UserError &error) {
                if (error.isError())
                    return fail(error);
                Q_EMIT deletedRemotely(true);
                if (m_done)
                    return;   // cancelled from a slot
                --m_attempts; // not a conflict round
                pull();
            });
}

void DatasetSync::resolve(const QList<ConflictResolution> &resolutions)
{
    if (!m_waiting || m_done)
        return;
    m_waiting = false;
    QHash<QString, ConflictResolution> byKey = m_autoResolutions;
    for (const ConflictResolution &resolution : resolutions)
        byKey.insert(resolution.key, resolution);
    applyPulled(byKey);
}

void DatasetSync::applyPulled(const QHash<QString, ConflictResolution> &resolutions)
{
    Q_EMIT progress(SyncPhase::Merging, 0, int(m_pulled.records.size()));
    if (m_done)
        return; // cancelled from a slot
    // Decided on the unpushed edits as they are then: the user may have edited while asked.
    inStore(
        [dataset = m_dataset, pulled = m_pulled.records, syncCount = m_pulled.datasetSyncCount,
         resolutions](LocalStore &store) -> StoreResult<Saved> {
            const auto dirty = store.dirtyRecords(dataset);
            if (!dirty.ok())
                return {{}, dirty.error};
            return save(store, dataset, PullMerge(dataset, pulled, dirty.value), resolutions, syncCount);
        },
        [this](const StoreResult<Saved> &saved) {
            if (!saved.ok())
                return fail(saved.error);
            pulledSaved(saved.value);
        });
}

void DatasetSync::pulledSaved(const Saved &saved)
{
    m_report.pulled += saved.outcome.saved;
    m_syncCountAfterPull = saved.outcome.lastSyncCount;
    m_unresolved = QSet<QString>(saved.outcome.unresolvedKeys.cbegin(), saved.outcome.unresolvedKeys.cend());
    m_report.unresolved = int(m_unresolved.size());
    Q_EMIT progress(SyncPhase::Merging, int(m_pulled.records.size()), int(m_pulled.records.size()));
    if (m_done)
        return; // cancelled from a slot
    pushRecords(saved.toPush);
}

void DatasetSync::pullAfterConflict()
{
    if (m_attempts >= m_retry.maxAttempts)
        return fail(UserError::make(
            QStringLiteral("sync.conflict.retries"), tr("The dataset “%1” could not be synchronized").arg(m_dataset),
            tr("It kept changing on the server while this device was writing (%1 attempts)").arg(m_attempts),
            tr("Synchronize again in a moment")));
    qCInfo(lcSync) << "ResourceConflict on" << m_dataset << "- pulling again";
    pull();
}

void DatasetSync::succeed()
{
    if (m_done)
        return;
    m_done = true;
    qCInfo(lcSync) << "synchronized" << m_dataset << "pulled" << m_report.pulled << "pushed"
                   << m_report.pushed << "conflicts" << m_report.conflicts << "requests" << m_report.requests;
    Q_EMIT finished(m_report);
}

void DatasetSync::fail(const UserError &error)
{
    if (m_done)
        return;
    m_done = true;
    m_call.reset();
    qCWarning(lcSync) << "sync of" << m_dataset << "failed:" << error.code;
    UserError told = error;
    if (m_report.pushed > 0) {
        // Part of the changes went before the failure (the DynamoDB store writes 99 at a time): say so.
        if (!told.why.isEmpty())
            told.why += told.why.endsWith(QLatin1Char('.')) ? QStringLiteral(" ") : QStringLiteral(". ");
        told.why += tr("%n change(s) were sent before it; the others are kept on this device and go with "
                       "the next sync",
                       nullptr, m_report.pushed);
    }
    Q_EMIT failed(told);
}

} // namespace fedsync

#include "sync/datasetsync.h"

#include "log/logcategories.h"
#include "sync/pullmerge.h"
#include "sync/synclimits.h"

#include <QPointer>
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

template<typename Work, typename Then> void DatasetSync::inStore(Work work, Then then)
{
    m_writer.run(this, std::move(work), [this, then = std::move(then)](const auto &outcome) {
        if (!m_done)
            then(outcome);
    });
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
    inStore([dataset = m_dataset](LocalStore &store) { return store.dirtyRecords(dataset); },
            [this, round = ++m_prefetchRound](const StoreResult<QList<LocalRecord>> &dirty) {
                if (round == m_prefetchRound && dirty.ok()) // a failure is met again on the usual path
                    m_prefetchedDirty = dirty.value;
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
    if (!m_pulled.mergedDatasetNames.isEmpty())
        Q_EMIT datasetsMerged(m_pulled.mergedDatasetNames);
    if (m_done)
        return; // cancelled from a slot
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

std::function<StoreResult<DatasetSync::PullStep>(LocalStore &)> DatasetSync::savePullWork() const
{
    return [dataset = m_dataset, pulled = m_pulled.records,
            syncCount = m_pulled.datasetSyncCount](LocalStore &store) -> StoreResult<PullStep> {
        const auto dirty = store.dirtyRecords(dataset);
        if (!dirty.ok())
            return {{}, dirty.error};
        const PullMerge merge(dataset, pulled, dirty.value);
        if (!merge.conflicts().isEmpty())
            return {PullStep{dirty.value, {}}, {}};
        const StoreResult<Saved> saved = save(store, dataset, merge, merge.settledByThemselves(), syncCount);
        if (!saved.ok())
            return {{}, saved.error};
        return {PullStep{{}, saved.value}, {}};
    };
}

bool DatasetSync::canPushWhileSaving(const LocalDataset &local) const
{
    if (m_attempts != 1 || !m_prefetchedDirty || m_prefetchedDirty->isEmpty())
        return false;
    QSet<QString> editedKeys;
    editedKeys.reserve(m_prefetchedDirty->size());
    for (const LocalRecord &record : std::as_const(*m_prefetchedDirty))
        editedKeys.insert(record.record.key);
    // The push keeps nothing back (overLimit) when the dataset is within the limits whatever the pull
    // brings: each pulled record a new one (or, for a small pull, each pulled key this device does not
    // hold), each at most 3 UTF-8 bytes per UTF-16 unit more.
    qint64 added = 0;
    qint64 bytes = local.storageSizeBytes;
    for (const SyncRecord &record : std::as_const(m_pulled.records)) {
        if (editedKeys.contains(record.key))
            return false; // PullMerge settles it first
        added += record.value ? 1 : 0;
        bytes += 3 * (record.key.size() + (record.value ? record.value->size() : 0));
    }
    if (bytes > SyncLimits::MaxDatasetBytes)
        return false;
    if (local.recordCount + added <= SyncLimits::MaxRecordsPerDataset)
        return true;
    if (m_pulled.records.size() > 64)
        return false;
    for (const SyncRecord &record : std::as_const(m_pulled.records)) {
        const auto held = m_store.record(m_dataset, record.key);
        if (!held.ok())
            return false;
        if (record.value && held.value && held.value->record.value)
            --added; // replaces a record this device holds
    }
    return local.recordCount + added <= SyncLimits::MaxRecordsPerDataset;
}

void DatasetSync::pushWhileSaving()
{
    m_saving = true;
    inStore(savePullWork(), [this](const StoreResult<PullStep> &step) {
        m_saving = false;
        if (!step.ok())
            return fail(step.error); // what was pushed stays dirty: the next sync finds it on the server
        if (step.value.saved) {
            m_conflicts.clear();
            m_autoResolutions.clear();
            m_report.conflicts = int(m_conflictKeys.size());
            m_report.pulled += step.value.saved->outcome.saved;
            m_syncCountAfterPull = step.value.saved->outcome.lastSyncCount;
        } else {
            // An edit made while the pull was in flight meets it: nothing was saved. Once the push is
            // done, another round pulls again and settles it as usual.
            m_pullAgain = true;
        }
        if (auto next = std::exchange(m_afterSave, nullptr))
            next();
    });
    pushRecords(*std::exchange(m_prefetchedDirty, std::nullopt));
}

void DatasetSync::whenSaved(std::function<void()> next)
{
    if (!m_saving)
        return next();
    m_afterSave = std::move(next);
}

void DatasetSync::roundDone()
{
    if (std::exchange(m_pullAgain, false)) {
        qCInfo(lcSync) << "pulling" << m_dataset << "again: an edit met the pull";
        return pull();
    }
    succeed();
}

StoreResult<DatasetSync::Saved> DatasetSync::save(LocalStore &store, const QString &dataset,
                                                  const PullMerge &merge,
                                                  const QHash<QString, ConflictResolution> &resolutions,
                                                  qint64 syncCount)
{
    const auto outcome = store.applyRemote(dataset, merge.decide(resolutions), syncCount);
    if (!outcome.ok())
        return {{}, outcome.error};
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

void DatasetSync::push()
{
    readDirty(&DatasetSync::pushRecords);
}

void DatasetSync::pushRecords(const QList<LocalRecord> &dirty)
{
    UpdateRecordsRequest request{m_dataset, m_deviceId, {}, m_pulled.syncSessionToken};
    QList<LocalStore::PushedRecord> pushing;
    const QSet<QString> heldBack = overLimit(dirty);
    m_report.heldBack = QStringList(heldBack.cbegin(), heldBack.cend());
    m_report.heldBack.sort();
    request.patches.reserve(dirty.size());
    pushing.reserve(dirty.size());
    for (const LocalRecord &record : dirty) {
        if (m_unresolved.contains(record.record.key))
            continue; // its sync count is stale: pushing it would only meet a ResourceConflict
        if (heldBack.contains(record.record.key))
            continue; // stays dirty: it does not fit (m_report says so)
        RecordPatch patch;
        patch.op = record.record.isRemoved() ? RecordPatch::Op::Remove : RecordPatch::Op::Replace;
        patch.key = record.record.key;
        patch.value = record.record.value.value_or(QString());
        patch.syncCount = record.record.syncCount;
        patch.deviceLastModified = record.record.deviceLastModified;
        request.patches << patch;
        pushing << LocalStore::PushedRecord{record.record.key, record.revision, {}};
    }
    if (request.patches.isEmpty())
        return whenSaved([this]() { roundDone(); });

    const int total = int(request.patches.size());
    Q_EMIT progress(SyncPhase::Pushing, 0, total);
    if (m_done)
        return; // cancelled from a slot
    request.partWritten = [guard = QPointer<DatasetSync>(this), total](int written) {
        if (guard && !guard->m_done)
            Q_EMIT guard->progress(SyncPhase::Pushing, written, total);
    };
    ++m_report.requests;
    m_call = m_remote.updateRecords(
        request, this, [this, pushing, total](const RemoteResult<QList<SyncRecord>> &result) {
            whenSaved([this, pushing, total, result]() { updateRecordsAnswered(result, pushing, total); });
        });
}

void DatasetSync::updateRecordsAnswered(const RemoteResult<QList<SyncRecord>> &result,
                                const QList<LocalStore::PushedRecord> &pushing, int total)
{
    if (m_done)
        return;
    if (!result.ok() && !result.value.isEmpty()) {
        // Part of it was written before the failure (the DynamoDB store's first transactions):
        // that part is recorded as sent, then the failure is dealt with.
        m_call.reset();
        return pushed(result.value, pushing, total, result.error);
    }
    if (!result.ok() && result.error->kind == RemoteErrorKind::Conflict) {
        m_call.reset();
        return pullAfterConflict();
    }
    if (!settle(result, [this]() { push(); }))
        return;
    pushed(result.value, pushing, total);
}

void DatasetSync::pushed(const QList<SyncRecord> &accepted, const QList<LocalStore::PushedRecord> &pushing,
                         int total, const std::optional<RemoteError> &failure)
{
    QHash<QString, SyncRecord> byKey;
    byKey.reserve(accepted.size());
    QSet<qint64> counts;
    qint64 newCount = -1;
    for (const SyncRecord &record : accepted) {
        byKey.insert(record.key, record);
        counts.insert(record.syncCount);
        newCount = std::max(newCount, record.syncCount);
    }
    QList<LocalStore::PushedRecord> done;
    done.reserve(pushing.size());
    for (LocalStore::PushedRecord record : pushing) {
        const auto found = byKey.constFind(record.key);
        if (found == byKey.cend())
            continue; // not in the answer: stays dirty, the next sync tells
        record.remote = *found;
        done << record;
    }
    // Skip our own write at the next pull only if nobody else wrote in between. Every write moves the
    // dataset's count by one and each count belongs to one write, so when our records hold every count
    // from the pull's plus one up to the newest, all those writes were ours: one UpdateRecords on Cognito
    // Sync (one count), or the DynamoDB store's transactions of 99 records (one count each, each guarded
    // by the count before it).
    const bool onlyOurs = !m_pullAgain && m_unresolved.isEmpty() && !counts.isEmpty() &&
                          newCount - m_syncCountAfterPull == counts.size() &&
                          std::all_of(counts.cbegin(), counts.cend(),
                                      [this](qint64 c) { return c > m_syncCountAfterPull; });
    inStore([dataset = m_dataset, done, syncCount = onlyOurs ? newCount : -1](
                LocalStore &store) { return store.markPushed(dataset, done, syncCount); },
            [this, accepted, onlyOurs, count = int(done.size()), total, failure](const UserError &error) {
                if (error.isError())
                    return fail(error);
                m_report.pushed += count;
                if (failure)
                    return partlyPushed(*failure);
                if (onlyOurs)
                    m_report.remoteState = stateAfterPush(accepted);
                Q_EMIT progress(SyncPhase::Pushing, total, total);
                roundDone();
            });
}

void DatasetSync::partlyPushed(const RemoteError &failure)
{
    // The dataset moved with the part written: a retry starts over from a pull. A failure that stays
    // says what was sent (fail()).
    if (failure.kind == RemoteErrorKind::Conflict)
        return pullAfterConflict();
    settle(RemoteResult<bool>{false, failure}, [this]() { pull(); });
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

QString DatasetSync::stateAfterPush(const QList<SyncRecord> &accepted) const
{
    // Nobody else wrote between the pull and the push, so the remote now holds what this device holds,
    // modified at the time of this push.
    RemoteDataset state;
    state.name = m_dataset;
    for (const SyncRecord &record : accepted) {
        if (record.lastModified.isValid() &&
            (!state.lastModified.isValid() || record.lastModified > state.lastModified))
            state.lastModified = record.lastModified;
    }
    const auto local = m_store.dataset(m_dataset);
    if (!local.ok() || !local.value)
        return {};
    state.recordCount = local.value->recordCount;
    state.storageSizeBytes = local.value->storageSizeBytes;
    return state.state();
}

QSet<QString> DatasetSync::overLimit(const QList<LocalRecord> &dirty)
{
    // After the pull, the local copy is what the remote would hold once every edit is pushed.
    const auto local = m_store.dataset(m_dataset);
    if (!local.ok() || !local.value)
        return {};
    qint64 records = local.value->recordCount;
    qint64 bytes = local.value->storageSizeBytes;
    if (records <= SyncLimits::MaxRecordsPerDataset && bytes <= SyncLimits::MaxDatasetBytes)
        return {};
    // Only keys the remote does not have yet can be kept back without sending a stale state.
    QList<LocalRecord> added;
    for (const LocalRecord &record : dirty) {
        if (!record.record.isRemoved() && record.record.syncCount == 0 &&
            !m_unresolved.contains(record.record.key))
            added << record;
    }
    std::sort(added.begin(), added.end(), [](const LocalRecord &a, const LocalRecord &b) {
        return a.record.deviceLastModified > b.record.deviceLastModified;
    });
    const qint64 initialRecords = records;
    QSet<QString> kept;
    for (const LocalRecord &record : std::as_const(added)) {
        if (records <= SyncLimits::MaxRecordsPerDataset && bytes <= SyncLimits::MaxDatasetBytes)
            break;
        kept.insert(record.record.key);
        --records;
        bytes -= record.record.key.toUtf8().size() + record.record.value->toUtf8().size();
    }
    if (!kept.isEmpty()) {
        const bool tooMany = initialRecords > SyncLimits::MaxRecordsPerDataset;
        m_report.heldBackReason = UserError::make(
            QStringLiteral("sync.limit.merged"),
            tr("%n change(s) to the dataset “%1” stay on this device", nullptr, int(kept.size()))
                .arg(m_dataset),
            tooMany ? tr("With the records from other devices it would have %1 records; a dataset holds at "
                         "most %2")
                          .arg(initialRecords)
                          .arg(SyncLimits::MaxRecordsPerDataset)
                    : tr("With the records from other devices it would hold more than 1 MB"),
            tr("Remove records you no longer need, then synchronize again: the kept changes are sent then"));
        qCInfo(lcSync) << "keeping" << kept.size() << "new record(s) of" << m_dataset
                       << "back: over the limits";
    }
    return kept;
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

// DatasetSync's push: the edits sent (beside the pull's save when they can be), the answer recorded, and
// what the service's limits keep back. The pull, the merge and the job's life are in datasetsync.cpp.
#include "sync/datasetsync.h"

#include "log/logcategories.h"
#include "sync/synclimits.h"

#include <QPointer>
#include <QSet>

#include <algorithm>
#include <utility>

namespace fedsync {

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
    inStore(savePullWork(/*readEdits=*/false), [this](const StoreResult<PullStep> &step) {
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
    const bool onlyOurs =
        !m_pullAgain && m_unresolved.isEmpty() && !counts.isEmpty() &&
        newCount - m_syncCountAfterPull == counts.size() &&
        std::all_of(counts.cbegin(), counts.cend(), [this](qint64 c) { return c > m_syncCountAfterPull; });
    inStore(
        [dataset = m_dataset, done, syncCount = onlyOurs ? newCount : -1](LocalStore &store) {
            return store.markPushed(dataset, done, syncCount);
        },
        [this, accepted, onlyOurs, done, count = int(done.size()), total, failure](const UserError &error) {
            if (error.isError())
                return fail(error);
            for (const LocalStore::PushedRecord &record : done)
                m_ownWrites.insert(record.key, record.remote.syncCount);
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
        bytes -= SyncLimits::recordBytes(record.record.key, record.record.value);
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

} // namespace fedsync

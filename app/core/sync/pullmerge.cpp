#include "sync/pullmerge.h"

#include "sync/identitycard.h"

namespace fedsync {

namespace {

bool newerOnDevice(const LocalRecord &local, const SyncRecord &remote)
{
    const QDateTime remoteTime =
        remote.deviceLastModified.isValid() ? remote.deviceLastModified : remote.lastModified;
    return local.record.deviceLastModified.isValid() && remoteTime.isValid() &&
           local.record.deviceLastModified > remoteTime;
}

} // namespace

PullMerge::PullMerge(QString dataset, QList<SyncRecord> pulled, const QList<LocalRecord> &dirty)
    : m_dataset(std::move(dataset))
    , m_pulled(std::move(pulled))
{
    for (const LocalRecord &record : dirty)
        m_dirty.insert(record.record.key, record);
    const bool reserved = IdentityCard::isReservedDataset(m_dataset);
    for (const SyncRecord &remote : std::as_const(m_pulled)) {
        const auto found = m_dirty.constFind(remote.key);
        if (found == m_dirty.cend() || found->record.value == remote.value)
            continue;
        if (found->record.syncCount == remote.syncCount) {
            // The remote copy is the one this edit started from: not a conflict.
            m_settled.insert(remote.key, ConflictResolution::keepMine(remote.key));
            continue;
        }
        if (reserved) {
            // Fedsync's own records (the identity card: last sign-in, app version) are written by every
            // device at each sign-in; they are nobody's edits to arbitrate: the newest copy wins.
            m_settled.insert(remote.key, newerOnDevice(*found, remote) ? ConflictResolution::keepMine(remote.key)
                                                                      : ConflictResolution::keepTheirs(remote.key));
            continue;
        }
        m_conflicts << SyncConflict{m_dataset, *found, remote};
    }
}

QHash<QString, ConflictResolution> PullMerge::byPolicy(ConflictPolicy policy) const
{
    QHash<QString, ConflictResolution> resolutions;
    for (const SyncConflict &conflict : m_conflicts) {
        const QString &key = conflict.remote.key;
        switch (policy) {
        case ConflictPolicy::KeepMine:
            resolutions.insert(key, ConflictResolution::keepMine(key));
            break;
        case ConflictPolicy::KeepTheirs:
            resolutions.insert(key, ConflictResolution::keepTheirs(key));
            break;
        case ConflictPolicy::NewestWins:
            resolutions.insert(key, newerOnDevice(conflict.local, conflict.remote)
                                        ? ConflictResolution::keepMine(key)
                                        : ConflictResolution::keepTheirs(key));
            break;
        case ConflictPolicy::Report:
        case ConflictPolicy::Ask:
            break;
        }
    }
    return resolutions;
}

QList<LocalStore::PulledRecord> PullMerge::decide(const QHash<QString, ConflictResolution> &resolutions) const
{
    using Action = LocalStore::PulledRecord::Action;
    QList<LocalStore::PulledRecord> decisions;
    decisions.reserve(m_pulled.size());
    for (const SyncRecord &remote : m_pulled) {
        LocalStore::PulledRecord decision;
        decision.remote = remote;
        const auto local = m_dirty.constFind(remote.key);
        if (local != m_dirty.cend()) {
            decision.localRevision = local->revision;
            if (local->record.value != remote.value) {
                const auto resolution = resolutions.constFind(remote.key);
                if (resolution == resolutions.cend()) {
                    decision.action = Action::Leave;
                } else if (resolution->choice == ConflictResolution::Choice::KeepMine) {
                    decision.action = Action::KeepMine;
                } else if (resolution->choice == ConflictResolution::Choice::Merged) {
                    decision.action = Action::Merge;
                    decision.mergedValue = resolution->mergedValue;
                }
            }
        }
        decisions << decision;
    }
    return decisions;
}

} // namespace fedsync

// What a pull means for the local copy, decided in one place: which pulled records conflict with the
// edits this device has not pushed yet, which of those settle themselves, what a conflict policy makes
// of the rest, and what the store does with each pulled record once that is known. DatasetSync asks;
// LocalStore::applyRemote applies the decisions and decides nothing itself.
#pragma once

#include "sync/localstore.h"

#include <QHash>
#include <QList>

namespace fedsync {

class PullMerge final
{
public:
    // `dirty`: the dataset's records with unpushed edits (LocalStore::dirtyRecords), read just before.
    PullMerge(QString dataset, QList<SyncRecord> pulled, const QList<LocalRecord> &dirty);

    // Unpushed edits whose remote copy changed since the edit started, to another value.
    QList<SyncConflict> conflicts() const { return m_conflicts; }
    // Unpushed edits made on the very remote copy that was pulled (same sync count, another value): not
    // conflicts; the edit is kept and pushed. In Fedsync's own datasets (IdentityCard::isReservedDataset,
    // the identity card) no record is ever a conflict: the newest copy wins.
    QHash<QString, ConflictResolution> settledByThemselves() const { return m_settled; }
    // What `policy` makes of each conflict; nothing for Report and Ask (they are left, or asked).
    QHash<QString, ConflictResolution> byPolicy(ConflictPolicy policy) const;

    // What the store does with each pulled record: the remote copy replaces a record without unpushed
    // edits, or with an unpushed edit of the same value; an unpushed edit with another value follows
    // `resolutions` (by key), or is left as it is, to be pulled again (a conflict left for later).
    QList<LocalStore::PulledRecord> decide(const QHash<QString, ConflictResolution> &resolutions) const;

private:
    QString m_dataset;
    QList<SyncRecord> m_pulled;
    QHash<QString, LocalRecord> m_dirty;
    QList<SyncConflict> m_conflicts;
    QHash<QString, ConflictResolution> m_settled;
};

} // namespace fedsync

// The values the sync module passes around: a record as the local store and the remote see it, a
// dataset's local metadata, conflicts and their resolutions, and the report of one synchronization.
#pragma once

#include "common/usererror.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <optional>

namespace fedsync {

// One record. `value` is empty (std::nullopt) for a removed record; an empty string is a real value.
struct SyncRecord
{
    QString key;
    std::optional<QString> value;
    qint64 syncCount = 0;         // the server's count when the record was last written there (0: never)
    QDateTime lastModified;       // server time of the last write
    QString lastModifiedBy;       // who wrote it last (Cognito: the identity or the developer)
    QDateTime deviceLastModified; // when the writing device changed it

    bool isRemoved() const { return !value.has_value(); }
};

// A record in the local store: the record plus what sync needs to know about local edits.
struct LocalRecord
{
    QString dataset;
    SyncRecord record;
    bool dirty = false;  // changed locally, not yet accepted by the remote
    qint64 revision = 0; // bumped on every local edit; lets a push tell "edited again meanwhile"
};

// A dataset's local metadata.
struct LocalDataset
{
    QString name;
    QDateTime created;
    QDateTime lastModified;
    QString lastModifiedBy;
    qint64 lastSyncCount = 0;    // the remote's dataset sync count at the last pull; -1: deleted locally
    qint64 storageSizeBytes = 0; // key + value UTF-8 bytes of the live records, as Cognito counts
    qint64 recordCount = 0;      // live (not removed) records
    bool deleted = false;        // deleted locally, the remote delete is pending
    QString remoteState;         // the remote's dataset-list entry when last caught up; empty: unknown

    bool isPendingDelete() const { return deleted || lastSyncCount < 0; }
    // A pull that brings no records and this count changes nothing in it (nothing to save).
    bool isCaughtUpWith(qint64 remoteSyncCount) const
    {
        return !deleted && lastSyncCount == std::max<qint64>(remoteSyncCount, 0);
    }
};

// A record changed on both sides with different values.
struct SyncConflict
{
    QString dataset;
    LocalRecord local;
    SyncRecord remote;
};

// How a conflict is settled.
struct ConflictResolution
{
    enum class Choice { KeepMine, KeepTheirs, Merged };
    QString key;
    Choice choice = Choice::KeepTheirs;
    std::optional<QString> mergedValue; // for Merged; std::nullopt removes the record

    static ConflictResolution keepMine(QString key) { return {std::move(key), Choice::KeepMine, {}}; }
    static ConflictResolution keepTheirs(QString key) { return {std::move(key), Choice::KeepTheirs, {}}; }
    static ConflictResolution merged(QString key, std::optional<QString> value)
    {
        return {std::move(key), Choice::Merged, std::move(value)};
    }
};

// What synchronize() does with conflicts.
enum class ConflictPolicy {
    Report,     // report them (conflictsFound, SyncReport::conflicts) and leave them; the rest syncs
    Ask,        // emit conflictsFound and pause until resolveConflicts()
    KeepMine,   // the local value wins
    KeepTheirs, // the remote value wins
    NewestWins, // the value changed last on its device wins (ties go to the remote)
};

// Where a synchronization is (for progress display).
enum class SyncPhase {
    DeletingRemote,       // sending a local dataset deletion
    Pulling,              // ListRecords, page by page
    Merging,              // saving pulled records locally
    WaitingForResolution, // ConflictPolicy::Ask: conflictsFound was emitted, waiting for resolveConflicts()
    Pushing,              // UpdateRecords
};

// The outcome of one synchronization of one dataset.
struct SyncReport
{
    QString dataset;
    int pulled = 0;               // remote records saved locally
    int pushed = 0;               // local records accepted by the remote
    int conflicts = 0;            // conflicts met (resolved or not)
    int unresolved = 0;           // conflicts left for later
    int requests = 0;             // remote calls made, retries included
    bool deletedRemotely = false; // the remote dataset was gone (purged locally or re-created)
    bool deletedLocally = false;  // a local delete was sent and the dataset purged
    bool skipped = false;         // unchanged on both sides since the last sync: no request was made
    QString remoteState;          // RemoteDataset::state() right after this run's push, when known
    // Local edits kept back (still pending) because the merged dataset would break a service limit,
    // and why.
    QStringList heldBack;
    UserError heldBackReason;
};

} // namespace fedsync

Q_DECLARE_METATYPE(fedsync::SyncConflict)
Q_DECLARE_METATYPE(fedsync::SyncReport)
Q_DECLARE_METATYPE(fedsync::ConflictPolicy)
Q_DECLARE_METATYPE(fedsync::SyncPhase)

// The offline-first store of one profile + identity: datasets and records in one SQLite file, every
// change in a transaction, dirty flags for what the remote has not accepted yet, and Cognito Sync's
// limits checked before anything is written. Not thread-safe: use it from one thread.
// The connection and its transactions are StoreConnection's, the tables and their migrations
// StoreSchema's, the SQLite error mapping storeerrors.h's; this class is the data access, every
// statement run through StoreQuery. What a pull does to the local copy is decided by PullMerge:
// applyRemote() applies the decisions it is given.
#pragma once

#include "common/clock.h"
#include "sync/storeconnection.h"
#include "sync/synclimits.h"
#include "sync/synctypes.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <optional>
#include <utility>

namespace fedsync {

class LocalStore final
{
public:
    // Cognito Sync's limits, as SyncLimits has them.
    static constexpr int MaxDatasets = SyncLimits::MaxDatasets;
    static constexpr int MaxRecordsPerDataset = SyncLimits::MaxRecordsPerDataset;
    static constexpr int MaxKeyLength = SyncLimits::MaxKeyLength;
    static constexpr int MaxDatasetNameLength = SyncLimits::MaxDatasetNameLength;
    static constexpr qint64 MaxDatasetBytes = SyncLimits::MaxDatasetBytes;
    // The schema version this build writes; files with an older version are migrated on open.
    static int schemaVersion();

    // A record as pushed: its key, the local revision that was read for the push, and what the
    // remote answered (new sync count, server time, writer).
    struct PushedRecord
    {
        QString key;
        qint64 revision = 0;
        SyncRecord remote;
    };

    // A pulled record and what to do with it (decided by PullMerge).
    struct PulledRecord
    {
        enum class Action {
            TakeRemote, // the remote copy replaces the local one, clean
            KeepMine,   // the unpushed edit stays, over the remote copy's sync count (pushed next)
            Merge,      // `mergedValue` replaces both, as an unpushed edit over the remote's sync count
            Leave,      // nothing changes; the record is pulled again next time (an unsettled conflict)
        };
        SyncRecord remote;
        Action action = Action::TakeRemote;
        std::optional<QString> mergedValue;
        // The revision of the unpushed edit the decision was made on; none: the record had none then.
        std::optional<qint64> localRevision;
    };

    // What applyRemote() did.
    struct ApplyOutcome
    {
        int saved = 0;              // remote records written locally
        QStringList unresolvedKeys; // records left: unsettled conflicts, or edited since the decision
        qint64 lastSyncCount = 0;   // the last sync count stored (lowered so unresolved ones come back)
    };

    explicit LocalStore(QString path);
    ~LocalStore();
    LocalStore(const LocalStore &) = delete;
    LocalStore &operator=(const LocalStore &) = delete;

    // Opens (creating if needed) and migrates the file. Must succeed before anything else is called.
    UserError open();
    bool isOpen() const { return m_db.isOpen(); }
    QString path() const { return m_db.path(); }
    // Where the store's timestamps (created, modified, device-modified) come from.
    void setClock(Clock clock) { m_clock = std::move(clock); }
    const Clock &clock() const { return m_clock; }
    // The file's schema version (PRAGMA user_version).
    StoreResult<int> fileSchemaVersion() const;

    // Datasets. listDatasets() includes the ones deleted locally (isPendingDelete()).
    StoreResult<QList<LocalDataset>> listDatasets() const;
    StoreResult<std::optional<LocalDataset>> dataset(const QString &name) const;
    UserError createDataset(const QString &name);
    // Marks the dataset deleted (last sync count -1): the next sync deletes it remotely, then purges it.
    UserError markDatasetDeleted(const QString &name);
    // Removes the dataset and its records for good.
    UserError purgeDataset(const QString &name);
    StoreResult<qint64> datasetSize(const QString &name) const;
    // What the remote's dataset list said when this device last caught up with the dataset (see
    // SyncEngine::synchronizeAll); empty: unknown.
    UserError setRemoteState(const QString &name, const QString &state);
    // Edits not yet accepted by the remote, over every dataset but Fedsync's own ("fedsync."): dirty
    // records plus local deletions.
    StoreResult<qint64> pendingChangeCount() const;

    // Records.
    StoreResult<QList<LocalRecord>> records(const QString &dataset, bool includeRemoved = false) const;
    StoreResult<std::optional<LocalRecord>> record(const QString &dataset, const QString &key) const;
    StoreResult<QList<LocalRecord>> dirtyRecords(const QString &dataset) const;
    // Whether the dataset has a local edit not sent yet, without reading the records.
    StoreResult<bool> hasDirtyRecords(const QString &dataset) const;
    // Local edits: mark the record dirty, set its device time to now, bump its revision. putValue
    // creates the dataset when it does not exist yet.
    UserError putValue(const QString &dataset, const QString &key, const QString &value);
    UserError removeValue(const QString &dataset, const QString &key);
    // Several puts in one transaction, checked as if made one after the other: all are saved, or none
    // (the first failure is returned). For imports.
    UserError putValues(const QString &dataset, const QList<std::pair<QString, QString>> &values);

    // Saves pulled records in one transaction, each as decided. A decision made on another state of the
    // record than the one the file holds now (edited since, by this or another program) is not applied:
    // the record is left, as with Leave. The dataset's last sync count becomes `newSyncCount`, lowered
    // below any record left so that it is pulled again. No records for a dataset already at that count:
    // nothing to write, and no transaction (no wait for another program's write).
    StoreResult<ApplyOutcome> applyRemote(const QString &dataset, const QList<PulledRecord> &pulled,
                                          qint64 newSyncCount);
    // Records what the remote accepted: sync counts and server times; a record's dirty flag is cleared
    // only when its revision is still the one pushed. `newSyncCount` >= 0 also sets the dataset's last
    // sync count.
    UserError markPushed(const QString &dataset, const QList<PushedRecord> &pushed, qint64 newSyncCount = -1);
    // Forgets everything the remote knew (after the remote dataset was deleted): removes clean records,
    // keeps dirty ones as new (sync count 0), last sync count 0.
    UserError resetToLocalChanges(const QString &dataset);

    // SyncLimits' checks, under the names the store's callers know.
    static UserError checkDatasetName(const QString &name) { return SyncLimits::checkDatasetName(name); }
    static UserError checkKey(const QString &key) { return SyncLimits::checkKey(key); }
    static qsizetype characterCount(const QString &text) { return SyncLimits::characterCount(text); }

private:
    UserError writeValue(const QString &dataset, const QString &key, const std::optional<QString> &value);
    // The dataset's live size and record count, kept by putValues across its records so that each
    // one does not scan the whole dataset again (an import of 1,024 records was quadratic).
    struct Tally
    {
        qint64 bytes = 0;
        int records = 0;
    };
    // writeValue's work, inside a transaction the caller opened. With `tally`, the limits are checked
    // against it and it is updated (the dataset's statistics follow each write: a new row counted here,
    // a changed or removed one by the schema's triggers).
    UserError writeValueInTransaction(const QString &dataset, const QString &key,
                                      const std::optional<QString> &value, Tally *tally = nullptr);
    StoreResult<int> liveRecordCount(const QString &dataset) const;
    // The datasets `where` selects (" WHERE …", empty: all), by name.
    StoreResult<QList<LocalDataset>> readDatasets(const QString &what, const QString &where,
                                                  const QVariantList &values) const;
    UserError ensureDataset(const QString &name, bool create);
    // Fedsync's own datasets ("fedsync.", see IdentityCard::isReservedDataset).
    static bool isReservedDataset(const QString &name);
    // Makes room for a user's dataset at the limit: Fedsync's own dataset is removed (never synced) or
    // marked deleted (the next sync deletes it on the server). Whether there was one.
    StoreResult<bool> yieldReservedDataset();

    StoreConnection m_db;
    Clock m_clock;
};

} // namespace fedsync

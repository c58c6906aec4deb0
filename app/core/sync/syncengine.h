// Synchronizes the local store with a SyncRemote, dataset by dataset, with the official Cognito Sync
// managers' semantics and fewer requests: a sync with changes on both sides and no conflict is one
// ListRecords and one UpdateRecords, a pull with nothing to push is one ListRecords. One run per
// dataset at a time (a request made while one runs is queued once), cancellable, asynchronous.
#pragma once

#include "sync/backgroundstorewriter.h"
#include "sync/datasetsync.h"
#include "sync/localstore.h"
#include "sync/syncremote.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace fedsync {

class SyncEngine final : public QObject
{
    Q_OBJECT
public:
    // `store` and `remote` must outlive the engine. `deviceId` is sent with every UpdateRecords.
    SyncEngine(LocalStore &store, SyncRemote &remote, QString deviceId, QObject *parent = nullptr);
    ~SyncEngine() override;

    // A policy without a quota keeps the engine's own (one budget for every sync of the engine).
    void setRetryPolicy(const SyncRetryPolicy &policy);
    SyncRetryPolicy retryPolicy() const { return m_retry; }

    // Starts a run, or queues one more after the current run (the latest policy wins).
    void synchronize(const QString &dataset, ConflictPolicy policy = ConflictPolicy::Report);
    // Every local dataset plus those only the remote has (one ListDatasets first). A dataset that
    // neither side changed since this device last caught up with it (no pending edit, the same entry
    // in ListDatasets) is skipped: finished() with SyncReport::skipped, no request. When the service
    // is unreachable or stays busy (remoteUnavailable), the rest of the sync is cancelled instead of
    // repeating the same failure for every dataset. Emits allFinished.
    void synchronizeAll(ConflictPolicy policy = ConflictPolicy::Report);
    // After conflictsFound with ConflictPolicy::Ask: settles the conflicts and continues the run.
    void resolveConflicts(const QString &dataset, const QList<ConflictResolution> &resolutions);
    // Aborts the run (and drops a queued one); the local store stays consistent, edits stay pending.
    void cancel(const QString &dataset);
    void cancelAll();

    bool isSynchronizing(const QString &dataset) const { return m_runs.contains(dataset); }
    bool isWaitingForResolution(const QString &dataset) const;
    QStringList activeDatasets() const { return m_runs.keys(); }

Q_SIGNALS:
    void started(const QString &dataset);
    void progress(const QString &dataset, fedsync::SyncPhase phase, int done, int total);
    void conflictsFound(const QString &dataset, const QList<fedsync::SyncConflict> &conflicts);
    // The remote dataset was deleted by someone else; `keptLocalChanges`: unpushed local edits were
    // kept and pushed as a new dataset, otherwise the local copy was purged.
    void datasetDeletedRemotely(const QString &dataset, bool keptLocalChanges);
    void datasetsMerged(const QString &dataset, const QStringList &mergedNames);
    void finished(const QString &dataset, const fedsync::SyncReport &report);
    // The remote could not be reached or stayed busy (network, throttling) after the retries: the
    // device is offline as far as sync goes. Emitted just before the matching failed(); dataset empty:
    // ListDatasets.
    void remoteUnavailable(const QString &dataset, const fedsync::UserError &error);
    void failed(const QString &dataset,
                const fedsync::UserError &error); // dataset empty: ListDatasets failed
    void cancelled(const QString &dataset);
    void allFinished(int succeeded, int failed);

private:
    struct Run
    {
        QPointer<DatasetSync> job;
        bool again = false;
        ConflictPolicy againPolicy = ConflictPolicy::Report;
    };

    void startRun(const QString &dataset, ConflictPolicy policy);
    void runEnded(const QString &dataset, bool ok);
    void allStep(const QString &dataset, bool ok);
    void stopAll();
    bool unchangedSinceLastSync(const LocalDataset &local, const QString &remoteState) const;

    LocalStore &m_store;
    SyncRemote &m_remote;
    // The runs' long store reads and writes (dirty records, pulled and pushed records), off this thread.
    BackgroundStoreWriter m_writer;
    const QString m_deviceId;
    SyncRetryPolicy m_retry;
    QHash<QString, Run> m_runs;
    RemoteCallHandle m_listCall;
    QSet<QString> m_allPending;
    int m_allSucceeded = 0;
    int m_allFailed = 0;
    bool m_allRunning = false;
    bool m_allStopping = false;
    QHash<QString, QString> m_remoteStates; // ListDatasets' entries during synchronizeAll
};

} // namespace fedsync

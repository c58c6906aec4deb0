// One synchronization of one dataset, as a job: send a local deletion, or pull (paged), detect and
// settle conflicts, save, push, and retry on ResourceConflict or transient errors. SyncEngine runs
// these jobs (one per dataset at a time); use SyncEngine rather than this class. Reading the dirty
// records and every write to the store (saving what was pulled, marking what was pushed) run on the
// BackgroundStoreWriter's thread, so that a dataset of 1,024 records never stalls the window; the job
// goes on when the outcome is delivered, unless it was cancelled meanwhile. A pull that meets no
// conflict is one trip to the writer (read the edits, save the pull, read the edits to push), the push
// another (mark what was pushed). The edits are also read while the pull is in flight: a pull that brings
// nothing new (a sync of local edits) has nothing to save, and pushes those at once, without that trip;
// a pull that touches none of those edits is saved while they are pushed (the push's answer waits for
// the save, so what is marked pushed is always marked after the pull it followed).
#pragma once

#include "common/retryquota.h"
#include "sync/backgroundstorewriter.h"
#include "sync/localstore.h"
#include "sync/syncremote.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace fedsync {

class PullMerge;

struct SyncRetryPolicy
{
    int maxAttempts = 3;         // pull + push rounds when UpdateRecords meets a ResourceConflict
    int maxTransientRetries = 4; // per call, for Throttled and Network errors
    int initialBackoffMs = 500;  // doubled per retry
    int maxBackoffMs = 8000;
    // The budget every retry of a sync draws from (shared with the AWS client's own retries); when it is
    // used up the sync stops retrying. Null: no budget beyond maxTransientRetries.
    std::shared_ptr<RetryQuota> quota;
};

class DatasetSync final : public QObject
{
    Q_OBJECT
public:
    DatasetSync(LocalStore &store, BackgroundStoreWriter &writer, SyncRemote &remote, QString deviceId,
                QString dataset, ConflictPolicy policy, SyncRetryPolicy retry, QObject *parent = nullptr);
    ~DatasetSync() override;

    void start();
    // Aborts the call in flight; every local write is a transaction, so the store stays consistent and
    // unpushed edits stay dirty. Emits cancelled().
    void cancel();
    // Continues after conflictsFound when the policy is Ask. Keys without a resolution stay unresolved.
    void resolve(const QList<ConflictResolution> &resolutions);
    bool isWaitingForResolution() const { return m_waiting; }
    QString dataset() const { return m_dataset; }

Q_SIGNALS:
    void progress(fedsync::SyncPhase phase, int done, int total);
    void conflictsFound(const QList<fedsync::SyncConflict> &conflicts);
    void deletedRemotely(bool keptLocalChanges);
    void datasetsMerged(const QStringList &mergedNames);
    void finished(const fedsync::SyncReport &report);
    // The remote stayed unreachable or busy (Network, Throttled) through every retry; failed() follows.
    void remoteUnavailable(const fedsync::UserError &error);
    void failed(const fedsync::UserError &error);
    void cancelled();

private:
    // What a pull saved, and the unpushed edits read right after (for the push).
    struct Saved
    {
        LocalStore::ApplyOutcome outcome;
        QList<LocalRecord> toPush;
    };
    // The first trip to the writer after a pull: what was saved when no unpushed edit conflicts with the
    // pull; otherwise nothing is saved and `dirty` holds the unpushed edits (the conflicts are settled
    // here first).
    struct PullStep
    {
        QList<LocalRecord> dirty;
        std::optional<Saved> saved;
    };

    void deleteRemote();
    void pull();
    void requestPage();
    void afterPull();
    // The first trip to the writer after a pull (PullStep). `readEdits`: read the edits to push after the
    // save (Saved::toPush); a push running beside the save sends the edits it read already.
    std::function<StoreResult<PullStep>(LocalStore &)> savePullWork(bool readEdits = true) const;
    // The edits read during the pull can go while the pull is saved: the first round, no pulled key among
    // them, and the dataset within the limits whatever the pull brings. Reads the store for a small pull
    // into a full dataset.
    bool canPushWhileSaving(const LocalDataset &local) const;
    void pushWhileSaving();
    // Runs `next` now, or once the save running beside the push is done.
    void whenSaved(std::function<void()> next);
    // The end of a pull + push round: done, or another round when an edit met a pull that was not saved.
    void roundDone();
    // On the writer's thread: saves the pulled records as `merge` decides with `resolutions`, then
    // (with `readEdits`) reads the unpushed edits to push.
    static StoreResult<Saved> save(LocalStore &store, const QString &dataset, const PullMerge &merge,
                                   const QHash<QString, ConflictResolution> &resolutions, qint64 syncCount,
                                   bool readEdits = true);
    // The pull met conflicts: ask, report or apply the policy, then applyPulled().
    void mergePulled(const QList<LocalRecord> &dirty);
    // The remote deleted the dataset: purge the local copy, or keep its edits as a new dataset.
    void handleRemoteDeletion(const QList<LocalRecord> &dirty);
    void applyPulled(const QHash<QString, ConflictResolution> &resolutions);
    // What the pull saved: the report, then the push of `toPush`.
    void pulledSaved(const Saved &saved);
    void push();
    void pushRecords(const QList<LocalRecord> &dirty);
    void updateRecordsAnswered(const RemoteResult<QList<SyncRecord>> &result,
                               const QList<LocalStore::PushedRecord> &pushing, int total);
    void pushed(const QList<SyncRecord> &accepted, const QList<LocalStore::PushedRecord> &pushing, int total,
                const std::optional<RemoteError> &failure = std::nullopt);
    // After part of the patches went out before `failure`: retried from a pull, or the failure.
    void partlyPushed(const RemoteError &failure);
    // Someone else wrote since the pull (ResourceConflict): pull again, up to the attempts allowed.
    void pullAfterConflict();
    // Reads the unpushed edits on the writer's thread, then goes on with `then` (or fails).
    void readDirty(void (DatasetSync::*then)(const QList<LocalRecord> &));
    // Runs `work` on the writer's thread; `then` gets its outcome here, unless the job ended meanwhile.
    template<typename Work, typename Then> void inStore(Work work, Then then);
    // The dirty records the push must keep back so that the merged dataset stays within the service's
    // record and size limits (new keys, the latest edits first); empty when everything fits.
    QSet<QString> overLimit(const QList<LocalRecord> &dirty);
    // RemoteDataset::state() of the remote dataset right after a push nobody else interleaved with.
    QString stateAfterPush(const QList<SyncRecord> &accepted) const;
    void retryLater(const RemoteError &error, std::function<void()> again);
    void succeed();
    void fail(const UserError &error);
    template<typename T> bool settle(const RemoteResult<T> &result, const std::function<void()> &again);

    LocalStore &m_store;
    BackgroundStoreWriter &m_writer;
    SyncRemote &m_remote;
    const QString m_deviceId;
    const QString m_dataset;
    const ConflictPolicy m_policy;
    const SyncRetryPolicy m_retry;

    RemoteCallHandle m_call;
    QTimer m_backoff;
    SyncReport m_report;
    bool m_done = false;
    bool m_waiting = false;
    bool m_handledDeletion = false;
    int m_attempts = 0;
    int m_transientRetries = 0;
    int m_quotaTaken = 0;

    // The pull in progress / just done.
    qint64 m_baseSyncCount = 0;
    QString m_pageToken;
    ListRecordsReply m_pulled;
    QList<SyncConflict> m_conflicts;
    QHash<QString, ConflictResolution> m_autoResolutions;
    qint64 m_syncCountAfterPull = 0;
    // The unpushed edits read while the pull is in flight (none until they arrive, or when the read
    // failed), for a pull that brings nothing new and for a push beside the save; read again per pull
    // (`m_prefetchRound` tells a late answer from the current). A pull answered before them waits for
    // them (`m_afterPullWaits`): they are ahead of any other work in the writer's queue.
    std::optional<QList<LocalRecord>> m_prefetchedDirty;
    quint64 m_prefetchRound = 0;
    bool m_prefetching = false;
    bool m_afterPullWaits = false;
    QSet<QString> m_unresolved;
    // pushWhileSaving(): the save in flight, what waits for it, and whether it met an edit.
    bool m_saving = false;
    std::function<void()> m_afterSave;
    bool m_pullAgain = false;
    QSet<QString> m_conflictKeys;
    // This job's writes the service accepted and the store recorded (key -> its remote sync count): a
    // later pull in the same job (another round, or after a conflict) brings them back unchanged.
    QHash<QString, qint64> m_ownWrites;
};

// Defined here: both of DatasetSync's source files use it.
template<typename Work, typename Then> void DatasetSync::inStore(Work work, Then then)
{
    m_writer.run(this, std::move(work), [this, then = std::move(then)](const auto &outcome) {
        if (!m_done)
            then(outcome);
    });
}

} // namespace fedsync

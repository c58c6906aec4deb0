// The synchronization of a user's datasets as the application runs it, for the window and fedsync-cli
// alike: one run at a time over every dataset (or one), the periodic sync, the sync before closing, the
// conflicts queued and asked one dataset at a time, and the online/offline state (offline after the
// service stayed unreachable; retried sooner than the periodic sync until it answers again).
//
// Use (a front end):
//     SyncController sync(store, engine);
//     connect(&sync, &SyncController::conflictsToResolve, ..., [&](dataset, conflicts) {
//         ... sync.resolveConflicts(dataset, resolutions or std::nullopt); });
//     connect(&sync, &SyncController::finished, ..., [](const SyncOutcome &outcome) { ... });
//     sync.setInterval(SyncController::DefaultIntervalMs); // the window; the CLI runs once
//     sync.syncNow();
#pragma once

#include "sync/syncengine.h"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <optional>

namespace fedsync {

// The end of one run.
struct SyncOutcome
{
    int succeeded = 0;          // datasets synchronized
    QStringList failedDatasets; // datasets that could not be (the dataset list's failure is not one)
    UserError listError;        // ListDatasets failed: only the datasets on this device were tried
    int unresolved = 0;         // conflicts left for later
    bool cancelled = false;     // by the user (cancel(), or conflicts left unanswered)
    QStringList stoppedDatasets; // not tried this time: the engine stopped once the service was unreachable or busy
    bool offline = false; // the service could not be reached

    bool ok() const
    {
        return failedDatasets.isEmpty() && stoppedDatasets.isEmpty() && !listError.isError() && !cancelled;
    }
};

class SyncController final : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultIntervalMs = 5 * 60 * 1000;
    static constexpr int DefaultCloseTimeoutMs = 10 * 1000;
    static constexpr int DefaultOfflineRetryMs = 30 * 1000;

    // `store` and `engine` must outlive the controller.
    SyncController(LocalStore &store, SyncEngine &engine, QObject *parent = nullptr);
    ~SyncController() override;

    LocalStore &store() const { return m_store; }
    SyncEngine &engine() const { return m_engine; }

    // How runs settle conflicts. Ask (the default): conflictsToResolve, one dataset at a time.
    void setConflictPolicy(ConflictPolicy policy) { m_policy = policy; }
    ConflictPolicy conflictPolicy() const { return m_policy; }

    // Starts a run over every dataset (`only` empty) or one dataset. False when one is running, the
    // controller is closing, or it is suspended (then resumeRequested() asks the front end to reconnect).
    bool syncNow(const QString &only = {});
    // Ends the running run; edits stay pending. finished() follows with `cancelled`.
    void cancel();
    bool isSyncing() const { return m_running; }

    // The periodic run; 0 turns it off (the default, as for the CLI).
    void setInterval(int milliseconds);
    int interval() const { return m_interval; }
    // While offline, the next try comes after this (doubled per failure, at most the interval).
    // A try already scheduled is rescheduled.
    void setOfflineRetryInterval(int milliseconds);

    // No run can reach the service for now (e.g. started offline, not signed in yet): runs are not
    // started, the state is offline with `reason`. resume() leaves it and runs at once.
    void suspend(const UserError &reason);
    void resume();
    bool isSuspended() const { return m_suspended; }
    bool isOffline() const { return m_offline; }
    UserError offlineReason() const { return m_offlineReason; }

    // After conflictsToResolve: the decisions, or std::nullopt to leave the conflicts (edits stay pending).
    void resolveConflicts(const QString &dataset,
                          const std::optional<QList<ConflictResolution>> &resolutions);

    // Local edits not yet accepted by the service (records or a dataset deletion).
    int pendingChanges() const;
    // Sends what is pending, then emits readyToClose() (never from inside this call): when the run ends,
    // fails, or after `timeoutMs`. Conflicts met on the way are left for the next start.
    void syncBeforeClose(int timeoutMs = DefaultCloseTimeoutMs);

Q_SIGNALS:
    void started();
    void progress(const QString &dataset, fedsync::SyncPhase phase, int done, int total);
    // ConflictPolicy::Ask: answer with resolveConflicts(). One dataset at a time.
    void conflictsToResolve(const QString &dataset, const QList<fedsync::SyncConflict> &conflicts);
    // ConflictPolicy::Report: conflicts left for later.
    void conflictsFound(const QString &dataset, const QList<fedsync::SyncConflict> &conflicts);
    void datasetSynchronized(const fedsync::SyncReport &report);
    // A dataset (empty: the dataset list) could not be synchronized. `unreachable`: the service could not
    // be reached (offlineChanged says so too; a window shows one banner, not an error per dataset).
    void datasetFailed(const QString &dataset, const fedsync::UserError &error, bool unreachable);
    void offlineChanged(bool offline, const fedsync::UserError &reason);
    void finished(const fedsync::SyncOutcome &outcome);
    // The user asked to sync while suspended: reconnect (sign in again), then resume().
    void resumeRequested();
    void readyToClose();

private:
    void start(const QString &only);
    void setOffline(bool offline, const UserError &reason);
    void showNextConflicts();
    void runEnded();
    void scheduleNext();
    void finishClosing();

    LocalStore &m_store;
    SyncEngine &m_engine;
    ConflictPolicy m_policy = ConflictPolicy::Ask;
    QTimer m_timer;
    QTimer m_closeTimer;
    int m_interval = 0;
    int m_offlineRetryMs = DefaultOfflineRetryMs;
    int m_offlineFailures = 0;

    bool m_running = false;
    bool m_closing = false;
    bool m_closeSignalled = false;
    bool m_closingRunNext = false;
    bool m_suspended = false;
    bool m_offline = false;
    bool m_asking = false;
    UserError m_offlineReason;
    QString m_only;
    SyncOutcome m_outcome;
    QSet<QString> m_unavailable; // datasets of this run whose failure was "unreachable"
    QList<std::pair<QString, QList<SyncConflict>>> m_conflictQueue;
};

} // namespace fedsync

Q_DECLARE_METATYPE(fedsync::SyncOutcome)

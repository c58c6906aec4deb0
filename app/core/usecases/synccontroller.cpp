#include "usecases/synccontroller.h"

#include "log/logcategories.h"
#include "usecases/connectivity.h"

namespace fedsync {

SyncController::SyncController(LocalStore &store, SyncEngine &engine, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_engine(engine)
{
    qRegisterMetaType<SyncOutcome>();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_running || m_closing)
            return;
        if (m_suspended)
            Q_EMIT resumeRequested(); // the front end reconnects, then resumes or suspends again
        else
            start({});
    });
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcUsecases) << "sync before closing timed out";
        m_engine.cancelAll();
        finishClosing();
    });

    connect(&m_engine, &SyncEngine::progress, this,
            [this](const QString &dataset, SyncPhase phase, int done, int total) {
                if (m_running)
                    Q_EMIT progress(dataset, phase, done, total);
            });
    connect(&m_engine, &SyncEngine::conflictsFound, this,
            [this](const QString &dataset, const QList<SyncConflict> &conflicts) {
                if (!m_running || m_closing)
                    return; // a closing run reports them at the next start
                if (m_policy != ConflictPolicy::Ask) {
                    Q_EMIT conflictsFound(dataset, conflicts);
                    return;
                }
                m_conflictQueue.append({dataset, conflicts});
                // The engine starts waiting only after this signal: ask once it does.
                QTimer::singleShot(0, this, &SyncController::showNextConflicts);
            });
    connect(&m_engine, &SyncEngine::remoteUnavailable, this,
            [this](const QString &dataset, const UserError &error) {
                m_unavailable.insert(dataset);
                setOffline(true, error);
            });
    connect(&m_engine, &SyncEngine::failed, this, [this](const QString &dataset, const UserError &error) {
        if (!m_running)
            return;
        // Unreachable, or the credentials could not be had because AWS is down: offline, not an error.
        const bool unreachable = m_unavailable.remove(dataset) || isServiceUnreachable(error);
        if (unreachable) {
            m_outcome.offline = true;
            setOffline(true, error);
        }
        if (dataset.isEmpty())
            m_outcome.listError = error;
        else
            m_outcome.failedDatasets << dataset;
        if (!m_closing)
            Q_EMIT datasetFailed(dataset, error, unreachable);
    });
    // A dataset this controller cancelled (cancel(), conflicts left unanswered) makes the run cancelled;
    // one cancelled otherwise was stopped by the engine after the service was found unreachable or busy:
    // its edits wait for the next run.
    connect(&m_engine, &SyncEngine::cancelled, this, [this](const QString &dataset) {
        if (!m_running)
            return;
        if (!m_outcome.cancelled && !dataset.isEmpty())
            m_outcome.stoppedDatasets << dataset;
    });
    connect(&m_engine, &SyncEngine::finished, this, [this](const QString &dataset, const SyncReport &report) {
        setOffline(false, {}); // the service answered
        if (!m_running)
            return;
        ++m_outcome.succeeded;
        m_outcome.unresolved += report.unresolved;
        Q_EMIT datasetSynchronized(report);
        if (!m_only.isEmpty() && dataset == m_only)
            runEnded();
    });
    connect(&m_engine, &SyncEngine::failed, this, [this](const QString &dataset) {
        if (m_running && !m_only.isEmpty() && dataset == m_only)
            runEnded();
    });
    connect(&m_engine, &SyncEngine::cancelled, this, [this](const QString &dataset) {
        if (m_running && !m_only.isEmpty() && dataset == m_only)
            runEnded();
    });
    connect(&m_engine, &SyncEngine::allFinished, this, [this] {
        if (m_running && m_only.isEmpty())
            runEnded();
    });
}

SyncController::~SyncController() = default;

bool SyncController::syncNow(const QString &only)
{
    if (m_closing || m_running)
        return false;
    if (m_suspended) {
        Q_EMIT resumeRequested();
        return false;
    }
    start(only);
    return true;
}

void SyncController::start(const QString &only)
{
    m_timer.stop();
    m_running = true;
    m_only = only;
    m_outcome = {};
    m_unavailable.clear();
    m_conflictQueue.clear();
    const ConflictPolicy policy = m_closing ? ConflictPolicy::Report : m_policy;
    Q_EMIT started();
    if (only.isEmpty())
        m_engine.synchronizeAll(policy);
    else
        m_engine.synchronize(only, policy);
}

void SyncController::cancel()
{
    if (!m_running)
        return;
    m_outcome.cancelled = true;
    if (m_only.isEmpty())
        m_engine.cancelAll();
    else
        m_engine.cancel(m_only);
}

void SyncController::runEnded()
{
    m_running = false;
    m_conflictQueue.clear();
    m_asking = false;
    const SyncOutcome outcome = m_outcome;
    qCInfo(lcUsecases) << "sync run ended: synchronized" << outcome.succeeded << "failed"
                       << outcome.failedDatasets.size() << "list failed" << outcome.listError.isError()
                       << "offline" << outcome.offline << "cancelled" << outcome.cancelled;
    if (m_closing) {
        if (std::exchange(m_closingRunNext, false))
            start({});
        else
            finishClosing();
        return;
    }
    scheduleNext();
    Q_EMIT finished(outcome);
}

void SyncController::scheduleNext()
{
    if (m_closing)
        return;
    if (m_offline) {
        // Sooner than the periodic run, backing off while the service stays away.
        ++m_offlineFailures;
        qint64 delay = qint64(m_offlineRetryMs) << std::min(m_offlineFailures - 1, 8);
        if (m_interval > 0)
            delay = std::min<qint64>(delay, std::max(m_interval, m_offlineRetryMs));
        delay = std::min<qint64>(delay, 60LL * 60 * 1000);
        if (m_offlineRetryMs > 0)
            m_timer.start(int(delay));
        return;
    }
    if (m_interval > 0)
        m_timer.start(m_interval);
}

void SyncController::setInterval(int milliseconds)
{
    m_interval = std::max(milliseconds, 0);
    if (m_running || m_closing)
        return;
    m_timer.stop();
    if (m_interval > 0 || m_offline)
        scheduleNext();
}

void SyncController::setOfflineRetryInterval(int milliseconds)
{
    m_offlineRetryMs = milliseconds;
    if (m_offline && m_timer.isActive()) {
        m_timer.stop();
        m_offlineFailures = std::max(m_offlineFailures - 1, 0); // the same try, sooner or later
        scheduleNext();
    }
}

void SyncController::setOffline(bool offline, const UserError &reason)
{
    if (!offline)
        m_offlineFailures = 0;
    if (offline == m_offline && (!offline || reason.what == m_offlineReason.what))
        return;
    m_offline = offline;
    m_offlineReason = offline ? reason : UserError();
    Q_EMIT offlineChanged(offline, m_offlineReason);
}

void SyncController::suspend(const UserError &reason)
{
    m_suspended = true;
    if (m_running)
        cancel();
    setOffline(true, reason);
    if (!m_running)
        scheduleNext();
}

void SyncController::resume()
{
    if (!m_suspended)
        return;
    m_suspended = false;
    m_offlineFailures = 0;
    m_timer.stop();
    if (!m_running && !m_closing)
        start({});
}

void SyncController::showNextConflicts()
{
    if (m_asking || m_conflictQueue.isEmpty())
        return;
    const auto [dataset, conflicts] = m_conflictQueue.takeFirst();
    if (!m_engine.isWaitingForResolution(dataset))
        return showNextConflicts();
    m_asking = true;
    Q_EMIT conflictsToResolve(dataset, conflicts);
}

void SyncController::resolveConflicts(const QString &dataset,
                                      const std::optional<QList<ConflictResolution>> &resolutions)
{
    m_asking = false;
    if (resolutions) {
        m_engine.resolveConflicts(dataset, *resolutions);
    } else {
        // The user declined to settle them: a cancel by the user (not a dataset the engine stopped),
        // so the outcome is not ok and the edits stay pending.
        if (m_running)
            m_outcome.cancelled = true;
        m_engine.cancel(dataset);
    }
    QTimer::singleShot(0, this, &SyncController::showNextConflicts);
}

int SyncController::pendingChanges() const
{
    const auto datasets = m_store.listDatasets();
    if (!datasets.ok())
        return 0;
    int count = 0;
    for (const LocalDataset &dataset : datasets.value) {
        if (dataset.isPendingDelete()) {
            ++count;
            continue;
        }
        const auto dirty = m_store.dirtyRecords(dataset.name);
        if (dirty.ok())
            count += int(dirty.value.size());
    }
    return count;
}

void SyncController::syncBeforeClose(int timeoutMs)
{
    if (m_closing)
        return;
    m_timer.stop();
    if (m_running)
        cancel(); // an Ask run could wait for a decision nobody will make now
    m_closing = true;
    if (m_suspended || pendingChanges() == 0) {
        QTimer::singleShot(0, this, &SyncController::finishClosing);
        return;
    }
    m_closeTimer.start(timeoutMs);
    if (m_running) {
        m_closingRunNext = true; // after the cancelled run has ended
        return;
    }
    start({});
}

void SyncController::finishClosing()
{
    if (m_closeSignalled)
        return;
    m_closeSignalled = true;
    m_closeTimer.stop();
    Q_EMIT readyToClose();
}

} // namespace fedsync

// SyncController over a real SQLite store and an in-memory Cognito Sync (with injected failures): one run
// at a time, the outcome (the dataset list's failure is not a dataset), offline detection and the retry
// that sends everything once the service answers again, conflicts asked one dataset at a time, suspend
// and resume, the periodic run, and the sync before closing.
#include "memorysyncremote.h"
#include "testmain.h"
#include "usecases/connectivity.h"
#include "usecases/synccontroller.h"

#include <QSignalSpy>
#include <QTemporaryDir>

using namespace fedsync;
using Op = MemorySyncRemote::Operation;

namespace {
SyncRetryPolicy quickRetries()
{
    SyncRetryPolicy retry;
    retry.maxTransientRetries = 1;
    retry.initialBackoffMs = 5;
    retry.maxBackoffMs = 10;
    return retry;
}
} // namespace

class TestSyncController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void runsEveryDatasetOnce();
    void oneDataset();
    void listFailureIsNotCountedAsADataset();
    void offlineThenBackSendsEverything();
    void conflictsAskedOneDatasetAtATime();
    void conflictsLeftPendingWhenNotAnswered();
    void suspendedRunsNothingUntilResumed();
    void periodicRun();
    void interruptedPushLosesNothing();
    void syncBeforeCloseSendsPending();
    void syncBeforeCloseWithNothingPending();
    void unreachableErrors_data();
    void unreachableErrors();

private:
    SyncOutcome runOnce(const QString &only = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MemorySyncRemote> m_remote;
    std::unique_ptr<LocalStore> m_store;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<SyncController> m_sync;
};

void TestSyncController::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_remote = std::make_unique<MemorySyncRemote>();
    m_store = std::make_unique<LocalStore>(m_dir->filePath(QStringLiteral("s.sqlite")));
    QVERIFY(!m_store->open().isError());
    m_engine = std::make_unique<SyncEngine>(*m_store, *m_remote, QStringLiteral("device"));
    m_engine->setRetryPolicy(quickRetries());
    m_sync = std::make_unique<SyncController>(*m_store, *m_engine);
}

void TestSyncController::cleanup()
{
    m_sync.reset();
    m_engine.reset();
    m_store.reset();
    m_remote.reset();
    m_dir.reset();
}

SyncOutcome TestSyncController::runOnce(const QString &only)
{
    QSignalSpy finished(m_sync.get(), &SyncController::finished);
    if (!m_sync->syncNow(only))
        return {};
    if (!finished.wait(5000))
        return {};
    return finished.first().first().value<SyncOutcome>();
}

void TestSyncController::runsEveryDatasetOnce()
{
    QVERIFY(!m_store->putValue(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("1")).isError());
    QVERIFY(!m_store->putValue(QStringLiteral("b"), QStringLiteral("k"), QStringLiteral("2")).isError());
    m_remote->serverPut(QStringLiteral("c"), QStringLiteral("k"), QStringLiteral("from elsewhere"));
    QCOMPARE(m_sync->pendingChanges(), 2);
    QSignalSpy started(m_sync.get(), &SyncController::started);
    QSignalSpy finished(m_sync.get(), &SyncController::finished);
    QVERIFY(m_sync->syncNow());
    QVERIFY(m_sync->isSyncing());
    QVERIFY(!m_sync->syncNow()); // one run at a time
    QVERIFY(finished.wait());
    QCOMPARE(started.size(), 1);
    const auto outcome = finished.first().first().value<SyncOutcome>();
    QVERIFY(outcome.ok());
    QCOMPARE(outcome.succeeded, 3);
    QCOMPARE(m_sync->pendingChanges(), 0);
    QCOMPARE(*m_store->record(QStringLiteral("c"), QStringLiteral("k")).value->record.value,
             QStringLiteral("from elsewhere"));
    QVERIFY(!m_sync->isOffline());
}

void TestSyncController::oneDataset()
{
    QVERIFY(!m_store->putValue(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("1")).isError());
    QVERIFY(!m_store->putValue(QStringLiteral("b"), QStringLiteral("k"), QStringLiteral("2")).isError());
    const SyncOutcome outcome = runOnce(QStringLiteral("a"));
    QVERIFY(outcome.ok());
    QCOMPARE(outcome.succeeded, 1);
    QVERIFY(m_remote->hasDataset(QStringLiteral("a")));
    QVERIFY(!m_remote->hasDataset(QStringLiteral("b")));
    QCOMPARE(m_remote->requestCount(Op::ListDatasets), 0);
}

void TestSyncController::listFailureIsNotCountedAsADataset()
{
    // One dataset, and both the list and the dataset fail: one dataset failed, not two.
    QVERIFY(!m_store->putValue(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("1")).isError());
    m_remote->failNext(Op::ListDatasets, RemoteErrorKind::Other, 1);
    m_remote->failNext(Op::ListRecords, RemoteErrorKind::Other, 1);
    QSignalSpy failed(m_sync.get(), &SyncController::datasetFailed);
    const SyncOutcome outcome = runOnce();
    QVERIFY(!outcome.ok());
    QCOMPARE(outcome.failedDatasets, QStringList{QStringLiteral("a")});
    QVERIFY(outcome.listError.isError());
    QVERIFY(!outcome.offline);
    QCOMPARE(failed.size(), 2);
    QCOMPARE(failed.at(0).at(0).toString(), QString()); // the list
    QCOMPARE(failed.at(0).at(2).toBool(), false);
}

void TestSyncController::offlineThenBackSendsEverything()
{
    QVERIFY(!m_store->putValue(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("offline edit"))
                 .isError());
    m_sync->setInterval(60 * 60 * 1000); // the periodic run would be far too late
    m_sync->setOfflineRetryInterval(50);
    // Unreachable for the first run (the list and the dataset's try and retry) and the first retry.
    m_remote->failNext(Op::ListDatasets, RemoteErrorKind::Network, 2);
    m_remote->failNext(Op::ListRecords, RemoteErrorKind::Network, 4);
    QSignalSpy offline(m_sync.get(), &SyncController::offlineChanged);
    QSignalSpy finished(m_sync.get(), &SyncController::finished);
    QVERIFY(m_sync->syncNow());
    QVERIFY(finished.wait());
    const auto first = finished.first().first().value<SyncOutcome>();
    QVERIFY(first.offline);
    QVERIFY(!first.ok());
    QVERIFY(m_sync->isOffline());
    QCOMPARE(offline.size(), 1);
    QCOMPARE(offline.first().first().toBool(), true);
    QVERIFY(m_sync->offlineReason().isError());
    QCOMPARE(m_sync->pendingChanges(), 1);

    // Nobody presses anything: the controller tries again, sooner than the periodic run, until it works.
    QTRY_VERIFY_WITH_TIMEOUT(!m_sync->isOffline(), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_sync->pendingChanges(), 0, 5000);
    QCOMPARE(*m_remote->serverRecord(QStringLiteral("a"), QStringLiteral("k"))->value,
             QStringLiteral("offline edit"));
    QVERIFY(finished.size() >= 3);
    QTRY_VERIFY(finished.last().first().value<SyncOutcome>().ok());
    QCOMPARE(offline.last().first().toBool(), false);
}

void TestSyncController::conflictsAskedOneDatasetAtATime()
{
    for (const QString &dataset : {QStringLiteral("a"), QStringLiteral("b")})
        QVERIFY(!m_store->putValue(dataset, QStringLiteral("k"), QStringLiteral("base")).isError());
    QVERIFY(runOnce().ok());
    for (const QString &dataset : {QStringLiteral("a"), QStringLiteral("b")}) {
        m_remote->serverPut(dataset, QStringLiteral("k"), QStringLiteral("theirs"));
        QVERIFY(!m_store->putValue(dataset, QStringLiteral("k"), QStringLiteral("mine")).isError());
    }
    QSignalSpy asked(m_sync.get(), &SyncController::conflictsToResolve);
    QSignalSpy finished(m_sync.get(), &SyncController::finished);
    QVERIFY(m_sync->syncNow());
    QVERIFY(asked.wait());
    QTest::qWait(50);
    QCOMPARE(asked.size(), 1); // the second waits for the first answer
    const QString first = asked.first().first().toString();
    m_sync->resolveConflicts(first, QList{ConflictResolution::keepMine(QStringLiteral("k"))});
    QTRY_COMPARE(asked.size(), 2);
    const QString second = asked.at(1).first().toString();
    QVERIFY(first != second);
    m_sync->resolveConflicts(second, QList{ConflictResolution::keepTheirs(QStringLiteral("k"))});
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(finished.first().first().value<SyncOutcome>().ok());
    QCOMPARE(*m_remote->serverRecord(first, QStringLiteral("k"))->value, QStringLiteral("mine"));
    QCOMPARE(*m_store->record(second, QStringLiteral("k")).value->record.value, QStringLiteral("theirs"));
}

void TestSyncController::conflictsLeftPendingWhenNotAnswered()
{
    QVERIFY(!m_store->putValue(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("base")).isError());
    QVERIFY(runOnce().ok());
    m_remote->serverPut(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("theirs"));
    QVERIFY(!m_store->putValue(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("mine")).isError());
    QSignalSpy asked(m_sync.get(), &SyncController::conflictsToResolve);
    QSignalSpy finished(m_sync.get(), &SyncController::finished);
    QVERIFY(m_sync->syncNow());
    QVERIFY(asked.wait());
    m_sync->resolveConflicts(QStringLiteral("a"), std::nullopt);
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(!finished.first().first().value<SyncOutcome>().ok());
    QCOMPARE(m_sync->pendingChanges(), 1);
    QCOMPARE(*m_remote->serverRecord(QStringLiteral("a"), QStringLiteral("k"))->value,
             QStringLiteral("theirs"));
}

void TestSyncController::suspendedRunsNothingUntilResumed()
{
    QVERIFY(!m_store->putValue(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("1")).isError());
    m_sync->setOfflineRetryInterval(30);
    QSignalSpy resumeRequested(m_sync.get(), &SyncController::resumeRequested);
    m_sync->suspend(
        UserError::make(QStringLiteral("net.refused"), QStringLiteral("Could not reach the provider")));
    QVERIFY(m_sync->isSuspended());
    QVERIFY(m_sync->isOffline());
    QVERIFY(!m_sync->syncNow());
    QCOMPARE(resumeRequested.size(), 1); // the front end is asked to reconnect
    QVERIFY(resumeRequested.wait());     // and asked again later by itself
    QCOMPARE(m_remote->totalRequests(), 0);

    QSignalSpy finished(m_sync.get(), &SyncController::finished);
    m_sync->resume(); // signed in again: runs at once
    QVERIFY(m_sync->isSyncing());
    QVERIFY(finished.wait());
    QVERIFY(finished.first().first().value<SyncOutcome>().ok());
    QVERIFY(!m_sync->isOffline());
    QCOMPARE(m_sync->pendingChanges(), 0);
}

void TestSyncController::periodicRun()
{
    QVERIFY(!m_store->putValue(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("1")).isError());
    QCOMPARE(m_sync->interval(), 0);
    QSignalSpy finished(m_sync.get(), &SyncController::finished);
    m_sync->setInterval(100);
    QVERIFY(finished.wait());
    QVERIFY(finished.wait()); // and again
    QCOMPARE(m_sync->pendingChanges(), 0);
    m_sync->setInterval(0);
    const int runs = int(finished.size());
    QTest::qWait(300);
    QCOMPARE(finished.size(), runs);
}

void TestSyncController::interruptedPushLosesNothing()
{
    // The machine sleeps while UpdateRecords is on the way: the server applied it, the answer never came.
    QVERIFY(!m_store->putValue(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("base")).isError());
    QVERIFY(runOnce().ok());
    QVERIFY(!m_store->putValue(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("edited")).isError());
    QVERIFY(
        !m_store->putValue(QStringLiteral("a"), QStringLiteral("new"), QStringLiteral("added")).isError());
    m_remote->setLatency(200);
    m_remote->setRequestHook([this](Op operation, const QString &) {
        if (operation == Op::UpdateRecords)
            QTimer::singleShot(0, m_sync.get(), [this] { m_sync->cancel(); });
    });
    QSignalSpy asked(m_sync.get(), &SyncController::conflictsToResolve);
    const SyncOutcome interrupted = runOnce();
    QVERIFY(interrupted.cancelled);
    QCOMPARE(*m_remote->serverRecord(QStringLiteral("a"), QStringLiteral("k"))->value,
             QStringLiteral("edited"));
    QCOMPARE(m_sync->pendingChanges(), 2); // not confirmed: still pending here

    // Awake again: the next run settles it without asking and without losing either edit.
    m_remote->setRequestHook({});
    m_remote->setLatency(0);
    QVERIFY(runOnce().ok());
    QCOMPARE(asked.size(), 0);
    QCOMPARE(m_sync->pendingChanges(), 0);
    QCOMPARE(*m_store->record(QStringLiteral("a"), QStringLiteral("k")).value->record.value,
             QStringLiteral("edited"));
    QCOMPARE(*m_remote->serverRecord(QStringLiteral("a"), QStringLiteral("new"))->value,
             QStringLiteral("added"));
}

void TestSyncController::syncBeforeCloseSendsPending()
{
    QVERIFY(
        !m_store->putValue(QStringLiteral("a"), QStringLiteral("last"), QStringLiteral("edit")).isError());
    m_remote->setLatency(50);
    QSignalSpy ready(m_sync.get(), &SyncController::readyToClose);
    m_sync->syncBeforeClose();
    QVERIFY(ready.isEmpty());
    QVERIFY(ready.wait());
    QCOMPARE(*m_remote->serverRecord(QStringLiteral("a"), QStringLiteral("last"))->value,
             QStringLiteral("edit"));
    QVERIFY(!m_sync->syncNow()); // closing: nothing more starts
}

void TestSyncController::syncBeforeCloseWithNothingPending()
{
    QSignalSpy ready(m_sync.get(), &SyncController::readyToClose);
    m_sync->syncBeforeClose();
    QVERIFY(ready.isEmpty());
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(m_remote->totalRequests(), 0);
}

void TestSyncController::unreachableErrors_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("unreachable");
    QTest::newRow("refused") << QStringLiteral("net.refused") << true;
    QTest::newRow("timeout") << QStringLiteral("net.timeout") << true;
    QTest::newRow("dns") << QStringLiteral("net.dns") << true;
    QTest::newRow("provider 503") << QStringLiteral("oidc.http.503") << true;
    QTest::newRow("aws 5xx") << QStringLiteral("aws.service") << true;
    QTest::newRow("aws throttled") << QStringLiteral("aws.throttled") << true;
    QTest::newRow("tls") << QStringLiteral("net.tls") << false;
    QTest::newRow("refused grant") << QStringLiteral("oidc.token.invalid_grant") << false;
    QTest::newRow("provider 400") << QStringLiteral("oidc.http.400") << false;
    QTest::newRow("keychain") << QStringLiteral("secrets.denied") << false;
}

void TestSyncController::unreachableErrors()
{
    QFETCH(QString, code);
    QFETCH(bool, unreachable);
    QCOMPARE(isServiceUnreachable(UserError::make(code, QStringLiteral("what"))), unreachable);
}

FEDSYNC_TEST_MAIN(TestSyncController)
#include "tst_synccontroller.moc"

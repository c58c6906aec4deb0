// SyncEngine against MemorySyncRemote: two devices of one identity converging, conflict policies,
// retries, deletions on either side, request counts, cancellation, and a crash before any sync.
#include "killedchild.h"
#include "memorysyncremote.h"
#include "rawconnection.h"
#include "sync/syncengine.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fedsync;
using Op = MemorySyncRemote::Operation;
using fedsync::test::RawConnection;

namespace {

// One device: its own store file and engine, sharing the remote (the identity's server data).
struct Device
{
    Device(const QString &path, MemorySyncRemote &remote, const QString &id)
        : store(path)
        , engine(store, remote, id)
    {
        opened = !store.open().isError();
        SyncRetryPolicy retry;
        retry.initialBackoffMs = 5;
        retry.maxBackoffMs = 20;
        engine.setRetryPolicy(retry);
    }

    // Runs one sync to its end; returns the report (requests = -1 when it failed).
    SyncReport sync(const QString &dataset, ConflictPolicy policy = ConflictPolicy::Report,
                    UserError *error = nullptr)
    {
        QSignalSpy finished(&engine, &SyncEngine::finished);
        QSignalSpy failed(&engine, &SyncEngine::failed);
        engine.synchronize(dataset, policy);
        SyncReport none;
        none.dataset = dataset;
        if (!QTest::qWaitFor([&]() { return !finished.isEmpty() || !failed.isEmpty(); }, 5000)) {
            none.requests = -2;
            return none;
        }
        if (!failed.isEmpty()) {
            if (error)
                *error = failed.first().at(1).value<UserError>();
            none.requests = -1;
            return none;
        }
        return finished.first().at(1).value<SyncReport>();
    }

    QString value(const QString &dataset, const QString &key) const
    {
        const auto record = store.record(dataset, key).value;
        return record && record->record.value ? *record->record.value : QStringLiteral("<none>");
    }
    bool dirty(const QString &dataset, const QString &key) const
    {
        const auto record = store.record(dataset, key).value;
        return record && record->dirty;
    }
    QMap<QString, QString> contents(const QString &dataset) const
    {
        QMap<QString, QString> map;
        for (const LocalRecord &record : store.records(dataset).value)
            map.insert(record.record.key, *record.record.value);
        return map;
    }

    LocalStore store;
    SyncEngine engine;
    bool opened = false;
};

QMap<QString, QString> serverContents(const MemorySyncRemote &remote, const QString &dataset)
{
    QMap<QString, QString> map;
    for (const SyncRecord &record : remote.serverRecords(dataset))
        map.insert(record.key, *record.value);
    return map;
}

const QString D = QStringLiteral("prefs");

} // namespace

class TestSyncEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void pushesNewDataset();
    void twoDevicesConverge();
    void requestCounts();
    void conflictPolicies_data();
    void conflictPolicies();
    void unresolvedConflictComesBack();
    void askThenResolve();
    void resourceConflictIsRetried();
    void anotherWriteBetweenListAndUpdateIsPulledNext();
    void resourceConflictGivesUpAfterThreeAttempts();
    void transientErrorsAreAbsorbed();
    void transientErrorsAreReportedWhenPersistent();
    void notAuthorizedFailsAtOnce();
    void deletedOnOtherDevice_data();
    void deletedOnOtherDevice();
    void localDeleteIsSentThenPurged();
    void pagesAreFollowed();
    void cancelDuringPushSendsEditOnce();
    void cancelDuringPullKeepsEditPending();
    void editsDuringThePullAreSentNext();
    void pushGoesWhileThePullIsSaved_data();
    void pushGoesWhileThePullIsSaved();
    void editMeetingThePullDuringThePushIsSettledNext();
    void pushTakenButPullNotSavedIsSettledNext();
    void pushBesideTheSaveRidesOutTheNetwork_data();
    void pushBesideTheSaveRidesOutTheNetwork();
    void pushBesideTheSaveMeetsAnotherWriter();
    void cancelFromProgressSlotSendsNothing();
    void requestsWhileRunningAreQueuedOnce();
    void synchronizeAllIncludesRemoteDatasets();
    void synchronizeAllSkipsUnchangedDatasets();
    void crashBeforeSyncLosesNothing();

private:
    std::unique_ptr<Device> device(const QString &name)
    {
        return std::make_unique<Device>(m_dir->filePath(name + QStringLiteral(".sqlite")), *m_remote, name);
    }
    // Device "a" with "k" synced, then edited to "mine"; another device puts `theirsKey` between a's
    // next ListRecords and its UpdateRecords (once).
    std::unique_ptr<Device> editedWhileAnotherWrites(const QString &theirsKey, bool *wrote)
    {
        auto a = device(QStringLiteral("a"));
        if (a->store.putValue(D, QStringLiteral("k"), QStringLiteral("base")).isError() || a->sync(D).requests <= 0 ||
            a->store.putValue(D, QStringLiteral("k"), QStringLiteral("mine")).isError())
            return nullptr;
        m_remote->setRequestHook([this, theirsKey, wrote](Op op, const QString &) {
            if (op == Op::UpdateRecords && !*wrote) {
                *wrote = true;
                m_remote->serverPut(D, theirsKey, QStringLiteral("theirs"));
            }
        });
        return a;
    }
    // Device "a" with "k" synced, then "mine" edited while another device put "other": a sync that pulls
    // "other" and pushes "mine", at a network's pace (the edits are read before the pull answers), so
    // that the push goes beside the pull's save (pushGoesWhileThePullIsSaved shows it does).
    std::unique_ptr<Device> editedWhileAnotherAdded()
    {
        auto a = device(QStringLiteral("a"));
        if (a->store.putValue(D, QStringLiteral("k"), QStringLiteral("base")).isError() ||
            a->sync(D).pushed != 1 ||
            a->store.putValue(D, QStringLiteral("mine"), QStringLiteral("m")).isError())
            return nullptr;
        m_remote->serverPut(D, QStringLiteral("other"), QStringLiteral("theirs"));
        m_remote->setLatency(20);
        m_remote->resetRequestCounts();
        return a;
    }
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MemorySyncRemote> m_remote;
};

void TestSyncEngine::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_remote = std::make_unique<MemorySyncRemote>();
}

void TestSyncEngine::cleanup()
{
    m_remote.reset();
    m_dir.reset();
}

void TestSyncEngine::pushesNewDataset()
{
    auto a = device(QStringLiteral("a"));
    QVERIFY(a->opened);
    QVERIFY(!a->store.putValue(D, QStringLiteral("theme"), QStringLiteral("dark")).isError());
    QVERIFY(!a->store.putValue(D, QStringLiteral("lang"), QStringLiteral("fr")).isError());
    const SyncReport report = a->sync(D);
    QCOMPARE(report.requests, 2);
    QCOMPARE(report.pushed, 2);
    QCOMPARE(report.pulled, 0);
    QCOMPARE(serverContents(*m_remote, D), a->contents(D));
    QVERIFY(a->store.dirtyRecords(D).value.isEmpty());
    QCOMPARE(a->store.dataset(D).value->lastSyncCount, 1);
    // Nothing changed anywhere: one ListRecords, which does not return our own write.
    const SyncReport again = a->sync(D);
    QCOMPARE(again.requests, 1);
    QCOMPARE(again.pulled, 0);
}

void TestSyncEngine::twoDevicesConverge()
{
    auto a = device(QStringLiteral("a"));
    auto b = device(QStringLiteral("b"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("one"), QStringLiteral("1")).isError());
    QVERIFY(a->sync(D).requests > 0);
    QVERIFY(b->sync(D).requests > 0);
    QCOMPARE(b->value(D, QStringLiteral("one")), QStringLiteral("1"));

    QVERIFY(!b->store.putValue(D, QStringLiteral("two"), QStringLiteral("2")).isError());
    QVERIFY(!a->store.putValue(D, QStringLiteral("three"), QStringLiteral("3")).isError());
    QVERIFY(!a->store.removeValue(D, QStringLiteral("one")).isError());
    QVERIFY(b->sync(D).requests > 0);
    QVERIFY(!b->store.putValue(D, QStringLiteral("four"), QStringLiteral("4")).isError());
    QVERIFY(a->sync(D).requests > 0);
    QVERIFY(!a->store.putValue(D, QStringLiteral("two"), QStringLiteral("2a")).isError());
    QVERIFY(b->sync(D).requests > 0);
    QVERIFY(a->sync(D).requests > 0);
    QVERIFY(b->sync(D).requests > 0);

    const QMap<QString, QString> expected{{QStringLiteral("two"), QStringLiteral("2a")},
                                          {QStringLiteral("three"), QStringLiteral("3")},
                                          {QStringLiteral("four"), QStringLiteral("4")}};
    QCOMPARE(serverContents(*m_remote, D), expected);
    QCOMPARE(a->contents(D), expected);
    QCOMPARE(b->contents(D), expected);
    QVERIFY(a->store.dirtyRecords(D).value.isEmpty());
    QVERIFY(b->store.dirtyRecords(D).value.isEmpty());
    QCOMPARE(a->store.dataset(D).value->recordCount, 3);
}

void TestSyncEngine::requestCounts()
{
    auto a = device(QStringLiteral("a"));
    auto b = device(QStringLiteral("b"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("x"), QStringLiteral("1")).isError());
    QCOMPARE(a->sync(D).requests, 2);
    QCOMPARE(b->sync(D).requests, 1); // pull only

    // Changes on both sides, no conflict: ListRecords + UpdateRecords, only changed records move.
    QVERIFY(!b->store.putValue(D, QStringLiteral("y"), QStringLiteral("2")).isError());
    QCOMPARE(b->sync(D).requests, 2);
    QVERIFY(!a->store.putValue(D, QStringLiteral("z"), QStringLiteral("3")).isError());
    m_remote->resetRequestCounts();
    const SyncReport report = a->sync(D);
    QCOMPARE(report.requests, 2);
    QCOMPARE(m_remote->requestCount(Op::ListRecords), 1);
    QCOMPARE(m_remote->requestCount(Op::UpdateRecords), 1);
    QCOMPARE(report.pulled, 1);
    QCOMPARE(report.pushed, 1);
    QCOMPARE(m_remote->acceptedPatches(D, QStringLiteral("x")), 1);

    // Pull-only, nothing to push: one request.
    m_remote->resetRequestCounts();
    const SyncReport pull = b->sync(D);
    QCOMPARE(pull.requests, 1);
    QCOMPARE(pull.pulled, 1);
    QCOMPARE(m_remote->totalRequests(), 1);
    QCOMPARE(b->contents(D), a->contents(D));
}

void TestSyncEngine::conflictPolicies_data()
{
    QTest::addColumn<ConflictPolicy>("policy");
    QTest::addColumn<bool>("localEditIsNewer");
    QTest::addColumn<QString>("expected");
    QTest::newRow("keep mine") << ConflictPolicy::KeepMine << false << QStringLiteral("mine");
    QTest::newRow("keep theirs") << ConflictPolicy::KeepTheirs << true << QStringLiteral("theirs");
    QTest::newRow("newest wins: local") << ConflictPolicy::NewestWins << true << QStringLiteral("mine");
    QTest::newRow("newest wins: remote") << ConflictPolicy::NewestWins << false << QStringLiteral("theirs");
}

void TestSyncEngine::conflictPolicies()
{
    QFETCH(ConflictPolicy, policy);
    QFETCH(bool, localEditIsNewer);
    QFETCH(QString, expected);
    auto a = device(QStringLiteral("a"));
    auto b = device(QStringLiteral("b"));
    const QString k = QStringLiteral("k");
    QVERIFY(!a->store.putValue(D, k, QStringLiteral("base")).isError());
    QVERIFY(a->sync(D).requests > 0);
    QVERIFY(b->sync(D).requests > 0);

    if (localEditIsNewer) {
        QVERIFY(!b->store.putValue(D, k, QStringLiteral("theirs")).isError());
        QVERIFY(b->sync(D).requests > 0);
        QTest::qWait(20);
        QVERIFY(!a->store.putValue(D, k, QStringLiteral("mine")).isError());
    } else {
        QVERIFY(!a->store.putValue(D, k, QStringLiteral("mine")).isError());
        QTest::qWait(20);
        QVERIFY(!b->store.putValue(D, k, QStringLiteral("theirs")).isError());
        QVERIFY(b->sync(D).requests > 0);
    }
    QVERIFY(!a->store.putValue(D, QStringLiteral("other"), QStringLiteral("o")).isError());
    const SyncReport report = a->sync(D, policy);
    QCOMPARE(report.conflicts, 1);
    QCOMPARE(report.unresolved, 0);
    QCOMPARE(a->value(D, k), expected);
    QCOMPARE(m_remote->serverRecord(D, k)->value, std::optional<QString>(expected));
    QVERIFY(a->store.dirtyRecords(D).value.isEmpty());
    QVERIFY(b->sync(D).requests > 0);
    QCOMPARE(b->contents(D), a->contents(D));
}

void TestSyncEngine::unresolvedConflictComesBack()
{
    auto a = device(QStringLiteral("a"));
    auto b = device(QStringLiteral("b"));
    const QString k = QStringLiteral("k");
    QVERIFY(!a->store.putValue(D, k, QStringLiteral("base")).isError());
    QVERIFY(a->sync(D).requests > 0);
    QVERIFY(b->sync(D).requests > 0);
    QVERIFY(!b->store.putValue(D, k, QStringLiteral("theirs")).isError());
    QVERIFY(!b->store.putValue(D, QStringLiteral("later"), QStringLiteral("l")).isError());
    QVERIFY(b->sync(D).requests > 0);
    QVERIFY(!a->store.putValue(D, k, QStringLiteral("mine")).isError());
    QVERIFY(!a->store.putValue(D, QStringLiteral("fine"), QStringLiteral("f")).isError());

    QSignalSpy conflicts(&a->engine, &SyncEngine::conflictsFound);
    const SyncReport report = a->sync(D); // no policy: reported, left alone
    QCOMPARE(report.conflicts, 1);
    QCOMPARE(report.unresolved, 1);
    QCOMPARE(conflicts.count(), 1);
    const auto list = conflicts.first().at(1).value<QList<SyncConflict>>();
    QCOMPARE(list.size(), 1);
    QCOMPARE(*list.first().local.record.value, QStringLiteral("mine"));
    QCOMPARE(*list.first().remote.value, QStringLiteral("theirs"));
    // The rest of the dataset synced.
    QCOMPARE(a->value(D, QStringLiteral("later")), QStringLiteral("l"));
    QCOMPARE(*m_remote->serverRecord(D, QStringLiteral("fine"))->value, QStringLiteral("f"));
    QCOMPARE(a->value(D, k), QStringLiteral("mine"));
    QVERIFY(a->dirty(D, k));
    QCOMPARE(*m_remote->serverRecord(D, k)->value, QStringLiteral("theirs"));

    // Still there at the next sync, and a policy then settles it.
    QCOMPARE(a->sync(D).unresolved, 1);
    const SyncReport settled = a->sync(D, ConflictPolicy::KeepMine);
    QCOMPARE(settled.unresolved, 0);
    QCOMPARE(*m_remote->serverRecord(D, k)->value, QStringLiteral("mine"));
    QVERIFY(!a->dirty(D, k));
}

void TestSyncEngine::askThenResolve()
{
    auto a = device(QStringLiteral("a"));
    auto b = device(QStringLiteral("b"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("k1"), QStringLiteral("base")).isError());
    QVERIFY(!a->store.putValue(D, QStringLiteral("k2"), QStringLiteral("base")).isError());
    QVERIFY(a->sync(D).requests > 0);
    QVERIFY(b->sync(D).requests > 0);
    QVERIFY(!b->store.putValue(D, QStringLiteral("k1"), QStringLiteral("theirs1")).isError());
    QVERIFY(!b->store.putValue(D, QStringLiteral("k2"), QStringLiteral("theirs2")).isError());
    QVERIFY(b->sync(D).requests > 0);
    QVERIFY(!a->store.putValue(D, QStringLiteral("k1"), QStringLiteral("mine1")).isError());
    QVERIFY(!a->store.putValue(D, QStringLiteral("k2"), QStringLiteral("mine2")).isError());

    QSignalSpy conflicts(&a->engine, &SyncEngine::conflictsFound);
    QSignalSpy finished(&a->engine, &SyncEngine::finished);
    a->engine.synchronize(D, ConflictPolicy::Ask);
    QVERIFY(conflicts.wait(5000));
    QCOMPARE(conflicts.first().at(1).value<QList<SyncConflict>>().size(), 2);
    QVERIFY(a->engine.isWaitingForResolution(D));
    QTest::qWait(20);
    QVERIFY(finished.isEmpty());
    QCOMPARE(m_remote->requestCount(Op::UpdateRecords), 2); // a's first push and b's: nothing more yet

    a->engine.resolveConflicts(D,
                               {ConflictResolution::merged(QStringLiteral("k1"), QStringLiteral("merged1")),
                                ConflictResolution::keepTheirs(QStringLiteral("k2"))});
    QVERIFY(finished.wait(5000));
    QCOMPARE(*m_remote->serverRecord(D, QStringLiteral("k1"))->value, QStringLiteral("merged1"));
    QCOMPARE(*m_remote->serverRecord(D, QStringLiteral("k2"))->value, QStringLiteral("theirs2"));
    QCOMPARE(a->value(D, QStringLiteral("k2")), QStringLiteral("theirs2"));
    QVERIFY(a->store.dirtyRecords(D).value.isEmpty());
    QVERIFY(b->sync(D).requests > 0);
    QCOMPARE(b->contents(D), a->contents(D));
}

void TestSyncEngine::resourceConflictIsRetried()
{
    // Another device writes between our ListRecords and UpdateRecords.
    bool wrote = false;
    auto a = editedWhileAnotherWrites(QStringLiteral("k"), &wrote);
    QVERIFY(a);
    m_remote->resetRequestCounts();
    const SyncReport report = a->sync(D, ConflictPolicy::KeepMine);
    QCOMPARE(report.requests, 4); // List, Update (409), List, Update
    QCOMPARE(m_remote->requestCount(Op::UpdateRecords), 2);
    QCOMPARE(report.conflicts, 1);
    QCOMPARE(*m_remote->serverRecord(D, QStringLiteral("k"))->value, QStringLiteral("mine"));
    QVERIFY(!a->dirty(D, QStringLiteral("k")));
}

void TestSyncEngine::anotherWriteBetweenListAndUpdateIsPulledNext()
{
    // Another device writes another key between our ListRecords and UpdateRecords: our write takes the
    // count after theirs, so the next sync must still pull theirs (not skip up to our count).
    bool wrote = false;
    auto a = editedWhileAnotherWrites(QStringLiteral("theirs"), &wrote);
    QVERIFY(a);
    const SyncReport first = a->sync(D);
    QCOMPARE(first.pushed, 1);
    QCOMPARE(first.conflicts, 0);
    m_remote->setRequestHook({});
    const SyncReport next = a->sync(D);
    QCOMPARE(next.pulled, 2); // theirs, and our own write, which could not be skipped
    QCOMPARE(a->sync(D).pulled, 0);
    QCOMPARE(a->contents(D).value(QStringLiteral("theirs")), QStringLiteral("theirs"));
}

void TestSyncEngine::resourceConflictGivesUpAfterThreeAttempts()
{
    auto a = device(QStringLiteral("a"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("k"), QStringLiteral("mine")).isError());
    int n = 0;
    m_remote->setRequestHook([&](Op op, const QString &) {
        if (op == Op::UpdateRecords)
            m_remote->serverPut(D, QStringLiteral("k"), QStringLiteral("theirs%1").arg(++n));
    });
    UserError error;
    QCOMPARE(a->sync(D, ConflictPolicy::KeepMine, &error).requests, -1);
    QCOMPARE(error.code, QStringLiteral("sync.conflict.retries"));
    QCOMPARE(m_remote->requestCount(Op::UpdateRecords), 3);
    QVERIFY(a->dirty(D, QStringLiteral("k"))); // nothing lost
}

void TestSyncEngine::transientErrorsAreAbsorbed()
{
    auto a = device(QStringLiteral("a"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("k"), QStringLiteral("v")).isError());
    m_remote->failNext(Op::ListRecords, RemoteErrorKind::Throttled, 2);
    m_remote->failNext(Op::UpdateRecords, RemoteErrorKind::Network, 1);
    const SyncReport report = a->sync(D);
    QCOMPARE(report.requests, 5);
    QCOMPARE(report.pushed, 1);
    QCOMPARE(m_remote->acceptedPatches(D, QStringLiteral("k")), 1);
}

void TestSyncEngine::transientErrorsAreReportedWhenPersistent()
{
    auto a = device(QStringLiteral("a"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("k"), QStringLiteral("v")).isError());
    m_remote->failNext(Op::UpdateRecords, RemoteErrorKind::Network, 100);
    UserError error;
    QSignalSpy unavailable(&a->engine, &SyncEngine::remoteUnavailable);
    QCOMPARE(a->sync(D, ConflictPolicy::Report, &error).requests, -1);
    QCOMPARE(error.code, QStringLiteral("sync.remote.network"));
    QCOMPARE(m_remote->requestCount(Op::UpdateRecords), 1 + a->engine.retryPolicy().maxTransientRetries);
    QVERIFY(a->dirty(D, QStringLiteral("k")));
    // Told apart from other failures, so the GUI can say "offline, kept locally".
    QCOMPARE(unavailable.size(), 1);
    QCOMPARE(unavailable.first().at(0).toString(), D);

    // ListDatasets unreachable in synchronizeAll: the same signal, with no dataset, and the sync stops
    // there (every dataset would meet the same).
    m_remote->failNext(Op::ListDatasets, RemoteErrorKind::Throttled, 1);
    const int listRecordsBefore = m_remote->requestCount(Op::ListRecords);
    QSignalSpy all(&a->engine, &SyncEngine::allFinished);
    unavailable.clear();
    a->engine.synchronizeAll();
    QVERIFY(all.wait());
    QCOMPARE(unavailable.size(), 1);
    QCOMPARE(unavailable.at(0).at(0).toString(), QString());
    QCOMPARE(m_remote->requestCount(Op::ListRecords), listRecordsBefore);
    QCOMPARE(all.first().at(1).toInt(), 1);
}

void TestSyncEngine::notAuthorizedFailsAtOnce()
{
    auto a = device(QStringLiteral("a"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("k"), QStringLiteral("v")).isError());
    m_remote->failNext(Op::ListRecords, RemoteErrorKind::NotAuthorized, 1);
    QSignalSpy unavailable(&a->engine, &SyncEngine::remoteUnavailable);
    UserError error;
    QCOMPARE(a->sync(D, ConflictPolicy::Report, &error).requests, -1);
    QCOMPARE(error.code, QStringLiteral("sync.remote.notAuthorized"));
    QCOMPARE(m_remote->totalRequests(), 1);
    QVERIFY(unavailable.isEmpty()); // not an offline situation: signing in again is needed
}

void TestSyncEngine::deletedOnOtherDevice_data()
{
    QTest::addColumn<bool>("unpushedEdit"); // a has an edit not sent yet when it learns of the deletion
    QTest::newRow("nothing unsent") << false;
    QTest::newRow("an unsent edit") << true;
}

void TestSyncEngine::deletedOnOtherDevice()
{
    QFETCH(bool, unpushedEdit);
    auto a = device(QStringLiteral("a"));
    auto b = device(QStringLiteral("b"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("old"), QStringLiteral("o")).isError());
    QVERIFY(a->sync(D).requests > 0);
    QVERIFY(b->sync(D).requests > 0);
    QVERIFY(!b->store.markDatasetDeleted(D).isError());
    QVERIFY(b->sync(D).deletedLocally);
    QVERIFY(!m_remote->hasDataset(D));
    QVERIFY(!b->store.dataset(D).value);
    if (unpushedEdit)
        QVERIFY(!a->store.putValue(D, QStringLiteral("new"), QStringLiteral("n")).isError());

    QSignalSpy deleted(&a->engine, &SyncEngine::datasetDeletedRemotely);
    const SyncReport report = a->sync(D);
    QVERIFY(report.deletedRemotely);
    QCOMPARE(deleted.count(), 1);
    QCOMPARE(deleted.first().at(1).toBool(), unpushedEdit);
    if (!unpushedEdit) {
        QVERIFY(!a->store.dataset(D).value);
        QVERIFY(!m_remote->hasDataset(D));
        return;
    }
    // The unsent edit is kept and makes the dataset anew; the old record stays deleted.
    const QMap<QString, QString> expected{{QStringLiteral("new"), QStringLiteral("n")}};
    QCOMPARE(a->contents(D), expected);
    QCOMPARE(serverContents(*m_remote, D), expected);
    QVERIFY(b->sync(D).requests > 0);
    QCOMPARE(b->contents(D), expected);
}

void TestSyncEngine::localDeleteIsSentThenPurged()
{
    auto a = device(QStringLiteral("a"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("k"), QStringLiteral("v")).isError());
    QVERIFY(a->sync(D).requests > 0);
    QVERIFY(!a->store.markDatasetDeleted(D).isError());
    m_remote->resetRequestCounts();
    const SyncReport report = a->sync(D);
    QVERIFY(report.deletedLocally);
    QCOMPARE(report.requests, 1);
    QCOMPARE(m_remote->requestCount(Op::DeleteDataset), 1);
    QVERIFY(!m_remote->hasDataset(D));
    QVERIFY(!a->store.dataset(D).value);
    // A dataset deleted before it ever reached the server: NotFound counts as done.
    QVERIFY(!a->store.putValue(QStringLiteral("never"), QStringLiteral("k"), QStringLiteral("v")).isError());
    QVERIFY(!a->store.markDatasetDeleted(QStringLiteral("never")).isError());
    QVERIFY(a->sync(QStringLiteral("never")).deletedLocally);
    QVERIFY(!a->store.dataset(QStringLiteral("never")).value);
}

void TestSyncEngine::pagesAreFollowed()
{
    for (int i = 0; i < 5; ++i)
        m_remote->serverPut(D, QStringLiteral("k%1").arg(i), QStringLiteral("v%1").arg(i));
    m_remote->setMaxResults(2);
    auto a = device(QStringLiteral("a"));
    const SyncReport report = a->sync(D);
    QCOMPARE(report.requests, 3);
    QCOMPARE(report.pulled, 5);
    QCOMPARE(a->contents(D), serverContents(*m_remote, D));
    QCOMPARE(a->store.dataset(D).value->lastSyncCount, 5);
}

void TestSyncEngine::cancelDuringPushSendsEditOnce()
{
    auto a = device(QStringLiteral("a"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("k"), QStringLiteral("v")).isError());
    m_remote->setLatency(100);
    QSignalSpy cancelled(&a->engine, &SyncEngine::cancelled);
    QSignalSpy finished(&a->engine, &SyncEngine::finished);
    connect(&a->engine, &SyncEngine::progress, this,
            [&](const QString &dataset, SyncPhase phase, int done, int) {
                if (phase == SyncPhase::Pushing && done == 0)
                    QTimer::singleShot(10, &a->engine, [&, dataset]() { a->engine.cancel(dataset); });
            });
    a->engine.synchronize(D);
    QVERIFY(cancelled.wait(5000));
    QTest::qWait(150); // the late reply must not arrive
    QVERIFY(finished.isEmpty());
    QVERIFY(!a->engine.isSynchronizing(D));
    // The server took the write, the device never heard: the edit is still pending locally.
    QCOMPARE(m_remote->acceptedPatches(D, QStringLiteral("k")), 1);
    QVERIFY(a->dirty(D, QStringLiteral("k")));

    a->engine.disconnect(this);
    m_remote->setLatency(0);
    const SyncReport report = a->sync(D);
    QCOMPARE(report.pushed, 0);
    QCOMPARE(report.requests, 1);
    QCOMPARE(m_remote->acceptedPatches(D, QStringLiteral("k")), 1);
    QVERIFY(!a->dirty(D, QStringLiteral("k")));
}

void TestSyncEngine::cancelDuringPullKeepsEditPending()
{
    auto a = device(QStringLiteral("a"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("k"), QStringLiteral("v")).isError());
    m_remote->setLatency(100);
    QSignalSpy cancelled(&a->engine, &SyncEngine::cancelled);
    a->engine.synchronize(D);
    QTest::qWait(20);
    a->engine.cancel(D);
    QCOMPARE(cancelled.count(), 1);
    QTest::qWait(150);
    QCOMPARE(m_remote->requestCount(Op::UpdateRecords), 0);
    QVERIFY(a->dirty(D, QStringLiteral("k")));
    m_remote->setLatency(0);
    QCOMPARE(a->sync(D).pushed, 1);
    QCOMPARE(m_remote->acceptedPatches(D, QStringLiteral("k")), 1);
    QVERIFY(!a->dirty(D, QStringLiteral("k")));
}

// The edits to push are read while the pull is in flight. An edit made after that read, before the
// push, is not lost: it stays to be sent, and the next sync sends it (the push of the older value does
// not mark the newer one as sent).
void TestSyncEngine::editsDuringThePullAreSentNext()
{
    auto a = device(QStringLiteral("a"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("k"), QStringLiteral("first")).isError());
    m_remote->setLatency(100);
    QSignalSpy finished(&a->engine, &SyncEngine::finished);
    a->engine.synchronize(D);
    QTest::qWait(40); // the edits are read, ListRecords is in flight
    QVERIFY(!a->store.putValue(D, QStringLiteral("k"), QStringLiteral("second")).isError());
    QVERIFY(!a->store.putValue(D, QStringLiteral("new"), QStringLiteral("n")).isError());
    QVERIFY(finished.wait(5000));
    m_remote->setLatency(0);
    QVERIFY(a->sync(D).requests > 0);
    const QMap<QString, QString> expected{{QStringLiteral("k"), QStringLiteral("second")},
                                          {QStringLiteral("new"), QStringLiteral("n")}};
    QCOMPARE(serverContents(*m_remote, D), expected);
    QCOMPARE(a->contents(D), expected);
    QVERIFY(a->store.dirtyRecords(D).value.isEmpty());
}

void TestSyncEngine::pushGoesWhileThePullIsSaved_data()
{
    QTest::addColumn<int>("records");
    QTest::addColumn<int>("latency");
    QTest::newRow("a few records") << 1 << 20;
    QTest::newRow("a full dataset: the pull replaces one of its 1,024") << 1024 << 20;
    // The pull answers before the edits to push are read: the sync waits for them (they come next from
    // the store's writer) rather than reading them again after the save.
    QTest::newRow("the pull answered at once") << 1 << 0;
    QTest::newRow("the pull answered at once, a full dataset") << 1024 << 0;
}

void TestSyncEngine::pushGoesWhileThePullIsSaved()
{
    // Another process holds the store's write lock (a long import, say) while a sync pulls one record
    // and has one edit to send: the edit goes without waiting for the lock; what was pushed is marked
    // after the pull is saved, and the dataset ends caught up with the server.
    QFETCH(int, records);
    QFETCH(int, latency);
    const QString path = m_dir->filePath(QStringLiteral("a.sqlite"));
    auto a = device(QStringLiteral("a"));
    QMap<QString, QString> expected;
    for (int i = 0; i < records; ++i) {
        const QString key = QStringLiteral("k%1").arg(i);
        QVERIFY(!a->store.putValue(D, key, QStringLiteral("base")).isError());
        expected.insert(key, QStringLiteral("base"));
    }
    QCOMPARE(a->sync(D).pushed, records);
    const QString theirs = records == 1 ? QStringLiteral("other") : QStringLiteral("k1");
    const QString mine = records == 1 ? QStringLiteral("mine") : QStringLiteral("k2");
    m_remote->serverPut(D, theirs, QStringLiteral("theirs"));
    QVERIFY(!a->store.putValue(D, mine, QStringLiteral("m")).isError());
    expected.insert(theirs, QStringLiteral("theirs"));
    expected.insert(mine, QStringLiteral("m"));

    bool locked = false;
    bool sentWhileLocked = false;
    bool sent = false;
    m_remote->setLatency(latency); // 20: a network's pace, the edits to push are read before the pull answers
    m_remote->setRequestHook([&](Op op, const QString &) {
        if (op == Op::UpdateRecords) {
            sent = true;
            sentWhileLocked = locked;
        }
    });
    {
        RawConnection other(path); // another process, writing
        QVERIFY(other.ok());
        QVERIFY(other.exec(QStringLiteral("BEGIN IMMEDIATE")));
        locked = true;
        QSignalSpy finished(&a->engine, &SyncEngine::finished);
        a->engine.synchronize(D);
        const bool sentMeanwhile = QTest::qWaitFor([&] { return sent; }, 3000);
        QVERIFY(finished.isEmpty()); // the pull is not saved yet
        locked = false;
        QVERIFY(other.exec(QStringLiteral("ROLLBACK")));
        QVERIFY2(sentMeanwhile, "UpdateRecords waited for the store's lock");
        QVERIFY(finished.wait(20000));
        const SyncReport report = finished.first().at(1).value<SyncReport>();
        QCOMPARE(report.pulled, 1);
        QCOMPARE(report.pushed, 1);
        QCOMPARE(report.requests, 2);
    }
    QVERIFY(sentWhileLocked);
    m_remote->setRequestHook({});
    m_remote->setLatency(0);

    QCOMPARE(serverContents(*m_remote, D), expected);
    QCOMPARE(a->contents(D), expected);
    QVERIFY(a->store.dirtyRecords(D).value.isEmpty());
    // Caught up: the next sync asks once and brings nothing back, not even its own write.
    const SyncReport again = a->sync(D);
    QCOMPARE(again.requests, 1);
    QCOMPARE(again.pulled, 0);
}

void TestSyncEngine::editMeetingThePullDuringThePushIsSettledNext()
{
    // The pull brings "other", which this device edits while the pull is in flight (after its edits to
    // push were read): the push of "mine" goes on, and the conflict on "other" is settled as always.
    auto a = device(QStringLiteral("a"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("other"), QStringLiteral("base")).isError());
    QCOMPARE(a->sync(D).pushed, 1);
    m_remote->serverPut(D, QStringLiteral("other"), QStringLiteral("theirs"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("mine"), QStringLiteral("m")).isError());
    m_remote->setLatency(300); // wide margins on both sides of the edit, for a loaded machine
    QSignalSpy finished(&a->engine, &SyncEngine::finished);
    QSignalSpy conflicts(&a->engine, &SyncEngine::conflictsFound);
    a->engine.synchronize(D, ConflictPolicy::Report);
    QTest::qWait(100); // the edits are read, ListRecords is in flight
    QVERIFY(!a->store.putValue(D, QStringLiteral("other"), QStringLiteral("local")).isError());
    QVERIFY(finished.wait(5000));
    m_remote->setLatency(0);
    const SyncReport report = finished.first().at(1).value<SyncReport>();
    QCOMPARE(report.conflicts, 1);
    QCOMPARE(report.pushed, 1);
    QCOMPARE(report.pulled, 0); // the second round brings "mine" back: its own write, not a pulled record
    QCOMPARE(conflicts.size(), 1);
    const auto found = conflicts.first().at(1).value<QList<SyncConflict>>();
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().remote.key, QStringLiteral("other"));
    QCOMPARE(*found.first().remote.value, QStringLiteral("theirs"));
    const QMap<QString, QString> server{{QStringLiteral("mine"), QStringLiteral("m")},
                                        {QStringLiteral("other"), QStringLiteral("theirs")}};
    QCOMPARE(serverContents(*m_remote, D), server);
    QCOMPARE(a->value(D, QStringLiteral("other")), QStringLiteral("local")); // reported, not overwritten
    QVERIFY(a->dirty(D, QStringLiteral("other")));
    QVERIFY(!a->dirty(D, QStringLiteral("mine")));
}

void TestSyncEngine::pushTakenButPullNotSavedIsSettledNext()
{
    // What a kill leaves when UpdateRecords was answered before the pull saved beside it: the server holds
    // another device's write and then this device's edit; the store has neither the pull nor the push
    // recorded. The next sync brings the other's write, recognises its own edit, and sends nothing.
    auto a = device(QStringLiteral("a"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("k"), QStringLiteral("base")).isError());
    QCOMPARE(a->sync(D).pushed, 1);
    QVERIFY(!a->store.putValue(D, QStringLiteral("mine"), QStringLiteral("m")).isError());
    m_remote->serverPut(D, QStringLiteral("other"), QStringLiteral("theirs"));
    m_remote->serverPut(D, QStringLiteral("mine"), QStringLiteral("m"), QStringLiteral("a"));

    const SyncReport report = a->sync(D);
    QCOMPARE(report.requests, 1);
    QCOMPARE(report.pushed, 0);
    QCOMPARE(report.conflicts, 0);
    QCOMPARE(m_remote->acceptedPatches(D, QStringLiteral("mine")), 0); // not sent twice
    const QMap<QString, QString> expected{{QStringLiteral("k"), QStringLiteral("base")},
                                          {QStringLiteral("mine"), QStringLiteral("m")},
                                          {QStringLiteral("other"), QStringLiteral("theirs")}};
    QCOMPARE(a->contents(D), expected);
    QVERIFY(a->store.dirtyRecords(D).value.isEmpty());
    QCOMPARE(a->store.dataset(D).value->lastSyncCount, 3);
}

void TestSyncEngine::pushBesideTheSaveRidesOutTheNetwork_data()
{
    QTest::addColumn<bool>("staysDown");
    QTest::newRow("the network fails once") << false;
    QTest::newRow("the network stays down") << true;
}

void TestSyncEngine::pushBesideTheSaveRidesOutTheNetwork()
{
    // UpdateRecords fails on the network while the pull is saved beside it: retried after the save; when
    // the network stays down the sync fails as offline, with the pull saved and the edit kept to send.
    QFETCH(bool, staysDown);
    auto a = editedWhileAnotherAdded();
    QVERIFY(a);
    const int failures = staysDown ? 1 + a->engine.retryPolicy().maxTransientRetries : 1;
    m_remote->failNext(Op::UpdateRecords, RemoteErrorKind::Network, failures);
    UserError error;
    const SyncReport report = a->sync(D, ConflictPolicy::Report, &error);
    QCOMPARE(m_remote->requestCount(Op::UpdateRecords), failures + (staysDown ? 0 : 1));
    QCOMPARE(a->value(D, QStringLiteral("other")), QStringLiteral("theirs"));
    if (staysDown) {
        QCOMPARE(report.requests, -1);
        QCOMPARE(error.code, QStringLiteral("sync.remote.network"));
        QVERIFY(a->dirty(D, QStringLiteral("mine")));
        QVERIFY(!m_remote->serverRecord(D, QStringLiteral("mine")));
    } else {
        QCOMPARE(report.pulled, 1);
        QCOMPARE(report.pushed, 1);
    }
    // Back online (or still fine): the edit goes once, and the dataset ends caught up.
    m_remote->setLatency(0);
    const SyncReport next = a->sync(D);
    QCOMPARE(next.pushed, staysDown ? 1 : 0);
    QCOMPARE(next.pulled, 0);
    QCOMPARE(m_remote->acceptedPatches(D, QStringLiteral("mine")), 1);
    QVERIFY(a->store.dirtyRecords(D).value.isEmpty());
    QCOMPARE(a->contents(D), serverContents(*m_remote, D));
    QCOMPARE(a->sync(D).requests, 1);
}

void TestSyncEngine::pushBesideTheSaveMeetsAnotherWriter()
{
    // Another device writes "mine" between our ListRecords and UpdateRecords: ResourceConflict while the
    // pull is saved beside; the sync pulls again and settles "mine" as a conflict, as always.
    auto a = editedWhileAnotherAdded();
    QVERIFY(a);
    bool wrote = false;
    m_remote->setRequestHook([&](Op op, const QString &) {
        if (op == Op::UpdateRecords && !std::exchange(wrote, true))
            m_remote->serverPut(D, QStringLiteral("mine"), QStringLiteral("from b"));
    });
    QSignalSpy conflicts(&a->engine, &SyncEngine::conflictsFound);
    const SyncReport report = a->sync(D, ConflictPolicy::Report);
    m_remote->setRequestHook({});
    QVERIFY(wrote);
    QCOMPARE(report.conflicts, 1);
    QCOMPARE(conflicts.size(), 1);
    QCOMPARE(conflicts.first().at(1).value<QList<SyncConflict>>().first().remote.key, QStringLiteral("mine"));
    QCOMPARE(a->value(D, QStringLiteral("other")), QStringLiteral("theirs"));
    QCOMPARE(a->value(D, QStringLiteral("mine")), QStringLiteral("m")); // reported, not overwritten
    QVERIFY(a->dirty(D, QStringLiteral("mine")));
    QCOMPARE(m_remote->serverRecord(D, QStringLiteral("mine"))->value,
             std::optional<QString>(QStringLiteral("from b")));
    QCOMPARE(m_remote->acceptedPatches(D, QStringLiteral("mine")), 0);
}

void TestSyncEngine::cancelFromProgressSlotSendsNothing()
{
    auto a = device(QStringLiteral("a"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("k"), QStringLiteral("v")).isError());
    QSignalSpy cancelled(&a->engine, &SyncEngine::cancelled);
    connect(&a->engine, &SyncEngine::progress, this, [&](const QString &dataset, SyncPhase phase, int, int) {
        if (phase == SyncPhase::Pushing)
            a->engine.cancel(dataset);
    });
    a->engine.synchronize(D);
    QVERIFY(cancelled.wait(5000));
    QTest::qWait(20);
    QCOMPARE(m_remote->requestCount(Op::UpdateRecords), 0);
    QVERIFY(a->dirty(D, QStringLiteral("k")));
    a->engine.disconnect(this);
    QCOMPARE(a->sync(D).pushed, 1);
}

void TestSyncEngine::requestsWhileRunningAreQueuedOnce()
{
    auto a = device(QStringLiteral("a"));
    QVERIFY(!a->store.putValue(D, QStringLiteral("k"), QStringLiteral("v1")).isError());
    m_remote->setLatency(30);
    QSignalSpy started(&a->engine, &SyncEngine::started);
    QSignalSpy finished(&a->engine, &SyncEngine::finished);
    a->engine.synchronize(D);
    QVERIFY(!a->store.putValue(D, QStringLiteral("k"), QStringLiteral("v2")).isError());
    a->engine.synchronize(D);
    a->engine.synchronize(D);
    QVERIFY(QTest::qWaitFor([&]() { return finished.count() == 2; }, 5000));
    QTest::qWait(100);
    QCOMPARE(started.count(), 2);
    QCOMPARE(finished.count(), 2);
    QCOMPARE(*m_remote->serverRecord(D, QStringLiteral("k"))->value, QStringLiteral("v2"));
    QVERIFY(!a->dirty(D, QStringLiteral("k")));
}

void TestSyncEngine::synchronizeAllIncludesRemoteDatasets()
{
    m_remote->serverPut(QStringLiteral("remote-only"), QStringLiteral("r"), QStringLiteral("1"));
    auto a = device(QStringLiteral("a"));
    QVERIFY(
        !a->store.putValue(QStringLiteral("local-only"), QStringLiteral("l"), QStringLiteral("2")).isError());
    QSignalSpy all(&a->engine, &SyncEngine::allFinished);
    a->engine.synchronizeAll(ConflictPolicy::KeepTheirs);
    QVERIFY(all.wait(5000));
    QCOMPARE(all.first().at(0).toInt(), 2);
    QCOMPARE(all.first().at(1).toInt(), 0);
    QCOMPARE(a->value(QStringLiteral("remote-only"), QStringLiteral("r")), QStringLiteral("1"));
    QCOMPARE(*m_remote->serverRecord(QStringLiteral("local-only"), QStringLiteral("l"))->value,
             QStringLiteral("2"));
    QCOMPARE(m_remote->requestCount(Op::ListDatasets), 1);
}

void TestSyncEngine::synchronizeAllSkipsUnchangedDatasets()
{
    auto a = device(QStringLiteral("a"));
    auto b = device(QStringLiteral("b"));
    const QString x = QStringLiteral("x"), y = QStringLiteral("y");
    QVERIFY(!a->store.putValue(x, QStringLiteral("k"), QStringLiteral("1")).isError());
    QVERIFY(!a->store.putValue(y, QStringLiteral("k"), QStringLiteral("1")).isError());
    QSignalSpy all(&a->engine, &SyncEngine::allFinished);
    QSignalSpy finished(&a->engine, &SyncEngine::finished);
    a->engine.synchronizeAll();
    QVERIFY(all.wait(5000));

    // Nothing changed on either side since: one ListDatasets, both reported up to date.
    m_remote->resetRequestCounts();
    finished.clear();
    a->engine.synchronizeAll();
    QVERIFY(all.wait(5000));
    QCOMPARE(m_remote->totalRequests(), 1);
    QCOMPARE(m_remote->requestCount(Op::ListDatasets), 1);
    QCOMPARE(finished.size(), 2);
    for (const QList<QVariant> &signal : std::as_const(finished))
        QVERIFY(signal.at(1).value<SyncReport>().skipped);

    // Another device's write shows in ListDatasets: that dataset is read, the other still skipped.
    QCOMPARE(b->sync(y).requests, 1);
    QTest::qWait(5); // a later modification time
    QVERIFY(!b->store.putValue(y, QStringLiteral("k"), QStringLiteral("from b")).isError());
    QVERIFY(b->sync(y).requests >= 1);
    m_remote->resetRequestCounts();
    a->engine.synchronizeAll();
    QVERIFY(all.wait(5000));
    QCOMPARE(m_remote->requestCount(Op::ListRecords), 1);
    QCOMPARE(a->value(y, QStringLiteral("k")), QStringLiteral("from b"));
    // A local edit is never skipped.
    QVERIFY(!a->store.putValue(x, QStringLiteral("k"), QStringLiteral("2")).isError());
    m_remote->resetRequestCounts();
    a->engine.synchronizeAll();
    QVERIFY(all.wait(5000));
    QCOMPARE(m_remote->requestCount(Op::UpdateRecords), 1);
    QCOMPARE(*m_remote->serverRecord(x, QStringLiteral("k"))->value, QStringLiteral("2"));
}

void TestSyncEngine::crashBeforeSyncLosesNothing()
{
    const QString path = m_dir->filePath(QStringLiteral("crash.sqlite"));
    const QString killed = fedsync::test::runThenKillAfter({QStringLiteral("--crash-child"), path}, "written");
    QVERIFY2(killed.isEmpty(), qPrintable(killed));

    Device a(path, *m_remote, QStringLiteral("a"));
    QVERIFY(a.opened);
    QCOMPARE(a.value(D, QStringLiteral("k")), QStringLiteral("edited before the crash"));
    QVERIFY(a.dirty(D, QStringLiteral("k")));
    QCOMPARE(a.sync(D).pushed, 1);
    QCOMPARE(a.sync(D).pushed, 0);
    QCOMPARE(m_remote->acceptedPatches(D, QStringLiteral("k")), 1);
    QCOMPARE(*m_remote->serverRecord(D, QStringLiteral("k"))->value,
             QStringLiteral("edited before the crash"));
}

// The child of crashBeforeSyncLosesNothing: writes one edit, says so, and waits to be killed.
static int crashChild(const QString &path)
{
    LocalStore store(path);
    if (store.open().isError() ||
        store.putValue(D, QStringLiteral("k"), QStringLiteral("edited before the crash")).isError())
        return 1;
    fedsync::test::sayAndWaitToBeKilled("written");
}

FEDSYNC_TEST_MAIN_WITH_CHILD(TestSyncEngine, "--crash-child", crashChild)

#include "tst_syncengine.moc"

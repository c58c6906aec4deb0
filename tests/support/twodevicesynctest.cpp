#include "twodevicesynctest.h"

#include "session/profilecontext.h"
#include "session/userdatasets.h"
#include "sync/localstore.h"
#include "sync/syncengine.h"

#include <QTest>

namespace fedsync::test {

TwoDeviceSyncTest::TwoDeviceSyncTest() = default;

TwoDeviceSyncTest::~TwoDeviceSyncTest() = default;

void TwoDeviceSyncTest::signInAndOpenDevices(const QString &profileFile)
{
    const QString signedIn = m_user.signIn(m_sandbox, 0, profileFile);
    QVERIFY2(signedIn.isEmpty(), qPrintable(signedIn));
    m_context = &m_user.context();
    QVERIFY(m_context->cognito());
    m_a = openDevice(QStringLiteral("a"));
    m_b = openDevice(QStringLiteral("b"));
    QVERIFY(m_a && m_b);
    QCOMPARE(m_a->identityId(), m_b->identityId());
}

std::unique_ptr<UserDatasets> TwoDeviceSyncTest::openDevice(const QString &name)
{
    std::unique_ptr<UserDatasets> opened =
        m_user.openDevice(m_dir.filePath(name), QStringLiteral("device-") + name);
    if (opened)
        opened->engine().setRetryPolicy(quickSyncRetries());
    return opened;
}

void TwoDeviceSyncTest::cleanupTestCase()
{
    m_a.reset();
    m_b.reset();
    m_user.reset();
}

void TwoDeviceSyncTest::twoClientsConverge()
{
    const QString ds = QStringLiteral("converge");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("title"), QStringLiteral("Groceries")).isError());
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("body"), QStringLiteral("milk")).isError());
    const qint64 since = m_sandbox.requestLogEnd();
    SyncOutcome a = runSync(*m_a, ds);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(a.report.pushed, 2);
    checkFirstPush(since);
    if (QTest::currentTestFailed())
        return;

    SyncOutcome b = runSync(*m_b, ds);
    QVERIFY2(b.ok, qPrintable(b.error.text()));
    QCOMPARE(b.report.pulled, 2);
    QCOMPARE(recordValue(*m_b, ds, QStringLiteral("title")), QStringLiteral("Groceries"));

    // Interleaved edits on both sides, different keys; removals included.
    QVERIFY(!m_b->store().putValue(ds, QStringLiteral("body"), QStringLiteral("milk, eggs")).isError());
    QVERIFY(!m_b->store().removeValue(ds, QStringLiteral("title")).isError());
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("tags"), QStringLiteral("food")).isError());
    QVERIFY(runSync(*m_a, ds).ok);
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("due"), QStringLiteral("today")).isError());
    QVERIFY(runSync(*m_b, ds).ok);
    QVERIFY(!m_b->store().putValue(ds, QStringLiteral("tags"), QStringLiteral("food, weekly")).isError());
    QVERIFY(runSync(*m_a, ds).ok);
    QVERIFY(runSync(*m_b, ds).ok);
    QVERIFY(runSync(*m_a, ds).ok);

    const QMap<QString, QString> expected{{QStringLiteral("body"), QStringLiteral("milk, eggs")},
                                          {QStringLiteral("due"), QStringLiteral("today")},
                                          {QStringLiteral("tags"), QStringLiteral("food, weekly")}};
    QCOMPARE(liveRecords(*m_a, ds), expected);
    QCOMPARE(liveRecords(*m_b, ds), expected);
    QCOMPARE(recordValue(*m_a, ds, QStringLiteral("title")), QStringLiteral("<removed>"));
    QVERIFY(m_a->store().dirtyRecords(ds).value.isEmpty());
    QVERIFY(m_b->store().dirtyRecords(ds).value.isEmpty());
    checkConverged(ds);
}

void TwoDeviceSyncTest::conflictPolicies_data()
{
    QTest::addColumn<int>("policy");
    QTest::addColumn<bool>("aEditsLast");
    QTest::addColumn<QString>("expected"); // on both clients afterwards
    QTest::addColumn<int>("unresolved");
    QTest::newRow("keep mine") << int(ConflictPolicy::KeepMine) << false << QStringLiteral("from a") << 0;
    QTest::newRow("keep theirs") << int(ConflictPolicy::KeepTheirs) << true << QStringLiteral("from b") << 0;
    QTest::newRow("newest: a later") << int(ConflictPolicy::NewestWins) << true << QStringLiteral("from a")
                                     << 0;
    QTest::newRow("newest: b later") << int(ConflictPolicy::NewestWins) << false << QStringLiteral("from b")
                                     << 0;
    QTest::newRow("report") << int(ConflictPolicy::Report) << true << QString() << 1;
}

void TwoDeviceSyncTest::conflictPolicies()
{
    QFETCH(int, policy);
    QFETCH(bool, aEditsLast);
    QFETCH(QString, expected);
    QFETCH(int, unresolved);
    const QString ds = QStringLiteral("conflict-%1")
                           .arg(QString::fromLatin1(QTest::currentDataTag()))
                           .replace(u' ', u'-')
                           .remove(u':');
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("base")).isError());
    QVERIFY(runSync(*m_a, ds).ok);
    QVERIFY(runSync(*m_b, ds).ok);

    // Both edit the same record; b's edit reaches the server first.
    if (aEditsLast) {
        QVERIFY(!m_b->store().putValue(ds, QStringLiteral("k"), QStringLiteral("from b")).isError());
        QTest::qWait(15);
        QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("from a")).isError());
    } else {
        QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("from a")).isError());
        QTest::qWait(15);
        QVERIFY(!m_b->store().putValue(ds, QStringLiteral("k"), QStringLiteral("from b")).isError());
    }
    QVERIFY(runSync(*m_b, ds).ok);
    const SyncOutcome a = runSync(*m_a, ds, ConflictPolicy(policy));
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(a.report.conflicts, 1);
    QCOMPARE(a.report.unresolved, unresolved);
    if (unresolved > 0) {
        // Reported with both values, left as it was, and still dirty for later.
        QCOMPARE(a.conflicts.size(), 1);
        QCOMPARE(a.conflicts.first().local.record.value, std::optional<QString>(QStringLiteral("from a")));
        QCOMPARE(a.conflicts.first().remote.value, std::optional<QString>(QStringLiteral("from b")));
        QCOMPARE(recordValue(*m_a, ds, QStringLiteral("k")), QStringLiteral("from a"));
        QCOMPARE(m_a->store().dirtyRecords(ds).value.size(), 1);
        QVERIFY(runSync(*m_b, ds).ok);
        QCOMPARE(recordValue(*m_b, ds, QStringLiteral("k")), QStringLiteral("from b"));
        // Settled later: the conflict comes back and is resolved.
        const SyncOutcome again = runSync(*m_a, ds, ConflictPolicy::KeepMine);
        QVERIFY(again.ok);
        QCOMPARE(again.report.unresolved, 0);
        QVERIFY(runSync(*m_b, ds).ok);
        QCOMPARE(recordValue(*m_b, ds, QStringLiteral("k")), QStringLiteral("from a"));
        return;
    }
    QVERIFY(a.conflicts.isEmpty()); // settled by the policy, not reported
    QCOMPARE(recordValue(*m_a, ds, QStringLiteral("k")), expected);
    QVERIFY(m_a->store().dirtyRecords(ds).value.isEmpty());
    QVERIFY(runSync(*m_b, ds).ok);
    QCOMPARE(recordValue(*m_b, ds, QStringLiteral("k")), expected);
}

} // namespace fedsync::test

// SyncEngine + CognitoSyncRemote against the real Cognito Sync emulator: a real sign-in (fedsync-cli login,
// then the session restored in-process from the keychain), two clients of one identity (two local stores
// opened with UserDatasets) converging and each conflict policy (TwoDeviceSyncTest's cases, which the
// DynamoDB store passes too), a real ResourceConflictException, server errors and throttling, a wrong
// clock, credentials expiring in the middle of a sync, a dataset deleted on the other side, and the
// request count of a two-sided sync.
#include "aws/awsclient.h"
#include "aws/cognitocredentialsprovider.h"
#include "sandbox.h"
#include "session/awsaccess.h"
#include "session/profilecontext.h"
#include "session/signinstate.h"
#include "session/userdatasets.h"
#include "signedinuser.h"
#include "sync/localstore.h"
#include "sync/syncengine.h"
#include "testmain.h"
#include "twodevicesynctest.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

using namespace fedsync;
using namespace fedsync::test;

namespace {

const QStringList syncOperations{QStringLiteral("ListDatasets"), QStringLiteral("DescribeDataset"),
                                 QStringLiteral("ListRecords"), QStringLiteral("UpdateRecords"),
                                 QStringLiteral("DeleteDataset")};
const QString cognitoSync = QStringLiteral("cognito-sync");

} // namespace

class TestSyncSandbox : public TwoDeviceSyncTest
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void resourceConflictIsRetried();
    void throttlingAndServerErrorsAreAbsorbed();
    void persistentServerErrorFailsWithAReason();
    void clockSkewIsRecovered();
    void expiredCredentialsAreRefreshedMidSync();
    void datasetDeletedOnTheOtherSide();
    void twoSidedSyncIsTwoRequests();

private:
    // The Cognito Sync requests (operation, status, error) the sandbox answered since `since`.
    QList<QJsonObject> syncRequestsSince(qint64 since) const
    {
        return m_sandbox.requestsSince(since, {cognitoSync});
    }
};

void TestSyncSandbox::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    signInAndOpenDevices(m_sandbox.profileFile());
    if (QTest::currentTestFailed())
        return;
    QVERIFY(m_a->databasePath() != m_b->databasePath());
    QVERIFY2(m_a->databasePath().endsWith(m_a->identityId().replace(u':', u'_') + QStringLiteral(".sqlite")),
             qPrintable(m_a->databasePath()));
}

void TestSyncSandbox::init()
{
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/clock"), {{QStringLiteral("skew_seconds"), 0}}));
    m_context->cognito()->awsClient()->setClockOffsetMs(0);
}

void TestSyncSandbox::resourceConflictIsRetried()
{
    const QString ds = QStringLiteral("race");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("base")).isError());
    QVERIFY(runSync(*m_a, ds).ok);
    QVERIFY(runSync(*m_b, ds).ok);
    QVERIFY(!m_b->store().putValue(ds, QStringLiteral("k"), QStringLiteral("from b")).isError());
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("from a")).isError());

    // a's UpdateRecords is held at the server for a while; b pulls and pushes in that window, so a's
    // record sync count is stale when its write is handled.
    QVERIFY(
        m_sandbox.addFault(cognitoSync, QStringLiteral("UpdateRecords"), QStringLiteral("delay"), 1, 2500));
    const qint64 since = m_sandbox.requestLogEnd();
    bool bStarted = false;
    connect(&m_a->engine(), &SyncEngine::progress, this,
            [&](const QString &, SyncPhase phase, int done, int) {
                if (phase != SyncPhase::Pushing || done != 0 || bStarted)
                    return;
                bStarted = true;
                QTimer::singleShot(300, this,
                                   [this, ds] { m_b->engine().synchronize(ds, ConflictPolicy::KeepMine); });
            });
    const SyncOutcome a = runSync(*m_a, ds, ConflictPolicy::KeepMine);
    disconnect(&m_a->engine(), &SyncEngine::progress, this, nullptr);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QVERIFY(bStarted);
    QVERIFY(QTest::qWaitFor([&] { return !m_b->engine().isSynchronizing(ds); }, 20000));

    bool sawConflict = false;
    for (const QJsonObject &request : syncRequestsSince(since))
        sawConflict |=
            request.value(QStringLiteral("status")).toInt() == 409 &&
            request.value(QStringLiteral("operation")).toString() == QLatin1String("UpdateRecords");
    QVERIFY2(sawConflict, "no ResourceConflictException happened");
    // Pulled again, settled with a's policy, pushed: a round more than a plain sync.
    QCOMPARE(a.report.requests, 4);
    QCOMPARE(a.report.conflicts, 1);
    QCOMPARE(recordValue(*m_a, ds, QStringLiteral("k")), QStringLiteral("from a"));
    QVERIFY(runSync(*m_b, ds).ok);
    QCOMPARE(recordValue(*m_b, ds, QStringLiteral("k")), QStringLiteral("from a"));
}

void TestSyncSandbox::throttlingAndServerErrorsAreAbsorbed()
{
    const QString ds = QStringLiteral("flaky");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v")).isError());
    // Throttling is absorbed by the call's own attempts (3, as the AWS SDKs' standard mode); a call
    // still throttled after them ends the sync ("busy", see tst_cli_reliability).
    QVERIFY(m_sandbox.addFault(cognitoSync, QStringLiteral("ListRecords"), QStringLiteral("throttle"), 2));
    QVERIFY(m_sandbox.addFault(cognitoSync, QStringLiteral("UpdateRecords"), QStringLiteral("http500"), 2));
    QVERIFY(m_sandbox.addFault(cognitoSync, QStringLiteral("UpdateRecords"), QStringLiteral("reset"), 1));
    const qint64 since = m_sandbox.requestLogEnd();
    const SyncOutcome a = runSync(*m_a, ds);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(a.report.pushed, 1);
    int errors = 0;
    for (const QJsonObject &request : syncRequestsSince(since))
        errors += request.value(QStringLiteral("status")).toInt() >= 400 ? 1 : 0;
    QVERIFY2(errors >= 4, qPrintable(QString::number(errors)));
    QVERIFY(runSync(*m_b, ds).ok);
    QCOMPARE(recordValue(*m_b, ds, QStringLiteral("k")), QStringLiteral("v"));
}

void TestSyncSandbox::persistentServerErrorFailsWithAReason()
{
    const QString ds = QStringLiteral("down");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v")).isError());
    QVERIFY(m_sandbox.addFault(cognitoSync, QStringLiteral("*"), QStringLiteral("http503"), 1000));
    const SyncOutcome a = runSync(*m_a, ds);
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    QVERIFY(!a.ok);
    QCOMPARE(a.error.what, QStringLiteral("The sync service has a problem"));
    QVERIFY(!a.error.action.isEmpty());
    // The edit is kept for later.
    QCOMPARE(m_a->store().dirtyRecords(ds).value.size(), 1);
    QVERIFY(runSync(*m_a, ds).ok);
    QVERIFY(m_a->store().dirtyRecords(ds).value.isEmpty());
}

void TestSyncSandbox::clockSkewIsRecovered()
{
    const QString ds = QStringLiteral("skew");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v")).isError());
    // The service's clock 20 minutes ahead of this computer's: beyond SigV4's 15 minutes.
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/clock"), {{QStringLiteral("skew_seconds"), 1200}}));
    const qint64 since = m_sandbox.requestLogEnd();
    const SyncOutcome a = runSync(*m_a, ds);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(a.report.pushed, 1);
    const qint64 offset = m_context->cognito()->awsClient()->clockOffsetMs();
    QVERIFY2(qAbs(offset - 1200 * 1000) < 10000, qPrintable(QString::number(offset)));
    bool sawSkew = false;
    for (const QJsonObject &request : syncRequestsSince(since))
        sawSkew |= request.value(QStringLiteral("status")).toInt() >= 400;
    QVERIFY2(sawSkew, "the skew was never noticed: the test proves nothing");
}

void TestSyncSandbox::expiredCredentialsAreRefreshedMidSync()
{
    const QString ds = QStringLiteral("expiry");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v")).isError());
    // Credentials that live 2 s, and an UpdateRecords that reaches the service 3 s after it was signed.
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/lifetimes"), {{QStringLiteral("credentials"), 2}}));
    m_context->session()->storeAwsCredentials({}); // not the hour-long ones cached with the session
    m_context->cognito()->credentials()->clear();
    QVERIFY(
        m_sandbox.addFault(cognitoSync, QStringLiteral("UpdateRecords"), QStringLiteral("delay"), 1, 3000));
    const qint64 since = m_sandbox.requestLogEnd();
    const SyncOutcome a = runSync(*m_a, ds);
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/lifetimes"), {{QStringLiteral("credentials"), 3600}}));
    m_context->session()->storeAwsCredentials({});
    m_context->cognito()->credentials()->clear();
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(a.report.pushed, 1);
    bool sawExpired = false;
    for (const QJsonObject &request : syncRequestsSince(since))
        sawExpired |=
            request.value(QStringLiteral("error")).toString() == QLatin1String("ExpiredTokenException");
    QVERIFY2(sawExpired, "the credentials never expired: the test proves nothing");
    QVERIFY(runSync(*m_b, ds).ok);
    QCOMPARE(recordValue(*m_b, ds, QStringLiteral("k")), QStringLiteral("v"));
}

void TestSyncSandbox::datasetDeletedOnTheOtherSide()
{
    const QString ds = QStringLiteral("doomed");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v")).isError());
    QVERIFY(runSync(*m_a, ds).ok);
    QVERIFY(runSync(*m_b, ds).ok);

    // b deletes it; a, with nothing unsent, follows.
    QVERIFY(!m_b->store().markDatasetDeleted(ds).isError());
    SyncOutcome b = runSync(*m_b, ds);
    QVERIFY2(b.ok, qPrintable(b.error.text()));
    QVERIFY(b.report.deletedLocally);
    QVERIFY(!m_b->store().dataset(ds).value.has_value());
    QSignalSpy deleted(&m_a->engine(), &SyncEngine::datasetDeletedRemotely);
    SyncOutcome a = runSync(*m_a, ds);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QVERIFY(a.report.deletedRemotely);
    QCOMPARE(deleted.size(), 1);
    QCOMPARE(deleted.first().at(1).toBool(), false);
    QVERIFY(!m_a->store().dataset(ds).value.has_value());

    // Deleted again while a has an unsent edit: the edit is kept and makes the dataset anew.
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v2")).isError());
    QVERIFY(runSync(*m_a, ds).ok);
    QVERIFY(runSync(*m_b, ds).ok);
    // (a pulls once more: the push that re-created the dataset did not tell it the new sync count.)
    QVERIFY(runSync(*m_a, ds).ok);
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("mine"), QStringLiteral("unsent")).isError());
    QVERIFY(!m_b->store().markDatasetDeleted(ds).isError());
    QVERIFY(runSync(*m_b, ds).ok);
    deleted.clear();
    a = runSync(*m_a, ds);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(deleted.size(), 1);
    QCOMPARE(deleted.first().at(1).toBool(), true);
    QCOMPARE(liveRecords(*m_a, ds),
             (QMap<QString, QString>{{QStringLiteral("mine"), QStringLiteral("unsent")}}));
    QVERIFY(runSync(*m_b, ds).ok);
    QCOMPARE(liveRecords(*m_b, ds), liveRecords(*m_a, ds));
}

void TestSyncSandbox::twoSidedSyncIsTwoRequests()
{
    const QString ds = QStringLiteral("count");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("x"), QStringLiteral("1")).isError());
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("y"), QStringLiteral("1")).isError());
    QVERIFY(runSync(*m_a, ds).ok);
    QVERIFY(runSync(*m_b, ds).ok);
    QVERIFY(!m_b->store().putValue(ds, QStringLiteral("x"), QStringLiteral("2")).isError());
    QVERIFY(runSync(*m_b, ds).ok);
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("y"), QStringLiteral("2")).isError());

    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    const SyncOutcome a = runSync(*m_a, ds);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(a.report.pulled, 1);
    QCOMPARE(a.report.pushed, 1);
    QStringList operations;
    for (const QString &operation : m_sandbox.operationsSince(since))
        if (syncOperations.contains(operation))
            operations << operation;
    QCOMPARE(operations, (QStringList{QStringLiteral("ListRecords"), QStringLiteral("UpdateRecords")}));

    // And the next sync, with nothing new on either side, is a single ListRecords.
    m_sandbox.operationsSince(0, &since);
    QVERIFY(runSync(*m_a, ds).ok);
    operations.clear();
    for (const QString &operation : m_sandbox.operationsSince(since))
        if (syncOperations.contains(operation))
            operations << operation;
    QCOMPARE(operations, QStringList{QStringLiteral("ListRecords")});
}

FEDSYNC_TEST_MAIN(TestSyncSandbox)
#include "tst_sync_sandbox.moc"

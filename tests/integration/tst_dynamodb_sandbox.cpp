// The DynamoDB store against the sandbox's DynamoDB endpoint (TLS, SigV4, the LeadingKeys policy): a
// real sign-in with the DynamoDB profile of ready.json, two clients of one identity converging, every
// conflict policy (both: TwoDeviceSyncTest's cases, as for Cognito Sync), several fedsync-cli processes
// writing one dataset at once (nothing lost), throttling and 5xx absorbed, a dataset deleted and re-created,
// the AWS CLI refused another identity's partition, the requests one sync costs next to Cognito Sync's,
// and 1,024 records (bodies and replies of 32 KB or more, made and read on the remote's worker) both ways.
#include "aws/awsclient.h"
#include "awscli.h"
#include "sandbox.h"
#include "session/awsaccess.h"
#include "session/profilecontext.h"
#include "session/signinstate.h"
#include "session/userdatasets.h"
#include "signedinuser.h"
#include "sync/dynamodbremote.h"
#include "sync/localstore.h"
#include "sync/syncengine.h"
#include "testenvironment.h"
#include "testmain.h"
#include "twodevicesynctest.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

using namespace fedsync;
using namespace fedsync::test;

namespace {

const QString dynamoDb = QStringLiteral("dynamodb");

} // namespace

class TestDynamoDbSandbox : public TwoDeviceSyncTest
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void profileChoosesTheDynamoDbStore();
    void concurrentWritersLoseNothing();
    void throttlingAndServerErrorsAreAbsorbed();
    void datasetDeletedAndRecreated();
    void limitsAreCheckedBeforeSending();
    void otherIdentityIsRefusedByThePolicy();
    void requestsPerSync();
    void manyRecordsConverge();
    void fewRecordsWithKeysBeyondAscii();
    void cancelledBetweenTransactionsLosesNothing();
    void serverFailingBetweenTransactions();
    void largeReplyDroppedWhenTheRequesterWent();

private:
    void checkFirstPush(qint64 since) override;
    void checkConverged(const QString &ds) override;
    QList<QJsonObject> dynamoRequestsSince(qint64 since) const
    {
        return m_sandbox.requestsSince(since, {dynamoDb});
    }
    QStringList dynamoOperationsSince(qint64 since) const
    {
        QStringList operations;
        for (const QJsonObject &request : dynamoRequestsSince(since))
            operations << request.value(QStringLiteral("operation")).toString();
        return operations;
    }
    // The items every Query since `since` returned (the sandbox logs each Query's count).
    int queriedItemsSince(qint64 since) const
    {
        int items = 0;
        for (const QJsonObject &request : dynamoRequestsSince(since))
            items += request.value(QStringLiteral("returned")).toInt();
        return items;
    }
    QProcess *startCli(const QStringList &args, const QString &device);
};

void TestDynamoDbSandbox::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    QVERIFY(QFile::exists(m_sandbox.dynamoDbProfileFile()));
    signInAndOpenDevices(m_sandbox.dynamoDbProfileFile());
}

void TestDynamoDbSandbox::init()
{
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
}

QProcess *TestDynamoDbSandbox::startCli(const QStringList &args, const QString &device)
{
    auto *process = new QProcess(this);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("cli-") + device));
    process->setProcessEnvironment(environment);
    process->start(binDir() + QStringLiteral("/fedsync-cli"),
                   QStringList{QStringLiteral("--profile-file"), m_sandbox.dynamoDbProfileFile()} + args);
    return process;
}

void TestDynamoDbSandbox::profileChoosesTheDynamoDbStore()
{
    const Profile profile = m_sandbox.dynamoDbProfile();
    QCOMPARE(profile.cognito.store, CognitoSettings::Store::DynamoDb);
    QCOMPARE(profile.cognito.dynamoDbTable,
             m_sandbox.ready().value(QStringLiteral("dynamodb_table")).toString());
    QVERIFY(m_context->cognito()->dynamoDbClient());
    QVERIFY(dynamic_cast<DynamoDbRemote *>(&m_a->remote()));
    // The Cognito Sync endpoint it migrates from stays in the profile.
    QCOMPARE(profile.cognito.cognitoSyncEndpoint, m_sandbox.ready()
                                                      .value(QStringLiteral("endpoints"))
                                                      .toObject()
                                                      .value(QStringLiteral("cognito_sync"))
                                                      .toString());
}

void TestDynamoDbSandbox::checkFirstPush(qint64 since)
{
    // It went to DynamoDB, not to Cognito Sync.
    QVERIFY(!dynamoRequestsSince(since).isEmpty());
    for (const QString &op : m_sandbox.operationsSince(since))
        QVERIFY2(op != QLatin1String("UpdateRecords") && op != QLatin1String("ListRecords"), qPrintable(op));
}

void TestDynamoDbSandbox::checkConverged(const QString &ds)
{
    // ListDatasets reads the dataset items: count and size as Cognito Sync counts them.
    bool listed = false;
    QList<RemoteDataset> datasets;
    QObject context;
    m_a->remote().listDatasets(&context, [&](const RemoteResult<QList<RemoteDataset>> &result) {
        QVERIFY(result.ok());
        datasets = result.value;
        listed = true;
    });
    QVERIFY(QTest::qWaitFor([&] { return listed; }, 20000));
    const auto found = std::find_if(datasets.cbegin(), datasets.cend(),
                                    [&](const RemoteDataset &d) { return d.name == ds; });
    QVERIFY(found != datasets.cend());
    QCOMPARE(found->recordCount, 3);
    QCOMPARE(found->storageSizeBytes, qint64(QByteArray("bodymilk, eggsduetodaytagsfood, weekly").size()));
}

void TestDynamoDbSandbox::concurrentWritersLoseNothing()
{
    // Four fedsync-cli processes, each with its own local store, write the same dataset at once; each
    // retries until its sync succeeds. Every key must arrive, and a fifth device must pull them all.
    const QString ds = QStringLiteral("crowd");
    constexpr int writers = 4;
    constexpr int keysEach = 3;
    for (int w = 0; w < writers; ++w) {
        for (int k = 0; k < keysEach; ++k) {
            QProcess *put = startCli({QStringLiteral("put"), ds, QStringLiteral("w%1-k%2").arg(w).arg(k),
                                      QStringLiteral("v%1-%2").arg(w).arg(k)},
                                     QString::number(w));
            QVERIFY(put->waitForFinished(60000));
            QCOMPARE(put->exitCode(), 0);
        }
    }
    QList<int> pending;
    for (int w = 0; w < writers; ++w)
        pending << w;
    int rounds = 0;
    while (!pending.isEmpty() && rounds++ < 6) {
        QList<QProcess *> running;
        for (const int w : std::as_const(pending))
            running << startCli({QStringLiteral("sync"), ds}, QString::number(w));
        QList<int> failed;
        for (int i = 0; i < running.size(); ++i) {
            QVERIFY(running[i]->waitForFinished(120000));
            if (running[i]->exitCode() != 0)
                failed << pending[i];
        }
        pending = failed;
    }
    QVERIFY2(pending.isEmpty(), "some writers never got their sync through");
    QVERIFY(rounds >= 1);

    const SyncOutcome b = runSync(*m_b, ds);
    QVERIFY2(b.ok, qPrintable(b.error.text()));
    const QMap<QString, QString> got = liveRecords(*m_b, ds);
    QCOMPARE(got.size(), writers * keysEach);
    for (int w = 0; w < writers; ++w)
        for (int k = 0; k < keysEach; ++k)
            QCOMPARE(got.value(QStringLiteral("w%1-k%2").arg(w).arg(k)),
                     QStringLiteral("v%1-%2").arg(w).arg(k));
    // Each writer also ends with everyone's records after one more sync.
    QProcess *last = startCli({QStringLiteral("sync"), ds}, QStringLiteral("0"));
    QVERIFY(last->waitForFinished(60000));
    QCOMPARE(last->exitCode(), 0);
    QProcess *get = startCli({QStringLiteral("get"), ds, QStringLiteral("w3-k2")}, QStringLiteral("0"));
    QVERIFY(get->waitForFinished(60000));
    QCOMPARE(QString::fromUtf8(get->readAllStandardOutput()).trimmed(), QStringLiteral("v3-2"));
}

void TestDynamoDbSandbox::throttlingAndServerErrorsAreAbsorbed()
{
    const QString ds = QStringLiteral("flaky");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v")).isError());
    QVERIFY(m_sandbox.addFault(dynamoDb, QStringLiteral("Query"), QStringLiteral("throttle"), 3));
    QVERIFY(m_sandbox.addFault(dynamoDb, QStringLiteral("TransactWriteItems"), QStringLiteral("http500"), 2));
    const qint64 since = m_sandbox.requestLogEnd();
    const SyncOutcome a = runSync(*m_a, ds);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(a.report.pushed, 1);
    int errors = 0;
    for (const QJsonObject &request : dynamoRequestsSince(since))
        errors += request.value(QStringLiteral("status")).toInt() >= 400 ? 1 : 0;
    QVERIFY2(errors >= 5, qPrintable(QString::number(errors)));
    QVERIFY(runSync(*m_b, ds).ok);
    QCOMPARE(recordValue(*m_b, ds, QStringLiteral("k")), QStringLiteral("v"));
}

void TestDynamoDbSandbox::datasetDeletedAndRecreated()
{
    const QString ds = QStringLiteral("phoenix");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("old"), QStringLiteral("1")).isError());
    QVERIFY(runSync(*m_a, ds).ok);
    QVERIFY(runSync(*m_b, ds).ok);
    QCOMPARE(recordValue(*m_b, ds, QStringLiteral("old")), QStringLiteral("1"));
    QVERIFY(!m_a->store().markDatasetDeleted(ds).isError());
    const SyncOutcome deleted = runSync(*m_a, ds);
    QVERIFY2(deleted.ok, qPrintable(deleted.error.text()));
    QVERIFY(deleted.report.deletedLocally);
    // b learns of the deletion; the old record does not come back with a re-created dataset.
    const SyncOutcome b = runSync(*m_b, ds);
    QVERIFY2(b.ok, qPrintable(b.error.text()));
    QVERIFY(b.report.deletedRemotely);
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("new"), QStringLiteral("2")).isError());
    QVERIFY(runSync(*m_a, ds).ok);
    QVERIFY(runSync(*m_b, ds).ok);
    QCOMPARE(liveRecords(*m_b, ds), (QMap<QString, QString>{{QStringLiteral("new"), QStringLiteral("2")}}));
}

void TestDynamoDbSandbox::limitsAreCheckedBeforeSending()
{
    // Each device's own edits fit; merged on the server they would not. The check happens before the
    // write is sent, as with Cognito Sync: the new records that do not fit stay on the device (pending,
    // reported as held back), the rest is sent.
    const QString ds = QStringLiteral("big");
    const QString chunk(300 * 1024, u'x');
    for (int i = 0; i < 2; ++i)
        QVERIFY(!m_a->store().putValue(ds, QStringLiteral("a%1").arg(i), chunk).isError());
    QVERIFY(runSync(*m_a, ds).ok);
    for (int i = 0; i < 2; ++i)
        QVERIFY(!m_b->store().putValue(ds, QStringLiteral("b%1").arg(i), chunk).isError());
    const SyncOutcome b = runSync(*m_b, ds);
    QVERIFY2(b.ok, qPrintable(b.error.text()));
    QCOMPARE(b.report.pushed, 1);
    QCOMPARE(b.report.heldBack.size(), 1);
    const QString heldBack = b.report.heldBack.first();
    QVERIFY2(heldBack.startsWith(u'b'), qPrintable(heldBack));
    QCOMPARE(b.report.heldBackReason.code, QStringLiteral("sync.limit.merged"));
    QVERIFY2(b.report.heldBackReason.why.contains(QStringLiteral("more than 1 MB")),
             qPrintable(b.report.heldBackReason.why));
    // The server holds what fits, never the held-back record.
    QVERIFY(runSync(*m_a, ds).ok);
    const QMap<QString, QString> onA = liveRecords(*m_a, ds);
    QCOMPARE(onA.size(), 3);
    QVERIFY(!onA.contains(heldBack));
}

void TestDynamoDbSandbox::otherIdentityIsRefusedByThePolicy()
{
    if (QStandardPaths::findExecutable(QStringLiteral("aws")).isEmpty())
        QSKIP("The AWS CLI (Debian package awscli) is not installed");
    // The AWS CLI signs with this user's credentials (fedsync-cli as credential_process).
    const std::optional<QProcessEnvironment> env =
        awsCliEnvironment(m_dir.filePath(QStringLiteral("home")), m_sandbox.dynamoDbProfileFile());
    QVERIFY(env);
    const QString table = m_sandbox.ready().value(QStringLiteral("dynamodb_table")).toString();
    const QString endpoint = m_sandbox.ready()
                                 .value(QStringLiteral("endpoints"))
                                 .toObject()
                                 .value(QStringLiteral("dynamodb"))
                                 .toString();
    auto getItem = [&](const QString &identityId) {
        const QJsonObject key{
            {QStringLiteral("identity_id"), QJsonObject{{QStringLiteral("S"), identityId}}},
            {QStringLiteral("sk"), QJsonObject{{QStringLiteral("S"), QStringLiteral("D#converge")}}}};
        const CliRun aws = runAwsCli(
            {QStringLiteral("dynamodb"), QStringLiteral("get-item"), QStringLiteral("--table-name"), table,
             QStringLiteral("--key"), QString::fromUtf8(QJsonDocument(key).toJson(QJsonDocument::Compact)),
             QStringLiteral("--endpoint-url"), endpoint, QStringLiteral("--ca-bundle"), m_sandbox.caFile(),
             QStringLiteral("--output"), QStringLiteral("json")},
            *env);
        return std::make_pair(aws.exitCode, QString(aws.out + aws.err));
    };
    // Its own partition: readable (the dataset item twoClientsConverge wrote).
    const auto own = getItem(m_a->identityId());
    QVERIFY2(own.first == 0, qPrintable(own.second));
    QVERIFY2(own.second.contains(QStringLiteral("sync_count")), qPrintable(own.second));
    // Another identity's partition: refused, in AWS's words.
    const QString other = QStringLiteral("us-east-1:00000000-0000-4000-8000-000000000000");
    const auto refused = getItem(other);
    QVERIFY(refused.first != 0);
    QVERIFY2(refused.second.contains(QStringLiteral("AccessDeniedException")), qPrintable(refused.second));
    QVERIFY2(refused.second.contains(QStringLiteral("is not authorized to perform: dynamodb:GetItem")),
             qPrintable(refused.second));
}

void TestDynamoDbSandbox::requestsPerSync()
{
    // A sync with an edit and nothing new on the server: GetItem (the counter says nothing was written
    // since this device's last pull, so the dataset is not read), then Query (the edited record's count)
    // and TransactWriteItems. A device behind: GetItem + Query. Nothing new and nothing to send: GetItem
    // alone. Cognito Sync: ListRecords + UpdateRecords, and ListRecords.
    const QString ds = QStringLiteral("count");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v")).isError());
    QVERIFY(runSync(*m_a, ds).ok);
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("w")).isError());
    qint64 since = m_sandbox.requestLogEnd();
    QVERIFY(runSync(*m_a, ds).ok);
    QCOMPARE(dynamoOperationsSince(since), (QStringList{QStringLiteral("GetItem"), QStringLiteral("Query"),
                                                        QStringLiteral("TransactWriteItems")}));
    since = m_sandbox.requestLogEnd();
    QVERIFY(runSync(*m_b, ds).ok);
    QCOMPARE(dynamoOperationsSince(since), (QStringList{QStringLiteral("GetItem"), QStringLiteral("Query")}));
    QCOMPARE(recordValue(*m_b, ds, QStringLiteral("k")), QStringLiteral("w"));
    since = m_sandbox.requestLogEnd();
    QVERIFY(runSync(*m_b, ds).ok);
    QCOMPARE(dynamoOperationsSince(since), QStringList{QStringLiteral("GetItem")});

    // The counter moved (A wrote): B reads again and gets the change.
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("x")).isError());
    QVERIFY(runSync(*m_a, ds).ok);
    since = m_sandbox.requestLogEnd();
    QVERIFY(runSync(*m_b, ds).ok);
    QCOMPARE(dynamoOperationsSince(since), (QStringList{QStringLiteral("GetItem"), QStringLiteral("Query")}));
    QCOMPARE(recordValue(*m_b, ds, QStringLiteral("k")), QStringLiteral("x"));
}

namespace {

QList<std::pair<QString, QString>> records1024(const QString &prefix)
{
    QList<std::pair<QString, QString>> records;
    for (int i = 0; i < 1024; ++i)
        records.append(
            {QStringLiteral("key-%1").arg(i, 4, 10, QLatin1Char('0')), prefix + QString::number(i)});
    return records;
}

} // namespace

void TestDynamoDbSandbox::manyRecordsConverge()
{
    // 1,024 records: transactions of 99 built on the worker, Query replies of more than 32 KB read there,
    // then every record changed on the other device (the records' counts read on the worker too).
    const QString ds = QStringLiteral("many");
    QVERIFY(!m_a->store().putValues(ds, records1024(QStringLiteral("a "))).isError());
    qint64 since = m_sandbox.requestLogEnd();
    QSignalSpy progress(&m_a->engine(), &SyncEngine::progress);
    const SyncOutcome pushed = runSync(*m_a, ds);
    QVERIFY2(pushed.ok, qPrintable(pushed.error.text()));
    QCOMPARE(pushed.report.pushed, 1024);
    // The progress moves with each transaction: 0, 99, 198, ... 990, then all 1,024.
    QList<int> sent;
    for (const QList<QVariant> &event : std::as_const(progress))
        if (event.at(1).value<SyncPhase>() == SyncPhase::Pushing)
            sent << event.at(2).toInt();
    QList<int> expected;
    for (int written = 0; written < 1024; written += 99)
        expected << written;
    expected << 1024;
    QCOMPARE(sent, expected);
    int transactions = 0;
    for (const QJsonObject &request : dynamoRequestsSince(since))
        transactions +=
            request.value(QStringLiteral("operation")).toString() == QLatin1String("TransactWriteItems");
    QCOMPARE(transactions, 11); // 10 x 99 + 34
    // The 11 counts were all this device's writes: its next sync does not download them back, nor read
    // the dataset at all (the counter is where its last write left it).
    since = m_sandbox.requestLogEnd();
    const SyncOutcome own = runSync(*m_a, ds);
    QVERIFY2(own.ok, qPrintable(own.error.text()));
    QCOMPARE(own.report.pulled, 0);
    QCOMPARE(dynamoOperationsSince(since), QStringList({QStringLiteral("GetItem")}));
    // One edit in 1,024 records: the write reads that record's count and size, not the dataset's.
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("key-0512"), QStringLiteral("a edited")).isError());
    since = m_sandbox.requestLogEnd();
    const SyncOutcome edit = runSync(*m_a, ds);
    QVERIFY2(edit.ok, qPrintable(edit.error.text()));
    QCOMPARE(edit.report.pushed, 1);
    QCOMPARE(dynamoOperationsSince(since), QStringList({QStringLiteral("GetItem"), QStringLiteral("Query"),
                                                        QStringLiteral("TransactWriteItems")}));
    QCOMPARE(queriedItemsSince(since), 1);

    const SyncOutcome pulled = runSync(*m_b, ds);
    QVERIFY2(pulled.ok, qPrintable(pulled.error.text()));
    QCOMPARE(pulled.report.pulled, 1024);
    QCOMPARE(liveRecords(*m_b, ds), liveRecords(*m_a, ds));

    QVERIFY(!m_b->store().putValues(ds, records1024(QStringLiteral("b "))).isError());
    const SyncOutcome changed = runSync(*m_b, ds);
    QVERIFY2(changed.ok, qPrintable(changed.error.text()));
    QCOMPARE(changed.report.pushed, 1024);
    QVERIFY(changed.conflicts.isEmpty());
    since = m_sandbox.requestLogEnd();
    const SyncOutcome ownChange = runSync(*m_b, ds);
    QVERIFY2(ownChange.ok, qPrintable(ownChange.error.text()));
    QCOMPARE(ownChange.report.pulled, 0);
    QCOMPARE(queriedItemsSince(since), 0);
    const SyncOutcome back = runSync(*m_a, ds);
    QVERIFY2(back.ok, qPrintable(back.error.text()));
    QCOMPARE(back.report.pulled, 1024);
    QCOMPARE(recordValue(*m_a, ds, QStringLiteral("key-1023")), QStringLiteral("b 1023"));
    QCOMPARE(liveRecords(*m_a, ds), liveRecords(*m_b, ds));
}

void TestDynamoDbSandbox::fewRecordsWithKeysBeyondAscii()
{
    // A write of a few records reads only theirs, between the lowest and the highest sort key: DynamoDB
    // orders keys by their UTF-8 bytes (U+E000 sorts before an emoji there, after it in UTF-16), so a
    // wrong order would miss a record and every later write of it would be refused as a conflict.
    const QString ds = QStringLiteral("unicode");
    const QStringList keys{QStringLiteral("a"), QString(QChar(0xE000)), QStringLiteral("\U0001F600"),
                           QStringLiteral("\u00e9t\u00e9")};
    for (const QString &key : keys)
        QVERIFY(!m_a->store().putValue(ds, key, QStringLiteral("first ") + key).isError());
    QVERIFY(runSync(*m_a, ds).ok);
    for (const QString &key : keys)
        QVERIFY(!m_a->store().putValue(ds, key, QStringLiteral("second ") + key).isError());
    qint64 since = m_sandbox.requestLogEnd();
    const SyncOutcome second = runSync(*m_a, ds);
    QVERIFY2(second.ok, qPrintable(second.error.text()));
    QCOMPARE(second.report.pushed, int(keys.size()));
    QCOMPARE(queriedItemsSince(since), int(keys.size())); // the four, read before the write
    QVERIFY(runSync(*m_b, ds).ok);
    for (const QString &key : keys)
        QCOMPARE(recordValue(*m_b, ds, key), QStringLiteral("second ") + key);
}

void TestDynamoDbSandbox::cancelledBetweenTransactionsLosesNothing()
{
    // The user cancels a 1,024-record push when its first transaction of 99 is written: those stay written
    // on the table, the rest stay pending on the device. The next sync sends the rest without asking about
    // conflicts (the 99 on the table are this device's values), and the other device gets all 1,024.
    const QString ds = QStringLiteral("cancelled");
    QVERIFY(!m_a->store().putValues(ds, records1024(QStringLiteral("c "))).isError());
    const qint64 since = m_sandbox.requestLogEnd();
    SyncEngine &engine = m_a->engine();
    QSignalSpy cancelled(&engine, &SyncEngine::cancelled);
    QSignalSpy finished(&engine, &SyncEngine::finished);
    QObject receiver;
    connect(&engine, &SyncEngine::progress, &receiver,
            [&engine](const QString &dataset, SyncPhase phase, int done, int) {
                if (phase == SyncPhase::Pushing && done > 0)
                    engine.cancel(dataset);
            });
    engine.synchronize(ds);
    QVERIFY(cancelled.wait(30000));
    QCOMPARE(finished.count(), 0);
    disconnect(&engine, &SyncEngine::progress, &receiver, nullptr);
    QTest::qWait(500); // nothing more goes out after the cancel
    QCOMPARE(dynamoOperationsSince(since).count(QStringLiteral("TransactWriteItems")), 1);
    QCOMPARE(m_a->store().dirtyRecords(ds).value.size(), 1024); // the device does not know what went

    const SyncOutcome again = runSync(*m_a, ds);
    QVERIFY2(again.ok, qPrintable(again.error.text()));
    QVERIFY(again.conflicts.isEmpty());
    QVERIFY(m_a->store().dirtyRecords(ds).value.isEmpty());
    const SyncOutcome other = runSync(*m_b, ds);
    QVERIFY2(other.ok, qPrintable(other.error.text()));
    QCOMPARE(liveRecords(*m_b, ds).size(), 1024);
    QCOMPARE(liveRecords(*m_b, ds), liveRecords(*m_a, ds));
    QCOMPARE(recordValue(*m_b, ds, QStringLiteral("key-1023")), QStringLiteral("c 1023"));
}

void TestDynamoDbSandbox::serverFailingBetweenTransactions()
{
    // The table keeps failing (HTTP 500) from the second transaction of a 1,024-record push on: the
    // first 99 records are written, the sync fails (it used to say "synchronized", 925 records unsent).
    const QString ds = QStringLiteral("halfway");
    QVERIFY(!m_a->store().putValues(ds, records1024(QStringLiteral("h "))).isError());
    const auto clearFaults = qScopeGuard([this] { m_sandbox.adminDelete(QStringLiteral("admin/faults")); });
    QVERIFY(
        m_sandbox.addFault(dynamoDb, QStringLiteral("TransactWriteItems"), QStringLiteral("delay"), 1, 1));
    QVERIFY(
        m_sandbox.addFault(dynamoDb, QStringLiteral("TransactWriteItems"), QStringLiteral("http500"), 100));
    const SyncOutcome failing = runSync(*m_a, ds, ConflictPolicy::Report, 120000);
    // Not "synchronized": the user is told, with what went and what is kept.
    QVERIFY(!failing.ok);
    QVERIFY2(failing.error.why.contains(QStringLiteral("99 change(s) were sent before it")),
             qPrintable(failing.error.text()));
    QVERIFY2(failing.error.why.contains(QStringLiteral("kept on this device")),
             qPrintable(failing.error.text()));
    QCOMPARE(m_a->store().dirtyRecords(ds).value.size(), 1024 - 99);

    // The table is back: the next sync sends the rest; nothing was lost or doubled.
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    const SyncOutcome again = runSync(*m_a, ds);
    QVERIFY2(again.ok, qPrintable(again.error.text()));
    QCOMPARE(again.report.pushed, 1024 - 99);
    QCOMPARE(again.report.pulled, 0); // the 99 were recorded as this device's
    QVERIFY(again.conflicts.isEmpty());
    QVERIFY(runSync(*m_b, ds).ok);
    QCOMPARE(liveRecords(*m_b, ds).size(), 1024);
    QCOMPARE(liveRecords(*m_b, ds), liveRecords(*m_a, ds));
}

void TestDynamoDbSandbox::largeReplyDroppedWhenTheRequesterWent()
{
    // The window that asked closes while a large pull is under way: nothing is delivered to it, and the
    // next pull still reads everything.
    const QString ds = QStringLiteral("many"); // manyRecordsConverge's, when it ran
    if (liveRecords(*m_a, ds).size() != 1024) {
        QVERIFY(!m_a->store().putValues(ds, records1024(QStringLiteral("a "))).isError());
        QVERIFY(runSync(*m_a, ds).ok);
    }
    // The records' Query waits 400 ms at the sandbox; once it has arrived there, this thread takes no
    // event for 1.5 s, so its answer comes (Qt reads it on its own thread) and stays undelivered: the
    // requester goes with the reply read or about to be, never before or after by chance.
    QVERIFY(m_sandbox.addFault(dynamoDb, QStringLiteral("Query"), QStringLiteral("delay"), 1, 400));
    bool delivered = false;
    auto requester = std::make_unique<QObject>();
    m_b->remote().listRecords({ds, 0, {}, 1024}, requester.get(),
                              [&delivered](const RemoteResult<ListRecordsReply> &) { delivered = true; });
    QVERIFY(QTest::qWaitFor(
        [&] {
            return m_sandbox.adminGet(QStringLiteral("admin/faults"))
                .value(QStringLiteral("faults"))
                .toArray()
                .isEmpty();
        },
        10000));
    QVERIFY(!delivered);
    QThread::msleep(1500);
    requester.reset();
    QTest::qWait(500);
    QVERIFY(!delivered);

    QObject again;
    std::optional<RemoteResult<ListRecordsReply>> reply;
    m_b->remote().listRecords({ds, 0, {}, 1024}, &again,
                              [&reply](const RemoteResult<ListRecordsReply> &result) { reply = result; });
    QVERIFY(QTest::qWaitFor([&] { return reply.has_value(); }, 20000));
    QVERIFY2(!reply->error, qPrintable(reply->error ? reply->error->error.text() : QString()));
    QCOMPARE(reply->value.records.size(), 1024);
}

FEDSYNC_TEST_MAIN(TestDynamoDbSandbox)
#include "tst_dynamodb_sandbox.moc"

// SyncEngine + CognitoSyncRemote against the real Cognito Sync emulator: a real sign-in (fedsync-cli login,
// then the session restored in-process from the keychain), two clients of one identity (two local stores
// opened with UserDatasets) converging, each conflict policy, a real ResourceConflictException, server
// errors and throttling, a wrong clock, credentials expiring in the middle of a sync, a dataset deleted
// on the other side, and the request count of a two-sided sync.
#include "aws/awsclient.h"
#include "aws/cognitocredentialsprovider.h"
#include "clilogin.h"
#include "cognitojs.h"
#include "config/appidentity.h"
#include "sandbox.h"
#include "secrets/keychainsecretstore.h"
#include "session/signinstate.h"
#include "session/awsaccess.h"
#include "session/profilecontext.h"
#include "session/userdatasets.h"
#include "sync/localstore.h"
#include "sync/syncengine.h"
#include "testmain.h"

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

struct Outcome
{
    bool ok = false;
    SyncReport report;
    UserError error;
    QList<SyncConflict> conflicts;
};

} // namespace

class TestSyncSandbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void twoClientsConverge();
    void conflictPolicies_data();
    void conflictPolicies();
    void resourceConflictIsRetried();
    void throttlingAndServerErrorsAreAbsorbed();
    void persistentServerErrorFailsWithAReason();
    void clockSkewIsRecovered();
    void expiredCredentialsAreRefreshedMidSync();
    void datasetDeletedOnTheOtherSide();
    void twoSidedSyncIsTwoRequests();

private:
    std::unique_ptr<UserDatasets> openClient(const QString &name);
    Outcome sync(UserDatasets &client, const QString &dataset,
                 ConflictPolicy policy = ConflictPolicy::Report);
    QString value(UserDatasets &client, const QString &dataset, const QString &key) const;
    QMap<QString, QString> live(UserDatasets &client, const QString &dataset) const;
    bool fault(const QString &operation, const QString &kind, int count, int delayMs = 0);
    // The Cognito Sync requests (operation, status, error) the sandbox answered since `since`.
    QList<QJsonObject> syncRequestsSince(qint64 since) const;
    qint64 requestLogEnd() const;

    Sandbox m_sandbox;
    QTemporaryDir m_dir;
    std::unique_ptr<KeychainSecretStore> m_secrets;
    std::unique_ptr<ProfileContext> m_context;
    std::unique_ptr<UserDatasets> m_a;
    std::unique_ptr<UserDatasets> m_b;
};

void TestSyncSandbox::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));

    // The same settings as fedsync-cli (last user, identity id), and the same keychain.
    applyApplicationIdentity();
    m_secrets = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
    UserError error;
    m_context = ProfileContext::create(m_sandbox.profile(), m_secrets.get(), &error);
    QVERIFY2(m_context, qPrintable(error.text()));
    QVERIFY(m_context->cognito());
    const UserError restored = restoreSignIn(*m_context->session());
    QVERIFY2(restored.code.isEmpty(), qPrintable(restored.text()));

    m_a = openClient(QStringLiteral("a"));
    m_b = openClient(QStringLiteral("b"));
    QVERIFY(m_a && m_b);
    QCOMPARE(m_a->identityId(), m_b->identityId());
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

void TestSyncSandbox::cleanupTestCase()
{
    m_a.reset();
    m_b.reset();
    m_context.reset();
}

std::unique_ptr<UserDatasets> TestSyncSandbox::openClient(const QString &name)
{
    UserDatasets::Options options;
    options.dataDirectory = m_dir.filePath(name);
    options.deviceId = QStringLiteral("device-") + name;
    std::unique_ptr<UserDatasets> opened;
    UserError error;
    bool done = false;
    QObject receiver;
    UserDatasets::openSignedIn(
        *m_context, &receiver,
        [&](std::unique_ptr<UserDatasets> session, const UserError &failure) {
            opened = std::move(session);
            error = failure;
            done = true;
        },
        options);
    if (!QTest::qWaitFor([&] { return done; }, 30000) || !opened) {
        qWarning().noquote() << "could not open client" << name << error.text();
        return nullptr;
    }
    SyncRetryPolicy retry;
    retry.initialBackoffMs = 20;
    retry.maxBackoffMs = 100;
    opened->engine().setRetryPolicy(retry);
    return opened;
}

Outcome TestSyncSandbox::sync(UserDatasets &client, const QString &dataset, ConflictPolicy policy)
{
    Outcome outcome;
    SyncEngine &engine = client.engine();
    QSignalSpy finished(&engine, &SyncEngine::finished);
    QSignalSpy failed(&engine, &SyncEngine::failed);
    QMetaObject::Connection conflicts =
        connect(&engine, &SyncEngine::conflictsFound, this,
                [&](const QString &, const QList<SyncConflict> &found) { outcome.conflicts += found; });
    engine.synchronize(dataset, policy);
    if (!QTest::qWaitFor([&] { return !finished.isEmpty() || !failed.isEmpty(); }, 60000)) {
        outcome.error =
            UserError::make(QStringLiteral("test.timeout"), QStringLiteral("the sync did not end"));
        engine.cancel(dataset);
    } else if (!failed.isEmpty()) {
        outcome.error = failed.first().at(1).value<UserError>();
    } else {
        outcome.ok = true;
        outcome.report = finished.first().at(1).value<SyncReport>();
    }
    disconnect(conflicts);
    return outcome;
}

QString TestSyncSandbox::value(UserDatasets &client, const QString &dataset, const QString &key) const
{
    const auto record = client.store().record(dataset, key).value;
    if (!record)
        return QStringLiteral("<none>");
    return record->record.value ? *record->record.value : QStringLiteral("<removed>");
}

QMap<QString, QString> TestSyncSandbox::live(UserDatasets &client, const QString &dataset) const
{
    QMap<QString, QString> out;
    for (const LocalRecord &record : client.store().records(dataset).value)
        if (!record.record.isRemoved())
            out.insert(record.record.key, *record.record.value);
    return out;
}

bool TestSyncSandbox::fault(const QString &operation, const QString &kind, int count, int delayMs)
{
    QJsonObject body{{QStringLiteral("service"), QStringLiteral("cognito-sync")},
                     {QStringLiteral("operation"), operation},
                     {QStringLiteral("kind"), kind},
                     {QStringLiteral("count"), count}};
    if (delayMs > 0)
        body.insert(QStringLiteral("delay_ms"), delayMs);
    return m_sandbox.admin(QStringLiteral("admin/faults"), body);
}

qint64 TestSyncSandbox::requestLogEnd() const
{
    qint64 next = 0;
    m_sandbox.operationsSince(0, &next);
    return next;
}

QList<QJsonObject> TestSyncSandbox::syncRequestsSince(qint64 since) const
{
    QList<QJsonObject> out;
    const QJsonObject reply = m_sandbox.adminGet(QStringLiteral("admin/requests?since=%1").arg(since));
    for (const QJsonValue &entry : reply.value(QStringLiteral("requests")).toArray())
        if (entry.toObject().value(QStringLiteral("service")).toString() == QLatin1String("cognito-sync"))
            out << entry.toObject();
    return out;
}

void TestSyncSandbox::twoClientsConverge()
{
    const QString ds = QStringLiteral("converge");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("title"), QStringLiteral("Groceries")).isError());
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("body"), QStringLiteral("milk")).isError());
    Outcome a = sync(*m_a, ds);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(a.report.pushed, 2);

    Outcome b = sync(*m_b, ds);
    QVERIFY2(b.ok, qPrintable(b.error.text()));
    QCOMPARE(b.report.pulled, 2);
    QCOMPARE(value(*m_b, ds, QStringLiteral("title")), QStringLiteral("Groceries"));

    // Interleaved edits on both sides, different keys; removals included.
    QVERIFY(!m_b->store().putValue(ds, QStringLiteral("body"), QStringLiteral("milk, eggs")).isError());
    QVERIFY(!m_b->store().removeValue(ds, QStringLiteral("title")).isError());
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("tags"), QStringLiteral("food")).isError());
    QVERIFY(sync(*m_a, ds).ok);
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("due"), QStringLiteral("today")).isError());
    QVERIFY(sync(*m_b, ds).ok);
    QVERIFY(!m_b->store().putValue(ds, QStringLiteral("tags"), QStringLiteral("food, weekly")).isError());
    QVERIFY(sync(*m_a, ds).ok);
    QVERIFY(sync(*m_b, ds).ok);
    QVERIFY(sync(*m_a, ds).ok);

    const QMap<QString, QString> expected{{QStringLiteral("body"), QStringLiteral("milk, eggs")},
                                          {QStringLiteral("due"), QStringLiteral("today")},
                                          {QStringLiteral("tags"), QStringLiteral("food, weekly")}};
    QCOMPARE(live(*m_a, ds), expected);
    QCOMPARE(live(*m_b, ds), expected);
    QCOMPARE(value(*m_a, ds, QStringLiteral("title")), QStringLiteral("<removed>"));
    QVERIFY(m_a->store().dirtyRecords(ds).value.isEmpty());
    QVERIFY(m_b->store().dirtyRecords(ds).value.isEmpty());
}

void TestSyncSandbox::conflictPolicies_data()
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

void TestSyncSandbox::conflictPolicies()
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
    QVERIFY(sync(*m_a, ds).ok);
    QVERIFY(sync(*m_b, ds).ok);

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
    QVERIFY(sync(*m_b, ds).ok);
    const Outcome a = sync(*m_a, ds, ConflictPolicy(policy));
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(a.report.conflicts, 1);
    QCOMPARE(a.report.unresolved, unresolved);
    if (unresolved > 0) {
        // Reported with both values, left as it was, and still dirty for later.
        QCOMPARE(a.conflicts.size(), 1);
        QCOMPARE(a.conflicts.first().local.record.value, std::optional<QString>(QStringLiteral("from a")));
        QCOMPARE(a.conflicts.first().remote.value, std::optional<QString>(QStringLiteral("from b")));
        QCOMPARE(value(*m_a, ds, QStringLiteral("k")), QStringLiteral("from a"));
        QCOMPARE(m_a->store().dirtyRecords(ds).value.size(), 1);
        QVERIFY(sync(*m_b, ds).ok);
        QCOMPARE(value(*m_b, ds, QStringLiteral("k")), QStringLiteral("from b"));
        // Settled later: the conflict comes back and is resolved.
        const Outcome again = sync(*m_a, ds, ConflictPolicy::KeepMine);
        QVERIFY(again.ok);
        QCOMPARE(again.report.unresolved, 0);
        QVERIFY(sync(*m_b, ds).ok);
        QCOMPARE(value(*m_b, ds, QStringLiteral("k")), QStringLiteral("from a"));
        return;
    }
    QVERIFY(a.conflicts.isEmpty()); // settled by the policy, not reported
    QCOMPARE(value(*m_a, ds, QStringLiteral("k")), expected);
    QVERIFY(m_a->store().dirtyRecords(ds).value.isEmpty());
    QVERIFY(sync(*m_b, ds).ok);
    QCOMPARE(value(*m_b, ds, QStringLiteral("k")), expected);
}

void TestSyncSandbox::resourceConflictIsRetried()
{
    const QString ds = QStringLiteral("race");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("base")).isError());
    QVERIFY(sync(*m_a, ds).ok);
    QVERIFY(sync(*m_b, ds).ok);
    QVERIFY(!m_b->store().putValue(ds, QStringLiteral("k"), QStringLiteral("from b")).isError());
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("from a")).isError());

    // a's UpdateRecords is held at the server for a while; b pulls and pushes in that window, so a's
    // record sync count is stale when its write is handled.
    QVERIFY(fault(QStringLiteral("UpdateRecords"), QStringLiteral("delay"), 1, 2500));
    const qint64 since = requestLogEnd();
    bool bStarted = false;
    connect(&m_a->engine(), &SyncEngine::progress, this,
            [&](const QString &, SyncPhase phase, int done, int) {
                if (phase != SyncPhase::Pushing || done != 0 || bStarted)
                    return;
                bStarted = true;
                QTimer::singleShot(300, this,
                                   [this, ds] { m_b->engine().synchronize(ds, ConflictPolicy::KeepMine); });
            });
    const Outcome a = sync(*m_a, ds, ConflictPolicy::KeepMine);
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
    QCOMPARE(value(*m_a, ds, QStringLiteral("k")), QStringLiteral("from a"));
    QVERIFY(sync(*m_b, ds).ok);
    QCOMPARE(value(*m_b, ds, QStringLiteral("k")), QStringLiteral("from a"));
}

void TestSyncSandbox::throttlingAndServerErrorsAreAbsorbed()
{
    const QString ds = QStringLiteral("flaky");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v")).isError());
    // Throttling is absorbed by the call's own attempts (3, as the AWS SDKs' standard mode); a call
    // still throttled after them ends the sync ("busy", see tst_cli_reliability).
    QVERIFY(fault(QStringLiteral("ListRecords"), QStringLiteral("throttle"), 2));
    QVERIFY(fault(QStringLiteral("UpdateRecords"), QStringLiteral("http500"), 2));
    QVERIFY(fault(QStringLiteral("UpdateRecords"), QStringLiteral("reset"), 1));
    const qint64 since = requestLogEnd();
    const Outcome a = sync(*m_a, ds);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(a.report.pushed, 1);
    int errors = 0;
    for (const QJsonObject &request : syncRequestsSince(since))
        errors += request.value(QStringLiteral("status")).toInt() >= 400 ? 1 : 0;
    QVERIFY2(errors >= 4, qPrintable(QString::number(errors)));
    QVERIFY(sync(*m_b, ds).ok);
    QCOMPARE(value(*m_b, ds, QStringLiteral("k")), QStringLiteral("v"));
}

void TestSyncSandbox::persistentServerErrorFailsWithAReason()
{
    const QString ds = QStringLiteral("down");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v")).isError());
    QVERIFY(fault(QStringLiteral("*"), QStringLiteral("http503"), 1000));
    const Outcome a = sync(*m_a, ds);
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    QVERIFY(!a.ok);
    QCOMPARE(a.error.what, QStringLiteral("The sync service has a problem"));
    QVERIFY(!a.error.action.isEmpty());
    // The edit is kept for later.
    QCOMPARE(m_a->store().dirtyRecords(ds).value.size(), 1);
    QVERIFY(sync(*m_a, ds).ok);
    QVERIFY(m_a->store().dirtyRecords(ds).value.isEmpty());
}

void TestSyncSandbox::clockSkewIsRecovered()
{
    const QString ds = QStringLiteral("skew");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v")).isError());
    // The service's clock 20 minutes ahead of this computer's: beyond SigV4's 15 minutes.
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/clock"), {{QStringLiteral("skew_seconds"), 1200}}));
    const qint64 since = requestLogEnd();
    const Outcome a = sync(*m_a, ds);
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
    QVERIFY(fault(QStringLiteral("UpdateRecords"), QStringLiteral("delay"), 1, 3000));
    const qint64 since = requestLogEnd();
    const Outcome a = sync(*m_a, ds);
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
    QVERIFY(sync(*m_b, ds).ok);
    QCOMPARE(value(*m_b, ds, QStringLiteral("k")), QStringLiteral("v"));
}

void TestSyncSandbox::datasetDeletedOnTheOtherSide()
{
    const QString ds = QStringLiteral("doomed");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v")).isError());
    QVERIFY(sync(*m_a, ds).ok);
    QVERIFY(sync(*m_b, ds).ok);

    // b deletes it; a, with nothing unsent, follows.
    QVERIFY(!m_b->store().markDatasetDeleted(ds).isError());
    Outcome b = sync(*m_b, ds);
    QVERIFY2(b.ok, qPrintable(b.error.text()));
    QVERIFY(b.report.deletedLocally);
    QVERIFY(!m_b->store().dataset(ds).value.has_value());
    QSignalSpy deleted(&m_a->engine(), &SyncEngine::datasetDeletedRemotely);
    Outcome a = sync(*m_a, ds);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QVERIFY(a.report.deletedRemotely);
    QCOMPARE(deleted.size(), 1);
    QCOMPARE(deleted.first().at(1).toBool(), false);
    QVERIFY(!m_a->store().dataset(ds).value.has_value());

    // Deleted again while a has an unsent edit: the edit is kept and makes the dataset anew.
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v2")).isError());
    QVERIFY(sync(*m_a, ds).ok);
    QVERIFY(sync(*m_b, ds).ok);
    // (a pulls once more: the push that re-created the dataset did not tell it the new sync count.)
    QVERIFY(sync(*m_a, ds).ok);
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("mine"), QStringLiteral("unsent")).isError());
    QVERIFY(!m_b->store().markDatasetDeleted(ds).isError());
    QVERIFY(sync(*m_b, ds).ok);
    deleted.clear();
    a = sync(*m_a, ds);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(deleted.size(), 1);
    QCOMPARE(deleted.first().at(1).toBool(), true);
    QCOMPARE(live(*m_a, ds), (QMap<QString, QString>{{QStringLiteral("mine"), QStringLiteral("unsent")}}));
    QVERIFY(sync(*m_b, ds).ok);
    QCOMPARE(live(*m_b, ds), live(*m_a, ds));
}

void TestSyncSandbox::twoSidedSyncIsTwoRequests()
{
    const QString ds = QStringLiteral("count");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("x"), QStringLiteral("1")).isError());
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("y"), QStringLiteral("1")).isError());
    QVERIFY(sync(*m_a, ds).ok);
    QVERIFY(sync(*m_b, ds).ok);
    QVERIFY(!m_b->store().putValue(ds, QStringLiteral("x"), QStringLiteral("2")).isError());
    QVERIFY(sync(*m_b, ds).ok);
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("y"), QStringLiteral("2")).isError());

    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    const Outcome a = sync(*m_a, ds);
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
    QVERIFY(sync(*m_a, ds).ok);
    operations.clear();
    for (const QString &operation : m_sandbox.operationsSince(since))
        if (syncOperations.contains(operation))
            operations << operation;
    QCOMPARE(operations, QStringList{QStringLiteral("ListRecords")});
}

FEDSYNC_TEST_MAIN(TestSyncSandbox)
#include "tst_sync_sandbox.moc"

// The DynamoDB store against the sandbox's DynamoDB endpoint (TLS, SigV4, the LeadingKeys policy): a
// real sign-in with the DynamoDB profile of ready.json, two clients of one identity converging, every
// conflict policy, several fedsync-cli processes writing one dataset at once (nothing lost), throttling
// and 5xx absorbed, a dataset deleted and re-created, the AWS CLI refused another identity's partition,
// and the requests one sync costs next to Cognito Sync's.
#include "aws/awsclient.h"
#include "clilogin.h"
#include "cognitojs.h"
#include "config/appidentity.h"
#include "sandbox.h"
#include "secrets/keychainsecretstore.h"
#include "session/signinstate.h"
#include "session/awsaccess.h"
#include "session/profilecontext.h"
#include "session/userdatasets.h"
#include "sync/dynamodbremote.h"
#include "sync/localstore.h"
#include "sync/syncengine.h"
#include "testenvironment.h"
#include "testmain.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace fedsync;
using namespace fedsync::test;

namespace {

struct Outcome
{
    bool ok = false;
    SyncReport report;
    UserError error;
    QList<SyncConflict> conflicts;
};

} // namespace

class TestDynamoDbSandbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void profileChoosesTheDynamoDbStore();
    void twoClientsConverge();
    void conflictPolicies_data();
    void conflictPolicies();
    void concurrentWritersLoseNothing();
    void throttlingAndServerErrorsAreAbsorbed();
    void datasetDeletedAndRecreated();
    void limitsAreCheckedBeforeSending();
    void otherIdentityIsRefusedByThePolicy();
    void requestsPerSync();

private:
    std::unique_ptr<UserDatasets> openClient(const QString &name);
    Outcome sync(UserDatasets &client, const QString &dataset,
                 ConflictPolicy policy = ConflictPolicy::Report);
    QString value(UserDatasets &client, const QString &dataset, const QString &key) const;
    QMap<QString, QString> live(UserDatasets &client, const QString &dataset) const;
    bool fault(const QString &operation, const QString &kind, int count);
    QList<QJsonObject> dynamoRequestsSince(qint64 since) const;
    qint64 requestLogEnd() const;
    QProcess *startCli(const QStringList &args, const QString &device);

    Sandbox m_sandbox;
    QTemporaryDir m_dir;
    std::unique_ptr<KeychainSecretStore> m_secrets;
    std::unique_ptr<ProfileContext> m_context;
    std::unique_ptr<UserDatasets> m_a;
    std::unique_ptr<UserDatasets> m_b;
};

void TestDynamoDbSandbox::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    QVERIFY(QFile::exists(m_sandbox.dynamoDbProfileFile()));
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.dynamoDbProfileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));

    applyApplicationIdentity();
    m_secrets = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
    UserError error;
    m_context = ProfileContext::create(m_sandbox.dynamoDbProfile(), m_secrets.get(), &error);
    QVERIFY2(m_context, qPrintable(error.text()));
    QVERIFY(m_context->cognito());
    const UserError restored = restoreSignIn(*m_context->session());
    QVERIFY2(restored.code.isEmpty(), qPrintable(restored.text()));
    m_a = openClient(QStringLiteral("a"));
    m_b = openClient(QStringLiteral("b"));
    QVERIFY(m_a && m_b);
    QCOMPARE(m_a->identityId(), m_b->identityId());
}

void TestDynamoDbSandbox::init()
{
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
}

void TestDynamoDbSandbox::cleanupTestCase()
{
    m_a.reset();
    m_b.reset();
    m_context.reset();
}

std::unique_ptr<UserDatasets> TestDynamoDbSandbox::openClient(const QString &name)
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

Outcome TestDynamoDbSandbox::sync(UserDatasets &client, const QString &dataset, ConflictPolicy policy)
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

QString TestDynamoDbSandbox::value(UserDatasets &client, const QString &dataset, const QString &key) const
{
    const auto record = client.store().record(dataset, key).value;
    if (!record)
        return QStringLiteral("<none>");
    return record->record.value ? *record->record.value : QStringLiteral("<removed>");
}

QMap<QString, QString> TestDynamoDbSandbox::live(UserDatasets &client, const QString &dataset) const
{
    QMap<QString, QString> out;
    for (const LocalRecord &record : client.store().records(dataset).value)
        if (!record.record.isRemoved())
            out.insert(record.record.key, *record.record.value);
    return out;
}

bool TestDynamoDbSandbox::fault(const QString &operation, const QString &kind, int count)
{
    return m_sandbox.admin(QStringLiteral("admin/faults"),
                           {{QStringLiteral("service"), QStringLiteral("dynamodb")},
                            {QStringLiteral("operation"), operation},
                            {QStringLiteral("kind"), kind},
                            {QStringLiteral("count"), count}});
}

qint64 TestDynamoDbSandbox::requestLogEnd() const
{
    qint64 next = 0;
    m_sandbox.operationsSince(0, &next);
    return next;
}

QList<QJsonObject> TestDynamoDbSandbox::dynamoRequestsSince(qint64 since) const
{
    QList<QJsonObject> out;
    const QJsonObject reply = m_sandbox.adminGet(QStringLiteral("admin/requests?since=%1").arg(since));
    for (const QJsonValue &entry : reply.value(QStringLiteral("requests")).toArray())
        if (entry.toObject().value(QStringLiteral("service")).toString() == QLatin1String("dynamodb"))
            out << entry.toObject();
    return out;
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

void TestDynamoDbSandbox::twoClientsConverge()
{
    const QString ds = QStringLiteral("converge");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("title"), QStringLiteral("Groceries")).isError());
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("body"), QStringLiteral("milk")).isError());
    const qint64 since = requestLogEnd();
    Outcome a = sync(*m_a, ds);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(a.report.pushed, 2);
    // It went to DynamoDB, not to Cognito Sync.
    QVERIFY(!dynamoRequestsSince(since).isEmpty());
    for (const QString &op : m_sandbox.operationsSince(since))
        QVERIFY2(op != QLatin1String("UpdateRecords") && op != QLatin1String("ListRecords"), qPrintable(op));

    Outcome b = sync(*m_b, ds);
    QVERIFY2(b.ok, qPrintable(b.error.text()));
    QCOMPARE(b.report.pulled, 2);
    QCOMPARE(value(*m_b, ds, QStringLiteral("title")), QStringLiteral("Groceries"));

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

void TestDynamoDbSandbox::conflictPolicies_data()
{
    QTest::addColumn<int>("policy");
    QTest::addColumn<bool>("aEditsLast");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("unresolved");
    QTest::newRow("keep mine") << int(ConflictPolicy::KeepMine) << false << QStringLiteral("from a") << 0;
    QTest::newRow("keep theirs") << int(ConflictPolicy::KeepTheirs) << true << QStringLiteral("from b") << 0;
    QTest::newRow("newest: a later") << int(ConflictPolicy::NewestWins) << true << QStringLiteral("from a")
                                     << 0;
    QTest::newRow("newest: b later") << int(ConflictPolicy::NewestWins) << false << QStringLiteral("from b")
                                     << 0;
    QTest::newRow("report") << int(ConflictPolicy::Report) << true << QString() << 1;
}

void TestDynamoDbSandbox::conflictPolicies()
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
        QCOMPARE(a.conflicts.size(), 1);
        QCOMPARE(a.conflicts.first().local.record.value, std::optional<QString>(QStringLiteral("from a")));
        QCOMPARE(a.conflicts.first().remote.value, std::optional<QString>(QStringLiteral("from b")));
        QCOMPARE(m_a->store().dirtyRecords(ds).value.size(), 1);
        const Outcome again = sync(*m_a, ds, ConflictPolicy::KeepMine);
        QVERIFY(again.ok);
        QCOMPARE(again.report.unresolved, 0);
        QVERIFY(sync(*m_b, ds).ok);
        QCOMPARE(value(*m_b, ds, QStringLiteral("k")), QStringLiteral("from a"));
        return;
    }
    QCOMPARE(value(*m_a, ds, QStringLiteral("k")), expected);
    QVERIFY(m_a->store().dirtyRecords(ds).value.isEmpty());
    QVERIFY(sync(*m_b, ds).ok);
    QCOMPARE(value(*m_b, ds, QStringLiteral("k")), expected);
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

    const Outcome b = sync(*m_b, ds);
    QVERIFY2(b.ok, qPrintable(b.error.text()));
    const QMap<QString, QString> got = live(*m_b, ds);
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
    QVERIFY(fault(QStringLiteral("Query"), QStringLiteral("throttle"), 3));
    QVERIFY(fault(QStringLiteral("TransactWriteItems"), QStringLiteral("http500"), 2));
    const qint64 since = requestLogEnd();
    const Outcome a = sync(*m_a, ds);
    QVERIFY2(a.ok, qPrintable(a.error.text()));
    QCOMPARE(a.report.pushed, 1);
    int errors = 0;
    for (const QJsonObject &request : dynamoRequestsSince(since))
        errors += request.value(QStringLiteral("status")).toInt() >= 400 ? 1 : 0;
    QVERIFY2(errors >= 5, qPrintable(QString::number(errors)));
    QVERIFY(sync(*m_b, ds).ok);
    QCOMPARE(value(*m_b, ds, QStringLiteral("k")), QStringLiteral("v"));
}

void TestDynamoDbSandbox::datasetDeletedAndRecreated()
{
    const QString ds = QStringLiteral("phoenix");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("old"), QStringLiteral("1")).isError());
    QVERIFY(sync(*m_a, ds).ok);
    QVERIFY(sync(*m_b, ds).ok);
    QCOMPARE(value(*m_b, ds, QStringLiteral("old")), QStringLiteral("1"));
    QVERIFY(!m_a->store().markDatasetDeleted(ds).isError());
    const Outcome deleted = sync(*m_a, ds);
    QVERIFY2(deleted.ok, qPrintable(deleted.error.text()));
    QVERIFY(deleted.report.deletedLocally);
    // b learns of the deletion; the old record does not come back with a re-created dataset.
    const Outcome b = sync(*m_b, ds);
    QVERIFY2(b.ok, qPrintable(b.error.text()));
    QVERIFY(b.report.deletedRemotely);
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("new"), QStringLiteral("2")).isError());
    QVERIFY(sync(*m_a, ds).ok);
    QVERIFY(sync(*m_b, ds).ok);
    QCOMPARE(live(*m_b, ds), (QMap<QString, QString>{{QStringLiteral("new"), QStringLiteral("2")}}));
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
    QVERIFY(sync(*m_a, ds).ok);
    for (int i = 0; i < 2; ++i)
        QVERIFY(!m_b->store().putValue(ds, QStringLiteral("b%1").arg(i), chunk).isError());
    const Outcome b = sync(*m_b, ds);
    QVERIFY2(b.ok, qPrintable(b.error.text()));
    QCOMPARE(b.report.pushed, 1);
    QCOMPARE(b.report.heldBack.size(), 1);
    const QString heldBack = b.report.heldBack.first();
    QVERIFY2(heldBack.startsWith(u'b'), qPrintable(heldBack));
    QCOMPARE(b.report.heldBackReason.code, QStringLiteral("sync.limit.merged"));
    QVERIFY2(b.report.heldBackReason.why.contains(QStringLiteral("more than 1 MB")),
             qPrintable(b.report.heldBackReason.why));
    // The server holds what fits, never the held-back record.
    QVERIFY(sync(*m_a, ds).ok);
    const QMap<QString, QString> onA = live(*m_a, ds);
    QCOMPARE(onA.size(), 3);
    QVERIFY(!onA.contains(heldBack));
}

void TestDynamoDbSandbox::otherIdentityIsRefusedByThePolicy()
{
    if (QStandardPaths::findExecutable(QStringLiteral("aws")).isEmpty())
        QSKIP("The AWS CLI (Debian package awscli) is not installed");
    // The AWS CLI signs with this user's credentials (fedsync-cli as credential_process).
    const QString home = m_dir.filePath(QStringLiteral("home"));
    QVERIFY(QDir().mkpath(home + QStringLiteral("/.aws")));
    QFile config(home + QStringLiteral("/.aws/config"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("[profile fedsync]\nregion = us-east-1\ncredential_process = %1/fedsync-cli "
                                "--profile-file %2 credentials\n")
                     .arg(binDir(), m_sandbox.dynamoDbProfileFile())
                     .toUtf8());
    config.close();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("fedsync"));
    env.insert(QStringLiteral("AWS_EC2_METADATA_DISABLED"), QStringLiteral("true"));
    env.insert(QStringLiteral("AWS_PAGER"), QString());
    for (const char *name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                             "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"})
        env.remove(QString::fromLatin1(name));
    const QString table = m_sandbox.ready().value(QStringLiteral("dynamodb_table")).toString();
    const QString endpoint = m_sandbox.ready()
                                 .value(QStringLiteral("endpoints"))
                                 .toObject()
                                 .value(QStringLiteral("dynamodb"))
                                 .toString();
    auto getItem = [&](const QString &identityId) {
        QProcess aws;
        aws.setProcessEnvironment(env);
        const QJsonObject key{
            {QStringLiteral("identity_id"), QJsonObject{{QStringLiteral("S"), identityId}}},
            {QStringLiteral("sk"), QJsonObject{{QStringLiteral("S"), QStringLiteral("D#converge")}}}};
        aws.start(QStringLiteral("aws"),
                  {QStringLiteral("dynamodb"), QStringLiteral("get-item"), QStringLiteral("--table-name"),
                   table, QStringLiteral("--key"),
                   QString::fromUtf8(QJsonDocument(key).toJson(QJsonDocument::Compact)),
                   QStringLiteral("--endpoint-url"), endpoint, QStringLiteral("--ca-bundle"),
                   m_sandbox.caFile(), QStringLiteral("--output"), QStringLiteral("json")});
        aws.waitForFinished(120000);
        return std::make_pair(aws.exitCode(),
                              QString::fromUtf8(aws.readAllStandardOutput() + aws.readAllStandardError()));
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
    // A two-sided sync (pull, then push) costs GetItem + Query + Query + TransactWriteItems; a pull
    // with nothing to push, GetItem + Query. Cognito Sync: ListRecords + UpdateRecords, and ListRecords.
    const QString ds = QStringLiteral("count");
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("v")).isError());
    QVERIFY(sync(*m_a, ds).ok);
    QVERIFY(!m_a->store().putValue(ds, QStringLiteral("k"), QStringLiteral("w")).isError());
    qint64 since = requestLogEnd();
    QVERIFY(sync(*m_a, ds).ok);
    QStringList ops;
    for (const QJsonObject &request : dynamoRequestsSince(since))
        ops << request.value(QStringLiteral("operation")).toString();
    QCOMPARE(ops, (QStringList{QStringLiteral("GetItem"), QStringLiteral("Query"), QStringLiteral("Query"),
                               QStringLiteral("TransactWriteItems")}));
    since = requestLogEnd();
    QVERIFY(sync(*m_b, ds).ok);
    ops.clear();
    for (const QJsonObject &request : dynamoRequestsSince(since))
        ops << request.value(QStringLiteral("operation")).toString();
    QCOMPARE(ops, (QStringList{QStringLiteral("GetItem"), QStringLiteral("Query")}));
}

FEDSYNC_TEST_MAIN(TestDynamoDbSandbox)
#include "tst_dynamodb_sandbox.moc"

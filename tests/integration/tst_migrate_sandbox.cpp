// `fedsync-cli migrate --from cognito-sync` end to end against the sandbox: datasets written to Cognito
// Sync with the Cognito profile (values and removals), copied into DynamoDB by the DynamoDB profile,
// killed in the middle of a copy and resumed, run again (nothing to copy), checked from a fresh DynamoDB
// device; Cognito Sync unchanged. Also `setup dynamodb`, and the dataset commands on a DynamoDB profile.
#include "clilogin.h"
#include "sandbox.h"
#include "testenvironment.h"
#include "testmain.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTemporaryFile>

using namespace fedsync;
using namespace fedsync::test;

class TestMigrateSandbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void setupPrintsTableAndPolicy();
    void migrateResumesAfterAKillAndIsIdempotent();
    void migrateNeedsADynamoDbProfile();

private:
    enum class Store { Cognito, DynamoDb };
    QProcess *start(Store store, const QStringList &args, const QString &device);
    CliRun cli(Store store, const QStringList &args, const QString &device = QStringLiteral("seed"));
    QList<QJsonObject> requestsSince(qint64 since, const QString &service) const;

    Sandbox m_sandbox;
    QTemporaryDir m_dir;
};

void TestMigrateSandbox::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    login = cliLogin(m_sandbox, 0, m_sandbox.dynamoDbProfileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
}

QProcess *TestMigrateSandbox::start(Store store, const QStringList &args, const QString &device)
{
    auto *process = new QProcess(this);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(device));
    process->setProcessEnvironment(environment);
    const QString file = store == Store::Cognito ? m_sandbox.profileFile() : m_sandbox.dynamoDbProfileFile();
    process->start(binDir() + QStringLiteral("/fedsync-cli"),
                   QStringList{QStringLiteral("--profile-file"), file} + args);
    return process;
}

CliRun TestMigrateSandbox::cli(Store store, const QStringList &args, const QString &device)
{
    QProcess *process = start(store, args, device);
    CliRun run;
    if (!process->waitForFinished(120000))
        process->kill();
    process->waitForFinished();
    run.exitCode = process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1;
    run.out = QString::fromUtf8(process->readAllStandardOutput());
    run.err = QString::fromUtf8(process->readAllStandardError());
    process->deleteLater();
    return run;
}

QList<QJsonObject> TestMigrateSandbox::requestsSince(qint64 since, const QString &service) const
{
    QList<QJsonObject> out;
    const QJsonObject reply = m_sandbox.adminGet(QStringLiteral("admin/requests?since=%1").arg(since));
    for (const QJsonValue &entry : reply.value(QStringLiteral("requests")).toArray())
        if (entry.toObject().value(QStringLiteral("service")).toString() == service)
            out << entry.toObject();
    return out;
}

void TestMigrateSandbox::setupPrintsTableAndPolicy()
{
    CliRun run = cli(Store::DynamoDb, {QStringLiteral("setup"), QStringLiteral("dynamodb")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString table = m_sandbox.ready().value(QStringLiteral("dynamodb_table")).toString();
    QVERIFY2(run.out.contains(QStringLiteral("aws dynamodb create-table --region us-east-1 --table-name ") +
                              table),
             qPrintable(run.out));
    QVERIFY(run.out.contains(QStringLiteral("AttributeName=identity_id,KeyType=HASH")));
    QVERIFY(run.out.contains(QStringLiteral("\"dynamodb:LeadingKeys\"")));
    QVERIFY(run.out.contains(QStringLiteral("${cognito-identity.amazonaws.com:sub}")));
    QVERIFY(run.out.contains(QStringLiteral("--role-name fedsync-sandbox-auth")));
    // The card index for support's find, quoted for the shell, and the staff's own policy.
    QVERIFY2(run.out.contains(QStringLiteral("--global-secondary-indexes 'IndexName=card-lookup,KeySchema=[{"
                                             "AttributeName=card_lookup,KeyType=HASH}],Projection={"
                                             "ProjectionType=KEYS_ONLY}'")),
             qPrintable(run.out));
    QVERIFY(run.out.contains(QStringLiteral("table/%1/index/card-lookup").arg(table)));

    run =
        cli(Store::DynamoDb, {QStringLiteral("setup"), QStringLiteral("dynamodb"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
    const QJsonObject statement = json.value(QStringLiteral("policy"))
                                      .toObject()
                                      .value(QStringLiteral("Statement"))
                                      .toArray()
                                      .first()
                                      .toObject();
    QCOMPARE(statement.value(QStringLiteral("Resource")).toArray().first().toString(),
             QStringLiteral("arn:aws:dynamodb:us-east-1:%1:table/%2")
                 .arg(m_sandbox.ready().value(QStringLiteral("account_id")).toString(), table));
    QVERIFY(statement.value(QStringLiteral("Action"))
                .toArray()
                .contains(QStringLiteral("dynamodb:ConditionCheckItem")));
    // The users' policy names the table only: no index is reachable with a user's credentials.
    QCOMPARE(statement.value(QStringLiteral("Resource")).toArray().size(), 1);
    const QJsonObject staff = json.value(QStringLiteral("staff_policy"))
                                  .toObject()
                                  .value(QStringLiteral("Statement"))
                                  .toArray()
                                  .first()
                                  .toObject();
    QCOMPARE(staff.value(QStringLiteral("Action")).toArray(), QJsonArray{QStringLiteral("dynamodb:Query")});
    QVERIFY(staff.value(QStringLiteral("Resource"))
                .toArray()
                .first()
                .toString()
                .endsWith(QStringLiteral("table/%1/index/card-lookup").arg(table)));

    // The printed create-table runs as printed (the AWS CLI against the sandbox, developer credentials).
    if (QStandardPaths::findExecutable(QStringLiteral("aws")).isEmpty())
        return;
    QStringList args = json.value(QStringLiteral("create_table")).toVariant().toStringList().mid(1);
    args[args.indexOf(table)] = QStringLiteral("made-by-setup");
    args << QStringLiteral("--endpoint-url")
         << m_sandbox.ready()
                .value(QStringLiteral("endpoints"))
                .toObject()
                .value(QStringLiteral("dynamodb"))
                .toString()
         << QStringLiteral("--ca-bundle") << m_sandbox.caFile();
    QProcess aws;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QJsonObject developer = m_sandbox.ready().value(QStringLiteral("developer_credentials")).toObject();
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"),
               developer.value(QStringLiteral("access_key_id")).toString());
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"),
               developer.value(QStringLiteral("secret_access_key")).toString());
    env.insert(QStringLiteral("AWS_CONFIG_FILE"), m_dir.filePath(QStringLiteral("none")));
    env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), m_dir.filePath(QStringLiteral("none")));
    env.remove(QStringLiteral("AWS_SESSION_TOKEN"));
    env.remove(QStringLiteral("AWS_PROFILE"));
    aws.setProcessEnvironment(env);
    aws.start(QStringLiteral("aws"), args);
    QVERIFY(aws.waitForFinished(120000));
    QVERIFY2(aws.exitCode() == 0, aws.readAllStandardError().constData());
    const QByteArray created = aws.readAllStandardOutput();
    QVERIFY(created.contains("\"TableStatus\": \"ACTIVE\""));
    QVERIFY2(created.contains("\"IndexName\": \"card-lookup\""), created.constData());
}

void TestMigrateSandbox::migrateResumesAfterAKillAndIsIdempotent()
{
    // Cognito Sync holds two datasets, with values and removals.
    QJsonObject notes;
    for (int i = 0; i < 300; ++i)
        notes.insert(QStringLiteral("note-%1").arg(i, 3, 10, QLatin1Char('0')),
                     QStringLiteral("text %1").arg(i));
    QTemporaryFile file(m_dir.filePath(QStringLiteral("notes-XXXXXX.json")));
    QVERIFY(file.open());
    file.write(QJsonDocument(notes).toJson());
    file.close();
    CliRun run = cli(Store::Cognito, {QStringLiteral("import"), QStringLiteral("notes"), file.fileName()});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(cli(Store::Cognito, {QStringLiteral("put"), QStringLiteral("prefs"), QStringLiteral("theme"),
                                  QStringLiteral("dark")})
                 .exitCode,
             0);
    QCOMPARE(cli(Store::Cognito, {QStringLiteral("put"), QStringLiteral("prefs"), QStringLiteral("gone"),
                                  QStringLiteral("soon")})
                 .exitCode,
             0);
    run = cli(Store::Cognito, {QStringLiteral("sync")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(
        cli(Store::Cognito, {QStringLiteral("rm"), QStringLiteral("prefs"), QStringLiteral("gone")}).exitCode,
        0);
    QCOMPARE(cli(Store::Cognito, {QStringLiteral("rm"), QStringLiteral("notes"), QStringLiteral("note-007")})
                 .exitCode,
             0);
    run = cli(Store::Cognito, {QStringLiteral("sync")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));

    // First run: each DynamoDB transaction held 2 s; killed once the first one of "notes" has landed.
    // Fedsync's identity card (dataset "fedsync.identity", written by the CLI runs above) is a dataset
    // like any other and is migrated too, before "notes": its transaction does not count.
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/faults"),
                            {{QStringLiteral("service"), QStringLiteral("dynamodb")},
                             {QStringLiteral("operation"), QStringLiteral("TransactWriteItems")},
                             {QStringLiteral("kind"), QStringLiteral("delay")},
                             {QStringLiteral("delay_ms"), 2000},
                             {QStringLiteral("count"), 3}}));
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    QProcess *first =
        start(Store::DynamoDb,
              {QStringLiteral("migrate"), QStringLiteral("--from"), QStringLiteral("cognito-sync")},
              QStringLiteral("migrator"));
    QElapsedTimer timer;
    timer.start();
    QByteArray firstErr;
    qint64 notesSince = -1; // the request log's end when the copy of "notes" began
    bool landed = false;
    while (!landed && timer.elapsed() < 60000 && first->state() != QProcess::NotRunning) {
        firstErr += first->readAllStandardError();
        if (notesSince < 0 && firstErr.contains("Copying notes"))
            m_sandbox.operationsSince(since, &notesSince);
        if (notesSince >= 0)
            for (const QJsonObject &request : requestsSince(notesSince, QStringLiteral("dynamodb")))
                landed |= request.value(QStringLiteral("operation")).toString() ==
                              QLatin1String("TransactWriteItems") &&
                          request.value(QStringLiteral("status")).toInt() == 200;
        if (!landed)
            QTest::qWait(50);
    }
    firstErr += first->readAllStandardError();
    QVERIFY2(landed, firstErr.constData());
    first->kill();
    first->waitForFinished();
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));

    // Resumed: copies the rest, checks counts and sizes.
    run = cli(Store::DynamoDb,
              {QStringLiteral("migrate"), QStringLiteral("--from"), QStringLiteral("cognito-sync"),
               QStringLiteral("--json")},
              QStringLiteral("migrator"));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8()).object();
    const int secondWritten = report.value(QStringLiteral("written")).toInt();
    QVERIFY2(secondWritten > 0 && secondWritten < 302, qPrintable(run.out)); // part came from the killed run
    QHash<QString, QJsonObject> byName;
    for (const QJsonValue &d : report.value(QStringLiteral("datasets")).toArray())
        byName.insert(d.toObject().value(QStringLiteral("dataset")).toString(), d.toObject());
    // The identity card's dataset moves with the user's own (it syncs like any other dataset).
    QCOMPARE(byName.size(), 3);
    QVERIFY(byName.contains(QStringLiteral("fedsync.identity")));
    QVERIFY(byName.value(QStringLiteral("fedsync.identity")).value(QStringLiteral("verified")).toBool());
    QCOMPARE(byName.value(QStringLiteral("notes")).value(QStringLiteral("target_records")).toInt(), 299);
    QCOMPARE(byName.value(QStringLiteral("prefs")).value(QStringLiteral("target_records")).toInt(), 1);
    QVERIFY(byName.value(QStringLiteral("notes")).value(QStringLiteral("verified")).toBool());
    QCOMPARE(byName.value(QStringLiteral("notes")).value(QStringLiteral("source_bytes")).toInt(),
             byName.value(QStringLiteral("notes")).value(QStringLiteral("target_bytes")).toInt());

    // Again: nothing to copy, and it says so.
    run = cli(Store::DynamoDb,
              {QStringLiteral("migrate"), QStringLiteral("--from"), QStringLiteral("cognito-sync")},
              QStringLiteral("migrator"));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("Nothing to copy")), qPrintable(run.out));

    // A fresh DynamoDB device gets the data, removals included.
    run = cli(Store::DynamoDb, {QStringLiteral("sync")}, QStringLiteral("fresh"));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    run = cli(Store::DynamoDb, {QStringLiteral("get"), QStringLiteral("notes"), QStringLiteral("note-299")},
              QStringLiteral("fresh"));
    QCOMPARE(run.out, QStringLiteral("text 299\n"));
    run = cli(Store::DynamoDb, {QStringLiteral("get"), QStringLiteral("prefs"), QStringLiteral("gone")},
              QStringLiteral("fresh"));
    QCOMPARE(run.exitCode, 1);
    run = cli(Store::DynamoDb, {QStringLiteral("get"), QStringLiteral("notes"), QStringLiteral("note-007")},
              QStringLiteral("fresh"));
    QCOMPARE(run.exitCode, 1);

    // Cognito Sync was only read: a fresh Cognito device gets the same, and the request log has no writes.
    run = cli(Store::Cognito, {QStringLiteral("sync")}, QStringLiteral("cognito-fresh"));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(cli(Store::Cognito, {QStringLiteral("get"), QStringLiteral("notes"), QStringLiteral("note-299")},
                 QStringLiteral("cognito-fresh"))
                 .out,
             QStringLiteral("text 299\n"));
    for (const QJsonObject &request : requestsSince(since, QStringLiteral("cognito-sync"))) {
        const QString op = request.value(QStringLiteral("operation")).toString();
        QVERIFY2(op == QLatin1String("ListDatasets") || op == QLatin1String("ListRecords"), qPrintable(op));
    }
}

void TestMigrateSandbox::migrateNeedsADynamoDbProfile()
{
    const CliRun run = cli(Store::Cognito, {QStringLiteral("migrate"), QStringLiteral("--from"),
                                            QStringLiteral("cognito-sync")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("This profile keeps its datasets in Cognito Sync")),
             qPrintable(run.err));
    const CliRun bad = cli(
        Store::DynamoDb, {QStringLiteral("migrate"), QStringLiteral("--from"), QStringLiteral("elsewhere")});
    QCOMPARE(bad.exitCode, 2);
}

FEDSYNC_TEST_MAIN(TestMigrateSandbox)
#include "tst_migrate_sandbox.moc"

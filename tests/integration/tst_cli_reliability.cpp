// fedsync-cli on a bad day, end to end: several CLI processes writing one SQLite store at once, a sync
// with nothing to do, a Cognito Sync that keeps throttling, a dataset that a merge would push past the
// service's record limit, a sign-out with edits not yet sent, and the exit codes scripts rely on. Real
// parts only: the sandbox over TLS, gnome-keyring, real fedsync-cli processes and their SQLite files.
#include "clilogin.h"
#include "sandbox.h"
#include "testenvironment.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <memory>
#include <vector>

using namespace fedsync;
using namespace fedsync::test;

namespace {
const QStringList syncOperations{QStringLiteral("ListDatasets"), QStringLiteral("ListRecords"),
                                 QStringLiteral("UpdateRecords"), QStringLiteral("DeleteDataset"),
                                 QStringLiteral("DescribeDataset")};
} // namespace

class TestCliReliability : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void parallelPutsAllSucceed();
    void logoutRefusesWhileEditsAreNotSent();
    void usageExitCodes_data();
    void usageExitCodes();
    void unchangedDatasetsCostOneRequest();
    void persistentThrottlingIsBounded();
    void offlineHasItsOwnExitCode();
    void mergePastTheRecordLimitKeepsTheEditPending();

private:
    QProcessEnvironment environment(const QString &device) const;
    CliRun cli(const QStringList &args, const QString &device = QStringLiteral("a"));
    QStringList syncRequestsSince(qint64 since) const;
    qint64 logPosition() const;
    void signIn(int user);

    Sandbox m_sandbox;
    QTemporaryDir m_devices;
};

void TestCliReliability::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    signIn(0);
}

void TestCliReliability::signIn(int user)
{
    const CliRun login = cliLogin(m_sandbox, user, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
}

QProcessEnvironment TestCliReliability::environment(const QString &device) const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (device != QLatin1String("a"))
        environment.insert(QStringLiteral("XDG_DATA_HOME"), m_devices.filePath(device));
    return environment;
}

CliRun TestCliReliability::cli(const QStringList &args, const QString &device)
{
    return runCli(QStringList{QStringLiteral("--profile-file"), m_sandbox.profileFile()} + args,
                  environment(device), 120000);
}

qint64 TestCliReliability::logPosition() const
{
    qint64 next = 0;
    m_sandbox.operationsSince(0, &next);
    return next;
}

QStringList TestCliReliability::syncRequestsSince(qint64 since) const
{
    QStringList operations = m_sandbox.operationsSince(since);
    operations.removeIf([](const QString &operation) { return !syncOperations.contains(operation); });
    return operations;
}

void TestCliReliability::parallelPutsAllSucceed()
{
    // The store exists (and knows the identity) before the race, as on a device in use.
    CliRun run = cli(
        {QStringLiteral("put"), QStringLiteral("parallel"), QStringLiteral("first"), QStringLiteral("0")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));

    constexpr int writers = 20;
    std::vector<std::unique_ptr<QProcess>> processes;
    for (int i = 0; i < writers; ++i) {
        auto process = std::make_unique<QProcess>();
        process->setProcessEnvironment(environment(QStringLiteral("a")));
        process->start(binDir() + QStringLiteral("/fedsync-cli"),
                       {QStringLiteral("--profile-file"), m_sandbox.profileFile(), QStringLiteral("put"),
                        QStringLiteral("parallel"), QStringLiteral("k%1").arg(i, 2, 10, QLatin1Char('0')),
                        QStringLiteral("value %1").arg(i)});
        processes.push_back(std::move(process));
    }
    QStringList failures;
    for (int i = 0; i < writers; ++i) {
        QProcess &process = *processes[size_t(i)];
        QVERIFY(process.waitForFinished(60000));
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
            failures << QStringLiteral("put %1: exit %2: %3")
                            .arg(i)
                            .arg(process.exitCode())
                            .arg(QString::fromUtf8(process.readAllStandardError()));
    }
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u'\n')));

    run = cli({QStringLiteral("export"), QStringLiteral("parallel")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonArray records =
        QJsonDocument::fromJson(run.out.toUtf8()).object().value(QStringLiteral("records")).toArray();
    QCOMPARE(records.size(), writers + 1);
    for (int i = 0; i < writers; ++i) {
        const QString key = QStringLiteral("k%1").arg(i, 2, 10, QLatin1Char('0'));
        QCOMPARE(cli({QStringLiteral("get"), QStringLiteral("parallel"), key}).out,
                 QStringLiteral("value %1\n").arg(i));
    }
}

void TestCliReliability::logoutRefusesWhileEditsAreNotSent()
{
    // 21 records of parallelPutsAllSucceed are not sent yet.
    CliRun run = cli({QStringLiteral("logout")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("21 change(s) on this device are not sent yet")),
             qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("fedsync-cli sync")) &&
                 run.err.contains(QStringLiteral("--force")),
             qPrintable(run.err));
    // Still signed in.
    QCOMPARE(cli({QStringLiteral("whoami")}).exitCode, 0);

    run = cli({QStringLiteral("logout"), QStringLiteral("--force")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(cli({QStringLiteral("whoami")}).exitCode, 1);

    // Signed in again with the edits sent: logout needs no --force.
    signIn(0);
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("parallel")}).exitCode, 0);
    run = cli({QStringLiteral("logout")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
}

void TestCliReliability::usageExitCodes_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad dataset name") << QStringList{QStringLiteral("put"), QStringLiteral("no spaces"),
                                                     QStringLiteral("k"), QStringLiteral("v")}
                                      << QStringLiteral("cannot be a dataset name");
    QTest::newRow("empty key") << QStringList{QStringLiteral("put"), QStringLiteral("notes"), QString(),
                                              QStringLiteral("v")}
                               << QStringLiteral("must not be empty");
    QTest::newRow("key too long") << QStringList{QStringLiteral("get"), QStringLiteral("notes"),
                                                 QString(129, u'k')}
                                  << QStringLiteral("129 characters");
    QTest::newRow("rm key too long") << QStringList{QStringLiteral("rm"), QStringLiteral("notes"),
                                                    QString(200, u'k')}
                                     << QStringLiteral("200 characters");
}

void TestCliReliability::usageExitCodes()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliRun run = cli(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));

    // --help documents every exit code.
    const CliRun help = cli({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    for (const char *line : {"Exit codes:", "  2  usage", "  3  offline", "  4  sync: conflicts"})
        QVERIFY2(help.out.contains(QLatin1String(line)), qPrintable(help.out));
}

void TestCliReliability::unchangedDatasetsCostOneRequest()
{
    signIn(1); // bob: a fresh identity, 20 datasets
    for (int i = 0; i < 20; ++i) {
        const CliRun run =
            cli({QStringLiteral("put"), QStringLiteral("set%1").arg(i, 2, 10, QLatin1Char('0')),
                 QStringLiteral("k"), QStringLiteral("v%1").arg(i)});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    }
    CliRun run = cli({QStringLiteral("sync")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(run.out.count(QStringLiteral("sent 1")), 20);

    // Nothing changed anywhere since: one ListDatasets, and every dataset is up to date.
    qint64 since = logPosition();
    run = cli({QStringLiteral("sync")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(run.out.count(QStringLiteral(": up to date")), 20);
    QCOMPARE(syncRequestsSince(since), QStringList{QStringLiteral("ListDatasets")});

    // A change on another device is not skipped: ListDatasets shows it, one ListRecords fetches it.
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("set07")}, QStringLiteral("b")).exitCode, 0);
    QCOMPARE(
        cli({QStringLiteral("put"), QStringLiteral("set07"), QStringLiteral("k"), QStringLiteral("from b")},
            QStringLiteral("b"))
            .exitCode,
        0);
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("set07")}, QStringLiteral("b")).exitCode, 0);
    since = logPosition();
    run = cli({QStringLiteral("sync")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("set07: received 1")), qPrintable(run.out));
    QCOMPARE(syncRequestsSince(since),
             (QStringList{QStringLiteral("ListDatasets"), QStringLiteral("ListRecords")}));
    QCOMPARE(cli({QStringLiteral("get"), QStringLiteral("set07"), QStringLiteral("k")}).out,
             QStringLiteral("from b\n"));
    // A local edit is not skipped either.
    QCOMPARE(
        cli({QStringLiteral("put"), QStringLiteral("set11"), QStringLiteral("k"), QStringLiteral("edited")})
            .exitCode,
        0);
    since = logPosition();
    run = cli({QStringLiteral("sync")});
    QVERIFY2(run.out.contains(QStringLiteral("set11: sent 1")), qPrintable(run.out));
    QCOMPARE(syncRequestsSince(since),
             (QStringList{QStringLiteral("ListDatasets"), QStringLiteral("ListRecords"),
                          QStringLiteral("UpdateRecords")}));
}

void TestCliReliability::persistentThrottlingIsBounded()
{
    // Every one of bob's 20 datasets has an edit to send, so none is skipped.
    for (int i = 0; i < 20; ++i)
        QCOMPARE(cli({QStringLiteral("put"), QStringLiteral("set%1").arg(i, 2, 10, QLatin1Char('0')),
                      QStringLiteral("throttled"), QStringLiteral("x")})
                     .exitCode,
                 0);
    const auto throttle = [this](const QString &operation) {
        return m_sandbox.admin(QStringLiteral("admin/faults"),
                               {{QStringLiteral("service"), QStringLiteral("cognito-sync")},
                                {QStringLiteral("operation"), operation},
                                {QStringLiteral("kind"), QStringLiteral("throttle")},
                                {QStringLiteral("count"), 100000}});
    };

    // Everything throttled: the dataset list is retried (3 attempts in all), then the sync stops.
    QVERIFY(throttle(QStringLiteral("*")));
    qint64 since = logPosition();
    CliRun run = cli({QStringLiteral("sync")});
    QStringList requests = syncRequestsSince(since);
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    QCOMPARE(run.exitCode, 3);
    QVERIFY2(run.err.contains(QStringLiteral("The sync service is busy")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("Try again in a few minutes")), qPrintable(run.err));
    QVERIFY2(requests.size() <= 3, qPrintable(requests.join(u',')));
    qInfo() << "sync against a service throttling everything sent" << requests.size() << "requests";

    // The list answers, every dataset's records are throttled: each call is retried by the AWS client
    // (3 attempts), never again by the sync, and the first dataset that gives up stops the others.
    // Bound: 1 ListDatasets + 3 attempts x 20 datasets = 61 (the old code sent up to 15 per dataset).
    QVERIFY(throttle(QStringLiteral("ListRecords")));
    QVERIFY(throttle(QStringLiteral("UpdateRecords")));
    since = logPosition();
    run = cli({QStringLiteral("sync")});
    requests = syncRequestsSince(since);
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    QCOMPARE(run.exitCode, 3);
    QVERIFY2(run.err.contains(QStringLiteral("The sync service is busy")), qPrintable(run.err));
    QVERIFY2(requests.size() <= 61, qPrintable(QString::number(requests.size())));
    qInfo() << "sync against a throttling service sent" << requests.size() << "requests";

    // Nothing was lost: the next sync sends everything.
    run = cli({QStringLiteral("sync")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(run.out.count(QStringLiteral("sent 1")), 20);
}

void TestCliReliability::offlineHasItsOwnExitCode()
{
    // The AWS side unreachable (connections dropped) is "try again later", not a failure.
    QVERIFY(
        cli({QStringLiteral("put"), QStringLiteral("set00"), QStringLiteral("offline"), QStringLiteral("x")})
            .exitCode == 0);
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/faults"),
                            {{QStringLiteral("service"), QStringLiteral("cognito-sync")},
                             {QStringLiteral("operation"), QStringLiteral("*")},
                             {QStringLiteral("kind"), QStringLiteral("reset")},
                             {QStringLiteral("count"), 100000}}));
    const CliRun run = cli({QStringLiteral("sync")});
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    QCOMPARE(run.exitCode, 3);
    QCOMPARE(cli({QStringLiteral("get"), QStringLiteral("set00"), QStringLiteral("offline")}).out,
             QStringLiteral("x\n"));
}

void TestCliReliability::mergePastTheRecordLimitKeepsTheEditPending()
{
    signIn(2); // carol
    // A dataset one record short of the limit, on both devices.
    QJsonArray records;
    for (int i = 0; i < 1023; ++i)
        records.append(QJsonObject{{QStringLiteral("key"), QStringLiteral("r%1").arg(i)},
                                   {QStringLiteral("value"), QStringLiteral("v")}});
    QFile file(m_devices.filePath(QStringLiteral("full.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("records"), records}}).toJson());
    file.close();
    QCOMPARE(cli({QStringLiteral("import"), QStringLiteral("full"), file.fileName()}).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("full")}).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("full")}, QStringLiteral("c")).exitCode, 0);

    // Each device adds one record: each fits on its own, both together do not.
    QCOMPARE(
        cli({QStringLiteral("put"), QStringLiteral("full"), QStringLiteral("from-a"), QStringLiteral("a")})
            .exitCode,
        0);
    QCOMPARE(
        cli({QStringLiteral("put"), QStringLiteral("full"), QStringLiteral("from-c"), QStringLiteral("c")},
            QStringLiteral("c"))
            .exitCode,
        0);
    CliRun run = cli({QStringLiteral("sync"), QStringLiteral("full")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));

    const qint64 since = logPosition();
    run = cli({QStringLiteral("sync"), QStringLiteral("full")}, QStringLiteral("c"));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.contains(QStringLiteral("full: received 1, 1 change(s) kept on this device")),
             qPrintable(run.out));
    QVERIFY2(run.err.contains(QStringLiteral("1 change(s) to the dataset “full” stay on this device")),
             qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("1025 records; a dataset holds at most 1024")),
             qPrintable(run.err));
    // Checked before pushing: the service never saw the edit that does not fit.
    QVERIFY2(!syncRequestsSince(since).contains(QStringLiteral("UpdateRecords")),
             qPrintable(syncRequestsSince(since).join(u',')));
    // Kept, pending, not lost.
    QCOMPARE(
        cli({QStringLiteral("get"), QStringLiteral("full"), QStringLiteral("from-c")}, QStringLiteral("c"))
            .out,
        QStringLiteral("c\n"));
    run = cli({QStringLiteral("datasets"), QStringLiteral("--json")}, QStringLiteral("c"));
    bool found = false;
    for (const QJsonValue &entry : QJsonDocument::fromJson(run.out.toUtf8()).array()) {
        if (entry.toObject().value(QStringLiteral("name")).toString() != QLatin1String("full"))
            continue;
        found = true;
        QCOMPARE(entry.toObject().value(QStringLiteral("pending_changes")).toInt(), 1);
    }
    QVERIFY2(found, qPrintable(run.out));

    // Once room is made, the kept edit goes through.
    QCOMPARE(cli({QStringLiteral("rm"), QStringLiteral("full"), QStringLiteral("r0")}, QStringLiteral("c"))
                 .exitCode,
             0);
    run = cli({QStringLiteral("sync"), QStringLiteral("full")}, QStringLiteral("c"));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("sent 2")), qPrintable(run.out));
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("full")}).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("get"), QStringLiteral("full"), QStringLiteral("from-c")}).out,
             QStringLiteral("c\n"));
}

FEDSYNC_TEST_MAIN(TestCliReliability)
#include "tst_cli_reliability.moc"

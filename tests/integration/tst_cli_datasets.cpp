// fedsync-cli datasets / get / put / rm / sync / export / import end to end: a real sign-in (keychain),
// the real Cognito Sync emulator over TLS, and a second "device" (another data directory, same user) to
// make changes on the other side. Exit codes are what scripts rely on: 0 done, 1 failed, 2 usage,
// 3 offline or busy (try again later), 4 conflicts left.
#include "clilogin.h"
#include "sandbox.h"
#include "testenvironment.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

using namespace fedsync;
using namespace fedsync::test;

class TestCliDatasets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void putGetAndRemoveStayLocalUntilSync();
    void syncSendsAndAnotherDeviceReceives();
    void datasetsListsRecordsSizeAndPending();
    void exportThenImportElsewhere();
    void importFromStandardInput();
    void invalidImportChangesNothing_data();
    void invalidImportChangesNothing();
    void conflictWithoutPolicyIsLeftAndFails();
    void conflictSettledWithPolicy_data();
    void conflictSettledWithPolicy();
    void serverErrorsAreAbsorbed();
    void usageErrors_data();
    void usageErrors();

private:
    // Device "a" is the test's own data directory; device "b" has another one.
    CliRun cli(const QStringList &args, const QString &device = QStringLiteral("a"),
               const QByteArray &input = {});
    QString value(const QString &device, const QString &dataset, const QString &key);

    Sandbox m_sandbox;
    QTemporaryDir m_otherData;
    QTemporaryDir m_files;
};

void TestCliDatasets::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
}

CliRun TestCliDatasets::cli(const QStringList &args, const QString &device, const QByteArray &input)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (device != QLatin1String("a"))
        environment.insert(QStringLiteral("XDG_DATA_HOME"), m_otherData.filePath(device));
    return runCli(QStringList{QStringLiteral("--profile-file"), m_sandbox.profileFile()} + args, environment,
                  60000, input);
}

QString TestCliDatasets::value(const QString &device, const QString &dataset, const QString &key)
{
    const CliRun run = cli({QStringLiteral("get"), dataset, key}, device);
    if (run.exitCode != 0)
        return QStringLiteral("<exit %1>").arg(run.exitCode);
    return run.out;
}

void TestCliDatasets::putGetAndRemoveStayLocalUntilSync()
{
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    CliRun run = cli({QStringLiteral("put"), QStringLiteral("notes"), QStringLiteral("title"),
                      QStringLiteral("Groceries & more")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    // The value alone, for scripts.
    QCOMPARE(value(QStringLiteral("a"), QStringLiteral("notes"), QStringLiteral("title")),
             QStringLiteral("Groceries & more\n"));
    QVERIFY(
        cli({QStringLiteral("put"), QStringLiteral("notes"), QStringLiteral("empty"), QString()}).exitCode ==
        0);
    QCOMPARE(value(QStringLiteral("a"), QStringLiteral("notes"), QStringLiteral("empty")),
             QStringLiteral("\n"));

    run = cli({QStringLiteral("get"), QStringLiteral("notes"), QStringLiteral("nothing")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.contains(QStringLiteral("There is no “nothing” in the dataset “notes”")),
             qPrintable(run.err));

    QVERIFY(
        cli({QStringLiteral("put"), QStringLiteral("notes"), QStringLiteral("draft"), QStringLiteral("x")})
            .exitCode == 0);
    QCOMPARE(cli({QStringLiteral("rm"), QStringLiteral("notes"), QStringLiteral("draft")}).exitCode, 0);
    run = cli({QStringLiteral("get"), QStringLiteral("notes"), QStringLiteral("draft")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("removed")), qPrintable(run.err));
    run = cli({QStringLiteral("rm"), QStringLiteral("notes"), QStringLiteral("draft")});
    QCOMPARE(run.exitCode, 1);

    // None of that went to the server.
    const QStringList operations = m_sandbox.operationsSince(since);
    QVERIFY2(!operations.contains(QStringLiteral("UpdateRecords")), qPrintable(operations.join(u',')));
}

void TestCliDatasets::syncSendsAndAnotherDeviceReceives()
{
    CliRun run = cli({QStringLiteral("sync")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("notes: sent ")), qPrintable(run.out));

    // Device b has never seen the data: `sync` with no dataset finds it on the server.
    run = cli({QStringLiteral("sync")}, QStringLiteral("b"));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("notes: received ")), qPrintable(run.out));
    QCOMPARE(value(QStringLiteral("b"), QStringLiteral("notes"), QStringLiteral("title")),
             QStringLiteral("Groceries & more\n"));
    // The removed draft never reached the server.
    QCOMPARE(value(QStringLiteral("b"), QStringLiteral("notes"), QStringLiteral("draft")),
             QStringLiteral("<exit 1>"));

    // A removal travels too.
    QCOMPARE(
        cli({QStringLiteral("rm"), QStringLiteral("notes"), QStringLiteral("empty")}, QStringLiteral("b"))
            .exitCode,
        0);
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("notes")}, QStringLiteral("b")).exitCode, 0);
    run = cli({QStringLiteral("sync"), QStringLiteral("notes")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("notes: received 1")), qPrintable(run.out));
    QCOMPARE(value(QStringLiteral("a"), QStringLiteral("notes"), QStringLiteral("empty")),
             QStringLiteral("<exit 1>"));

    // Nothing new: up to date.
    run = cli({QStringLiteral("sync"), QStringLiteral("notes")});
    QVERIFY2(run.out.contains(QStringLiteral("notes: up to date")), qPrintable(run.out));

    // A dataset nobody has is an error, not a silent success.
    run = cli({QStringLiteral("sync"), QStringLiteral("no-such-dataset")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("no dataset “no-such-dataset”")), qPrintable(run.err));
}

void TestCliDatasets::datasetsListsRecordsSizeAndPending()
{
    QVERIFY(
        cli({QStringLiteral("put"), QStringLiteral("notes"), QStringLiteral("body"), QStringLiteral("milk")})
            .exitCode == 0);
    CliRun run = cli({QStringLiteral("datasets"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonArray list = QJsonDocument::fromJson(run.out.toUtf8()).array();
    QJsonObject notes;
    for (const QJsonValue &entry : list)
        if (entry.toObject().value(QStringLiteral("name")).toString() == QLatin1String("notes"))
            notes = entry.toObject();
    QVERIFY2(!notes.isEmpty(), qPrintable(run.out));
    QCOMPARE(notes.value(QStringLiteral("records")).toInt(), 2); // title, body
    // Cognito counts key + value bytes: "title" + "Groceries & more" + "body" + "milk".
    QCOMPARE(notes.value(QStringLiteral("bytes")).toInt(), 5 + 16 + 4 + 4);
    QCOMPARE(notes.value(QStringLiteral("pending_changes")).toInt(), 1);
    QVERIFY(QDateTime::fromString(notes.value(QStringLiteral("last_modified")).toString(), Qt::ISODate)
                .isValid());

    run = cli({QStringLiteral("datasets")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("NAME")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("1 change(s)")), qPrintable(run.out));
    QCOMPARE(cli({QStringLiteral("sync")}).exitCode, 0);
    run = cli({QStringLiteral("datasets"), QStringLiteral("--json")});
    for (const QJsonValue &entry : QJsonDocument::fromJson(run.out.toUtf8()).array())
        QCOMPARE(entry.toObject().value(QStringLiteral("pending_changes")).toInt(), 0);
}

void TestCliDatasets::exportThenImportElsewhere()
{
    CliRun run = cli({QStringLiteral("export"), QStringLiteral("notes")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject exported = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(exported.value(QStringLiteral("dataset")).toString(), QStringLiteral("notes"));
    const QJsonArray records = exported.value(QStringLiteral("records")).toArray();
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.at(0).toObject().value(QStringLiteral("key")).toString(), QStringLiteral("body"));
    QCOMPARE(records.at(1).toObject().value(QStringLiteral("value")).toString(),
             QStringLiteral("Groceries & more"));

    QFile file(m_files.filePath(QStringLiteral("notes.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(run.out.toUtf8());
    file.close();
    run = cli({QStringLiteral("import"), QStringLiteral("notes-copy"), file.fileName()}, QStringLiteral("b"));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("notes-copy")}, QStringLiteral("b")).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("sync")}).exitCode, 0);
    QCOMPARE(value(QStringLiteral("a"), QStringLiteral("notes-copy"), QStringLiteral("body")),
             QStringLiteral("milk\n"));

    run = cli({QStringLiteral("export"), QStringLiteral("missing")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.isEmpty());
}

void TestCliDatasets::importFromStandardInput()
{
    const QByteArray document =
        R"({"records": [{"key": "k1", "value": "from stdin"}, {"key": "k2", "value": ""}]})";
    const CliRun run = cli({QStringLiteral("import"), QStringLiteral("piped"), QStringLiteral("-")},
                           QStringLiteral("a"), document);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(value(QStringLiteral("a"), QStringLiteral("piped"), QStringLiteral("k1")),
             QStringLiteral("from stdin\n"));
    QCOMPARE(value(QStringLiteral("a"), QStringLiteral("piped"), QStringLiteral("k2")), QStringLiteral("\n"));

    // The same file again changes nothing, so nothing becomes pending (the editor's import does the same).
    const CliRun again = cli({QStringLiteral("import"), QStringLiteral("piped"), QStringLiteral("-")},
                             QStringLiteral("a"), document);
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QVERIFY2(again.err.contains(QStringLiteral("Imported 2 record(s) into “piped”, 0 changed")),
             qPrintable(again.err));
    // A file that cannot be read is named.
    const CliRun missing = cli(
        {QStringLiteral("import"), QStringLiteral("piped"), m_files.filePath(QStringLiteral("none.json"))});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(QStringLiteral("could not be read")), qPrintable(missing.err));
}

void TestCliDatasets::invalidImportChangesNothing_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("message");
    // Each has a valid first record, so a partial import would show.
    const QByteArray first = R"({"key": "k1", "value": "changed"})";
    QTest::newRow("not json") << QByteArray("{nope") << QStringLiteral("not valid JSON");
    QTest::newRow("no records") << QByteArray(R"({"dataset": "piped"})")
                                << QStringLiteral("“records”) is missing");
    QTest::newRow("value not text") << QByteArray(R"({"records": [)" + first +
                                                  R"(, {"key": "k3", "value": 3}]})")
                                    << QStringLiteral("“k3” has no text “value”");
    QTest::newRow("duplicate key") << QByteArray(R"({"records": [)" + first + R"(, )" + first + R"(]})")
                                   << QStringLiteral("“k1” appears more than once");
    QTest::newRow("key too long") << QByteArray(R"({"records": [)" + first + R"(, {"key": ")" +
                                                QByteArray(129, 'k') + R"(", "value": ""}]})")
                                  << QStringLiteral("This key has 129 characters");
    QByteArray big = R"({"records": [)" + first;
    for (int i = 0; i < 1100; ++i)
        big += R"(, {"key": "n)" + QByteArray::number(i) + R"(", "value": "v"})";
    QTest::newRow("too many records") << QByteArray(big + "]}") << QStringLiteral("at most 1024");
    QTest::newRow("too large") << QByteArray(R"({"records": [)" + first + R"(, {"key": "huge", "value": ")" +
                                             QByteArray(1024 * 1024, 'x') + R"("}]})")
                               << QStringLiteral("1 MB");
}

void TestCliDatasets::invalidImportChangesNothing()
{
    QFETCH(QByteArray, document);
    QFETCH(QString, message);
    QFile file(m_files.filePath(QStringLiteral("bad.json")));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(document);
    file.close();
    const CliRun run = cli({QStringLiteral("import"), QStringLiteral("piped"), file.fileName()});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(message), qPrintable(run.err.left(2000)));
    QCOMPARE(value(QStringLiteral("a"), QStringLiteral("piped"), QStringLiteral("k1")),
             QStringLiteral("from stdin\n"));
}

void TestCliDatasets::conflictWithoutPolicyIsLeftAndFails()
{
    QCOMPARE(
        cli({QStringLiteral("put"), QStringLiteral("shared"), QStringLiteral("k"), QStringLiteral("base")})
            .exitCode,
        0);
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("shared")}).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("shared")}, QStringLiteral("b")).exitCode, 0);
    QCOMPARE(
        cli({QStringLiteral("put"), QStringLiteral("shared"), QStringLiteral("k"), QStringLiteral("from b")},
            QStringLiteral("b"))
            .exitCode,
        0);
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("shared")}, QStringLiteral("b")).exitCode, 0);
    QCOMPARE(
        cli({QStringLiteral("put"), QStringLiteral("shared"), QStringLiteral("k"), QStringLiteral("from a")})
            .exitCode,
        0);
    QCOMPARE(cli({QStringLiteral("put"), QStringLiteral("shared"), QStringLiteral("other"),
                  QStringLiteral("a only")})
                 .exitCode,
             0);

    const CliRun run = cli({QStringLiteral("sync"), QStringLiteral("shared")});
    QCOMPARE(run.exitCode, 4);
    QVERIFY2(
        run.err.contains(QStringLiteral("conflict: shared/k: this device “from a”, the server “from b”")),
        qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("--policy")), qPrintable(run.err));
    // The conflict is left as it was; the rest went through.
    QCOMPARE(value(QStringLiteral("a"), QStringLiteral("shared"), QStringLiteral("k")),
             QStringLiteral("from a\n"));
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("shared")}, QStringLiteral("b")).exitCode, 0);
    QCOMPARE(value(QStringLiteral("b"), QStringLiteral("shared"), QStringLiteral("k")),
             QStringLiteral("from b\n"));
    QCOMPARE(value(QStringLiteral("b"), QStringLiteral("shared"), QStringLiteral("other")),
             QStringLiteral("a only\n"));
    // Asked again, it is still there.
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("shared")}).exitCode, 4);
}

void TestCliDatasets::conflictSettledWithPolicy_data()
{
    QTest::addColumn<QString>("policy");
    QTest::addColumn<QString>("expected");
    // Device a edited last (see conflictWithoutPolicyIsLeftAndFails), so newest keeps a's value.
    QTest::newRow("theirs") << QStringLiteral("theirs") << QStringLiteral("from b");
    QTest::newRow("mine") << QStringLiteral("mine") << QStringLiteral("from a");
    QTest::newRow("newest") << QStringLiteral("newest") << QStringLiteral("from a");
}

void TestCliDatasets::conflictSettledWithPolicy()
{
    QFETCH(QString, policy);
    QFETCH(QString, expected);
    const QString dataset = QStringLiteral("settle-") + policy;
    QCOMPARE(cli({QStringLiteral("put"), dataset, QStringLiteral("k"), QStringLiteral("base")}).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("sync"), dataset}).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("sync"), dataset}, QStringLiteral("b")).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("put"), dataset, QStringLiteral("k"), QStringLiteral("from b")},
                 QStringLiteral("b"))
                 .exitCode,
             0);
    QCOMPARE(cli({QStringLiteral("sync"), dataset}, QStringLiteral("b")).exitCode, 0);
    QTest::qWait(20);
    QCOMPARE(cli({QStringLiteral("put"), dataset, QStringLiteral("k"), QStringLiteral("from a")}).exitCode,
             0);

    const CliRun run = cli({QStringLiteral("sync"), dataset, QStringLiteral("--policy"), policy});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("1 conflict(s), 0 unresolved")), qPrintable(run.out));
    QCOMPARE(value(QStringLiteral("a"), dataset, QStringLiteral("k")), expected + u'\n');
    QCOMPARE(cli({QStringLiteral("sync"), dataset}, QStringLiteral("b")).exitCode, 0);
    QCOMPARE(value(QStringLiteral("b"), dataset, QStringLiteral("k")), expected + u'\n');
}

void TestCliDatasets::serverErrorsAreAbsorbed()
{
    QVERIFY(
        cli({QStringLiteral("put"), QStringLiteral("notes"), QStringLiteral("retry"), QStringLiteral("ok")})
            .exitCode == 0);
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/faults"),
                            {{QStringLiteral("service"), QStringLiteral("cognito-sync")},
                             {QStringLiteral("operation"), QStringLiteral("UpdateRecords")},
                             {QStringLiteral("kind"), QStringLiteral("http500")},
                             {QStringLiteral("count"), 2}}));
    CliRun run = cli({QStringLiteral("sync"), QStringLiteral("notes")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("sent 1")), qPrintable(run.out));

    // A service that stays down: the person is told, with the "try again later" exit code.
    QVERIFY(cli({QStringLiteral("put"), QStringLiteral("notes"), QStringLiteral("retry"),
                 QStringLiteral("again")})
                .exitCode == 0);
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/faults"),
                            {{QStringLiteral("service"), QStringLiteral("cognito-sync")},
                             {QStringLiteral("operation"), QStringLiteral("ListRecords")},
                             {QStringLiteral("kind"), QStringLiteral("http503")},
                             {QStringLiteral("count"), 1000}}));
    run = cli({QStringLiteral("sync"), QStringLiteral("notes")});
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    QCOMPARE(run.exitCode, 3);
    QVERIFY2(run.err.contains(QStringLiteral("notes: The sync service has a problem")), qPrintable(run.err));
    QCOMPARE(value(QStringLiteral("a"), QStringLiteral("notes"), QStringLiteral("retry")),
             QStringLiteral("again\n"));
}

void TestCliDatasets::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("get without key") << QStringList{QStringLiteral("get"), QStringLiteral("notes")};
    QTest::newRow("put without value")
        << QStringList{QStringLiteral("put"), QStringLiteral("notes"), QStringLiteral("k")};
    QTest::newRow("bad dataset name") << QStringList{QStringLiteral("put"), QStringLiteral("no spaces"),
                                                     QStringLiteral("k"), QStringLiteral("v")};
    QTest::newRow("unknown policy") << QStringList{QStringLiteral("sync"), QStringLiteral("--policy"),
                                                   QStringLiteral("loudest")};
    QTest::newRow("import without file") << QStringList{QStringLiteral("import"), QStringLiteral("notes")};
}

void TestCliDatasets::usageErrors()
{
    QFETCH(QStringList, args);
    const CliRun run = cli(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.err.contains(QStringLiteral("fedsync-cli: ")));
}

FEDSYNC_TEST_MAIN(TestCliDatasets)
#include "tst_cli_datasets.moc"

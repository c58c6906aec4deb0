// fedsync-cli's command line as a person meets it: --help lists the commands and the global options
// only; `help CMD` and `CMD --help` show that command's usage, arguments and its own options, no
// other command's; an unknown option (or one of another command) is a usage error (exit 2) that names
// it; the global options work before and after the command. The real executable, no network.
#include "clilogin.h"
#include "testmain.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace fedsync::test;

namespace {

// Each command's own options, as its help lists them (--json for the commands that print JSON).
const QMap<QString, QStringList> &ownOptions()
{
    static const QMap<QString, QStringList> options{
        {QStringLiteral("login"), {QStringLiteral("--browser")}},
        {QStringLiteral("logout"),
         {QStringLiteral("--everywhere"), QStringLiteral("--force"), QStringLiteral("--forget-data")}},
        {QStringLiteral("whoami"), {QStringLiteral("--json")}},
        {QStringLiteral("identity"), {QStringLiteral("--json")}},
        {QStringLiteral("credentials"), {}},
        {QStringLiteral("request"),
         {QStringLiteral("--request"), QStringLiteral("--header"), QStringLiteral("--data"),
          QStringLiteral("--service"), QStringLiteral("--region"), QStringLiteral("--verbose")}},
        {QStringLiteral("datasets"), {QStringLiteral("--json")}},
        {QStringLiteral("get"), {}},
        {QStringLiteral("put"), {}},
        {QStringLiteral("rm"), {}},
        {QStringLiteral("sync"), {QStringLiteral("--policy")}},
        {QStringLiteral("export"), {}},
        {QStringLiteral("import"), {}},
        {QStringLiteral("migrate"), {QStringLiteral("--from"), QStringLiteral("--json")}},
        {QStringLiteral("setup"), {QStringLiteral("--json")}},
        {QStringLiteral("doctor"), {QStringLiteral("--id-token-file"), QStringLiteral("--json")}},
        {QStringLiteral("support"),
         {QStringLiteral("--limit"), QStringLiteral("--sub"), QStringLiteral("--email"),
          QStringLiteral("--identity"), QStringLiteral("--csv"), QStringLiteral("--reveal"),
          QStringLiteral("--confirm"), QStringLiteral("--full"), QStringLiteral("--json")}},
        {QStringLiteral("help"), {}},
    };
    return options;
}

QStringList allCommandOptions()
{
    QStringList all;
    for (const QStringList &options : ownOptions())
        for (const QString &option : options)
            if (!all.contains(option))
                all << option;
    return all;
}

// True when `help` lists `option` as a row of an option list ("  --policy <policy>  ...",
// "  -X, --request <method>  ...").
bool listsOption(const QString &help, const QString &option)
{
    const QRegularExpression row(
        QStringLiteral("^  (-[A-Za-z], )?%1( <[^>]+>)?  ").arg(QRegularExpression::escape(option)),
        QRegularExpression::MultilineOption);
    return row.match(help).hasMatch();
}

} // namespace

class TestCliUsage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void helpListsCommandsAndGlobalOptions();
    void commandHelpShowsItsOwnOptions_data();
    void commandHelpShowsItsOwnOptions();
    void everyWayToAskForHelp_data();
    void everyWayToAskForHelp();
    void unknownOptionIsAUsageError_data();
    void unknownOptionIsAUsageError();
    void globalOptionsBeforeOrAfterTheCommand_data();
    void globalOptionsBeforeOrAfterTheCommand();

private:
    QTemporaryDir m_dir;
    QString m_profileFile;
};

void TestCliUsage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // A profile that loads (no Cognito side): `setup dynamodb` prints its commands without a network.
    m_profileFile = m_dir.filePath(QStringLiteral("profile.json"));
    QFile file(m_profileFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"fedsync_profile": 1, "name": "Usage", "auth0": {"domain": "tenant.example",
        "client_id": "abc"}, "cognito": {"region": "eu-west-1", "identity_pool_id": "eu-west-1:11111111-2222-3333-4444-555555555555",
        "account_id": "123456789012"}})");
}

void TestCliUsage::helpListsCommandsAndGlobalOptions()
{
    const CliRun run = runCli({QStringLiteral("--help")});
    QCOMPARE(run.exitCode, 0);
    const QString &help = run.out;
    QVERIFY2(help.startsWith(QStringLiteral("Usage: fedsync-cli")), qPrintable(help));
    for (auto it = ownOptions().cbegin(); it != ownOptions().cend(); ++it)
        QVERIFY2(help.contains(QRegularExpression(QStringLiteral("^  %1  ").arg(it.key()),
                                                  QRegularExpression::MultilineOption)),
                 qPrintable(it.key()));
    for (const char *global : {"--profile-file", "--profile", "--json", "--trace-out", "--help", "--version"})
        QVERIFY2(listsOption(help, QLatin1String(global)), global);
    // No command's own option, and no "login: ..."-style lines of a shared option table.
    for (const QString &option : allCommandOptions())
        if (option != QLatin1String("--json"))
            QVERIFY2(!listsOption(help, option), qPrintable(option));
    const QRegularExpression prefixed(QStringLiteral("^  -.*  (login|logout|doctor|request|sync|migrate|"
                                                     "support \\w+): "),
                                      QRegularExpression::MultilineOption);
    QVERIFY2(!prefixed.match(help).hasMatch(), qPrintable(help));
    QVERIFY(help.contains(QStringLiteral("fedsync-cli help COMMAND")));
}

void TestCliUsage::commandHelpShowsItsOwnOptions_data()
{
    QTest::addColumn<QString>("command");
    for (auto it = ownOptions().cbegin(); it != ownOptions().cend(); ++it)
        QTest::newRow(qPrintable(it.key())) << it.key();
}

void TestCliUsage::commandHelpShowsItsOwnOptions()
{
    QFETCH(QString, command);
    const CliRun run = runCli({QStringLiteral("help"), command});
    QCOMPARE(run.exitCode, 0);
    const QString &help = run.out;
    QVERIFY2(help.startsWith(QStringLiteral("Usage: fedsync-cli [global options] %1").arg(command)),
             qPrintable(help));
    const QStringList own = ownOptions().value(command);
    for (const QString &option : allCommandOptions()) {
        if (own.contains(option))
            QVERIFY2(listsOption(help, option), qPrintable(option + QLatin1Char('\n') + help));
        else
            QVERIFY2(!listsOption(help, option), qPrintable(option + QLatin1Char('\n') + help));
    }
    QVERIFY2(listsOption(help, QStringLiteral("--help")), qPrintable(help));
    // The global options are named, not repeated with their texts.
    QVERIFY2(!listsOption(help, QStringLiteral("--profile-file")), qPrintable(help));
    QVERIFY2(help.contains(QStringLiteral("--profile-file")), qPrintable(help));
}

void TestCliUsage::everyWayToAskForHelp_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("help sync") << QStringList{QStringLiteral("help"), QStringLiteral("sync")};
    QTest::newRow("sync --help") << QStringList{QStringLiteral("sync"), QStringLiteral("--help")};
    QTest::newRow("sync -h") << QStringList{QStringLiteral("sync"), QStringLiteral("-h")};
    QTest::newRow("--help sync") << QStringList{QStringLiteral("--help"), QStringLiteral("sync")};
    QTest::newRow("after a global option")
        << QStringList{QStringLiteral("--profile-file"), QStringLiteral("x.json"), QStringLiteral("sync"),
                       QStringLiteral("notes"), QStringLiteral("--help")};
}

void TestCliUsage::everyWayToAskForHelp()
{
    QFETCH(QStringList, args);
    const CliRun run = runCli(args);
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(
        run.out.startsWith(QStringLiteral("Usage: fedsync-cli [global options] sync [options] [DATASET]")),
        qPrintable(run.out));
    QVERIFY(listsOption(run.out, QStringLiteral("--policy")));
    QVERIFY(run.out.contains(QStringLiteral("Arguments:\n  DATASET  ")));
    QCOMPARE(run.err, QString());
}

void TestCliUsage::unknownOptionIsAUsageError_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("after the command") << QStringList{QStringLiteral("sync"), QStringLiteral("--bogus")}
                                       << QStringLiteral("sync: Unknown option 'bogus'");
    QTest::newRow("before the command") << QStringList{QStringLiteral("--bogus"), QStringLiteral("datasets")}
                                        << QStringLiteral("datasets: Unknown option 'bogus'");
    QTest::newRow("another command's option")
        << QStringList{QStringLiteral("login"), QStringLiteral("--policy"), QStringLiteral("mine")}
        << QStringLiteral("login: Unknown option 'policy'");
    QTest::newRow("a support option elsewhere")
        << QStringList{QStringLiteral("put"), QStringLiteral("notes"), QStringLiteral("k"),
                       QStringLiteral("v"), QStringLiteral("--confirm")}
        << QStringLiteral("put: Unknown option 'confirm'");
    QTest::newRow("missing value") << QStringList{QStringLiteral("sync"), QStringLiteral("--policy")}
                                   << QStringLiteral("sync: Missing value after '--policy'");
    QTest::newRow("no command") << QStringList{QStringLiteral("--bogus")}
                                << QStringLiteral("Unknown option 'bogus'");
    QTest::newRow("help for no such command")
        << QStringList{QStringLiteral("help"), QStringLiteral("frobnicate")}
        << QStringLiteral("unknown command \"frobnicate\"");
}

void TestCliUsage::unknownOptionIsAUsageError()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    // With a profile that loads, nothing would stop the command but the option.
    const CliRun run = runCli(QStringList{QStringLiteral("--profile-file"), m_profileFile} + args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith(QStringLiteral("fedsync-cli: ") + message), qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("--help")), qPrintable(run.err)); // where to look next
    QCOMPARE(run.out, QString());
}

void TestCliUsage::globalOptionsBeforeOrAfterTheCommand_data()
{
    QTest::addColumn<QStringList>("args");
    const QString profile = QStringLiteral("PROFILE");
    const QString har = QStringLiteral("HAR");
    QTest::newRow("before") << QStringList{
        QStringLiteral("--profile-file"), profile, QStringLiteral("--json"),
        QStringLiteral("--trace-out"),    har,     QStringLiteral("setup"),
        QStringLiteral("dynamodb")};
    QTest::newRow("after") << QStringList{QStringLiteral("setup"),
                                          QStringLiteral("dynamodb"),
                                          QStringLiteral("--profile-file"),
                                          profile,
                                          QStringLiteral("--json"),
                                          QStringLiteral("--trace-out"),
                                          har};
    QTest::newRow("around") << QStringList{QStringLiteral("--trace-out=HAR"), QStringLiteral("setup"),
                                           QStringLiteral("--json"),          QStringLiteral("dynamodb"),
                                           QStringLiteral("--profile-file"),  profile};
}

void TestCliUsage::globalOptionsBeforeOrAfterTheCommand()
{
    QFETCH(QStringList, args);
    const QString har =
        m_dir.filePath(QStringLiteral("%1.har").arg(QString::fromLatin1(QTest::currentDataTag())));
    for (QString &arg : args) {
        arg.replace(QStringLiteral("PROFILE"), m_profileFile);
        arg.replace(QStringLiteral("HAR"), har);
    }
    const CliRun run = runCli(args);
    QCOMPARE(run.exitCode, 0);
    // --json and the profile's account id reached the command.
    const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QVERIFY2(json.contains(QStringLiteral("create_table")), qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("arn:aws:dynamodb:eu-west-1:123456789012:table/")),
             qPrintable(run.out));
    // --trace-out wrote its HAR when the command ended.
    QFile file(har);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(har));
    QCOMPARE(QJsonDocument::fromJson(file.readAll())
                 .object()
                 .value(QStringLiteral("log"))
                 .toObject()
                 .value(QStringLiteral("version")),
             QJsonValue(QStringLiteral("1.2")));

    // The profile as a saved one: --profile is read on either side too (and says which is missing).
    for (const QStringList &named :
         {QStringList{QStringLiteral("--profile"), QStringLiteral("nosuch"), QStringLiteral("whoami")},
          QStringList{QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("nosuch")}}) {
        const CliRun missing = runCli(named);
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QStringLiteral("There is no profile \"nosuch\"")),
                 qPrintable(missing.err));
    }
}

FEDSYNC_TEST_MAIN(TestCliUsage)
#include "tst_cli_usage.moc"

// Interop with AWS's own Cognito Sync Manager (amazon-cognito-js): Fedsync (fedsync-cli put/rm/sync)
// and amazon-cognito-js (tests/interop/cognitojs.mjs, with the same identity's credentials from
// fedsync-cli credentials) read each other's writes and removals on the same identity and dataset.
#include "clilogin.h"
#include "cognitojs.h"
#include "sandbox.h"
#include "testenvironment.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

using namespace fedsync;
using namespace fedsync::test;

class TestInteropCognitoJs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cognitoJsReadsWhatFedsyncWrites();
    void fedsyncReadsWhatCognitoJsWrites();
    void removalsTravelBothWays();

private:
    CliRun cli(const QStringList &args);
    // Runs cognitojs.mjs in interop mode on `dataset`; its JSON answer (empty on failure).
    QJsonObject cognitoJs(const QString &dataset, const QJsonObject &writes);

    Sandbox m_sandbox;
    QString m_node;
    QJsonObject m_read;
};

void TestInteropCognitoJs::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (m_node.isEmpty())
        QSKIP("node is not installed");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
}

CliRun TestInteropCognitoJs::cli(const QStringList &args)
{
    return runCli(QStringList{QStringLiteral("--profile-file"), m_sandbox.profileFile()} + args);
}

QJsonObject TestInteropCognitoJs::cognitoJs(const QString &dataset, const QJsonObject &writes)
{
    const CliRun identity = cli({QStringLiteral("identity"), QStringLiteral("--json")});
    const CliRun credentials = cli({QStringLiteral("credentials")});
    if (identity.exitCode != 0 || credentials.exitCode != 0) {
        qWarning().noquote() << "fedsync-cli failed:" << identity.err << credentials.err;
        return {};
    }
    const QJsonObject keys = QJsonDocument::fromJson(credentials.out.toUtf8()).object();
    const CognitoJsIdentity who{QJsonDocument::fromJson(identity.out.toUtf8())
                                    .object()
                                    .value(QStringLiteral("identity_id"))
                                    .toString(),
                                keys.value(QStringLiteral("AccessKeyId")).toString(),
                                keys.value(QStringLiteral("SecretAccessKey")).toString(),
                                keys.value(QStringLiteral("SessionToken")).toString()};
    return runCognitoJs(m_sandbox, who,
                        {{QStringLiteral("mode"), QStringLiteral("interop")},
                         {QStringLiteral("dataset"), dataset},
                         {QStringLiteral("writes"), writes}},
                        60000);
}

void TestInteropCognitoJs::cognitoJsReadsWhatFedsyncWrites()
{
    for (const auto &[key, value] : {std::pair{"title", "Hello from Fedsync"}, std::pair{"empty", ""},
                                     std::pair{"gone", "soon removed"}, std::pair{"unicode", "grüße ✓ 日本"}})
        QCOMPARE(cli({QStringLiteral("put"), QStringLiteral("shared"), QString::fromLatin1(key),
                      QString::fromUtf8(value)})
                     .exitCode,
                 0);
    CliRun run = cli({QStringLiteral("sync"), QStringLiteral("shared")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(cli({QStringLiteral("rm"), QStringLiteral("shared"), QStringLiteral("gone")}).exitCode, 0);
    run = cli({QStringLiteral("sync"), QStringLiteral("shared")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));

    const QJsonObject result =
        cognitoJs(QStringLiteral("shared"),
                  {{QStringLiteral("put"),
                    QJsonObject{{QStringLiteral("title"), QStringLiteral("changed by cognito-js")},
                                {QStringLiteral("added"), QStringLiteral("from cognito-js")}}},
                   {QStringLiteral("remove"), QJsonArray{QStringLiteral("empty")}}});
    QVERIFY(!result.isEmpty());
    m_read = result.value(QStringLiteral("read")).toObject();
    auto valueOf = [this](const char *key) {
        return m_read.value(QLatin1String(key)).toObject().value(QStringLiteral("value")).toString();
    };
    QCOMPARE(valueOf("title"), QStringLiteral("Hello from Fedsync"));
    QCOMPARE(valueOf("unicode"), QString::fromUtf8("grüße ✓ 日本"));
    QVERIFY(m_read.contains(QStringLiteral("empty")));
    QCOMPARE(valueOf("empty"), QString());
    // The removal arrived: amazon-cognito-js shows a removed record as '' (its Record does
    // `Value || ''`), never the old value.
    QVERIFY(!m_read.contains(QStringLiteral("gone")) || valueOf("gone").isEmpty());
}

void TestInteropCognitoJs::fedsyncReadsWhatCognitoJsWrites()
{
    QVERIFY(!m_read.isEmpty());
    const CliRun run = cli({QStringLiteral("sync"), QStringLiteral("shared")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("received 3")), qPrintable(run.out));
    CliRun get = cli({QStringLiteral("get"), QStringLiteral("shared"), QStringLiteral("title")});
    QCOMPARE(get.out, QStringLiteral("changed by cognito-js\n"));
    get = cli({QStringLiteral("get"), QStringLiteral("shared"), QStringLiteral("added")});
    QCOMPARE(get.out, QStringLiteral("from cognito-js\n"));
    get = cli({QStringLiteral("get"), QStringLiteral("shared"), QStringLiteral("unicode")});
    QCOMPARE(get.out, QString::fromUtf8("grüße ✓ 日本\n"));
    // amazon-cognito-js's removal is a removal here.
    get = cli({QStringLiteral("get"), QStringLiteral("shared"), QStringLiteral("empty")});
    QCOMPARE(get.exitCode, 1);
    QVERIFY2(get.err.contains(QStringLiteral("removed")), qPrintable(get.err));
}

void TestInteropCognitoJs::removalsTravelBothWays()
{
    QCOMPARE(cli({QStringLiteral("rm"), QStringLiteral("shared"), QStringLiteral("added")}).exitCode, 0);
    QCOMPARE(
        cli({QStringLiteral("put"), QStringLiteral("shared"), QStringLiteral("title"), QStringLiteral("v3")})
            .exitCode,
        0);
    QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("shared")}).exitCode, 0);
    const QJsonObject result = cognitoJs(QStringLiteral("shared"), {});
    QVERIFY(!result.isEmpty());
    const QJsonObject read = result.value(QStringLiteral("read")).toObject();
    QCOMPARE(read.value(QStringLiteral("title")).toObject().value(QStringLiteral("value")).toString(),
             QStringLiteral("v3"));
    QVERIFY(
        !read.contains(QStringLiteral("added")) ||
        read.value(QStringLiteral("added")).toObject().value(QStringLiteral("value")).toString().isEmpty());
    // A fresh amazon-cognito-js device writes nothing back on a plain sync: Fedsync sees no change.
    const CliRun run = cli({QStringLiteral("sync"), QStringLiteral("shared")});
    QVERIFY2(run.out.contains(QStringLiteral("up to date")), qPrintable(run.out));
}

FEDSYNC_TEST_MAIN(TestInteropCognitoJs)
#include "tst_interop_cognitojs.moc"

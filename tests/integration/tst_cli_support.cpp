// fedsync-cli support ... end to end: a real signed-in user (keychain, Auth0 emulator) whose sync wrote
// the identity card, a pool seeded with more identities than one ListIdentities page, and the staff
// member's own keys from the AWS credential chain (environment, config file with credential_process).
// The user's own session never makes a support command work.
#include "clilogin.h"
#include "sandbox.h"
#include "testenvironment.h"
#include "testmain.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>

using namespace fedsync;
using namespace fedsync::test;

class TestCliSupport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void withoutStaffCredentialsNothingWorks_data();
    void withoutStaffCredentialsNothingWorks();
    void identitiesPageThroughThePool();
    void findsTheSignedInUserByEmailAndSub();
    void findsSeededUsersAndSaysWhenNobodyMatches();
    void datasetsAndRecordsOfTheUser();
    void putNeedsConfirmThenWritesThroughAndIsAudited();
    void narrowerPolicyIsRefusedAndAudited();
    void credentialProcessFromTheConfigFile();

private:
    QProcessEnvironment staffEnvironment() const { return test::staffEnvironment(m_sandbox, m_home.path()); }
    CliRun cli(const QStringList &args, const QProcessEnvironment &environment);
    CliRun support(const QStringList &args)
    {
        return cli(QStringList{QStringLiteral("support")} + args, staffEnvironment());
    }
    QJsonObject json(const CliRun &run);

    Sandbox m_sandbox;
    QTemporaryDir m_home; // an empty HOME: no ~/.aws of the machine's
    QString m_aliceIdentity;
    QJsonObject m_seeded;
};

void TestCliSupport::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    // Alice keeps a note; her sync also sends the identity card her sign-in recorded.
    QString problem;
    m_aliceIdentity =
        cliSignInAndSync(m_sandbox, 0, m_sandbox.profileFile(), QStringLiteral("hello alice"), &problem);
    QVERIFY2(!m_aliceIdentity.isEmpty(), qPrintable(problem));
    m_seeded = m_sandbox.adminPost(QStringLiteral("admin/seed"), {{QStringLiteral("identities"), 150},
                                                                  {QStringLiteral("datasets"), 1},
                                                                  {QStringLiteral("cards"), true}});
    QCOMPARE(m_seeded.value(QStringLiteral("created")).toInt(), 150);
}

CliRun TestCliSupport::cli(const QStringList &args, const QProcessEnvironment &environment)
{
    return runCli(QStringList{QStringLiteral("--profile-file"), m_sandbox.profileFile()} + args, environment,
                  120000);
}

QJsonObject TestCliSupport::json(const CliRun &run)
{
    return QJsonDocument::fromJson(run.out.toUtf8()).object();
}

void TestCliSupport::withoutStaffCredentialsNothingWorks_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("identities") << QStringList{QStringLiteral("identities")};
    QTest::newRow("find by email") << QStringList{QStringLiteral("find"), QStringLiteral("--email"),
                                                  QStringLiteral("alice@example.com")};
    QTest::newRow("find by identity")
        << QStringList{QStringLiteral("find"), QStringLiteral("--identity"),
                       QStringLiteral("us-east-1:00000000-0000-0000-0000-000000000000")};
    QTest::newRow("datasets") << QStringList{
        QStringLiteral("datasets"), QStringLiteral("us-east-1:00000000-0000-0000-0000-000000000000")};
    QTest::newRow("records") << QStringList{QStringLiteral("records"),
                                            QStringLiteral("us-east-1:00000000-0000-0000-0000-000000000000"),
                                            QStringLiteral("notes")};
    QTest::newRow("put") << QStringList{
        QStringLiteral("put"),   QStringLiteral("us-east-1:00000000-0000-0000-0000-000000000000"),
        QStringLiteral("notes"), QStringLiteral("k"),
        QStringLiteral("v"),     QStringLiteral("--confirm")};
    QTest::newRow("crawl") << QStringList{QStringLiteral("crawl")};
}

void TestCliSupport::withoutStaffCredentialsNothingWorks()
{
    QFETCH(QStringList, args);
    // Alice is signed in on this machine (her keychain entry is there), but she is not staff.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("AWS_ACCESS_KEY_ID"));
    environment.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
    environment.remove(QStringLiteral("AWS_PROFILE"));
    environment.insert(QStringLiteral("HOME"), m_home.path());
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    const CliRun run = cli(QStringList{QStringLiteral("support")} + args, environment);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("Support needs your own AWS credentials")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("cognito-identity:ListIdentities")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("cognito-sync:ListRecords")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("AWS_PROFILE")), qPrintable(run.err));
    // Not one request went out: nothing was tried with the user's session.
    QCOMPARE(m_sandbox.operationsSince(since), QStringList());
}

void TestCliSupport::identitiesPageThroughThePool()
{
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    const CliRun run = support({QStringLiteral("identities"), QStringLiteral("--limit"),
                                QStringLiteral("130"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject root = json(run);
    QCOMPARE(root.value(QStringLiteral("identity_pool_id")).toString(),
             m_sandbox.ready().value(QStringLiteral("identity_pool_id")).toString());
    const QJsonArray list = root.value(QStringLiteral("identities")).toArray();
    QCOMPARE(list.size(), 130);
    QSet<QString> ids;
    for (const QJsonValue &item : list) {
        const QJsonObject identity = item.toObject();
        ids.insert(identity.value(QStringLiteral("identity_id")).toString());
        QVERIFY(identity.value(QStringLiteral("creation_date")).toString().endsWith(QLatin1Char('Z')));
        QVERIFY(identity.contains(QStringLiteral("last_modified_date")));
        QCOMPARE(identity.value(QStringLiteral("logins")).toArray().first().toString(),
                 m_sandbox.ready().value(QStringLiteral("provider_name")).toString());
    }
    QCOMPARE(ids.size(), 130);
    QVERIFY(ids.contains(m_aliceIdentity));               // she signed in first: on the first page
    QVERIFY(root.contains(QStringLiteral("next_token"))); // 151 in the pool
    // 60 + 60 + 10, each a separate ListIdentities.
    QCOMPARE(m_sandbox.operationsSince(since).count(QStringLiteral("ListIdentities")), 3);

    const CliRun table =
        support({QStringLiteral("identities"), QStringLiteral("--limit"), QStringLiteral("5")});
    QCOMPARE(table.exitCode, 0);
    QCOMPARE(table.out.trimmed().split(QLatin1Char('\n')).size(), 6); // header + 5
}

void TestCliSupport::findsTheSignedInUserByEmailAndSub()
{
    const CliRun byEmail = support({QStringLiteral("find"), QStringLiteral("--email"),
                                    QStringLiteral("ALICE@example.com"), QStringLiteral("--json")});
    QVERIFY2(byEmail.exitCode == 0, qPrintable(byEmail.err));
    const QJsonArray found = json(byEmail).value(QStringLiteral("identities")).toArray();
    QCOMPARE(found.size(), 1);
    const QJsonObject alice = found.first().toObject();
    QCOMPARE(alice.value(QStringLiteral("identity_id")).toString(), m_aliceIdentity);
    const QJsonObject card = alice.value(QStringLiteral("card")).toObject();
    QCOMPARE(card.value(QStringLiteral("sub")).toString(), m_sandbox.user(0, "sub"));
    QCOMPARE(card.value(QStringLiteral("name")).toString(), m_sandbox.user(0, "name"));
    QVERIFY(!card.value(QStringLiteral("app_version")).toString().isEmpty());
    QVERIFY(card.value(QStringLiteral("last_sign_in")).toString().startsWith(QLatin1String("20")));

    // Now in the index: by sub without another crawl page.
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    const CliRun bySub = support({QStringLiteral("find"), QStringLiteral("--sub"), m_sandbox.user(0, "sub")});
    QVERIFY2(bySub.exitCode == 0, qPrintable(bySub.err));
    QVERIFY(bySub.out.contains(m_aliceIdentity));
    QVERIFY(bySub.out.contains(m_sandbox.user(0, "email")));
    QCOMPARE(m_sandbox.operationsSince(since), QStringList());

    const CliRun byId = support(
        {QStringLiteral("find"), QStringLiteral("--identity"), m_aliceIdentity, QStringLiteral("--json")});
    QVERIFY2(byId.exitCode == 0, qPrintable(byId.err));
    QCOMPARE(
        firstFound(byId).value(QStringLiteral("card")).toObject().value(QStringLiteral("email")).toString(),
        m_sandbox.user(0, "email"));
}

void TestCliSupport::findsSeededUsersAndSaysWhenNobodyMatches()
{
    const QJsonArray seeded = m_seeded.value(QStringLiteral("identities")).toArray();
    const QJsonObject last = seeded.last().toObject(); // on the third page
    const CliRun bySub = support({QStringLiteral("find"), QStringLiteral("--sub"),
                                  last.value(QStringLiteral("sub")).toString(), QStringLiteral("--json")});
    QVERIFY2(bySub.exitCode == 0, qPrintable(bySub.err));
    QCOMPARE(firstFound(bySub).value(QStringLiteral("identity_id")).toString(),
             last.value(QStringLiteral("identity_id")).toString());
    QVERIFY2(bySub.err.contains(QLatin1String("identities indexed")), qPrintable(bySub.err)); // progress

    const CliRun nobody =
        support({QStringLiteral("find"), QStringLiteral("--email"), QStringLiteral("nobody@example.com")});
    QCOMPARE(nobody.exitCode, 1);
    QVERIFY2(nobody.err.contains(QLatin1String("No identity found for nobody@example.com")),
             qPrintable(nobody.err));

    const CliRun twoWays = support({QStringLiteral("find"), QStringLiteral("--sub"), QStringLiteral("x"),
                                    QStringLiteral("--email"), QStringLiteral("y")});
    QCOMPARE(twoWays.exitCode, 2);
}

void TestCliSupport::datasetsAndRecordsOfTheUser()
{
    const CliRun sets = support({QStringLiteral("datasets"), m_aliceIdentity, QStringLiteral("--json")});
    QVERIFY2(sets.exitCode == 0, qPrintable(sets.err));
    const QJsonObject root = json(sets);
    QCOMPARE(
        root.value(QStringLiteral("identity")).toObject().value(QStringLiteral("identity_id")).toString(),
        m_aliceIdentity);
    QCOMPARE(root.value(QStringLiteral("identity_usage"))
                 .toObject()
                 .value(QStringLiteral("dataset_count"))
                 .toInt(),
             2);
    QStringList names;
    for (const QJsonValue &dataset : root.value(QStringLiteral("datasets")).toArray())
        names << dataset.toObject().value(QStringLiteral("dataset_name")).toString();
    QCOMPARE(names, (QStringList{QStringLiteral("fedsync.identity"), QStringLiteral("notes")}));

    const CliRun masked = support(
        {QStringLiteral("records"), m_aliceIdentity, QStringLiteral("notes"), QStringLiteral("--json")});
    QVERIFY2(masked.exitCode == 0, qPrintable(masked.err));
    QVERIFY2(!masked.out.contains(QLatin1String("hello alice")), qPrintable(masked.out));
    const QJsonObject record = json(masked)
                                   .value(QStringLiteral("datasets"))
                                   .toArray()
                                   .first()
                                   .toObject()
                                   .value(QStringLiteral("records"))
                                   .toArray()
                                   .first()
                                   .toObject();
    QCOMPARE(record.value(QStringLiteral("key")).toString(), QStringLiteral("greeting"));
    QCOMPARE(record.value(QStringLiteral("sync_count")).toInt(), 1);

    const CliRun csv = support({QStringLiteral("records"), m_aliceIdentity, QStringLiteral("notes"),
                                QStringLiteral("--csv"), QStringLiteral("--reveal")});
    QVERIFY2(csv.exitCode == 0, qPrintable(csv.err));
    QVERIFY2(csv.out.startsWith(QLatin1String("identity_id,dataset_name,key,value,")), qPrintable(csv.out));
    QVERIFY2(csv.out.contains(m_aliceIdentity + QStringLiteral(",notes,greeting,hello alice,1,")),
             qPrintable(csv.out));
}

void TestCliSupport::putNeedsConfirmThenWritesThroughAndIsAudited()
{
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    const QStringList put{QStringLiteral("put"), m_aliceIdentity, QStringLiteral("notes"),
                          QStringLiteral("greeting"), QStringLiteral("fixed by support")};
    const CliRun refused = support(put);
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(QLatin1String("--confirm")), qPrintable(refused.err));
    QCOMPARE(m_sandbox.operationsSince(since), QStringList());

    const CliRun done = support(put + QStringList{QStringLiteral("--confirm")});
    QVERIFY2(done.exitCode == 0, qPrintable(done.err));
    QVERIFY(m_sandbox.operationsSince(since).contains(QStringLiteral("UpdateRecords")));

    // Alice's next sync brings the value to her device.
    const QProcessEnvironment user = QProcessEnvironment::systemEnvironment();
    QCOMPARE(cli({QStringLiteral("sync")}, user).exitCode, 0);
    QCOMPARE(
        cli({QStringLiteral("get"), QStringLiteral("notes"), QStringLiteral("greeting")}, user).out.trimmed(),
        QStringLiteral("fixed by support"));

    const CliRun audit = support({QStringLiteral("audit"), QStringLiteral("--json")});
    QCOMPARE(audit.exitCode, 0);
    const QJsonArray entries = json(audit).value(QStringLiteral("entries")).toArray();
    QVERIFY(!entries.isEmpty());
    const QJsonObject entry = entries.last().toObject();
    QCOMPARE(entry.value(QStringLiteral("who")).toString(),
             QStringLiteral("arn:aws:iam::%1:user/fedsync-support")
                 .arg(m_sandbox.ready().value(QStringLiteral("account_id")).toString()));
    QCOMPARE(entry.value(QStringLiteral("identity_id")).toString(), m_aliceIdentity);
    QCOMPARE(entry.value(QStringLiteral("dataset_name")).toString(), QStringLiteral("notes"));
    QCOMPARE(entry.value(QStringLiteral("key")).toString(), QStringLiteral("greeting"));
    QCOMPARE(entry.value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));
    QVERIFY(!audit.out.contains(QLatin1String("fixed by support")));
    // The file itself: private, and never the value.
    const QString path = isolatedRoot() + QStringLiteral("/data/Fedsync/Fedsync/support/audit.log");
    QFile file(path);
    QVERIFY2(file.exists(), qPrintable(path));
    QCOMPARE(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup |
                                   QFileDevice::WriteOther),
             QFileDevice::Permissions());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("fixed by support"));
}

void TestCliSupport::narrowerPolicyIsRefusedAndAudited()
{
    const QJsonObject key = m_sandbox.adminPost(
        QStringLiteral("admin/staff-keys"),
        {{QStringLiteral("name"), QStringLiteral("support-readonly")},
         {QStringLiteral("deny"), QJsonArray{QStringLiteral("cognito-sync:UpdateRecords")}}});
    QVERIFY(key.value(QStringLiteral("ok")).toBool());
    const QProcessEnvironment environment = test::staffEnvironment(
        m_sandbox, m_home.path(), key.value(QStringLiteral("access_key_id")).toString(),
        key.value(QStringLiteral("secret_access_key")).toString());
    // Reading works with the narrower policy...
    QCOMPARE(
        cli({QStringLiteral("support"), QStringLiteral("records"), m_aliceIdentity, QStringLiteral("notes")},
            environment)
            .exitCode,
        0);
    // ...writing does not, and says which permission is missing.
    const CliRun put =
        cli({QStringLiteral("support"), QStringLiteral("put"), m_aliceIdentity, QStringLiteral("notes"),
             QStringLiteral("greeting"), QStringLiteral("nope"), QStringLiteral("--confirm")},
            environment);
    QCOMPARE(put.exitCode, 1);
    QVERIFY2(
        put.err.contains(QLatin1String("Your AWS credentials may not do this (cognito-sync:UpdateRecords)")),
        qPrintable(put.err));
    const QJsonArray entries = json(support({QStringLiteral("audit"), QStringLiteral("--json")}))
                                   .value(QStringLiteral("entries"))
                                   .toArray();
    const QJsonObject entry = entries.last().toObject();
    QCOMPARE(entry.value(QStringLiteral("who")).toString(),
             QStringLiteral("arn:aws:iam::%1:user/support-readonly")
                 .arg(m_sandbox.ready().value(QStringLiteral("account_id")).toString()));
    QCOMPARE(entry.value(QStringLiteral("outcome")).toString(), QStringLiteral("support.access_denied"));
    // The user's value is unchanged.
    const CliRun csv = support({QStringLiteral("records"), m_aliceIdentity, QStringLiteral("notes"),
                                QStringLiteral("--csv"), QStringLiteral("--reveal")});
    QVERIFY2(csv.out.contains(QLatin1String(",greeting,fixed by support,")), qPrintable(csv.out));
}

void TestCliSupport::credentialProcessFromTheConfigFile()
{
    QTemporaryDir home;
    const QJsonObject keys = m_sandbox.ready().value(QStringLiteral("developer_credentials")).toObject();
    const QString script = home.filePath(QStringLiteral("staff-creds.sh"));
    {
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            QStringLiteral(
                "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"%1\", \"SecretAccessKey\": \"%2\"}'\n")
                .arg(keys.value(QStringLiteral("access_key_id")).toString(),
                     keys.value(QStringLiteral("secret_access_key")).toString())
                .toUtf8());
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    QVERIFY(QDir(home.path()).mkpath(QStringLiteral(".aws")));
    QFile config(home.filePath(QStringLiteral(".aws/config")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("[default]\nregion = us-east-1\n\n[profile staff]\ncredential_process = %1\n")
                     .arg(script)
                     .toUtf8());
    config.close();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("AWS_ACCESS_KEY_ID"));
    environment.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
    environment.insert(QStringLiteral("HOME"), home.path());
    environment.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("staff"));
    const CliRun run = cli({QStringLiteral("support"), QStringLiteral("identities"),
                            QStringLiteral("--limit"), QStringLiteral("2"), QStringLiteral("--json")},
                           environment);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(json(run).value(QStringLiteral("identities")).toArray().size(), 2);

    // A profile that is not there: the clear message again.
    environment.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("nobody"));
    const CliRun missing = cli({QStringLiteral("support"), QStringLiteral("identities")}, environment);
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(QLatin1String("[nobody]")), qPrintable(missing.err));
}

FEDSYNC_TEST_MAIN(TestCliSupport)
#include "tst_cli_support.moc"

// fedsync-cli support find on a DynamoDB-store profile: the table's card index answers by email and by
// Auth0 sub, with no crawl and no ListIdentities. Real signed-in users (keychain, Auth0 emulator) whose
// sign-in recorded the identity card and whose sync wrote it to the sandbox's DynamoDB table, among
// seeded identities; the staff member's own keys. The user's own session and credentials never find
// anybody (the role's policy reaches no index), and a staff policy without dynamodb:Query is explained.
// Also: `fedsync-cli datasets` leaves the identity card out, as the editor does.
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

class TestCliSupportDynamoDb : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void findsSignedInUsersByEmailAndSubThroughTheIndex();
    void findsSeededUsersAndSaysWhereItLooked();
    void theUsersOwnSessionFindsNobody();
    void staffPolicyWithoutQueryIsExplained();
    void datasetsListLeavesTheIdentityCardOut();

private:
    QProcessEnvironment staffEnvironment(const QString &keyId = {}, const QString &secret = {}) const;
    CliRun cli(const QStringList &args, const QProcessEnvironment &environment);
    CliRun support(const QStringList &args)
    {
        return cli(QStringList{QStringLiteral("support")} + args, staffEnvironment());
    }
    QString signInAndSync(int user);
    static QJsonObject json(const CliRun &run) { return QJsonDocument::fromJson(run.out.toUtf8()).object(); }

    Sandbox m_sandbox;
    QTemporaryDir m_home; // an empty HOME: no ~/.aws of the machine's
    QString m_ids[2];
    QJsonObject m_seeded;
};

QString TestCliSupportDynamoDb::signInAndSync(int user)
{
    const CliRun login = cliLogin(m_sandbox, user, m_sandbox.dynamoDbProfileFile());
    if (login.exitCode != 0)
        return QStringLiteral("login: ") + login.err;
    // The sign-in recorded the card; this first sync sends it to the user's DynamoDB partition.
    const CliRun sync = cli({QStringLiteral("sync")}, QProcessEnvironment::systemEnvironment());
    if (sync.exitCode != 0)
        return QStringLiteral("sync: ") + sync.err;
    const CliRun identity =
        cli({QStringLiteral("identity"), QStringLiteral("--json")}, QProcessEnvironment::systemEnvironment());
    m_ids[user] = json(identity).value(QStringLiteral("identity_id")).toString();
    return m_ids[user].startsWith(QLatin1String("us-east-1:")) ? QString() : identity.out + identity.err;
}

void TestCliSupportDynamoDb::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_seeded = m_sandbox.adminPost(QStringLiteral("admin/seed"),
                                   {{QStringLiteral("identities"), 200},
                                    {QStringLiteral("cards"), true},
                                    {QStringLiteral("store"), QStringLiteral("dynamodb")}});
    QCOMPARE(m_seeded.value(QStringLiteral("created")).toInt(), 200);
    for (int user : {0, 1}) {
        const QString problem = signInAndSync(user);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    QVERIFY(m_ids[0] != m_ids[1]);
}

QProcessEnvironment TestCliSupportDynamoDb::staffEnvironment(const QString &keyId,
                                                             const QString &secret) const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QJsonObject keys = m_sandbox.ready().value(QStringLiteral("developer_credentials")).toObject();
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"),
                       keyId.isEmpty() ? keys.value(QStringLiteral("access_key_id")).toString() : keyId);
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"),
                       secret.isEmpty() ? keys.value(QStringLiteral("secret_access_key")).toString()
                                        : secret);
    environment.remove(QStringLiteral("AWS_SESSION_TOKEN"));
    environment.remove(QStringLiteral("AWS_PROFILE"));
    environment.insert(QStringLiteral("HOME"), m_home.path());
    return environment;
}

CliRun TestCliSupportDynamoDb::cli(const QStringList &args, const QProcessEnvironment &environment)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(binDir() + QStringLiteral("/fedsync-cli"),
                  QStringList{QStringLiteral("--profile-file"), m_sandbox.dynamoDbProfileFile()} + args);
    CliRun run;
    if (!process.waitForFinished(120000))
        process.kill();
    process.waitForFinished();
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

void TestCliSupportDynamoDb::findsSignedInUsersByEmailAndSubThroughTheIndex()
{
    for (int user : {0, 1}) {
        qint64 since = 0;
        m_sandbox.operationsSince(0, &since);
        // Any case of the address: the index holds it in lower case.
        const CliRun byEmail = support({QStringLiteral("find"), QStringLiteral("--email"),
                                        m_sandbox.user(user, "email").toUpper(), QStringLiteral("--json")});
        QVERIFY2(byEmail.exitCode == 0, qPrintable(byEmail.err));
        const QJsonArray found = json(byEmail).value(QStringLiteral("identities")).toArray();
        QCOMPARE(found.size(), 1);
        const QJsonObject identity = found.first().toObject();
        QCOMPARE(identity.value(QStringLiteral("identity_id")).toString(), m_ids[user]);
        QCOMPARE(identity.value(QStringLiteral("logins")).toArray().first().toString(),
                 m_sandbox.ready().value(QStringLiteral("provider_name")).toString());
        const QJsonObject card = identity.value(QStringLiteral("card")).toObject();
        QCOMPARE(card.value(QStringLiteral("sub")).toString(), m_sandbox.user(user, "sub"));
        QCOMPARE(card.value(QStringLiteral("name")).toString(), m_sandbox.user(user, "name"));
        QVERIFY(card.value(QStringLiteral("last_sign_in")).toString().startsWith(QLatin1String("20")));
        QVERIFY(!card.value(QStringLiteral("app_version")).toString().isEmpty());
        // An index lookup: one Query on the index, DescribeIdentity, the card (GetItem + Query); no
        // crawl of the pool.
        const QStringList operations = m_sandbox.operationsSince(since);
        QVERIFY2(!operations.contains(QStringLiteral("ListIdentities")), qPrintable(operations.join(u' ')));
        QVERIFY2(operations.count(QStringLiteral("Query")) == 2, qPrintable(operations.join(u' ')));
        QCOMPARE(operations.count(QStringLiteral("DescribeIdentity")), 1);

        const CliRun bySub =
            support({QStringLiteral("find"), QStringLiteral("--sub"), m_sandbox.user(user, "sub")});
        QVERIFY2(bySub.exitCode == 0, qPrintable(bySub.err));
        QVERIFY2(bySub.out.contains(m_ids[user]), qPrintable(bySub.out));
        QVERIFY(bySub.out.contains(m_sandbox.user(user, "email")));
        QVERIFY(!bySub.out.contains(m_ids[1 - user]));
        // By identity id: DescribeIdentity and the card from the table.
        const CliRun byId = support(
            {QStringLiteral("find"), QStringLiteral("--identity"), m_ids[user], QStringLiteral("--json")});
        QVERIFY2(byId.exitCode == 0, qPrintable(byId.err));
        QCOMPARE(json(byId)
                     .value(QStringLiteral("identities"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("card"))
                     .toObject()
                     .value(QStringLiteral("email"))
                     .toString(),
                 m_sandbox.user(user, "email"));
    }
}

void TestCliSupportDynamoDb::findsSeededUsersAndSaysWhereItLooked()
{
    const QJsonObject last = m_seeded.value(QStringLiteral("identities")).toArray().last().toObject();
    const CliRun byEmail =
        support({QStringLiteral("find"), QStringLiteral("--email"),
                 last.value(QStringLiteral("email")).toString(), QStringLiteral("--json")});
    QVERIFY2(byEmail.exitCode == 0, qPrintable(byEmail.err));
    const QJsonObject found = json(byEmail).value(QStringLiteral("identities")).toArray().first().toObject();
    QCOMPARE(found.value(QStringLiteral("identity_id")).toString(),
             last.value(QStringLiteral("identity_id")).toString());
    QCOMPARE(found.value(QStringLiteral("card")).toObject().value(QStringLiteral("sub")).toString(),
             last.value(QStringLiteral("sub")).toString());
    QVERIFY2(!byEmail.err.contains(QLatin1String("identities indexed")), qPrintable(byEmail.err)); // no crawl

    const CliRun nobody =
        support({QStringLiteral("find"), QStringLiteral("--email"), QStringLiteral("nobody@example.com")});
    QCOMPARE(nobody.exitCode, 1);
    QVERIFY2(nobody.err.contains(QLatin1String("No identity found for nobody@example.com")),
             qPrintable(nobody.err));
    QVERIFY2(nobody.err.contains(QLatin1String("DynamoDB index card-lookup of the table ") +
                                 m_sandbox.ready().value(QStringLiteral("dynamodb_table")).toString()),
             qPrintable(nobody.err));
}

void TestCliSupportDynamoDb::theUsersOwnSessionFindsNobody()
{
    // Without staff credentials: refused before any request, though the user is signed in.
    QProcessEnvironment environment = staffEnvironment();
    environment.remove(QStringLiteral("AWS_ACCESS_KEY_ID"));
    environment.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    CliRun run = cli({QStringLiteral("support"), QStringLiteral("find"), QStringLiteral("--email"),
                      m_sandbox.user(0, "email")},
                     environment);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("Support needs your own AWS credentials")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("dynamodb:Query")), qPrintable(run.err));
    QCOMPARE(m_sandbox.operationsSince(since), QStringList());

    // The signed-in user's own AWS credentials (bob's, as `fedsync-cli credentials` gives them) passed
    // as if they were staff keys: the role's policy reaches no index, so AWS refuses the Query.
    const CliRun credentials = cli({QStringLiteral("credentials")}, QProcessEnvironment::systemEnvironment());
    QVERIFY2(credentials.exitCode == 0, qPrintable(credentials.err));
    const QJsonObject own = json(credentials);
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"),
                       own.value(QStringLiteral("AccessKeyId")).toString());
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"),
                       own.value(QStringLiteral("SecretAccessKey")).toString());
    environment.insert(QStringLiteral("AWS_SESSION_TOKEN"),
                       own.value(QStringLiteral("SessionToken")).toString());
    for (const QString &email : {m_sandbox.user(0, "email"), m_sandbox.user(1, "email")}) {
        run = cli({QStringLiteral("support"), QStringLiteral("find"), QStringLiteral("--email"), email},
                  environment);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QLatin1String("Your AWS credentials may not do this (dynamodb:Query on the "
                                                "index card-lookup")),
                 qPrintable(run.err));
        QVERIFY2(run.err.contains(QLatin1String("/index/card-lookup")), qPrintable(run.err));
        QVERIFY(!run.out.contains(m_ids[0]) && !run.out.contains(m_ids[1]));
    }
}

void TestCliSupportDynamoDb::staffPolicyWithoutQueryIsExplained()
{
    const QJsonObject key =
        m_sandbox.adminPost(QStringLiteral("admin/staff-keys"),
                            {{QStringLiteral("name"), QStringLiteral("support-noddb")},
                             {QStringLiteral("deny"), QJsonArray{QStringLiteral("dynamodb:Query")}}});
    const CliRun run = cli({QStringLiteral("support"), QStringLiteral("find"), QStringLiteral("--sub"),
                            m_sandbox.user(0, "sub")},
                           staffEnvironment(key.value(QStringLiteral("access_key_id")).toString(),
                                            key.value(QStringLiteral("secret_access_key")).toString()));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("Your AWS credentials may not do this (dynamodb:Query")),
             qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("user/support-noddb")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("Ask your AWS administrator to allow dynamodb:Query")),
             qPrintable(run.err));
}

void TestCliSupportDynamoDb::datasetsListLeavesTheIdentityCardOut()
{
    // Bob (signed in last) has his card locally and in DynamoDB, and one dataset of his own.
    const QProcessEnvironment user = QProcessEnvironment::systemEnvironment();
    QCOMPARE(
        cli({QStringLiteral("put"), QStringLiteral("notes"), QStringLiteral("k"), QStringLiteral("v")}, user)
            .exitCode,
        0);
    const CliRun card =
        cli({QStringLiteral("get"), QStringLiteral("fedsync.identity"), QStringLiteral("email")}, user);
    QVERIFY2(card.exitCode == 0 && card.out.contains(m_sandbox.user(1, "email")),
             qPrintable(card.out + card.err));
    const CliRun listed = cli({QStringLiteral("datasets"), QStringLiteral("--json")}, user);
    QVERIFY2(listed.exitCode == 0, qPrintable(listed.err));
    QStringList names;
    for (const QJsonValue &dataset : QJsonDocument::fromJson(listed.out.toUtf8()).array())
        names << dataset.toObject().value(QStringLiteral("name")).toString();
    QCOMPARE(names, QStringList{QStringLiteral("notes")});
    const CliRun table = cli({QStringLiteral("datasets")}, user);
    QVERIFY2(table.exitCode == 0, qPrintable(table.err));
    QVERIFY(table.out.contains(QLatin1String("notes")));
    QVERIFY2(!table.out.contains(QLatin1String("fedsync.identity")), qPrintable(table.out));
}

FEDSYNC_TEST_MAIN(TestCliSupportDynamoDb)
#include "tst_cli_support_dynamodb.moc"

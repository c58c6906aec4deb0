// fedsync-cli support find on a DynamoDB-store profile: the table's card index answers by email and by
// Auth0 sub, with no crawl and no ListIdentities. Real signed-in users (keychain, Auth0 emulator) whose
// sign-in recorded the identity card and whose sync wrote it to the sandbox's DynamoDB table, among
// seeded identities; the staff member's own keys. The user's own session and credentials never find
// anybody (the role's policy reaches no index), and a staff policy without dynamodb:Query is explained.
// Also: `fedsync-cli datasets` leaves the identity card out, as the editor does. And support datasets,
// records and put --confirm read and write the user's data in the DynamoDB table (never Cognito Sync),
// audited, and the user's next sync sees the support write; a staff key denied the write is explained.
#include "clilogin.h"
#include "sandbox.h"
#include "testenvironment.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
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
    void supportReadsTheUsersDataFromTheTable();
    void supportPutIsAuditedAndSeenByTheUsersNextSync();
    void supportPutDeniedIsExplainedAndAudited();

private:
    QProcessEnvironment staffEnvironment(const QString &keyId = {}, const QString &secret = {}) const
    {
        return test::staffEnvironment(m_sandbox, m_home.path(), keyId, secret);
    }
    CliRun cli(const QStringList &args, const QProcessEnvironment &environment);
    CliRun support(const QStringList &args)
    {
        return cli(QStringList{QStringLiteral("support")} + args, staffEnvironment());
    }
    static QJsonObject json(const CliRun &run) { return QJsonDocument::fromJson(run.out.toUtf8()).object(); }
    QJsonObject lastAuditEntry();
    // Operations of Cognito Sync among `operations` (a DynamoDB profile's support must use none).
    static QStringList cognitoSyncOperations(const QStringList &operations);

    Sandbox m_sandbox;
    QTemporaryDir m_home; // an empty HOME: no ~/.aws of the machine's
    QString m_ids[2];
    QJsonObject m_seeded;
};

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
        // The sign-in recorded the card; this first sync sends it to the user's DynamoDB partition.
        QString problem;
        m_ids[user] = cliSignInAndSync(m_sandbox, user, m_sandbox.dynamoDbProfileFile(), {}, &problem);
        QVERIFY2(!m_ids[user].isEmpty(), qPrintable(problem));
    }
    QVERIFY(m_ids[0] != m_ids[1]);
}

CliRun TestCliSupportDynamoDb::cli(const QStringList &args, const QProcessEnvironment &environment)
{
    return runCli(QStringList{QStringLiteral("--profile-file"), m_sandbox.dynamoDbProfileFile()} + args,
                  environment, 120000);
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
        QCOMPARE(firstFound(byId)
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
    const QJsonObject found = firstFound(byEmail);
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

QJsonObject TestCliSupportDynamoDb::lastAuditEntry()
{
    const CliRun audit = support({QStringLiteral("audit"), QStringLiteral("--json")});
    if (audit.exitCode != 0)
        return {};
    return json(audit).value(QStringLiteral("entries")).toArray().last().toObject();
}

QStringList TestCliSupportDynamoDb::cognitoSyncOperations(const QStringList &operations)
{
    QStringList found;
    for (const QString &operation :
         {QStringLiteral("ListDatasets"), QStringLiteral("ListRecords"), QStringLiteral("UpdateRecords"),
          QStringLiteral("DescribeDataset"), QStringLiteral("DescribeIdentityUsage")}) {
        if (operations.contains(operation))
            found << operation;
    }
    return found;
}

void TestCliSupportDynamoDb::supportReadsTheUsersDataFromTheTable()
{
    // Bob's own data, written by his app (fedsync-cli sync) to his DynamoDB partition only.
    const QProcessEnvironment user = QProcessEnvironment::systemEnvironment();
    QCOMPARE(cli({QStringLiteral("put"), QStringLiteral("profile"), QStringLiteral("color"),
                  QStringLiteral("blue")},
                 user)
                 .exitCode,
             0);
    QCOMPARE(
        cli({QStringLiteral("put"), QStringLiteral("profile"), QStringLiteral("size"), QStringLiteral("L")},
            user)
            .exitCode,
        0);
    const CliRun sync = cli({QStringLiteral("sync")}, user);
    QVERIFY2(sync.exitCode == 0, qPrintable(sync.err));

    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    const CliRun datasets = support({QStringLiteral("datasets"), m_ids[1], QStringLiteral("--json")});
    QVERIFY2(datasets.exitCode == 0, qPrintable(datasets.err));
    const QJsonObject listed = json(datasets);
    QJsonObject profile;
    QStringList names;
    for (const QJsonValue &value : listed.value(QStringLiteral("datasets")).toArray()) {
        names << value.toObject().value(QStringLiteral("dataset_name")).toString();
        if (names.last() == QLatin1String("profile"))
            profile = value.toObject();
    }
    QVERIFY2(names.contains(QStringLiteral("notes")) && names.contains(QStringLiteral("fedsync.identity")),
             qPrintable(names.join(u' ')));
    QCOMPARE(profile.value(QStringLiteral("num_records")).toInt(), 2);
    QVERIFY(profile.value(QStringLiteral("data_storage")).toInt() >=
            int(strlen("colorblue") + strlen("sizeL")));
    QVERIFY(profile.value(QStringLiteral("last_modified_date")).toString().startsWith(QLatin1String("20")));
    // Usage on DynamoDB: computed from the table (there is no DescribeIdentityUsage), records included.
    const QJsonObject usage = listed.value(QStringLiteral("identity_usage")).toObject();
    QCOMPARE(usage.value(QStringLiteral("source")).toString(), QStringLiteral("dynamodb"));
    QCOMPARE(usage.value(QStringLiteral("dataset_count")).toInt(), int(names.size()));
    QVERIFY(usage.value(QStringLiteral("record_count")).toInt() >= 2 + 1);
    QCOMPARE(
        listed.value(QStringLiteral("identity")).toObject().value(QStringLiteral("identity_id")).toString(),
        m_ids[1]);
    const CliRun table = support({QStringLiteral("datasets"), m_ids[1]});
    QVERIFY2(table.exitCode == 0, qPrintable(table.err));
    QVERIFY2(table.out.contains(QLatin1String("records (in the DynamoDB table ") +
                                m_sandbox.ready().value(QStringLiteral("dynamodb_table")).toString()),
             qPrintable(table.out));

    const CliRun records = support({QStringLiteral("records"), m_ids[1], QStringLiteral("profile"),
                                    QStringLiteral("--json"), QStringLiteral("--reveal")});
    QVERIFY2(records.exitCode == 0, qPrintable(records.err));
    const QJsonArray sets = json(records).value(QStringLiteral("datasets")).toArray();
    QMap<QString, QString> values;
    for (const QJsonValue &record : sets.first().toObject().value(QStringLiteral("records")).toArray())
        values.insert(record.toObject().value(QStringLiteral("key")).toString(),
                      record.toObject().value(QStringLiteral("value")).toString());
    QCOMPARE(values.value(QStringLiteral("color")), QStringLiteral("blue"));
    QCOMPARE(values.value(QStringLiteral("size")), QStringLiteral("L"));
    // Masked unless asked.
    const CliRun masked = support({QStringLiteral("records"), m_ids[1], QStringLiteral("profile")});
    QVERIFY2(masked.exitCode == 0 && masked.out.contains(QLatin1String("color")), qPrintable(masked.err));
    QVERIFY2(!masked.out.contains(QLatin1String("blue")), qPrintable(masked.out));

    // All of it from the table; Cognito Sync was never asked.
    const QStringList operations = m_sandbox.operationsSince(since);
    QVERIFY2(cognitoSyncOperations(operations).isEmpty(), qPrintable(operations.join(u' ')));
    QVERIFY2(operations.contains(QStringLiteral("Query")), qPrintable(operations.join(u' ')));
}

void TestCliSupportDynamoDb::supportPutIsAuditedAndSeenByTheUsersNextSync()
{
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    const CliRun unconfirmed = support({QStringLiteral("put"), m_ids[1], QStringLiteral("profile"),
                                        QStringLiteral("color"), QStringLiteral("green")});
    QCOMPARE(unconfirmed.exitCode, 2);
    QVERIFY2(unconfirmed.err.contains(QLatin1String("needs --confirm")), qPrintable(unconfirmed.err));
    QCOMPARE(m_sandbox.operationsSince(since), QStringList());

    const CliRun put =
        support({QStringLiteral("put"), m_ids[1], QStringLiteral("profile"), QStringLiteral("color"),
                 QStringLiteral("green"), QStringLiteral("--confirm")});
    QVERIFY2(put.exitCode == 0, qPrintable(put.err));
    QVERIFY2(put.out.contains(QLatin1String("Written to profile of ") + m_ids[1] +
                              QLatin1String(": color (audited)")),
             qPrintable(put.out));
    const QStringList operations = m_sandbox.operationsSince(since);
    QVERIFY2(operations.contains(QStringLiteral("TransactWriteItems")), qPrintable(operations.join(u' ')));
    QVERIFY2(cognitoSyncOperations(operations).isEmpty(), qPrintable(operations.join(u' ')));

    const QJsonObject entry = lastAuditEntry();
    QCOMPARE(entry.value(QStringLiteral("identity_id")).toString(), m_ids[1]);
    QCOMPARE(entry.value(QStringLiteral("dataset_name")).toString(), QStringLiteral("profile"));
    QCOMPARE(entry.value(QStringLiteral("key")).toString(), QStringLiteral("color"));
    QCOMPARE(entry.value(QStringLiteral("op")).toString(), QStringLiteral("replace"));
    QCOMPARE(entry.value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));
    QVERIFY(!entry.value(QStringLiteral("who")).toString().isEmpty());
    QVERIFY2(!QJsonDocument(entry).toJson().contains("green"), "the audit log never holds the value");

    // The user's next sync brings the support write; the other record is untouched.
    const QProcessEnvironment user = QProcessEnvironment::systemEnvironment();
    const CliRun sync = cli({QStringLiteral("sync")}, user);
    QVERIFY2(sync.exitCode == 0, qPrintable(sync.err));
    const CliRun color =
        cli({QStringLiteral("get"), QStringLiteral("profile"), QStringLiteral("color")}, user);
    QVERIFY2(color.exitCode == 0, qPrintable(color.err));
    QCOMPARE(color.out.trimmed(), QStringLiteral("green"));
    const CliRun size = cli({QStringLiteral("get"), QStringLiteral("profile"), QStringLiteral("size")}, user);
    QCOMPARE(size.out.trimmed(), QStringLiteral("L"));
}

void TestCliSupportDynamoDb::supportPutDeniedIsExplainedAndAudited()
{
    // A read-only staff policy: reads work, the write is refused by AWS, explained and audited.
    const QJsonObject key = m_sandbox.adminPost(
        QStringLiteral("admin/staff-keys"),
        {{QStringLiteral("name"), QStringLiteral("support-readonly")},
         {QStringLiteral("deny"),
          QJsonArray{QStringLiteral("dynamodb:PutItem"), QStringLiteral("dynamodb:UpdateItem"),
                     QStringLiteral("dynamodb:DeleteItem"), QStringLiteral("dynamodb:ConditionCheckItem")}}});
    const QProcessEnvironment staff =
        staffEnvironment(key.value(QStringLiteral("access_key_id")).toString(),
                         key.value(QStringLiteral("secret_access_key")).toString());
    const CliRun records = cli(
        {QStringLiteral("support"), QStringLiteral("records"), m_ids[1], QStringLiteral("profile")}, staff);
    QVERIFY2(records.exitCode == 0, qPrintable(records.err));
    const CliRun put =
        cli({QStringLiteral("support"), QStringLiteral("put"), m_ids[1], QStringLiteral("profile"),
             QStringLiteral("color"), QStringLiteral("red"), QStringLiteral("--confirm")},
            staff);
    QCOMPARE(put.exitCode, 1);
    // A transaction's rights are its items' (AWS checks PutItem, UpdateItem, ... one by one).
    static const QRegularExpression refused(QStringLiteral(
        "Your AWS credentials may not do this \\(dynamodb:(Put|Update|Delete|ConditionCheck)Item\\)"));
    QVERIFY2(refused.match(put.err).hasMatch(), qPrintable(put.err));
    QVERIFY2(put.err.contains(QLatin1String("Ask your AWS administrator to allow dynamodb:")),
             qPrintable(put.err));
    QVERIFY2(put.err.contains(QLatin1String("user/support-readonly")), qPrintable(put.err));
    QVERIFY2(!put.err.contains(QLatin1String("authenticated role")),
             qPrintable(put.err)); // not the users' advice
    const QJsonObject entry = lastAuditEntry();
    QCOMPARE(entry.value(QStringLiteral("key")).toString(), QStringLiteral("color"));
    QCOMPARE(entry.value(QStringLiteral("outcome")).toString(), QStringLiteral("support.access_denied"));
    // Nothing changed for the user.
    const QProcessEnvironment user = QProcessEnvironment::systemEnvironment();
    QCOMPARE(cli({QStringLiteral("sync")}, user).exitCode, 0);
    QCOMPARE(
        cli({QStringLiteral("get"), QStringLiteral("profile"), QStringLiteral("color")}, user).out.trimmed(),
        QStringLiteral("green"));
}

FEDSYNC_TEST_MAIN(TestCliSupportDynamoDb)
#include "tst_cli_support_dynamodb.moc"

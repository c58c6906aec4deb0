// ProfileChecks and SetupCommands: the findings that need only the profile, and the AWS commands.
#include "inspect/profilechecks.h"
#include "inspect/setupcommands.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace fedsync;

class TestProfileChecks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void goodProfilePasses();
    void findings_data();
    void findings();
    void commandsForTheProfile();

private:
    static Profile good();
};

Profile TestProfileChecks::good()
{
    Profile p;
    p.name = QStringLiteral("Work");
    p.auth0.domain = QStringLiteral("tenant.eu.auth0.com");
    p.auth0.clientId = QStringLiteral("abc123");
    p.cognito.region = QStringLiteral("eu-west-1");
    p.cognito.identityPoolId = QStringLiteral("eu-west-1:0a1b2c3d-0000-4000-8000-123456789abc");
    p.cognito.accountId = QStringLiteral("123456789012");
    p.cognito.flow = CognitoSettings::Flow::Basic;
    p.cognito.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/fedsync-auth");
    return p;
}

void TestProfileChecks::goodProfilePasses()
{
    const QList<DoctorFinding> findings = ProfileChecks::run(good());
    QCOMPARE(findings.size(), 4);
    for (const DoctorFinding &f : findings)
        QVERIFY2(f.status == DoctorFinding::Status::Pass, qPrintable(f.id + u' ' + f.message));
}

void TestProfileChecks::findings_data()
{
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("fixPhrase");
    QTest::newRow("provider name without trailing slash")
        << QStringLiteral("slash") << QStringLiteral("provider_name")
        << QStringLiteral("\"tenant.eu.auth0.com/\"");
    QTest::newRow("provider name with https") << QStringLiteral("https") << QStringLiteral("provider_name")
                                              << QStringLiteral("\"tenant.eu.auth0.com/\"");
    QTest::newRow("pool in another region") << QStringLiteral("region") << QStringLiteral("pool_region")
                                            << QStringLiteral("cognito.region to \"us-east-1\"");
    QTest::newRow("malformed pool id")
        << QStringLiteral("poolid") << QStringLiteral("pool_id") << QStringLiteral("cognito.identity_pool_id");
    QTest::newRow("malformed role ARN") << QStringLiteral("role") << QStringLiteral("role_arn")
                                        << QStringLiteral("arn:aws:iam::<12-digit account>:role/");
    QTest::newRow("basic flow without role")
        << QStringLiteral("norole") << QStringLiteral("role_arn") << QStringLiteral("cognito.role_arn");
}

void TestProfileChecks::findings()
{
    QFETCH(QString, variant);
    QFETCH(QString, id);
    QFETCH(QString, fixPhrase);
    Profile p = good();
    if (variant == QStringLiteral("slash"))
        p.cognito.providerName = QStringLiteral("tenant.eu.auth0.com");
    else if (variant == QStringLiteral("https"))
        p.cognito.providerName = QStringLiteral("https://tenant.eu.auth0.com/");
    else if (variant == QStringLiteral("region"))
        p.cognito.identityPoolId = QStringLiteral("us-east-1:0a1b2c3d-0000-4000-8000-123456789abc");
    else if (variant == QStringLiteral("poolid"))
        p.cognito.identityPoolId = QStringLiteral("0a1b2c3d-0000-4000-8000-123456789abc");
    else if (variant == QStringLiteral("role"))
        p.cognito.roleArn = QStringLiteral("arn:aws:iam:123456789012:fedsync-auth");
    else if (variant == QStringLiteral("norole"))
        p.cognito.roleArn.clear();
    int failures = 0;
    for (const DoctorFinding &f : ProfileChecks::run(p)) {
        if (f.status != DoctorFinding::Status::Fail)
            continue;
        ++failures;
        if (f.id == id)
            QVERIFY2(f.fix.contains(fixPhrase), qPrintable(f.fix));
    }
    QVERIFY(failures >= 1);
    bool found = false;
    for (const DoctorFinding &f : ProfileChecks::run(p))
        found = found || (f.id == id && f.status == DoctorFinding::Status::Fail);
    QVERIFY(found);
}

void TestProfileChecks::commandsForTheProfile()
{
    const QList<SetupCommand> commands =
        SetupCommands::forProfile(good(), QStringLiteral("9e99a48a9960b14926bb7f3b02e22da2b0ab7280"));
    QCOMPARE(commands.size(), 4);
    QCOMPARE(commands.at(0).command,
             QStringLiteral(
                 "aws iam create-open-id-connect-provider --url 'https://tenant.eu.auth0.com/' "
                 "--client-id-list 'abc123' --thumbprint-list 9e99a48a9960b14926bb7f3b02e22da2b0ab7280"));
    QCOMPARE(commands.at(1).command,
             QStringLiteral(
                 "aws cognito-identity create-identity-pool --region eu-west-1 --identity-pool-name fedsync "
                 "--no-allow-unauthenticated-identities --allow-classic-flow --open-id-connect-provider-arns "
                 "'arn:aws:iam::123456789012:oidc-provider/tenant.eu.auth0.com/'"));
    QVERIFY(
        commands.at(2).command.startsWith(QStringLiteral("aws iam create-role --role-name 'fedsync-auth' ")));
    const QJsonObject policy =
        QJsonDocument::fromJson(SetupCommands::trustPolicy(good().cognito.identityPoolId)).object();
    const QJsonObject statement = policy.value(QStringLiteral("Statement")).toArray().first().toObject();
    QCOMPARE(statement.value(QStringLiteral("Action")).toString(),
             QStringLiteral("sts:AssumeRoleWithWebIdentity"));
    QCOMPARE(
        statement.value(QStringLiteral("Principal")).toObject().value(QStringLiteral("Federated")).toString(),
        QStringLiteral("cognito-identity.amazonaws.com"));
    QCOMPARE(statement.value(QStringLiteral("Condition"))
                 .toObject()
                 .value(QStringLiteral("StringEquals"))
                 .toObject()
                 .value(QStringLiteral("cognito-identity.amazonaws.com:aud"))
                 .toString(),
             good().cognito.identityPoolId);
    QVERIFY(commands.at(3).command.contains(
        QStringLiteral("authenticated='arn:aws:iam::123456789012:role/fedsync-auth'")));
}

FEDSYNC_TEST_MAIN(TestProfileChecks)
#include "tst_profilechecks.moc"

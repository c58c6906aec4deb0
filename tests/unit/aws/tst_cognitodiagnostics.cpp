// CognitoDiagnostics: each error users actually hit becomes a UserError that names the setting to fix.
#include "aws/cognitodiagnostics.h"
#include "testmain.h"

using namespace fedsync;
using namespace fedsync::aws;

namespace {
CognitoDiagnosticContext baseContext()
{
    CognitoDiagnosticContext c;
    c.operation = QStringLiteral("GetId");
    c.region = QStringLiteral("eu-west-1");
    c.identityPoolId = QStringLiteral("eu-west-1:11111111-2222-3333-4444-555555555555");
    c.providerName = QStringLiteral("tenant.eu.auth0.com/");
    c.tokenIssuer = QStringLiteral("https://tenant.eu.auth0.com/");
    c.clientId = QStringLiteral("AbCdEfClientId");
    c.tokenAlgorithm = QStringLiteral("RS256");
    c.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/FedsyncAuth");
    return c;
}

AwsFailure serviceFailure(const QString &type, const QString &message, int status = 400, int attempts = 1)
{
    AwsFailure failure;
    failure.aws.type = type;
    failure.aws.message = message;
    failure.aws.httpStatus = status;
    failure.aws.requestId = QStringLiteral("req-1");
    failure.attempts = attempts;
    failure.error = UserError::make(QStringLiteral("aws.") + type, QStringLiteral("generic"));
    return failure;
}
} // namespace

class TestCognitoDiagnostics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void diagnose_data();
    void diagnose();
    void noFailureNoError();
};

void TestCognitoDiagnostics::diagnose_data()
{
    QTest::addColumn<AwsFailure>("failure");
    QTest::addColumn<QString>("tweak"); // "field=value" applied to the base context
    QTest::addColumn<QString>("code");
    QTest::addColumn<QStringList>("mentions"); // substrings of text()

    const QString nae = QStringLiteral("NotAuthorizedException");
    QTest::newRow("hs256") << serviceFailure(nae, QStringLiteral("Invalid login token."))
                           << QStringLiteral("alg=HS256") << QStringLiteral("aws.token.hs256")
                           << QStringList{QStringLiteral("RS256"),
                                          QStringLiteral("Advanced Settings > OAuth")};
    QTest::newRow("hs256 wins over expiry")
        << serviceFailure(nae, QStringLiteral("Invalid login token. Token expired"))
        << QStringLiteral("alg=HS256") << QStringLiteral("aws.token.hs256")
        << QStringList{QStringLiteral("HS256")};
    QTest::newRow("issuer")
        << serviceFailure(nae, QStringLiteral("Invalid login token. Issuer doesn't match providerName"))
        << QStringLiteral("provider=tenant.eu.auth0.com") << QStringLiteral("aws.token.issuer")
        << QStringList{QStringLiteral("https://tenant.eu.auth0.com/"),
                       QStringLiteral("\"tenant.eu.auth0.com\""), QStringLiteral("trailing slash")};
    QTest::newRow("unsupported provider")
        << serviceFailure(nae,
                          QStringLiteral("Token is not from a supported provider of this identity pool."))
        << QString() << QStringLiteral("aws.token.provider")
        << QStringList{QStringLiteral("AbCdEfClientId"), QStringLiteral("audience"),
                       QStringLiteral("tenant.eu.auth0.com/"), QStringLiteral("eu-west-1:11111111")};
    QTest::newRow("expired")
        << serviceFailure(nae, QStringLiteral("Invalid login token. Token expired: 1700000000 >= 1699990000"))
        << QString() << QStringLiteral("aws.token.expired") << QStringList{QStringLiteral("Sign in again")};
    QTest::newRow("access token sent")
        << serviceFailure(nae, QStringLiteral("Invalid login token. Missing a required claim: aud"))
        << QString() << QStringLiteral("aws.token.aud")
        << QStringList{QStringLiteral("access token"), QStringLiteral("ID token")};
    QTest::newRow("cannot verify")
        << serviceFailure(nae, QStringLiteral("Invalid login token. Couldn't verify signed token."))
        << QString() << QStringLiteral("aws.token.invalid")
        << QStringList{QStringLiteral("https://tenant.eu.auth0.com/")};
    QTest::newRow("other not authorized")
        << serviceFailure(nae, QStringLiteral("Something else")) << QString()
        << QStringLiteral("aws.NotAuthorizedException") << QStringList{QStringLiteral("Something else")};
    QTest::newRow("pool not found")
        << serviceFailure(
               QStringLiteral("ResourceNotFoundException"),
               QStringLiteral("IdentityPool 'eu-west-1:11111111-2222-3333-4444-555555555555' not found."))
        << QString() << QStringLiteral("aws.pool.notfound")
        << QStringList{QStringLiteral("identity pool id"), QStringLiteral("eu-west-1")};
    QTest::newRow("pool in another region")
        << serviceFailure(QStringLiteral("ResourceNotFoundException"),
                          QStringLiteral("IdentityPool 'us-east-2:x' not found."))
        << QStringLiteral("pool=us-east-2:99999999-2222-3333-4444-555555555555")
        << QStringLiteral("aws.pool.region")
        << QStringList{QStringLiteral("us-east-2"), QStringLiteral("eu-west-1"),
                       QStringLiteral("Set the profile's region to us-east-2")};
    QTest::newRow("identity gone") << serviceFailure(QStringLiteral("ResourceNotFoundException"),
                                                     QStringLiteral("Identity 'eu-west-1:abc' not found."))
                                   << QStringLiteral("op=GetCredentialsForIdentity")
                                   << QStringLiteral("aws.identity.notfound")
                                   << QStringList{QStringLiteral("Sign in again")};
    QTest::newRow("pool roles")
        << serviceFailure(
               QStringLiteral("InvalidIdentityPoolConfigurationException"),
               QStringLiteral("Invalid identity pool configuration. Check assigned IAM roles for this pool."))
        << QStringLiteral("op=GetCredentialsForIdentity") << QStringLiteral("aws.pool.roles")
        << QStringList{QStringLiteral("cognito-identity.amazonaws.com"), QStringLiteral("authenticated"),
                       QStringLiteral("eu-west-1:11111111-2222-3333-4444-555555555555")};
    QTest::newRow("sts access denied")
        << serviceFailure(QStringLiteral("AccessDenied"),
                          QStringLiteral("Not authorized to perform sts:AssumeRoleWithWebIdentity"), 403)
        << QStringLiteral("op=AssumeRoleWithWebIdentity") << QStringLiteral("aws.role.trust")
        << QStringList{QStringLiteral("arn:aws:iam::123456789012:role/FedsyncAuth"),
                       QStringLiteral("trust policy"), QStringLiteral("cognito-identity.amazonaws.com:aud"),
                       QStringLiteral("cognito-identity.amazonaws.com:amr")};
    QTest::newRow("sts without role")
        << serviceFailure(QStringLiteral("ValidationError"),
                          QStringLiteral("1 validation error detected: Value null at 'roleArn'"))
        << QStringLiteral("op=AssumeRoleWithWebIdentity;role=") << QStringLiteral("aws.role.missing")
        << QStringList{QStringLiteral("role ARN")};
    QTest::newRow("sts invalid token")
        << serviceFailure(QStringLiteral("InvalidIdentityToken"), QStringLiteral("Incorrect token audience"))
        << QStringLiteral("op=AssumeRoleWithWebIdentity") << QStringLiteral("aws.sts.token")
        << QStringList{QStringLiteral("Incorrect token audience"), QStringLiteral("trust policy")};
    QTest::newRow("sts malformed role")
        << serviceFailure(QStringLiteral("ValidationError"), QStringLiteral("Request ARN is invalid"))
        << QStringLiteral("op=AssumeRoleWithWebIdentity;role=arn:bogus") << QStringLiteral("aws.parameter")
        << QStringList{QStringLiteral("arn:bogus")};
    QTest::newRow("invalid parameter")
        << serviceFailure(QStringLiteral("InvalidParameterException"),
                          QStringLiteral("1 validation error detected: Value 'x' at 'identityPoolId' failed"))
        << QString() << QStringLiteral("aws.parameter")
        << QStringList{QStringLiteral("identity pool id"), QStringLiteral("identityPoolId")};
    QTest::newRow("throttled") << serviceFailure(QStringLiteral("TooManyRequestsException"),
                                                 QStringLiteral("Rate exceeded"), 400, 3)
                               << QString() << QStringLiteral("aws.throttled")
                               << QStringList{QStringLiteral("on all 3 attempts")};
    QTest::newRow("provider unreachable") << serviceFailure(QStringLiteral("ExternalServiceException"),
                                                            QStringLiteral("Couldn't reach provider"))
                                          << QString() << QStringLiteral("aws.provider.unreachable")
                                          << QStringList{QStringLiteral("jwks.json")};
    QTest::newRow("server error") << serviceFailure(QStringLiteral("InternalErrorException"), QString(), 500,
                                                    3)
                                  << QString() << QStringLiteral("aws.service")
                                  << QStringList{QStringLiteral("Try again later")};

    AwsFailure refused;
    refused.error =
        UserError::make(QStringLiteral("net.refused"), QStringLiteral("Could not reach x"),
                        QStringLiteral("The connection was refused"), QStringLiteral("Check the address"));
    QTest::newRow("transport") << refused << QString() << QStringLiteral("net.refused")
                               << QStringList{QStringLiteral("refused")};
    AwsFailure dns;
    dns.error = UserError::make(QStringLiteral("net.dns"), QStringLiteral("Could not reach x"));
    QTest::newRow("dns names the region")
        << dns << QString() << QStringLiteral("net.dns") << QStringList{QStringLiteral("region (eu-west-1)")};
}

void TestCognitoDiagnostics::diagnose()
{
    QFETCH(AwsFailure, failure);
    QFETCH(QString, tweak);
    QFETCH(QString, code);
    QFETCH(QStringList, mentions);
    CognitoDiagnosticContext c = baseContext();
    const QStringList tweaks = tweak.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &t : tweaks) {
        const QString key = t.section(QLatin1Char('='), 0, 0);
        const QString value = t.section(QLatin1Char('='), 1);
        if (key == QLatin1String("alg"))
            c.tokenAlgorithm = value;
        else if (key == QLatin1String("provider"))
            c.providerName = value;
        else if (key == QLatin1String("pool"))
            c.identityPoolId = value;
        else if (key == QLatin1String("op"))
            c.operation = value;
        else if (key == QLatin1String("role"))
            c.roleArn = value;
        else
            QFAIL("unknown tweak");
    }
    const UserError error = CognitoDiagnostics::diagnose(failure, c);
    QCOMPARE(error.code, code);
    QVERIFY(!error.what.isEmpty());
    QVERIFY2(!error.action.isEmpty(), qPrintable(error.text()));
    const QString text = error.text();
    for (const QString &mention : mentions)
        QVERIFY2(text.contains(mention), qPrintable(QStringLiteral("'%1' not in: %2").arg(mention, text)));
    if (failure.aws.isError())
        QVERIFY(error.details.contains(QLatin1String("req-1")));
}

void TestCognitoDiagnostics::noFailureNoError()
{
    QVERIFY(!CognitoDiagnostics::diagnose({}, baseContext()).isError());
}

FEDSYNC_TEST_MAIN(TestCognitoDiagnostics)
#include "tst_cognitodiagnostics.moc"

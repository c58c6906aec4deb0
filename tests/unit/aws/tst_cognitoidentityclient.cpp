// CognitoIdentityClient: request shapes (target header, JSON 1.1 body, Logins keyed by provider name) and
// reply parsing (epoch-second expirations, incomplete replies, service errors).
#include "aws/awsclient.h"
#include "aws/cognitoidentityclient.h"
#include "fakenetwork.h"
#include "net/networkcontext.h"
#include "testmain.h"
#include "trace/flowtrace.h"

#include <QJsonDocument>
#include <QSignalSpy>

using namespace fedsync;
using namespace fedsync::aws;
using namespace fedsync::test;

namespace {
const QByteArray idToken =
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3RlbmFudC5hdXRoMC5jb20vIn0.c2lnbmF0dXJlc2lnbmF0dXJl";
const QString provider = QStringLiteral("tenant.auth0.com/");

struct Fixture
{
    Fixture()
        : context(&nam, &trace)
        , aws(context, QStringLiteral("us-east-1"))
        , client(&aws)
    {
        aws.setRetryDelay([](int) { return 0; });
    }
    QJsonObject sentJson(int i = 0) const
    {
        return QJsonDocument::fromJson(nam.requests().at(i).body).object();
    }
    FakeNetworkAccessManager nam;
    FlowTrace trace;
    NetworkContext context;
    AwsClient aws;
    CognitoIdentityClient client;
};
} // namespace

class TestCognitoIdentityClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void providerName_data();
    void providerName();
    void getId();
    void getIdError();
    void getCredentialsForIdentity();
    void getCredentialsIncompleteReply();
    void getCredentialsOutOfRangeExpiration_data();
    void getCredentialsOutOfRangeExpiration();
    void getOpenIdToken();
    void abortGivesCancellation();
};

void TestCognitoIdentityClient::providerName_data()
{
    QTest::addColumn<QString>("issuer");
    QTest::addColumn<QString>("name");
    QTest::newRow("auth0") << QStringLiteral("https://tenant.auth0.com/")
                           << QStringLiteral("tenant.auth0.com/");
    QTest::newRow("no slash") << QStringLiteral("https://login.example.com")
                              << QStringLiteral("login.example.com");
    QTest::newRow("path") << QStringLiteral("https://127.0.0.1:8443/oidc/")
                          << QStringLiteral("127.0.0.1:8443/oidc/");
    QTest::newRow("already a name") << QStringLiteral("tenant.auth0.com/")
                                    << QStringLiteral("tenant.auth0.com/");
}

void TestCognitoIdentityClient::providerName()
{
    QFETCH(QString, issuer);
    QTEST(CognitoIdentityClient::providerNameFromIssuer(issuer), "name");
}

void TestCognitoIdentityClient::getId()
{
    Fixture f;
    f.nam.enqueue(FakeResponse::json(200, R"({"IdentityId":"us-east-1:1111-2222"})"));
    QString identityId;
    AwsFailure failure;
    int calls = 0;
    f.client.getId(QStringLiteral("us-east-1:pool"), {{provider, idToken}},
                   [&](const QString &id, const AwsFailure &fail) {
                       ++calls;
                       identityId = id;
                       failure = fail;
                   });
    QTRY_COMPARE(calls, 1);
    QVERIFY(!failure.isError());
    QCOMPARE(identityId, QStringLiteral("us-east-1:1111-2222"));
    const RecordedRequest &sent = f.nam.requests().first();
    QCOMPARE(sent.request.rawHeader("X-Amz-Target"), QByteArrayLiteral("AWSCognitoIdentityService.GetId"));
    QCOMPARE(sent.request.rawHeader("Content-Type"), QByteArrayLiteral("application/x-amz-json-1.1"));
    QVERIFY(!sent.request.hasRawHeader("Authorization"));
    const QJsonObject body = f.sentJson();
    QCOMPARE(body.value(QStringLiteral("IdentityPoolId")).toString(), QStringLiteral("us-east-1:pool"));
    QCOMPARE(body.value(QStringLiteral("Logins")).toObject().value(provider).toString(),
             QString::fromLatin1(idToken));
    QVERIFY(!body.contains(QStringLiteral("AccountId")));
    // The trace has the call, not the token.
    QCOMPARE(f.trace.events().size(), 1);
    QCOMPARE(f.trace.events().first().operation, QStringLiteral("GetId"));
    QVERIFY(!f.trace.events().first().summary.contains(QString::fromLatin1(idToken)));
    QVERIFY(f.trace.events().first().summary.contains(provider));
}

void TestCognitoIdentityClient::getIdError()
{
    Fixture f;
    f.nam.enqueue(FakeResponse::json(
        400,
        R"({"__type":"NotAuthorizedException","message":"Invalid login token. Issuer doesn't match providerName"})"));
    AwsFailure failure;
    bool called = false;
    f.client.getId(
        QStringLiteral("us-east-1:pool"), {{provider, idToken}},
        [&](const QString &, const AwsFailure &fail) {
            called = true;
            failure = fail;
        },
        QStringLiteral("123456789012"));
    QTRY_VERIFY(called);
    QCOMPARE(f.sentJson().value(QStringLiteral("AccountId")).toString(), QStringLiteral("123456789012"));
    QCOMPARE(failure.aws.type, QStringLiteral("NotAuthorizedException"));
    QVERIFY(failure.aws.message.contains(QLatin1String("providerName")));
}

void TestCognitoIdentityClient::getCredentialsForIdentity()
{
    Fixture f;
    f.nam.enqueue(
        FakeResponse::json(200, R"({"IdentityId":"us-east-1:1111","Credentials":{"AccessKeyId":"ASIAXXXX",)"
                                R"("SecretKey":"sekrit","SessionToken":"tok","Expiration":1704164645}})"));
    AwsCredentials credentials;
    AwsFailure failure;
    bool called = false;
    f.client.getCredentialsForIdentity(QStringLiteral("us-east-1:1111"), {{provider, idToken}},
                                       QStringLiteral("arn:aws:iam::123456789012:role/custom"),
                                       [&](const AwsCredentials &c, const AwsFailure &fail) {
                                           called = true;
                                           credentials = c;
                                           failure = fail;
                                       });
    QTRY_VERIFY(called);
    QVERIFY(!failure.isError());
    QCOMPARE(f.nam.requests().first().request.rawHeader("X-Amz-Target"),
             QByteArrayLiteral("AWSCognitoIdentityService.GetCredentialsForIdentity"));
    const QJsonObject body = f.sentJson();
    QCOMPARE(body.value(QStringLiteral("IdentityId")).toString(), QStringLiteral("us-east-1:1111"));
    QCOMPARE(body.value(QStringLiteral("CustomRoleArn")).toString(),
             QStringLiteral("arn:aws:iam::123456789012:role/custom"));
    QVERIFY(body.value(QStringLiteral("Logins")).toObject().contains(provider));
    QCOMPARE(credentials.accessKeyId, QStringLiteral("ASIAXXXX"));
    QCOMPARE(credentials.secretAccessKey, QByteArrayLiteral("sekrit"));
    QCOMPARE(credentials.sessionToken, QByteArrayLiteral("tok"));
    QCOMPARE(credentials.identityId, QStringLiteral("us-east-1:1111"));
    QCOMPARE(credentials.expiration, QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC));
    QVERIFY(!credentials.isExpiringWithin(300, QDateTime(QDate(2024, 1, 2), QTime(2, 0), Qt::UTC)));
    QVERIFY(credentials.isExpiringWithin(300, QDateTime(QDate(2024, 1, 2), QTime(3, 0), Qt::UTC)));
    QVERIFY(!credentials.summary().contains(QLatin1String("sekrit")));
}

void TestCognitoIdentityClient::getCredentialsIncompleteReply()
{
    Fixture f;
    f.nam.enqueue(
        FakeResponse::json(200, R"({"IdentityId":"us-east-1:1111","Credentials":{"AccessKeyId":"ASIAXXXX",)"
                                R"("SecretKey":"sekrit","Expiration":"tomorrow"}})"));
    AwsFailure failure;
    bool called = false;
    f.client.getCredentialsForIdentity(QStringLiteral("us-east-1:1111"), {{provider, idToken}}, {},
                                       [&](const AwsCredentials &, const AwsFailure &fail) {
                                           called = true;
                                           failure = fail;
                                       });
    QTRY_VERIFY(called);
    QCOMPARE(failure.error.code, QStringLiteral("aws.reply.invalid"));
    QVERIFY(!f.sentJson().contains(QStringLiteral("CustomRoleArn")));
}

void TestCognitoIdentityClient::getCredentialsOutOfRangeExpiration_data()
{
    QTest::addColumn<QByteArray>("expiration");
    QTest::newRow("beyond int64 milliseconds") << QByteArray("1e17");
    QTest::newRow("huge") << QByteArray("1.7976931348623157e308");
    QTest::newRow("year 10000") << QByteArray("253402300800");
    QTest::newRow("negative") << QByteArray("-1e17");
}

// A service (or something posing as one) sending an absurd Expiration: refused as an invalid reply,
// never converted to a 64-bit integer unchecked.
void TestCognitoIdentityClient::getCredentialsOutOfRangeExpiration()
{
    QFETCH(QByteArray, expiration);
    Fixture f;
    f.nam.enqueue(FakeResponse::json(
        200, R"({"IdentityId":"us-east-1:1111","Credentials":{"AccessKeyId":"ASIAXXXX","SecretKey":"sekrit",)"
             R"("SessionToken":"tok","Expiration":)" +
                 expiration + "}}"));
    AwsFailure failure;
    bool called = false;
    f.client.getCredentialsForIdentity(QStringLiteral("us-east-1:1111"), {{provider, idToken}}, {},
                                       [&](const AwsCredentials &, const AwsFailure &fail) {
                                           called = true;
                                           failure = fail;
                                       });
    QTRY_VERIFY(called);
    QCOMPARE(failure.error.code, QStringLiteral("aws.reply.invalid"));
}

void TestCognitoIdentityClient::getOpenIdToken()
{
    Fixture f;
    f.nam.enqueue(FakeResponse::json(
        200, R"({"IdentityId":"us-east-1:1111","Token":"eyJraWQiOiJ1cy1lYXN0LTEtMSJ9.x.y"})"));
    QByteArray token;
    QString identityId;
    bool called = false;
    f.client.getOpenIdToken(QStringLiteral("us-east-1:1111"), {{provider, idToken}},
                            [&](const QString &id, const QByteArray &t, const AwsFailure &fail) {
                                called = true;
                                identityId = id;
                                token = t;
                                QVERIFY(!fail.isError());
                            });
    QTRY_VERIFY(called);
    QCOMPARE(f.nam.requests().first().request.rawHeader("X-Amz-Target"),
             QByteArrayLiteral("AWSCognitoIdentityService.GetOpenIdToken"));
    QCOMPARE(token, QByteArrayLiteral("eyJraWQiOiJ1cy1lYXN0LTEtMSJ9.x.y"));
    QCOMPARE(identityId, QStringLiteral("us-east-1:1111"));
}

void TestCognitoIdentityClient::abortGivesCancellation()
{
    Fixture f;
    f.nam.enqueue(FakeResponse::hang());
    AwsFailure failure;
    int calls = 0;
    QPointer<AwsCall> call =
        f.client.getId(QStringLiteral("p"), {}, [&](const QString &, const AwsFailure &fail) {
            ++calls;
            failure = fail;
        });
    QTRY_COMPARE(f.nam.requests().size(), 1);
    call->abort();
    QCOMPARE(calls, 1);
    QCOMPARE(failure.error.code, QStringLiteral("aws.cancelled"));
    QTRY_VERIFY(call.isNull()); // deleted after its callback
}

FEDSYNC_TEST_MAIN(TestCognitoIdentityClient)
#include "tst_cognitoidentityclient.moc"

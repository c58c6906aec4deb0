// StsClient: AssumeRoleWithWebIdentity's form body and XML reply (ISO-8601 expiration), errors.
#include "aws/awsclient.h"
#include "aws/stsclient.h"
#include "fakenetwork.h"
#include "net/networkcontext.h"
#include "testmain.h"
#include "trace/flowtrace.h"

#include <QSignalSpy>
#include <QUrlQuery>

using namespace fedsync;
using namespace fedsync::aws;
using namespace fedsync::test;

namespace {
QByteArray reply(const QByteArray &expiration)
{
    return "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
           "  <AssumeRoleWithWebIdentityResult>\n"
           "    <SubjectFromWebIdentityToken>us-east-1:1111</SubjectFromWebIdentityToken>\n"
           "    "
           "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>AROA:s</"
           "AssumedRoleId></AssumedRoleUser>\n"
           "    <Credentials>\n"
           "      <SessionToken>FwoGZXIvYXdzEXAMPLE</SessionToken>\n"
           "      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG</SecretAccessKey>\n"
           "      <Expiration>" +
           expiration +
           "</Expiration>\n"
           "      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>\n"
           "    </Credentials>\n"
           "    <Provider>cognito-identity.amazonaws.com</Provider>\n"
           "  </AssumeRoleWithWebIdentityResult>\n"
           "  <ResponseMetadata><RequestId>ad4156e9</RequestId></ResponseMetadata>\n"
           "</AssumeRoleWithWebIdentityResponse>\n";
}
} // namespace

class TestStsClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestShapeAndReply();
    void parse_data();
    void parse();
    void accessDenied();
};

void TestStsClient::requestShapeAndReply()
{
    FakeNetworkAccessManager nam;
    FlowTrace trace;
    NetworkContext context(&nam, &trace);
    AwsClient aws(context, QStringLiteral("eu-central-1"));
    StsClient sts(&aws);
    nam.enqueue(FakeResponse::json(200, reply("2024-01-02T03:04:05Z")));
    AwsCredentials credentials;
    bool called = false;
    sts.assumeRoleWithWebIdentity({QStringLiteral("arn:aws:iam::123456789012:role/Cognito_Auth"),
                                   QStringLiteral("fedsync"), "eyJ.token+/=", 3600},
                                  [&](const AwsCredentials &c, const AwsFailure &failure) {
                                      called = true;
                                      credentials = c;
                                      QVERIFY(!failure.isError());
                                  });
    QTRY_VERIFY(called);
    const RecordedRequest &sent = nam.requests().first();
    QCOMPARE(sent.verb, QByteArrayLiteral("POST"));
    QCOMPARE(sent.request.url().toString(), QStringLiteral("https://sts.eu-central-1.amazonaws.com/"));
    QVERIFY(sent.request.rawHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
    QVERIFY(!sent.request.hasRawHeader("Authorization"));
    const QUrlQuery form(QString::fromLatin1(sent.body));
    QCOMPARE(form.queryItemValue(QStringLiteral("Action")), QStringLiteral("AssumeRoleWithWebIdentity"));
    QCOMPARE(form.queryItemValue(QStringLiteral("Version")), QStringLiteral("2011-06-15"));
    QCOMPARE(form.queryItemValue(QStringLiteral("RoleArn"), QUrl::FullyDecoded),
             QStringLiteral("arn:aws:iam::123456789012:role/Cognito_Auth"));
    QCOMPARE(form.queryItemValue(QStringLiteral("RoleSessionName")), QStringLiteral("fedsync"));
    QCOMPARE(form.queryItemValue(QStringLiteral("WebIdentityToken"), QUrl::FullyDecoded),
             QStringLiteral("eyJ.token+/="));
    QCOMPARE(form.queryItemValue(QStringLiteral("DurationSeconds")), QStringLiteral("3600"));
    QCOMPARE(credentials.accessKeyId, QStringLiteral("ASIAEXAMPLE"));
    QCOMPARE(credentials.secretAccessKey, QByteArrayLiteral("wJalrXUtnFEMI/K7MDENG"));
    QCOMPARE(credentials.sessionToken, QByteArrayLiteral("FwoGZXIvYXdzEXAMPLE"));
    QCOMPARE(credentials.expiration, QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC));
    QCOMPARE(trace.events().size(), 1);
    QCOMPARE(trace.events().first().service, QStringLiteral("sts"));
    QVERIFY(!trace.events().first().summary.contains(QLatin1String("eyJ.token+/=")));
}

void TestStsClient::parse_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QDateTime>("expiration");
    QTest::newRow("Z") << reply("2024-01-02T03:04:05Z") << true
                       << QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC);
    QTest::newRow("millis") << reply("2024-01-02T03:04:05.123Z") << true
                            << QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5, 123), Qt::UTC);
    QTest::newRow("offset") << reply("2024-01-02T05:04:05+02:00") << true
                            << QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC);
    QTest::newRow("bad date") << reply("soon") << false << QDateTime();
    QTest::newRow("truncated") << reply("2024-01-02T03:04:05Z").left(300) << false << QDateTime();
    QTest::newRow("html") << QByteArray("<html><body>hello</body></html>") << false << QDateTime();
    QTest::newRow("empty") << QByteArray() << false << QDateTime();
}

void TestStsClient::parse()
{
    QFETCH(QByteArray, xml);
    QFETCH(bool, valid);
    AwsFailure failure;
    const AwsCredentials credentials = StsClient::parseAssumeRoleWithWebIdentity(xml, failure);
    QCOMPARE(!failure.isError(), valid);
    QCOMPARE(credentials.isValid(), valid);
    if (valid)
        QTEST(credentials.expiration, "expiration");
    else
        QCOMPARE(failure.error.code, QStringLiteral("aws.reply.invalid"));
}

void TestStsClient::accessDenied()
{
    FakeNetworkAccessManager nam;
    NetworkContext context(&nam, nullptr);
    AwsClient aws(context, QStringLiteral("us-east-1"));
    StsClient sts(&aws);
    FakeResponse denied;
    denied.status = 403;
    denied.body = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized "
                  "to perform "
                  "sts:AssumeRoleWithWebIdentity</Message></Error><RequestId>r1</RequestId></ErrorResponse>";
    nam.enqueue(denied);
    AwsFailure failure;
    bool called = false;
    sts.assumeRoleWithWebIdentity({QStringLiteral("arn:aws:iam::1:role/x"), QStringLiteral("s"), "t", 0},
                                  [&](const AwsCredentials &, const AwsFailure &f) {
                                      called = true;
                                      failure = f;
                                  });
    QTRY_VERIFY(called);
    QCOMPARE(nam.requests().size(), 1);
    QVERIFY(!nam.requests().first().body.contains("DurationSeconds"));
    QCOMPARE(failure.aws.type, QStringLiteral("AccessDenied"));
    QCOMPARE(failure.aws.requestId, QStringLiteral("r1"));
}

FEDSYNC_TEST_MAIN(TestStsClient)
#include "tst_stsclient.moc"

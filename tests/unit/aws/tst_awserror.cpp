// AwsError: parsing the three protocols' error replies, odd bodies, and the retry classification.
#include "aws/awserror.h"
#include "testmain.h"

using namespace fedsync::aws;

Q_DECLARE_METATYPE(fedsync::aws::AwsProtocol)

namespace {
// "Name: value" lines separated by '|'.
QList<QNetworkReply::RawHeaderPair> headersFrom(const QString &text)
{
    QList<QNetworkReply::RawHeaderPair> headers;
    const QStringList lines = text.split(QLatin1Char('|'), Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        headers.append({line.left(colon).trimmed().toLatin1(), line.mid(colon + 1).trimmed().toLatin1()});
    }
    return headers;
}
} // namespace

class TestAwsError : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void httpDate();
};

void TestAwsError::parse_data()
{
    QTest::addColumn<AwsProtocol>("protocol");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("message"); // expected substring
    QTest::addColumn<QString>("requestId");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<bool>("throttling");
    QTest::addColumn<bool>("clockSkew");
    QTest::addColumn<bool>("unrecognized");

    const auto J = AwsProtocol::Json11;
    const auto R = AwsProtocol::RestJson;
    const auto Q = AwsProtocol::Query;
    const QString rid = QStringLiteral("x-amzn-RequestId: 1111-2222");

    QTest::newRow("json11 plain")
        << J << 400 << rid
        << QByteArray(
               R"({"__type":"NotAuthorizedException","message":"Invalid login token. Token expired: 1700000000 >= 1699999000"})")
        << QStringLiteral("NotAuthorizedException") << QStringLiteral("Token expired")
        << QStringLiteral("1111-2222") << false << false << false << false;
    QTest::newRow("json11 prefixed type")
        << J << 400 << QString()
        << QByteArray(
               R"({"__type":"com.amazonaws.cognito.identity.model#ResourceNotFoundException","message":"IdentityPool 'us-east-1:x' not found."})")
        << QStringLiteral("ResourceNotFoundException") << QStringLiteral("not found") << QString() << false
        << false << false << false;
    QTest::newRow("json11 capital Message")
        << J << 400 << QString()
        << QByteArray(R"({"__type":"InvalidParameterException","Message":"1 validation error"})")
        << QStringLiteral("InvalidParameterException") << QStringLiteral("validation") << QString() << false
        << false << false << false;
    QTest::newRow("json11 throttling")
        << J << 400 << QString()
        << QByteArray(R"({"__type":"TooManyRequestsException","message":"Rate exceeded"})")
        << QStringLiteral("TooManyRequestsException") << QStringLiteral("Rate") << QString() << true << true
        << false << false;
    QTest::newRow("json11 500") << J << 500 << QString()
                                << QByteArray(R"({"__type":"InternalErrorException","message":"oops"})")
                                << QStringLiteral("InternalErrorException") << QStringLiteral("oops")
                                << QString() << true << false << false << false;
    QTest::newRow("json11 signature expired")
        << J << 400 << QString()
        << QByteArray(
               R"({"__type":"InvalidSignatureException","message":"Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z"})")
        << QStringLiteral("InvalidSignatureException") << QStringLiteral("Signature expired") << QString()
        << false << false << true << false;
    QTest::newRow("restjson header type")
        << R << 404
        << QStringLiteral(
               "x-amzn-ErrorType: "
               "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.cognitosync/|") +
               rid
        << QByteArray(R"({"message":"Dataset not found"})") << QStringLiteral("ResourceNotFoundException")
        << QStringLiteral("Dataset not found") << QStringLiteral("1111-2222") << false << false << false
        << false;
    QTest::newRow("restjson Message and empty body type")
        << R << 409 << QStringLiteral("x-amzn-ErrorType: ResourceConflictException")
        << QByteArray(R"({"Message":"Current SyncCount is 3"})")
        << QStringLiteral("ResourceConflictException") << QStringLiteral("SyncCount") << QString() << false
        << false << false << false;
    QTest::newRow("restjson header only")
        << R << 429 << QStringLiteral("x-amzn-ErrorType: TooManyRequestsException") << QByteArray()
        << QStringLiteral("TooManyRequestsException") << QString() << QString() << true << true << false
        << false;
    QTest::newRow("query xml")
        << Q << 400 << QString()
        << QByteArray(
               "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
               "<Code>InvalidIdentityToken</Code><Message>Couldn't retrieve verification key from your "
               "identity provider</Message>"
               "</Error><RequestId>abcd-ef</RequestId></ErrorResponse>")
        << QStringLiteral("InvalidIdentityToken") << QStringLiteral("verification key")
        << QStringLiteral("abcd-ef") << false << false << false << false;
    QTest::newRow("query xml access denied")
        << Q << 403 << QString()
        << QByteArray("<?xml version=\"1.0\"?>\n<ErrorResponse><Error><Code>AccessDenied</Code><Message>Not "
                      "authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error></ErrorResponse>")
        << QStringLiteral("AccessDenied") << QStringLiteral("sts:AssumeRoleWithWebIdentity") << QString()
        << false << false << false << false;
    QTest::newRow("query xml throttling")
        << Q << 400 << QString()
        << QByteArray("<ErrorResponse><Error><Code>Throttling</Code><Message>Rate "
                      "exceeded</Message></Error></ErrorResponse>")
        << QStringLiteral("Throttling") << QStringLiteral("Rate") << QString() << true << true << false
        << false;
    QTest::newRow("query xml skew")
        << Q << 403 << QString()
        << QByteArray("<ErrorResponse><Error><Code>RequestExpired</Code><Message>Request has "
                      "expired.</Message></Error></ErrorResponse>")
        << QStringLiteral("RequestExpired") << QStringLiteral("expired") << QString() << false << false
        << true << false;
    QTest::newRow("query xml truncated after code")
        << Q << 400 << QString() << QByteArray("<ErrorResponse><Error><Code>ValidationError</Code><Mess")
        << QStringLiteral("ValidationError") << QString() << QString() << false << false << false << false;
    QTest::newRow("html from a proxy")
        << J << 502 << QStringLiteral("Content-Type: text/html")
        << QByteArray(
               "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>")
        << QStringLiteral("UnknownError") << QStringLiteral("502 Bad Gateway") << QString() << true << false
        << false << true;
    QTest::newRow("html 403 in query")
        << Q << 403 << QStringLiteral("Content-Type: text/html")
        << QByteArray("<!DOCTYPE html><html><body>Blocked by corporate proxy</body></html>")
        << QStringLiteral("UnknownError") << QStringLiteral("corporate proxy") << QString() << false << false
        << false << true;
    QTest::newRow("empty body") << J << 400 << QString() << QByteArray() << QStringLiteral("UnknownError")
                                << QStringLiteral("empty body") << QString() << false << false << false
                                << true;
    QTest::newRow("empty 503") << J << 503 << QString() << QByteArray() << QStringLiteral("UnknownError")
                               << QStringLiteral("HTTP 503") << QString() << true << false << false << true;
    QTest::newRow("truncated json") << J << 400 << QString() << QByteArray(R"({"__type":"NotAuthorizedExce)")
                                    << QStringLiteral("UnknownError") << QStringLiteral("not an AWS error")
                                    << QString() << false << false << false << true;
    QTest::newRow("json array") << J << 400 << QString() << QByteArray("[1,2]")
                                << QStringLiteral("UnknownError") << QStringLiteral("[1,2]") << QString()
                                << false << false << false << true;
    QTest::newRow("json without type")
        << J << 400 << QString() << QByteArray(R"({"message":"something"})") << QStringLiteral("UnknownError")
        << QStringLiteral("something") << QString() << false << false << false << true;
    QTest::newRow("bare 429") << R << 429 << QString() << QByteArray("Too Many Requests")
                              << QStringLiteral("UnknownError") << QStringLiteral("Too Many Requests")
                              << QString() << true << true << false << true;
    QTest::newRow("secret in proxy page is scrubbed")
        << J << 400 << QString()
        << QByteArray("token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl")
        << QStringLiteral("UnknownError") << QStringLiteral("HTTP 400") << QString() << false << false
        << false << true;
}

void TestAwsError::parse()
{
    QFETCH(AwsProtocol, protocol);
    QFETCH(int, status);
    QFETCH(QString, headers);
    QFETCH(QByteArray, body);
    const AwsError error = AwsError::parse(protocol, status, headersFrom(headers), body);
    QTEST(error.type, "type");
    QFETCH(QString, message);
    QVERIFY2(error.message.contains(message), qPrintable(error.message));
    QVERIFY(!error.message.contains(QLatin1String("c2lnbmF0dXJlc2lnbmF0dXJl")));
    QTEST(error.requestId, "requestId");
    QCOMPARE(error.httpStatus, status);
    QTEST(error.isRetryable(), "retryable");
    QTEST(error.isThrottling(), "throttling");
    QTEST(error.isClockSkew(), "clockSkew");
    QTEST(error.unrecognizedBody, "unrecognized");
    QVERIFY(error.isError());
    QVERIFY(error.toString().startsWith(error.type));
}

void TestAwsError::httpDate()
{
    const QDateTime date = AwsError::parseHttpDate("Tue, 02 Jan 2024 03:04:05 GMT");
    QCOMPARE(date, QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC));
    QVERIFY(!AwsError::parseHttpDate("yesterday").isValid());
    QVERIFY(!AwsError::parseHttpDate("").isValid());
    const AwsError error = AwsError::parse(
        AwsProtocol::Json11, 400, {{"Date", "Tue, 02 Jan 2024 03:04:05 GMT"}},
        R"({"__type":"InvalidSignatureException","message":"The request signature we calculated does not match"})");
    QCOMPARE(error.serverDate, date);
    QVERIFY(!error.isClockSkew());
    QVERIFY(error.isPossiblyClockSkew());
}

FEDSYNC_TEST_MAIN(TestAwsError)
#include "tst_awserror.moc"

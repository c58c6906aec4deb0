// AwsClient and AwsCall: request shapes of the three protocols, SigV4 on signed calls, the standard retry
// policy (5xx, throttling, transport failures; never other 4xx), clock-skew correction, abort, and one
// trace event per logical call.
#include "aws/awscall.h"
#include "aws/awsclient.h"
#include "aws/awscredentialssource.h"
#include "aws/sigv4signer.h"
#include "common/retryquota.h"
#include "fakenetwork.h"
#include "net/networkcontext.h"
#include "testmain.h"
#include "trace/flowtrace.h"

#include <QJsonDocument>
#include <QSignalSpy>

#include <memory>

using namespace fedsync;
using namespace fedsync::aws;
using namespace fedsync::test;

namespace {

class FixedCredentials final : public AwsCredentialsSource
{
public:
    void requestCredentials(Callback callback) override
    {
        ++requests;
        AwsCredentials credentials;
        credentials.accessKeyId = QStringLiteral("ASIAEXAMPLE");
        credentials.secretAccessKey = "secret";
        credentials.sessionToken = "session-token";
        callback(credentials, {});
    }
    int requests = 0;
};

FakeResponse awsError(int status, const char *type, const char *message, const QByteArray &date = {})
{
    FakeResponse response = FakeResponse::json(
        status, QJsonDocument(QJsonObject{{QStringLiteral("__type"), QLatin1String(type)},
                                          {QStringLiteral("message"), QLatin1String(message)}})
                    .toJson(QJsonDocument::Compact));
    if (!date.isEmpty())
        response.headers.append({QByteArrayLiteral("Date"), date});
    return response;
}

struct Fixture
{
    Fixture()
        : context(&nam, &trace)
        , client(context, QStringLiteral("eu-west-1"))
    {
        client.setRetryDelay([this](int retry) {
            delays << retry;
            return 0;
        });
        client.setCredentialsSource(&credentials);
    }
    // Runs a GetId-like call to completion.
    std::unique_ptr<AwsCall> run(AwsCallOptions options = {})
    {
        std::unique_ptr<AwsCall> call(
            client.callJson11(QStringLiteral("AWSCognitoIdentityService"), QStringLiteral("cognito-identity"),
                              QStringLiteral("GetId"),
                              QJsonObject{{QStringLiteral("IdentityPoolId"), QStringLiteral("p")}}, options));
        QSignalSpy finished(call.get(), &AwsCall::finished);
        if (!finished.wait(5000))
            qWarning("call did not finish");
        if (finished.count() != 1)
            qWarning("finished %d times", int(finished.count()));
        return call;
    }

    FakeNetworkAccessManager nam;
    FlowTrace trace;
    NetworkContext context;
    AwsClient client;
    FixedCredentials credentials;
    QList<int> delays;
};

const QByteArray okBody = R"({"IdentityId":"eu-west-1:abc"})";

} // namespace

class TestAwsClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void json11RequestShapeAndTrace();
    void signedCallCarriesSigV4();
    void restJsonAndQueryShapes();
    void json10PreparedBodyIsSentAndSignedAsTheInput();
    void singleServerErrorIsAbsorbed();
    void persistentServerErrorStopsAfterThreeAttempts();
    void clientErrorIsNotRetried();
    void throttlingIsRetried_data();
    void throttlingIsRetried();
    void transportFailureIsRetried();
    void persistentTransportFailure();
    void retryQuotaBoundsRetriesAcrossCalls();
    void clockSkewIsCorrectedFromDateHeader_data();
    void clockSkewIsCorrectedFromDateHeader();
    void clockSkewCorrectedOnlyOnce();
    void abortWhileInFlight();
    void abortWhileWaitingToRetry();
    void backoffHasFullJitterAndCap();
};

void TestAwsClient::json11RequestShapeAndTrace()
{
    Fixture f;
    f.nam.enqueue(FakeResponse::json(200, okBody));
    const auto call = f.run({false, QStringLiteral("pool p"), 0});
    QVERIFY(call->isOk());
    QCOMPARE(call->json().value(QStringLiteral("IdentityId")).toString(), QStringLiteral("eu-west-1:abc"));
    QCOMPARE(f.nam.requests().size(), 1);
    const RecordedRequest &sent = f.nam.requests().first();
    QCOMPARE(sent.verb, QByteArrayLiteral("POST"));
    QCOMPARE(sent.request.url().toString(),
             QStringLiteral("https://cognito-identity.eu-west-1.amazonaws.com/"));
    QCOMPARE(sent.request.rawHeader("X-Amz-Target"), QByteArrayLiteral("AWSCognitoIdentityService.GetId"));
    QCOMPARE(sent.request.rawHeader("Content-Type"), QByteArrayLiteral("application/x-amz-json-1.1"));
    QVERIFY(!sent.request.hasRawHeader("Authorization"));
    QCOMPARE(QJsonDocument::fromJson(sent.body).object().value(QStringLiteral("IdentityPoolId")).toString(),
             QStringLiteral("p"));
    QCOMPARE(f.credentials.requests, 0);
    QCOMPARE(f.trace.events().size(), 1);
    const TraceEvent &event = f.trace.events().first();
    QCOMPARE(event.service, QStringLiteral("cognito-identity"));
    QCOMPARE(event.operation, QStringLiteral("GetId"));
    QCOMPARE(event.httpStatus, 200);
    QCOMPARE(event.attempts, 1);
    QCOMPARE(event.summary, QStringLiteral("pool p"));
    QVERIFY(event.ok);
}

void TestAwsClient::signedCallCarriesSigV4()
{
    Fixture f;
    f.nam.enqueue(FakeResponse::json(200, okBody));
    f.client.setClock([] { return QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9), Qt::UTC); });
    const auto call = f.run({true, {}, 0});
    QVERIFY(call->isOk());
    QCOMPARE(f.credentials.requests, 1);
    const QNetworkRequest &sent = f.nam.requests().first().request;
    QCOMPARE(sent.rawHeader("X-Amz-Date"), QByteArrayLiteral("20240506T070809Z"));
    QCOMPARE(sent.rawHeader("X-Amz-Security-Token"), QByteArrayLiteral("session-token"));
    const QByteArray authorization = sent.rawHeader("Authorization");
    QVERIFY2(authorization.startsWith(
                 "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20240506/eu-west-1/cognito-identity/"
                 "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;"
                 "x-amz-target, Signature="),
             authorization.constData());
}

// A DynamoDB body made beforehand (off the UI thread) with its SHA-256: the same request, signed the same,
// as the input object made into JSON by the call.
void TestAwsClient::json10PreparedBodyIsSentAndSignedAsTheInput()
{
    Fixture f;
    f.client.setClock([] { return QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9), Qt::UTC); });
    f.nam.enqueue(FakeResponse::json(200, "{}"));
    f.nam.enqueue(FakeResponse::json(200, "{}"));
    const QJsonObject input{
        {QStringLiteral("TableName"), QStringLiteral("fedsync")},
        {QStringLiteral("Key"), QJsonObject{{QStringLiteral("pk"), QStringLiteral("p")}}}};
    const QByteArray body = QJsonDocument(input).toJson(QJsonDocument::Compact);
    const AwsCallOptions options{true, {}, 0};
    std::unique_ptr<AwsCall> fromInput(f.client.callJson10(QStringLiteral("DynamoDB_20120810"),
                                                           QStringLiteral("dynamodb"),
                                                           QStringLiteral("GetItem"), input, options));
    QVERIFY(QSignalSpy(fromInput.get(), &AwsCall::finished).wait());
    std::unique_ptr<AwsCall> prepared(
        f.client.callJson10(QStringLiteral("DynamoDB_20120810"), QStringLiteral("dynamodb"),
                            QStringLiteral("GetItem"), body, SigV4Signer::sha256Hex(body), options));
    QVERIFY(QSignalSpy(prepared.get(), &AwsCall::finished).wait());
    QVERIFY(fromInput->isOk() && prepared->isOk());
    QCOMPARE(f.nam.requests().size(), 2);
    const RecordedRequest &first = f.nam.requests().at(0);
    const RecordedRequest &second = f.nam.requests().at(1);
    QCOMPARE(second.body, body);
    QCOMPARE(first.body, second.body);
    QCOMPARE(second.request.rawHeader("Content-Type"), QByteArrayLiteral("application/x-amz-json-1.0"));
    QCOMPARE(second.request.rawHeader("X-Amz-Target"), QByteArrayLiteral("DynamoDB_20120810.GetItem"));
    QVERIFY(second.request.rawHeader("Authorization").contains("/dynamodb/aws4_request"));
    QCOMPARE(second.request.rawHeader("Authorization"), first.request.rawHeader("Authorization"));

    // A wrong hash is signed as given: the hash handed in is the one used, not computed again.
    f.nam.enqueue(FakeResponse::json(200, "{}"));
    std::unique_ptr<AwsCall> wrong(f.client.callJson10(QStringLiteral("DynamoDB_20120810"),
                                                       QStringLiteral("dynamodb"), QStringLiteral("GetItem"),
                                                       body, SigV4Signer::sha256Hex("other"), options));
    QVERIFY(QSignalSpy(wrong.get(), &AwsCall::finished).wait());
    QVERIFY(f.nam.requests().at(2).request.rawHeader("Authorization") !=
            first.request.rawHeader("Authorization"));
}

void TestAwsClient::restJsonAndQueryShapes()
{
    Fixture f;
    f.client.setEndpoint(QStringLiteral("cognito-sync"), QUrl(QStringLiteral("https://127.0.0.1:9443/")));
    f.nam.enqueue(FakeResponse::json(200, "{}"));
    f.nam.enqueue(FakeResponse::json(200, "<AssumeRoleWithWebIdentityResponse/>"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("maxResults"), QStringLiteral("1024"));
    std::unique_ptr<AwsCall> rest(f.client.callRestJson(
        QStringLiteral("cognito-sync"), QStringLiteral("ListRecords"), "GET",
        "/identitypools/eu-west-1%3Apool/identities/eu-west-1%3Aid/datasets/notes/records", query, {},
        {true, {}, 0}));
    QSignalSpy restDone(rest.get(), &AwsCall::finished);
    QVERIFY(restDone.wait());
    QVERIFY(rest->isOk());
    const QNetworkRequest &sent = f.nam.requests().at(0).request;
    QCOMPARE(f.nam.requests().at(0).verb, QByteArrayLiteral("GET"));
    QCOMPARE(sent.url().toString(QUrl::FullyEncoded),
             QStringLiteral(
                 "https://127.0.0.1:9443/identitypools/eu-west-1%3Apool/identities/eu-west-1%3Aid/datasets/"
                 "notes/records?maxResults=1024"));
    QCOMPARE(sent.rawHeader("Host"), QByteArrayLiteral("127.0.0.1:9443"));
    QVERIFY(sent.rawHeader("Authorization").contains("/cognito-sync/aws4_request"));

    std::unique_ptr<AwsCall> form(f.client.callQuery(
        QStringLiteral("sts"), QStringLiteral("AssumeRoleWithWebIdentity"), QStringLiteral("2011-06-15"),
        {{QStringLiteral("RoleArn"), "arn:aws:iam::123456789012:role/r"},
         {QStringLiteral("Token"), "a+b/c="}}));
    QSignalSpy formDone(form.get(), &AwsCall::finished);
    QVERIFY(formDone.wait());
    QCOMPARE(
        f.nam.requests().at(1).body,
        QByteArrayLiteral("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
                          "123456789012%3Arole%2Fr&Token=a%2Bb%2Fc%3D"));
    QCOMPARE(f.nam.requests().at(1).request.rawHeader("Content-Type"),
             QByteArrayLiteral("application/x-www-form-urlencoded; charset=utf-8"));
    QCOMPARE(f.nam.requests().at(1).request.url().host(), QStringLiteral("sts.eu-west-1.amazonaws.com"));
    QCOMPARE(f.trace.events().size(), 2);
}

void TestAwsClient::singleServerErrorIsAbsorbed()
{
    Fixture f;
    f.nam.enqueue(awsError(500, "InternalErrorException", "try again"));
    f.nam.enqueue(FakeResponse::json(200, okBody));
    const auto call = f.run();
    QVERIFY(call->isOk());
    QCOMPARE(call->attempts(), 2);
    QCOMPARE(f.nam.requests().size(), 2);
    QCOMPARE(f.delays, QList<int>{1});
    QCOMPARE(f.trace.events().size(), 1);
    QCOMPARE(f.trace.events().first().attempts, 2);
    QVERIFY(f.trace.events().first().ok);
}

void TestAwsClient::persistentServerErrorStopsAfterThreeAttempts()
{
    Fixture f;
    f.nam.setHandler(
        [](const RecordedRequest &) { return awsError(500, "InternalErrorException", "broken"); });
    const auto call = f.run();
    QVERIFY(!call->isOk());
    QCOMPARE(f.nam.requests().size(), 3);
    QCOMPARE(call->attempts(), 3);
    QCOMPARE(f.delays, (QList<int>{1, 2}));
    QCOMPARE(call->failure().aws.type, QStringLiteral("InternalErrorException"));
    QCOMPARE(call->failure().error.code, QStringLiteral("aws.InternalErrorException"));
    QCOMPARE(call->failure().attempts, 3);
    QCOMPARE(f.trace.events().size(), 1);
    QCOMPARE(f.trace.events().first().attempts, 3);
    QCOMPARE(f.trace.events().first().httpStatus, 500);
    QCOMPARE(f.trace.events().first().error, QStringLiteral("InternalErrorException"));
    QVERIFY(!f.trace.events().first().ok);
}

void TestAwsClient::clientErrorIsNotRetried()
{
    Fixture f;
    f.nam.setHandler([](const RecordedRequest &) {
        return awsError(400, "NotAuthorizedException", "Invalid login token. Token expired");
    });
    const auto call = f.run();
    QCOMPARE(f.nam.requests().size(), 1);
    QCOMPARE(call->failure().aws.type, QStringLiteral("NotAuthorizedException"));
    QVERIFY(call->failure().error.why.contains(QLatin1String("Token expired")));
    QVERIFY(f.delays.isEmpty());
}

void TestAwsClient::throttlingIsRetried_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("type");
    QTest::newRow("ThrottlingException") << 400 << QByteArray("ThrottlingException");
    QTest::newRow("TooManyRequestsException") << 400 << QByteArray("TooManyRequestsException");
    QTest::newRow("RequestLimitExceeded") << 400 << QByteArray("RequestLimitExceeded");
    QTest::newRow("ProvisionedThroughputExceededException")
        << 400 << QByteArray("ProvisionedThroughputExceededException");
    QTest::newRow("bare 429") << 429 << QByteArray("Whatever");
}

void TestAwsClient::throttlingIsRetried()
{
    QFETCH(int, status);
    QFETCH(QByteArray, type);
    Fixture f;
    f.nam.enqueue(awsError(status, type.constData(), "Rate exceeded"));
    f.nam.enqueue(FakeResponse::json(200, okBody));
    const auto call = f.run();
    QVERIFY(call->isOk());
    QCOMPARE(f.nam.requests().size(), 2);
}

void TestAwsClient::transportFailureIsRetried()
{
    Fixture f;
    f.nam.enqueue(FakeResponse::fail(QNetworkReply::ConnectionRefusedError));
    f.nam.enqueue(FakeResponse::fail(QNetworkReply::RemoteHostClosedError));
    f.nam.enqueue(FakeResponse::json(200, okBody));
    const auto call = f.run();
    QVERIFY(call->isOk());
    QCOMPARE(call->attempts(), 3);
    QCOMPARE(f.trace.events().first().attempts, 3);
}

void TestAwsClient::persistentTransportFailure()
{
    Fixture f;
    f.nam.setHandler(
        [](const RecordedRequest &) { return FakeResponse::fail(QNetworkReply::ConnectionRefusedError); });
    const auto call = f.run();
    QCOMPARE(f.nam.requests().size(), 3);
    QVERIFY(call->failure().isTransport());
    QCOMPARE(call->failure().error.code, QStringLiteral("net.refused"));
    QCOMPARE(f.trace.events().first().error, QStringLiteral("net.refused"));
    QCOMPARE(f.trace.events().first().httpStatus, 0);
}

void TestAwsClient::retryQuotaBoundsRetriesAcrossCalls()
{
    // The SDKs' standard-mode bucket, shared by every call of the client: a throttling service drains
    // it (5 per retry), then calls stop retrying; successes refill it.
    Fixture f;
    f.client.setRetryQuota(std::make_shared<RetryQuota>(20)); // four retries in all
    bool throttle = true;
    f.nam.setHandler([&throttle](const RecordedRequest &) {
        return throttle ? awsError(400, "TooManyRequestsException", "Rate exceeded")
                        : FakeResponse::json(200, okBody);
    });
    auto call = f.run();
    QCOMPARE(call->attempts(), 3);
    QCOMPARE(f.client.retryQuota()->available(), 10);
    call = f.run();
    QCOMPARE(call->attempts(), 3);
    QCOMPARE(f.client.retryQuota()->available(), 0);
    // Used up: the next calls make one attempt each, and fail with the service's throttling error.
    const qsizetype before = f.nam.requests().size();
    for (int i = 0; i < 5; ++i) {
        call = f.run();
        QCOMPARE(call->attempts(), 1);
        QCOMPARE(call->failure().aws.type, QStringLiteral("TooManyRequestsException"));
    }
    QCOMPARE(f.nam.requests().size() - before, 5);
    QCOMPARE(f.client.retryQuota()->refusals(), 5);
    // A success gives a little back (1 without retries), so retries resume once the service answers.
    throttle = false;
    for (int i = 0; i < 5; ++i)
        QVERIFY(f.run()->isOk());
    QCOMPARE(f.client.retryQuota()->available(), 5);

    // A retry that succeeds gives its cost back; a timeout costs more than a refusal.
    RetryQuota quota(100);
    QCOMPARE(quota.acquire(false), RetryQuota::RetryCost);
    QCOMPARE(quota.acquire(true), RetryQuota::TimeoutRetryCost);
    QCOMPARE(quota.available(), 85);
    quota.release(RetryQuota::RetryCost + RetryQuota::TimeoutRetryCost);
    QCOMPARE(quota.available(), 100);
    quota.release(0);
    QCOMPARE(quota.available(), 100); // never above the capacity
}

void TestAwsClient::clockSkewIsCorrectedFromDateHeader_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("signature expired")
        << QByteArray("InvalidSignatureException")
        << QByteArray("Signature expired: 20240101T100000Z is now earlier than ...");
    QTest::newRow("too skewed") << QByteArray("RequestTimeTooSkewed")
                                << QByteArray("The difference is too large");
    QTest::newRow("mismatch with a far-off date")
        << QByteArray("SignatureDoesNotMatch")
        << QByteArray("The request signature we calculated does not match");
}

void TestAwsClient::clockSkewIsCorrectedFromDateHeader()
{
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, message);
    Fixture f;
    f.client.setClock([] { return QDateTime(QDate(2024, 1, 1), QTime(10, 0, 0), Qt::UTC); });
    QSignalSpy offsetChanged(&f.client, &AwsClient::clockOffsetChanged);
    f.nam.enqueue(awsError(400, type.constData(), message.constData(), "Mon, 01 Jan 2024 10:30:00 GMT"));
    f.nam.enqueue(FakeResponse::json(200, okBody));
    const auto call = f.run({true, {}, 0});
    QVERIFY(call->isOk());
    QCOMPARE(f.nam.requests().size(), 2);
    QCOMPARE(f.nam.requests().at(0).request.rawHeader("X-Amz-Date"), QByteArrayLiteral("20240101T100000Z"));
    QCOMPARE(f.nam.requests().at(1).request.rawHeader("X-Amz-Date"), QByteArrayLiteral("20240101T103000Z"));
    QCOMPARE(f.client.clockOffsetMs(), 30 * 60 * 1000);
    QCOMPARE(offsetChanged.count(), 1);
    QVERIFY(f.delays.isEmpty()); // retried at once
    QCOMPARE(f.trace.events().first().attempts, 2);
}

void TestAwsClient::clockSkewCorrectedOnlyOnce()
{
    Fixture f;
    f.client.setClock([] { return QDateTime(QDate(2024, 1, 1), QTime(10, 0, 0), Qt::UTC); });
    f.nam.setHandler([](const RecordedRequest &) {
        return awsError(400, "RequestTimeTooSkewed", "too skewed", "Mon, 01 Jan 2024 11:00:00 GMT");
    });
    const auto call = f.run({true, {}, 0});
    QCOMPARE(f.nam.requests().size(), 2);
    QCOMPARE(call->failure().aws.type, QStringLiteral("RequestTimeTooSkewed"));

    // A signature mismatch with a Date header close to the local clock is not a skew problem.
    Fixture g;
    g.client.setClock([] { return QDateTime(QDate(2024, 1, 1), QTime(10, 0, 0), Qt::UTC); });
    g.nam.setHandler([](const RecordedRequest &) {
        return awsError(403, "SignatureDoesNotMatch", "does not match", "Mon, 01 Jan 2024 10:01:00 GMT");
    });
    const auto other = g.run({true, {}, 0});
    QCOMPARE(g.nam.requests().size(), 1);
    QCOMPARE(g.client.clockOffsetMs(), 0);
}

void TestAwsClient::abortWhileInFlight()
{
    Fixture f;
    f.nam.enqueue(FakeResponse::hang());
    std::unique_ptr<AwsCall> call(f.client.callJson11(QStringLiteral("T"), QStringLiteral("cognito-identity"),
                                                      QStringLiteral("GetId"), {}));
    QSignalSpy finished(call.get(), &AwsCall::finished);
    QTRY_COMPARE(f.nam.requests().size(), 1);
    call->abort();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(call->failure().error.code, QStringLiteral("aws.cancelled"));
    QTest::qWait(50);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(f.nam.requests().size(), 1);
    QCOMPARE(f.trace.events().size(), 1);
}

void TestAwsClient::abortWhileWaitingToRetry()
{
    Fixture f;
    f.client.setRetryDelay([](int) { return 60000; });
    f.nam.setHandler([](const RecordedRequest &) { return awsError(503, "ServiceUnavailable", "later"); });
    std::unique_ptr<AwsCall> call(f.client.callJson11(QStringLiteral("T"), QStringLiteral("cognito-identity"),
                                                      QStringLiteral("GetId"), {}));
    QSignalSpy finished(call.get(), &AwsCall::finished);
    QTRY_COMPARE(f.nam.requests().size(), 1);
    QTest::qWait(20);
    QCOMPARE(finished.count(), 0);
    call->abort();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(call->failure().error.code, QStringLiteral("aws.cancelled"));
    QCOMPARE(f.nam.requests().size(), 1);
}

void TestAwsClient::backoffHasFullJitterAndCap()
{
    for (int i = 0; i < 200; ++i) {
        QVERIFY(AwsClient::standardBackoffMs(1) <= 100);
        QVERIFY(AwsClient::standardBackoffMs(3) <= 400);
        const int late = AwsClient::standardBackoffMs(30);
        QVERIFY(late >= 0 && late <= 20000);
    }
    bool sawLarge = false;
    for (int i = 0; i < 200 && !sawLarge; ++i)
        sawLarge = AwsClient::standardBackoffMs(20) > 10000;
    QVERIFY(sawLarge);
}

FEDSYNC_TEST_MAIN(TestAwsClient)
#include "tst_awsclient.moc"

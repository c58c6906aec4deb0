// CognitoSyncRemote over the fake network layer: the requests Cognito Sync expects (method, percent-encoded
// path, query, JSON body, SigV4), paging merged into one answer, service errors mapped to what the engine
// acts on, replies that are not what the service sends, expired credentials, and the callback contract
// (once, later, never after cancel or once the context is gone).
#include "aws/awsclient.h"
#include "aws/awscredentialssource.h"
#include "fakeaws.h"
#include "fakenetwork.h"
#include "net/networkcontext.h"
#include "sync/cognitosyncremote.h"
#include "testmain.h"
#include "trace/flowtrace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <memory>

using namespace fedsync;
using namespace fedsync::aws;
using namespace fedsync::test;
using namespace fedsync::test::cognitosync;

namespace {

FakeResponse ok(const QJsonObject &body, int delayMs = 0)
{
    return FakeResponse::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact), delayMs);
}

FakeResponse serviceError(int status, const QByteArray &type, const QString &message)
{
    FakeResponse response = FakeResponse::json(
        status,
        QJsonDocument(QJsonObject{{QStringLiteral("message"), message}}).toJson(QJsonDocument::Compact));
    response.headers.append({QByteArrayLiteral("x-amzn-ErrorType"),
                             type + ":http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/"});
    return response;
}

QJsonObject page(const QJsonArray &records, qint64 syncCount, const QString &session,
                 const QString &next = {})
{
    QJsonObject out{{QStringLiteral("Records"), records},
                    {QStringLiteral("Count"), records.size()},
                    {QStringLiteral("DatasetSyncCount"), double(syncCount)},
                    {QStringLiteral("DatasetExists"), true},
                    {QStringLiteral("DatasetDeletedAfterRequestedSyncCount"), false},
                    {QStringLiteral("MergedDatasetNames"), QJsonArray()},
                    {QStringLiteral("SyncSessionToken"), session}};
    if (!next.isEmpty())
        out.insert(QStringLiteral("NextToken"), next);
    return out;
}

struct Fixture
{
    Fixture()
        : network(&nam, &trace)
        , client(network, QStringLiteral("us-east-1"))
        , remote(std::make_unique<CognitoSyncRemote>(client, pool, identity))
    {
        client.setEndpoint(QStringLiteral("cognito-sync"),
                           QUrl(QStringLiteral("https://sync.example.test/")));
        client.setCredentialsSource(&credentials);
        client.setRetryDelay([](int) { return 0; });
    }

    // Runs one remote call to its callback (or 5 s) and returns the results it got.
    template<typename T, typename Start> QList<RemoteResult<T>> run(Start start, int waitMs = 5000)
    {
        auto results = std::make_shared<QList<RemoteResult<T>>>();
        bool returned = false;
        bool calledInside = false;
        handle = start(&context, [results, &returned, &calledInside](const RemoteResult<T> &result) {
            if (!returned)
                calledInside = true;
            results->append(result);
        });
        returned = true;
        (void)QTest::qWaitFor([&] { return !results->isEmpty(); }, waitMs);
        QTest::qWait(20); // a second callback would come now
        if (calledInside)
            qWarning("the callback ran inside the call");
        return calledInside ? QList<RemoteResult<T>>() : *results;
    }

    QList<RemoteResult<ListRecordsReply>> listRecords(ListRecordsRequest request = {
                                                          QStringLiteral("notes"), 0, {}, 1024})
    {
        return run<ListRecordsReply>(
            [&](QObject *ctx, auto done) { return remote->listRecords(request, ctx, done); });
    }

    FakeNetworkAccessManager nam;
    FlowTrace trace;
    NetworkContext network;
    AwsClient client;
    FixedAwsCredentials credentials{identity};
    std::unique_ptr<CognitoSyncRemote> remote;
    QObject context;
    RemoteCallHandle handle;
};

} // namespace

class TestCognitoSyncRemote : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pathsEncodeEverySegment();
    void listRecordsRequestAndReply();
    void listRecordsFollowsEveryPage();
    void updateRecordsSendsPatches();
    void deleteDatasetSendsDelete();
    void listDatasetsFollowsPages();
    void errorsAreMapped_data();
    void errorsAreMapped();
    void transportFailureIsNetwork();
    void credentialsFailureIsNotAuthorized();
    void expiredCredentialsAreAskedForAgainOnce();
    void malformedRepliesGiveAClearError_data();
    void malformedRepliesGiveAClearError();
    void endlessPagingIsStopped();
    void cancelledCallNeverCallsBack();
    void destroyedContextNeverCalledBack();
    void droppedHandleStillCallsBackOnce();
    void destroyedRemoteCancelsItsCalls();
};

void TestCognitoSyncRemote::pathsEncodeEverySegment()
{
    Fixture f;
    QCOMPARE(f.remote->datasetsPath(), encodedDatasetsPath);
    QCOMPARE(f.remote->datasetPath(QStringLiteral("a:b.c_d-e")), encodedDatasetsPath + "/a%3Ab.c_d-e");
    QCOMPARE(f.remote->recordsPath(QStringLiteral("notes")), encodedDatasetsPath + "/notes/records");
}

void TestCognitoSyncRemote::listRecordsRequestAndReply()
{
    Fixture f;
    f.nam.enqueue(ok(page({record(QStringLiteral("title"), QStringLiteral("Groceries"), 3),
                           record(QStringLiteral("empty"), QString(), 4),
                           record(QStringLiteral("gone"), QJsonValue::Undefined, 5),
                           record(QStringLiteral("null"), QJsonValue::Null, 5)},
                          5, QStringLiteral("session-1"))));
    const auto results = f.listRecords({QStringLiteral("notes"), 2, {}, 1024});
    QCOMPARE(results.size(), 1);
    QVERIFY(results.first().ok());

    QCOMPARE(f.nam.requests().size(), 1);
    const RecordedRequest &request = f.nam.requests().first();
    QCOMPARE(request.verb, QByteArray("GET"));
    QCOMPARE(rawPath(request), encodedDatasetsPath + "/notes/records");
    QCOMPARE(sentQuery(request).queryItemValue(QStringLiteral("lastSyncCount")), QStringLiteral("2"));
    QCOMPARE(sentQuery(request).queryItemValue(QStringLiteral("maxResults")), QStringLiteral("1024"));
    QVERIFY(!sentQuery(request).hasQueryItem(QStringLiteral("nextToken")));
    const QByteArray authorization = request.request.rawHeader("Authorization");
    QVERIFY2(authorization.startsWith("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/"), authorization.constData());
    QVERIFY(authorization.contains("/us-east-1/cognito-sync/aws4_request"));
    QVERIFY(!request.request.rawHeader("X-Amz-Security-Token").isEmpty());

    const ListRecordsReply &reply = results.first().value;
    QCOMPARE(reply.records.size(), 4);
    QCOMPARE(reply.records.at(0).key, QStringLiteral("title"));
    QCOMPARE(reply.records.at(0).value, std::optional<QString>(QStringLiteral("Groceries")));
    QCOMPARE(reply.records.at(0).syncCount, qint64(3));
    QCOMPARE(reply.records.at(0).lastModified.toMSecsSinceEpoch(), Q_INT64_C(1700000000500));
    QCOMPARE(reply.records.at(0).deviceLastModified.toMSecsSinceEpoch(), Q_INT64_C(1700000000000));
    QCOMPARE(reply.records.at(0).lastModifiedBy, identity);
    // An empty string is a value; a missing or null Value is a removed record.
    QCOMPARE(reply.records.at(1).value, std::optional<QString>(QString()));
    QVERIFY(!reply.records.at(1).isRemoved());
    QVERIFY(reply.records.at(2).isRemoved());
    QVERIFY(reply.records.at(3).isRemoved());
    QCOMPARE(reply.datasetSyncCount, qint64(5));
    QVERIFY(reply.datasetExists);
    QVERIFY(!reply.datasetDeletedAfterRequestedSyncCount);
    QCOMPARE(reply.syncSessionToken, QStringLiteral("session-1"));
    QVERIFY(reply.nextToken.isEmpty());
}

void TestCognitoSyncRemote::listRecordsFollowsEveryPage()
{
    Fixture f;
    const QString awkwardToken = QStringLiteral("a+b/c=="); // opaque tokens may hold URL delimiters
    f.nam.enqueue(ok(page({record(QStringLiteral("k1"), QStringLiteral("v1"), 1)}, 7, QStringLiteral("s-1"),
                          awkwardToken)));
    f.nam.enqueue(ok(page({record(QStringLiteral("k2"), QStringLiteral("v2"), 2)}, 8, QStringLiteral("s-1"),
                          QStringLiteral("t2"))));
    f.nam.enqueue(
        ok(page({record(QStringLiteral("k3"), QJsonValue::Undefined, 3)}, 9, QStringLiteral("s-1"))));
    const auto results = f.listRecords({QStringLiteral("notes"), 0, {}, 1});
    QCOMPARE(results.size(), 1);
    QVERIFY(results.first().ok());
    const ListRecordsReply &reply = results.first().value;
    QCOMPARE(reply.records.size(), 3);
    QCOMPARE(reply.records.at(2).key, QStringLiteral("k3"));
    QVERIFY(reply.records.at(2).isRemoved());
    // The first page's count: what changed while paging comes again next time.
    QCOMPARE(reply.datasetSyncCount, qint64(7));
    QCOMPARE(reply.syncSessionToken, QStringLiteral("s-1"));
    QVERIFY(reply.nextToken.isEmpty());

    QCOMPARE(f.nam.requests().size(), 3);
    const QString second = f.nam.requests().at(1).request.url().query(QUrl::FullyEncoded);
    QVERIFY2(second.contains(QStringLiteral("nextToken=a%2Bb%2Fc%3D%3D")), qPrintable(second));
    QVERIFY2(second.contains(QStringLiteral("syncSessionToken=s-1")), qPrintable(second));
    QCOMPARE(sentQuery(f.nam.requests().at(1)).queryItemValue(QStringLiteral("maxResults")),
             QStringLiteral("1"));
    QCOMPARE(sentQuery(f.nam.requests().at(2)).queryItemValue(QStringLiteral("nextToken")),
             QStringLiteral("t2"));
}

void TestCognitoSyncRemote::updateRecordsSendsPatches()
{
    Fixture f;
    f.nam.enqueue(ok(QJsonObject{
        {QStringLiteral("Records"), QJsonArray{record(QStringLiteral("title"), QStringLiteral("New"), 6),
                                               record(QStringLiteral("old"), QJsonValue::Undefined, 6)}}}));
    UpdateRecordsRequest request;
    request.dataset = QStringLiteral("notes");
    request.deviceId = QStringLiteral("device-1");
    request.syncSessionToken = QStringLiteral("session-9");
    const QDateTime edited = QDateTime::fromMSecsSinceEpoch(Q_INT64_C(1700000123250), Qt::UTC);
    request.patches << RecordPatch{RecordPatch::Op::Replace, QStringLiteral("title"), QStringLiteral("New"),
                                   0, edited}
                    << RecordPatch{RecordPatch::Op::Remove, QStringLiteral("old"), QString(), 4, edited};
    const auto results = f.run<QList<SyncRecord>>(
        [&](QObject *ctx, auto done) { return f.remote->updateRecords(request, ctx, done); });
    QCOMPARE(results.size(), 1);
    QVERIFY(results.first().ok());
    QCOMPARE(results.first().value.size(), 2);
    QCOMPARE(results.first().value.at(0).syncCount, qint64(6));
    QVERIFY(results.first().value.at(1).isRemoved());

    const RecordedRequest &sent = f.nam.requests().first();
    QCOMPARE(sent.verb, QByteArray("POST"));
    QCOMPARE(rawPath(sent), encodedDatasetsPath + "/notes");
    QCOMPARE(sent.request.rawHeader("Content-Type"), QByteArray("application/json"));
    const QJsonObject body = QJsonDocument::fromJson(sent.body).object();
    QCOMPARE(body.value(QStringLiteral("DeviceId")).toString(), QStringLiteral("device-1"));
    QCOMPARE(body.value(QStringLiteral("SyncSessionToken")).toString(), QStringLiteral("session-9"));
    const QJsonArray patches = body.value(QStringLiteral("RecordPatches")).toArray();
    QCOMPARE(patches.size(), 2);
    const QJsonObject replace = patches.at(0).toObject();
    QCOMPARE(replace.value(QStringLiteral("Op")).toString(), QStringLiteral("replace"));
    QCOMPARE(replace.value(QStringLiteral("Key")).toString(), QStringLiteral("title"));
    QCOMPARE(replace.value(QStringLiteral("Value")).toString(), QStringLiteral("New"));
    QCOMPARE(replace.value(QStringLiteral("SyncCount")).toInt(-1), 0);
    QVERIFY(replace.value(QStringLiteral("DeviceLastModifiedDate")).isDouble());
    QCOMPARE(replace.value(QStringLiteral("DeviceLastModifiedDate")).toDouble(), 1700000123.25);
    const QJsonObject remove = patches.at(1).toObject();
    QCOMPARE(remove.value(QStringLiteral("Op")).toString(), QStringLiteral("remove"));
    QCOMPARE(remove.value(QStringLiteral("SyncCount")).toInt(), 4);
    QVERIFY(!remove.contains(QStringLiteral("Value")));
}

void TestCognitoSyncRemote::deleteDatasetSendsDelete()
{
    Fixture f;
    f.nam.enqueue(ok(QJsonObject{
        {QStringLiteral("Dataset"), QJsonObject{{QStringLiteral("DatasetName"), QStringLiteral("notes")}}}}));
    const auto results = f.run<bool>(
        [&](QObject *ctx, auto done) { return f.remote->deleteDataset(QStringLiteral("notes"), ctx, done); });
    QCOMPARE(results.size(), 1);
    QVERIFY(results.first().ok());
    QVERIFY(results.first().value);
    QCOMPARE(f.nam.requests().first().verb, QByteArray("DELETE"));
    QCOMPARE(rawPath(f.nam.requests().first()), encodedDatasetsPath + "/notes");
    QVERIFY(f.nam.requests().first().body.isEmpty());
}

void TestCognitoSyncRemote::listDatasetsFollowsPages()
{
    Fixture f;
    auto dataset = [](const QString &name, int records) {
        return QJsonObject{{QStringLiteral("DatasetName"), name},
                           {QStringLiteral("CreationDate"), 1600000000},
                           {QStringLiteral("LastModifiedDate"), 1700000000},
                           {QStringLiteral("LastModifiedBy"), identity},
                           {QStringLiteral("DataStorage"), 120},
                           {QStringLiteral("NumRecords"), records}};
    };
    f.nam.enqueue(ok(QJsonObject{{QStringLiteral("Datasets"), QJsonArray{dataset(QStringLiteral("a"), 1)}},
                                 {QStringLiteral("NextToken"), QStringLiteral("p2")}}));
    f.nam.enqueue(ok(QJsonObject{{QStringLiteral("Datasets"), QJsonArray{dataset(QStringLiteral("b"), 2)}}}));
    const auto results = f.run<QList<RemoteDataset>>(
        [&](QObject *ctx, auto done) { return f.remote->listDatasets(ctx, done); });
    QCOMPARE(results.size(), 1);
    QVERIFY(results.first().ok());
    QCOMPARE(results.first().value.size(), 2);
    QCOMPARE(results.first().value.at(1).name, QStringLiteral("b"));
    QCOMPARE(results.first().value.at(1).recordCount, qint64(2));
    QCOMPARE(results.first().value.at(1).storageSizeBytes, qint64(120));
    QCOMPARE(results.first().value.at(1).lastModified.toSecsSinceEpoch(), qint64(1700000000));
    QCOMPARE(f.nam.requests().size(), 2);
    QCOMPARE(f.nam.requests().at(0).verb, QByteArray("GET"));
    QCOMPARE(rawPath(f.nam.requests().at(0)), encodedDatasetsPath);
    QCOMPARE(sentQuery(f.nam.requests().at(0)).queryItemValue(QStringLiteral("maxResults")),
             QStringLiteral("60"));
    QCOMPARE(sentQuery(f.nam.requests().at(1)).queryItemValue(QStringLiteral("nextToken")),
             QStringLiteral("p2"));
}

void TestCognitoSyncRemote::errorsAreMapped_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("transient");

    QTest::newRow("conflict") << 409 << QByteArray("ResourceConflictException")
                              << QStringLiteral("Current SyncCount for: k is: 3 not: 2")
                              << int(RemoteErrorKind::Conflict) << false;
    QTest::newRow("too many requests")
        << 429 << QByteArray("TooManyRequestsException") << QStringLiteral("Rate exceeded")
        << int(RemoteErrorKind::Throttled) << true;
    QTest::newRow("limit for the rate")
        << 400 << QByteArray("LimitExceededException") << QStringLiteral("Request rate limit exceeded")
        << int(RemoteErrorKind::Throttled) << true;
    QTest::newRow("limit for the data")
        << 400 << QByteArray("LimitExceededException")
        << QStringLiteral("Dataset 'notes' would exceed the maximum dataset size of 1 MB.")
        << int(RemoteErrorKind::LimitExceeded) << false;
    QTest::newRow("not authorized") << 403 << QByteArray("NotAuthorizedException")
                                    << QStringLiteral("Access to Identity 'x' is forbidden.")
                                    << int(RemoteErrorKind::NotAuthorized) << false;
    QTest::newRow("dataset not found")
        << 404 << QByteArray("ResourceNotFoundException") << QStringLiteral("Dataset 'notes' not found.")
        << int(RemoteErrorKind::NotFound) << false;
    QTest::newRow("pool not found") << 404 << QByteArray("ResourceNotFoundException")
                                    << QStringLiteral("IdentityPool 'us-east-1:x' not found.")
                                    << int(RemoteErrorKind::Other) << false;
    QTest::newRow("server error") << 500 << QByteArray("InternalErrorException")
                                  << QStringLiteral("Internal server error") << int(RemoteErrorKind::Network)
                                  << true;
    QTest::newRow("invalid parameter")
        << 400 << QByteArray("InvalidParameterException") << QStringLiteral("1 validation error detected")
        << int(RemoteErrorKind::Other) << false;
}

void TestCognitoSyncRemote::errorsAreMapped()
{
    QFETCH(int, status);
    QFETCH(QByteArray, type);
    QFETCH(QString, message);
    QFETCH(int, kind);
    QFETCH(bool, transient);
    Fixture f;
    f.nam.setHandler([&](const RecordedRequest &) { return serviceError(status, type, message); });
    const auto results = f.listRecords();
    QCOMPARE(results.size(), 1);
    QVERIFY(!results.first().ok());
    const RemoteError &error = *results.first().error;
    QCOMPARE(int(error.kind), kind);
    QCOMPARE(error.isTransient(), transient);
    // What happened, and (except for the server's own "not found") what to do about it.
    QVERIFY(!error.error.what.isEmpty());
    QVERIFY2(error.error.why.contains(QString::fromLatin1(type)), qPrintable(error.error.why));
    if (kind != int(RemoteErrorKind::NotFound))
        QVERIFY2(!error.error.action.isEmpty(), qPrintable(error.error.text()));
    // The AWS layer already retried 5xx and throttling; the rest went out once (the engine retries
    // transient kinds later, with its own backoff).
    QCOMPARE(f.nam.requests().size(), status >= 500 || status == 429 ? f.client.maxAttempts() : 1);
}

void TestCognitoSyncRemote::transportFailureIsNetwork()
{
    Fixture f;
    f.nam.setHandler(
        [](const RecordedRequest &) { return FakeResponse::fail(QNetworkReply::ConnectionRefusedError); });
    const auto results = f.listRecords();
    QCOMPARE(results.size(), 1);
    QCOMPARE(results.first().error->kind, RemoteErrorKind::Network);
    QVERIFY(results.first().error->isTransient());
    QCOMPARE(results.first().error->error.code, QStringLiteral("net.refused"));
}

void TestCognitoSyncRemote::credentialsFailureIsNotAuthorized()
{
    Fixture f;
    f.credentials.error =
        UserError::make(QStringLiteral("session.expired"), QStringLiteral("Your sign-in has expired"), {},
                        QStringLiteral("Sign in again"));
    const auto results = f.listRecords();
    QCOMPARE(results.size(), 1);
    QCOMPARE(results.first().error->kind, RemoteErrorKind::NotAuthorized);
    QCOMPARE(results.first().error->error.code, QStringLiteral("session.expired"));
    QCOMPARE(f.nam.requests().size(), 0);
}

void TestCognitoSyncRemote::expiredCredentialsAreAskedForAgainOnce()
{
    {
        Fixture f;
        f.nam.enqueue(serviceError(403, "ExpiredTokenException",
                                   QStringLiteral("The security token included in the "
                                                  "request is expired")));
        f.nam.enqueue(ok(page({}, 0, QStringLiteral("s"))));
        const auto results = f.listRecords();
        QCOMPARE(results.size(), 1);
        QVERIFY(results.first().ok());
        QCOMPARE(f.nam.requests().size(), 2);
        QCOMPARE(f.credentials.requests, 2);
    }
    {
        Fixture f;
        f.nam.setHandler([](const RecordedRequest &) {
            return serviceError(403, "ExpiredTokenException", QStringLiteral("expired"));
        });
        const auto results = f.listRecords();
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().error->kind, RemoteErrorKind::NotAuthorized);
        QCOMPARE(f.nam.requests().size(), 2);
    }
}

void TestCognitoSyncRemote::malformedRepliesGiveAClearError_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("problem");
    auto doc = [](const QJsonObject &object) {
        return QJsonDocument(object).toJson(QJsonDocument::Compact);
    };
    const QJsonObject good =
        page({record(QStringLiteral("k"), QStringLiteral("v"), 1)}, 1, QStringLiteral("s"));
    auto with = [&](const char *name, const QJsonValue &value) {
        QJsonObject changed = good;
        changed.insert(QLatin1String(name), value);
        return doc(changed);
    };
    auto withRecord = [&](const char *name, const QJsonValue &value) {
        QJsonObject item = record(QStringLiteral("k"), QStringLiteral("v"), 1);
        if (value.isUndefined())
            item.remove(QLatin1String(name));
        else
            item.insert(QLatin1String(name), value);
        QJsonObject changed = good;
        changed.insert(QStringLiteral("Records"), QJsonArray{item});
        return doc(changed);
    };
    QTest::newRow("html") << QByteArray("<html><title>Gateway</title></html>") << QStringLiteral("not JSON");
    QTest::newRow("cut off") << doc(good).left(40) << QStringLiteral("not JSON");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("not JSON");
    QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("not a JSON object");
    QTest::newRow("records not a list")
        << with("Records", QStringLiteral("x")) << QStringLiteral("Records is not a list");
    QTest::newRow("record not an object") << with("Records", QJsonArray{42}) << QStringLiteral("Records[0]");
    QTest::newRow("no key") << withRecord("Key", QJsonValue::Undefined) << QStringLiteral("Key is missing");
    QTest::newRow("empty key") << withRecord("Key", QString()) << QStringLiteral("Key is empty");
    QTest::newRow("value a number") << withRecord("Value", 5) << QStringLiteral("Value is not a string");
    QTest::newRow("no sync count") << withRecord("SyncCount", QJsonValue::Undefined)
                                   << QStringLiteral("SyncCount");
    QTest::newRow("sync count text") << withRecord("SyncCount", QStringLiteral("3"))
                                     << QStringLiteral("SyncCount");
    QTest::newRow("sync count negative") << withRecord("SyncCount", -1) << QStringLiteral("SyncCount");
    QTest::newRow("sync count fraction") << withRecord("SyncCount", 1.5) << QStringLiteral("SyncCount");
    QTest::newRow("date as text") << withRecord("LastModifiedDate", QStringLiteral("yesterday"))
                                  << QStringLiteral("LastModifiedDate");
    QTest::newRow("dataset count text")
        << with("DatasetSyncCount", QStringLiteral("x")) << QStringLiteral("DatasetSyncCount");
    QTest::newRow("exists not a bool") << with("DatasetExists", 1) << QStringLiteral("DatasetExists");
    QTest::newRow("no session token")
        << with("SyncSessionToken", QJsonValue::Null) << QStringLiteral("SyncSessionToken is missing");
    QTest::newRow("merged names not text")
        << with("MergedDatasetNames", QJsonArray{1}) << QStringLiteral("MergedDatasetNames[0]");
}

void TestCognitoSyncRemote::malformedRepliesGiveAClearError()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, problem);
    Fixture f;
    f.nam.enqueue(FakeResponse::json(200, body));
    const auto results = f.listRecords();
    QCOMPARE(results.size(), 1);
    QVERIFY(!results.first().ok());
    const RemoteError &error = *results.first().error;
    QCOMPARE(error.kind, RemoteErrorKind::Other);
    QCOMPARE(error.error.code, QStringLiteral("sync.remote.bad_reply"));
    QVERIFY2(error.error.why.contains(problem), qPrintable(error.error.why));
    QVERIFY(!error.error.action.isEmpty());
    QVERIFY(results.first().value.records.isEmpty());
}

void TestCognitoSyncRemote::endlessPagingIsStopped()
{
    Fixture f;
    f.nam.setHandler([](const RecordedRequest &) {
        return ok(page({record(QStringLiteral("k"), QStringLiteral("v"), 1)}, 1, QStringLiteral("s"),
                       QStringLiteral("same-token")));
    });
    const auto results = f.listRecords();
    QCOMPARE(results.size(), 1);
    QCOMPARE(results.first().error->error.code, QStringLiteral("sync.remote.bad_reply"));
    QVERIFY(results.first().error->error.why.contains(QStringLiteral("NextToken")));
    QCOMPARE(f.nam.requests().size(), 2);
}

void TestCognitoSyncRemote::cancelledCallNeverCallsBack()
{
    Fixture f;
    f.nam.setHandler([](const RecordedRequest &) { return ok(page({}, 0, QStringLiteral("s")), 100); });
    int calls = 0;
    RemoteCallHandle handle = f.remote->listRecords({QStringLiteral("notes"), 0, {}, 1024}, &f.context,
                                                    [&](const RemoteResult<ListRecordsReply> &) { ++calls; });
    QVERIFY(QTest::qWaitFor([&] { return !f.nam.requests().isEmpty(); }, 2000));
    handle->cancel();
    QTest::qWait(300);
    QCOMPARE(calls, 0);
    // Cancelled before it was even sent: nothing goes out.
    RemoteCallHandle early = f.remote->deleteDataset(QStringLiteral("notes"), &f.context,
                                                     [&](const RemoteResult<bool> &) { ++calls; });
    early->cancel();
    QTest::qWait(200);
    QCOMPARE(calls, 0);
    QCOMPARE(f.nam.requests().size(), 1);
}

void TestCognitoSyncRemote::destroyedContextNeverCalledBack()
{
    Fixture f;
    f.nam.setHandler([](const RecordedRequest &) { return ok(page({}, 0, QStringLiteral("s")), 100); });
    int calls = 0;
    auto context = std::make_unique<QObject>();
    RemoteCallHandle handle = f.remote->listRecords({QStringLiteral("notes"), 0, {}, 1024}, context.get(),
                                                    [&](const RemoteResult<ListRecordsReply> &) { ++calls; });
    QVERIFY(QTest::qWaitFor([&] { return !f.nam.requests().isEmpty(); }, 2000));
    context.reset();
    QTest::qWait(300);
    QCOMPARE(calls, 0);
}

void TestCognitoSyncRemote::droppedHandleStillCallsBackOnce()
{
    Fixture f;
    f.nam.setHandler([](const RecordedRequest &) { return ok(page({}, 3, QStringLiteral("s")), 20); });
    int calls = 0;
    qint64 syncCount = -1;
    f.remote->listRecords({QStringLiteral("notes"), 0, {}, 1024}, &f.context,
                          [&](const RemoteResult<ListRecordsReply> &result) {
                              ++calls;
                              syncCount = result.value.datasetSyncCount;
                          });
    QVERIFY(QTest::qWaitFor([&] { return calls > 0; }, 2000));
    QTest::qWait(50);
    QCOMPARE(calls, 1);
    QCOMPARE(syncCount, qint64(3));
}

void TestCognitoSyncRemote::destroyedRemoteCancelsItsCalls()
{
    Fixture f;
    f.nam.setHandler([](const RecordedRequest &) { return ok(page({}, 0, QStringLiteral("s")), 100); });
    int calls = 0;
    RemoteCallHandle handle = f.remote->listRecords({QStringLiteral("notes"), 0, {}, 1024}, &f.context,
                                                    [&](const RemoteResult<ListRecordsReply> &) { ++calls; });
    QVERIFY(QTest::qWaitFor([&] { return !f.nam.requests().isEmpty(); }, 2000));
    f.remote.reset();
    QTest::qWait(300);
    QCOMPARE(calls, 0);
    handle->cancel(); // still safe to call
}

FEDSYNC_TEST_MAIN(TestCognitoSyncRemote)
#include "tst_cognitosyncremote.moc"

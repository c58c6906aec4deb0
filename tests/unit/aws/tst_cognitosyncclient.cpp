// CognitoSyncClient: the REST-JSON requests Cognito Sync expects (method, percent-encoded path, query,
// body, SigV4 for "cognito-sync"), one page per call, and its reply parsers: typed values from what the
// service sends, a problem naming the field for anything else.
#include "aws/awscall.h"
#include "aws/awsclient.h"
#include "aws/awscredentialssource.h"
#include "aws/cognitosyncclient.h"
#include "fakeaws.h"
#include "fakenetwork.h"
#include "net/networkcontext.h"
#include "testmain.h"
#include "trace/flowtrace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QUrlQuery>

using namespace fedsync;
using namespace fedsync::aws;
using namespace fedsync::test;
using namespace fedsync::test::cognitosync;

namespace {

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

struct Fixture
{
    Fixture()
        : network(&nam, &trace)
        , aws(network, QStringLiteral("us-east-1"))
        , client(aws, pool, identity)
    {
        aws.setEndpoint(QStringLiteral("cognito-sync"), QUrl(QStringLiteral("https://sync.example.test/")));
        aws.setCredentialsSource(&credentials);
        aws.setRetryDelay([](int) { return 0; });
    }

    // Runs `call` to its end and returns the one request it sent.
    RecordedRequest run(AwsCall *call)
    {
        nam.enqueue(FakeResponse::json(200, "{}"));
        QSignalSpy finished(call, &AwsCall::finished);
        if (!finished.wait(5000))
            qWarning("the call did not finish");
        call->deleteLater();
        return nam.requests().isEmpty() ? RecordedRequest() : nam.requests().last();
    }

    FakeNetworkAccessManager nam;
    FlowTrace trace;
    NetworkContext network;
    AwsClient aws;
    FixedAwsCredentials credentials{identity};
    CognitoSyncClient client;
};

} // namespace

class TestCognitoSyncClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pathsEncodeEverySegment();
    void listDatasetsAsksForOnePage();
    void listRecordsSendsItsQuery();
    void updateRecordsSendsPatches();
    void deleteDatasetSendsDelete();
    void parsesRecords();
    void parsesDatasets();
    void malformedRepliesNameTheField_data();
    void malformedRepliesNameTheField();
    void expiredCredentialsAreRecognised();
};

void TestCognitoSyncClient::pathsEncodeEverySegment()
{
    Fixture f;
    QCOMPARE(f.client.datasetsPath(), encodedDatasetsPath);
    QCOMPARE(f.client.datasetPath(QStringLiteral("a:b.c_d-e")), encodedDatasetsPath + "/a%3Ab.c_d-e");
    QCOMPARE(f.client.recordsPath(QStringLiteral("notes")), encodedDatasetsPath + "/notes/records");
}

void TestCognitoSyncClient::listDatasetsAsksForOnePage()
{
    Fixture f;
    const RecordedRequest request = f.run(f.client.listDatasets(QStringLiteral("a+b/c=")));
    QCOMPARE(request.verb, QByteArray("GET"));
    QCOMPARE(rawPath(request), encodedDatasetsPath);
    QCOMPARE(sentQuery(request).queryItemValue(QStringLiteral("maxResults")), QStringLiteral("60"));
    // An opaque token keeps its '+', '/' and '='.
    QCOMPARE(sentQuery(request).queryItemValue(QStringLiteral("nextToken"), QUrl::FullyDecoded),
             QStringLiteral("a+b/c="));
    const QByteArray authorization = request.request.rawHeader("Authorization");
    QVERIFY2(authorization.contains("/us-east-1/cognito-sync/aws4_request"), authorization.constData());
}

void TestCognitoSyncClient::listRecordsSendsItsQuery()
{
    Fixture f;
    const RecordedRequest request = f.run(f.client.listRecords(
        {QStringLiteral("notes"), -4, 5000, QStringLiteral("next"), QStringLiteral("session")}));
    QCOMPARE(request.verb, QByteArray("GET"));
    QCOMPARE(rawPath(request), encodedDatasetsPath + "/notes/records");
    const QUrlQuery q = sentQuery(request);
    QCOMPARE(q.queryItemValue(QStringLiteral("lastSyncCount")), QStringLiteral("0"));
    QCOMPARE(q.queryItemValue(QStringLiteral("maxResults")), QStringLiteral("1024"));
    QCOMPARE(q.queryItemValue(QStringLiteral("nextToken")), QStringLiteral("next"));
    QCOMPARE(q.queryItemValue(QStringLiteral("syncSessionToken")), QStringLiteral("session"));

    const RecordedRequest first = f.run(f.client.listRecords({QStringLiteral("notes"), 7, 0, {}, {}}));
    QCOMPARE(sentQuery(first).queryItemValue(QStringLiteral("maxResults")), QStringLiteral("1"));
    QVERIFY(!sentQuery(first).hasQueryItem(QStringLiteral("nextToken")));
    QVERIFY(!sentQuery(first).hasQueryItem(QStringLiteral("syncSessionToken")));
}

void TestCognitoSyncClient::updateRecordsSendsPatches()
{
    Fixture f;
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(Q_INT64_C(1700000000250), Qt::UTC);
    CognitoSyncUpdate update{QStringLiteral("notes"), QStringLiteral("device-1"), {}, QStringLiteral("s")};
    const QString key = QStringLiteral("a \"key\"\\ on\ntwo lines");
    const QString value =
        QStringLiteral("caf\u00e9 \u65e5 ") + QString::fromUcs4(U"\U0001F600") + QStringLiteral("\t\x01");
    update.patches << CognitoSyncPatch{false, key, value, 0, when}
                   << CognitoSyncPatch{true, QStringLiteral("b"), QStringLiteral("ignored"), 4, {}};
    const RecordedRequest request = f.run(f.client.updateRecords(update));
    QCOMPARE(request.verb, QByteArray("POST"));
    QCOMPARE(rawPath(request), encodedDatasetsPath + "/notes");
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    QCOMPARE(body.value(QStringLiteral("SyncSessionToken")).toString(), QStringLiteral("s"));
    QCOMPARE(body.value(QStringLiteral("DeviceId")).toString(), QStringLiteral("device-1"));
    const QJsonArray patches = body.value(QStringLiteral("RecordPatches")).toArray();
    QCOMPARE(patches.size(), 2);
    const QJsonObject replace = patches.at(0).toObject();
    QCOMPARE(replace.value(QStringLiteral("Op")).toString(), QStringLiteral("replace"));
    QCOMPARE(replace.value(QStringLiteral("Key")).toString(), key);
    QCOMPARE(replace.value(QStringLiteral("Value")).toString(), value);
    QCOMPARE(replace.value(QStringLiteral("SyncCount")).toDouble(), 0.0);
    QCOMPARE(replace.value(QStringLiteral("DeviceLastModifiedDate")).toDouble(), 1700000000.25);
    const QJsonObject remove = patches.at(1).toObject();
    QCOMPARE(remove.value(QStringLiteral("Op")).toString(), QStringLiteral("remove"));
    QVERIFY(!remove.contains(QStringLiteral("Value")));
    QVERIFY(!remove.contains(QStringLiteral("DeviceLastModifiedDate")));
    QCOMPARE(remove.value(QStringLiteral("Key")).toString(), QStringLiteral("b"));
    QCOMPARE(remove.value(QStringLiteral("SyncCount")).toDouble(), 4.0);
}

void TestCognitoSyncClient::deleteDatasetSendsDelete()
{
    Fixture f;
    const RecordedRequest request = f.run(f.client.deleteDataset(QStringLiteral("old")));
    QCOMPARE(request.verb, QByteArray("DELETE"));
    QCOMPARE(rawPath(request), encodedDatasetsPath + "/old");
}

void TestCognitoSyncClient::parsesRecords()
{
    const QJsonObject reply{
        {QStringLiteral("Records"), QJsonArray{record(QStringLiteral("k"), QStringLiteral("v"), 3),
                                               record(QStringLiteral("gone"), {}, 4)}},
        {QStringLiteral("DatasetSyncCount"), 4},
        {QStringLiteral("DatasetExists"), true},
        {QStringLiteral("MergedDatasetNames"), QJsonArray{QStringLiteral("other")}},
        {QStringLiteral("SyncSessionToken"), QStringLiteral("s")},
        {QStringLiteral("NextToken"), QStringLiteral("n")}};
    QString problem;
    const auto page = CognitoSyncClient::parseRecords(json(reply), &problem);
    QVERIFY2(page, qPrintable(problem));
    QCOMPARE(page->records.size(), 2);
    QCOMPARE(page->records.at(0).value, std::optional<QString>(QStringLiteral("v")));
    QCOMPARE(page->records.at(0).syncCount, qint64(3));
    QCOMPARE(page->records.at(0).lastModified.toMSecsSinceEpoch(), Q_INT64_C(1700000000500));
    QVERIFY(!page->records.at(1).value);
    QCOMPARE(page->datasetSyncCount, qint64(4));
    QVERIFY(page->datasetExists);
    QCOMPARE(page->mergedDatasetNames, QStringList{QStringLiteral("other")});
    QCOMPARE(page->syncSessionToken, QStringLiteral("s"));
    QCOMPARE(page->nextToken, QStringLiteral("n"));

    const auto updated = CognitoSyncClient::parseUpdatedRecords(json(reply), &problem);
    QVERIFY(updated);
    QCOMPARE(updated->size(), 2);
    QVERIFY(
        CognitoSyncClient::parseDeletedDataset(json({{QStringLiteral("Dataset"), QJsonObject()}}), &problem));
    QVERIFY(!CognitoSyncClient::parseDeletedDataset("{}", &problem));
    QCOMPARE(problem, QStringLiteral("Dataset is not an object"));
}

void TestCognitoSyncClient::parsesDatasets()
{
    const QJsonObject reply{{QStringLiteral("Datasets"),
                             QJsonArray{QJsonObject{{QStringLiteral("DatasetName"), QStringLiteral("notes")},
                                                    {QStringLiteral("CreationDate"), 1600000000},
                                                    {QStringLiteral("LastModifiedDate"), 1700000000},
                                                    {QStringLiteral("LastModifiedBy"), identity},
                                                    {QStringLiteral("DataStorage"), 120},
                                                    {QStringLiteral("NumRecords"), 3}}}}};
    QString problem;
    const auto page = CognitoSyncClient::parseDatasets(json(reply), &problem);
    QVERIFY2(page, qPrintable(problem));
    QCOMPARE(page->datasets.size(), 1);
    const CognitoSyncDataset &dataset = page->datasets.first();
    QCOMPARE(dataset.name, QStringLiteral("notes"));
    QCOMPARE(dataset.created.toSecsSinceEpoch(), Q_INT64_C(1600000000));
    QCOMPARE(dataset.dataStorage, qint64(120));
    QCOMPARE(dataset.numRecords, qint64(3));
    QVERIFY(page->nextToken.isEmpty());
}

void TestCognitoSyncClient::malformedRepliesNameTheField_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("problem");
    QTest::newRow("html") << QByteArray("<html/>") << QStringLiteral("the body is not JSON");
    QTest::newRow("array") << QByteArray("[]") << QStringLiteral("the body is not a JSON object");
    QTest::newRow("records text") << QByteArray(R"({"Records": "x", "SyncSessionToken": "s"})")
                                  << QStringLiteral("Records is not a list");
    QTest::newRow("record number") << QByteArray(R"({"Records": [1], "SyncSessionToken": "s"})")
                                   << QStringLiteral("Records[0] is not an object");
    QTest::newRow("empty key")
        << QByteArray(R"({"Records": [{"Key": "", "SyncCount": 1}], "SyncSessionToken": "s"})")
        << QStringLiteral("Records[0].Key is empty");
    QTest::newRow("count fraction")
        << QByteArray(R"({"Records": [{"Key": "k", "SyncCount": 1.5}], "SyncSessionToken": "s"})")
        << QStringLiteral("Records[0].SyncCount is not a count");
    QTest::newRow("no session") << QByteArray(R"({"Records": []})")
                                << QStringLiteral("SyncSessionToken is missing");
    QTest::newRow("merged number") << QByteArray(R"({"SyncSessionToken": "s", "MergedDatasetNames": [2]})")
                                   << QStringLiteral("MergedDatasetNames[0] is not a string");
}

void TestCognitoSyncClient::malformedRepliesNameTheField()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, problem);
    QString found;
    QVERIFY(!CognitoSyncClient::parseRecords(body, &found));
    QVERIFY2(found.startsWith(problem), qPrintable(found));
}

void TestCognitoSyncClient::expiredCredentialsAreRecognised()
{
    AwsFailure failure;
    failure.aws.type = QStringLiteral("ExpiredTokenException");
    QVERIFY(CognitoSyncClient::isExpiredCredentials(failure));
    failure.aws.type = QStringLiteral("ExpiredToken");
    QVERIFY(CognitoSyncClient::isExpiredCredentials(failure));
    failure.aws.type = QStringLiteral("NotAuthorizedException");
    QVERIFY(!CognitoSyncClient::isExpiredCredentials(failure));
}

FEDSYNC_TEST_MAIN(TestCognitoSyncClient)
#include "tst_cognitosyncclient.moc"

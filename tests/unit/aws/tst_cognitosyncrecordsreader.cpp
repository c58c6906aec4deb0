// The fast reading of Cognito Sync's records replies (readRecordsReply, on JsonScanner) against the careful
// one (CognitoSyncClient::parseRecordsCarefully, QJsonDocument and JsonFieldReader): whatever the fast one
// accepts, the careful one accepts and reads the same; what the service sends is read the fast way; what
// is not JSON, or not the reply, is left to the careful one, which says what is wrong.
#include "aws/cognitosyncclient.h"
#include "aws/cognitosyncrecordsreader.h"
#include "common/jsonscanner.h"
#include "jsonfuzz.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

using namespace fedsync;
using fedsync::test::breakRandomly;
using fedsync::test::describeRecord;
using fedsync::test::randomJsonText;
using namespace fedsync::aws;

namespace {

// What a page holds, in one text, so a difference shows in QCOMPARE's message.
QString describe(const CognitoSyncRecordsPage &page)
{
    QStringList lines{QStringLiteral("next=%1 count=%2 exists=%3 deleted=%4 merged=%5 session=%6")
                          .arg(page.nextToken)
                          .arg(page.datasetSyncCount)
                          .arg(page.datasetExists)
                          .arg(page.datasetDeletedAfterRequestedSyncCount)
                          .arg(page.mergedDatasetNames.join(u'|'), page.syncSessionToken)};
    for (const CognitoSyncRecord &r : page.records) {
        lines << describeRecord(r);
    }
    return lines.join(u'\n');
}

QJsonValue randomExtra(QRandomGenerator &random, int depth = 0)
{
    switch (random.bounded(depth > 2 ? 4 : 6)) {
    case 0:
        return QJsonValue::Null;
    case 1:
        return random.bounded(2) == 1;
    case 2:
        return random.generateDouble() * 2e6 - 1e6;
    case 3:
        return randomJsonText(random);
    case 4:
        return QJsonArray{randomExtra(random, depth + 1), randomExtra(random, depth + 1)};
    default:
        return QJsonObject{{QStringLiteral("nested"), randomExtra(random, depth + 1)}};
    }
}

// A reply as the service could send it, with fields it might add and nulls where it may put them.
QJsonObject randomReply(QRandomGenerator &random, int records)
{
    QJsonArray list;
    for (int i = 0; i < records; ++i) {
        QJsonObject record{
            {QStringLiteral("Key"), QString(QStringLiteral("key-%1").arg(i) + randomJsonText(random))},
            {QStringLiteral("SyncCount"), random.bounded(1, 100000)}};
        if (random.bounded(4) != 0)
            record.insert(QStringLiteral("Value"), random.bounded(5) == 0
                                                       ? QJsonValue(QJsonValue::Null)
                                                       : QJsonValue(randomJsonText(random)));
        if (random.bounded(4) != 0)
            record.insert(QStringLiteral("LastModifiedDate"),
                          random.bounded(2) == 1 ? 1.7e9 + random.bounded(1e6) : double(1700000000 + i));
        if (random.bounded(4) != 0)
            record.insert(QStringLiteral("DeviceLastModifiedDate"), random.bounded(5) == 0
                                                                        ? QJsonValue(QJsonValue::Null)
                                                                        : QJsonValue(1.6e9 + i / 7.0));
        if (random.bounded(4) != 0)
            record.insert(QStringLiteral("LastModifiedBy"),
                          random.bounded(5) == 0 ? QJsonValue(QJsonValue::Null)
                                                 : QJsonValue(QStringLiteral("us-east-1:abc")));
        if (random.bounded(6) == 0)
            record.insert(QStringLiteral("Extra"), randomExtra(random));
        list.append(record);
    }
    QJsonObject reply{
        {QStringLiteral("Records"), list},
        {QStringLiteral("SyncSessionToken"), QString(QStringLiteral("session-") + randomJsonText(random))},
        {QStringLiteral("DatasetSyncCount"), random.bounded(0, 1000000)},
        {QStringLiteral("DatasetExists"), random.bounded(2) == 1},
        {QStringLiteral("Count"), records}};
    if (random.bounded(2) == 1)
        reply.insert(QStringLiteral("MergedDatasetNames"),
                     QJsonArray{QStringLiteral("a"), randomJsonText(random)});
    if (random.bounded(2) == 1)
        reply.insert(QStringLiteral("NextToken"), random.bounded(3) == 0
                                                      ? QJsonValue(QJsonValue::Null)
                                                      : QJsonValue(QStringLiteral("MTAy")));
    if (random.bounded(2) == 1)
        reply.insert(QStringLiteral("DatasetDeletedAfterRequestedSyncCount"),
                     random.bounded(3) == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(true));
    return reply;
}

} // namespace

class TestCognitoSyncRecordsReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theServicesReplyIsReadTheFastWay();
    void bothWaysReadTheSame();
    void whatItAcceptsTheCarefulWayAcceptsAlike();
    void notTheReplyIsLeftToTheCarefulWay_data();
    void notTheReplyIsLeftToTheCarefulWay();
    void updateRecordsAnswerHasNoSession();
    void scannerRefusesWhatJsonRefuses_data();
    void scannerRefusesWhatJsonRefuses();
};

// The shape the sandbox (and Cognito Sync) sends: every record read without the careful way.
void TestCognitoSyncRecordsReader::theServicesReplyIsReadTheFastWay()
{
    const QByteArray body =
        R"({"Records":[{"Key":"key-0001","SyncCount":3,"LastModifiedDate":1733400000.123,)"
        R"("LastModifiedBy":"us-east-1:1111","Value":"value 1","DeviceLastModifiedDate":1733399999.5},)"
        R"({"Key":"gone","SyncCount":4,"LastModifiedDate":1733400001,"LastModifiedBy":"us-east-1:1111"}],)"
        R"("Count":2,"DatasetSyncCount":4,"MergedDatasetNames":[],"DatasetExists":true,)"
        R"("DatasetDeletedAfterRequestedSyncCount":false,"SyncSessionToken":"c2Vzc2lvbg","LastModifiedBy":"x"})";
    const std::optional<RecordsReply> fast = readRecordsReply(body);
    QVERIFY(fast);
    QVERIFY(fast->hasSyncSessionToken);
    const CognitoSyncRecordsPage &page = fast->page;
    QCOMPARE(page.records.size(), 2);
    QCOMPARE(page.records.at(0).key, QStringLiteral("key-0001"));
    QCOMPARE(page.records.at(0).value, std::optional<QString>(QStringLiteral("value 1")));
    QCOMPARE(page.records.at(0).syncCount, qint64(3));
    QCOMPARE(page.records.at(0).lastModified.toMSecsSinceEpoch(), Q_INT64_C(1733400000123));
    QCOMPARE(page.records.at(0).deviceLastModified.toMSecsSinceEpoch(), Q_INT64_C(1733399999500));
    QCOMPARE(page.records.at(0).lastModified.timeSpec(), Qt::UTC);
    QCOMPARE(page.records.at(1).value, std::nullopt);
    QVERIFY(!page.records.at(1).deviceLastModified.isValid());
    QCOMPARE(page.datasetSyncCount, qint64(4));
    QVERIFY(page.datasetExists);
    QCOMPARE(page.syncSessionToken, QStringLiteral("c2Vzc2lvbg"));

    QString problem;
    const std::optional<CognitoSyncRecordsPage> careful =
        CognitoSyncClient::parseRecordsCarefully(body, &problem);
    QVERIFY2(careful, qPrintable(problem));
    QCOMPARE(describe(page), describe(*careful));
}

// Replies of every shape the service may send (escapes, UTF-8 of every length, nulls, fields it may add,
// compact and indented): the same page both ways.
void TestCognitoSyncRecordsReader::bothWaysReadTheSame()
{
    QRandomGenerator random(20261205);
    for (int round = 0; round < 200; ++round) {
        const QJsonObject reply = randomReply(random, random.bounded(0, 12));
        const QByteArray body =
            QJsonDocument(reply).toJson(round % 2 ? QJsonDocument::Compact : QJsonDocument::Indented);
        const std::optional<RecordsReply> fast = readRecordsReply(body);
        QVERIFY2(fast, body.constData());
        QString problem;
        const auto careful = CognitoSyncClient::parseRecordsCarefully(body, &problem);
        QVERIFY2(careful, qPrintable(problem));
        QCOMPARE(describe(fast->page), describe(*careful));
        QCOMPARE(describe(*CognitoSyncClient::parseRecords(body, &problem)), describe(*careful));
    }
}

// Bodies broken at random (a byte changed, taken out or put in): where the fast reading takes one, the
// careful one takes it too and reads the same page. So the fast way never accepts what JSON refuses.
void TestCognitoSyncRecordsReader::whatItAcceptsTheCarefulWayAcceptsAlike()
{
    QRandomGenerator random(5122026);
    static const char alphabet[] = "{}[]:,\"\\ .-+e0123456789nultrfasXu\x01\x7f\xc3\xa9\xff";
    int acceptedBroken = 0;
    for (int round = 0; round < 3000; ++round) {
        QByteArray body = QJsonDocument(randomReply(random, 3)).toJson(QJsonDocument::Compact);
        breakRandomly(body, random, alphabet);
        const std::optional<RecordsReply> fast = readRecordsReply(body);
        if (!fast)
            continue;
        ++acceptedBroken;
        QString problem;
        const auto careful = CognitoSyncClient::parseRecordsCarefully(body, &problem);
        if (!fast->hasSyncSessionToken) {
            QVERIFY2(!careful, body.constData());
            continue;
        }
        QVERIFY2(careful, qPrintable(QString::fromUtf8(body) + QStringLiteral(" -> ") + problem));
        QCOMPARE(describe(fast->page), describe(*careful));
    }
    QVERIFY(acceptedBroken > 100); // edits inside texts and numbers still make replies
}

void TestCognitoSyncRecordsReader::notTheReplyIsLeftToTheCarefulWay_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("problem"); // what parseRecords() says, from the careful way
    QTest::newRow("not JSON") << QByteArray("<html/>") << QStringLiteral("the body is not JSON");
    QTest::newRow("a list") << QByteArray("[]") << QStringLiteral("the body is not a JSON object");
    QTest::newRow("trailing comma") << QByteArray(R"({"SyncSessionToken": "s",})")
                                    << QStringLiteral("the body is not JSON");
    QTest::newRow("garbage after") << QByteArray(R"({"SyncSessionToken": "s"} x)")
                                   << QStringLiteral("the body is not JSON");
    QTest::newRow("leading zero") << QByteArray(R"({"SyncSessionToken": "s", "DatasetSyncCount": 01})")
                                  << QStringLiteral("the body is not JSON");
    QTest::newRow("no session") << QByteArray(R"({"Records": []})")
                                << QStringLiteral("SyncSessionToken is missing");
    QTest::newRow("null session") << QByteArray(R"({"SyncSessionToken": null})")
                                  << QStringLiteral("SyncSessionToken is missing");
    QTest::newRow("empty key")
        << QByteArray(R"({"Records": [{"Key": "", "SyncCount": 1}], "SyncSessionToken": "s"})")
        << QStringLiteral("Records[0].Key is empty");
    QTest::newRow("no count") << QByteArray(R"({"Records": [{"Key": "k"}], "SyncSessionToken": "s"})")
                              << QStringLiteral("Records[0].SyncCount is missing");
    QTest::newRow("count fraction")
        << QByteArray(R"({"Records": [{"Key": "k", "SyncCount": 1.5}], "SyncSessionToken": "s"})")
        << QStringLiteral("Records[0].SyncCount is not a count");
    QTest::newRow("negative count")
        << QByteArray(R"({"Records": [{"Key": "k", "SyncCount": -1}], "SyncSessionToken": "s"})")
        << QStringLiteral("Records[0].SyncCount is not a count");
    QTest::newRow("value a number")
        << QByteArray(R"({"Records": [{"Key": "k", "SyncCount": 1, "Value": 2}], "SyncSessionToken": "s"})")
        << QStringLiteral("Records[0].Value is not a string");
    QTest::newRow("time a text") << QByteArray(R"({"Records": [{"Key": "k", "SyncCount": 1,)"
                                               R"( "LastModifiedDate": "2024"}], "SyncSessionToken": "s"})")
                                 << QStringLiteral("Records[0].LastModifiedDate is not");
    QTest::newRow("time far away") << QByteArray(R"({"Records": [{"Key": "k", "SyncCount": 1,)"
                                                 R"( "LastModifiedDate": 1e300}], "SyncSessionToken": "s"})")
                                   << QStringLiteral("Records[0].LastModifiedDate is not");
    QTest::newRow("record a number") << QByteArray(R"({"Records": [1], "SyncSessionToken": "s"})")
                                     << QStringLiteral("Records[0] is not an object");
    QTest::newRow("merged number") << QByteArray(R"({"SyncSessionToken": "s", "MergedDatasetNames": [2]})")
                                   << QStringLiteral("MergedDatasetNames[0] is not a string");
}

void TestCognitoSyncRecordsReader::notTheReplyIsLeftToTheCarefulWay()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, problem);
    const std::optional<RecordsReply> fast = readRecordsReply(body);
    QVERIFY(!fast || !fast->hasSyncSessionToken);
    QString found;
    QVERIFY(!CognitoSyncClient::parseRecords(body, &found));
    QVERIFY2(found.startsWith(problem), qPrintable(found));
}

// UpdateRecords answers with the records alone.
void TestCognitoSyncRecordsReader::updateRecordsAnswerHasNoSession()
{
    const QByteArray body = R"({"Records":[{"Key":"k","Value":"v","SyncCount":7,"LastModifiedDate":1.7e9}]})";
    const std::optional<RecordsReply> fast = readRecordsReply(body);
    QVERIFY(fast);
    QVERIFY(!fast->hasSyncSessionToken);
    QString problem;
    const auto updated = CognitoSyncClient::parseUpdatedRecords(body, &problem);
    QVERIFY2(updated, qPrintable(problem));
    QCOMPARE(updated->size(), 1);
    QCOMPARE(updated->at(0).syncCount, qint64(7));
    QCOMPARE(updated->at(0).lastModified.toMSecsSinceEpoch(), Q_INT64_C(1700000000000));
}

void TestCognitoSyncRecordsReader::scannerRefusesWhatJsonRefuses_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("qtTakesIt"); // QJsonDocument is laxer in places: refusing is always safe
    QTest::newRow("nested") << QByteArray(R"({"a": [1, {"b": null}, "\u00e9\ud83d\ude00"], "c": -0.5e+3})")
                            << true << true;
    QTest::newRow("64 deep") << QByteArray(63, '[') + QByteArray(63, ']') << true << true;
    QTest::newRow("65 deep") << QByteArray(65, '[') + QByteArray(65, ']') << false << true;
    QTest::newRow("control character in a text") << QByteArray("\"a\x01\"") << false << true;
    QTest::newRow("comment") << QByteArray("[1 /* one */]") << false << false;
    QTest::newRow("single quotes") << QByteArray("['a']") << false << false;
    QTest::newRow("lone low surrogate") << QByteArray(R"("\udc00")") << false << true;
    QTest::newRow("lone high surrogate") << QByteArray(R"("\ud800x")") << false << true;
    QTest::newRow("bad escape") << QByteArray(R"("\x41")") << false << true;
    QTest::newRow("short unicode escape") << QByteArray(R"("\u12")") << false << false;
    QTest::newRow("invalid UTF-8") << QByteArray("\"\xc3\x28\"") << false << false;
    QTest::newRow("overlong UTF-8") << QByteArray("\"\xc0\xaf\"") << false << false;
    QTest::newRow("unterminated") << QByteArray(R"("abc)") << false << false;
    QTest::newRow("bare minus") << QByteArray("-") << false << false;
    QTest::newRow("dot without digits") << QByteArray("1.") << false << true;
    QTest::newRow("exponent without digits") << QByteArray("1e") << false << false;
    QTest::newRow("tru") << QByteArray("tru") << false << false;
    QTest::newRow("two values") << QByteArray("1 2") << false << false;
}

void TestCognitoSyncRecordsReader::scannerRefusesWhatJsonRefuses()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    JsonScanner scanner(value);
    const bool read = scanner.skipValue() && scanner.atEnd();
    QCOMPARE(read, valid);
    QFETCH(bool, qtTakesIt);
    QCOMPARE(QJsonDocument::fromJson("[" + value + "]").isArray(), qtTakesIt);
}

FEDSYNC_TEST_MAIN(TestCognitoSyncRecordsReader)
#include "tst_cognitosyncrecordsreader.moc"

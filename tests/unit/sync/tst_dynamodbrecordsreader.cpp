// The fast reading of a DynamoDB Query reply of record items (readRecordsQueryReply, on JsonScanner) against
// the careful one (QJsonDocument and dynamodb::readRecord, as DynamoDbRemote reads a page it cannot read
// fast): whatever the fast one accepts, the careful one accepts and reads the same; the items Fedsync
// writes are read the fast way; what is not such a reply, or has more pages, is left to the careful one.
#include "aws/dynamodbclient.h"
#include "jsonfuzz.h"
#include "sync/dynamodbrecordsreader.h"
#include "sync/dynamodbschema.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

using namespace fedsync;
using aws::DynamoDbClient;
using fedsync::test::breakRandomly;
using fedsync::test::describeRecord;
using fedsync::test::randomJsonText;

namespace {

// The records in one text, so a difference shows in QCOMPARE's message.
QString describe(const QList<SyncRecord> &records)
{
    QStringList lines;
    for (const SyncRecord &r : records) {
        lines << describeRecord(r);
    }
    return lines.join(u'\n');
}

// The careful reading of one page, as DynamoDbRemote does it; nothing when it finds a problem or the
// reply has more pages.
std::optional<QList<SyncRecord>> readCarefully(const QByteArray &body, QString *problem)
{
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonValue items = root.value(QLatin1String("Items"));
    if (!items.isArray()) {
        *problem = QStringLiteral("Items is not a list");
        return std::nullopt;
    }
    if (!root.value(QLatin1String("LastEvaluatedKey")).toObject().isEmpty()) {
        *problem = QStringLiteral("more pages");
        return std::nullopt;
    }
    QList<SyncRecord> records;
    for (const QJsonValue &item : items.toArray()) {
        const auto stored = dynamodb::readRecord(item.toObject(), problem);
        if (!stored)
            return std::nullopt;
        records << stored->record;
    }
    dynamodb::sortRecords(records);
    return records;
}

// A whole number in the ways DynamoDB may write one.
QJsonObject randomCount(QRandomGenerator &random, qint64 whole)
{
    switch (random.bounded(4)) {
    case 0:
        return QJsonObject{{QStringLiteral("N"), QString(QString::number(whole) + QStringLiteral(".0"))}};
    case 1:
        return QJsonObject{{QStringLiteral("N"), QString(QString::number(whole) + QStringLiteral("e0"))}};
    default:
        return QJsonObject{{QStringLiteral("N"), QString::number(whole)}};
    }
}

// Seconds since the epoch in the ways DynamoDB may write them (and some out of range).
QJsonObject randomTime(QRandomGenerator &random, qint64 seconds)
{
    switch (random.bounded(5)) {
    case 0:
        return QJsonObject{{QStringLiteral("N"), QString::number(double(seconds) / 1000.0, 'e', 6)}};
    case 1:
        return QJsonObject{{QStringLiteral("N"), QString::number(double(seconds) + 0.25, 'f', 3)}};
    case 2:
        return QJsonObject{{QStringLiteral("N"), QStringLiteral("-1")}};
    case 3:
        return QJsonObject{{QStringLiteral("N"), QStringLiteral("1e12")}};
    default:
        return randomCount(random, seconds);
    }
}

// An item as Fedsync writes a record (dynamodbremotewrite.cpp), with what DynamoDB or another writer
// might add, in any order.
QJsonObject randomItem(QRandomGenerator &random, int i)
{
    const QString key = QStringLiteral("key-%1").arg(i) + randomJsonText(random);
    QJsonObject item{{dynamodb::PartitionKey, DynamoDbClient::string(QStringLiteral("us-east-1:abc"))},
                     {dynamodb::SortKey, DynamoDbClient::string(QStringLiteral("R#notes#") + key)},
                     {dynamodb::attr::Kind, DynamoDbClient::string(QStringLiteral("record"))},
                     {dynamodb::attr::Name, DynamoDbClient::string(QStringLiteral("notes"))},
                     {dynamodb::attr::Key, DynamoDbClient::string(key)},
                     {dynamodb::attr::SyncCount,
                      random.bounded(8) == 0 ? randomCount(random, random.bounded(1, 100000))
                                             : DynamoDbClient::number(qint64(random.bounded(1, 100000)))}};
    if (random.bounded(5) != 0) {
        const QString value = randomJsonText(random);
        item.insert(dynamodb::attr::Value, DynamoDbClient::string(value));
        item.insert(dynamodb::attr::Size, DynamoDbClient::number(dynamodb::recordBytes(key, value)));
    }
    if (random.bounded(4) != 0)
        item.insert(dynamodb::attr::LastModified,
                    random.bounded(6) == 0 ? randomTime(random, 1700000000 + i)
                                           : dynamodb::time(QDateTime::fromMSecsSinceEpoch(
                                                 1700000000000 + random.bounded(1000000), Qt::UTC)));
    if (random.bounded(4) != 0)
        item.insert(dynamodb::attr::DeviceLastModified,
                    dynamodb::time(QDateTime::fromMSecsSinceEpoch(1600000000000 + i * 7, Qt::UTC)));
    if (random.bounded(4) != 0)
        item.insert(dynamodb::attr::LastModifiedBy, DynamoDbClient::string(QStringLiteral("device-b")));
    if (random.bounded(6) == 0)
        item.insert(dynamodb::attr::CardLookup, DynamoDbClient::string(QStringLiteral("email#a@b.c")));
    if (random.bounded(8) == 0)
        item.insert(QStringLiteral("extra"), QJsonObject{{QStringLiteral("L"), QJsonArray{1, true}}});
    return item;
}

QByteArray randomReply(QRandomGenerator &random, int records)
{
    QJsonArray items;
    for (int i = 0; i < records; ++i)
        items.append(randomItem(random, i));
    QJsonObject reply{{QStringLiteral("Items"), items},
                      {QStringLiteral("Count"), records},
                      {QStringLiteral("ScannedCount"), records + random.bounded(3)}};
    if (random.bounded(3) == 0)
        reply.insert(QStringLiteral("ConsumedCapacity"),
                     QJsonObject{{QStringLiteral("TableName"), QStringLiteral("fedsync")},
                                 {QStringLiteral("CapacityUnits"), 2.5}});
    return QJsonDocument(reply).toJson(random.bounded(2) == 1 ? QJsonDocument::Compact
                                                              : QJsonDocument::Indented);
}

} // namespace

class TestDynamoDbRecordsReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theStoresItemsAreReadTheFastWay();
    void whatItAcceptsTheCarefulWayAcceptsAlike();
    void notTheRepliesItKnowsAreLeftToTheCarefulWay_data();
    void notTheRepliesItKnowsAreLeftToTheCarefulWay();
};

// Items as Fedsync writes them and DynamoDB returns them: every reply read without the careful way, to
// the same records.
void TestDynamoDbRecordsReader::theStoresItemsAreReadTheFastWay()
{
    QRandomGenerator random(20261205);
    for (int round = 0; round < 200; ++round) {
        const QByteArray body = randomReply(random, random.bounded(0, 40));
        QString problem;
        const auto careful = readCarefully(body, &problem);
        QVERIFY2(careful, qPrintable(problem));
        const auto fast = dynamodb::readRecordsQueryReply(body);
        QVERIFY2(fast, body.constData());
        QCOMPARE(describe(*fast), describe(*careful));
    }
    // The empty page (a dataset with nothing new) and a removal (no value) too.
    QCOMPARE(dynamodb::readRecordsQueryReply(R"({"Items":[],"Count":0,"ScannedCount":3})")->size(), 0);
    const auto removed = dynamodb::readRecordsQueryReply(
        R"({"Items":[{"key":{"S":"gone"},"sync_count":{"N":"7"},"last_modified":{"N":"1733400000.5"}}]})");
    QVERIFY(removed);
    QCOMPARE(removed->size(), 1);
    QCOMPARE(removed->first().value, std::nullopt);
    QCOMPARE(removed->first().syncCount, 7);
    QCOMPARE(removed->first().lastModified.toMSecsSinceEpoch(), Q_INT64_C(1733400000500));
}

// Broken bodies (bytes changed, removed or added): whatever the fast way still takes, the careful way
// takes alike.
void TestDynamoDbRecordsReader::whatItAcceptsTheCarefulWayAcceptsAlike()
{
    QRandomGenerator random(5122026);
    static const char alphabet[] = "{}[]:,\"\\ .-+eE0123456789nulSNtrfasXu\x01\x7f\xc3\xa9\xff";
    int acceptedBroken = 0;
    for (int round = 0; round < 3000; ++round) {
        QByteArray body = randomReply(random, 3);
        breakRandomly(body, random, alphabet);
        const auto fast = dynamodb::readRecordsQueryReply(body);
        if (!fast)
            continue;
        ++acceptedBroken;
        QString problem;
        const auto careful = readCarefully(body, &problem);
        QVERIFY2(careful, qPrintable(QString::fromUtf8(body) + QStringLiteral(" -> ") + problem));
        QCOMPARE(describe(*fast), describe(*careful));
    }
    QVERIFY(acceptedBroken > 100); // edits inside texts and numbers still make replies
}

void TestDynamoDbRecordsReader::notTheRepliesItKnowsAreLeftToTheCarefulWay_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("carefulReads"); // the careful way reads it (it says what is wrong otherwise)
    const QByteArray item = R"("key":{"S":"k"},"sync_count":{"N":"3"})";
    QTest::newRow("not JSON") << QByteArray("<html/>") << false;
    QTest::newRow("no Items") << QByteArray(R"({"Count":0})") << false;
    QTest::newRow("Items not a list") << QByteArray(R"({"Items":{}})") << false;
    QTest::newRow("more pages") << QByteArray("{\"Items\":[{" + item +
                                              R"(}],"LastEvaluatedKey":{"pk":{"S":"a"},"sk":{"S":"b"}}})")
                                << false;
    QTest::newRow("no key") << QByteArray(R"({"Items":[{"sync_count":{"N":"3"}}]})") << false;
    QTest::newRow("empty key") << QByteArray(R"({"Items":[{"key":{"S":""},"sync_count":{"N":"3"}}]})")
                               << false;
    QTest::newRow("key as a number") << QByteArray(R"({"Items":[{"key":{"N":"1"},"sync_count":{"N":"3"}}]})")
                                     << false;
    QTest::newRow("value NULL") << QByteArray("{\"Items\":[{" + item + R"(,"value":{"NULL":true}}]})")
                                << false;
    QTest::newRow("sync count 0") << QByteArray(R"({"Items":[{"key":{"S":"k"},"sync_count":{"N":"0"}}]})")
                                  << false;
    QTest::newRow("sync count not whole")
        << QByteArray(R"({"Items":[{"key":{"S":"k"},"sync_count":{"N":"2.5"}}]})") << false;
    QTest::newRow("size not a count")
        << QByteArray("{\"Items\":[{" + item + R"(,"size":{"N":"x"}}]})") << false;
    // Read the careful way, to the same records: the fast way leaves what it does not know for sure.
    QTest::newRow("key twice") << QByteArray("{\"Items\":[{" + item + R"(,"key":{"S":"j"}}]})") << true;
    QTest::newRow("time as text") << QByteArray("{\"Items\":[{" + item + R"(,"last_modified":{"S":"x"}}]})")
                                  << true;
    QTest::newRow("number with a plus")
        << QByteArray(R"({"Items":[{"key":{"S":"k"},"sync_count":{"N":"+3"}}]})") << true;
    QTest::newRow("two types") << QByteArray(
                                      R"({"Items":[{"key":{"S":"k","N":"1"},"sync_count":{"N":"3"}}]})")
                               << true;
}

void TestDynamoDbRecordsReader::notTheRepliesItKnowsAreLeftToTheCarefulWay()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, carefulReads);
    QVERIFY(!dynamodb::readRecordsQueryReply(body));
    QString problem;
    QCOMPARE(readCarefully(body, &problem).has_value(), carefulReads);
}

FEDSYNC_TEST_MAIN(TestDynamoDbRecordsReader)
#include "tst_dynamodbrecordsreader.moc"

// JsonWriter: what it writes is JSON that QJsonDocument reads back as the values written: commas in
// nested objects and lists, texts with quotes, backslashes, control characters and UTF-8 of every
// length, numbers, booleans, ready-made JSON.
#include "common/jsonwriter.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

using namespace fedsync;

class TestJsonWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsBackAsWritten();
    void emptyContainers();
    void fixedPointIsExact_data();
    void fixedPointIsExact();
};

void TestJsonWriter::readsBackAsWritten()
{
    const QString tricky =
        QStringLiteral("a \"quote\", a \\ backslash, a / slash\n\t\r\x01\x1f, caf\u00e9 \u65e5 ") +
        QString::fromUcs4(U"\U0001F600");
    JsonWriter json;
    json.beginObject();
    json.name(u"text");
    json.string(tricky);
    json.name(tricky); // a name is a text too
    json.number(-9007199254740993);
    json.name(u"list");
    json.beginArray();
    json.boolean(true);
    json.boolean(false);
    json.beginObject();
    json.name(u"inner");
    json.beginArray();
    json.number(1);
    json.number(2);
    json.endArray();
    json.endObject();
    json.raw(R"({"ready":[null,"made"]})");
    json.string(u"");
    json.endArray();
    json.name(u"after");
    json.number(0);
    json.endObject();

    QJsonParseError error;
    const QJsonDocument read = QJsonDocument::fromJson(json.bytes(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError,
             qPrintable(error.errorString() + u' ' + QString::fromUtf8(json.bytes())));
    const QJsonObject expected{
        {QStringLiteral("text"), tricky},
        {tricky, qint64(-9007199254740993)},
        {QStringLiteral("list"),
         QJsonArray{
             true, false, QJsonObject{{QStringLiteral("inner"), QJsonArray{1, 2}}},
             QJsonObject{{QStringLiteral("ready"), QJsonArray{QJsonValue::Null, QStringLiteral("made")}}},
             QString()}},
        {QStringLiteral("after"), 0}};
    QCOMPARE(read.object(), expected);
    QVERIFY(!json.bytes().contains('\n')); // compact: the control characters are escaped
}

void TestJsonWriter::emptyContainers()
{
    JsonWriter json;
    json.beginArray();
    json.beginObject();
    json.endObject();
    json.beginArray();
    json.endArray();
    json.endArray();
    QCOMPARE(json.bytes(), QByteArray("[{},[]]"));
}

void TestJsonWriter::fixedPointIsExact_data()
{
    QTest::addColumn<qint64>("units");
    QTest::addColumn<int>("decimals");
    QTest::addColumn<QByteArray>("written");
    QTest::newRow("milliseconds") << Q_INT64_C(1700000000250) << 3 << QByteArray("1700000000.25");
    QTest::newRow("whole seconds") << Q_INT64_C(1700000000000) << 3 << QByteArray("1700000000");
    QTest::newRow("leading zeros kept") << Q_INT64_C(1700000000005) << 3 << QByteArray("1700000000.005");
    QTest::newRow("below one") << Q_INT64_C(42) << 3 << QByteArray("0.042");
    QTest::newRow("zero") << Q_INT64_C(0) << 3 << QByteArray("0");
    QTest::newRow("negative") << Q_INT64_C(-1500) << 3 << QByteArray("-1.5");
    QTest::newRow("no decimals") << Q_INT64_C(123) << 0 << QByteArray("123");
    QTest::newRow("lowest") << std::numeric_limits<qint64>::min() << 3 << QByteArray("-9223372036854775.808");
}

// An exact decimal, so a date in milliseconds reaches the service as the same instant.
void TestJsonWriter::fixedPointIsExact()
{
    QFETCH(qint64, units);
    QFETCH(int, decimals);
    QFETCH(QByteArray, written);
    JsonWriter json;
    json.beginArray();
    json.fixedPoint(units, decimals);
    json.number(7);
    json.endArray();
    QCOMPARE(json.bytes(), "[" + written + ",7]");
    const QJsonArray read = QJsonDocument::fromJson(json.bytes()).array();
    QCOMPARE(read.size(), 2);
    QCOMPARE(read.at(0).toDouble(), written.toDouble());
}

FEDSYNC_TEST_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"

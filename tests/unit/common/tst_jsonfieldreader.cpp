// JsonFieldReader: typed fields with defaults for absent or null ones, the first problem kept and named
// by its path, and the problem's short text.
#include "common/jsonfieldreader.h"
#include "testmain.h"

#include <QJsonDocument>
#include <QTest>

using namespace fedsync;

namespace {
QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}
} // namespace

class TestJsonFieldReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsTypedFields();
    void absentAndNullGiveDefaults();
    void wrongTypeIsNamedByItsPath_data();
    void wrongTypeIsNamedByItsPath();
    void requiredFieldMissing();
    void firstProblemIsKept();
    void choiceIsOneOfTheNames();
    void objectAtAndInvalid();
};

void TestJsonFieldReader::readsTypedFields()
{
    const QJsonObject o = parse(R"({"s": "text", "i": -3, "c": 9000000000, "b": true, "t": 1700000000.25,
                                   "o": {"x": 1}, "l": [1, 2]})");
    JsonFieldReader read;
    QCOMPARE(read.string(o, {}, QStringLiteral("s")), QStringLiteral("text"));
    QCOMPARE(read.requiredString(o, {}, QStringLiteral("s")), QStringLiteral("text"));
    QCOMPARE(read.optionalString(o, {}, QStringLiteral("s")), std::optional<QString>(QStringLiteral("text")));
    QCOMPARE(read.optionalInt(o, {}, QStringLiteral("i")), std::optional<int>(-3));
    QCOMPARE(read.count(o, {}, QStringLiteral("c")), Q_INT64_C(9000000000));
    QVERIFY(read.boolean(o, {}, QStringLiteral("b")));
    QCOMPARE(read.epochSeconds(o, {}, QStringLiteral("t")),
             QDateTime::fromMSecsSinceEpoch(Q_INT64_C(1700000000250), Qt::UTC));
    QCOMPARE(read.object(o, {}, QStringLiteral("o")).value(QStringLiteral("x")).toInt(), 1);
    QCOMPARE(read.array(o, {}, QStringLiteral("l")).size(), 2);
    QVERIFY(read.ok());
    QVERIFY(read.problemText().isEmpty());
}

void TestJsonFieldReader::absentAndNullGiveDefaults()
{
    const QJsonObject o = parse(R"({"n": null})");
    JsonFieldReader read;
    for (const QString &key : {QStringLiteral("n"), QStringLiteral("absent")}) {
        QCOMPARE(read.string(o, {}, key, QStringLiteral("fallback")), QStringLiteral("fallback"));
        QVERIFY(!read.optionalString(o, {}, key));
        QVERIFY(!read.optionalInt(o, {}, key));
        QCOMPARE(read.count(o, {}, key), qint64(0));
        QVERIFY(!read.boolean(o, {}, key));
        QVERIFY(!read.epochSeconds(o, {}, key).isValid());
        QVERIFY(read.object(o, {}, key).isEmpty());
        QVERIFY(read.array(o, {}, key).isEmpty());
    }
    QVERIFY(read.ok());
}

void TestJsonFieldReader::wrongTypeIsNamedByItsPath_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<int>("kind");
    using Kind = JsonFieldReader::Kind;
    QTest::newRow("string") << QByteArray(R"({"f": 1})") << QStringLiteral("a.f is not a string") << int(Kind::Text);
    QTest::newRow("int fraction") << QByteArray(R"({"f": 1.5})") << QStringLiteral("a.f is not a whole number")
                                  << int(Kind::WholeNumber);
    QTest::newRow("int too big") << QByteArray(R"({"f": 3000000000})") << QStringLiteral("a.f is not a whole number")
                                 << int(Kind::WholeNumber);
    QTest::newRow("count negative") << QByteArray(R"({"f": -1})") << QStringLiteral("a.f is not a count") << int(Kind::Count);
    QTest::newRow("count text") << QByteArray(R"({"f": "3"})") << QStringLiteral("a.f is not a count") << int(Kind::Count);
    QTest::newRow("boolean") << QByteArray(R"({"f": 1})") << QStringLiteral("a.f is not a boolean") << int(Kind::Boolean);
    QTest::newRow("timestamp") << QByteArray(R"({"f": "today"})") << QStringLiteral("a.f is not a timestamp")
                               << int(Kind::Timestamp);
    QTest::newRow("object") << QByteArray(R"({"f": []})") << QStringLiteral("a.f is not an object") << int(Kind::Object);
    QTest::newRow("list") << QByteArray(R"({"f": {}})") << QStringLiteral("a.f is not a list") << int(Kind::List);
}

void TestJsonFieldReader::wrongTypeIsNamedByItsPath()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, problem);
    QFETCH(int, kind);
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    const QString a = QStringLiteral("a.");
    const QString f = QStringLiteral("f");
    JsonFieldReader read;
    switch (JsonFieldReader::Kind(kind)) {
    case JsonFieldReader::Kind::Text:
        read.string(o, a, f);
        break;
    case JsonFieldReader::Kind::WholeNumber:
        read.optionalInt(o, a, f);
        break;
    case JsonFieldReader::Kind::Count:
        read.count(o, a, f);
        break;
    case JsonFieldReader::Kind::Boolean:
        read.boolean(o, a, f);
        break;
    case JsonFieldReader::Kind::Timestamp:
        read.epochSeconds(o, a, f);
        break;
    case JsonFieldReader::Kind::Object:
        read.object(o, a, f);
        break;
    case JsonFieldReader::Kind::List:
        read.array(o, a, f);
        break;
    }
    QVERIFY(read.failed());
    QCOMPARE(read.failure().problem, JsonFieldReader::Problem::WrongType);
    QCOMPARE(read.failure().field, QStringLiteral("a.f"));
    QCOMPARE(int(read.failure().expected), kind);
    QCOMPARE(read.problemText(), problem);
}

void TestJsonFieldReader::requiredFieldMissing()
{
    JsonFieldReader read;
    QVERIFY(read.requiredString(parse(R"({"k": null})"), QStringLiteral("r."), QStringLiteral("k")).isEmpty());
    QCOMPARE(read.failure().problem, JsonFieldReader::Problem::Missing);
    QCOMPARE(read.problemText(), QStringLiteral("r.k is missing"));

    JsonFieldReader count;
    count.count(parse("{}"), {}, QStringLiteral("SyncCount"), true);
    QCOMPARE(count.problemText(), QStringLiteral("SyncCount is missing"));
}

void TestJsonFieldReader::firstProblemIsKept()
{
    const QJsonObject o = parse(R"({"a": 1, "b": 2, "c": "ok"})");
    JsonFieldReader read;
    read.string(o, {}, QStringLiteral("a"));
    read.string(o, {}, QStringLiteral("b"));
    // Later reads still answer.
    QCOMPARE(read.string(o, {}, QStringLiteral("c")), QStringLiteral("ok"));
    QCOMPARE(read.failure().field, QStringLiteral("a"));
    read.missing(QStringLiteral("d"));
    QCOMPARE(read.failure().field, QStringLiteral("a"));
}

void TestJsonFieldReader::choiceIsOneOfTheNames()
{
    const QStringList names{QStringLiteral("embedded"), QStringLiteral("system")};
    JsonFieldReader read;
    QCOMPARE(read.choice(parse(R"({"m": " System "})"), {}, QStringLiteral("m"), names, 0), 1);
    QCOMPARE(read.choice(parse("{}"), {}, QStringLiteral("m"), names, 0), 0);
    QVERIFY(read.ok());
    QCOMPARE(read.choice(parse(R"({"m": "kiosk"})"), QStringLiteral("auth0."), QStringLiteral("m"), names, 0), 0);
    QCOMPARE(read.failure().problem, JsonFieldReader::Problem::BadValue);
    QCOMPARE(read.failure().field, QStringLiteral("auth0.m"));
    QCOMPARE(read.failure().value, QStringLiteral("kiosk"));
    QVERIFY2(read.failure().why.contains(QStringLiteral("embedded, system")), qPrintable(read.failure().why));
}

void TestJsonFieldReader::objectAtAndInvalid()
{
    JsonFieldReader read;
    QCOMPARE(read.objectAt(QJsonObject{{QStringLiteral("x"), 1}}, QStringLiteral("L[0]")).size(), 1);
    QVERIFY(read.ok());
    read.objectAt(QJsonValue(3), QStringLiteral("L[1]"));
    QCOMPARE(read.problemText(), QStringLiteral("L[1] is not an object"));

    JsonFieldReader own;
    own.invalid(QStringLiteral("NextToken does not advance"));
    QVERIFY(own.failed());
    QCOMPARE(own.problemText(), QStringLiteral("NextToken does not advance"));
}

FEDSYNC_TEST_MAIN(TestJsonFieldReader)
#include "tst_jsonfieldreader.moc"

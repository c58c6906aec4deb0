// JsonObjectMembers: the members a reader names, exactly as QJsonDocument gives them, on good texts and
// on damaged ones; and JsonScanner refusing the numbers QJsonDocument refuses.
#include "common/jsonobjectmembers.h"
#include "common/jsonscanner.h"
#include "jsonfuzz.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

using namespace fedsync;
using fedsync::test::breakRandomly;
using fedsync::test::randomJsonText;

namespace {

const std::initializer_list<QLatin1String> Names = {QLatin1String("a"), QLatin1String("b"),
                                                    QLatin1String("c")};

// What QJsonDocument makes of `json`: the values of Names, or nothing when it is not a JSON object.
std::optional<QList<QJsonValue>> careful(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    QList<QJsonValue> values;
    for (const QLatin1String name : Names)
        values << document.object().value(name);
    return values;
}

QList<QJsonValue> jsonValues(const QList<JsonMember> &members)
{
    QList<QJsonValue> values;
    for (const JsonMember &member : members)
        values << member.toJsonValue();
    return values;
}

// Whether every accessor of `member` answers as QJsonValue's does for `value`.
bool answersAs(const JsonMember &member, const QJsonValue &value)
{
    return member.type() == value.type() && member.isUndefined() == value.isUndefined() &&
           member.isNull() == value.isNull() && member.toString() == value.toString() &&
           member.toDouble() == value.toDouble() && member.toInteger() == value.toInteger() &&
           member.toBool() == value.toBool() && member.toArray() == value.toArray() &&
           member.toObject() == value.toObject();
}

std::optional<QList<QJsonValue>> fast(QByteArrayView json)
{
    const std::optional<QList<JsonMember>> members = JsonObjectMembers::read(json, Names);
    if (!members)
        return std::nullopt;
    return jsonValues(*members);
}

QString describe(const std::optional<QList<QJsonValue>> &values)
{
    if (!values)
        return QStringLiteral("not an object");
    QStringList parts;
    for (const QJsonValue &value : *values) {
        parts << (value.isUndefined()
                      ? QStringLiteral("undefined")
                      : QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)));
    }
    return parts.join(QLatin1Char(' '));
}

QByteArray quotedText(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

// A value of any kind, as JSON text: numbers in every spelling (some beyond a double's range), strings
// with escapes and UTF-8, lists, objects.
QByteArray randomValue(QRandomGenerator &random, int depth = 0)
{
    static const char *const numbers[] = {"0",
                                          "-0",
                                          "7",
                                          "-12",
                                          "1.5",
                                          "1e3",
                                          "1E-999",
                                          "1e999",
                                          "-1e999",
                                          "4.9e-324",
                                          "1.8e308",
                                          "0.1e1",
                                          "9223372036854775807",
                                          "9223372036854775808",
                                          "-9223372036854775808",
                                          "123456789012345678901234",
                                          "1700000000"};
    switch (random.bounded(depth > 1 ? 6 : 8)) {
    case 0:
        return numbers[random.bounded(int(std::size(numbers)))];
    case 1:
        return random.bounded(2) ? "true" : "false";
    case 2:
        return "null";
    case 3:
    case 4:
        return quotedText(randomJsonText(random));
    case 5:
        return R"("\ud800 alone")"; // a lone surrogate: QJsonDocument takes it, the scanner does not
    case 6: {
        QByteArrayList elements;
        for (int i = random.bounded(3); i > 0; --i)
            elements << randomValue(random, depth + 1);
        return '[' + elements.join(',') + ']';
    }
    default: {
        QByteArrayList members;
        for (int i = random.bounded(3); i > 0; --i)
            members << R"("n":)" + randomValue(random, depth + 1);
        return '{' + members.join(',') + '}';
    }
    }
}

QByteArray randomObject(QRandomGenerator &random)
{
    static const char *const names[] = {R"("a")",     R"("b")",      R"("c")",         R"("x")",
                                        R"("other")", R"("\u0061")", R"("caf\u00e9")", "\"\xc3\xa9\""};
    QByteArrayList members;
    for (int i = random.bounded(7); i > 0; --i)
        members << names[random.bounded(int(std::size(names)))] +
                       QByteArray(random.bounded(2) ? ":" : " : ") + randomValue(random);
    return '{' + members.join(',') + '}';
}

} // namespace

class TestJsonObjectMembers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsNamedMembers();
    void absentIsUndefinedAndNullIsNull();
    void aNameTwiceGivesTheLast();
    void refusesWhatIsNotAnObject_data();
    void refusesWhatIsNotAnObject();
    void agreesWithQJsonDocument();
    void scannerRefusesNumbersBeyondADouble_data();
    void scannerRefusesNumbersBeyondADouble();
};

void TestJsonObjectMembers::readsNamedMembers()
{
    const std::optional<QList<QJsonValue>> values =
        fast(R"({"x":{"deep":[1,{"a":2}]},"c":["aud1","aud2"],"a":"caf\u00e9 \"q\"","b":1700000000.5})");
    QVERIFY(values);
    QCOMPARE(values->at(0), QJsonValue(QString::fromUtf8("café \"q\"")));
    QCOMPARE(values->at(1).toDouble(), 1700000000.5);
    QCOMPARE(values->at(2), QJsonValue(QJsonArray{QStringLiteral("aud1"), QStringLiteral("aud2")}));

    const std::optional<QList<QJsonValue>> big = fast(R"({"a":9007199254740993,"b":-0,"c":true})");
    QVERIFY(big);
    QCOMPARE(big->at(0).toInteger(), Q_INT64_C(9007199254740993)); // whole, not rounded through a double
    QCOMPARE(big->at(1).toDouble(), 0.0);
    QCOMPARE(big->at(2), QJsonValue(true));
}

void TestJsonObjectMembers::absentIsUndefinedAndNullIsNull()
{
    const std::optional<QList<QJsonValue>> values = fast(R"({"b":null})");
    QVERIFY(values);
    QVERIFY(values->at(0).isUndefined());
    QVERIFY(values->at(1).isNull());
    QVERIFY(values->at(2).isUndefined());
    const std::optional<QList<JsonMember>> none = JsonObjectMembers::read("{}", {});
    QVERIFY(none);
    QVERIFY(none->isEmpty());
}

void TestJsonObjectMembers::aNameTwiceGivesTheLast()
{
    // RFC 7515 §5.2 lets a JWS reader take the lexically last of duplicate names, as QJsonDocument does.
    const std::optional<QList<QJsonValue>> values = fast(R"({"a":"first","b":1,"a":"second"})");
    QVERIFY(values);
    QCOMPARE(values->at(0), QJsonValue(QStringLiteral("second")));
    const std::optional<QList<QJsonValue>> escaped = fast(R"({"a":"plain","\u0061":"escaped"})");
    QVERIFY(escaped);
    QCOMPARE(escaped->at(0), QJsonValue(QStringLiteral("escaped")));
}

void TestJsonObjectMembers::refusesWhatIsNotAnObject_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("isJson");
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("a list") << QByteArray("[1,2]") << true;
    QTest::newRow("a string") << QByteArray(R"("a")") << false; // Qt 6.4 takes only an object or a list
    QTest::newRow("cut short") << QByteArray(R"({"a":)") << false;
    QTest::newRow("trailing comma") << QByteArray(R"({"a":1,})") << false;
    QTest::newRow("two objects") << QByteArray(R"({"a":1}{"b":2})") << false;
    QTest::newRow("a number too large") << QByteArray(R"({"x":1e999})") << false;
    QTest::newRow("a number too small") << QByteArray(R"({"x":1E-999})") << false;
    QTest::newRow("invalid UTF-8") << QByteArray("{\"a\":\"\xc3\x28\"}") << false;
}

void TestJsonObjectMembers::refusesWhatIsNotAnObject()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, isJson);
    QJsonParseError error;
    error.error = QJsonParseError::GarbageAtEnd;
    QVERIFY(!JsonObjectMembers::read(json, Names, &error));
    QCOMPARE(error.error == QJsonParseError::NoError, isJson);
}

void TestJsonObjectMembers::agreesWithQJsonDocument()
{
    QRandomGenerator random(20261206);
    int objects = 0;
    for (int i = 0; i < 20000; ++i) {
        QByteArray json = randomObject(random);
        if (random.bounded(4) == 0)
            breakRandomly(json, random, R"({}[]":,\ae1-.)");
        const std::optional<QList<QJsonValue>> expected = careful(json);
        const std::optional<QList<QJsonValue>> actual = fast(json);
        if (expected && actual) {
            const QList<JsonMember> members = *JsonObjectMembers::read(json, Names);
            for (qsizetype m = 0; m < members.size(); ++m)
                QVERIFY2(answersAs(members.at(m), expected->at(m)), json.constData());
        }
        objects += expected.has_value();
        QVERIFY2(describe(actual) == describe(expected) && (!expected || *actual == *expected),
                 qPrintable(QStringLiteral("%1\n   read: %2\n   QJsonDocument: %3")
                                .arg(QString::fromUtf8(json), describe(actual), describe(expected))));
    }
    QVERIFY2(objects > 10000, "the generator must make mostly valid objects");
}

void TestJsonObjectMembers::scannerRefusesNumbersBeyondADouble_data()
{
    QTest::addColumn<QByteArray>("number");
    for (const char *number : {"1e999", "-1e999", "1.8e308", "1E-999", "1e-324", "4.9e-324", "1e308", "0e999",
                               "2.5e-324", "123456789012345678901234"})
        QTest::newRow(number) << QByteArray(number);
    QTest::newRow("301 digits") << QByteArray(301, '9');
    QTest::newRow("310 digits") << QByteArray(310, '9');
}

void TestJsonObjectMembers::scannerRefusesNumbersBeyondADouble()
{
    QFETCH(QByteArray, number);
    const QByteArray json = "[" + number + "]";
    JsonScanner scanner(json);
    const bool scanned = scanner.skipValue() && scanner.atEnd();
    QJsonParseError error;
    QJsonDocument::fromJson(json, &error);
    QCOMPARE(scanned, error.error == QJsonParseError::NoError);
}

FEDSYNC_TEST_MAIN(TestJsonObjectMembers)
#include "tst_jsonobjectmembers.moc"

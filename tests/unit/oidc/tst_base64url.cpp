// Base64url: RFC 4648 test vectors, and the strictness JWT parsing relies on.
#include "oidc/base64url.h"
#include "testmain.h"

using namespace fedsync;

class TestBase64Url : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrips_data();
    void roundTrips();
    void acceptsPadding_data();
    void acceptsPadding();
    void rejectsInvalidInput_data();
    void rejectsInvalidInput();
};

void TestBase64Url::roundTrips_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("f") << QByteArray("f") << QByteArray("Zg");
    QTest::newRow("fo") << QByteArray("fo") << QByteArray("Zm8");
    QTest::newRow("foo") << QByteArray("foo") << QByteArray("Zm9v");
    QTest::newRow("foob") << QByteArray("foob") << QByteArray("Zm9vYg");
    QTest::newRow("fooba") << QByteArray("fooba") << QByteArray("Zm9vYmE");
    QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("Zm9vYmFy");
    QTest::newRow("url-safe alphabet") << QByteArray("\xfb\xff\xbf", 3) << QByteArray("-_-_");
    QTest::newRow("zero bytes") << QByteArray(4, '\0') << QByteArray("AAAAAA");
}

void TestBase64Url::roundTrips()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, encoded);
    QCOMPARE(Base64Url::encode(data), encoded);
    QCOMPARE(Base64Url::decode(QByteArrayView(encoded)), std::optional<QByteArray>(data));
    QCOMPARE(Base64Url::decode(QString::fromLatin1(encoded)), std::optional<QByteArray>(data));
}

void TestBase64Url::acceptsPadding_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("two") << QByteArray("Zg==") << QByteArray("f");
    QTest::newRow("one") << QByteArray("Zm8=") << QByteArray("fo");
    QTest::newRow("none needed") << QByteArray("Zm9v") << QByteArray("foo");
}

void TestBase64Url::acceptsPadding()
{
    QFETCH(QByteArray, encoded);
    QFETCH(QByteArray, data);
    QCOMPARE(Base64Url::decode(QByteArrayView(encoded)), std::optional<QByteArray>(data));
}

void TestBase64Url::rejectsInvalidInput_data()
{
    QTest::addColumn<QString>("encoded");
    QTest::newRow("plus (standard alphabet)") << QStringLiteral("-+8");
    QTest::newRow("slash (standard alphabet)") << QStringLiteral("_/8");
    QTest::newRow("space") << QStringLiteral("Zm9 v");
    QTest::newRow("newline") << QStringLiteral("Zm9v\nYg");
    QTest::newRow("dot") << QStringLiteral("Zm9v.Yg");
    QTest::newRow("padding in the middle") << QStringLiteral("Zg==Zg");
    QTest::newRow("padding not completing a group") << QStringLiteral("Zg=");
    QTest::newRow("three padding characters") << QStringLiteral("Z===");
    QTest::newRow("one character") << QStringLiteral("Z");
    QTest::newRow("five characters") << QStringLiteral("Zm9vY");
    QTest::newRow("non-zero unused bits") << QStringLiteral("Zh");
    QTest::newRow("non-ASCII") << QStringLiteral("Zm9vé");
    QTest::newRow("only padding") << QStringLiteral("====");
}

void TestBase64Url::rejectsInvalidInput()
{
    QFETCH(QString, encoded);
    QVERIFY(!Base64Url::decode(encoded).has_value());
}

FEDSYNC_TEST_MAIN(TestBase64Url)
#include "tst_base64url.moc"

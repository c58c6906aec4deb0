// Redaction: what may reach a log line, a trace or an error text about a secret.
#include "log/redact.h"
#include "testmain.h"

using namespace fedsync;

class TestRedact : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void redactsToPrefixAndLength_data();
    void redactsToPrefixAndLength();
    void scrubsSecretsInFreeText_data();
    void scrubsSecretsInFreeText();
};

void TestRedact::redactsToPrefixAndLength_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QString() << QStringLiteral("(empty)");
    QTest::newRow("short: nothing shown") << QStringLiteral("hunter2") << QStringLiteral("…(7 chars)");
    QTest::newRow("eight: nothing shown") << QStringLiteral("12345678") << QStringLiteral("…(8 chars)");
    QTest::newRow("twelve: a quarter") << QStringLiteral("abcdefghijkl") << QStringLiteral("abc…(12 chars)");
    QTest::newRow("token: six") << QStringLiteral("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9")
                                << QStringLiteral("eyJhbG…(36 chars)");
    QTest::newRow("unicode counted in chars") << QStringLiteral("ééééééééééééééééééééééééé")
                                               << QStringLiteral("éééééé…(25 chars)");
}

void TestRedact::redactsToPrefixAndLength()
{
    QFETCH(QString, secret);
    QFETCH(QString, expected);
    QCOMPARE(redact(secret), expected);
    QCOMPARE(redact(secret.toUtf8()), expected);
    if (secret.size() > 8)
        QVERIFY(!redact(secret).contains(secret.mid(6)));
}

void TestRedact::scrubsSecretsInFreeText_data()
{
    const QString jwt = QStringLiteral("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhdXRoMHwxMjMifQ.c2lnbmF0dXJlc2lnbmF0dXJl");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("mustNotContain");
    QTest::addColumn<QString>("mustContain");
    QTest::newRow("bare jwt") << QStringLiteral("got token %1 from server").arg(jwt)
                              << QStringLiteral("eyJzdWIiOiJhdXRoMHwxMjMifQ") << QStringLiteral("got token eyJhbG…");
    QTest::newRow("json refresh token") << QStringLiteral(R"({"refresh_token": "v1.MjQ5NzE0ODUtZjE4Ni00Nm", "x":1})")
                                        << QStringLiteral("MjQ5NzE0ODUtZjE4Ni00Nm") << QStringLiteral(R"("x":1)");
    QTest::newRow("form code") << QStringLiteral("grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&x=1")
                               << QStringLiteral("SplxlOBeZQQYbYS6WxSbIA") << QStringLiteral("&x=1");
    QTest::newRow("aws secret") << QStringLiteral(R"({"SecretKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})")
                                << QStringLiteral("K7MDENG") << QStringLiteral("SecretKey");
    QTest::newRow("harmless text kept") << QStringLiteral("signed in as alice@example.com")
                                        << QStringLiteral("\x01") << QStringLiteral("signed in as alice@example.com");
}

void TestRedact::scrubsSecretsInFreeText()
{
    QFETCH(QString, text);
    QFETCH(QString, mustNotContain);
    QFETCH(QString, mustContain);
    const QString scrubbed = scrubSecrets(text);
    QVERIFY2(!scrubbed.contains(mustNotContain), qPrintable(scrubbed));
    QVERIFY2(scrubbed.contains(mustContain), qPrintable(scrubbed));
}

FEDSYNC_TEST_MAIN(TestRedact)
#include "tst_redact.moc"

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
    void lengthOnly();
    void credentialHeaders_data();
    void credentialHeaders();
    void canonicalRequestKeepsNoCredential();
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

void TestRedact::lengthOnly()
{
    QCOMPARE(redactLength(u"v1.MjQ5NzE0ODUtZjE4Ni00Nm"), QStringLiteral("…(25 chars)"));
    QCOMPARE(redactLength(QString()), QStringLiteral("(empty)"));
}

void TestRedact::credentialHeaders_data()
{
    const QByteArray signature = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("mustNotContain");
    QTest::addColumn<QString>("mustContain");
    QTest::newRow("session token") << QByteArray("X-Amz-Security-Token") << QByteArray("IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH")
                                   << QStringLiteral("IQoJb3") << QStringLiteral("…(48 chars)");
    QTest::newRow("sigv4 authorization")
        << QByteArray("authorization")
        << QByteArray("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20240102/us-east-1/cognito-sync/aws4_request, "
                      "SignedHeaders=host;x-amz-date, Signature=") + signature
        << QString::fromLatin1(signature.left(8)) << QStringLiteral("Credential=ASIAEXAMPLE/20240102/us-east-1/cognito-sync/aws4_request, SignedHeaders=host;x-amz-date, Signature=…(64 chars)");
    QTest::newRow("bearer") << QByteArray("Authorization") << QByteArray("Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig")
                            << QStringLiteral("eyJhbG") << QStringLiteral("Bearer …(");
    QTest::newRow("cookie") << QByteArray("Set-Cookie") << QByteArray("_session=abcdefghijkl; Path=/")
                            << QStringLiteral("abcdef") << QStringLiteral("chars)");
    QTest::newRow("ordinary header kept") << QByteArray("Content-Type") << QByteArray("application/json")
                                          << QStringLiteral("chars)") << QStringLiteral("application/json");
}

void TestRedact::credentialHeaders()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QFETCH(QString, mustNotContain);
    QFETCH(QString, mustContain);
    const QString printed = printableHeaderValue(name, value);
    QVERIFY2(!printed.contains(mustNotContain), qPrintable(printed));
    QVERIFY2(printed.contains(mustContain), qPrintable(printed));
}

void TestRedact::canonicalRequestKeepsNoCredential()
{
    const QByteArray canonical = "GET\n/identitypools/p/identities/i/datasets\nX-Amz-Security-Token=QUERYTOKEN123456&a=1\n"
                                 "host:127.0.0.1:1\nx-amz-date:20240102T030405Z\nx-amz-security-token:HEADERTOKEN1234567890\n\n"
                                 "host;x-amz-date;x-amz-security-token\n"
                                 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const QString printed = printableCanonicalRequest(canonical);
    QVERIFY2(!printed.contains(QStringLiteral("HEADERTOKEN")), qPrintable(printed));
    QVERIFY2(!printed.contains(QStringLiteral("QUERYTOKEN")), qPrintable(printed));
    QVERIFY(printed.contains(QStringLiteral("x-amz-security-token:…(21 chars)")));
    QVERIFY(printed.contains(QStringLiteral("X-Amz-Security-Token=…(16 chars)&a=1")));
    QVERIFY(printed.contains(QStringLiteral("x-amz-date:20240102T030405Z")));
    QVERIFY(printed.endsWith(QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")));
}

FEDSYNC_TEST_MAIN(TestRedact)
#include "tst_redact.moc"

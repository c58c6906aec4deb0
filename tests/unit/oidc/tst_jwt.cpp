// Jwt: taking a compact JWS apart, and refusing anything that is not one with a clear error.
#include "oidc/base64url.h"
#include "oidc/jwt.h"
#include "testmain.h"
#include "testtokenfactory.h"

#include <QJsonDocument>

using namespace fedsync;
using fedsync::test::TestTokenFactory;

namespace {

QByteArray b64(const QByteArray &data)
{
    return Base64Url::encode(data);
}

const QByteArray Header = b64(R"({"alg":"RS256","kid":"k1","typ":"JWT"})");
const QByteArray Payload = b64(R"({"sub":"auth0|123","n":1})");
const QByteArray Signature = b64("not really a signature");

} // namespace

class TestJwt : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesCompactJws();
    void parsesEmptySignature();
    void rejectsMalformed_data();
    void rejectsMalformed();
    void acceptsUpToMaxSize();
};

void TestJwt::parsesCompactJws()
{
    UserError error;
    const std::optional<Jwt> jwt = Jwt::parse(TestTokenFactory::compact(Header, Payload, Signature), &error);
    QVERIFY2(jwt, qPrintable(error.text()));
    QVERIFY(!error.isError());
    QCOMPARE(jwt->algorithm(), QStringLiteral("RS256"));
    QCOMPARE(jwt->keyId(), QStringLiteral("k1"));
    QCOMPARE(jwt->header().value(QLatin1String("typ")).toString(), QStringLiteral("JWT"));
    QCOMPARE(jwt->payload().value(QLatin1String("sub")).toString(), QStringLiteral("auth0|123"));
    QCOMPARE(jwt->payload().value(QLatin1String("n")).toInt(), 1);
    QCOMPARE(jwt->signingInput(), QByteArray(Header + '.' + Payload));
    QCOMPARE(jwt->signature(), QByteArray("not really a signature"));
}

void TestJwt::parsesEmptySignature()
{
    // Shape only: an unsigned token parses, and IdTokenValidator refuses it.
    UserError error;
    const std::optional<Jwt> jwt =
        Jwt::parse(TestTokenFactory::compact(b64(R"({"alg":"none"})"), Payload, {}), &error);
    QVERIFY(jwt);
    QCOMPARE(jwt->algorithm(), QStringLiteral("none"));
    QVERIFY(jwt->keyId().isEmpty());
    QVERIFY(jwt->signature().isEmpty());
}

void TestJwt::rejectsMalformed_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("whyContains");

    auto row = [](const char *name, const QByteArray &token, const char *code, const QString &why) {
        QTest::newRow(name) << QString::fromLatin1(token) << QString::fromLatin1(code) << why;
    };
    row("empty", {}, "oidc.jwt.empty", QStringLiteral("empty"));
    row("one part", Header, "oidc.jwt.parts", QStringLiteral("1 dot-separated"));
    row("two parts", Header + '.' + Payload, "oidc.jwt.parts", QStringLiteral("2 dot-separated"));
    row("four parts", Header + '.' + Payload + '.' + Signature + '.', "oidc.jwt.parts",
        QStringLiteral("4 dot-separated"));
    row("five parts (JWE)", Header + ".a.b.c.d", "oidc.jwt.parts", QStringLiteral("5 dot-separated"));
    row("header not base64url", "eyJ*bGci." + Payload + '.' + Signature, "oidc.jwt.base64",
        QStringLiteral("header"));
    row("payload standard base64", Header + ".eyJzdWIiOiJ+fn4ifQ." + Signature, "oidc.jwt.base64",
        QStringLiteral("payload"));
    row("signature with padding inside", Header + '.' + Payload + ".ab=c", "oidc.jwt.base64",
        QStringLiteral("signature"));
    row("header not JSON", b64("alg=RS256") + '.' + Payload + '.' + Signature, "oidc.jwt.json",
        QStringLiteral("header is not valid JSON"));
    row("payload not JSON", Header + '.' + b64("{\"sub\":") + '.' + Signature, "oidc.jwt.json",
        QStringLiteral("payload is not valid JSON"));
    row("payload a JSON array", Header + '.' + b64("[1,2]") + '.' + Signature, "oidc.jwt.json",
        QStringLiteral("not a JSON object"));
    row("header a JSON string", b64("\"RS256\"") + '.' + Payload + '.' + Signature, "oidc.jwt.json",
        QStringLiteral("header"));
    row("empty payload", Header + ".." + Signature, "oidc.jwt.json", QStringLiteral("payload"));
    const QByteArray huge = b64(R"({"x":")" + QByteArray(70 * 1024, 'a') + R"("})");
    row("over 64 KiB", Header + '.' + huge + '.' + Signature, "oidc.jwt.size",
        QStringLiteral("at most 65536"));
    QTest::newRow("non-ASCII") << (QString::fromLatin1(Header + '.' + Payload + '.') + QStringLiteral("é"))
                               << QStringLiteral("oidc.jwt.base64") << QStringLiteral("not base64url");
}

void TestJwt::rejectsMalformed()
{
    QFETCH(QString, token);
    QFETCH(QString, code);
    QFETCH(QString, whyContains);
    UserError error;
    QVERIFY(!Jwt::parse(token, &error));
    QCOMPARE(error.code, code);
    QVERIFY2(error.why.contains(whyContains), qPrintable(error.why));
    QVERIFY(!error.what.isEmpty());
    QVERIFY(!error.action.isEmpty());
    if (token.size() > 20)
        QVERIFY2(!error.text().contains(token.left(20)), "the error must not quote the token");
}

void TestJwt::acceptsUpToMaxSize()
{
    // Grow the payload until the token is exactly at the limit, with a valid base64url signature.
    for (int filler = 0; filler < 8; ++filler) {
        const QByteArray payload = b64(R"({"x":")" + QByteArray(40 * 1024 + filler, 'a') + R"("})");
        const qsizetype signatureLength = Jwt::MaxSize - (Header.size() + 1 + payload.size() + 1);
        if (signatureLength % 4 == 1)
            continue;
        const QString token = TestTokenFactory::compact(Header, payload, QByteArray(signatureLength, 'A'));
        QCOMPARE(token.size(), Jwt::MaxSize);
        UserError error;
        QVERIFY2(Jwt::parse(token, &error), qPrintable(error.text()));
        QVERIFY(!Jwt::parse(QString(token).append(u'A'), &error));
        QCOMPARE(error.code, QStringLiteral("oidc.jwt.size"));
        return;
    }
    QFAIL("could not build a token of exactly the maximum size");
}

FEDSYNC_TEST_MAIN(TestJwt)
#include "tst_jwt.moc"

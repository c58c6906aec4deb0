// PKCE (RFC 7636, S256) and the random state/nonce values of a sign-in.
#include "oidc/pkce.h"
#include "testmain.h"

#include <QRegularExpression>
#include <QSet>

using namespace fedsync;

class TestPkce : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rfc7636AppendixB();
    void generatesFreshVerifiers();
    void validatesVerifiers_data();
    void validatesVerifiers();
    void randomUrlSafe_data();
    void randomUrlSafe();
    void randomUrlSafeRefusesNonPositiveSizes();
};

void TestPkce::rfc7636AppendixB()
{
    const QString verifier = QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    const QString challenge = QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    QCOMPARE(Pkce::challengeS256(verifier), challenge);
    const std::optional<Pkce> pkce = Pkce::fromVerifier(verifier);
    QVERIFY(pkce);
    QCOMPARE(pkce->verifier(), verifier);
    QCOMPARE(pkce->challenge(), challenge);
    QCOMPARE(Pkce::method(), QStringLiteral("S256"));
}

void TestPkce::generatesFreshVerifiers()
{
    static const QRegularExpression urlSafe(QStringLiteral("^[A-Za-z0-9_-]+$"));
    QSet<QString> seen;
    for (int i = 0; i < 50; ++i) {
        const std::optional<Pkce> pkce = Pkce::generate();
        QVERIFY(pkce);
        QCOMPARE(pkce->verifier().size(), 43); // 32 random bytes
        QVERIFY(Pkce::isValidVerifier(pkce->verifier()));
        QVERIFY(urlSafe.match(pkce->verifier()).hasMatch());
        QCOMPARE(pkce->challenge(), Pkce::challengeS256(pkce->verifier()));
        QCOMPARE(pkce->challenge().size(), 43); // SHA-256, base64url without padding
        QVERIFY(pkce->challenge() != pkce->verifier());
        seen.insert(pkce->verifier());
    }
    QCOMPARE(seen.size(), 50);
}

void TestPkce::validatesVerifiers_data()
{
    QTest::addColumn<QString>("verifier");
    QTest::addColumn<bool>("valid");
    QTest::newRow("42: too short") << QString(42, u'a') << false;
    QTest::newRow("43: shortest") << QString(43, u'a') << true;
    QTest::newRow("128: longest") << QString(128, u'Z') << true;
    QTest::newRow("129: too long") << QString(129, u'Z') << false;
    QTest::newRow("unreserved punctuation") << QString(40, u'0').append(QStringLiteral("-._~")) << true;
    QTest::newRow("plus") << QString(42, u'a').append(QChar(u'+')) << false;
    QTest::newRow("slash") << QString(42, u'a').append(QChar(u'/')) << false;
    QTest::newRow("padding") << QString(42, u'a').append(QChar(u'=')) << false;
    QTest::newRow("non-ASCII") << QString(42, u'a').append(QChar(u'é')) << false;
    QTest::newRow("empty") << QString() << false;
}

void TestPkce::validatesVerifiers()
{
    QFETCH(QString, verifier);
    QFETCH(bool, valid);
    QCOMPARE(Pkce::isValidVerifier(verifier), valid);
    QCOMPARE(Pkce::fromVerifier(verifier).has_value(), valid);
}

void TestPkce::randomUrlSafe_data()
{
    QTest::addColumn<int>("bytes");
    QTest::addColumn<int>("length");
    QTest::newRow("1 byte") << 1 << 2;
    QTest::newRow("16 bytes") << 16 << 22;
    QTest::newRow("32 bytes: state and nonce") << 32 << 43;
    QTest::newRow("96 bytes: longest verifier") << 96 << 128;
}

void TestPkce::randomUrlSafe()
{
    QFETCH(int, bytes);
    QFETCH(int, length);
    static const QRegularExpression urlSafe(QStringLiteral("^[A-Za-z0-9_-]+$"));
    const std::optional<QString> first = Pkce::randomUrlSafe(bytes);
    const std::optional<QString> second = Pkce::randomUrlSafe(bytes);
    QVERIFY(first && second);
    QCOMPARE(first->size(), length);
    QVERIFY2(urlSafe.match(*first).hasMatch(), qPrintable(*first));
    if (bytes >= 16)
        QVERIFY(*first != *second);
}

void TestPkce::randomUrlSafeRefusesNonPositiveSizes()
{
    QVERIFY(!Pkce::randomUrlSafe(0));
    QVERIFY(!Pkce::randomUrlSafe(-1));
}

FEDSYNC_TEST_MAIN(TestPkce)
#include "tst_pkce.moc"

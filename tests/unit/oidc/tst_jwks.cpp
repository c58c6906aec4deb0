// Jwks: reading a key set into OpenSSL keys, setting aside keys Fedsync refuses, RS256 verification.
#include "oidc/jwks.h"
#include "testmain.h"
#include "testtokenfactory.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <openssl/err.h>

using namespace fedsync;
using fedsync::test::TestKey;
using fedsync::test::TestTokenFactory;

class TestJwks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void parsesKeysAndFindsByKid();
    void verifiesRs256_data();
    void verifiesRs256();
    void setsAsideUnusableKeys_data();
    void setsAsideUnusableKeys();
    void rejectsDocuments_data();
    void rejectsDocuments();
    void onlyKeyForKidlessTokens();
    void keepsFirstOfDuplicateKids();
    void movesKeepTheKeys();

private:
    std::optional<Jwks> parse(const QByteArray &json)
    {
        UserError error;
        std::optional<Jwks> jwks = Jwks::parse(json, &error);
        if (!jwks)
            qWarning("%s", qPrintable(error.text()));
        return jwks;
    }
    QJsonObject withField(const QJsonObject &jwk, const QString &name, const QJsonValue &value)
    {
        QJsonObject copy = jwk;
        copy.insert(name, value);
        return copy;
    }

    std::optional<TestKey> m_key1;
    std::optional<TestKey> m_key2;
    std::optional<TestKey> m_short;
};

void TestJwks::initTestCase()
{
    m_key1 = TestKey::generate(QStringLiteral("key-1"));
    m_key2 = TestKey::generate(QStringLiteral("key-2"), 3072);
    m_short = TestKey::generate(QStringLiteral("short"), 1024);
}

void TestJwks::parsesKeysAndFindsByKid()
{
    const std::optional<Jwks> jwks = parse(TestTokenFactory::jwks({&*m_key1, &*m_key2}));
    QVERIFY(jwks);
    QCOMPARE(jwks->size(), 2);
    QCOMPARE(jwks->keyIds(), (QStringList{QStringLiteral("key-1"), QStringLiteral("key-2")}));
    const Jwks::Key *key = jwks->find(u"key-2");
    QVERIFY(key);
    QCOMPARE(key->kid, QStringLiteral("key-2"));
    QCOMPARE(key->bits, 3072);
    QCOMPARE(key->use, QStringLiteral("sig"));
    QCOMPARE(key->alg, QStringLiteral("RS256"));
    QCOMPARE(jwks->find(u"key-1")->bits, 2048);
    QVERIFY(!jwks->find(u"key-3"));
    QVERIFY(!jwks->find(u""));
    QVERIFY(!jwks->onlyKey());
}

void TestJwks::verifiesRs256_data()
{
    QTest::addColumn<QByteArray>("signedInput");
    QTest::addColumn<QByteArray>("checkedInput");
    QTest::addColumn<QString>("signer");
    QTest::addColumn<int>("signatureChange"); // 0 none, 1 flip a bit, 2 truncate, 3 empty, 4 append
    QTest::addColumn<bool>("verified");
    const QByteArray input("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhdXRoMHwxMjMifQ");
    QTest::newRow("good") << input << input << QStringLiteral("key-1") << 0 << true;
    QTest::newRow("other input") << input << QByteArray(input).append('x') << QStringLiteral("key-1") << 0
                                 << false;
    QTest::newRow("signed by another key") << input << input << QStringLiteral("key-2") << 0 << false;
    QTest::newRow("bit flipped") << input << input << QStringLiteral("key-1") << 1 << false;
    QTest::newRow("truncated") << input << input << QStringLiteral("key-1") << 2 << false;
    QTest::newRow("empty") << input << input << QStringLiteral("key-1") << 3 << false;
    QTest::newRow("extra byte") << input << input << QStringLiteral("key-1") << 4 << false;
}

void TestJwks::verifiesRs256()
{
    QFETCH(QByteArray, signedInput);
    QFETCH(QByteArray, checkedInput);
    QFETCH(QString, signer);
    QFETCH(int, signatureChange);
    QFETCH(bool, verified);
    const std::optional<Jwks> jwks = parse(TestTokenFactory::jwks({&*m_key1}));
    QVERIFY(jwks);
    const TestKey &signingKey = signer == m_key1->kid() ? *m_key1 : *m_key2;
    QByteArray signature = signingKey.signRs256(signedInput);
    switch (signatureChange) {
    case 1:
        signature[10] = char(signature[10] ^ 0x01);
        break;
    case 2:
        signature.chop(1);
        break;
    case 3:
        signature.clear();
        break;
    case 4:
        signature.append('\0');
        break;
    default:
        break;
    }
    QCOMPARE(jwks->find(u"key-1")->verifyRs256(checkedInput, signature), verified);
    // Whatever the outcome, OpenSSL's error queue (this thread's, shared with TLS) is left empty.
    QCOMPARE(ERR_peek_error(), 0ul);
    // The same key and the thread's digest context serve the next token.
    const QByteArray next("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJuZXh0In0");
    QVERIFY(jwks->find(u"key-1")->verifyRs256(next, m_key1->signRs256(next)));
}

void TestJwks::setsAsideUnusableKeys_data()
{
    QTest::addColumn<QJsonObject>("jwk");
    QTest::addColumn<QString>("reasonContains");
    const QJsonObject good = TestKey::generate(QStringLiteral("odd")).jwk();
    QTest::newRow("1024-bit") << TestKey::generate(QStringLiteral("odd"), 1024).jwk()
                              << QStringLiteral("1024-bit");
    QTest::newRow("EC key") << withField(good, QStringLiteral("kty"), QStringLiteral("EC"))
                            << QStringLiteral("\"EC\"");
    QTest::newRow("encryption key") << withField(good, QStringLiteral("use"), QStringLiteral("enc"))
                                    << QStringLiteral("\"enc\"");
    QTest::newRow("RS512 key") << withField(good, QStringLiteral("alg"), QStringLiteral("RS512"))
                               << QStringLiteral("RS512");
    QTest::newRow("modulus missing") << withField(good, QStringLiteral("n"), QJsonValue())
                                     << QStringLiteral("\"n\"");
    QTest::newRow("modulus not base64url")
        << withField(good, QStringLiteral("n"), QStringLiteral("a+b/")) << QStringLiteral("\"n\"");
    QTest::newRow("even exponent") << withField(good, QStringLiteral("e"), QStringLiteral("AQAA"))
                                   << QStringLiteral("\"e\"");
    QTest::newRow("exponent 1") << withField(good, QStringLiteral("e"), QStringLiteral("AQ"))
                                << QStringLiteral("\"e\"");
}

void TestJwks::setsAsideUnusableKeys()
{
    QFETCH(QJsonObject, jwk);
    QFETCH(QString, reasonContains);

    // Next to a good key, the bad one is set aside with its reason.
    std::optional<Jwks> jwks = parse(TestTokenFactory::jwksOf(std::vector<QJsonObject>{m_key1->jwk(), jwk}));
    QVERIFY(jwks);
    QCOMPARE(jwks->size(), 1);
    QVERIFY(!jwks->find(u"odd"));
    QVERIFY2(jwks->rejectionReason(u"odd").contains(reasonContains),
             qPrintable(jwks->rejectionReason(u"odd")));
    QVERIFY(jwks->rejectionReason(u"key-1").isEmpty());

    // Alone, it leaves no usable key: the whole set is refused.
    UserError error;
    QVERIFY(!Jwks::parse(TestTokenFactory::jwksOf(std::vector<QJsonObject>{jwk}), &error));
    QCOMPARE(error.code, QStringLiteral("oidc.jwks.no_usable_key"));
    QVERIFY2(error.why.contains(reasonContains), qPrintable(error.why));
}

void TestJwks::rejectsDocuments_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("code");
    QTest::newRow("not JSON") << QByteArray("<html>Not found</html>") << QStringLiteral("oidc.jwks.json");
    QTest::newRow("JSON array") << QByteArray("[]") << QStringLiteral("oidc.jwks.json");
    QTest::newRow("no keys") << QByteArray(R"({"issuer":"https://x/"})") << QStringLiteral("oidc.jwks.keys");
    QTest::newRow("keys not an array") << QByteArray(R"({"keys":{}})") << QStringLiteral("oidc.jwks.keys");
    QTest::newRow("empty keys") << QByteArray(R"({"keys":[]})") << QStringLiteral("oidc.jwks.no_usable_key");
    QTest::newRow("keys of strings") << QByteArray(R"({"keys":["a"]})")
                                     << QStringLiteral("oidc.jwks.no_usable_key");
}

void TestJwks::rejectsDocuments()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, code);
    UserError error;
    QVERIFY(!Jwks::parse(json, &error));
    QCOMPARE(error.code, code);
    QVERIFY(!error.what.isEmpty() && !error.why.isEmpty() && !error.action.isEmpty());
}

void TestJwks::onlyKeyForKidlessTokens()
{
    QJsonObject kidless = m_key1->jwk();
    kidless.remove(QStringLiteral("kid"));
    std::optional<Jwks> one = parse(TestTokenFactory::jwksOf(std::vector<QJsonObject>{kidless}));
    QVERIFY(one);
    QVERIFY(one->onlyKey());
    QVERIFY(one->onlyKey()->kid.isEmpty());

    QJsonObject kidless2 = m_key2->jwk();
    kidless2.remove(QStringLiteral("kid"));
    std::optional<Jwks> two = parse(TestTokenFactory::jwksOf(std::vector<QJsonObject>{kidless, kidless2}));
    QVERIFY(two);
    QCOMPARE(two->size(), 2);
    QVERIFY(!two->onlyKey());
}

void TestJwks::keepsFirstOfDuplicateKids()
{
    QJsonObject impostor = m_key2->jwk();
    impostor.insert(QStringLiteral("kid"), QStringLiteral("key-1"));
    std::optional<Jwks> jwks =
        parse(TestTokenFactory::jwksOf(std::vector<QJsonObject>{m_key1->jwk(), impostor}));
    QVERIFY(jwks);
    QCOMPARE(jwks->size(), 1);
    QCOMPARE(jwks->find(u"key-1")->bits, 2048);
    QVERIFY(jwks->rejectionReason(u"key-1").contains(QStringLiteral("same kid")));
}

void TestJwks::movesKeepTheKeys()
{
    std::optional<Jwks> parsed = parse(TestTokenFactory::jwks({&*m_key1}));
    QVERIFY(parsed);
    Jwks moved = std::move(*parsed);
    const QByteArray input("header.payload");
    QVERIFY(moved.find(u"key-1")->verifyRs256(input, m_key1->signRs256(input)));
    Jwks assigned;
    QVERIFY(assigned.isEmpty());
    assigned = std::move(moved);
    QVERIFY(assigned.find(u"key-1")->verifyRs256(input, m_key1->signRs256(input)));
}

FEDSYNC_TEST_MAIN(TestJwks)
#include "tst_jwks.moc"

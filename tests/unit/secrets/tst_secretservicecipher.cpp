// SecretServiceCipher, the transfer encryption of a Secret Service session, between two instances (each
// plays one end of the exchange): both ends derive the same key, secrets cross both ways, every seal has
// a fresh IV, and the public values that would make the shared secret guessable are refused. That the
// derivation matches gnome-keyring's is shown by tst_keychainsecretstore (secrets written and read
// through the real service, and read back by secret-tool). Also SecretServiceClient::preferredHere: which
// desktops keep QtKeychain.
#include "secrets/secretservicecipher.h"
#include "secrets/secretserviceclient.h"
#include "testmain.h"

#include <QTest>

#include <openssl/bn.h>

using namespace fedsync;

namespace {

QByteArray primeBytes(long add)
{
    BIGNUM *p = BN_get_rfc2409_prime_1024(nullptr);
    if (add < 0)
        BN_sub_word(p, static_cast<BN_ULONG>(-add));
    else
        BN_add_word(p, static_cast<BN_ULONG>(add));
    QByteArray bytes(BN_num_bytes(p), '\0');
    BN_bn2bin(p, reinterpret_cast<unsigned char *>(bytes.data()));
    BN_free(p);
    return bytes;
}

// Sets an environment variable for one scope (empty value: unset), then puts the old value back.
class ScopedEnv
{
public:
    ScopedEnv(const char *name, const QByteArray &value)
        : m_name(name)
        , m_had(qEnvironmentVariableIsSet(name))
        , m_old(qgetenv(name))
    {
        if (value.isEmpty())
            qunsetenv(name);
        else
            qputenv(name, value);
    }
    ~ScopedEnv()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

} // namespace

class TestSecretServiceCipher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void publicKeyIsAGroupElement();
    void bothEndsAgreeAndSecretsCrossBothWays_data();
    void bothEndsAgreeAndSecretsCrossBothWays();
    void everySealHasAFreshIv();
    void guessableOrMalformedPeerKeysAreRefused_data();
    void guessableOrMalformedPeerKeysAreRefused();
    void nothingIsSealedOrOpenedWithoutAKey();
    void malformedCiphertextDoesNotOpen();
    void kdeSessionsKeepQtKeychain_data();
    void kdeSessionsKeepQtKeychain();
};

void TestSecretServiceCipher::publicKeyIsAGroupElement()
{
    const SecretServiceCipher cipher;
    const QByteArray key = cipher.publicKey();
    QCOMPARE(key.size(), 128);
    QVERIFY(key < primeBytes(-1)); // same length, big-endian: a byte comparison is a number comparison
    QVERIFY(key != SecretServiceCipher().publicKey()); // a fresh pair each time
    QVERIFY(!cipher.hasKey());
}

void TestSecretServiceCipher::bothEndsAgreeAndSecretsCrossBothWays_data()
{
    QTest::addColumn<QByteArray>("secret");
    QTest::newRow("a refresh token") << QByteArrayLiteral("v1.MjQ5NzE0ODUtZjE4Ni00Nm-refresh");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("exactly one block") << QByteArray(16, 'x');
    QByteArray everyByte;
    for (int i = 0; i < 256; ++i)
        everyByte.append(char(i));
    QTest::newRow("every byte") << everyByte;
}

void TestSecretServiceCipher::bothEndsAgreeAndSecretsCrossBothWays()
{
    QFETCH(QByteArray, secret);
    SecretServiceCipher fedsyncEnd;
    SecretServiceCipher serviceEnd;
    QVERIFY(fedsyncEnd.agree(serviceEnd.publicKey()));
    QVERIFY(serviceEnd.agree(fedsyncEnd.publicKey()));

    const auto sent = fedsyncEnd.seal(secret);
    QVERIFY(sent.has_value());
    QCOMPARE(sent->iv.size(), 16);
    QCOMPARE(sent->ciphertext.size() % 16, 0);
    QVERIFY(sent->ciphertext.size() > secret.size()); // PKCS#7 always pads
    if (!secret.isEmpty())
        QVERIFY(!sent->ciphertext.contains(secret));
    QCOMPARE(serviceEnd.open(sent->iv, sent->ciphertext), std::optional<QByteArray>(secret));

    const auto back = serviceEnd.seal(secret);
    QVERIFY(back.has_value());
    QCOMPARE(fedsyncEnd.open(back->iv, back->ciphertext), std::optional<QByteArray>(secret));
}

void TestSecretServiceCipher::everySealHasAFreshIv()
{
    SecretServiceCipher a;
    SecretServiceCipher b;
    QVERIFY(a.agree(b.publicKey()));
    const auto first = a.seal(QByteArrayLiteral("same secret"));
    const auto second = a.seal(QByteArrayLiteral("same secret"));
    QVERIFY(first && second);
    QVERIFY(first->iv != second->iv);
    QVERIFY(first->ciphertext != second->ciphertext);
}

void TestSecretServiceCipher::guessableOrMalformedPeerKeysAreRefused_data()
{
    QTest::addColumn<QByteArray>("peer");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("0") << QByteArray(128, '\0');
    QTest::newRow("1") << QByteArray(1, '\1');
    QTest::newRow("p - 1") << primeBytes(-1);
    QTest::newRow("p") << primeBytes(0);
    QTest::newRow("p + 1") << primeBytes(1);
    QTest::newRow("longer than the group") << QByteArray(200, '\x7f');
}

void TestSecretServiceCipher::guessableOrMalformedPeerKeysAreRefused()
{
    QFETCH(QByteArray, peer);
    SecretServiceCipher cipher;
    QVERIFY(!cipher.agree(peer));
    QVERIFY(!cipher.hasKey());
    QVERIFY(!cipher.seal(QByteArrayLiteral("secret")).has_value());
    // And a valid one still works afterwards: the refusal kept nothing.
    QVERIFY(cipher.agree(primeBytes(-2)));
    QVERIFY(cipher.hasKey());
}

void TestSecretServiceCipher::nothingIsSealedOrOpenedWithoutAKey()
{
    const SecretServiceCipher cipher;
    QVERIFY(!cipher.seal(QByteArrayLiteral("secret")).has_value());
    QVERIFY(!cipher.open(QByteArray(16, '\0'), QByteArray(16, '\0')).has_value());
}

void TestSecretServiceCipher::malformedCiphertextDoesNotOpen()
{
    SecretServiceCipher a;
    SecretServiceCipher b;
    QVERIFY(a.agree(b.publicKey()));
    QVERIFY(b.agree(a.publicKey()));
    const auto sealed = a.seal(QByteArrayLiteral("a secret of some length"));
    QVERIFY(sealed.has_value());
    QVERIFY(!b.open(sealed->iv.left(8), sealed->ciphertext).has_value());    // IV too short
    QVERIFY(!b.open(sealed->iv, sealed->ciphertext.chopped(1)).has_value()); // not whole blocks
    QVERIFY(!b.open(sealed->iv, QByteArray()).has_value());                  // nothing at all
    QVERIFY(b.open(sealed->iv, sealed->ciphertext).has_value());             // the real one opens
}

void TestSecretServiceCipher::kdeSessionsKeepQtKeychain_data()
{
    QTest::addColumn<QByteArray>("backend");
    QTest::addColumn<QByteArray>("currentDesktop");
    QTest::addColumn<QByteArray>("desktopSession");
    QTest::addColumn<bool>("preferred");
    QTest::newRow("GNOME") << QByteArray() << QByteArray("GNOME") << QByteArray("gnome") << true;
    QTest::newRow("Ubuntu's GNOME") << QByteArray() << QByteArray("ubuntu:GNOME") << QByteArray() << true;
    QTest::newRow("no desktop (CI, a server)") << QByteArray() << QByteArray() << QByteArray() << true;
    QTest::newRow("XFCE") << QByteArray() << QByteArray("XFCE") << QByteArray("xfce") << true;
    QTest::newRow("Plasma") << QByteArray() << QByteArray("KDE") << QByteArray("plasma") << false;
    QTest::newRow("old KDE session") << QByteArray() << QByteArray() << QByteArray("kde-plasma") << false;
    QTest::newRow("QtKeychain told kwallet6")
        << QByteArray("kwallet6") << QByteArray("GNOME") << QByteArray() << false;
    QTest::newRow("QtKeychain told libsecret on Plasma")
        << QByteArray("libsecret") << QByteArray("KDE") << QByteArray() << true;
}

void TestSecretServiceCipher::kdeSessionsKeepQtKeychain()
{
    QFETCH(QByteArray, backend);
    QFETCH(QByteArray, currentDesktop);
    QFETCH(QByteArray, desktopSession);
    QFETCH(bool, preferred);
    const ScopedEnv a("QTKEYCHAIN_BACKEND", backend);
    const ScopedEnv b("XDG_CURRENT_DESKTOP", currentDesktop);
    const ScopedEnv c("DESKTOP_SESSION", desktopSession);
    QCOMPARE(SecretServiceClient::preferredHere(), preferred);
}

FEDSYNC_TEST_MAIN(TestSecretServiceCipher)
#include "tst_secretservicecipher.moc"

// SecretServiceClient (through keychainprobe, a KeychainSecretStore in a child process) against a Secret
// Service of the test's own on a private bus, for what gnome-keyring cannot be made to do on cue: an
// entry in a locked keyring that the user unlocks at the prompt, or whose prompt is dismissed; a service
// that restarted and forgot the session; a secret that does not decrypt; a service whose key is not a
// valid Diffie-Hellman value; a fresh account with no keyring yet. The written secret is looked at as it
// crossed the bus: never in clear. The good day against the real gnome-keyring is tst_keychainsecretstore.
#include "secrets/secretservicecipher.h"
#include "secretsprobe.h"
#include "testmain.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusVariant>
#include <QDBusVirtualObject>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace fedsync;
using namespace fedsync::test;

namespace {

const QString itemPath = QStringLiteral("/org/freedesktop/secrets/collection/login/1");
const QString collectionPath = QStringLiteral("/org/freedesktop/secrets/collection/login");
const QString promptPath = QStringLiteral("/org/freedesktop/secrets/prompt/u1");
const QString sessionPath = QStringLiteral("/org/freedesktop/secrets/session/s1");

// An org.freedesktop.secrets that holds one entry and behaves as `Mode` says. It keeps the calls it
// took, and the value of the last secret written to it as it crossed the bus.
class FakeSecretService final : public QDBusVirtualObject
{
public:
    enum class Mode {
        Unlocked,              // the entry is there and unlocked
        LockedUserUnlocks,     // the entry is locked; the unlock prompt completes
        LockedPromptDismissed, // the entry is locked; the user dismisses the prompt
        ForgetsSessionOnce,    // the first GetSecret says NoSession (the service restarted)
        BadCiphertext,         // GetSecret sends bytes that are not the entry sealed with the session key
        BadPublicKey,          // OpenSession answers with 1 as its public value
        NoDefaultCollection,   // no "default" alias yet (a fresh account): CreateCollection, with a prompt
    };

    explicit FakeSecretService(Mode mode)
        : m_mode(mode)
    {}

    QStringList calls;            // without Session.Close: the client sends it as it goes, and may exit first
    QByteArray writtenCiphertext; // CreateItem's secret, as sent
    QByteArray writtenPlaintext;  // the same, opened with the session key
    QString writtenContentType;
    QString writtenTo; // the collection CreateItem was called on

    QString introspect(const QString &) const override { return {}; }

    bool handleMessage(const QDBusMessage &message, const QDBusConnection &connection) override
    {
        QDBusConnection bus(connection);
        const QString member = message.member();
        if (member == QLatin1String("Close"))
            return true; // no reply expected
        calls << member;
        const bool locked = m_mode == Mode::LockedUserUnlocks || m_mode == Mode::LockedPromptDismissed;
        if (member == QLatin1String("OpenSession")) {
            m_cipher = std::make_unique<SecretServiceCipher>();
            m_cipher->agree(
                qvariant_cast<QDBusVariant>(message.arguments().value(1)).variant().toByteArray());
            const QByteArray mine =
                m_mode == Mode::BadPublicKey ? QByteArray(1, '\1') : m_cipher->publicKey();
            bus.send(message.createReply({QVariant::fromValue(QDBusVariant(mine)),
                                          QVariant::fromValue(QDBusObjectPath(sessionPath))}));
        } else if (member == QLatin1String("SearchItems")) {
            const QList<QDBusObjectPath> entry{QDBusObjectPath(itemPath)};
            bus.send(message.createReply({QVariant::fromValue(locked ? QList<QDBusObjectPath>() : entry),
                                          QVariant::fromValue(locked ? entry : QList<QDBusObjectPath>())}));
        } else if (member == QLatin1String("Unlock")) {
            const bool prompt = locked;
            bus.send(message.createReply(
                {QVariant::fromValue(prompt ? QList<QDBusObjectPath>()
                                            : message.arguments().value(0).value<QList<QDBusObjectPath>>()),
                 QVariant::fromValue(QDBusObjectPath(prompt ? promptPath : QStringLiteral("/")))}));
        } else if (member == QLatin1String("Prompt")) {
            bus.send(message.createReply());
            QDBusMessage completed = QDBusMessage::createSignal(
                promptPath, QStringLiteral("org.freedesktop.Secret.Prompt"), QStringLiteral("Completed"));
            const bool dismissed = m_mode == Mode::LockedPromptDismissed;
            completed << dismissed;
            if (m_mode == Mode::NoDefaultCollection) // the collection the user just made
                completed << QVariant::fromValue(
                    QDBusVariant(QVariant::fromValue(QDBusObjectPath(collectionPath))));
            else
                completed << QVariant::fromValue(QDBusVariant(
                    QVariant::fromValue(dismissed ? QList<QDBusObjectPath>()
                                                  : QList<QDBusObjectPath>{QDBusObjectPath(itemPath)})));
            bus.send(completed);
        } else if (member == QLatin1String("GetSecret")) {
            if (m_mode == Mode::ForgetsSessionOnce && !m_forgot) {
                m_forgot = true;
                bus.send(message.createErrorReply(QStringLiteral("org.freedesktop.Secret.Error.NoSession"),
                                                  QStringLiteral("The session does not exist")));
                return true;
            }
            const QByteArray plaintext = QByteArrayLiteral("the-stored-secret").toBase64();
            auto sealed = m_cipher->seal(plaintext);
            if (m_mode == Mode::BadCiphertext) {
                // Damaged so that it never decrypts: the block before the last is changed where it turns
                // the last byte of the PKCS#7 padding into 0, which is never valid. (Bytes of one value
                // instead, as until session 18, decrypted to a valid padding about once in 256 runs, and
                // CBC has no MAC to tell.)
                const char pad = char(16 - plaintext.size() % 16);
                QByteArray &before = sealed->ciphertext.size() >= 32 ? sealed->ciphertext : sealed->iv;
                const qsizetype at = sealed->ciphertext.size() >= 32 ? sealed->ciphertext.size() - 17 : 15;
                before[at] = char(before.at(at) ^ pad);
            }
            QDBusArgument secret;
            secret.beginStructure();
            secret << QDBusObjectPath(sessionPath) << sealed->iv << sealed->ciphertext
                   << QStringLiteral("text/plain");
            secret.endStructure();
            bus.send(message.createReply(QVariant::fromValue(secret)));
        } else if (member == QLatin1String("ReadAlias")) {
            const bool none = m_mode == Mode::NoDefaultCollection && !m_created;
            bus.send(message.createReply(
                QVariant::fromValue(QDBusObjectPath(none ? QStringLiteral("/") : collectionPath))));
        } else if (member == QLatin1String("CreateCollection")) {
            m_created = message.arguments().value(1).toString() == QLatin1String("default");
            bus.send(message.createReply({QVariant::fromValue(QDBusObjectPath(QStringLiteral("/"))),
                                          QVariant::fromValue(QDBusObjectPath(promptPath))}));
        } else if (member == QLatin1String("CreateItem")) {
            writtenTo = message.path();
            QDBusObjectPath session;
            QByteArray iv;
            QString contentType;
            const auto secret = qvariant_cast<QDBusArgument>(message.arguments().value(1));
            secret.beginStructure();
            secret >> session >> iv >> writtenCiphertext >> contentType;
            secret.endStructure();
            writtenContentType = contentType;
            writtenPlaintext = m_cipher->open(iv, writtenCiphertext).value_or(QByteArray());
            bus.send(message.createReply({QVariant::fromValue(QDBusObjectPath(itemPath)),
                                          QVariant::fromValue(QDBusObjectPath(QStringLiteral("/")))}));
        } else {
            bus.send(
                message.createErrorReply(QStringLiteral("org.freedesktop.DBus.Error.UnknownMethod"), member));
        }
        return true;
    }

private:
    Mode m_mode;
    std::unique_ptr<SecretServiceCipher> m_cipher;
    bool m_forgot = false;
    bool m_created = false; // CreateCollection made the "default" alias
};

} // namespace

class TestSecretServiceClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void reads_data();
    void reads();
    void writtenSecretIsEncryptedOnTheBus();
    void firstWriteOnAFreshAccountMakesTheDefaultKeyring();

private:
    // Serves `service` on a private bus while keychainprobe runs `arguments` against it.
    ProbeAnswer probeAgainst(FakeSecretService &service, const QStringList &arguments);
};

void TestSecretServiceClient::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("dbus-daemon")).isEmpty())
        QSKIP("dbus-daemon is not installed");
}

ProbeAnswer TestSecretServiceClient::probeAgainst(FakeSecretService &service, const QStringList &arguments)
{
    PrivateBus bus;
    if (!bus.start())
        return {QStringLiteral("(no bus)"), {}, {}, 0, {}};
    const QString name = QStringLiteral("fedsync-fake-secret-service");
    ProbeAnswer answer;
    {
        QDBusConnection connection = QDBusConnection::connectToBus(bus.address(), name);
        connection.registerVirtualObject(QStringLiteral("/org/freedesktop/secrets"), &service,
                                         QDBusConnection::SubPath);
        connection.registerService(QStringLiteral("org.freedesktop.secrets"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), bus.address());
        env.remove(QStringLiteral("XDG_CURRENT_DESKTOP"));
        env.remove(QStringLiteral("DESKTOP_SESSION"));
        env.insert(QStringLiteral("FEDSYNC_PROBE_TIMEOUT_MS"), QStringLiteral("10000"));
        answer = runProbe(env, arguments);
        connection.unregisterObject(QStringLiteral("/org/freedesktop/secrets"),
                                    QDBusConnection::UnregisterTree);
    }
    QDBusConnection::disconnectFromBus(name);
    return answer;
}

void TestSecretServiceClient::reads_data()
{
    using Mode = FakeSecretService::Mode;
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QStringList>("calls");
    QTest::newRow("unlocked") << int(Mode::Unlocked) << QStringLiteral("Ok")
                              << QStringLiteral("the-stored-secret")
                              << QStringList{QStringLiteral("OpenSession"), QStringLiteral("SearchItems"),
                                             QStringLiteral("GetSecret")};
    QTest::newRow("locked, the user unlocks it")
        << int(Mode::LockedUserUnlocks) << QStringLiteral("Ok") << QStringLiteral("the-stored-secret")
        << QStringList{QStringLiteral("OpenSession"), QStringLiteral("SearchItems"), QStringLiteral("Unlock"),
                       QStringLiteral("Prompt"), QStringLiteral("GetSecret")};
    QTest::newRow("locked, the prompt dismissed")
        << int(Mode::LockedPromptDismissed) << QStringLiteral("Locked") << QString()
        << QStringList{QStringLiteral("OpenSession"), QStringLiteral("SearchItems"), QStringLiteral("Unlock"),
                       QStringLiteral("Prompt")};
    QTest::newRow("the service forgot the session")
        << int(Mode::ForgetsSessionOnce) << QStringLiteral("Ok") << QStringLiteral("the-stored-secret")
        << QStringList{QStringLiteral("OpenSession"), QStringLiteral("SearchItems"),
                       QStringLiteral("GetSecret"),   QStringLiteral("OpenSession"),
                       QStringLiteral("SearchItems"), QStringLiteral("GetSecret")};
    QTest::newRow("a secret that does not decrypt")
        << int(Mode::BadCiphertext) << QStringLiteral("Failed") << QString()
        << QStringList{QStringLiteral("OpenSession"), QStringLiteral("SearchItems"),
                       QStringLiteral("GetSecret")};
    QTest::newRow("the service's key is not valid")
        << int(Mode::BadPublicKey) << QStringLiteral("Failed") << QString()
        << QStringList{QStringLiteral("OpenSession")};
}

void TestSecretServiceClient::reads()
{
    QFETCH(int, mode);
    QFETCH(QString, status);
    QFETCH(QString, value);
    QFETCH(QStringList, calls);
    FakeSecretService service(static_cast<FakeSecretService::Mode>(mode));
    const ProbeAnswer answer = probeAgainst(
        service, {QStringLiteral("read"), QStringLiteral("Fedsync"), QStringLiteral("p/u/session")});
    QVERIFY2(answer.status == status, qPrintable(answer.status + QLatin1Char(' ') + answer.details));
    QCOMPARE(answer.value, value);
    QVERIFY2(service.calls == calls, qPrintable(service.calls.join(u',')));
    if (status == QLatin1String("Locked"))
        QCOMPARE(answer.code, QStringLiteral("secrets.locked"));
    if (status == QLatin1String("Failed")) {
        QCOMPARE(answer.code, QStringLiteral("secrets.failed"));
        QVERIFY2(answer.details.contains(QLatin1String("org.freedesktop.secrets")),
                 qPrintable(answer.details));
    }
}

void TestSecretServiceClient::writtenSecretIsEncryptedOnTheBus()
{
    FakeSecretService service(FakeSecretService::Mode::Unlocked);
    const QString secret = QStringLiteral("refresh-token-that-must-not-cross-in-clear");
    const ProbeAnswer answer = probeAgainst(
        service, {QStringLiteral("write"), QStringLiteral("Fedsync"), QStringLiteral("p/u/session"), secret});
    QVERIFY2(answer.status == QLatin1String("Ok"),
             qPrintable(answer.status + QLatin1Char(' ') + answer.details));
    QCOMPARE(service.calls, (QStringList{QStringLiteral("OpenSession"), QStringLiteral("ReadAlias"),
                                         QStringLiteral("Unlock"), QStringLiteral("CreateItem")}));
    QVERIFY(!service.writtenCiphertext.isEmpty());
    QVERIFY(!service.writtenCiphertext.contains(secret.toUtf8()));
    QVERIFY(!service.writtenCiphertext.contains(secret.toUtf8().toBase64()));
    // The service, holding its end of the session key, reads what QtKeychain's format says: base64.
    QCOMPARE(service.writtenPlaintext, secret.toUtf8().toBase64());
    QCOMPARE(service.writtenContentType, QStringLiteral("text/plain"));
}

void TestSecretServiceClient::firstWriteOnAFreshAccountMakesTheDefaultKeyring()
{
    // A user whose session has no keyring yet: the service asks for the new keyring's password at a
    // prompt, and the secret goes into the keyring made then, under the "default" alias.
    FakeSecretService service(FakeSecretService::Mode::NoDefaultCollection);
    const ProbeAnswer answer =
        probeAgainst(service, {QStringLiteral("write"), QStringLiteral("Fedsync"),
                               QStringLiteral("p/u/session"), QStringLiteral("first")});
    QVERIFY2(answer.status == QLatin1String("Ok"),
             qPrintable(answer.status + QLatin1Char(' ') + answer.details));
    QVERIFY2(service.calls == (QStringList{QStringLiteral("OpenSession"), QStringLiteral("ReadAlias"),
                                           QStringLiteral("CreateCollection"), QStringLiteral("Prompt"),
                                           QStringLiteral("Unlock"), QStringLiteral("CreateItem")}),
             qPrintable(service.calls.join(u',')));
    QCOMPARE(service.writtenTo, collectionPath);
    QCOMPARE(service.writtenPlaintext, QByteArrayLiteral("first").toBase64());
}

FEDSYNC_TEST_MAIN(TestSecretServiceClient)
#include "tst_secretserviceclient.moc"

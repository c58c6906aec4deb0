// KeychainSecretStore against the real Secret Service (gnome-keyring on the test's session bus, as
// scripts/test starts it): values go in and come back out, through Fedsync and independently through
// secret-tool; and the failures a user meets (no keychain at all, no session bus, a locked keyring, a
// keyring that never answers) come out as the right status, with no plaintext fallback.
#include "keychainpeek.h"
#include "secrets/keychainsecretstore.h"
#include "secretsprobe.h"
#include "testmain.h"

#include <QDBusConnection>
#include <QDBusError>
#include <QDBusVirtualObject>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <optional>

using namespace fedsync;
using Status = SecretResult::Status;
using namespace fedsync::test;

namespace {

SecretResult run(const std::function<void(SecretStore::Callback)> &call)
{
    std::optional<SecretResult> result;
    call([&result](const SecretResult &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 30000))
        return SecretResult::failure(Status::Failed, SecretResult::Operation::Read,
                                     QStringLiteral("no answer"));
    return *result;
}

QStringList filesUnder(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    return files;
}

// An org.freedesktop.secrets that takes every call and never answers: a keyring stuck behind an unlock
// prompt nobody sees.
class SilentSecretService final : public QDBusVirtualObject
{
public:
    QString introspect(const QString &) const override { return {}; }
    bool handleMessage(const QDBusMessage &, const QDBusConnection &) override { return true; }
};

} // namespace

class TestKeychainSecretStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void roundTrip_data();
    void roundTrip();
    void overwrite();
    void removeThenNotFoundBothWays();
    void keysAndServicesAreSeparate();
    void entriesMoveBetweenQtKeychainAndFedsync();
    void noLibsecretOrGioInTheProcess();
    void missingQtKeychainPartIsAClearError();

    void noSecretServiceOnTheBusIsNoBackend();
    void noSessionBusIsNoBackend_data();
    void noSessionBusIsNoBackend();
    void keyringThatNeverAnswersTimesOutAsLocked();
    void lockedKeyringIsLocked();

private:
    QString m_service;
    std::unique_ptr<KeychainSecretStore> m_store;
};

void TestKeychainSecretStore::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("No D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset). Run through scripts/test, or: "
              "dbus-run-session -- bash -c 'echo \"\" | gnome-keyring-daemon --unlock --components=secrets; "
              "ctest -R keychain'");
    if (QStandardPaths::findExecutable(QStringLiteral("secret-tool")).isEmpty())
        QSKIP("secret-tool is not installed (Debian package libsecret-tools)");
    m_service =
        QStringLiteral("FedsyncTest-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    m_store = std::make_unique<KeychainSecretStore>(m_service);
    m_store->setTimeout(std::chrono::seconds(20));

    const SecretResult probe =
        run([&](auto cb) { m_store->write(QStringLiteral("probe"), QByteArrayLiteral("x"), this, cb); });
    QVERIFY2(probe.ok(),
             qPrintable(QStringLiteral("The session bus has no usable Secret Service (%1). Start an "
                                       "unlocked gnome-keyring: echo \"\" | gnome-keyring-daemon "
                                       "--unlock --components=secrets")
                            .arg(probe.error.details)));
}

void TestKeychainSecretStore::cleanupTestCase()
{
    if (!m_service.isEmpty())
        QProcess::execute(QStringLiteral("secret-tool"),
                          {QStringLiteral("clear"), QStringLiteral("server"), m_service});
}

void TestKeychainSecretStore::roundTrip_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("token") << QByteArrayLiteral("v1.MjQ5NzE0ODUtZjE4Ni00Nm-refresh");
    QTest::newRow("utf-8") << QStringLiteral("clé secrète ✓ 🔑").toUtf8();
    QByteArray binary;
    for (int i = 0; i < 256; ++i)
        binary.append(static_cast<char>(i));
    QTest::newRow("binary, every byte, NUL included") << binary;
    QByteArray large(16 * 1024, '\0');
    for (qsizetype i = 0; i < large.size(); ++i)
        large[i] = static_cast<char>(QRandomGenerator::global()->bounded(256));
    QTest::newRow("large 16 KiB") << large;
    QTest::newRow("newlines and spaces") << QByteArrayLiteral(" line1\nline2\r\n ");
}

void TestKeychainSecretStore::roundTrip()
{
    QFETCH(QByteArray, value);
    const QString key =
        SecretStore::keyFor(u"test", u"auth0|roundtrip", QString::fromLatin1(QTest::currentDataTag()));

    const SecretResult written = run([&](auto cb) { m_store->write(key, value, this, cb); });
    QVERIFY2(written.ok(), qPrintable(written.error.text() + QLatin1Char(' ') + written.error.details));

    const SecretResult read = run([&](auto cb) { m_store->read(key, this, cb); });
    QCOMPARE(read.status, Status::Ok);
    QCOMPARE(read.value.size(), value.size());
    QCOMPARE(read.value, value);

    const auto independent = keychainpeek::lookup(key, m_service);
    QVERIFY2(independent.has_value(), "secret-tool does not find the entry");
    QCOMPARE(*independent, value);
}

void TestKeychainSecretStore::overwrite()
{
    const QString key = SecretStore::keyFor(u"test", u"auth0|overwrite", u"refresh_token");
    QVERIFY(run([&](auto cb) { m_store->write(key, QByteArrayLiteral("first"), this, cb); }).ok());
    QVERIFY(run([&](auto cb) { m_store->write(key, QByteArrayLiteral("second"), this, cb); }).ok());
    QCOMPARE(run([&](auto cb) { m_store->read(key, this, cb); }).value, QByteArrayLiteral("second"));
    QCOMPARE(keychainpeek::lookup(key, m_service), std::optional<QByteArray>(QByteArrayLiteral("second")));
}

void TestKeychainSecretStore::removeThenNotFoundBothWays()
{
    const QString key = SecretStore::keyFor(u"test", u"auth0|remove", u"refresh_token");
    QVERIFY(run([&](auto cb) { m_store->write(key, QByteArrayLiteral("gone soon"), this, cb); }).ok());
    QVERIFY(keychainpeek::lookup(key, m_service).has_value());

    const SecretResult removed = run([&](auto cb) { m_store->remove(key, this, cb); });
    QVERIFY2(removed.ok(), qPrintable(removed.error.details));
    const SecretResult read = run([&](auto cb) { m_store->read(key, this, cb); });
    QCOMPARE(read.status, Status::NotFound);
    QCOMPARE(read.error.code, QStringLiteral("secrets.notFound"));
    QVERIFY(read.value.isEmpty());
    QVERIFY(!keychainpeek::lookup(key, m_service).has_value());

    // Removing again is not an error: sign-out must be idempotent.
    QVERIFY(run([&](auto cb) { m_store->remove(key, this, cb); }).ok());
}

void TestKeychainSecretStore::keysAndServicesAreSeparate()
{
    const QString idKey = SecretStore::keyFor(u"test", u"auth0|sep", u"id_token");
    const QString refreshKey = SecretStore::keyFor(u"test", u"auth0|sep", u"refresh_token");
    QVERIFY(run([&](auto cb) { m_store->write(idKey, QByteArrayLiteral("id"), this, cb); }).ok());
    QVERIFY(run([&](auto cb) { m_store->write(refreshKey, QByteArrayLiteral("refresh"), this, cb); }).ok());
    QCOMPARE(run([&](auto cb) { m_store->read(idKey, this, cb); }).value, QByteArrayLiteral("id"));
    QCOMPARE(run([&](auto cb) { m_store->read(refreshKey, this, cb); }).value, QByteArrayLiteral("refresh"));

    KeychainSecretStore otherService(m_service + QStringLiteral("-other"));
    QCOMPARE(run([&](auto cb) { otherService.read(idKey, this, cb); }).status, Status::NotFound);
}

void TestKeychainSecretStore::entriesMoveBetweenQtKeychainAndFedsync()
{
    // Fedsync up to 0.1 stored its entries through QtKeychain's libsecret backend; a user who upgrades
    // keeps the session, and an entry Fedsync writes now is one QtKeychain reads.
    QProcessEnvironment qtKeychain = QProcessEnvironment::systemEnvironment();
    qtKeychain.insert(QStringLiteral("FEDSYNC_PROBE_QTKEYCHAIN"), QStringLiteral("1"));
    const QString olderKey = SecretStore::keyFor(u"test", u"auth0|upgrade", u"refresh_token");
    const ProbeAnswer written =
        runProbe(qtKeychain, {QStringLiteral("write"), m_service, olderKey, QStringLiteral("kept-from-0.1")});
    QVERIFY2(written.status == QLatin1String("Ok"),
             qPrintable(written.status + QLatin1Char(' ') + written.details));
    const SecretResult read = run([&](auto cb) { m_store->read(olderKey, this, cb); });
    QVERIFY2(read.ok(), qPrintable(read.error.details));
    QCOMPARE(read.value, QByteArrayLiteral("kept-from-0.1"));

    const QString newerKey = SecretStore::keyFor(u"test", u"auth0|downgrade", u"refresh_token");
    QVERIFY(run([&](auto cb) {
                m_store->write(newerKey, QByteArrayLiteral("written-by-fedsync"), this, cb);
            }).ok());
    const ProbeAnswer readBack = runProbe(qtKeychain, {QStringLiteral("read"), m_service, newerKey});
    QVERIFY2(readBack.status == QLatin1String("Ok"),
             qPrintable(readBack.status + QLatin1Char(' ') + readBack.details));
    QCOMPARE(readBack.value, QStringLiteral("written-by-fedsync"));

    // Overwriting what QtKeychain wrote leaves one entry, not two.
    QVERIFY(run([&](auto cb) { m_store->write(olderKey, QByteArrayLiteral("rotated"), this, cb); }).ok());
    QProcess search;
    search.start(QStringLiteral("secret-tool"),
                 {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"), m_service,
                  QStringLiteral("user"), olderKey});
    QVERIFY(search.waitForFinished(30000));
    const QByteArray found = search.readAllStandardOutput() + search.readAllStandardError();
    QCOMPARE(found.count("\nlabel = "), 1);
    QCOMPARE(runProbe(qtKeychain, {QStringLiteral("read"), m_service, olderKey}).value,
             QStringLiteral("rotated"));
    QVERIFY(run([&](auto cb) { m_store->remove(olderKey, this, cb); }).ok());
    QCOMPARE(runProbe(qtKeychain, {QStringLiteral("read"), m_service, olderKey}).status,
             QStringLiteral("NotFound"));
}

void TestKeychainSecretStore::noLibsecretOrGioInTheProcess()
{
    // Every test above read and wrote through this process's store: it spoke D-Bus itself, so libsecret
    // and GIO (3.7 MiB and two threads in a signed-in window) were never loaded.
    QFile maps(QStringLiteral("/proc/self/maps"));
    QVERIFY(maps.open(QIODevice::ReadOnly));
    const QByteArray mapped = maps.readAll();
    QVERIFY2(!mapped.contains("libsecret-1"), "libsecret is mapped");
    QVERIFY2(!mapped.contains("libgio-2.0"), "GIO is mapped");
    // Nor QtKeychain: it is a plugin, loaded only where the keychain is reached through it.
    QVERIFY2(!mapped.contains("libqt6keychain"), "QtKeychain is mapped");
    QVERIFY2(!mapped.contains("fedsync_qtkeychain"), "the QtKeychain plugin is mapped");
    QVERIFY(mapped.contains("libQt6DBus"));
}

// Where QtKeychain serves (a KDE session, macOS, Windows) and its plugin is not installed, every
// operation answers with an error that names the missing part and what to do (not a timeout reported
// as a locked keychain), and nothing is written anywhere else.
void TestKeychainSecretStore::missingQtKeychainPartIsAClearError()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString probe = dir.filePath(QStringLiteral("bin/keychainprobe"));
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("bin"))));
    QVERIFY(QFile::copy(QStringLiteral(KEYCHAINPROBE_PATH), probe));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("FEDSYNC_PROBE_QTKEYCHAIN"), QStringLiteral("1"));
    for (const QString &operation :
         {QStringLiteral("write"), QStringLiteral("read"), QStringLiteral("remove")}) {
        const ProbeAnswer answer =
            runProbe(env, {operation, m_service, QStringLiteral("p/u/plugin"), QStringLiteral("s")}, probe);
        QCOMPARE(answer.status, QStringLiteral("NoBackend"));
        QCOMPARE(answer.code, QStringLiteral("secrets.plugin"));
        QVERIFY2(answer.details.contains(QStringLiteral("fedsync_qtkeychain.so")),
                 qPrintable(answer.details));
    }
    QCOMPARE(filesUnder(dir.path()), QStringList{probe});
    // And the real plugin next to the real probe still serves (entriesMoveBetweenQtKeychainAndFedsync).
}

void TestKeychainSecretStore::noSecretServiceOnTheBusIsNoBackend()
{
    if (QStandardPaths::findExecutable(QStringLiteral("dbus-daemon")).isEmpty())
        QSKIP("dbus-daemon is not installed");
    PrivateBus bus;
    QVERIFY(bus.start());
    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), bus.address());
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));

    for (const QString &operation :
         {QStringLiteral("write"), QStringLiteral("read"), QStringLiteral("remove")}) {
        const ProbeAnswer answer =
            runProbe(env, {operation, m_service, QStringLiteral("p/u/n"), QStringLiteral("secret")});
        QVERIFY2(
            answer.status == QLatin1String("NoBackend"),
            qPrintable(operation + QLatin1String(": ") + answer.status + QLatin1Char(' ') + answer.details));
        QCOMPARE(answer.code, QStringLiteral("secrets.noBackend"));
        QVERIFY2(answer.details.contains(QLatin1String("org.freedesktop.secrets")),
                 qPrintable(answer.details));
    }
    // With QtKeychain's insecure fallback on, the write would have succeeded into a plaintext QSettings
    // file: it answered NoBackend, and nothing was written anywhere under the child's home.
    QCOMPARE(filesUnder(home.path()), QStringList());
}

void TestKeychainSecretStore::noSessionBusIsNoBackend_data()
{
    QTest::addColumn<QString>("busAddress"); // empty: unset
    QTest::newRow("bus socket missing") << QStringLiteral("unix:path=/nonexistent/fedsync-test-bus");
    QTest::newRow("no bus, no display") << QString();
}

void TestKeychainSecretStore::noSessionBusIsNoBackend()
{
    QFETCH(QString, busAddress);
    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    if (!busAddress.isEmpty())
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), busAddress);
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    const ProbeAnswer answer =
        runProbe(env, {QStringLiteral("write"), m_service, QStringLiteral("p/u/n"), QStringLiteral("s")});
    QVERIFY2(answer.status == QLatin1String("NoBackend"),
             qPrintable(answer.status + QLatin1Char(' ') + answer.details));
    QCOMPARE(filesUnder(home.path()), QStringList());
}

void TestKeychainSecretStore::keyringThatNeverAnswersTimesOutAsLocked()
{
    if (QStandardPaths::findExecutable(QStringLiteral("dbus-daemon")).isEmpty())
        QSKIP("dbus-daemon is not installed");
    PrivateBus bus;
    QVERIFY(bus.start());
    const QString connectionName = QStringLiteral("fedsync-silent-secret-service");
    {
        QDBusConnection connection = QDBusConnection::connectToBus(bus.address(), connectionName);
        QVERIFY2(connection.isConnected(), qPrintable(connection.lastError().message()));
        SilentSecretService service;
        QVERIFY(connection.registerVirtualObject(QStringLiteral("/org/freedesktop/secrets"), &service,
                                                 QDBusConnection::SubPath));
        QVERIFY(connection.registerService(QStringLiteral("org.freedesktop.secrets")));

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), bus.address());
        env.insert(QStringLiteral("FEDSYNC_PROBE_TIMEOUT_MS"), QStringLiteral("1000"));
        const ProbeAnswer answer =
            runProbe(env, {QStringLiteral("read"), m_service, QStringLiteral("p/u/n")});
        connection.unregisterObject(QStringLiteral("/org/freedesktop/secrets"),
                                    QDBusConnection::UnregisterTree);
        QCOMPARE(answer.status, QStringLiteral("Locked"));
        QCOMPARE(answer.code, QStringLiteral("secrets.timeout"));
        QVERIFY2(answer.elapsedMs < 15000,
                 qPrintable(QString::number(answer.elapsedMs))); // not D-Bus's own 25 s
    }
    QDBusConnection::disconnectFromBus(connectionName);
}

void TestKeychainSecretStore::lockedKeyringIsLocked()
{
    // A keyring of its own on a bus of its own (dbus-run-session), unlocked to create the login
    // collection, then locked: a write must say Locked, not fail vaguely or hang.
    for (const char *tool : {"dbus-run-session", "gnome-keyring-daemon", "gdbus"})
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
            QSKIP(qPrintable(QStringLiteral("%1 is not installed").arg(QString::fromLatin1(tool))));
    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY")); // no unlock prompt can appear
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("FEDSYNC_PROBE_TIMEOUT_MS"), QStringLiteral("5000"));
    env.insert(QStringLiteral("PROBE"), QStringLiteral(KEYCHAINPROBE_PATH));
    env.insert(QStringLiteral("SERVICE"), m_service);
    const QString script = QStringLiteral(
        "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1\n"
        "\"$PROBE\" write \"$SERVICE\" p/u/n before | head -n 1\n"
        "gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets "
        "--method org.freedesktop.Secret.Service.Lock \"['/org/freedesktop/secrets/collection/login']\" "
        ">/dev/null\n"
        "\"$PROBE\" write \"$SERVICE\" p/u/n after\n");
    QProcess session;
    session.setProcessEnvironment(env);
    session.start(QStringLiteral("dbus-run-session"),
                  {QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"), script});
    QVERIFY(session.waitForFinished(60000));
    const QStringList lines = QString::fromUtf8(session.readAllStandardOutput()).split(QLatin1Char('\n'));
    const QString diagnostics =
        lines.join(QLatin1Char('|')) + QLatin1Char(' ') + QString::fromUtf8(session.readAllStandardError());
    QVERIFY2(lines.value(0) == QLatin1String("Ok"), qPrintable(diagnostics));
    QVERIFY2(lines.value(1) == QLatin1String("Locked"), qPrintable(diagnostics));
    QCOMPARE(lines.value(2), QStringLiteral("secrets.locked"));
}

FEDSYNC_TEST_MAIN(TestKeychainSecretStore)
#include "tst_keychainsecretstore.moc"

// SessionFallbackSecretStore: sign-in keeps working for the session when the keychain is missing,
// locked or refuses, the user is told once, and nothing but the process memory holds the value.
#include "memorysecretstore.h"
#include "secretresultcatcher.h"
#include "secrets/sessionfallbacksecretstore.h"
#include "secrets/volatilesecrets.h"
#include "testmain.h"

#include <QSignalSpy>

using namespace fedsync;
using fedsync::test::SecretResultCatcher;
using Status = SecretResult::Status;

namespace {

SecretResult run(const std::function<void(SecretStore::Callback)> &call)
{
    SecretResultCatcher catcher;
    call(catcher.callback());
    if (!QTest::qWaitFor([&] { return catcher.calls > 0; }))
        return SecretResult::failure(Status::Failed, SecretResult::Operation::Read,
                                     QStringLiteral("no answer"));
    return *catcher.result;
}

} // namespace

class TestSessionFallbackSecretStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void passesThroughAWorkingKeychain();
    void writeFallsBackToMemory_data();
    void writeFallsBackToMemory();
    void degradedSignalledOncePerReason();
    void readPrefersTheSessionCopy();
    void readFailureWithoutSessionCopyPassesThrough();
    void recoveredKeychainTakesOver();
    void remove_data();
    void remove();
    void answersLaterAndOnlyToALiveContext();
    void noVolatileTierWhileDegraded();
};

void TestSessionFallbackSecretStore::passesThroughAWorkingKeychain()
{
    MemorySecretStore backend;
    SessionFallbackSecretStore store(&backend);
    QSignalSpy degraded(&store, &SessionFallbackSecretStore::degraded);
    const QString key = SecretStore::keyFor(u"default", u"auth0|1", u"refresh_token");

    QVERIFY(run([&](auto cb) { store.write(key, QByteArrayLiteral("v1"), this, cb); }).ok());
    QCOMPARE(backend.value(key), QByteArrayLiteral("v1"));
    QVERIFY(!store.holdsInMemory(key));
    QCOMPARE(run([&](auto cb) { store.read(key, this, cb); }).value, QByteArrayLiteral("v1"));
    QCOMPARE(run([&](auto cb) { store.read(QStringLiteral("other"), this, cb); }).status, Status::NotFound);
    QVERIFY(!store.isDegraded());
    QCOMPARE(degraded.count(), 0);
}

void TestSessionFallbackSecretStore::writeFallsBackToMemory_data()
{
    QTest::addColumn<Status>("backendStatus");
    QTest::addColumn<bool>("fallsBack");
    QTest::addColumn<QString>("code");
    QTest::newRow("no backend") << Status::NoBackend << true << QStringLiteral("secrets.noBackend");
    QTest::newRow("locked") << Status::Locked << true << QStringLiteral("secrets.locked");
    QTest::newRow("denied") << Status::Denied << true << QStringLiteral("secrets.denied");
    QTest::newRow("failed: reported, not hidden")
        << Status::Failed << false << QStringLiteral("secrets.failed");
}

void TestSessionFallbackSecretStore::writeFallsBackToMemory()
{
    QFETCH(Status, backendStatus);
    QFETCH(bool, fallsBack);
    QFETCH(QString, code);
    MemorySecretStore backend;
    backend.setFailure(backendStatus);
    SessionFallbackSecretStore store(&backend);
    QSignalSpy degraded(&store, &SessionFallbackSecretStore::degraded);
    QCOMPARE(SessionFallbackSecretStore::fallsBackOn(backendStatus), fallsBack);

    const SecretResult written =
        run([&](auto cb) { store.write(QStringLiteral("k"), QByteArrayLiteral("tok"), this, cb); });
    if (!fallsBack) {
        QCOMPARE(written.status, backendStatus);
        QCOMPARE(written.error.code, code);
        QVERIFY(!store.isDegraded());
        QCOMPARE(degraded.count(), 0);
        return;
    }
    QVERIFY(written.ok());
    QVERIFY(store.isDegraded());
    QVERIFY(store.holdsInMemory(QStringLiteral("k")));
    QCOMPARE(degraded.count(), 1);
    const auto error = degraded.at(0).at(0).value<UserError>();
    QCOMPARE(error.code, code);
    QVERIFY(!error.action.isEmpty());
    QCOMPARE(store.degradedError().code, code);
    QVERIFY(!backend.contains(QStringLiteral("k")));

    const SecretResult read = run([&](auto cb) { store.read(QStringLiteral("k"), this, cb); });
    QVERIFY(read.ok());
    QCOMPARE(read.value, QByteArrayLiteral("tok"));
}

void TestSessionFallbackSecretStore::degradedSignalledOncePerReason()
{
    MemorySecretStore backend;
    backend.setFailure(Status::Locked);
    SessionFallbackSecretStore store(&backend);
    QSignalSpy degraded(&store, &SessionFallbackSecretStore::degraded);
    for (const char *name : {"a", "b", "c"})
        QVERIFY(run([&](auto cb) {
                    store.write(QString::fromLatin1(name), QByteArrayLiteral("v"), this, cb);
                }).ok());
    QCOMPARE(degraded.count(), 1);

    backend.setFailure(Status::NoBackend);
    QVERIFY(run([&](auto cb) { store.write(QStringLiteral("d"), QByteArrayLiteral("v"), this, cb); }).ok());
    QCOMPARE(degraded.count(), 2);
    QCOMPARE(degraded.at(1).at(0).value<UserError>().code, QStringLiteral("secrets.noBackend"));
}

void TestSessionFallbackSecretStore::readPrefersTheSessionCopy()
{
    // The keychain still has an old value it could not overwrite: the session copy is the newer one.
    MemorySecretStore backend;
    backend.insert(QStringLiteral("k"), QByteArrayLiteral("old"));
    SessionFallbackSecretStore store(&backend);
    backend.setFailure(Status::Denied, 1);
    QVERIFY(run([&](auto cb) { store.write(QStringLiteral("k"), QByteArrayLiteral("new"), this, cb); }).ok());
    QCOMPARE(run([&](auto cb) { store.read(QStringLiteral("k"), this, cb); }).value,
             QByteArrayLiteral("new"));
}

void TestSessionFallbackSecretStore::readFailureWithoutSessionCopyPassesThrough()
{
    // Nothing kept for the session: the caller learns the keychain is unusable, not "nothing stored".
    MemorySecretStore backend;
    backend.setFailure(Status::NoBackend);
    SessionFallbackSecretStore store(&backend);
    const SecretResult read = run([&](auto cb) { store.read(QStringLiteral("k"), this, cb); });
    QCOMPARE(read.status, Status::NoBackend);
    QCOMPARE(read.error.code, QStringLiteral("secrets.noBackend"));
}

void TestSessionFallbackSecretStore::recoveredKeychainTakesOver()
{
    MemorySecretStore backend;
    SessionFallbackSecretStore store(&backend);
    backend.setFailure(Status::Locked, 1);
    QVERIFY(run([&](auto cb) { store.write(QStringLiteral("k"), QByteArrayLiteral("v1"), this, cb); }).ok());
    QVERIFY(store.isDegraded());

    QVERIFY(run([&](auto cb) { store.write(QStringLiteral("k"), QByteArrayLiteral("v2"), this, cb); }).ok());
    QVERIFY(!store.holdsInMemory(QStringLiteral("k")));
    QVERIFY(!store.isDegraded());
    QVERIFY(!store.degradedError().isError());
    QCOMPARE(backend.value(QStringLiteral("k")), QByteArrayLiteral("v2"));
    QCOMPARE(run([&](auto cb) { store.read(QStringLiteral("k"), this, cb); }).value, QByteArrayLiteral("v2"));
}

void TestSessionFallbackSecretStore::remove_data()
{
    QTest::addColumn<Status>("backendStatus");
    QTest::addColumn<Status>("expected");
    QTest::newRow("ok") << Status::Ok << Status::Ok;
    QTest::newRow("no backend: nothing stored anywhere") << Status::NoBackend << Status::Ok;
    QTest::newRow("locked: keychain may still hold it") << Status::Locked << Status::Locked;
    QTest::newRow("denied: keychain may still hold it") << Status::Denied << Status::Denied;
    QTest::newRow("failed") << Status::Failed << Status::Failed;
}

void TestSessionFallbackSecretStore::remove()
{
    QFETCH(Status, backendStatus);
    QFETCH(Status, expected);
    MemorySecretStore backend;
    SessionFallbackSecretStore store(&backend);
    backend.setFailure(Status::NoBackend, 1);
    QVERIFY(run([&](auto cb) { store.write(QStringLiteral("k"), QByteArrayLiteral("v"), this, cb); }).ok());
    QVERIFY(store.holdsInMemory(QStringLiteral("k")));

    backend.setFailure(backendStatus, 1);
    QCOMPARE(run([&](auto cb) { store.remove(QStringLiteral("k"), this, cb); }).status, expected);
    // Whatever the keychain says, the session copy is gone.
    QVERIFY(!store.holdsInMemory(QStringLiteral("k")));
    QVERIFY(!store.isDegraded());
    QCOMPARE(run([&](auto cb) { store.read(QStringLiteral("k"), this, cb); }).status, Status::NotFound);
}

void TestSessionFallbackSecretStore::answersLaterAndOnlyToALiveContext()
{
    MemorySecretStore backend;
    backend.setFailure(Status::NoBackend);
    SessionFallbackSecretStore store(&backend);
    SecretResultCatcher catcher;
    store.write(QStringLiteral("k"), QByteArrayLiteral("v"), this, catcher.callback());
    QCOMPARE(catcher.calls, 0);
    QTRY_COMPARE(catcher.calls, 1);

    auto context = std::make_unique<QObject>();
    SecretResultCatcher late;
    store.read(QStringLiteral("k"), context.get(), late.callback());
    context.reset();
    QTest::qWait(20);
    QCOMPARE(late.calls, 0);
}

void TestSessionFallbackSecretStore::noVolatileTierWhileDegraded()
{
    // A sign-in kept for this session only leaves no copy for other processes: the keychain's volatile
    // tier is offered while the keychain works, and not once a value is held in memory.
    struct FakeTier final : VolatileSecrets
    {
        bool put(const QString &, const QByteArray &, const QDateTime &) override { return true; }
        QByteArray get(const QString &) const override { return {}; }
        void drop(const QString &) override {}
    } tier;
    MemorySecretStore backend;
    backend.setVolatileTier(&tier);
    SessionFallbackSecretStore store(&backend);
    QCOMPARE(store.volatileTier(), &tier);
    backend.setFailure(Status::NoBackend, 1);
    QVERIFY(run([&](auto cb) { store.write(QStringLiteral("k"), QByteArrayLiteral("tok"), this, cb); }).ok());
    QVERIFY(store.isDegraded());
    QCOMPARE(store.volatileTier(), nullptr);
    QVERIFY(run([&](auto cb) { store.remove(QStringLiteral("k"), this, cb); }).ok());
    QVERIFY(!store.isDegraded());
    QCOMPARE(store.volatileTier(), &tier);
}

FEDSYNC_TEST_MAIN(TestSessionFallbackSecretStore)
#include "tst_sessionfallbacksecretstore.moc"

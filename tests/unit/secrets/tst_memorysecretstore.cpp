// MemorySecretStore, the fake other modules test against: it must behave like the keychain (answers
// later, never inside the call; not found is not an error of the store) and simulate every failure.
#include "secretresultcatcher.h"
#include "memorysecretstore.h"
#include "testmain.h"

#include <memory>

using namespace fedsync;
using fedsync::test::SecretResultCatcher;
using Status = SecretResult::Status;

class TestMemorySecretStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void answersLaterNeverInsideTheCall();
    void writeReadOverwriteRemove();
    void readOfMissingKeyIsNotFound();
    void removeOfMissingKeyIsOk();
    void binaryValuesKeptExactly();
    void storesACopyNotTheCallersBuffer();
    void simulatedFailure_data();
    void simulatedFailure();
    void failureForAFewOperations();
    void hangingNeverAnswers();
    void noAnswerOnceTheContextIsGone();
};

void TestMemorySecretStore::answersLaterNeverInsideTheCall()
{
    MemorySecretStore store;
    SecretResultCatcher catcher;
    store.write(QStringLiteral("p/u/n"), QByteArrayLiteral("v"), this, catcher.callback());
    QCOMPARE(catcher.calls, 0);
    QTRY_COMPARE(catcher.calls, 1);
    QCOMPARE(catcher.result->status, Status::Ok);
    QCoreApplication::processEvents();
    QCOMPARE(catcher.calls, 1);
}

void TestMemorySecretStore::writeReadOverwriteRemove()
{
    MemorySecretStore store;
    const QString key = SecretStore::keyFor(u"default", u"auth0|1", u"refresh_token");
    SecretResultCatcher w1, r1, w2, r2, rm, r3;
    store.write(key, QByteArrayLiteral("first"), this, w1.callback());
    store.read(key, this, r1.callback());
    store.write(key, QByteArrayLiteral("second"), this, w2.callback());
    store.read(key, this, r2.callback());
    store.remove(key, this, rm.callback());
    store.read(key, this, r3.callback());
    QTRY_COMPARE(r3.calls, 1);
    QVERIFY(w1.result->ok());
    QCOMPARE(r1.result->value, QByteArrayLiteral("first"));
    QVERIFY(w2.result->ok());
    QCOMPARE(r2.result->value, QByteArrayLiteral("second"));
    QVERIFY(rm.result->ok());
    QCOMPARE(r3.result->status, Status::NotFound);
    QVERIFY(!store.contains(key));
    QCOMPARE(store.operationCount(), 6);
}

void TestMemorySecretStore::readOfMissingKeyIsNotFound()
{
    MemorySecretStore store;
    SecretResultCatcher catcher;
    store.read(QStringLiteral("p/u/missing"), this, catcher.callback());
    QTRY_COMPARE(catcher.calls, 1);
    QCOMPARE(catcher.result->status, Status::NotFound);
    QCOMPARE(catcher.result->error.code, QStringLiteral("secrets.notFound"));
    QVERIFY(catcher.result->value.isEmpty());
}

void TestMemorySecretStore::removeOfMissingKeyIsOk()
{
    MemorySecretStore store;
    SecretResultCatcher catcher;
    store.remove(QStringLiteral("p/u/missing"), this, catcher.callback());
    QTRY_COMPARE(catcher.calls, 1);
    QVERIFY(catcher.result->ok());
}

void TestMemorySecretStore::binaryValuesKeptExactly()
{
    QByteArray binary;
    for (int i = 0; i < 256; ++i)
        binary.append(static_cast<char>(i));
    MemorySecretStore store;
    SecretResultCatcher w, r;
    store.write(QStringLiteral("k"), binary, this, w.callback());
    store.read(QStringLiteral("k"), this, r.callback());
    QTRY_COMPARE(r.calls, 1);
    QCOMPARE(r.result->value, binary);
}

void TestMemorySecretStore::storesACopyNotTheCallersBuffer()
{
    MemorySecretStore store;
    QByteArray value = QByteArrayLiteral("secret");
    store.insert(QStringLiteral("k"), value);
    value[0] = 'X';
    QCOMPARE(store.value(QStringLiteral("k")), QByteArrayLiteral("secret"));
    QCOMPARE(store.keys(), QStringList{QStringLiteral("k")});
}

void TestMemorySecretStore::simulatedFailure_data()
{
    QTest::addColumn<Status>("failure");
    QTest::addColumn<Status>("expectedRemove"); // a simulated NotFound on remove is still Ok
    QTest::newRow("not found") << Status::NotFound << Status::Ok;
    QTest::newRow("no backend") << Status::NoBackend << Status::NoBackend;
    QTest::newRow("locked") << Status::Locked << Status::Locked;
    QTest::newRow("denied") << Status::Denied << Status::Denied;
    QTest::newRow("failed") << Status::Failed << Status::Failed;
}

void TestMemorySecretStore::simulatedFailure()
{
    QFETCH(Status, failure);
    QFETCH(Status, expectedRemove);
    MemorySecretStore store;
    store.insert(QStringLiteral("k"), QByteArrayLiteral("kept"));
    store.setFailure(failure);
    QCOMPARE(store.failure(), failure);

    SecretResultCatcher r, w, rm;
    store.read(QStringLiteral("k"), this, r.callback());
    store.write(QStringLiteral("k"), QByteArrayLiteral("new"), this, w.callback());
    store.remove(QStringLiteral("k"), this, rm.callback());
    QTRY_COMPARE(rm.calls, 1);
    QCOMPARE(r.result->status, failure);
    QVERIFY(r.result->value.isEmpty());
    QVERIFY(r.result->error.isError());
    QCOMPARE(w.result->status, failure);
    QCOMPARE(rm.result->status, expectedRemove);
    if (failure != Status::NotFound) {
        QCOMPARE(store.value(QStringLiteral("k")), QByteArrayLiteral("kept")); // nothing changed
    }

    store.clearFailure();
    SecretResultCatcher after;
    store.write(QStringLiteral("k"), QByteArrayLiteral("new"), this, after.callback());
    QTRY_COMPARE(after.calls, 1);
    QVERIFY(after.result->ok());
}

void TestMemorySecretStore::failureForAFewOperations()
{
    MemorySecretStore store;
    store.setFailure(Status::Locked, 2);
    SecretResultCatcher a, b, c;
    store.write(QStringLiteral("k"), QByteArrayLiteral("v"), this, a.callback());
    store.write(QStringLiteral("k"), QByteArrayLiteral("v"), this, b.callback());
    store.write(QStringLiteral("k"), QByteArrayLiteral("v"), this, c.callback());
    QTRY_COMPARE(c.calls, 1);
    QCOMPARE(a.result->status, Status::Locked);
    QCOMPARE(b.result->status, Status::Locked);
    QCOMPARE(c.result->status, Status::Ok);
    QCOMPARE(store.failure(), Status::Ok);
}

void TestMemorySecretStore::hangingNeverAnswers()
{
    MemorySecretStore store;
    store.setHanging(true);
    SecretResultCatcher catcher;
    store.read(QStringLiteral("k"), this, catcher.callback());
    QTest::qWait(50);
    QCOMPARE(catcher.calls, 0);
    store.setHanging(false);
    store.read(QStringLiteral("k"), this, catcher.callback());
    QTRY_COMPARE(catcher.calls, 1);
}

void TestMemorySecretStore::noAnswerOnceTheContextIsGone()
{
    MemorySecretStore store;
    auto context = std::make_unique<QObject>();
    SecretResultCatcher catcher;
    store.write(QStringLiteral("k"), QByteArrayLiteral("v"), context.get(), catcher.callback());
    context.reset();
    QTest::qWait(20);
    QCOMPARE(catcher.calls, 0);
    QVERIFY(store.contains(QStringLiteral("k"))); // the work itself was done
}

FEDSYNC_TEST_MAIN(TestMemorySecretStore)
#include "tst_memorysecretstore.moc"

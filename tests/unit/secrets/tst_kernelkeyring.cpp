// KernelKeyring against the real kernel keyring of this uid (keyrings(7)): a value put is read back by
// another instance (as by another process), replaced, dropped, forgotten by the kernel at its end, and
// what must not be kept is refused. Every key of this test is under its own service name.
#include "secrets/kernelkeyring.h"
#include "testmain.h"

#include <QCoreApplication>
#include <QTest>

using namespace fedsync;

class TestKernelKeyring : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void keepsReplacesAndDrops();
    void forgetsAtTheEnd();
    void refusesWhatItMustNotKeep();
    void otherServicesFindNothing();

private:
    QString m_service;
};

void TestKernelKeyring::initTestCase()
{
    m_service = QStringLiteral("FedsyncTest-%1").arg(QCoreApplication::applicationPid());
    if (!KernelKeyring(m_service).isAvailable())
        QSKIP("The kernel keyring calls are refused here (a seccomp policy): nothing to test");
}

void TestKernelKeyring::keepsReplacesAndDrops()
{
    KernelKeyring keyring(m_service);
    const QDateTime inAnHour = QDateTime::currentDateTimeUtc().addSecs(3600);
    QVERIFY(keyring.put(QStringLiteral("a/b"), "first", inAnHour));
    QCOMPARE(KernelKeyring(m_service).get(QStringLiteral("a/b")), QByteArray("first"));
    QVERIFY(keyring.put(QStringLiteral("a/b"), "second, longer", inAnHour));
    QCOMPARE(KernelKeyring(m_service).get(QStringLiteral("a/b")), QByteArray("second, longer"));
    KernelKeyring(m_service).drop(QStringLiteral("a/b"));
    QCOMPARE(keyring.get(QStringLiteral("a/b")), QByteArray());
    keyring.drop(QStringLiteral("a/b")); // nothing there: no error
}

void TestKernelKeyring::forgetsAtTheEnd()
{
    KernelKeyring keyring(m_service);
    QVERIFY(keyring.put(QStringLiteral("short"), "lives two seconds",
                        QDateTime::currentDateTimeUtc().addSecs(2)));
    QCOMPARE(keyring.get(QStringLiteral("short")), QByteArray("lives two seconds"));
    QTRY_COMPARE_WITH_TIMEOUT(keyring.get(QStringLiteral("short")), QByteArray(), 6000);
}

void TestKernelKeyring::refusesWhatItMustNotKeep()
{
    KernelKeyring keyring(m_service);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(!keyring.put(QStringLiteral("ended"), "x", now.addSecs(-1)));
    QVERIFY(!keyring.put(QStringLiteral("empty"), QByteArray(), now.addSecs(60)));
    QVERIFY(!keyring.put(QStringLiteral("huge"), QByteArray(KernelKeyring::MaxValueBytes + 1, 'x'),
                         now.addSecs(60)));
    QCOMPARE(keyring.get(QStringLiteral("ended")), QByteArray());
    QCOMPARE(keyring.get(QStringLiteral("huge")), QByteArray());
}

void TestKernelKeyring::otherServicesFindNothing()
{
    KernelKeyring mine(m_service);
    QVERIFY(mine.put(QStringLiteral("shared/name"), "mine", QDateTime::currentDateTimeUtc().addSecs(60)));
    KernelKeyring other(m_service + QStringLiteral("-other"));
    QCOMPARE(other.get(QStringLiteral("shared/name")), QByteArray());
    other.drop(QStringLiteral("shared/name"));
    QCOMPARE(mine.get(QStringLiteral("shared/name")), QByteArray("mine"));
    mine.drop(QStringLiteral("shared/name"));
}

FEDSYNC_TEST_MAIN(TestKernelKeyring)
#include "tst_kernelkeyring.moc"

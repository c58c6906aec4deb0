// SecretStore's shared parts: the key format, the user-facing errors, status names, buffer wiping.
#include "secrets/secretstore.h"
#include "testmain.h"

using namespace fedsync;
using Status = SecretResult::Status;
using Operation = SecretResult::Operation;

class TestSecretStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keyFor_data();
    void keyFor();
    void keyForNeverCollides();
    void errorForEveryFailure_data();
    void errorForEveryFailure();
    void noBackendErrorSaysSessionOnlyAndHowToFix();
    void statusNames();
    void wipeLeavesSharedCopiesAlone();
};

void TestSecretStore::keyFor_data()
{
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("default") << QStringLiteral("auth0|5f1c2a")
                           << QStringLiteral("refresh_token")
                           << QStringLiteral("default/auth0|5f1c2a/refresh_token");
    QTest::newRow("unicode kept") << QStringLiteral("prod") << QStringLiteral("zoë@example.com")
                                  << QStringLiteral("id_token")
                                  << QStringLiteral("prod/zoë@example.com/id_token");
    QTest::newRow("slash encoded") << QStringLiteral("a/b") << QStringLiteral("u") << QStringLiteral("n")
                                   << QStringLiteral("a%2Fb/u/n");
    QTest::newRow("percent encoded") << QStringLiteral("50%") << QStringLiteral("u%2F") << QStringLiteral("n")
                                     << QStringLiteral("50%25/u%252F/n");
    QTest::newRow("empty parts") << QString() << QString() << QStringLiteral("n") << QStringLiteral("//n");
}

void TestSecretStore::keyFor()
{
    QFETCH(QString, profile);
    QFETCH(QString, user);
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QCOMPARE(SecretStore::keyFor(profile, user, name), expected);
}

void TestSecretStore::keyForNeverCollides()
{
    // Parts that contain the separator must not be confused with a different split.
    QVERIFY(SecretStore::keyFor(u"a/b", u"c", u"d") != SecretStore::keyFor(u"a", u"b/c", u"d"));
    QVERIFY(SecretStore::keyFor(u"a%2Fb", u"c", u"d") != SecretStore::keyFor(u"a/b", u"c", u"d"));
}

void TestSecretStore::errorForEveryFailure_data()
{
    QTest::addColumn<Status>("status");
    QTest::addColumn<Operation>("operation");
    QTest::addColumn<QString>("code");
    for (const Operation operation : {Operation::Read, Operation::Write, Operation::Remove}) {
        const QString op = QString::number(static_cast<int>(operation));
        QTest::addRow("not found %s", qPrintable(op))
            << Status::NotFound << operation << QStringLiteral("secrets.notFound");
        QTest::addRow("no backend %s", qPrintable(op))
            << Status::NoBackend << operation << QStringLiteral("secrets.noBackend");
        QTest::addRow("locked %s", qPrintable(op))
            << Status::Locked << operation << QStringLiteral("secrets.locked");
        QTest::addRow("denied %s", qPrintable(op))
            << Status::Denied << operation << QStringLiteral("secrets.denied");
        QTest::addRow("failed %s", qPrintable(op))
            << Status::Failed << operation << QStringLiteral("secrets.failed");
    }
}

void TestSecretStore::errorForEveryFailure()
{
    QFETCH(Status, status);
    QFETCH(Operation, operation);
    QFETCH(QString, code);
    const UserError error = SecretStore::errorFor(status, operation, QStringLiteral("detail"));
    QCOMPARE(error.code, code);
    QVERIFY(!error.what.isEmpty());
    QVERIFY(!error.why.isEmpty());
    QVERIFY(!error.action.isEmpty());
    QCOMPARE(error.details, QStringLiteral("detail"));

    const SecretResult result = SecretResult::failure(status, operation);
    QCOMPARE(result.status, status);
    QVERIFY(!result.ok());
    QCOMPARE(result.error.code, code);
    QVERIFY(result.value.isEmpty());
}

void TestSecretStore::noBackendErrorSaysSessionOnlyAndHowToFix()
{
    const QString text = SecretStore::errorFor(Status::NoBackend, Operation::Write).text();
    QVERIFY2(text.contains(QLatin1String("GNOME Keyring")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("KWallet")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("this session")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("gnome-keyring")), qPrintable(text));
    QVERIFY(!SecretStore::errorFor(Status::Ok, Operation::Write).isError());
}

void TestSecretStore::statusNames()
{
    QCOMPARE(SecretResult::statusName(Status::Ok), QStringLiteral("Ok"));
    QCOMPARE(SecretResult::statusName(Status::NotFound), QStringLiteral("NotFound"));
    QCOMPARE(SecretResult::statusName(Status::NoBackend), QStringLiteral("NoBackend"));
    QCOMPARE(SecretResult::statusName(Status::Locked), QStringLiteral("Locked"));
    QCOMPARE(SecretResult::statusName(Status::Denied), QStringLiteral("Denied"));
    QCOMPARE(SecretResult::statusName(Status::Failed), QStringLiteral("Failed"));
    QVERIFY(SecretResult::success(QByteArrayLiteral("x")).ok());
}

void TestSecretStore::wipeLeavesSharedCopiesAlone()
{
    QByteArray mine = QByteArrayLiteral("token-").repeated(2) + QByteArray::number(42);
    const QByteArray other = mine; // shared
    wipeSecret(mine);
    QVERIFY(mine.isEmpty());
    QCOMPARE(other, QByteArrayLiteral("token-token-42"));

    QByteArray alone = other;
    alone.detach();
    wipeSecret(alone);
    QVERIFY(alone.isEmpty());
    QByteArray empty;
    wipeSecret(empty);
    QVERIFY(empty.isEmpty());
}

FEDSYNC_TEST_MAIN(TestSecretStore)
#include "tst_secretstore.moc"

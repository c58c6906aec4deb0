// How QtKeychain's failures read as SecretResults: each error code, and the D-Bus messages the Secret
// Service sends for a missing service, a missing collection or a locked keyring.
#include "secrets/keychainerrors.h"
#include "secrets/keychainsecretstore.h"
#include "testmain.h"

using namespace fedsync;
using Status = SecretResult::Status;
using Operation = SecretResult::Operation;

Q_DECLARE_METATYPE(QKeychain::Error)

class TestKeychainErrors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void statusFor_data();
    void statusFor();
    void removeOfMissingEntryIsOk();
    void resultCarriesDetails();
    void defaults();
};

void TestKeychainErrors::statusFor_data()
{
    QTest::addColumn<QKeychain::Error>("error");
    QTest::addColumn<QString>("message");
    QTest::addColumn<Status>("expected");
    QTest::newRow("no error") << QKeychain::NoError << QString() << Status::Ok;
    QTest::newRow("entry not found") << QKeychain::EntryNotFound << QStringLiteral("Entry not found")
                                     << Status::NotFound;
    QTest::newRow("denied by user") << QKeychain::AccessDeniedByUser << QStringLiteral("User denied")
                                    << Status::Denied;
    QTest::newRow("access denied") << QKeychain::AccessDenied << QStringLiteral("Access denied")
                                   << Status::Denied;
    QTest::newRow("libsecret locked collection")
        << QKeychain::AccessDenied << QStringLiteral("Cannot create an item in a locked collection")
        << Status::Locked;
    QTest::newRow("no backend available") << QKeychain::NoBackendAvailable << QString() << Status::NoBackend;
    QTest::newRow("not implemented") << QKeychain::NotImplemented << QString() << Status::NoBackend;
    QTest::newRow("service not provided")
        << QKeychain::OtherError
        << QStringLiteral("The name org.freedesktop.secrets was not provided by any .service files")
        << Status::NoBackend;
    QTest::newRow("no login collection")
        << QKeychain::OtherError
        << QStringLiteral("Object does not exist at path “/org/freedesktop/secrets/collection/login”")
        << Status::NoBackend;
    QTest::newRow("no session bus") << QKeychain::OtherError
                                    << QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY")
                                    << Status::NoBackend;
    QTest::newRow("bus socket missing")
        << QKeychain::OtherError << QStringLiteral("Could not connect: No such file or directory")
        << Status::NoBackend;
    QTest::newRow("other: locked") << QKeychain::OtherError << QStringLiteral("The keyring is locked")
                                   << Status::Locked;
    QTest::newRow("other: prompt dismissed")
        << QKeychain::OtherError << QStringLiteral("Prompt dismissed") << Status::Denied;
    QTest::newRow("other: unknown") << QKeychain::OtherError << QStringLiteral("Something odd")
                                    << Status::Failed;
    QTest::newRow("could not delete")
        << QKeychain::CouldNotDeleteEntry << QStringLiteral("Could not delete") << Status::Failed;
}

void TestKeychainErrors::statusFor()
{
    QFETCH(QKeychain::Error, error);
    QFETCH(QString, message);
    QFETCH(Status, expected);
    QCOMPARE(keychainStatusFor(error, message), expected);
    const SecretResult result = keychainResultFor(error, message, Operation::Read);
    QCOMPARE(result.status, expected);
    QCOMPARE(result.error.isError(), expected != Status::Ok);
}

void TestKeychainErrors::removeOfMissingEntryIsOk()
{
    QVERIFY(keychainResultFor(QKeychain::EntryNotFound, QString(), Operation::Remove).ok());
    QCOMPARE(keychainResultFor(QKeychain::EntryNotFound, QString(), Operation::Read).status,
             Status::NotFound);
}

void TestKeychainErrors::resultCarriesDetails()
{
    const SecretResult result = keychainResultFor(
        QKeychain::OtherError, QStringLiteral("The name org.freedesktop.secrets was not provided"),
        Operation::Write);
    QCOMPARE(result.error.code, QStringLiteral("secrets.noBackend"));
    QVERIFY(result.error.details.contains(QLatin1String("org.freedesktop.secrets")));
    QVERIFY(result.error.what.contains(QLatin1String("save")));
}

void TestKeychainErrors::defaults()
{
    KeychainSecretStore store;
    QCOMPARE(store.serviceName(), QStringLiteral("Fedsync"));
    QCOMPARE(KeychainSecretStore::defaultServiceName(), QStringLiteral("Fedsync"));
    QCOMPARE(store.timeout(), std::chrono::milliseconds(20000));
    store.setTimeout(std::chrono::seconds(3));
    QCOMPARE(store.timeout(), std::chrono::milliseconds(3000));
    QCOMPARE(KeychainSecretStore(QStringLiteral("Other")).serviceName(), QStringLiteral("Other"));
}

FEDSYNC_TEST_MAIN(TestKeychainErrors)
#include "tst_keychainerrors.moc"

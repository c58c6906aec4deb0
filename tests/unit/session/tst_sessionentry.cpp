// The agreed keychain entry (v2): its key (namespace, profile, binding), its JSON value, the binding
// check, the remembered sessions and what deleting a profile removes, and the cross-process lock.
#include "config/profile.h"
#include "config/profilestore.h"
#include "memorysecretstore.h"
#include "session/rememberedsessions.h"
#include "session/sessionentry.h"
#include "session/sessionlock.h"
#include "testmain.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace fedsync;

namespace {
const SessionBinding alice{QStringLiteral("https://tenant.auth0.com/"), QStringLiteral("client1"),
                           QStringLiteral("auth0|alice")};

Profile savedProfile()
{
    Profile p;
    p.id = QStringLiteral("work");
    p.name = QStringLiteral("Work");
    p.auth0.domain = QStringLiteral("tenant.auth0.com");
    p.auth0.clientId = QStringLiteral("client1");
    return p;
}
} // namespace

class TestSessionEntry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QCoreApplication::setOrganizationName(QStringLiteral("FedsyncTest")); }
    void keyHasNamespaceProfileAndBinding();
    void bindingHashIsTheAgreedOne();
    void fileProfilesGetTheirOwnNamespace();
    void encodeDecodeRoundTrip();
    void decodeRefusesEntriesWithoutBinding_data();
    void decodeRefusesEntriesWithoutBinding();
    void checkBindingSaysWhy_data();
    void checkBindingSaysWhy();
    void deletingAProfileForgetsItsSessions();
    void lockIsExclusiveAcrossHolders();
};

void TestSessionEntry::keyHasNamespaceProfileAndBinding()
{
    const QString key = SessionEntry::keyFor(savedProfile(), alice);
    QCOMPARE(key, QStringLiteral("v2/saved/work/%1/session").arg(alice.hash()));
    SessionBinding other = alice;
    other.issuer = QStringLiteral("https://evil.example.com/");
    QVERIFY(SessionEntry::keyFor(savedProfile(), other) != key);
    other = alice;
    other.clientId = QStringLiteral("client2");
    QVERIFY(SessionEntry::keyFor(savedProfile(), other) != key);
}

void TestSessionEntry::bindingHashIsTheAgreedOne()
{
    const QByteArray expected = QCryptographicHash::hash("https://tenant.auth0.com/\nclient1\nauth0|alice",
                                                         QCryptographicHash::Sha256)
                                    .toHex()
                                    .left(32);
    QCOMPARE(alice.hash(), QString::fromLatin1(expected));
}

void TestSessionEntry::fileProfilesGetTheirOwnNamespace()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("profile.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    Profile fromFile = savedProfile();
    fromFile.sourceFile = path;
    const QByteArray hash =
        QCryptographicHash::hash(QFileInfo(path).canonicalFilePath().toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(16);
    QCOMPARE(SessionEntry::namespaceFor(fromFile), QStringLiteral("file-") + QString::fromLatin1(hash));
    QVERIFY(SessionEntry::keyFor(fromFile, alice) != SessionEntry::keyFor(savedProfile(), alice));
    // The same file by another path (relative, with ..) is the same namespace.
    Profile samePath = fromFile;
    samePath.sourceFile = dir.path() + QStringLiteral("/./sub/../profile.json");
    QDir(dir.path()).mkdir(QStringLiteral("sub"));
    QCOMPARE(SessionEntry::namespaceFor(samePath), SessionEntry::namespaceFor(fromFile));
    Profile otherFile = fromFile;
    otherFile.sourceFile = dir.filePath(QStringLiteral("other.json"));
    QVERIFY(SessionEntry::namespaceFor(otherFile) != SessionEntry::namespaceFor(fromFile));
}

void TestSessionEntry::encodeDecodeRoundTrip()
{
    SessionEntry entry;
    entry.binding = alice;
    entry.refreshToken = QStringLiteral("rt-1");
    entry.idToken = QStringLiteral("eyJ.id.sig");
    entry.idTokenExpires = QDateTime::fromSecsSinceEpoch(2000000000, Qt::UTC);
    entry.aws.pool = QStringLiteral("us-east-1:pool");
    entry.aws.identityId = QStringLiteral("us-east-1:id");
    entry.aws.accessKeyId = QStringLiteral("ASIAX");
    entry.aws.secretAccessKey = QStringLiteral("secret");
    entry.aws.sessionToken = QStringLiteral("session");
    entry.aws.expiration = QDateTime::fromSecsSinceEpoch(2000000100, Qt::UTC);
    const QByteArray encoded = entry.encode();
    const QJsonObject o = QJsonDocument::fromJson(encoded).object();
    QCOMPARE(o.value(QStringLiteral("v")).toInt(), 2);
    QCOMPARE(o.value(QStringLiteral("iss")).toString(), alice.issuer);
    QCOMPARE(o.value(QStringLiteral("client_id")).toString(), alice.clientId);
    QCOMPARE(o.value(QStringLiteral("sub")).toString(), alice.subject);
    QCOMPARE(o.value(QStringLiteral("id_token_exp")).toInteger(), 2000000000);
    QCOMPARE(o.value(QStringLiteral("aws")).toObject().value(QStringLiteral("expiration")).toInteger(),
             2000000100);
    QVERIFY(!encoded.contains('\n'));

    UserError error;
    const std::optional<SessionEntry> decoded = SessionEntry::decode(encoded, &error);
    QVERIFY2(decoded, qPrintable(error.text()));
    QCOMPARE(decoded->binding, alice);
    QCOMPARE(decoded->refreshToken, entry.refreshToken);
    QCOMPARE(decoded->idToken, entry.idToken);
    QCOMPARE(decoded->idTokenExpires, entry.idTokenExpires);
    QCOMPARE(decoded->aws.secretAccessKey, QStringLiteral("secret"));
    QCOMPARE(decoded->aws.expiration, entry.aws.expiration);
}

void TestSessionEntry::decodeRefusesEntriesWithoutBinding_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("format 1") << QByteArray(R"({"v":1,"refresh_token":"rt"})");
    QTest::newRow("no issuer") << QByteArray(R"({"v":2,"client_id":"c","sub":"s","refresh_token":"rt"})");
    QTest::newRow("no client") << QByteArray(R"({"v":2,"iss":"i","sub":"s","refresh_token":"rt"})");
    QTest::newRow("no subject") << QByteArray(R"({"v":2,"iss":"i","client_id":"c","refresh_token":"rt"})");
    QTest::newRow("not json") << QByteArray("rt");
}

void TestSessionEntry::decodeRefusesEntriesWithoutBinding()
{
    QFETCH(QByteArray, value);
    UserError error;
    QVERIFY(!SessionEntry::decode(value, &error));
    QCOMPARE(error.code, QStringLiteral("session.entry.unreadable"));
}

void TestSessionEntry::checkBindingSaysWhy_data()
{
    QTest::addColumn<QString>("issuer");
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("issuer") << QStringLiteral("https://127.0.0.1:9/") << alice.clientId << alice.subject
                            << QStringLiteral("https://127.0.0.1:9/");
    QTest::newRow("client") << alice.issuer << QStringLiteral("client2") << alice.subject
                            << QStringLiteral("client2");
    QTest::newRow("user") << alice.issuer << alice.clientId << QStringLiteral("auth0|bob")
                          << QStringLiteral("auth0|alice");
}

void TestSessionEntry::checkBindingSaysWhy()
{
    QFETCH(QString, issuer);
    QFETCH(QString, clientId);
    QFETCH(QString, subject);
    QFETCH(QString, mentions);
    SessionEntry entry;
    entry.binding = alice;
    QVERIFY(!entry.checkBinding(alice).isError());
    const UserError error = entry.checkBinding({issuer, clientId, subject});
    QCOMPARE(error.code, QStringLiteral("session.binding"));
    QVERIFY2(error.why.contains(mentions), qPrintable(error.why));
    QVERIFY(!error.action.isEmpty());
}

void TestSessionEntry::deletingAProfileForgetsItsSessions()
{
    MemorySecretStore secrets;
    const Profile profile = savedProfile();
    RememberedSessions remembered(profile);
    const QString key = SessionEntry::keyFor(profile, alice);
    remembered.rememberSignIn(alice, key);
    secrets.insert(key, "entry");
    secrets.insert(SessionEntry::legacyKeyFor(profile.id, alice.subject), "old entry");
    Profile home = savedProfile();
    home.id = QStringLiteral("home");
    const QString otherKey = SessionEntry::keyFor(home, alice);
    secrets.insert(otherKey, "another profile's entry");
    QCOMPARE(remembered.lastUser(), alice);

    bool done = false;
    QObject context;
    RememberedSessions::forgetProfile(profile.id, &secrets, &context, [&done] { done = true; });
    QTRY_VERIFY(done);
    QVERIFY(!secrets.contains(key));
    QVERIFY(!secrets.contains(SessionEntry::legacyKeyFor(profile.id, alice.subject)));
    QVERIFY(secrets.contains(otherKey));
    QVERIFY(remembered.lastUser().subject.isEmpty());
    QVERIFY(!QSettings().contains(QStringLiteral("sessions/work/lastUser")));

    // ProfileStore tells whoever owns the keychain.
    QTemporaryDir dir;
    ProfileStore store(dir.filePath(QStringLiteral("settings.ini")));
    Profile saved = savedProfile();
    QVERIFY(!store.save(saved).isError());
    QSignalSpy removed(&store, &ProfileStore::profileRemoved);
    QVERIFY(store.remove(saved.id));
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.first().first().toString(), saved.id);
}

void TestSessionEntry::lockIsExclusiveAcrossHolders()
{
    const QString key = SessionEntry::keyFor(savedProfile(), alice);
    SessionLock first(key);
    bool firstHeld = false;
    first.acquire([&](const UserError &error) { firstHeld = !error.isError(); });
    QTRY_VERIFY(firstHeld);
    QCOMPARE(QFileInfo(first.path()).dir().dirName(), QStringLiteral("locks"));
    QVERIFY(!(QFileInfo(QFileInfo(first.path()).absolutePath()).permissions() & QFile::ReadOther));

    // Another holder (as another process would) waits without blocking the event loop.
    SessionLock second(key);
    bool secondHeld = false;
    UserError secondError;
    second.acquire([&](const UserError &error) {
        secondHeld = !error.isError();
        secondError = error;
    });
    QTest::qWait(200);
    QVERIFY(!secondHeld);
    first.release();
    QTRY_VERIFY(secondHeld);

    // A holder that never lets go: the waiter gives up with a message, it does not hang.
    SessionLock third(key);
    UserError thirdError;
    third.acquire([&](const UserError &error) { thirdError = error; }, 300);
    QTRY_VERIFY(thirdError.isError());
    QCOMPARE(thirdError.code, QStringLiteral("session.lock.busy"));
}

FEDSYNC_TEST_MAIN(TestSessionEntry)
#include "tst_sessionentry.moc"

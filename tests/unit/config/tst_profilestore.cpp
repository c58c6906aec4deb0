// ProfileStore: profiles through the application's real per-user settings (in the test's isolated
// config directory), ids, the current profile, signals, and a settings file that cannot be written.
#include "config/appidentity.h"
#include "config/profilestore.h"
#include "testmain.h"

#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace fedsync;

Q_DECLARE_METATYPE(fedsync::Profile)

namespace {

Profile fullProfile()
{
    Profile p;
    p.name = QStringLiteral("Work (EU)");
    p.auth0.domain = QStringLiteral("tenant.eu.auth0.com");
    p.auth0.clientId = QStringLiteral("Xq3vB8kLmN2pR7sT1uW4yZ6aC9dE0fGh");
    p.auth0.audience = QStringLiteral("https://api.example.com/");
    p.auth0.scope = QStringLiteral("openid offline_access");
    p.auth0.redirectUri = QStringLiteral("http://127.0.0.1/callback");
    p.auth0.logoutReturnTo = QString();
    p.auth0.connection = QStringLiteral("corp-ad");
    p.auth0.organization = QStringLiteral("org_abc");
    p.auth0.maxAgeSeconds = 3600;
    p.auth0.uiLocales = QStringLiteral("de");
    p.auth0.browser = Auth0Settings::BrowserMode::System;
    p.cognito.region = QStringLiteral("eu-west-1");
    p.cognito.identityPoolId = QStringLiteral("eu-west-1:0a1b2c3d-1234-5678-9abc-0123456789ab");
    p.cognito.providerName = QStringLiteral("tenant.eu.auth0.com/");
    p.cognito.accountId = QStringLiteral("123456789012");
    p.cognito.flow = CognitoSettings::Flow::Basic;
    p.cognito.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/Auth");
    p.cognito.customRoleArn = QStringLiteral("arn:aws:iam::123456789012:role/Admin");
    p.cognito.cognitoIdentityEndpoint = QStringLiteral("https://127.0.0.1:18441/");
    p.cognito.stsEndpoint = QStringLiteral("https://127.0.0.1:18442/");
    p.cognito.cognitoSyncEndpoint = QStringLiteral("https://127.0.0.1:18443/");
    p.caFile = QStringLiteral("/tmp/ca.pem");
    return p;
}

Profile minimalProfile(const QString &name)
{
    Profile p;
    p.name = name;
    p.auth0.domain = QStringLiteral("tenant.auth0.com");
    p.auth0.clientId = QStringLiteral("abc");
    return p;
}

} // namespace

class TestProfileStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void roundTrip_data();
    void roundTrip();
    void idsFromNames();
    void replaceLeavesNoStaleKeys();
    void listing();
    void currentProfile();
    void removeCurrent();
    void unwritableSettings();
};

void TestProfileStore::initTestCase()
{
    applyApplicationIdentity();
    QVERIFY2(settingsFilePath().startsWith(test::isolatedRoot()), qPrintable(settingsFilePath()));
}

void TestProfileStore::init()
{
    QSettings().clear();
}

void TestProfileStore::roundTrip_data()
{
    QTest::addColumn<Profile>("profile");
    QTest::newRow("everything") << fullProfile();
    QTest::newRow("sign-in only") << minimalProfile(QStringLiteral("Personal"));
    Profile zero = minimalProfile(QStringLiteral("Zero"));
    zero.auth0.maxAgeSeconds = 0;
    zero.auth0.scope.clear();
    QTest::newRow("max age zero, empty scope") << zero;
    Profile dynamoDb = fullProfile();
    dynamoDb.cognito.store = CognitoSettings::Store::DynamoDb;
    dynamoDb.cognito.dynamoDbTable = QStringLiteral("fedsync-datasets");
    dynamoDb.cognito.dynamoDbRegion = QStringLiteral("eu-central-1");
    dynamoDb.cognito.dynamoDbEndpoint = QStringLiteral("https://127.0.0.1:18445/");
    QTest::newRow("dynamodb store") << dynamoDb;
}

void TestProfileStore::roundTrip()
{
    QFETCH(Profile, profile);
    {
        ProfileStore store;
        QSignalSpy changed(&store, &ProfileStore::profilesChanged);
        const UserError error = store.save(profile);
        QVERIFY2(!error.isError(), qPrintable(error.text()));
        QVERIFY(!profile.id.isEmpty());
        QCOMPARE(changed.count(), 1);
    }
    ProfileStore reopened; // a new instance reads what the first wrote
    const std::optional<Profile> loaded = reopened.profile(profile.id);
    QVERIFY(loaded);
    QCOMPARE(loaded->name, profile.name);
    QCOMPARE(loaded->auth0.maxAgeSeconds, profile.auth0.maxAgeSeconds);
    QCOMPARE(loaded->cognito.stsEndpoint, profile.cognito.stsEndpoint);
    QVERIFY(*loaded == profile);

    // In the standard settings file, under profiles/<id>/.
    QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("profiles/%1/auth0/domain").arg(profile.id)).toString(),
             profile.auth0.domain);
}

void TestProfileStore::idsFromNames()
{
    ProfileStore store;
    Profile first = minimalProfile(QStringLiteral("Work (EU)"));
    Profile second = minimalProfile(QStringLiteral("work eu"));
    QVERIFY(!store.save(first).isError());
    QVERIFY(!store.save(second).isError());
    QCOMPARE(first.id, QStringLiteral("work-eu"));
    QCOMPARE(second.id, QStringLiteral("work-eu-2"));
    QCOMPARE(store.uniqueIdFor(QStringLiteral("WORK-EU")), QStringLiteral("work-eu-3"));

    // Saving again under the same id replaces, it does not add.
    first.name = QStringLiteral("Work");
    QVERIFY(!store.save(first).isError());
    QCOMPARE(store.profileIds(), QStringList({QStringLiteral("work-eu"), QStringLiteral("work-eu-2")}));
    QCOMPARE(store.profile(QStringLiteral("work-eu"))->name, QStringLiteral("Work"));

    Profile bad = minimalProfile(QStringLiteral("x"));
    bad.id = QStringLiteral("../escape");
    QCOMPARE(store.save(bad).code, QStringLiteral("config.store.id"));
    QVERIFY(!store.profile(QStringLiteral("../escape")));
    QVERIFY(!store.profile(QStringLiteral("nothing-here")));
}

void TestProfileStore::replaceLeavesNoStaleKeys()
{
    ProfileStore store;
    Profile p = fullProfile();
    QVERIFY(!store.save(p).isError());
    p.auth0.connection.clear();
    p.auth0.maxAgeSeconds.reset();
    p.cognito = CognitoSettings();
    p.caFile.clear();
    QVERIFY(!store.save(p).isError());
    const std::optional<Profile> loaded = store.profile(p.id);
    QVERIFY(loaded);
    QVERIFY(*loaded == p);
    QVERIFY(loaded->cognito.isEmpty());
}

void TestProfileStore::listing()
{
    ProfileStore store;
    QVERIFY(store.profiles().isEmpty());
    for (const QString &name : {QStringLiteral("Zulu"), QStringLiteral("alpha"), QStringLiteral("Mike")}) {
        Profile p = minimalProfile(name);
        QVERIFY(!store.save(p).isError());
    }
    QStringList names;
    const QList<Profile> profiles = store.profiles();
    for (const Profile &p : profiles)
        names << p.name;
    QCOMPARE(names, QStringList({QStringLiteral("alpha"), QStringLiteral("Mike"), QStringLiteral("Zulu")}));
    QCOMPARE(store.profileIds(),
             QStringList({QStringLiteral("alpha"), QStringLiteral("mike"), QStringLiteral("zulu")}));
    QVERIFY(store.contains(QStringLiteral("mike")));
    QVERIFY(!store.contains(QStringLiteral("Mike")));
}

void TestProfileStore::currentProfile()
{
    ProfileStore store;
    QSignalSpy current(&store, &ProfileStore::currentProfileIdChanged);
    QCOMPARE(store.currentProfileId(), QString());
    QVERIFY(!store.setCurrentProfileId(QStringLiteral("unknown")));
    QCOMPARE(current.count(), 0);

    Profile p = minimalProfile(QStringLiteral("Work"));
    QVERIFY(!store.save(p).isError());
    QVERIFY(store.setCurrentProfileId(p.id));
    QCOMPARE(current.count(), 1);
    QCOMPARE(current.first().first().toString(), p.id);
    QVERIFY(store.setCurrentProfileId(p.id)); // unchanged: no signal
    QCOMPARE(current.count(), 1);
    QCOMPARE(ProfileStore().currentProfileId(), p.id); // persisted

    QVERIFY(store.setCurrentProfileId(QString()));
    QCOMPARE(store.currentProfileId(), QString());
    QCOMPARE(current.count(), 2);
}

void TestProfileStore::removeCurrent()
{
    ProfileStore store;
    Profile a = minimalProfile(QStringLiteral("A"));
    Profile b = minimalProfile(QStringLiteral("B"));
    QVERIFY(!store.save(a).isError());
    QVERIFY(!store.save(b).isError());
    QVERIFY(store.setCurrentProfileId(a.id));

    QSignalSpy changed(&store, &ProfileStore::profilesChanged);
    QSignalSpy current(&store, &ProfileStore::currentProfileIdChanged);
    QVERIFY(store.remove(b.id));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(current.count(), 0);
    QCOMPARE(store.currentProfileId(), a.id);

    QVERIFY(store.remove(a.id));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(current.count(), 1);
    QCOMPARE(store.currentProfileId(), QString());
    QVERIFY(store.profileIds().isEmpty());
    QVERIFY(!store.remove(a.id));
    QCOMPARE(changed.count(), 2);
}

void TestProfileStore::unwritableSettings()
{
    // A folder where the settings file should be: not writable for anyone, root included.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("Fedsync.conf"));
    QVERIFY(QDir().mkpath(file));

    ProfileStore store(file);
    QSignalSpy changed(&store, &ProfileStore::profilesChanged);
    Profile p = minimalProfile(QStringLiteral("Work"));
    const UserError error = store.save(p);
    QCOMPARE(error.code, QStringLiteral("config.store.write"));
    QVERIFY(error.why.contains(QStringLiteral("Fedsync.conf")));
    QVERIFY(!error.action.isEmpty());
    QCOMPARE(changed.count(), 0);
}

FEDSYNC_TEST_MAIN(TestProfileStore)
#include "tst_profilestore.moc"

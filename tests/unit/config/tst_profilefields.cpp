// ProfileFields: the one table of a profile's text settings that the profile file, the settings store
// and the editor dialog share: every field reaches its own member, paths are unique, keys derive from
// paths, and the file and the settings carry every field through a save and a load.
#include "config/profilefields.h"
#include "config/profilefile.h"
#include "config/profilestore.h"
#include "testmain.h"

#include <QSet>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace fedsync;

namespace {

// A profile with a distinct value in every text field.
Profile everyField()
{
    Profile p;
    p.id = QStringLiteral("every");
    p.name = QStringLiteral("Every field");
    for (const ProfileTextField &field : ProfileFields::text())
        field.set(p, QStringLiteral("v-") + field.path);
    return p;
}

} // namespace

class TestProfileFields : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void eachFieldHasItsOwnMember();
    void pathsAreUniqueAndKeysDerive();
    void defaultsAreTheProfileDefaults();
    void fileCarriesEveryField();
    void settingsCarryEveryField();
};

void TestProfileFields::eachFieldHasItsOwnMember()
{
    const Profile p = everyField();
    for (const ProfileTextField &field : ProfileFields::text())
        QCOMPARE(field.get(p), QStringLiteral("v-") + field.path);
    QCOMPARE(p.auth0.domain, QStringLiteral("v-auth0.domain"));
    QCOMPARE(p.cognito.stsEndpoint, QStringLiteral("v-cognito.endpoints.sts"));
    QCOMPARE(p.cognito.dynamoDbTable, QStringLiteral("v-dynamodb.table"));
}

void TestProfileFields::pathsAreUniqueAndKeysDerive()
{
    QSet<QString> paths;
    for (const ProfileTextField &field : ProfileFields::text()) {
        QVERIFY2(!paths.contains(field.path), qPrintable(field.path));
        paths.insert(field.path);
        QCOMPARE(ProfileFields::find(field.path), &field);
    }
    QVERIFY(!ProfileFields::find(QStringLiteral("auth0.nothing")));
    const ProfileTextField *sts = ProfileFields::find(QStringLiteral("cognito.endpoints.sts"));
    QVERIFY(sts);
    QCOMPARE(sts->settingsKey(), QStringLiteral("cognito/endpoints/sts"));
    QCOMPARE(sts->sections(), (QStringList{QStringLiteral("cognito"), QStringLiteral("endpoints")}));
    QCOMPARE(sts->key(), QStringLiteral("sts"));
    QVERIFY(ProfileFields::find(QStringLiteral("auth0.domain"))->required);
    QVERIFY(ProfileFields::find(QStringLiteral("dynamodb.table"))->trimmed);
}

void TestProfileFields::defaultsAreTheProfileDefaults()
{
    const Profile defaults;
    for (const ProfileTextField &field : ProfileFields::text())
        QCOMPARE(field.fallback, field.get(defaults));
}

void TestProfileFields::fileCarriesEveryField()
{
    Profile p = everyField();
    p.cognito.region = QStringLiteral("eu-west-1"); // any value: the cognito section is written
    UserError error;
    const std::optional<Profile> back = ProfileFile::fromJson(ProfileFile::toJson(p), {}, QStringLiteral("t"), &error);
    QVERIFY2(back, qPrintable(error.text()));
    for (const ProfileTextField &field : ProfileFields::text())
        QCOMPARE(field.get(*back), field.get(p));
}

void TestProfileFields::settingsCarryEveryField()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("fedsync.conf"));
    Profile p = everyField();
    {
        ProfileStore store(file);
        QVERIFY(!store.save(p).isError());
    }
    QSettings raw(file, QSettings::IniFormat);
    QCOMPARE(raw.value(QStringLiteral("profiles/every/dynamodb/endpoint")).toString(),
             QStringLiteral("v-dynamodb.endpoint"));
    ProfileStore store(file);
    const std::optional<Profile> back = store.profile(QStringLiteral("every"));
    QVERIFY(back);
    for (const ProfileTextField &field : ProfileFields::text())
        QCOMPARE(field.get(*back), field.get(p));
}

FEDSYNC_TEST_MAIN(TestProfileFields)
#include "tst_profilefields.moc"

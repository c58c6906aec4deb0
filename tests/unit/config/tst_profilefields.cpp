// ProfileFields: the tables of a profile's text settings and of its other settings (choices, numbers,
// flags) that the profile file, the settings store and the editor dialog share: every field reaches its
// own member, paths are unique, keys derive from paths, and the file and the settings carry every field
// through a save and a load, with the words and JSON types earlier versions wrote.
#include "config/profilefields.h"
#include "config/profilefile.h"
#include "config/profilestore.h"
#include "testmain.h"

#include <QJsonDocument>
#include <QJsonObject>
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

// A profile whose every other setting is not its default: the last choice, a number, a flag turned over.
Profile everyValueChanged()
{
    Profile p = everyField();
    p.cognito.region = QStringLiteral("eu-west-1"); // the cognito section is written
    for (const ProfileValueField &field : ProfileFields::values()) {
        switch (field.kind) {
        case ProfileValueField::Kind::Choice:
            field.set(p, int(field.choices.size()) - 1);
            break;
        case ProfileValueField::Kind::Number:
            field.set(p, 600);
            break;
        case ProfileValueField::Kind::Flag:
            field.set(p, field.fallback == 0 ? 1 : 0);
            break;
        }
    }
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
    void valueFieldsReachTheirMembers();
    void valuePathsAreUnique();
    void fileCarriesEveryValue();
    void fileWritesValuesAsBefore();
    void settingsCarryEveryValue();
    void valueDefaultsAreTheProfileDefaults();
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

void TestProfileFields::valueFieldsReachTheirMembers()
{
    const Profile p = everyValueChanged();
    QCOMPARE(p.auth0.browser, Auth0Settings::BrowserMode::System);
    QCOMPARE(p.cognito.flow, CognitoSettings::Flow::Basic);
    QCOMPARE(p.cognito.store, CognitoSettings::Store::DynamoDb);
    QCOMPARE(p.auth0.maxAgeSeconds, std::optional<int>(600));
    QVERIFY(!p.identityCard);
    for (const ProfileValueField &field : ProfileFields::values())
        QVERIFY2(field.get(p) != field.get(Profile()), qPrintable(field.path));
}

void TestProfileFields::valuePathsAreUnique()
{
    QSet<QString> paths;
    for (const ProfileTextField &field : ProfileFields::text())
        paths.insert(field.path);
    for (const ProfileValueField &field : ProfileFields::values()) {
        QVERIFY2(!paths.contains(field.path), qPrintable(field.path));
        paths.insert(field.path);
        QCOMPARE(ProfileFields::findValue(field.path), &field);
        QVERIFY(field.kind != ProfileValueField::Kind::Choice || field.choices.size() >= 2);
    }
    QVERIFY(!ProfileFields::findValue(QStringLiteral("auth0.domain")));
    const ProfileValueField *flow = ProfileFields::findValue(QStringLiteral("cognito.flow"));
    QVERIFY(flow);
    QCOMPARE(flow->settingsKey(), QStringLiteral("cognito/flow"));
    QCOMPARE(flow->sections(), QStringList{QStringLiteral("cognito")});
    QCOMPARE(flow->key(), QStringLiteral("flow"));
}

void TestProfileFields::fileCarriesEveryValue()
{
    for (const Profile &p : {everyValueChanged(), Profile(everyField())}) {
        UserError error;
        const std::optional<Profile> back =
            ProfileFile::fromJson(ProfileFile::toJson(p), {}, QStringLiteral("t"), &error);
        QVERIFY2(back, qPrintable(error.text()));
        for (const ProfileValueField &field : ProfileFields::values())
            QVERIFY2(field.get(*back) == field.get(p), qPrintable(field.path));
    }
}

void TestProfileFields::fileWritesValuesAsBefore()
{
    const QJsonObject changed = QJsonDocument::fromJson(ProfileFile::toJson(everyValueChanged())).object();
    const QJsonObject auth0 = changed.value(QStringLiteral("auth0")).toObject();
    QCOMPARE(auth0.value(QStringLiteral("browser")), QJsonValue(QStringLiteral("system")));
    QCOMPARE(auth0.value(QStringLiteral("max_age")), QJsonValue(600));
    QCOMPARE(changed.value(QStringLiteral("cognito")).toObject().value(QStringLiteral("flow")),
             QJsonValue(QStringLiteral("basic")));
    QCOMPARE(changed.value(QStringLiteral("store")), QJsonValue(QStringLiteral("dynamodb")));
    QCOMPARE(changed.value(QStringLiteral("identity_card")), QJsonValue(false));

    // Defaults: the browser always, the flow with its section, the rest left out.
    Profile defaults = everyField();
    defaults.cognito = {};
    const QJsonObject plain = QJsonDocument::fromJson(ProfileFile::toJson(defaults)).object();
    QCOMPARE(plain.value(QStringLiteral("auth0")).toObject().value(QStringLiteral("browser")),
             QJsonValue(QStringLiteral("embedded")));
    QVERIFY(!plain.value(QStringLiteral("auth0")).toObject().contains(QStringLiteral("max_age")));
    QVERIFY(!plain.contains(QStringLiteral("cognito")));
    QVERIFY(!plain.contains(QStringLiteral("store")));
    QVERIFY(!plain.contains(QStringLiteral("identity_card")));
}

void TestProfileFields::settingsCarryEveryValue()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("fedsync.conf"));
    Profile changed = everyValueChanged();
    Profile defaults = everyField();
    defaults.id = QStringLiteral("defaults");
    {
        ProfileStore store(file);
        QVERIFY(!store.save(changed).isError());
        QVERIFY(!store.save(defaults).isError());
    }
    // The words and keys earlier versions wrote.
    QSettings raw(file, QSettings::IniFormat);
    QCOMPARE(raw.value(QStringLiteral("profiles/every/auth0/browser")).toString(), QStringLiteral("system"));
    QCOMPARE(raw.value(QStringLiteral("profiles/every/auth0/max_age")).toInt(), 600);
    QCOMPARE(raw.value(QStringLiteral("profiles/every/cognito/flow")).toString(), QStringLiteral("basic"));
    QCOMPARE(raw.value(QStringLiteral("profiles/every/store")).toString(), QStringLiteral("dynamodb"));
    QCOMPARE(raw.value(QStringLiteral("profiles/every/identity_card")).toBool(), false);
    QCOMPARE(raw.value(QStringLiteral("profiles/defaults/auth0/browser")).toString(),
             QStringLiteral("embedded"));
    QCOMPARE(raw.value(QStringLiteral("profiles/defaults/cognito/flow")).toString(),
             QStringLiteral("enhanced"));
    QVERIFY(!raw.contains(QStringLiteral("profiles/defaults/auth0/max_age")));
    QVERIFY(!raw.contains(QStringLiteral("profiles/defaults/store")));
    QVERIFY(!raw.contains(QStringLiteral("profiles/defaults/identity_card")));

    ProfileStore store(file);
    for (const Profile &p : {changed, defaults}) {
        const std::optional<Profile> back = store.profile(p.id);
        QVERIFY(back);
        for (const ProfileValueField &field : ProfileFields::values())
            QVERIFY2(field.get(*back) == field.get(p), qPrintable(field.path));
    }
}

void TestProfileFields::valueDefaultsAreTheProfileDefaults()
{
    const Profile defaults;
    for (const ProfileValueField &field : ProfileFields::values()) {
        if (field.kind == ProfileValueField::Kind::Number)
            QVERIFY(!field.get(defaults));
        else
            QCOMPARE(field.get(defaults), std::optional<int>(field.fallback));
    }
}

FEDSYNC_TEST_MAIN(TestProfileFields)
#include "tst_profilefields.moc"

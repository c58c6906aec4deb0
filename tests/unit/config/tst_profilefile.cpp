// ProfileFile: the format in docs/sandbox-contract.md (the example itself, read from the document),
// round trips, defaults, relative CA files, and a clear error for every kind of bad file.
#include "config/profilefile.h"
#include "config/profilevalidator.h"
#include "testmain.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace fedsync;

class TestProfileFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contractExample();
    void sandboxFile();
    void roundTrip();
    void minimalFile();
    void relativeCaFile();
    void errors_data();
    void errors();
    void unreadableAndUnwritable();

private:
    QString writeFile(const QString &name, const QByteArray &content);

    QTemporaryDir m_dir;
};

QString TestProfileFile::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(content);
    return path;
}

// The profile.json example exactly as the contract document shows it.
void TestProfileFile::contractExample()
{
    QFile doc(test::sourceDir() + QStringLiteral("/docs/sandbox-contract.md"));
    QVERIFY2(doc.open(QIODevice::ReadOnly), qPrintable(doc.fileName()));
    const QString text = QString::fromUtf8(doc.readAll());
    const QRegularExpression block(QStringLiteral("## DIR/profile\\.json[^\\n]*\\n```json\\n(.*?)\\n```"),
                                   QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = block.match(text);
    QVERIFY(match.hasMatch());

    UserError error;
    const std::optional<Profile> profile = ProfileFile::fromJson(
        match.captured(1).toUtf8(), QStringLiteral("/abs/DIR"), QStringLiteral("doc"), &error);
    QVERIFY2(profile, qPrintable(error.text()));
    QCOMPARE(profile->name, QStringLiteral("Sandbox"));
    QCOMPARE(profile->id, QStringLiteral("sandbox"));
    QCOMPARE(profile->auth0.domain, QStringLiteral("127.0.0.1:18440"));
    QCOMPARE(profile->auth0.clientId, QStringLiteral("…"));
    QCOMPARE(profile->auth0.audience, QString());
    QCOMPARE(profile->auth0.scope, QStringLiteral("openid profile email offline_access"));
    QCOMPARE(profile->auth0.redirectUri, QStringLiteral("org.fedsync.app://callback"));
    QCOMPARE(profile->auth0.logoutReturnTo, QStringLiteral("org.fedsync.app://logout"));
    QCOMPARE(profile->auth0.browser, Auth0Settings::BrowserMode::Embedded);
    QCOMPARE(profile->auth0.issuer().toString(), QStringLiteral("https://127.0.0.1:18440/"));
    QCOMPARE(profile->cognito.region, QStringLiteral("us-east-1"));
    QCOMPARE(profile->cognito.identityPoolId, QStringLiteral("us-east-1:<uuid>"));
    QCOMPARE(profile->cognito.providerName, QStringLiteral("127.0.0.1:18440/"));
    QCOMPARE(profile->effectiveProviderName(), QStringLiteral("127.0.0.1:18440/"));
    QCOMPARE(profile->cognito.accountId, QStringLiteral("123456789012"));
    QCOMPARE(profile->cognito.flow, CognitoSettings::Flow::Enhanced);
    QCOMPARE(profile->cognito.roleArn, QStringLiteral("arn:aws:iam::123456789012:role/…-auth"));
    QCOMPARE(profile->cognito.cognitoIdentityEndpoint, QStringLiteral("https://…/"));
    QCOMPARE(profile->caFile, QStringLiteral("/abs/DIR/tls/ca.pem"));
}

// What the sandbox really writes (same shape, real values): loads, and passes the validator.
void TestProfileFile::sandboxFile()
{
    const QString ca = writeFile(QStringLiteral("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    const QByteArray json = R"({
  "fedsync_profile": 1,
  "name": "Sandbox",
  "auth0": {
    "domain": "127.0.0.1:18440",
    "client_id": "3f9c2a7e5b1d4c8a9e0f6b2d7a4c1e3b",
    "audience": "",
    "scope": "openid profile email offline_access",
    "redirect_uri": "org.fedsync.app://callback",
    "logout_return_to": "org.fedsync.app://logout",
    "browser": "embedded"
  },
  "cognito": {
    "region": "us-east-1",
    "identity_pool_id": "us-east-1:6f1c8e2a-4b7d-4e3f-9a1b-2c3d4e5f6a7b",
    "provider_name": "127.0.0.1:18440/",
    "account_id": "123456789012",
    "flow": "enhanced",
    "role_arn": "arn:aws:iam::123456789012:role/fedsync-sandbox-auth",
    "endpoints": {"cognito_identity": "https://127.0.0.1:18441/", "sts": "https://127.0.0.1:18442/", "cognito_sync": "https://127.0.0.1:18443/"}
  },
  "ca_file": "ca.pem"
})";
    const QString path = writeFile(QStringLiteral("profile.json"), json);
    UserError error;
    const std::optional<Profile> profile = ProfileFile::load(path, &error);
    QVERIFY2(profile, qPrintable(error.text()));
    QCOMPARE(profile->caFile, ca);
    QCOMPARE(profile->cognito.stsEndpoint, QStringLiteral("https://127.0.0.1:18442/"));
    QCOMPARE(profile->cognito.cognitoSyncEndpoint, QStringLiteral("https://127.0.0.1:18443/"));
    const QList<ProfileIssue> issues = ProfileValidator::validate(*profile);
    for (const ProfileIssue &issue : issues)
        qWarning() << issue.field << issue.error.text();
    QVERIFY(issues.isEmpty());
}

void TestProfileFile::roundTrip()
{
    Profile p;
    p.id = QStringLiteral("work-eu");
    p.name = QStringLiteral("Work (EU) — «ünïcode»");
    p.auth0.domain = QStringLiteral("tenant.eu.auth0.com");
    p.auth0.clientId = QStringLiteral("Xq3vB8kLmN2pR7sT1uW4yZ6aC9dE0fGh");
    p.auth0.audience = QStringLiteral("https://api.example.com/");
    p.auth0.scope = QStringLiteral("openid email offline_access");
    p.auth0.redirectUri = QStringLiteral("http://127.0.0.1/callback");
    p.auth0.logoutReturnTo = QString();
    p.auth0.connection = QStringLiteral("Username-Password-Authentication");
    p.auth0.organization = QStringLiteral("org_abc123");
    p.auth0.maxAgeSeconds = 0;
    p.auth0.uiLocales = QStringLiteral("fr-FR en");
    p.auth0.browser = Auth0Settings::BrowserMode::System;
    p.cognito.region = QStringLiteral("eu-west-1");
    p.cognito.identityPoolId = QStringLiteral("eu-west-1:0a1b2c3d-1234-5678-9abc-0123456789ab");
    p.cognito.providerName = QStringLiteral("tenant.eu.auth0.com");
    p.cognito.accountId = QStringLiteral("123456789012");
    p.cognito.flow = CognitoSettings::Flow::Basic;
    p.cognito.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/Auth");
    p.cognito.customRoleArn = QStringLiteral("arn:aws:iam::123456789012:role/Admin");
    p.cognito.stsEndpoint = QStringLiteral("https://sts.example.test:8443/base/");
    p.cognito.store = CognitoSettings::Store::DynamoDb;
    p.cognito.dynamoDbTable = QStringLiteral("fedsync-datasets");
    p.cognito.dynamoDbRegion = QStringLiteral("eu-central-1");
    p.cognito.dynamoDbEndpoint = QStringLiteral("https://dynamodb.example.test/");
    p.caFile = m_dir.filePath(QStringLiteral("some/ca.pem"));

    const QString path = m_dir.filePath(QStringLiteral("roundtrip.json"));
    const UserError saved = ProfileFile::save(p, path);
    QVERIFY2(!saved.isError(), qPrintable(saved.text()));
    UserError error;
    const std::optional<Profile> loaded = ProfileFile::load(path, &error);
    QVERIFY2(loaded, qPrintable(error.text()));
    QCOMPARE(loaded->name, p.name);
    QCOMPARE(loaded->auth0.logoutReturnTo, QString());
    QCOMPARE(loaded->cognito.stsEndpoint, p.cognito.stsEndpoint);
    QCOMPARE(loaded->cognito.store, CognitoSettings::Store::DynamoDb);
    QCOMPARE(loaded->cognito.dynamoDbTable, QStringLiteral("fedsync-datasets"));
    QCOMPARE(loaded->cognito.effectiveDynamoDbRegion(), QStringLiteral("eu-central-1"));
    const QJsonObject written = QJsonDocument::fromJson(ProfileFile::toJson(p)).object();
    QCOMPARE(written.value(QStringLiteral("store")).toString(), QStringLiteral("dynamodb"));
    QCOMPARE(
        written.value(QStringLiteral("dynamodb")).toObject().value(QStringLiteral("endpoint")).toString(),
        p.cognito.dynamoDbEndpoint);
    QVERIFY(*loaded == p);

    // Sign-in only: no "cognito" object at all, and it stays empty.
    Profile signInOnly = p;
    signInOnly.cognito = CognitoSettings();
    signInOnly.caFile.clear();
    signInOnly.auth0.maxAgeSeconds.reset();
    const QJsonObject root = QJsonDocument::fromJson(ProfileFile::toJson(signInOnly)).object();
    QCOMPARE(root.value(QStringLiteral("fedsync_profile")).toInt(), 1);
    QVERIFY(!root.contains(QStringLiteral("cognito")));
    QVERIFY(!root.contains(QStringLiteral("ca_file")));
    QVERIFY(!root.value(QStringLiteral("auth0")).toObject().contains(QStringLiteral("max_age")));
    const std::optional<Profile> again =
        ProfileFile::fromJson(ProfileFile::toJson(signInOnly), {}, {}, &error);
    QVERIFY(again);
    QVERIFY(*again == signInOnly);
}

void TestProfileFile::minimalFile()
{
    UserError error;
    const std::optional<Profile> profile = ProfileFile::fromJson(
        R"({"fedsync_profile": 1, "auth0": {"domain": "tenant.auth0.com", "client_id": "abc"}})", {},
        QStringLiteral("minimal"), &error);
    QVERIFY2(profile, qPrintable(error.text()));
    QCOMPARE(profile->name, QStringLiteral("tenant.auth0.com"));
    QCOMPARE(profile->id, QStringLiteral("tenant-auth0-com"));
    QCOMPARE(profile->auth0.scope, Auth0Settings::defaultScope());
    QCOMPARE(profile->auth0.redirectUri, Auth0Settings::defaultRedirectUri());
    QCOMPARE(profile->auth0.logoutReturnTo, Auth0Settings::defaultLogoutReturnTo());
    QCOMPARE(profile->auth0.browser, Auth0Settings::BrowserMode::Embedded);
    QVERIFY(!profile->auth0.maxAgeSeconds);
    QVERIFY(profile->cognito.isEmpty());
    QVERIFY(profile->caFile.isEmpty());
}

void TestProfileFile::relativeCaFile()
{
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("sub/tls")));
    const QString path = writeFile(QStringLiteral("sub/p.json"), R"({"fedsync_profile": 1, "name": "x",
        "auth0": {"domain": "a.auth0.com", "client_id": "c"}, "ca_file": "./tls/../tls/ca.pem"})");
    UserError error;
    const std::optional<Profile> profile = ProfileFile::load(path, &error);
    QVERIFY2(profile, qPrintable(error.text()));
    QCOMPARE(profile->caFile, m_dir.filePath(QStringLiteral("sub/tls/ca.pem")));
}

void TestProfileFile::errors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions");

    const QByteArray auth0 = R"("auth0": {"domain": "a.auth0.com", "client_id": "c"})";
    QTest::newRow("not json") << QByteArray(R"({"fedsync_profile": 1, "name": )")
                              << QStringLiteral("config.file.json") << QStringLiteral("at character 31");
    QTest::newRow("empty file") << QByteArray() << QStringLiteral("config.file.json")
                                << QStringLiteral("character 0");
    QTest::newRow("ini file") << QByteArray("[profiles]\nname=x\n") << QStringLiteral("config.file.json")
                              << QStringLiteral("at character");
    QTest::newRow("array") << QByteArray("[1, 2]") << QStringLiteral("config.file.json")
                           << QStringLiteral("no JSON object");
    QTest::newRow("no version") << QByteArray(R"({"name": "x", )" + auth0 + "}")
                                << QStringLiteral("config.file.notprofile")
                                << QStringLiteral("fedsync_profile");
    QTest::newRow("newer version") << QByteArray(R"({"fedsync_profile": 2, )" + auth0 + "}")
                                   << QStringLiteral("config.file.newer") << QStringLiteral("Update Fedsync");
    QTest::newRow("version as text") << QByteArray(R"({"fedsync_profile": "1", )" + auth0 + "}")
                                     << QStringLiteral("config.file.version")
                                     << QStringLiteral("fedsync_profile");
    QTest::newRow("version zero") << QByteArray(R"({"fedsync_profile": 0, )" + auth0 + "}")
                                  << QStringLiteral("config.file.version")
                                  << QStringLiteral("fedsync_profile");
    QTest::newRow("version fraction")
        << QByteArray(R"({"fedsync_profile": 1.5, )" + auth0 + "}") << QStringLiteral("config.file.version")
        << QStringLiteral("fedsync_profile");
    QTest::newRow("no auth0") << QByteArray(R"({"fedsync_profile": 1, "name": "x"})")
                              << QStringLiteral("config.file.missing") << QStringLiteral("\"auth0\"");
    QTest::newRow("auth0 not object") << QByteArray(R"({"fedsync_profile": 1, "auth0": "tenant"})")
                                      << QStringLiteral("config.file.type") << QStringLiteral("\"auth0\"");
    QTest::newRow("no domain") << QByteArray(R"({"fedsync_profile": 1, "auth0": {"client_id": "c"}})")
                               << QStringLiteral("config.file.missing") << QStringLiteral("auth0.domain");
    QTest::newRow("no client id") << QByteArray(
                                         R"({"fedsync_profile": 1, "auth0": {"domain": "a.auth0.com"}})")
                                  << QStringLiteral("config.file.missing")
                                  << QStringLiteral("auth0.client_id");
    QTest::newRow("client id number")
        << QByteArray(R"({"fedsync_profile": 1, "auth0": {"domain": "a.auth0.com", "client_id": 42}})")
        << QStringLiteral("config.file.type") << QStringLiteral("auth0.client_id");
    QTest::newRow("scope list")
        << QByteArray(
               R"({"fedsync_profile": 1, "auth0": {"domain": "a", "client_id": "c", "scope": ["openid"]}})")
        << QStringLiteral("config.file.type") << QStringLiteral("auth0.scope");
    QTest::newRow("unknown browser")
        << QByteArray(
               R"({"fedsync_profile": 1, "auth0": {"domain": "a", "client_id": "c", "browser": "chrome"}})")
        << QStringLiteral("config.file.value") << QStringLiteral("auth0.browser");
    QTest::newRow("max age fraction")
        << QByteArray(R"({"fedsync_profile": 1, "auth0": {"domain": "a", "client_id": "c", "max_age": 1.5}})")
        << QStringLiteral("config.file.type") << QStringLiteral("auth0.max_age");
    QTest::newRow("max age text")
        << QByteArray(
               R"({"fedsync_profile": 1, "auth0": {"domain": "a", "client_id": "c", "max_age": "60"}})")
        << QStringLiteral("config.file.type") << QStringLiteral("auth0.max_age");
    QTest::newRow("cognito not object")
        << QByteArray(R"({"fedsync_profile": 1, )" + auth0 + R"(, "cognito": [] })")
        << QStringLiteral("config.file.type") << QStringLiteral("\"cognito\"");
    QTest::newRow("unknown flow") << QByteArray(R"({"fedsync_profile": 1, )" + auth0 +
                                                R"(, "cognito": {"flow": "classic"}})")
                                  << QStringLiteral("config.file.value") << QStringLiteral("cognito.flow");
    QTest::newRow("region number") << QByteArray(R"({"fedsync_profile": 1, )" + auth0 +
                                                 R"(, "cognito": {"region": 1}})")
                                   << QStringLiteral("config.file.type") << QStringLiteral("cognito.region");
    QTest::newRow("ca file number") << QByteArray(R"({"fedsync_profile": 1, )" + auth0 +
                                                  R"(, "ca_file": true})")
                                    << QStringLiteral("config.file.type") << QStringLiteral("\"ca_file\"");
    QTest::newRow("bad id") << QByteArray(R"({"fedsync_profile": 1, "id": "My Profile", )" + auth0 + "}")
                            << QStringLiteral("config.file.value") << QStringLiteral("\"id\"");
}

void TestProfileFile::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, code);
    QFETCH(QString, mentions);
    const QString path = writeFile(QStringLiteral("bad.json"), json);
    UserError error;
    const std::optional<Profile> profile = ProfileFile::load(path, &error);
    QVERIFY(!profile);
    QCOMPARE(error.code, code);
    QVERIFY2(error.text().contains(mentions), qPrintable(error.text()));
    QVERIFY2(error.text().contains(path), qPrintable(error.text())); // names the file
    QVERIFY(!error.action.isEmpty());
}

void TestProfileFile::unreadableAndUnwritable()
{
    UserError error;
    QVERIFY(!ProfileFile::load(m_dir.filePath(QStringLiteral("missing.json")), &error));
    QCOMPARE(error.code, QStringLiteral("config.file.unreadable"));
    QVERIFY(!ProfileFile::load(m_dir.path(), &error)); // a folder
    QVERIFY(error.isError());

    Profile p;
    p.name = QStringLiteral("x");
    const UserError saved = ProfileFile::save(p, m_dir.filePath(QStringLiteral("no/such/folder/p.json")));
    QCOMPARE(saved.code, QStringLiteral("config.file.write"));
}

FEDSYNC_TEST_MAIN(TestProfileFile)
#include "tst_profilefile.moc"

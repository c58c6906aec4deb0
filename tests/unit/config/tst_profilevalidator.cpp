// ProfileValidator: every rule, tolerated forms, and valid real-world and sandbox profiles; plus the
// values the rules rest on (issuer, discovery URL, Logins key, ids).
#include "config/profile.h"
#include "config/profilevalidator.h"
#include "testmain.h"

#include <QTemporaryDir>
#include <QTemporaryFile>

#include <functional>

using namespace fedsync;

Q_DECLARE_METATYPE(fedsync::Profile)

namespace {

const QString poolUuid = QStringLiteral("0a1b2c3d-1234-5678-9abc-0123456789ab");

// A real Auth0 tenant federated with a real identity pool.
Profile auth0Profile()
{
    Profile p;
    p.id = QStringLiteral("work");
    p.name = QStringLiteral("Work");
    p.auth0.domain = QStringLiteral("tenant.eu.auth0.com");
    p.auth0.clientId = QStringLiteral("Xq3vB8kLmN2pR7sT1uW4yZ6aC9dE0fGh");
    p.cognito.region = QStringLiteral("eu-west-1");
    p.cognito.identityPoolId = QStringLiteral("eu-west-1:") + poolUuid;
    p.cognito.accountId = QStringLiteral("123456789012");
    p.cognito.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/Cognito_FedsyncAuth_Role");
    return p;
}

Profile with(const std::function<void(Profile &)> &change, Profile p = auth0Profile())
{
    change(p);
    return p;
}

} // namespace

class TestProfileValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void valid_data();
    void valid();
    void issues_data();
    void issues();
    void halfFilledCognito();
    void emptyCognitoIsSignInOnly();
    void normalize();
    void issuer_data();
    void issuer();
    void providerName_data();
    void providerName();
    void slug_data();
    void slug();

private:
    Profile sandboxProfile() const;

    QTemporaryFile m_caFile;
    QTemporaryDir m_dir;
};

void TestProfileValidator::initTestCase()
{
    QVERIFY(m_caFile.open());
    m_caFile.write("-----BEGIN CERTIFICATE-----\n");
    m_caFile.close();
    QVERIFY(m_dir.isValid());
}

// What the local sandbox writes into profile.json.
Profile TestProfileValidator::sandboxProfile() const
{
    Profile p;
    p.id = QStringLiteral("sandbox");
    p.name = QStringLiteral("Sandbox");
    p.auth0.domain = QStringLiteral("127.0.0.1:18440");
    p.auth0.clientId = QStringLiteral("3f9c2a7e5b1d4c8a9e0f6b2d7a4c1e3b");
    p.auth0.audience = QString();
    p.cognito.region = QStringLiteral("us-east-1");
    p.cognito.identityPoolId = QStringLiteral("us-east-1:") + poolUuid;
    p.cognito.providerName = QStringLiteral("127.0.0.1:18440/");
    p.cognito.accountId = QStringLiteral("123456789012");
    p.cognito.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/fedsync-sandbox-auth");
    p.cognito.cognitoIdentityEndpoint = QStringLiteral("https://127.0.0.1:18441/");
    p.cognito.stsEndpoint = QStringLiteral("https://127.0.0.1:18442/");
    p.cognito.cognitoSyncEndpoint = QStringLiteral("https://127.0.0.1:18443/");
    p.caFile = m_caFile.fileName();
    return p;
}

void TestProfileValidator::valid_data()
{
    QTest::addColumn<Profile>("profile");
    QTest::newRow("auth0 tenant") << auth0Profile();
    QTest::newRow("sandbox") << sandboxProfile();
    QTest::newRow("domain as https URL")
        << with([](Profile &p) { p.auth0.domain = QStringLiteral("https://tenant.eu.auth0.com/"); });
    QTest::newRow("domain with spaces around")
        << with([](Profile &p) { p.auth0.domain = QStringLiteral("  tenant.eu.auth0.com "); });
    QTest::newRow("custom domain") << with(
        [](Profile &p) { p.auth0.domain = QStringLiteral("login.example.com"); });
    QTest::newRow("http loopback domain")
        << with([](Profile &p) { p.auth0.domain = QStringLiteral("http://127.0.0.1:8080"); });
    QTest::newRow("loopback redirect") << with([](Profile &p) {
        p.auth0.redirectUri = QStringLiteral("http://127.0.0.1/callback");
        p.auth0.logoutReturnTo = QStringLiteral("http://127.0.0.1/logout");
    });
    QTest::newRow("ipv6 loopback redirect")
        << with([](Profile &p) { p.auth0.redirectUri = QStringLiteral("http://[::1]:5000/callback"); });
    QTest::newRow("no logout return") << with([](Profile &p) { p.auth0.logoutReturnTo.clear(); });
    QTest::newRow("scope in another order")
        << with([](Profile &p) { p.auth0.scope = QStringLiteral("offline_access  email openid"); });
    QTest::newRow("max age zero") << with([](Profile &p) { p.auth0.maxAgeSeconds = 0; });
    QTest::newRow("google via system browser") << with([](Profile &p) {
        p.auth0.connection = QStringLiteral("google-oauth2");
        p.auth0.browser = Auth0Settings::BrowserMode::System;
    });
    QTest::newRow("sign-in only") << with([](Profile &p) { p.cognito = CognitoSettings(); });
    QTest::newRow("provider name without slash")
        << with([](Profile &p) { p.cognito.providerName = QStringLiteral("tenant.eu.auth0.com"); });
    QTest::newRow("basic flow") << with([](Profile &p) { p.cognito.flow = CognitoSettings::Flow::Basic; });
    QTest::newRow("enhanced without role") << with([](Profile &p) { p.cognito.roleArn.clear(); });
    QTest::newRow("role with path") << with([](Profile &p) {
        p.cognito.roleArn =
            QStringLiteral("arn:aws:iam::123456789012:role/service-role/Fedsync+Auth=1,a.b@c_d");
    });
    QTest::newRow("custom role") << with([](Profile &p) {
        p.cognito.customRoleArn = QStringLiteral("arn:aws:iam::123456789012:role/Admins");
    });
    QTest::newRow("govcloud") << with([](Profile &p) {
        p.cognito.region = QStringLiteral("us-gov-west-1");
        p.cognito.identityPoolId = QStringLiteral("us-gov-west-1:") + poolUuid;
        p.cognito.roleArn = QStringLiteral("arn:aws-us-gov:iam::123456789012:role/Auth");
    });
    QTest::newRow("china") << with([](Profile &p) {
        p.cognito.region = QStringLiteral("cn-north-1");
        p.cognito.identityPoolId = QStringLiteral("cn-north-1:") + poolUuid;
        p.cognito.roleArn = QStringLiteral("arn:aws-cn:iam::123456789012:role/Auth");
    });
    QTest::newRow("region in capitals")
        << with([](Profile &p) { p.cognito.region = QStringLiteral("EU-WEST-1"); });
    QTest::newRow("http loopback endpoint")
        << with([](Profile &p) { p.cognito.stsEndpoint = QStringLiteral("http://localhost:4566/"); });
}

void TestProfileValidator::valid()
{
    QFETCH(Profile, profile);
    const QList<ProfileIssue> issues = ProfileValidator::validate(profile);
    for (const ProfileIssue &issue : issues)
        qWarning() << issue.field << issue.error.code << issue.error.text();
    QVERIFY(issues.isEmpty());
    QVERIFY(!ProfileValidator::hasErrors(issues));
}

void TestProfileValidator::issues_data()
{
    QTest::addColumn<Profile>("profile");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("warning");
    QTest::addColumn<QString>("mentions"); // a piece of the message that matters to the user

    auto row = [](const char *name, const std::function<void(Profile &)> &change, const char *field,
                  const char *code, bool warning = false, const QString &mentions = {}) {
        QTest::newRow(name) << with(change) << QString::fromLatin1(field) << QString::fromLatin1(code)
                            << warning << mentions;
    };

    row(
        "name empty", [](Profile &p) { p.name = QStringLiteral("  "); }, "name", "config.name.empty");

    row(
        "domain empty", [](Profile &p) { p.auth0.domain.clear(); }, "auth0.domain",
        "config.auth0.domain.empty");
    row(
        "domain only https", [](Profile &p) { p.auth0.domain = QStringLiteral("https://"); }, "auth0.domain",
        "config.auth0.domain.empty");
    row(
        "domain with path",
        [](Profile &p) { p.auth0.domain = QStringLiteral("tenant.eu.auth0.com/authorize"); }, "auth0.domain",
        "config.auth0.domain.path", false, QStringLiteral("tenant.eu.auth0.com"));
    row(
        "url with path",
        [](Profile &p) { p.auth0.domain = QStringLiteral("https://tenant.eu.auth0.com/u/login"); },
        "auth0.domain", "config.auth0.domain.path", false, QStringLiteral("enter only the host"));
    row(
        "domain with query", [](Profile &p) { p.auth0.domain = QStringLiteral("tenant.eu.auth0.com?x=1"); },
        "auth0.domain", "config.auth0.domain.path");
    row(
        "domain with fragment", [](Profile &p) { p.auth0.domain = QStringLiteral("tenant.eu.auth0.com#x"); },
        "auth0.domain", "config.auth0.domain.path");
    row(
        "domain http", [](Profile &p) { p.auth0.domain = QStringLiteral("http://tenant.eu.auth0.com"); },
        "auth0.domain", "config.auth0.domain.http", false, QStringLiteral("Auth0 domains are https"));
    row(
        "domain http loopback with path",
        [](Profile &p) { p.auth0.domain = QStringLiteral("http://127.0.0.1:8080/x"); }, "auth0.domain",
        "config.auth0.domain.path");
    row(
        "domain other scheme",
        [](Profile &p) { p.auth0.domain = QStringLiteral("ftp://tenant.eu.auth0.com"); }, "auth0.domain",
        "config.auth0.domain.scheme");
    row(
        "domain with space", [](Profile &p) { p.auth0.domain = QStringLiteral("tenant eu.auth0.com"); },
        "auth0.domain", "config.auth0.domain.invalid");
    row(
        "domain with user", [](Profile &p) { p.auth0.domain = QStringLiteral("me@tenant.eu.auth0.com"); },
        "auth0.domain", "config.auth0.domain.invalid");

    row(
        "client id empty", [](Profile &p) { p.auth0.clientId.clear(); }, "auth0.client_id",
        "config.auth0.client_id.empty");
    row(
        "client id with space", [](Profile &p) { p.auth0.clientId = QStringLiteral("Xq3vB8kL mN2pR7sT"); },
        "auth0.client_id", "config.auth0.client_id.space");
    row(
        "client id with colon", [](Profile &p) { p.auth0.clientId = QStringLiteral("Client ID:Xq3vB8kL"); },
        "auth0.client_id", "config.auth0.client_id.space");
    row(
        "client id odd characters",
        [](Profile &p) { p.auth0.clientId = QStringLiteral("Xq3vB8kL/mN2p\"R7sT"); }, "auth0.client_id",
        "config.auth0.client_id.characters");

    row(
        "scope without openid",
        [](Profile &p) { p.auth0.scope = QStringLiteral("profile email offline_access"); }, "auth0.scope",
        "config.auth0.scope.openid", false, QStringLiteral("ID token"));
    row(
        "scope openid as substring",
        [](Profile &p) { p.auth0.scope = QStringLiteral("openidx offline_access"); }, "auth0.scope",
        "config.auth0.scope.openid");
    row(
        "scope without offline_access",
        [](Profile &p) { p.auth0.scope = QStringLiteral("openid profile email"); }, "auth0.scope",
        "config.auth0.scope.offline_access", true, QStringLiteral("sign in again"));

    row(
        "redirect https",
        [](Profile &p) { p.auth0.redirectUri = QStringLiteral("https://app.example.com/callback"); },
        "auth0.redirect_uri", "config.auth0.redirect_uri.invalid");
    row(
        "redirect http remote",
        [](Profile &p) { p.auth0.redirectUri = QStringLiteral("http://example.com/callback"); },
        "auth0.redirect_uri", "config.auth0.redirect_uri.invalid");
    row(
        "redirect lan address",
        [](Profile &p) { p.auth0.redirectUri = QStringLiteral("http://192.168.1.2/callback"); },
        "auth0.redirect_uri", "config.auth0.redirect_uri.invalid");
    row(
        "redirect not a uri", [](Profile &p) { p.auth0.redirectUri = QStringLiteral("callback"); },
        "auth0.redirect_uri", "config.auth0.redirect_uri.invalid");
    row(
        "redirect empty", [](Profile &p) { p.auth0.redirectUri.clear(); }, "auth0.redirect_uri",
        "config.auth0.redirect_uri.invalid");
    row(
        "redirect file", [](Profile &p) { p.auth0.redirectUri = QStringLiteral("file:///tmp/cb"); },
        "auth0.redirect_uri", "config.auth0.redirect_uri.invalid");
    row(
        "logout https",
        [](Profile &p) { p.auth0.logoutReturnTo = QStringLiteral("https://app.example.com/"); },
        "auth0.logout_return_to", "config.auth0.logout_return_to.invalid");

    row(
        "max age negative", [](Profile &p) { p.auth0.maxAgeSeconds = -1; }, "auth0.max_age",
        "config.auth0.max_age.negative");
    row(
        "google embedded", [](Profile &p) { p.auth0.connection = QStringLiteral("google-oauth2"); },
        "auth0.browser", "config.auth0.browser.google", true, QStringLiteral("disallowed_useragent"));

    row(
        "region empty", [](Profile &p) { p.cognito.region.clear(); }, "cognito.region",
        "config.cognito.region.empty");
    row(
        "region malformed", [](Profile &p) { p.cognito.region = QStringLiteral("eu-west"); },
        "cognito.region", "config.cognito.region.invalid");
    row(
        "region az", [](Profile &p) { p.cognito.region = QStringLiteral("eu-west-1a"); }, "cognito.region",
        "config.cognito.region.invalid");
    row(
        "region underscores", [](Profile &p) { p.cognito.region = QStringLiteral("eu_west_1"); },
        "cognito.region", "config.cognito.region.invalid");
    row(
        "pool empty", [](Profile &p) { p.cognito.identityPoolId.clear(); }, "cognito.identity_pool_id",
        "config.cognito.identity_pool_id.empty");
    row(
        "pool without region", [](Profile &p) { p.cognito.identityPoolId = poolUuid; },
        "cognito.identity_pool_id", "config.cognito.identity_pool_id.invalid");
    row(
        "pool user pool id",
        [](Profile &p) { p.cognito.identityPoolId = QStringLiteral("eu-west-1_AbCdEfGhI"); },
        "cognito.identity_pool_id", "config.cognito.identity_pool_id.invalid");
    row(
        "pool short uuid",
        [](Profile &p) { p.cognito.identityPoolId = QStringLiteral("eu-west-1:0a1b2c3d-1234"); },
        "cognito.identity_pool_id", "config.cognito.identity_pool_id.invalid");
    row(
        "pool other region",
        [](Profile &p) { p.cognito.identityPoolId = QStringLiteral("us-east-1:") + poolUuid; },
        "cognito.identity_pool_id", "config.cognito.identity_pool_id.region", false,
        QStringLiteral("lives in us-east-1 but the profile says eu-west-1"));
    row(
        "provider name with https",
        [](Profile &p) { p.cognito.providerName = QStringLiteral("https://tenant.eu.auth0.com/"); },
        "cognito.provider_name", "config.cognito.provider_name.scheme", false,
        QStringLiteral("Enter tenant.eu.auth0.com/"));
    row(
        "account id short", [](Profile &p) { p.cognito.accountId = QStringLiteral("1234"); },
        "cognito.account_id", "config.cognito.account_id.invalid");
    row(
        "basic without role",
        [](Profile &p) {
            p.cognito.flow = CognitoSettings::Flow::Basic;
            p.cognito.roleArn.clear();
        },
        "cognito.role_arn", "config.cognito.role_arn.missing");
    row(
        "role short account",
        [](Profile &p) { p.cognito.roleArn = QStringLiteral("arn:aws:iam::1234:role/Auth"); },
        "cognito.role_arn", "config.cognito.role_arn.invalid");
    row(
        "role is a user",
        [](Profile &p) { p.cognito.roleArn = QStringLiteral("arn:aws:iam::123456789012:user/bob"); },
        "cognito.role_arn", "config.cognito.role_arn.invalid");
    row(
        "role bare name", [](Profile &p) { p.cognito.roleArn = QStringLiteral("Cognito_FedsyncAuth_Role"); },
        "cognito.role_arn", "config.cognito.role_arn.invalid");
    row(
        "role other partition",
        [](Profile &p) { p.cognito.roleArn = QStringLiteral("arn:azure:iam::123456789012:role/Auth"); },
        "cognito.role_arn", "config.cognito.role_arn.invalid");
    row(
        "custom role malformed",
        [](Profile &p) { p.cognito.customRoleArn = QStringLiteral("arn:aws:iam::role/Admins"); },
        "cognito.custom_role_arn", "config.cognito.custom_role_arn.invalid");
    row(
        "identity endpoint http",
        [](Profile &p) { p.cognito.cognitoIdentityEndpoint = QStringLiteral("http://cognito.example.com/"); },
        "cognito.endpoints.cognito_identity", "net.url.insecure");
    row(
        "sts endpoint ftp",
        [](Profile &p) { p.cognito.stsEndpoint = QStringLiteral("ftp://sts.example.com/"); },
        "cognito.endpoints.sts", "net.url.insecure");
    row(
        "sync endpoint no host",
        [](Profile &p) { p.cognito.cognitoSyncEndpoint = QStringLiteral("https:///x"); },
        "cognito.endpoints.cognito_sync", "net.url.invalid");

    row(
        "ca file missing", [](Profile &p) { p.caFile = QStringLiteral("/nonexistent/fedsync/ca.pem"); },
        "ca_file", "config.ca_file.missing");
    row(
        "ca file is a folder", [](Profile &p) { p.caFile = QDir::tempPath(); }, "ca_file",
        "config.ca_file.unreadable");
}

void TestProfileValidator::issues()
{
    QFETCH(Profile, profile);
    QFETCH(QString, field);
    QFETCH(QString, code);
    QFETCH(bool, warning);
    QFETCH(QString, mentions);

    const QList<ProfileIssue> issues = ProfileValidator::validate(profile);
    for (const ProfileIssue &issue : issues)
        qDebug() << issue.field << issue.error.code << issue.error.text();
    QCOMPARE(issues.size(), 1);
    const ProfileIssue &issue = issues.first();
    QCOMPARE(issue.field, field);
    QCOMPARE(issue.error.code, code);
    QCOMPARE(issue.severity, warning ? ProfileIssue::Severity::Warning : ProfileIssue::Severity::Error);
    QCOMPARE(ProfileValidator::hasErrors(issues), !warning);
    // What, why and what to do: all three, always.
    QVERIFY(!issue.error.what.isEmpty());
    QVERIFY(!issue.error.why.isEmpty());
    QVERIFY(!issue.error.action.isEmpty());
    if (!mentions.isEmpty())
        QVERIFY2(issue.error.text().contains(mentions, Qt::CaseInsensitive), qPrintable(issue.error.text()));
}

void TestProfileValidator::halfFilledCognito()
{
    Profile p = auth0Profile();
    p.cognito = CognitoSettings();
    p.cognito.accountId = QStringLiteral("123456789012");
    const QList<ProfileIssue> issues = ProfileValidator::validate(p);
    QStringList codes;
    for (const ProfileIssue &issue : issues)
        codes << issue.error.code;
    QCOMPARE(codes, QStringList({QStringLiteral("config.cognito.region.empty"),
                                 QStringLiteral("config.cognito.identity_pool_id.empty")}));
    QVERIFY(!p.cognito.isConfigured());

    p.cognito = CognitoSettings();
    p.cognito.flow = CognitoSettings::Flow::Basic;
    QVERIFY(!p.cognito.isEmpty());
    QCOMPARE(ProfileValidator::validate(p).size(), 3); // region, pool, role
}

void TestProfileValidator::emptyCognitoIsSignInOnly()
{
    Profile p = auth0Profile();
    QVERIFY(p.cognito.isConfigured());
    p.cognito.flow = CognitoSettings::Flow::Basic;
    p.cognito.roleArn.clear();
    QVERIFY(!p.cognito.isConfigured());
    p.cognito = CognitoSettings();
    QVERIFY(p.cognito.isEmpty());
    QVERIFY(!p.cognito.isConfigured());
    QVERIFY(ProfileValidator::validate(p).isEmpty());
}

void TestProfileValidator::normalize()
{
    Profile p = auth0Profile();
    p.name = QStringLiteral("  Work ");
    p.auth0.domain = QStringLiteral(" https://tenant.eu.auth0.com// ");
    p.auth0.clientId = QStringLiteral(" Xq3vB8kL\n");
    p.auth0.scope = QStringLiteral("  openid   profile\toffline_access ");
    p.cognito.region = QStringLiteral(" EU-WEST-1");
    p.cognito.providerName = QStringLiteral(" tenant.eu.auth0.com/ ");
    const Profile n = ProfileValidator::normalize(p);
    QCOMPARE(n.name, QStringLiteral("Work"));
    QCOMPARE(n.auth0.domain, QStringLiteral("tenant.eu.auth0.com"));
    QCOMPARE(n.auth0.clientId, QStringLiteral("Xq3vB8kL"));
    QCOMPARE(n.auth0.scope, QStringLiteral("openid profile offline_access"));
    QCOMPARE(n.cognito.region, QStringLiteral("eu-west-1"));
    QCOMPARE(n.cognito.providerName, QStringLiteral("tenant.eu.auth0.com/"));
    QCOMPARE(ProfileValidator::normalize(n), n); // idempotent
    QCOMPARE(n.auth0.issuer(), p.auth0.issuer());
}

void TestProfileValidator::issuer_data()
{
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("issuer");
    QTest::addColumn<QString>("discovery");
    QTest::newRow("auth0") << QStringLiteral("tenant.auth0.com")
                           << QStringLiteral("https://tenant.auth0.com/")
                           << QStringLiteral("https://tenant.auth0.com/.well-known/openid-configuration");
    QTest::newRow("regional") << QStringLiteral("tenant.eu.auth0.com")
                              << QStringLiteral("https://tenant.eu.auth0.com/")
                              << QStringLiteral(
                                     "https://tenant.eu.auth0.com/.well-known/openid-configuration");
    QTest::newRow("as url") << QStringLiteral("https://tenant.auth0.com/")
                            << QStringLiteral("https://tenant.auth0.com/")
                            << QStringLiteral("https://tenant.auth0.com/.well-known/openid-configuration");
    QTest::newRow("sandbox") << QStringLiteral("127.0.0.1:18440")
                             << QStringLiteral("https://127.0.0.1:18440/")
                             << QStringLiteral("https://127.0.0.1:18440/.well-known/openid-configuration");
    QTest::newRow("http loopback") << QStringLiteral("http://localhost:3000")
                                   << QStringLiteral("http://localhost:3000/")
                                   << QStringLiteral(
                                          "http://localhost:3000/.well-known/openid-configuration");
    QTest::newRow("empty") << QString() << QString() << QString();
}

void TestProfileValidator::issuer()
{
    QFETCH(QString, domain);
    QFETCH(QString, issuer);
    QFETCH(QString, discovery);
    Auth0Settings settings;
    settings.domain = domain;
    QCOMPARE(settings.issuer().toString(), issuer);
    QCOMPARE(settings.discoveryUrl().toString(), discovery);
}

void TestProfileValidator::providerName_data()
{
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("override");
    QTest::addColumn<QString>("expected");
    QTest::newRow("derived") << QStringLiteral("tenant.auth0.com") << QString()
                             << QStringLiteral("tenant.auth0.com/");
    QTest::newRow("derived from url")
        << QStringLiteral("https://tenant.auth0.com") << QString() << QStringLiteral("tenant.auth0.com/");
    QTest::newRow("sandbox") << QStringLiteral("127.0.0.1:18440") << QString()
                             << QStringLiteral("127.0.0.1:18440/");
    QTest::newRow("override") << QStringLiteral("tenant.auth0.com") << QStringLiteral("tenant.auth0.com")
                              << QStringLiteral("tenant.auth0.com");
    QTest::newRow("no domain") << QString() << QString() << QString();
}

void TestProfileValidator::providerName()
{
    QFETCH(QString, domain);
    QFETCH(QString, override);
    QFETCH(QString, expected);
    Profile p;
    p.auth0.domain = domain;
    p.cognito.providerName = override;
    QCOMPARE(p.effectiveProviderName(), expected);
}

void TestProfileValidator::slug_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("slug");
    QTest::newRow("simple") << QStringLiteral("Work") << QStringLiteral("work");
    QTest::newRow("punctuation") << QStringLiteral("My Tenant (EU)") << QStringLiteral("my-tenant-eu");
    QTest::newRow("accents") << QStringLiteral("Équipe Sécurité") << QStringLiteral("equipe-securite");
    QTest::newRow("domain") << QStringLiteral("127.0.0.1:18440") << QStringLiteral("127-0-0-1-18440");
    QTest::newRow("nothing left") << QStringLiteral("***") << QStringLiteral("profile");
    QTest::newRow("empty") << QString() << QStringLiteral("profile");
}

void TestProfileValidator::slug()
{
    QFETCH(QString, name);
    QFETCH(QString, slug);
    QCOMPARE(Profile::slugFor(name), slug);
    QVERIFY(Profile::isValidId(slug));
    QVERIFY(!Profile::isValidId(QStringLiteral("Has Caps")));
    QVERIFY(!Profile::isValidId(QStringLiteral("a/b")));
    QVERIFY(!Profile::isValidId(QStringLiteral("-leading")));
    QVERIFY(!Profile::isValidId(QString()));
}

FEDSYNC_TEST_MAIN(TestProfileValidator)
#include "tst_profilevalidator.moc"

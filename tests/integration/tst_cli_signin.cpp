// fedsync-cli login --browser none, whoami and logout, end to end: the real sandbox over TLS, the real
// loopback redirect, the real gnome-keyring (read back independently with secret-tool).
#include "clilogin.h"
#include "keychainpeek.h"
#include "config/profilefile.h"
#include "sandbox.h"
#include "scriptedbrowser.h"
#include "secrets/secretstore.h"
#include "session/sessionentry.h"
#include "testmain.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace fedsync;
using namespace fedsync::test;

namespace {
bool waitForLine(QProcess &process)
{
    while (!process.canReadLine())
        if (!process.waitForReadyRead(30000))
            return false;
    return true;
}
} // namespace

class TestCliSignIn : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void loginStoresValidatedTokensInKeychain();
    void whoamiShowsVerifiedClaims();
    void logoutRemovesTokens();
    void wrongPasswordShowsProvidersError();
    void hs256TokenIsRejectedWithAdvice();

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Run cli(const QStringList &args, const QString &profileFile = {});
    Run loginAs(int user, const QString &profileFile);
    QString keychainLookup(const QString &key);

    Sandbox m_sandbox;
    QString m_refreshTokenSeen;
};

void TestCliSignIn::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

TestCliSignIn::Run TestCliSignIn::cli(const QStringList &args, const QString &profileFile)
{
    QProcess process;
    process.start(binDir() + QStringLiteral("/fedsync-cli"),
                  QStringList{QStringLiteral("--profile-file"),
                              profileFile.isEmpty() ? m_sandbox.profileFile() : profileFile} +
                      args);
    process.waitForFinished(60000);
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

TestCliSignIn::Run TestCliSignIn::loginAs(int user, const QString &profileFile)
{
    const CliRun run = cliLogin(m_sandbox, user, profileFile);
    return {run.exitCode, run.out, run.err};
}

QString TestCliSignIn::keychainLookup(const QString &key)
{
    return QString::fromUtf8(keychainpeek::lookup(key).value_or(QByteArray()));
}

void TestCliSignIn::loginStoresValidatedTokensInKeychain()
{
    const Run run = loginAs(0, m_sandbox.profileFile());
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("Signed in as")), qPrintable(run.out));

    const Profile profile = m_sandbox.profile();
    const QString key =
        SessionEntry::keyFor(profile, {m_sandbox.ready().value(QStringLiteral("issuer")).toString(),
                                       profile.auth0.clientId, m_sandbox.user(0, "sub")});
    const QString stored = keychainLookup(key);
    const QString refreshToken =
        QJsonDocument::fromJson(stored.toUtf8()).object().value(QStringLiteral("refresh_token")).toString();
    QVERIFY2(!refreshToken.isEmpty(), qPrintable(QStringLiteral("nothing under %1").arg(key)));
    m_refreshTokenSeen = refreshToken;

    // Nothing secret anywhere else: not in the CLI's output, not in the settings file.
    QVERIFY(!run.out.contains(refreshToken) && !run.err.contains(refreshToken));
    QFile settings(qEnvironmentVariable("XDG_CONFIG_HOME") + QStringLiteral("/Fedsync/Fedsync.conf"));
    if (settings.open(QIODevice::ReadOnly)) {
        const QByteArray content = settings.readAll();
        QVERIFY(!content.contains(refreshToken.toUtf8()));
        QVERIFY(!content.contains("eyJ"));
    }
}

void TestCliSignIn::whoamiShowsVerifiedClaims()
{
    const Run run = cli({QStringLiteral("whoami"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject claims = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(claims.value(QStringLiteral("sub")).toString(), m_sandbox.user(0, "sub"));
    QCOMPARE(claims.value(QStringLiteral("iss")).toString(),
             m_sandbox.ready().value(QStringLiteral("issuer")).toString());
    QCOMPARE(claims.value(QStringLiteral("email")).toString(), m_sandbox.user(0, "email"));
}

void TestCliSignIn::logoutRemovesTokens()
{
    const Run run = cli({QStringLiteral("logout")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.err.contains(QStringLiteral("/v2/logout?client_id=")));
    const Profile profile = m_sandbox.profile();
    QCOMPARE(keychainLookup(
                 SessionEntry::keyFor(profile, {m_sandbox.ready().value(QStringLiteral("issuer")).toString(),
                                                profile.auth0.clientId, m_sandbox.user(0, "sub")})),
             QString());
    const Run after = cli({QStringLiteral("whoami")});
    QCOMPARE(after.exitCode, 1);
    QVERIFY2(after.err.contains(QStringLiteral("Not signed in")), qPrintable(after.err));
}

void TestCliSignIn::wrongPasswordShowsProvidersError()
{
    ScriptedBrowser browser(m_sandbox.caFile());
    // Any authorize URL will do for the page itself: start a login and abandon it.
    QProcess process;
    process.start(binDir() + QStringLiteral("/fedsync-cli"),
                  {QStringLiteral("--profile-file"), m_sandbox.profileFile(), QStringLiteral("login"),
                   QStringLiteral("--browser"), QStringLiteral("none")});
    QVERIFY(waitForLine(process));
    const QUrl authorize = QUrl::fromEncoded(process.readLine().trimmed());
    const QUrl redirect =
        browser.login(authorize, m_sandbox.user(0, "username"), QStringLiteral("not-the-password"));
    QVERIFY(!redirect.isValid());
    QVERIFY2(browser.lastPage().contains("Wrong email or password."), browser.lastPage().constData());
    process.kill();
    process.waitForFinished();
}

void TestCliSignIn::hs256TokenIsRejectedWithAdvice()
{
    // The sandbox's misconfigured twin client signs ID tokens with HS256, as an Auth0 app left on HS256.
    Profile profile = m_sandbox.profile();
    profile.auth0.clientId = m_sandbox.ready().value(QStringLiteral("hs256_client_id")).toString();
    profile.id = QStringLiteral("hs256");
    const QString path = m_sandbox.dataDir() + QStringLiteral("/hs256-profile.json");
    QVERIFY(!ProfileFile::save(profile, path).isError());
    profile.sourceFile = path;
    const Run run = loginAs(1, path);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("RS256")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("Advanced Settings")), qPrintable(run.err));
    QCOMPARE(keychainLookup(
                 SessionEntry::keyFor(profile, {m_sandbox.ready().value(QStringLiteral("issuer")).toString(),
                                                profile.auth0.clientId, m_sandbox.user(1, "sub")})),
             QString());
}

FEDSYNC_TEST_MAIN(TestCliSignIn)
#include "tst_cli_signin.moc"

// The session entry through the real parts: fedsync-cli processes, the sandbox over TLS (a second one
// as a hostile provider), gnome-keyring read back with secret-tool, the sandbox's request log.
// Tokens bound to their provider, refresh-token rotation with parallel processes, a revoked token
// removed, token-endpoint outages, the ID-token/AWS-credential cache, key rotation in a running process.
#include "aws/awscredentials.h"
#include "aws/cognitocredentialsprovider.h"
#include "clilogin.h"
#include "config/appidentity.h"
#include "keychainpeek.h"
#include "sandbox.h"
#include "secrets/kernelkeyring.h"
#include "secrets/keychainsecretstore.h"
#include "session/awsaccess.h"
#include "session/profilecontext.h"
#include "session/sessionentry.h"
#include "session/signinstate.h"
#include "signedinuser.h"
#include "testmain.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>

using namespace fedsync;
using namespace fedsync::test;

class TestCliSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void hostileProviderNeverGetsTheRefreshToken();
    void formatOneEntryIsRemovedNotSent();
    void parallelCommandsShareARotatingSession();
    void revokedRefreshTokenLeavesTheKeychain();
    void tokenEndpointOutageSaysTryAgain();
    void secondCommandMakesNoRequest();
    void credentialProcessAnswersFromTheKernelKeyring();
    void minuteLongCredentialsServeTheNextCommand();
    void shortLivedCredentialsAreNotRenewedConstantly();
    void keyRotationRecoversWithoutRestart();

private:
    QString profileCopy(const QString &name) const;
    CliRun cli(const QString &profileFile, const QStringList &args) const;
    int count(const QStringList &operations, const QString &operation) const
    {
        return int(operations.count(operation));
    }
    qint64 requestSeq() const;
    // The AccessKeyId a `credentials` run printed (empty when none).
    static QString accessKeyOf(const CliRun &run)
    {
        return QJsonDocument::fromJson(run.out.toUtf8())
            .object()
            .value(QStringLiteral("AccessKeyId"))
            .toString();
    }
    // Signs sandbox user `user` in with `file`, then runs `credentials` once; its AccessKeyId.
    QString signInAndGetCredentials(const QString &file, int user) const;
    void setLifetimes(const QJsonObject &lifetimes);

    Sandbox m_sandbox;
    QTemporaryDir m_dir;
};

void TestCliSession::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    // Started first: the profile id is made from this program's name, so no other test program's
    // keychain entries share it.
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    applyApplicationIdentity(); // the CLI's settings and cache paths
}

void TestCliSession::init()
{
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/refresh-rotation"), {{QStringLiteral("enabled"), false}}));
    setLifetimes({{QStringLiteral("id_token"), 36000}, {QStringLiteral("credentials"), 3600}});
}

void TestCliSession::setLifetimes(const QJsonObject &lifetimes)
{
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/lifetimes"), lifetimes));
}

QString TestCliSession::profileCopy(const QString &name) const
{
    const QString path = m_dir.filePath(name);
    QFile::remove(path);
    QFile::copy(m_sandbox.profileFile(), path);
    return path;
}

CliRun TestCliSession::cli(const QString &profileFile, const QStringList &args) const
{
    return runCli(QStringList{QStringLiteral("--profile-file"), profileFile} + args);
}

qint64 TestCliSession::requestSeq() const
{
    qint64 next = 0;
    m_sandbox.operationsSince(0, &next);
    return next;
}

QString TestCliSession::signInAndGetCredentials(const QString &file, int user) const
{
    const CliRun login = cliLogin(m_sandbox, user, file);
    if (login.exitCode != 0) {
        qWarning("login failed: %s", qPrintable(login.err));
        return {};
    }
    const CliRun first = cli(file, {QStringLiteral("credentials")});
    if (first.exitCode != 0)
        qWarning("credentials failed: %s", qPrintable(first.err));
    return accessKeyOf(first);
}

void TestCliSession::hostileProviderNeverGetsTheRefreshToken()
{
    const QString file = profileCopy(QStringLiteral("work.json"));
    const CliRun login = cliLogin(m_sandbox, 0, file);
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));

    // A second provider (its own sandbox: another issuer, client id and CA) under the same profile name
    // and id, in another file and then in place of the original file.
    Sandbox hostile;
    QVERIFY2(hostile.start(), qPrintable(hostile.errorString()));
    QFile original(file);
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QJsonObject ours = QJsonDocument::fromJson(original.readAll()).object();
    original.close();
    QFile theirs(hostile.profileFile());
    QVERIFY(theirs.open(QIODevice::ReadOnly));
    QJsonObject evil = QJsonDocument::fromJson(theirs.readAll()).object();
    evil.insert(QStringLiteral("id"), ours.value(QStringLiteral("id")));
    evil.insert(QStringLiteral("name"), ours.value(QStringLiteral("name")));
    const auto writeProfile = [&evil](const QString &path) {
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(QJsonDocument(evil).toJson());
    };
    const QString elsewhere = m_dir.filePath(QStringLiteral("evil.json"));
    writeProfile(elsewhere);

    const CliRun fromOtherFile = cli(elsewhere, {QStringLiteral("whoami")});
    QCOMPARE(fromOtherFile.exitCode, 1);
    QVERIFY2(fromOtherFile.err.contains(QStringLiteral("Not signed in")), qPrintable(fromOtherFile.err));

    writeProfile(file); // the same file, edited to name the other provider
    const CliRun edited = cli(file, {QStringLiteral("whoami")});
    QCOMPARE(edited.exitCode, 1);
    QVERIFY2(edited.err.contains(QStringLiteral("not signed in with this profile's sign-in provider")),
             qPrintable(edited.err));
    QVERIFY2(edited.err.contains(m_sandbox.ready().value(QStringLiteral("issuer")).toString()),
             qPrintable(edited.err));
    const CliRun credentials = cli(file, {QStringLiteral("credentials")});
    QCOMPARE(credentials.exitCode, 1);

    // The other provider was never asked for a token (the old code posted ours to its token endpoint).
    const QStringList hostileOps = hostile.operationsSince(0);
    QVERIFY2(!hostileOps.contains(QStringLiteral("token")), qPrintable(hostileOps.join(QLatin1Char(' '))));

    // The entry is still ours, bound to our provider; back to the real file, the session works.
    const QJsonObject entry = keychainpeek::sessionEntry(m_sandbox, file, 0);
    QCOMPARE(entry.value(QStringLiteral("iss")).toString(),
             m_sandbox.ready().value(QStringLiteral("issuer")).toString());
    QCOMPARE(entry.value(QStringLiteral("sub")).toString(), m_sandbox.user(0, "sub"));
    QVERIFY(!entry.value(QStringLiteral("refresh_token")).toString().isEmpty());
    QFile restore(file);
    QVERIFY(restore.open(QIODevice::WriteOnly | QIODevice::Truncate));
    restore.write(QJsonDocument(ours).toJson());
    restore.close();
    const CliRun again = cli(file, {QStringLiteral("whoami")});
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
}

void TestCliSession::formatOneEntryIsRemovedNotSent()
{
    // What an earlier version left: "<profile>/<sub>/tokens" = {"v":1,"refresh_token":...} and the user in
    // "sessions/<profile>/lastUser". It records no provider, so it is never sent anywhere.
    const QString file = profileCopy(QStringLiteral("legacy.json"));
    const Profile profile = m_sandbox.profile();
    const QString legacyKey = SessionEntry::legacyKeyFor(profile.id, m_sandbox.user(1, "sub"));
    KeychainSecretStore keychain(KeychainSecretStore::defaultServiceName());
    bool written = false;
    keychain.write(legacyKey, R"({"v":1,"refresh_token":"legacy-refresh-token"})", this,
                   [&written](const SecretResult &result) { written = result.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(written, 20000);
    QSettings().setValue(QStringLiteral("sessions/%1/lastUser").arg(profile.id), m_sandbox.user(1, "sub"));
    QSettings().sync();

    const qint64 since = requestSeq();
    const CliRun run = cli(file, {QStringLiteral("whoami")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("sign in again, once")), qPrintable(run.err));
    QVERIFY(!m_sandbox.operationsSince(since).contains(QStringLiteral("token")));
    QVERIFY(!keychainpeek::lookup(legacyKey).has_value());
}

void TestCliSession::parallelCommandsShareARotatingSession()
{
    // Rotation on, and ID tokens too short-lived to be reused: every command refreshes.
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/refresh-rotation"), {{QStringLiteral("enabled"), true}}));
    setLifetimes({{QStringLiteral("id_token"), 120}});
    const QString file = profileCopy(QStringLiteral("rotation.json"));
    const CliRun login = cliLogin(m_sandbox, 1, file);
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    const QString firstToken =
        keychainpeek::sessionEntry(m_sandbox, file, 1).value(QStringLiteral("refresh_token")).toString();
    QVERIFY(!firstToken.isEmpty());

    const qint64 since = requestSeq();
    constexpr int processes = 6;
    std::vector<std::unique_ptr<QProcess>> running;
    for (int i = 0; i < processes; ++i) {
        auto process = std::make_unique<QProcess>();
        process->start(binDir() + QStringLiteral("/fedsync-cli"),
                       {QStringLiteral("--profile-file"), file,
                        i % 2 ? QStringLiteral("credentials") : QStringLiteral("whoami")});
        running.push_back(std::move(process));
    }
    for (auto &process : running) {
        QVERIFY(process->waitForFinished(120000));
        QVERIFY2(process->exitCode() == 0, qPrintable(QString::fromUtf8(process->readAllStandardError())));
    }
    // Each refreshed in turn with the token the one before stored; none was refused.
    const QJsonObject log = m_sandbox.adminGet(QStringLiteral("admin/requests?since=%1").arg(since));
    int refreshes = 0;
    for (const QJsonValue &request : log.value(QStringLiteral("requests")).toArray()) {
        const QJsonObject r = request.toObject();
        if (r.value(QStringLiteral("operation")).toString() != QStringLiteral("token"))
            continue;
        ++refreshes;
        QCOMPARE(r.value(QStringLiteral("status")).toInt(), 200);
    }
    QCOMPARE(refreshes, processes);
    const CliRun after = cli(file, {QStringLiteral("whoami")});
    QVERIFY2(after.exitCode == 0, qPrintable(after.err));
    const QString lastToken =
        keychainpeek::sessionEntry(m_sandbox, file, 1).value(QStringLiteral("refresh_token")).toString();
    QVERIFY(!lastToken.isEmpty() && lastToken != firstToken);
}

void TestCliSession::revokedRefreshTokenLeavesTheKeychain()
{
    setLifetimes({{QStringLiteral("id_token"), 120}});
    const QString file = profileCopy(QStringLiteral("revoked.json"));
    const CliRun login = cliLogin(m_sandbox, 2, file);
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    QVERIFY(!keychainpeek::sessionEntry(m_sandbox, file, 2).isEmpty());
    QVERIFY(
        m_sandbox.admin(QStringLiteral("admin/revoke"), {{QStringLiteral("sub"), m_sandbox.user(2, "sub")}}));

    const CliRun refused = cli(file, {QStringLiteral("whoami")});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains(QStringLiteral("no longer accepted")), qPrintable(refused.err));
    // Gone from the keychain by the time the process exited.
    QVERIFY(keychainpeek::sessionEntry(m_sandbox, file, 2).isEmpty());
    const qint64 since = requestSeq();
    const CliRun next = cli(file, {QStringLiteral("whoami")});
    QCOMPARE(next.exitCode, 1);
    QVERIFY2(next.err.contains(QStringLiteral("Not signed in")), qPrintable(next.err));
    QVERIFY(!m_sandbox.operationsSince(since).contains(QStringLiteral("token")));
}

void TestCliSession::tokenEndpointOutageSaysTryAgain()
{
    setLifetimes({{QStringLiteral("id_token"), 120}});
    const QString file = profileCopy(QStringLiteral("outage.json"));
    const CliRun login = cliLogin(m_sandbox, 0, file);
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    const auto fault = [this](const char *kind, int count) {
        QVERIFY(m_sandbox.admin(QStringLiteral("admin/faults"),
                                {{QStringLiteral("service"), QStringLiteral("oidc")},
                                 {QStringLiteral("operation"), QStringLiteral("token")},
                                 {QStringLiteral("kind"), QString::fromLatin1(kind)},
                                 {QStringLiteral("count"), count}}));
    };

    // Two 503s: retried as AWS calls are, the command works.
    fault("http503", 2);
    qint64 since = requestSeq();
    const CliRun retried = cli(file, {QStringLiteral("whoami")});
    QVERIFY2(retried.exitCode == 0, qPrintable(retried.err));
    QCOMPARE(count(m_sandbox.operationsSince(since), QStringLiteral("token")), 3);

    // A longer outage: "try again", not "sign in again"; the session is kept.
    fault("http500", 10);
    const CliRun down = cli(file, {QStringLiteral("whoami")});
    QCOMPARE(down.exitCode, 1);
    QVERIFY2(down.err.contains(QStringLiteral("Try again"), Qt::CaseInsensitive), qPrintable(down.err));
    QVERIFY2(!down.err.contains(QStringLiteral("Sign in again")), qPrintable(down.err));
    QVERIFY(!keychainpeek::sessionEntry(m_sandbox, file, 0).isEmpty());
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));

    // A garbled 200 is not blamed on the scopes.
    fault("malformed", 10);
    const CliRun garbled = cli(file, {QStringLiteral("whoami")});
    QCOMPARE(garbled.exitCode, 1);
    QVERIFY2(garbled.err.contains(QStringLiteral("could not be read")), qPrintable(garbled.err));
    QVERIFY2(!garbled.err.contains(QStringLiteral("scope")), qPrintable(garbled.err));
    QVERIFY(!keychainpeek::sessionEntry(m_sandbox, file, 0).isEmpty());
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));

    const CliRun back = cli(file, {QStringLiteral("whoami")});
    QVERIFY2(back.exitCode == 0, qPrintable(back.err));
}

void TestCliSession::secondCommandMakesNoRequest()
{
    const QString file = profileCopy(QStringLiteral("cache.json"));
    const CliRun login = cliLogin(m_sandbox, 1, file);
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    const CliRun first = cli(file, {QStringLiteral("credentials")});
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));

    const qint64 since = requestSeq();
    const CliRun second = cli(file, {QStringLiteral("credentials")});
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    const QStringList operations = m_sandbox.operationsSince(since);
    QVERIFY2(operations.isEmpty(), qPrintable(operations.join(QLatin1Char(' '))));
    const QString key = accessKeyOf(first);
    QVERIFY(key.startsWith(QStringLiteral("ASIA")));
    QCOMPARE(accessKeyOf(second), key);

    // The cache lives in the keychain entry, bound as the refresh token is; the provider documents on
    // disk are owner-only.
    const QJsonObject entry = keychainpeek::sessionEntry(m_sandbox, file, 1);
    QVERIFY(!entry.value(QStringLiteral("id_token")).toString().isEmpty());
    QCOMPARE(entry.value(QStringLiteral("aws")).toObject().value(QStringLiteral("access_key_id")).toString(),
             key);
    const QString cacheDir =
        QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/oidc");
    QDirIterator files(cacheDir, QDir::Files);
    int cached = 0;
    while (files.hasNext()) {
        const QFileInfo info(files.next());
        ++cached;
        QCOMPARE(info.permissions() &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
    }
    QVERIFY(cached >= 2); // discovery and the JWKS
}

void TestCliSession::credentialProcessAnswersFromTheKernelKeyring()
{
    if (!KernelKeyring(KeychainSecretStore::defaultServiceName()).isAvailable())
        QSKIP(
            "The kernel keyring calls are refused here (a seccomp policy): the keychain path alone is used");
    if (const qint64 left = keychainpeek::kernelKeyringBytesLeft(); left >= 0 && left < 4096)
        QSKIP("This uid's kernel keyring quota is full (other sessions' copies; an ordinary user has 20 KB): "
              "the keychain path alone is used");
    const QString file = profileCopy(QStringLiteral("athand.json"));
    const QString key = signInAndGetCredentials(file, 2);
    QVERIFY(key.startsWith(QStringLiteral("ASIA")));

    // The copy in the kernel keyring: the binding and the credentials, never a token; this uid only.
    const keychainpeek::KernelKey copy = keychainpeek::kernelKeyringCopy(m_sandbox, file, 2);
    QCOMPARE(copy.value.value(QStringLiteral("sub")).toString(), m_sandbox.user(2, "sub"));
    QCOMPARE(
        copy.value.value(QStringLiteral("aws")).toObject().value(QStringLiteral("access_key_id")).toString(),
        key);
    QVERIFY(!copy.value.contains(QStringLiteral("refresh_token")));
    QVERIFY(!copy.value.contains(QStringLiteral("id_token")));
    QVERIFY2(copy.permissions.endsWith(QStringLiteral("0000")), qPrintable(copy.permissions)); // group, other

    // The next run reads nothing else: with the keychain out of reach (no D-Bus session) and the
    // sandbox unasked, it answers the same credentials.
    QProcessEnvironment noKeychain = QProcessEnvironment::systemEnvironment();
    noKeychain.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                      QStringLiteral("unix:path=/nonexistent/bus"));
    qint64 since = requestSeq();
    const CliRun atHand =
        runCli({QStringLiteral("--profile-file"), file, QStringLiteral("credentials")}, noKeychain);
    QVERIFY2(atHand.exitCode == 0, qPrintable(atHand.err));
    const QJsonObject printed = QJsonDocument::fromJson(atHand.out.toUtf8()).object();
    QCOMPARE(printed.value(QStringLiteral("AccessKeyId")).toString(), key);
    QCOMPARE(printed.value(QStringLiteral("Version")).toInt(), 1);
    QVERIFY(!printed.value(QStringLiteral("SessionToken")).toString().isEmpty());
    QVERIFY(!printed.value(QStringLiteral("Expiration")).toString().isEmpty());
    QVERIFY(m_sandbox.operationsSince(since).isEmpty());

    // Another profile file (its own namespace) finds nothing of it.
    const QString other = profileCopy(QStringLiteral("athand-other.json"));
    const CliRun stranger =
        runCli({QStringLiteral("--profile-file"), other, QStringLiteral("credentials")}, noKeychain);
    QVERIFY(stranger.exitCode != 0);
    QVERIFY(!stranger.out.contains(key));

    // Signing out drops it for every process at once: nothing answers from it afterwards.
    const CliRun logout = cli(file, {QStringLiteral("logout")});
    QVERIFY2(logout.exitCode == 0, qPrintable(logout.err));
    QVERIFY(keychainpeek::kernelKeyringCopy(m_sandbox, file, 2).value.isEmpty());
    const CliRun after =
        runCli({QStringLiteral("--profile-file"), file, QStringLiteral("credentials")}, noKeychain);
    QCOMPARE(after.exitCode, 1);
    QVERIFY2(after.err.contains(QStringLiteral("Not signed in")), qPrintable(after.err));
    QVERIFY(!after.out.contains(key));
}

void TestCliSession::minuteLongCredentialsServeTheNextCommand()
{
    // A pool whose credentials live 60 s: a command a few seconds after the first uses them (they have
    // 48 s before their own renewal margin), from the kernel keyring and from the keychain entry alike.
    // Before, the cache asked for 300 s left, so every command asked Cognito again.
    setLifetimes({{QStringLiteral("id_token"), 36000}, {QStringLiteral("credentials"), 60}});
    const QString file = profileCopy(QStringLiteral("minute.json"));
    const QString key = signInAndGetCredentials(file, 0);
    QVERIFY(key.startsWith(QStringLiteral("ASIA")));

    qint64 since = requestSeq();
    const CliRun atHand = cli(file, {QStringLiteral("credentials")});
    QVERIFY2(atHand.exitCode == 0, qPrintable(atHand.err));
    QCOMPARE(accessKeyOf(atHand), key);
    QVERIFY2(m_sandbox.operationsSince(since).isEmpty(),
             qPrintable(m_sandbox.operationsSince(since).join(u' ')));

    // Without the kernel keyring's copy (dropped by hand), the keychain entry's copy serves.
    QProcess::execute(
        QStringLiteral("keyctl"),
        {QStringLiteral("purge"), QStringLiteral("-s"), QStringLiteral("user"),
         QStringLiteral("Fedsync/") + keychainpeek::sessionKey(m_sandbox, file, 0) + QStringLiteral("/aws")});
    QVERIFY(keychainpeek::kernelKeyringCopy(m_sandbox, file, 0).value.isEmpty());
    since = requestSeq();
    const CliRun fromKeychain = cli(file, {QStringLiteral("credentials")});
    QVERIFY2(fromKeychain.exitCode == 0, qPrintable(fromKeychain.err));
    QCOMPARE(accessKeyOf(fromKeychain), key);
    QVERIFY2(!m_sandbox.operationsSince(since).contains(QStringLiteral("GetCredentialsForIdentity")),
             qPrintable(m_sandbox.operationsSince(since).join(u' ')));
}

void TestCliSession::shortLivedCredentialsAreNotRenewedConstantly()
{
    // The pool hands out credentials that live 20 s (the old code renewed them every second).
    setLifetimes({{QStringLiteral("credentials"), 20}});
    SignedInUser user;
    const QString signedIn = user.signIn(m_sandbox, 1, profileCopy(QStringLiteral("short.json")), true);
    QVERIFY2(signedIn.isEmpty(), qPrintable(signedIn));
    ProfileContext *context = &user.context();
    aws::CognitoCredentialsProvider *provider = context->cognito()->credentials();
    QSignalSpy changed(provider, &aws::CognitoCredentialsProvider::credentialsChanged);
    const qint64 since = requestSeq();
    provider->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 20000);
    // Renewed once at about 80% of the lifetime (16 s), not before, and before they expire.
    QTest::qWait(12000);
    QCOMPARE(count(m_sandbox.operationsSince(since), QStringLiteral("GetCredentialsForIdentity")), 1);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 10000);
    QVERIFY(!provider->credentials().isExpiringWithin(1, QDateTime::currentDateTimeUtc()));
    QCOMPARE(count(m_sandbox.operationsSince(since), QStringLiteral("GetCredentialsForIdentity")), 2);
}

void TestCliSession::keyRotationRecoversWithoutRestart()
{
    // A running process (as the desktop app) with credentials.
    SignedInUser user;
    const QString signedIn = user.signIn(m_sandbox, 0, profileCopy(QStringLiteral("keys.json")));
    QVERIFY2(signedIn.isEmpty(), qPrintable(signedIn));
    ProfileContext *context = &user.context();
    aws::CognitoCredentialsProvider *provider = context->cognito()->credentials();
    QSignalSpy changed(provider, &aws::CognitoCredentialsProvider::credentialsChanged);
    QSignalSpy errors(provider, &aws::CognitoCredentialsProvider::errorOccurred);
    provider->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 20000);
    const QString oldKid = context->session()->idToken().section(QLatin1Char('.'), 0, 0);

    // The provider rotates its signing key and drops the old one: the ID token in hand no longer
    // verifies at Cognito, although it has hours left.
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/rotate-key"), {{QStringLiteral("drop_old"), true}}));
    const qint64 since = requestSeq();
    provider->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 30000);
    QVERIFY2(errors.isEmpty(),
             errors.isEmpty() ? "" : qPrintable(errors.first().first().value<UserError>().text()));
    QVERIFY(provider->credentials().isValid());
    QVERIFY(context->session()->idToken().section(QLatin1Char('.'), 0, 0) !=
            oldKid); // signed with the new key
    const QStringList operations = m_sandbox.operationsSince(since);
    QCOMPARE(count(operations, QStringLiteral("token")), 1);
    QCOMPARE(count(operations, QStringLiteral("jwks")), 1);
}

FEDSYNC_TEST_MAIN(TestCliSession)
#include "tst_cli_session.moc"

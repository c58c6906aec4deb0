// Issue #11 through the real path: fedsync-cli against the sandbox over TLS, the real gnome-keyring and
// SQLite. The profile's CA is shown once and trusted only for the hosts the profile names; a forged
// redirect does not end a sign-in; what Fedsync writes is owner-only (also files an older version left
// open to others); `identity` shows refresh tokens by length only; logout revokes the refresh token at
// the provider and, with --forget-data, deletes the user's local data.
#include "clilogin.h"
#include "config/appidentity.h"
#include "keychainpeek.h"
#include "sandbox.h"
#include "session/userdatasets.h"
#include "testenvironment.h"
#include "testmain.h"

#include <QDir>
#include <QDirIterator>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrlQuery>

using namespace fedsync;
using namespace fedsync::test;

class TestCliSecurity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void firstUseShowsTheCaAndAForgedRedirectIsIgnored();
    void filesAreOwnerOnly();
    void hostTheProfileDoesNotNameIsRefused();
    void identityShowsRefreshTokenLengthOnly();
    void logoutKeepsDataUnlessAsked();
    void logoutRevokesAndForgetsData();

private:
    CliRun cli(const QStringList &args) const;
    QString storedRefreshToken() const;
    int refreshStatus(const QString &refreshToken) const;
    QStringList databaseFiles() const;
    static int mode(const QString &path) { return QFileInfo(path).permissions().toInt() & 0x7777; }

    Sandbox m_sandbox;
    CliRun m_firstLogin;
    QString m_settingsFile;
};

namespace {
// QFileDevice permission bits as octal modes.
// QFileDevice's permission bits: 0x7700 is 0700 (owner and user), 0x6600 is 0600, 0x0077 group + other.
constexpr int ownerOnlyDir = 0x7700;
constexpr int ownerOnlyFile = 0x6600;
constexpr int others = 0x0077;

QString describeMode(const QString &path)
{
    return QStringLiteral("%1: %2").arg(path).arg(QFileInfo(path).permissions().toInt(), 0, 16);
}
} // namespace

void TestCliSecurity::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    applyApplicationIdentity();
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));

    // Settings as an older version (or the default umask) left them: readable by everyone.
    m_settingsFile = settingsFilePath();
    QVERIFY(QDir().mkpath(QFileInfo(m_settingsFile).absolutePath()));
    QFile settings(m_settingsFile);
    QVERIFY(settings.open(QIODevice::WriteOnly));
    settings.write("[general]\nprobe=1\n");
    settings.close();
    QVERIFY(QFile::setPermissions(m_settingsFile, QFile::Permissions::fromInt(0x6644)));
    QVERIFY(
        QFile::setPermissions(QFileInfo(m_settingsFile).absolutePath(), QFile::Permissions::fromInt(0x7755)));
    QVERIFY(mode(m_settingsFile) & others);

    m_firstLogin = cliLogin(m_sandbox, 0, m_sandbox.profileFile(), true);
}

CliRun TestCliSecurity::cli(const QStringList &args) const
{
    return runCli(QStringList{QStringLiteral("--profile-file"), m_sandbox.profileFile()} + args);
}

// The refresh token as the keychain holds it, read with secret-tool (not through Fedsync): the session
// entry of this profile file and user.
QString TestCliSecurity::storedRefreshToken() const
{
    return keychainpeek::sessionEntry(m_sandbox, m_sandbox.profileFile(), 0)
        .value(QStringLiteral("refresh_token"))
        .toString();
}

// The sandbox's token endpoint asked directly: 200 while the refresh token is valid, 400 once revoked.
int TestCliSecurity::refreshStatus(const QString &refreshToken) const
{
    QNetworkAccessManager nam;
    QNetworkRequest request(
        QUrl(m_sandbox.ready().value(QStringLiteral("issuer")).toString() + QStringLiteral("oauth/token")));
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setCaCertificates(ssl.caCertificates() + QSslCertificate::fromPath(m_sandbox.caFile()));
    request.setSslConfiguration(ssl);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QStringLiteral("application/x-www-form-urlencoded"));
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
    form.addQueryItem(QStringLiteral("client_id"),
                      m_sandbox.ready().value(QStringLiteral("client_id")).toString());
    form.addQueryItem(QStringLiteral("refresh_token"),
                      QString::fromLatin1(QUrl::toPercentEncoding(refreshToken)));
    QNetworkReply *reply = nam.post(request, form.toString(QUrl::FullyEncoded).toUtf8());
    QEventLoop loop; // test plumbing only
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

QStringList TestCliSecurity::databaseFiles() const
{
    QStringList files;
    QDirIterator it(UserDatasets::defaultDataDirectory(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    return files;
}

// The first command with a profile file names its CA (subject, SHA-256 fingerprint) on stderr, once.
// Before the browser's real answer, a local process sent the CLI's receiver a redirect of its own: it was
// ignored and the sign-in went through.
void TestCliSecurity::firstUseShowsTheCaAndAForgedRedirectIsIgnored()
{
    QVERIFY2(m_firstLogin.exitCode == 0, qPrintable(m_firstLogin.err));
    QVERIFY2(m_firstLogin.err.contains(QStringLiteral("extra certificate authority")),
             qPrintable(m_firstLogin.err));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("x509"), QStringLiteral("-in"), m_sandbox.caFile(),
                   QStringLiteral("-noout"), QStringLiteral("-fingerprint"), QStringLiteral("-sha256")});
    QVERIFY(openssl.waitForFinished(30000));
    const QString fingerprint =
        QString::fromLatin1(openssl.readAllStandardOutput()).trimmed().section(u'=', 1);
    QVERIFY2(m_firstLogin.err.contains(QStringLiteral("SHA-256 ") + fingerprint),
             qPrintable(m_firstLogin.err));
    QVERIFY(m_firstLogin.err.contains(QStringLiteral("127.0.0.1")));

    const CliRun again = cli({QStringLiteral("whoami")});
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QVERIFY2(!again.err.contains(QStringLiteral("certificate authority")), qPrintable(again.err));
}

// Stat after real use: the settings file and folder (which were 0644/0755 before), the data folders,
// the SQLite store and its -wal/-shm files.
void TestCliSecurity::filesAreOwnerOnly()
{
    CliRun run =
        cli({QStringLiteral("put"), QStringLiteral("private"), QStringLiteral("k"), QStringLiteral("v")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QStringList databases = databaseFiles();
    QVERIFY2(!databases.isEmpty(), qPrintable(UserDatasets::defaultDataDirectory()));
    const QString database = databases.first();

    // An older version's files, open to others: tightened when opened.
    QVERIFY(QFile::setPermissions(database, QFile::Permissions::fromInt(0x6644)));
    for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QFile stale(database + suffix);
        if (!stale.exists()) {
            QVERIFY(stale.open(QIODevice::WriteOnly)); // empty: SQLite treats it as no journal yet
            stale.close();
        }
        QVERIFY(QFile::setPermissions(database + suffix, QFile::Permissions::fromInt(0x6644)));
    }
    QVERIFY(QFile::setPermissions(QFileInfo(database).absolutePath(), QFile::Permissions::fromInt(0x7755)));
    run = cli({QStringLiteral("sync")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QCOMPARE(cli({QStringLiteral("get"), QStringLiteral("private"), QStringLiteral("k")}).out,
             QStringLiteral("v\n"));

    QVERIFY2(mode(m_settingsFile) == ownerOnlyFile, qPrintable(describeMode(m_settingsFile)));
    const QString settingsDir = QFileInfo(m_settingsFile).absolutePath();
    QVERIFY2(mode(settingsDir) == ownerOnlyDir, qPrintable(describeMode(settingsDir)));
    for (QString dir = QFileInfo(database).absolutePath();
         dir.startsWith(UserDatasets::defaultDataDirectory()); dir = QFileInfo(dir).absolutePath())
        QVERIFY2(mode(dir) == ownerOnlyDir, qPrintable(describeMode(dir)));
    const QString appData = QFileInfo(UserDatasets::defaultDataDirectory()).absolutePath();
    QVERIFY2(mode(appData) == ownerOnlyDir, qPrintable(describeMode(appData)));
    int checked = 0;
    for (const QString &file :
         QStringList{database, QString(database + u"-wal"), QString(database + u"-shm")}) {
        if (!QFileInfo::exists(file))
            continue;
        ++checked;
        QVERIFY2(mode(file) == ownerOnlyFile, qPrintable(describeMode(file)));
    }
    QVERIFY(checked >= 1);
    // Every file Fedsync wrote under its folders.
    for (const QString &root :
         {settingsDir, QFileInfo(UserDatasets::defaultDataDirectory()).absolutePath()}) {
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            QVERIFY2(!(mode(file) & others), qPrintable(describeMode(file)));
        }
    }
}

// The sandbox's certificate names both 127.0.0.1 and localhost; the profile names 127.0.0.1 only. A
// request to the same server by the other name is refused: the profile's CA vouches for no other host.
void TestCliSecurity::hostTheProfileDoesNotNameIsRefused()
{
    QString sync = m_sandbox.ready()
                       .value(QStringLiteral("endpoints"))
                       .toObject()
                       .value(QStringLiteral("cognito_sync"))
                       .toString();
    QVERIFY(sync.contains(QStringLiteral("127.0.0.1")));
    const QStringList scope{QStringLiteral("--service"), QStringLiteral("cognito-sync"), QStringLiteral("--region"),
                            QStringLiteral("us-east-1")};
    CliRun run = cli(QStringList{QStringLiteral("request")} + scope + QStringList{sync});
    QVERIFY2(!run.err.contains(QStringLiteral("could not be trusted")), qPrintable(run.err));
    sync.replace(QStringLiteral("127.0.0.1"), QStringLiteral("localhost"));
    run = cli(QStringList{QStringLiteral("request")} + scope + QStringList{sync});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("could not be trusted")), qPrintable(run.err));
}

// `identity` lists every hop; the refresh (the CLI starts from the stored refresh token) shows the token's
// length only, never its first characters.
void TestCliSecurity::identityShowsRefreshTokenLengthOnly()
{
    const QString refreshToken = storedRefreshToken();
    QVERIFY(refreshToken.size() > 12);
    const CliRun run = cli({QStringLiteral("identity")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("refresh token …(%1 chars)").arg(refreshToken.size())),
             qPrintable(run.out));
    QVERIFY2(!run.out.contains(refreshToken.left(6)), qPrintable(run.out));
    const CliRun json = cli({QStringLiteral("identity"), QStringLiteral("--json")});
    QVERIFY(!json.out.contains(refreshToken.left(6)));
}

void TestCliSecurity::logoutKeepsDataUnlessAsked()
{
    QVERIFY(!databaseFiles().isEmpty());
    const CliRun run = cli({QStringLiteral("logout")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(!databaseFiles().isEmpty());
}

// After `logout --forget-data` the old refresh token is refused by the provider (it was revoked there,
// not only deleted here), and the user's database files are gone.
void TestCliSecurity::logoutRevokesAndForgetsData()
{
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    QVERIFY(cli({QStringLiteral("put"), QStringLiteral("private"), QStringLiteral("k2"), QStringLiteral("v")})
                .exitCode == 0);
    const QStringList before = databaseFiles();
    QVERIFY(!before.isEmpty());
    const QString refreshToken = storedRefreshToken();
    QVERIFY(!refreshToken.isEmpty());
    QCOMPARE(refreshStatus(refreshToken), 200);

    // The edit above is not sent: logout refuses without --force (it would be lost with the data).
    const CliRun run = cli({QStringLiteral("logout"), QStringLiteral("--forget-data"), QStringLiteral("--force")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QVERIFY2(run.out.contains(QStringLiteral("revoked")), qPrintable(run.out));
    QCOMPARE(refreshStatus(refreshToken), 400);
    for (const QString &file : before)
        QVERIFY2(!QFileInfo::exists(file), qPrintable(file));
    QVERIFY(storedRefreshToken().isEmpty());
    QCOMPARE(cli({QStringLiteral("whoami")}).exitCode, 1);
}

FEDSYNC_TEST_MAIN(TestCliSecurity)
#include "tst_cli_security.moc"

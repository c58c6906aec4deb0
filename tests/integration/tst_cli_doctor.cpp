// fedsync-cli doctor against the real sandbox over TLS: each misconfiguration is produced for real (in the
// profile, or with the sandbox's pool and clock switches) and must get its finding and fix in --json, with
// exit 1; a good profile passes with exit 0 and the IAM thumbprint of the sandbox's certificate. Also
// --trace-out: the HAR of real runs has the HAR 1.2 structure and none of the session's secrets.
#include "clilogin.h"
#include "keychainpeek.h"
#include "config/profilefile.h"
#include "sandbox.h"
#include "scriptedbrowser.h"
#include "testenvironment.h"
#include "testmain.h"

#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrlQuery>

using namespace fedsync;
using namespace fedsync::test;

class TestCliDoctor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void goodProfilePassesWithThumbprint();
    void misconfigurations_data();
    void misconfigurations();
    void signedInSessionTokenIsChecked();
    void harFromTraceOutHasNoSecret();
    void textOutputListsFixesAndCommands();

private:
    struct Tokens
    {
        QString idToken;
        QString refreshToken;
    };
    Tokens signInDirectly(const QString &clientId);
    QString writeToken(const QString &name, const QString &token);
    QString profileVariant(const QString &name, const std::function<void(Profile &)> &change);
    CliRun doctor(const QString &profileFile, const QString &tokenFile, bool staff,
                  const QStringList &extra = {});
    static QJsonObject check(const QJsonObject &report, const QString &id);

    Sandbox m_sandbox;
    QTemporaryDir m_dir;
    Tokens m_rs256;
    Tokens m_hs256;
};

void TestCliDoctor::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_rs256 = signInDirectly(m_sandbox.ready().value(QStringLiteral("client_id")).toString());
    QVERIFY(m_rs256.idToken.count(u'.') == 2);
    m_hs256 = signInDirectly(m_sandbox.ready().value(QStringLiteral("hs256_client_id")).toString());
    QVERIFY(m_hs256.idToken.count(u'.') == 2);
}

void TestCliDoctor::init()
{
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/clock"), {{QStringLiteral("skew_seconds"), 0}}));
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/pool"), {{QStringLiteral("client_ids"), QJsonValue::Null},
                                                           {QStringLiteral("allow_classic_flow"), true}}));
}

// An authorization-code + PKCE sign-in done by the test itself (scripted login page, then the token
// endpoint), so that it also works for the HS256 client, whose tokens Fedsync refuses to store.
TestCliDoctor::Tokens TestCliDoctor::signInDirectly(const QString &clientId)
{
    QByteArray verifier;
    for (int i = 0; i < 48; ++i)
        verifier += "abcdefghijklmnopqrstuvwxyz0123456789"[QRandomGenerator::global()->bounded(36)];
    const QByteArray challenge =
        QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QString issuer = m_sandbox.ready().value(QStringLiteral("issuer")).toString();
    const QString redirect = QStringLiteral("http://127.0.0.1:5/callback");
    QUrl authorize(issuer + QStringLiteral("authorize"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("client_id"), clientId);
    query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    query.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    query.addQueryItem(QStringLiteral("scope"), QStringLiteral("openid profile email offline_access"));
    query.addQueryItem(QStringLiteral("state"), QStringLiteral("s1"));
    query.addQueryItem(QStringLiteral("nonce"), QStringLiteral("n1"));
    query.addQueryItem(QStringLiteral("code_challenge"), QString::fromLatin1(challenge));
    query.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    authorize.setQuery(query);
    ScriptedBrowser browser(m_sandbox.caFile());
    const QUrl back = browser.login(authorize, m_sandbox.user(0, "username"), m_sandbox.user(0, "password"));
    const QString code = QUrlQuery(back).queryItemValue(QStringLiteral("code"));
    if (code.isEmpty()) {
        qWarning() << QStringLiteral("no code:") << back << browser.lastPage().left(300);
        return {};
    }
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(issuer + QStringLiteral("oauth/token")));
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setCaCertificates(ssl.caCertificates() + QSslCertificate::fromPath(m_sandbox.caFile()));
    request.setSslConfiguration(ssl);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QStringLiteral("application/x-www-form-urlencoded"));
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
    form.addQueryItem(QStringLiteral("client_id"), clientId);
    form.addQueryItem(QStringLiteral("code"), code);
    form.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    form.addQueryItem(QStringLiteral("code_verifier"), QString::fromLatin1(verifier));
    QNetworkReply *reply = nam.post(request, form.toString(QUrl::FullyEncoded).toLatin1());
    QEventLoop loop; // test plumbing only
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loop.exec();
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return {answer.value(QStringLiteral("id_token")).toString(),
            answer.value(QStringLiteral("refresh_token")).toString()};
}

QString TestCliDoctor::writeToken(const QString &name, const QString &token)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(token.toLatin1());
    return path;
}

QString TestCliDoctor::profileVariant(const QString &name, const std::function<void(Profile &)> &change)
{
    Profile profile = m_sandbox.profile();
    change(profile);
    const QString path = m_dir.filePath(name + QStringLiteral(".json"));
    const UserError error = ProfileFile::save(profile, path);
    if (error.isError())
        qWarning() << error.text();
    return path;
}

CliRun TestCliDoctor::doctor(const QString &profileFile, const QString &tokenFile, bool staff,
                             const QStringList &extra)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("AWS_ACCESS_KEY_ID"));
    env.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
    env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"),
               m_dir.filePath(QStringLiteral("no-credentials")));
    if (staff) {
        const QJsonObject dev = m_sandbox.ready().value(QStringLiteral("developer_credentials")).toObject();
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"),
                   dev.value(QStringLiteral("access_key_id")).toString());
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"),
                   dev.value(QStringLiteral("secret_access_key")).toString());
    }
    QStringList args{QStringLiteral("--profile-file"), profileFile, QStringLiteral("doctor"),
                     QStringLiteral("--json")};
    if (!tokenFile.isEmpty())
        args << QStringLiteral("--id-token-file") << tokenFile;
    return runCli(args + extra, env);
}

QJsonObject TestCliDoctor::check(const QJsonObject &report, const QString &id)
{
    for (const QJsonValue &v : report.value(QStringLiteral("checks")).toArray())
        if (v.toObject().value(QStringLiteral("id")).toString() == id)
            return v.toObject();
    return {};
}

void TestCliDoctor::goodProfilePassesWithThumbprint()
{
    const CliRun run =
        doctor(m_sandbox.profileFile(), writeToken(QStringLiteral("rs256"), m_rs256.idToken), true);
    const QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    for (const QJsonValue &v : report.value(QStringLiteral("checks")).toArray()) {
        const QJsonObject c = v.toObject();
        QVERIFY2(c.value(QStringLiteral("status")).toString() == QStringLiteral("pass"),
                 QJsonDocument(c).toJson().constData());
        for (const char *key : {"id", "status", "message", "fix"})
            QVERIFY(c.contains(QLatin1String(key)));
    }
    for (const char *id : {"discovery", "issuer", "jwks", "algorithm", "audience", "provider_name", "pool_id",
                           "pool_region", "role_arn", "pool", "pool_provider", "pool_audience",
                           "classic_flow", "pool_login", "clock", "thumbprint"})
        QVERIFY2(!check(report, QLatin1String(id)).isEmpty(), id);
    // The thumbprint IAM wants: SHA-1 of the last certificate the server presents (the sandbox sends its
    // server certificate only), lowercase hex without colons.
    const QList<QSslCertificate> served =
        QSslCertificate::fromPath(QFileInfo(m_sandbox.caFile()).dir().filePath(QStringLiteral("server.pem")));
    QVERIFY(!served.isEmpty());
    const QString expected = QString::fromLatin1(served.constLast().digest(QCryptographicHash::Sha1).toHex());
    QCOMPARE(report.value(QStringLiteral("thumbprint")).toString(), expected);
    const QJsonArray commands = report.value(QStringLiteral("commands")).toArray();
    QVERIFY(commands.first().toObject().value(QStringLiteral("command")).toString().contains(expected));
}

void TestCliDoctor::misconfigurations_data()
{
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("id");        // the finding that must fail
    QTest::addColumn<QString>("fixPhrase"); // a phrase of its fix
    QTest::newRow("provider name without trailing slash")
        << QStringLiteral("providerName") << QStringLiteral("provider_name")
        << QStringLiteral("/\" (or leave");
    QTest::newRow("HS256 client") << QStringLiteral("hs256") << QStringLiteral("algorithm")
                                  << QStringLiteral("Advanced Settings > OAuth");
    QTest::newRow("pool in another region")
        << QStringLiteral("region") << QStringLiteral("pool_region") << QStringLiteral("cognito.region");
    QTest::newRow("pool from another region not found")
        << QStringLiteral("region") << QStringLiteral("pool") << QStringLiteral("region");
    QTest::newRow("audience the pool does not accept")
        << QStringLiteral("audience") << QStringLiteral("pool_audience") << QStringLiteral("--client-id");
    QTest::newRow("audience refused at GetId (no staff credentials)")
        << QStringLiteral("audience-nostaff") << QStringLiteral("pool_audience") << QStringLiteral("");
    QTest::newRow("classic flow off")
        << QStringLiteral("classic") << QStringLiteral("classic_flow") << QStringLiteral("enhanced");
    QTest::newRow("classic flow off, seen by GetOpenIdToken")
        << QStringLiteral("classic-nostaff") << QStringLiteral("classic_flow") << QStringLiteral("enhanced");
    QTest::newRow("malformed role ARN") << QStringLiteral("role") << QStringLiteral("role_arn")
                                        << QStringLiteral("arn:aws:iam::<12-digit account>:role/");
    QTest::newRow("unreachable domain")
        << QStringLiteral("unreachable") << QStringLiteral("discovery") << QStringLiteral("auth0.domain");
    QTest::newRow("clock skew") << QStringLiteral("skew") << QStringLiteral("clock") << QStringLiteral("NTP");
}

void TestCliDoctor::misconfigurations()
{
    QFETCH(QString, variant);
    QFETCH(QString, id);
    QFETCH(QString, fixPhrase);
    const QString host = m_sandbox.ready().value(QStringLiteral("domain")).toString();
    QString token = m_rs256.idToken;
    bool staff = !variant.endsWith(QStringLiteral("-nostaff"));
    const QString file = profileVariant(variant, [&](Profile &p) {
        if (variant == QStringLiteral("providerName"))
            p.cognito.providerName = host;
        else if (variant == QStringLiteral("hs256"))
            p.auth0.clientId = m_sandbox.ready().value(QStringLiteral("hs256_client_id")).toString();
        else if (variant == QStringLiteral("region"))
            p.cognito.identityPoolId = QStringLiteral("eu-west-1") +
                                       p.cognito.identityPoolId.mid(p.cognito.identityPoolId.indexOf(u':'));
        else if (variant.startsWith(QStringLiteral("classic")))
            p.cognito.flow = CognitoSettings::Flow::Basic;
        else if (variant == QStringLiteral("role")) {
            p.cognito.flow = CognitoSettings::Flow::Basic;
            p.cognito.roleArn = QStringLiteral("arn:aws:iam:123456789012:fedsync-sandbox-auth");
        } else if (variant == QStringLiteral("unreachable"))
            p.auth0.domain = QStringLiteral("127.0.0.1:9");
    });
    if (variant == QStringLiteral("hs256"))
        token = m_hs256.idToken;
    if (variant.startsWith(QStringLiteral("audience")))
        QVERIFY(m_sandbox.admin(QStringLiteral("admin/pool"),
                                {{QStringLiteral("client_ids"),
                                  QJsonArray{m_sandbox.ready().value(QStringLiteral("hs256_client_id"))}}}));
    if (variant.startsWith(QStringLiteral("classic")))
        QVERIFY(
            m_sandbox.admin(QStringLiteral("admin/pool"), {{QStringLiteral("allow_classic_flow"), false}}));
    if (variant == QStringLiteral("skew"))
        QVERIFY(m_sandbox.admin(QStringLiteral("admin/clock"), {{QStringLiteral("skew_seconds"), 3600}}));

    const CliRun run = doctor(file, writeToken(variant, token), staff);
    QCOMPARE(run.exitCode, 1);
    const QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8()).object();
    const QJsonObject finding = check(report, id);
    QVERIFY2(finding.value(QStringLiteral("status")).toString() == QStringLiteral("fail"),
             QJsonDocument(report).toJson().constData());
    QVERIFY2(!finding.value(QStringLiteral("fix")).toString().isEmpty(),
             QJsonDocument(finding).toJson().constData());
    QVERIFY2(finding.value(QStringLiteral("fix")).toString().contains(fixPhrase),
             QJsonDocument(finding).toJson().constData());
    qInfo().noquote() << variant << QStringLiteral("->")
                      << finding.value(QStringLiteral("message")).toString() << QStringLiteral("| fix:")
                      << finding.value(QStringLiteral("fix")).toString();
    if (variant.startsWith(QStringLiteral("audience")))
        QVERIFY(finding.value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("supported provider")));
    if (variant == QStringLiteral("classic-nostaff"))
        QVERIFY(
            finding.value(QStringLiteral("message"))
                .toString()
                .contains(QStringLiteral("Basic (classic) flow is not enabled, please use enhanced flow.")));
    // Nothing secret in what the doctor prints.
    QVERIFY(!run.out.contains(token.section(u'.', 2)));
}

void TestCliDoctor::signedInSessionTokenIsChecked()
{
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    const CliRun run = doctor(m_sandbox.profileFile(), {}, false);
    const QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    // With the stored sign-in, the client's real token is looked at and Cognito is asked with it.
    QCOMPARE(check(report, QStringLiteral("algorithm")).value(QStringLiteral("status")).toString(),
             QStringLiteral("pass"));
    QCOMPARE(check(report, QStringLiteral("pool_login")).value(QStringLiteral("status")).toString(),
             QStringLiteral("pass"));
    QCOMPARE(check(report, QStringLiteral("pool_config")).value(QStringLiteral("status")).toString(),
             QStringLiteral("warn"));
}

void TestCliDoctor::harFromTraceOutHasNoSecret()
{
    // A real session: credentials printed by the CLI, and the HAR of the same run.
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    const QString har = m_dir.filePath(QStringLiteral("credentials.har"));
    const CliRun creds = runCli({QStringLiteral("--profile-file"), m_sandbox.profileFile(),
                                 QStringLiteral("credentials"), QStringLiteral("--trace-out"), har});
    QVERIFY2(creds.exitCode == 0, qPrintable(creds.err));
    const QJsonObject printed = QJsonDocument::fromJson(creds.out.toUtf8()).object();
    const QString doctorHar = m_dir.filePath(QStringLiteral("doctor.har"));
    const CliRun doc = doctor(m_sandbox.profileFile(), writeToken(QStringLiteral("har"), m_rs256.idToken),
                              true, {QStringLiteral("--trace-out"), doctorHar});
    QCOMPARE(doc.exitCode, 0);

    QStringList secrets{printed.value(QStringLiteral("AccessKeyId")).toString(),
                        printed.value(QStringLiteral("SecretAccessKey")).toString(),
                        printed.value(QStringLiteral("SessionToken")).toString(),
                        m_rs256.idToken,
                        m_rs256.idToken.section(u'.', 2),
                        m_rs256.refreshToken,
                        m_sandbox.ready()
                            .value(QStringLiteral("developer_credentials"))
                            .toObject()
                            .value(QStringLiteral("secret_access_key"))
                            .toString(),
                        m_sandbox.ready()
                            .value(QStringLiteral("developer_credentials"))
                            .toObject()
                            .value(QStringLiteral("access_key_id"))
                            .toString()};
    // The session the CLI stored, read back from the Secret Service independently.
    const QJsonObject stored = keychainpeek::sessionEntry(m_sandbox, m_sandbox.profileFile(), 0);
    for (const char *key : {"refresh_token", "id_token"})
        if (!stored.value(QLatin1String(key)).toString().isEmpty())
            secrets << stored.value(QLatin1String(key)).toString();
    qInfo() << "secrets looked for:" << secrets.size();
    QVERIFY2(secrets.size() > 8, "the stored refresh token was not found in the Secret Service");
    for (const QString &path : {har, doctorHar}) {
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const QByteArray text = file.readAll();
        const QJsonObject log =
            QJsonDocument::fromJson(text).object().value(QStringLiteral("log")).toObject();
        QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
        const QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
        QVERIFY2(entries.size() >= 2, text.left(400).constData());
        for (const QJsonValue &v : entries) {
            const QJsonObject e = v.toObject();
            const QByteArray entry =
                path.toUtf8() + ": " + e.value(QStringLiteral("comment")).toString().toUtf8();
            QVERIFY2(e.value(QStringLiteral("request"))
                         .toObject()
                         .value(QStringLiteral("url"))
                         .toString()
                         .startsWith(QStringLiteral("https://127.0.0.1:")),
                     entry.constData());
            QVERIFY2(
                e.value(QStringLiteral("response")).toObject().value(QStringLiteral("status")).isDouble(),
                entry.constData());
            QVERIFY2(e.value(QStringLiteral("timings")).toObject().value(QStringLiteral("wait")).isDouble(),
                     entry.constData());
        }
        for (const QString &secret : std::as_const(secrets))
            if (secret.size() >= 8)
                QVERIFY2(
                    !text.contains(secret.toLatin1()),
                    qPrintable(QStringLiteral("%1 holds a secret starting %2").arg(path, secret.left(4))));
    }
    // The credentials run shows its hops (refresh, GetId/GetCredentialsForIdentity) in order.
    QFile file(har);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY2(text.contains("GetCredentialsForIdentity"), text.left(2000).constData());
}

void TestCliDoctor::textOutputListsFixesAndCommands()
{
    const QString file = profileVariant(QStringLiteral("text"), [&](Profile &p) {
        p.cognito.providerName = m_sandbox.ready().value(QStringLiteral("domain")).toString();
    });
    const CliRun run = runCli({QStringLiteral("--profile-file"), file, QStringLiteral("doctor")});
    QVERIFY2(run.exitCode == 1, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("FAIL  provider_name")), qPrintable(run.out));
    QVERIFY(run.out.contains(QStringLiteral("fix: Set cognito.provider_name")));
    QVERIFY(run.out.contains(QStringLiteral("aws iam create-open-id-connect-provider")));
    QVERIFY(run.out.contains(QStringLiteral("aws cognito-identity create-identity-pool")));
    QVERIFY(run.out.contains(QStringLiteral("aws iam create-role")));
    if (const QString shots = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR"); !shots.isEmpty()) {
        QFile out(shots + QStringLiteral("/doctor-broken-profile.txt"));
        if (out.open(QIODevice::WriteOnly))
            out.write(run.out.toUtf8());
    }
}

FEDSYNC_TEST_MAIN(TestCliDoctor)
#include "tst_cli_doctor.moc"

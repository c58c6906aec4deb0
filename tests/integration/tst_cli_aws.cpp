// fedsync-cli identity / credentials / request against the real sandbox over TLS, after a real sign-in
// (keychain included): both Cognito flows, the credential_process JSON read by the real AWS CLI,
// awscurl-style requests signed with the user's Cognito credentials or with a person's own keys,
// and the diagnostics users get for real misconfigurations.
#include "awscli.h"
#include "clilogin.h"
#include "config/profilefile.h"
#include "sandbox.h"
#include "secrets/keychainsecretstore.h"
#include "session/sessionentry.h"
#include "testenvironment.h"
#include "testmain.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace fedsync;
using namespace fedsync::test;

class TestCliAws : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void enhancedFlowGetsAnIdentityAndShowsEveryHop();
    void cachedIdentityIdSkipsGetId();
    void basicFlowAssumesTheRole();
    void credentialsPrintsCredentialProcessJson();
    void awsCliUsesFedsyncAsCredentialProcess();
    void requestIsSignedWithCognitoCredentials();
    void requestRecoversFromClockSkew();
    void requestWithoutSessionUsesTheCredentialChain();
    void requestWithoutAnyCredentialsSaysWhereItLooked();
    void singleServerErrorIsAbsorbed();
    void persistentServerErrorSurfacesAfterThreeAttempts();
    void misconfigurationsGetAdvice_data();
    void misconfigurationsGetAdvice();

private:
    QString profileVariant(const QString &name, const std::function<void(Profile &)> &change);
    CliRun cli(const QStringList &args, const QString &profileFile = {});
    QJsonObject identityJson(const QString &profileFile = {});
    static QStringList operations(const QJsonObject &identity);
    // What the CLI told the person (its own lines, not the debug log the tests turn on).
    static QString userMessage(const QString &stderrText);
    QString syncDatasetsUrl(const QString &identityId) const;
    // These tests are about the calls to Cognito: the AWS credentials the previous command cached in the
    // session's keychain entry are dropped first (the ID token cached there stays).
    void dropCachedCredentials();

    Sandbox m_sandbox;
    QTemporaryDir m_dir;
    QString m_identityId;
    QByteArray m_profileJson; // the sandbox's profile file as written; variants replace it for one test
};

void TestCliAws::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    QFile file(m_sandbox.profileFile());
    QVERIFY(file.open(QIODevice::ReadOnly));
    m_profileJson = file.readAll();
}

void TestCliAws::cleanup()
{
    QFile file(m_sandbox.profileFile());
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(m_profileJson);
}

void TestCliAws::dropCachedCredentials()
{
    KeychainSecretStore keychain(KeychainSecretStore::defaultServiceName());
    const Profile profile = m_sandbox.profile();
    const QString key =
        SessionEntry::keyFor(profile, {m_sandbox.ready().value(QStringLiteral("issuer")).toString(),
                                       profile.auth0.clientId, m_sandbox.user(0, "sub")});
    bool done = false;
    QByteArray value;
    keychain.read(key, this, [&](const SecretResult &result) {
        value = result.value;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
    UserError error;
    std::optional<SessionEntry> entry = SessionEntry::decode(value, &error);
    if (!entry)
        return;
    entry->aws = {};
    done = false;
    keychain.write(key, entry->encode(), this, [&](const SecretResult &) { done = true; });
    QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
}

void TestCliAws::init()
{
    // Each test starts from a sandbox without faults or clock skew.
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/clock"), {{QStringLiteral("skew_seconds"), 0}}));
    dropCachedCredentials();
}

CliRun TestCliAws::cli(const QStringList &args, const QString &profileFile)
{
    return runCli(QStringList{QStringLiteral("--profile-file"),
                              profileFile.isEmpty() ? m_sandbox.profileFile() : profileFile} +
                  args);
}

QString TestCliAws::profileVariant(const QString &name, const std::function<void(Profile &)> &change)
{
    // Written over the sandbox's profile file (restored by cleanup()): a file elsewhere is another
    // profile to Fedsync, with a keychain namespace of its own and nobody signed in.
    Q_UNUSED(name);
    Profile profile = m_sandbox.profile();
    change(profile);
    const QString path = m_sandbox.profileFile();
    const UserError error = ProfileFile::save(profile, path);
    if (error.isError())
        qWarning() << error.text();
    return path;
}

QJsonObject TestCliAws::identityJson(const QString &profileFile)
{
    const CliRun run = cli({QStringLiteral("identity"), QStringLiteral("--json")}, profileFile);
    if (run.exitCode != 0)
        qWarning().noquote() << "identity failed:" << run.err;
    return QJsonDocument::fromJson(run.out.toUtf8()).object();
}

QStringList TestCliAws::operations(const QJsonObject &identity)
{
    QStringList ops;
    for (const QJsonValue &hop : identity.value(QStringLiteral("hops")).toArray())
        ops << hop.toObject().value(QStringLiteral("operation")).toString();
    return ops;
}

QString TestCliAws::userMessage(const QString &stderrText)
{
    QStringList lines;
    for (const QString &line : stderrText.split(u'\n'))
        if (line.startsWith(QStringLiteral("fedsync-cli")) || line.startsWith(QStringLiteral("  details")))
            lines << line;
    return lines.join(u'\n');
}

QString TestCliAws::syncDatasetsUrl(const QString &identityId) const
{
    const QJsonObject endpoints = m_sandbox.ready().value(QStringLiteral("endpoints")).toObject();
    QString base = endpoints.value(QStringLiteral("cognito_sync")).toString();
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    const QString pool = m_sandbox.ready().value(QStringLiteral("identity_pool_id")).toString();
    return QStringLiteral("%1/identitypools/%2/identities/%3/datasets")
        .arg(base, QString::fromLatin1(QUrl::toPercentEncoding(pool)),
             QString::fromLatin1(QUrl::toPercentEncoding(identityId)));
}

void TestCliAws::enhancedFlowGetsAnIdentityAndShowsEveryHop()
{
    const QJsonObject identity = identityJson();
    m_identityId = identity.value(QStringLiteral("identity_id")).toString();
    QVERIFY2(m_identityId.startsWith(QStringLiteral("us-east-1:")), qPrintable(m_identityId));
    QCOMPARE(identity.value(QStringLiteral("flow")).toString(), QStringLiteral("enhanced"));
    QCOMPARE(identity.value(QStringLiteral("provider_name")).toString(),
             m_sandbox.ready().value(QStringLiteral("provider_name")).toString());
    // The ID token cached in the keychain at sign-in, then Cognito: each hop once, each a success.
    const QStringList ops = operations(identity);
    QVERIFY2(!ops.contains(QStringLiteral("refresh")), qPrintable(ops.join(u',')));
    QCOMPARE(ops.count(QStringLiteral("GetId")), 1);
    QCOMPARE(ops.count(QStringLiteral("GetCredentialsForIdentity")), 1);
    QVERIFY(!ops.contains(QStringLiteral("AssumeRoleWithWebIdentity")));
    for (const QJsonValue &hop : identity.value(QStringLiteral("hops")).toArray())
        QVERIFY2(hop.toObject().value(QStringLiteral("ok")).toBool(),
                 QJsonDocument(hop.toObject()).toJson().constData());
    // The access key is shown redacted, never whole.
    QVERIFY(identity.value(QStringLiteral("access_key_id")).toString().contains(QStringLiteral("…")));
}

void TestCliAws::cachedIdentityIdSkipsGetId()
{
    QVERIFY(!m_identityId.isEmpty());
    const QJsonObject identity = identityJson();
    QCOMPARE(identity.value(QStringLiteral("identity_id")).toString(), m_identityId);
    const QStringList ops = operations(identity);
    QVERIFY2(!ops.contains(QStringLiteral("GetId")), qPrintable(ops.join(u',')));
    QVERIFY(ops.contains(QStringLiteral("GetCredentialsForIdentity")));
}

void TestCliAws::basicFlowAssumesTheRole()
{
    const QString basic = profileVariant(QStringLiteral("basic"),
                                         [](Profile &p) { p.cognito.flow = CognitoSettings::Flow::Basic; });
    const QJsonObject identity = identityJson(basic);
    QCOMPARE(identity.value(QStringLiteral("flow")).toString(), QStringLiteral("basic"));
    QCOMPARE(identity.value(QStringLiteral("identity_id")).toString(), m_identityId);
    const QStringList ops = operations(identity);
    QVERIFY2(ops.contains(QStringLiteral("GetOpenIdToken")), qPrintable(ops.join(u',')));
    QVERIFY(ops.contains(QStringLiteral("AssumeRoleWithWebIdentity")));
    QVERIFY(!ops.contains(QStringLiteral("GetCredentialsForIdentity")));
}

void TestCliAws::credentialsPrintsCredentialProcessJson()
{
    const CliRun run = cli({QStringLiteral("credentials")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("Version")).toInt(), 1);
    QVERIFY(json.value(QStringLiteral("AccessKeyId")).toString().startsWith(QStringLiteral("ASIA")));
    QVERIFY(json.value(QStringLiteral("SecretAccessKey")).toString().size() >= 40);
    QVERIFY(!json.value(QStringLiteral("SessionToken")).toString().isEmpty());
    const QDateTime expiration =
        QDateTime::fromString(json.value(QStringLiteral("Expiration")).toString(), Qt::ISODate);
    QVERIFY(expiration > QDateTime::currentDateTimeUtc().addSecs(300));
    // The secret goes to stdout for the AWS CLI, and nowhere else.
    QVERIFY(!run.err.contains(json.value(QStringLiteral("SecretAccessKey")).toString()));
}

void TestCliAws::awsCliUsesFedsyncAsCredentialProcess()
{
    if (QStandardPaths::findExecutable(QStringLiteral("aws")).isEmpty())
        QSKIP("The AWS CLI (Debian package awscli) is not installed; scripts/test installs it");
    QVERIFY(!m_identityId.isEmpty());
    // The ~/.aws/config lines the README documents, in a HOME of the test's own.
    const std::optional<QProcessEnvironment> env =
        awsCliEnvironment(m_dir.filePath(QStringLiteral("home")), m_sandbox.profileFile());
    QVERIFY(env);
    const QJsonObject endpoints = m_sandbox.ready().value(QStringLiteral("endpoints")).toObject();
    const CliRun aws =
        runAwsCli({QStringLiteral("cognito-sync"), QStringLiteral("list-datasets"),
                   QStringLiteral("--identity-pool-id"),
                   m_sandbox.ready().value(QStringLiteral("identity_pool_id")).toString(),
                   QStringLiteral("--identity-id"), m_identityId, QStringLiteral("--endpoint-url"),
                   endpoints.value(QStringLiteral("cognito_sync")).toString(), QStringLiteral("--ca-bundle"),
                   m_sandbox.caFile(), QStringLiteral("--output"), QStringLiteral("json")},
                  *env);
    QVERIFY2(aws.exitCode == 0, qPrintable(aws.err));
    const QJsonObject reply = QJsonDocument::fromJson(aws.out.toUtf8()).object();
    QVERIFY2(reply.contains(QStringLiteral("Datasets")), QJsonDocument(reply).toJson().constData());
}

void TestCliAws::requestIsSignedWithCognitoCredentials()
{
    QVERIFY(!m_identityId.isEmpty());
    const CliRun run =
        cli({QStringLiteral("request"), QStringLiteral("--verbose"), syncDatasetsUrl(m_identityId)});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject reply = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QVERIFY2(reply.value(QStringLiteral("Datasets")).isArray(), qPrintable(run.out));
    // --verbose shows what was signed, for the service and region of the profile's endpoint...
    QVERIFY(run.err.contains(QStringLiteral("* canonical request:")));
    QVERIFY(run.err.contains(QStringLiteral("AWS4-HMAC-SHA256")));
    QVERIFY2(run.err.contains(QStringLiteral("/us-east-1/cognito-sync/aws4_request")), qPrintable(run.err));
    // ...but no credential: every line that carries one shows its length, never its value. Checked on
    // the printed lines themselves (the session token in the canonical request and in the headers, the
    // signature in the Authorization header).
    const QStringList lines = run.err.split(u'\n');
    const auto lineStarting = [&lines](const QString &prefix) {
        for (const QString &line : lines)
            if (line.startsWith(prefix, Qt::CaseInsensitive))
                return line;
        return QString();
    };
    static const QRegularExpression redactedValue(QStringLiteral(R"(^[^:]+:\s?…\(\d+ chars\)$)"));
    for (const QString &prefix :
         {QStringLiteral("x-amz-security-token:"), QStringLiteral("> X-Amz-Security-Token:")}) {
        const QString line = lineStarting(prefix);
        QVERIFY2(!line.isEmpty(), qPrintable(prefix + QStringLiteral(" missing in:\n") + run.err));
        const QString value = line.mid(line.startsWith(u'>') ? 2 : 0);
        QVERIFY2(redactedValue.match(value).hasMatch(), qPrintable(line));
    }
    const QString authorization = lineStarting(QStringLiteral("> Authorization:"));
    QVERIFY2(authorization.contains(QStringLiteral("Credential=")), qPrintable(authorization));
    QVERIFY2(authorization.contains(QStringLiteral("SignedHeaders=")), qPrintable(authorization));
    QVERIFY2(authorization.endsWith(QStringLiteral("Signature=…(64 chars)")), qPrintable(authorization));
    // Nothing that looks like a 64-hex signature or a long base64 token anywhere after "> Authorization".
    static const QRegularExpression longSecret(QStringLiteral("[A-Za-z0-9+/=]{100,}"));
    QVERIFY2(!longSecret.match(run.err).hasMatch(), qPrintable(longSecret.match(run.err).captured()));

    // Someone else's identity: the service refuses, the CLI prints its answer and fails.
    const CliRun other =
        cli({QStringLiteral("request"),
             syncDatasetsUrl(QStringLiteral("us-east-1:00000000-0000-0000-0000-000000000000"))});
    QCOMPARE(other.exitCode, 1);
    QVERIFY2(other.out.contains(QStringLiteral("is forbidden")), qPrintable(other.out));
    QVERIFY(other.err.contains(QStringLiteral("HTTP 4")));
}

void TestCliAws::requestRecoversFromClockSkew()
{
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/clock"), {{QStringLiteral("skew_seconds"), 1800}}));
    const CliRun run = cli({QStringLiteral("request"), syncDatasetsUrl(m_identityId)});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QVERIFY2(userMessage(run.err).contains(QStringLiteral("clock is off by")), qPrintable(run.err));
}

void TestCliAws::requestWithoutSessionUsesTheCredentialChain()
{
    // No profile at all (a fresh config dir): a support person's own keys from ~/.aws/credentials.
    const QString home = m_dir.filePath(QStringLiteral("support"));
    QVERIFY(QDir().mkpath(home + QStringLiteral("/.aws")));
    const QJsonObject dev = m_sandbox.ready().value(QStringLiteral("developer_credentials")).toObject();
    QFile credentials(home + QStringLiteral("/.aws/credentials"));
    QVERIFY(credentials.open(QIODevice::WriteOnly));
    credentials.write(
        QStringLiteral("[default]\naws_access_key_id = AKIAWRONGWRONGWRONG1\naws_secret_access_key = nope\n\n"
                       "[support]\naws_access_key_id = %1\naws_secret_access_key = %2\n")
            .arg(dev.value(QStringLiteral("access_key_id")).toString(),
                 dev.value(QStringLiteral("secret_access_key")).toString())
            .toUtf8());
    credentials.close();

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    env.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("support"));
    env.insert(QStringLiteral("AWS_CA_BUNDLE"), m_sandbox.caFile());
    const QString pool = m_sandbox.ready().value(QStringLiteral("identity_pool_id")).toString();
    const QString body = QStringLiteral(R"({"IdentityPoolId":"%1","MaxResults":10})").arg(pool);
    const CliRun run =
        runCli({QStringLiteral("request"), QStringLiteral("-X"), QStringLiteral("POST"), QStringLiteral("-H"),
                QStringLiteral("X-Amz-Target: AWSCognitoIdentityService.ListIdentities"),
                QStringLiteral("-H"), QStringLiteral("Content-Type: application/x-amz-json-1.1"),
                QStringLiteral("-d"), body, QStringLiteral("--service"), QStringLiteral("cognito-identity"),
                QStringLiteral("--region"), QStringLiteral("us-east-1"), QStringLiteral("--verbose"),
                m_sandbox.ready()
                    .value(QStringLiteral("endpoints"))
                    .toObject()
                    .value(QStringLiteral("cognito_identity"))
                    .toString()},
               env);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QVERIFY2(run.err.contains(QStringLiteral("[support]")), qPrintable(run.err));
    QVERIFY2(run.out.contains(m_identityId), qPrintable(run.out));
    QVERIFY(!run.err.contains(dev.value(QStringLiteral("secret_access_key")).toString()));
}

void TestCliAws::requestWithoutAnyCredentialsSaysWhereItLooked()
{
    const QString home = m_dir.filePath(QStringLiteral("nobody"));
    QVERIFY(QDir().mkpath(home));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    for (const char *name :
         {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE"})
        env.remove(QString::fromLatin1(name));
    const CliRun run = runCli({QStringLiteral("request"),
                               QStringLiteral("https://cognito-sync.us-east-1.amazonaws.com/identitypools")},
                              env);
    QCOMPARE(run.exitCode, 1);
    const QString message = userMessage(run.err);
    QVERIFY2(message.contains(QStringLiteral("No AWS credentials")), qPrintable(run.err));
    QVERIFY(message.contains(QStringLiteral(".aws/credentials")));
    QVERIFY(message.contains(QStringLiteral("fedsync-cli login")));
}

void TestCliAws::singleServerErrorIsAbsorbed()
{
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/faults"),
                            {{QStringLiteral("service"), QStringLiteral("cognito-identity")},
                             {QStringLiteral("operation"), QStringLiteral("GetCredentialsForIdentity")},
                             {QStringLiteral("kind"), QStringLiteral("http500")},
                             {QStringLiteral("count"), 1}}));
    const QJsonObject identity = identityJson();
    QCOMPARE(identity.value(QStringLiteral("identity_id")).toString(), m_identityId);
    for (const QJsonValue &value : identity.value(QStringLiteral("hops")).toArray()) {
        const QJsonObject hop = value.toObject();
        if (hop.value(QStringLiteral("operation")).toString() ==
            QStringLiteral("GetCredentialsForIdentity")) {
            QCOMPARE(hop.value(QStringLiteral("attempts")).toInt(), 2);
            QVERIFY(hop.value(QStringLiteral("ok")).toBool());
        }
    }
}

void TestCliAws::persistentServerErrorSurfacesAfterThreeAttempts()
{
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/faults"),
                            {{QStringLiteral("service"), QStringLiteral("cognito-identity")},
                             {QStringLiteral("operation"), QStringLiteral("GetCredentialsForIdentity")},
                             {QStringLiteral("kind"), QStringLiteral("http503")},
                             {QStringLiteral("count"), 10}}));
    const CliRun run = cli({QStringLiteral("identity")});
    QCOMPARE(run.exitCode, 1);
    const QString message = userMessage(run.err);
    qInfo().noquote() << message;
    QVERIFY2(message.contains(QStringLiteral("on all 3 attempts")), qPrintable(message));
}

void TestCliAws::misconfigurationsGetAdvice_data()
{
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("expected"); // a phrase of the advice
    QTest::newRow("provider name without trailing slash")
        << QStringLiteral("providerName") << QStringLiteral("provider");
    QTest::newRow("identity pool in another region") << QStringLiteral("region") << QStringLiteral("region");
    QTest::newRow("basic flow with a wrong role ARN") << QStringLiteral("role") << QStringLiteral("role");
    // The service's clock a day ahead: the ID token it gets has expired there.
    QTest::newRow("expired token") << QStringLiteral("expired") << QStringLiteral("expired");
}

void TestCliAws::misconfigurationsGetAdvice()
{
    QFETCH(QString, variant);
    QFETCH(QString, expected);
    const QString issuerHost = m_sandbox.ready().value(QStringLiteral("domain")).toString();
    const QString file = profileVariant(variant, [&](Profile &p) {
        if (variant == QStringLiteral("providerName")) {
            p.cognito.providerName = issuerHost; // the IAM provider URL without the issuer's trailing slash
        } else if (variant == QStringLiteral("region")) {
            p.cognito.identityPoolId = QStringLiteral("eu-west-1") +
                                       p.cognito.identityPoolId.mid(p.cognito.identityPoolId.indexOf(u':'));
        } else if (variant == QStringLiteral("expired")) {
            // nothing in the profile: the service's clock is moved below
        } else {
            p.cognito.flow = CognitoSettings::Flow::Basic;
            p.cognito.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/not-the-pool-role");
        }
    });
    if (variant == QStringLiteral("expired"))
        QVERIFY(m_sandbox.admin(QStringLiteral("admin/clock"), {{QStringLiteral("skew_seconds"), 86400}}));
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    const CliRun run = cli({QStringLiteral("identity")}, file);
    QCOMPARE(run.exitCode, 1);
    const QString message = userMessage(run.err);
    QVERIFY2(message.contains(expected, Qt::CaseInsensitive), qPrintable(run.err));
    qInfo().noquote() << variant << "->" << message;
    QStringList sent = m_sandbox.operationsSince(since);
    if (variant == QStringLiteral("expired")) {
        // A token Fedsync checked but Cognito calls expired: one newly issued token is tried first.
        QCOMPARE(sent.count(QStringLiteral("token")), 1);
        QCOMPARE(sent.count(QStringLiteral("GetCredentialsForIdentity")), 2);
        return;
    }
    // A client error is not retried: each operation went out once.
    QVERIFY2(sent.removeDuplicates() == 0, qPrintable(sent.join(u',')));
}

FEDSYNC_TEST_MAIN(TestCliAws)
#include "tst_cli_aws.moc"

#include "clilogin.h"

#include "sandbox.h"
#include "scriptedbrowser.h"
#include "testenvironment.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace fedsync::test {

CliRun cliLogin(const Sandbox &sandbox, int user, const QString &profileFile, bool forgedRedirectFirst)
{
    QProcess process;
    process.start(binDir() + QStringLiteral("/fedsync-cli"),
                  {QStringLiteral("--profile-file"), profileFile, QStringLiteral("login"),
                   QStringLiteral("--browser"), QStringLiteral("none")});
    CliRun run;
    while (!process.canReadLine()) {
        if (!process.waitForReadyRead(30000)) {
            process.kill();
            process.waitForFinished();
            run.err = QString::fromUtf8(process.readAllStandardError());
            return run;
        }
    }
    const QUrl authorize = QUrl::fromEncoded(process.readLine().trimmed());
    ScriptedBrowser browser(sandbox.caFile());
    const QUrl redirect =
        browser.login(authorize, sandbox.user(user, "username"), sandbox.user(user, "password"));
    if (redirect.isValid() && forgedRedirectFirst) {
        QUrl forged = redirect;
        forged.setQuery(QStringLiteral("code=forged-code&state=forged-state"));
        ScriptedBrowser(sandbox.caFile()).get(forged);
    }
    if (redirect.isValid())
        browser.get(redirect); // the CLI's loopback receiver
    process.waitForFinished(30000);
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

CliRun runCli(const QStringList &args, const QProcessEnvironment &environment, int timeoutMs,
              const std::optional<QByteArray> &input)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(binDir() + QStringLiteral("/fedsync-cli"), args);
    if (input) {
        process.write(*input);
        process.closeWriteChannel();
    }
    CliRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QProcessEnvironment staffEnvironment(const Sandbox &sandbox, const QString &home, const QString &keyId,
                                     const QString &secret)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QJsonObject keys = sandbox.ready().value(QStringLiteral("developer_credentials")).toObject();
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"),
                       keyId.isEmpty() ? keys.value(QStringLiteral("access_key_id")).toString() : keyId);
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"),
                       secret.isEmpty() ? keys.value(QStringLiteral("secret_access_key")).toString()
                                        : secret);
    environment.remove(QStringLiteral("AWS_SESSION_TOKEN"));
    environment.remove(QStringLiteral("AWS_PROFILE"));
    environment.insert(QStringLiteral("HOME"), home);
    return environment;
}

QJsonObject firstFound(const CliRun &run)
{
    return QJsonDocument::fromJson(run.out.toUtf8())
        .object()
        .value(QStringLiteral("identities"))
        .toArray()
        .first()
        .toObject();
}

QString cliIdentityId(const QString &profileFile, QString *problem)
{
    const CliRun run = runCli({QStringLiteral("--profile-file"), profileFile, QStringLiteral("identity"),
                               QStringLiteral("--json")});
    const QString id =
        QJsonDocument::fromJson(run.out.toUtf8()).object().value(QStringLiteral("identity_id")).toString();
    if (run.exitCode == 0 && id.startsWith(QLatin1String("us-east-1:")))
        return id;
    if (problem)
        *problem = QStringLiteral("fedsync-cli identity: ") + run.out + run.err;
    return {};
}

QString cliSignInAndSync(const Sandbox &sandbox, int user, const QString &profileFile,
                         const QString &greeting, QString *problem)
{
    const CliRun login = cliLogin(sandbox, user, profileFile);
    if (login.exitCode != 0) {
        *problem = QStringLiteral("fedsync-cli login: ") + login.err;
        return {};
    }
    const QStringList profile{QStringLiteral("--profile-file"), profileFile};
    if (!greeting.isEmpty()) {
        const CliRun put = runCli(profile + QStringList{QStringLiteral("put"), QStringLiteral("notes"),
                                                        QStringLiteral("greeting"), greeting},
                                  QProcessEnvironment::systemEnvironment(), 120000);
        if (put.exitCode != 0) {
            *problem = QStringLiteral("fedsync-cli put: ") + put.err;
            return {};
        }
    }
    const CliRun sync = runCli(profile + QStringList{QStringLiteral("sync")},
                               QProcessEnvironment::systemEnvironment(), 120000);
    if (sync.exitCode != 0) {
        *problem = QStringLiteral("fedsync-cli sync: ") + sync.err;
        return {};
    }
    return cliIdentityId(profileFile, problem);
}

} // namespace fedsync::test

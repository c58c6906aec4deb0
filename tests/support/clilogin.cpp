#include "clilogin.h"

#include "sandbox.h"
#include "scriptedbrowser.h"
#include "testenvironment.h"

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

CliRun runCli(const QStringList &args, const QProcessEnvironment &environment, int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(binDir() + QStringLiteral("/fedsync-cli"), args);
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

} // namespace fedsync::test

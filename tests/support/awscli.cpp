#include "awscli.h"

#include "testenvironment.h"

#include <QDir>
#include <QFile>
#include <QProcess>

namespace fedsync::test {

std::optional<QProcessEnvironment> awsCliEnvironment(const QString &home, const QString &profileFile)
{
    if (!QDir().mkpath(home + QStringLiteral("/.aws")))
        return std::nullopt;
    QFile config(home + QStringLiteral("/.aws/config"));
    if (!config.open(QIODevice::WriteOnly))
        return std::nullopt;
    config.write(QStringLiteral("[profile fedsync]\nregion = us-east-1\ncredential_process = %1/fedsync-cli "
                                "--profile-file %2 credentials\n")
                     .arg(binDir(), profileFile)
                     .toUtf8());
    config.close();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("fedsync"));
    env.insert(QStringLiteral("AWS_EC2_METADATA_DISABLED"), QStringLiteral("true"));
    env.insert(QStringLiteral("AWS_PAGER"), QString());
    for (const char *name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                             "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"})
        env.remove(QString::fromLatin1(name));
    return env;
}

CliRun runAwsCli(const QStringList &args, const QProcessEnvironment &environment, int timeoutMs)
{
    QProcess aws;
    aws.setProcessEnvironment(environment);
    aws.start(QStringLiteral("aws"), args);
    CliRun run;
    if (!aws.waitForFinished(timeoutMs)) {
        aws.kill();
        aws.waitForFinished();
        run.err = QStringLiteral("the AWS CLI did not finish within %1 ms\n").arg(timeoutMs);
    }
    run.exitCode = aws.exitStatus() == QProcess::NormalExit ? aws.exitCode() : -1;
    run.out = QString::fromUtf8(aws.readAllStandardOutput());
    run.err += QString::fromUtf8(aws.readAllStandardError());
    return run;
}

} // namespace fedsync::test

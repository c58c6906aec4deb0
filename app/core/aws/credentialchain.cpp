#include "aws/credentialchain.h"

#include "aws/credentialprocesssource.h"

#include <QDir>
#include <QFile>

namespace fedsync::aws {

CredentialChain::CredentialChain(QProcessEnvironment environment, QString homeDir)
    : m_environment(std::move(environment))
    , m_homeDir(std::move(homeDir))
{}

QString CredentialChain::profileName() const
{
    const QString name = m_environment.value(QStringLiteral("AWS_PROFILE")).trimmed();
    return name.isEmpty() ? QStringLiteral("default") : name;
}

QString CredentialChain::pathFor(const char *variable, const char *fileName) const
{
    const QString path = m_environment.value(QString::fromLatin1(variable));
    if (!path.isEmpty())
        return path.startsWith(QLatin1String("~/")) ? m_homeDir + path.mid(1) : path;
    return QDir(m_homeDir).filePath(QStringLiteral(".aws/") + QString::fromLatin1(fileName));
}

QMap<QString, QMap<QString, QString>> CredentialChain::parseIni(const QByteArray &text)
{
    QMap<QString, QMap<QString, QString>> sections;
    QString section;
    bool inSection = false;
    for (const QByteArray &rawLine : text.split('\n')) {
        const QString line = QString::fromUtf8(rawLine).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1Char(';')))
            continue;
        if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) {
            section = line.mid(1, line.size() - 2).trimmed();
            if (section.startsWith(QLatin1String("profile ")))
                section = section.mid(8).trimmed();
            sections[section]; // an empty section still exists
            inSection = true;
            continue;
        }
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (!inSection || eq <= 0)
            continue; // a continuation line (nested s3 settings) or junk: not ours
        sections[section].insert(line.left(eq).trimmed().toLower(), line.mid(eq + 1).trimmed());
    }
    return sections;
}

CredentialChain::Result CredentialChain::resolve() const
{
    Result result;
    const QString envKey = m_environment.value(QStringLiteral("AWS_ACCESS_KEY_ID"));
    const QString envSecret = m_environment.value(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
    if (!envKey.isEmpty() && !envSecret.isEmpty()) {
        result.credentials.accessKeyId = envKey;
        result.credentials.secretAccessKey = envSecret.toUtf8();
        result.credentials.sessionToken = m_environment.value(QStringLiteral("AWS_SESSION_TOKEN")).toUtf8();
        result.origin = tr("the environment (AWS_ACCESS_KEY_ID)");
        return result;
    }

    const QString profile = profileName();
    QStringList looked;
    for (const auto &[variable, fileName] :
         {std::pair{"AWS_SHARED_CREDENTIALS_FILE", "credentials"}, std::pair{"AWS_CONFIG_FILE", "config"}}) {
        const QString path = pathFor(variable, fileName);
        looked << QDir::toNativeSeparators(path);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const auto section = parseIni(file.readAll()).value(profile);
        const QString key = section.value(QStringLiteral("aws_access_key_id"));
        const QString secret = section.value(QStringLiteral("aws_secret_access_key"));
        result.origin = QStringLiteral("%1 [%2]").arg(QDir::toNativeSeparators(path), profile);
        if (!key.isEmpty() && !secret.isEmpty()) {
            result.credentials.accessKeyId = key;
            result.credentials.secretAccessKey = secret.toUtf8();
            result.credentials.sessionToken = section.value(QStringLiteral("aws_session_token")).toUtf8();
            return result;
        }
        const QString process = section.value(QStringLiteral("credential_process"));
        if (!process.isEmpty()) {
            result.credentialProcess = process;
            result.origin += QStringLiteral(" credential_process");
            return result;
        }
        result.origin.clear();
    }
    const QString path = looked.join(QStringLiteral(", "));
    result.searched = tr("AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set, and %1 have no keys or "
                         "credential_process in the [%2] section")
                          .arg(path, profile);
    result.error = UserError::make(
        QStringLiteral("aws.no_credentials"), tr("No AWS credentials to sign the request with"),
        tr("Nobody is signed in to this profile, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set, and "
           "%1 have no keys or credential_process in the [%2] section")
            .arg(QDir::toNativeSeparators(path), profile),
        tr("Sign in with fedsync-cli login, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
           "AWS_PROFILE"));
    return result;
}

QString CredentialChain::region() const
{
    for (const char *name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
        const QString value = m_environment.value(QString::fromLatin1(name)).trimmed();
        if (!value.isEmpty())
            return value;
    }
    QFile file(pathFor("AWS_CONFIG_FILE", "config"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return parseIni(file.readAll()).value(profileName()).value(QStringLiteral("region"));
}

} // namespace fedsync::aws

namespace fedsync::aws {

std::unique_ptr<AwsCredentialsSource> CredentialChain::sourceFor(const Result &result)
{
    if (result.error.isError())
        return nullptr;
    if (!result.credentialProcess.isEmpty())
        return std::make_unique<CredentialProcessSource>(result.credentialProcess);
    return std::make_unique<StaticCredentialsSource>(result.credentials);
}

} // namespace fedsync::aws

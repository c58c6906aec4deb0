#include "aws/stsclient.h"

#include "aws/awsclient.h"
#include "log/redact.h"

#include <QCoreApplication>
#include <QXmlStreamReader>

namespace fedsync::aws {
StsClient::StsClient(AwsClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

AwsCredentials StsClient::parseAssumeRoleWithWebIdentity(const QByteArray &xml, AwsFailure &failure)
{
    AwsCredentials credentials;
    QString expiration;
    QXmlStreamReader reader(xml);
    bool inCredentials = false;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isEndElement() && reader.name() == QLatin1String("Credentials"))
            inCredentials = false;
        if (!reader.isStartElement())
            continue;
        const auto name = reader.name();
        if (name == QLatin1String("Credentials"))
            inCredentials = true;
        else if (inCredentials && name == QLatin1String("AccessKeyId"))
            credentials.accessKeyId = reader.readElementText().trimmed();
        else if (inCredentials && name == QLatin1String("SecretAccessKey"))
            credentials.secretAccessKey = reader.readElementText().trimmed().toLatin1();
        else if (inCredentials && name == QLatin1String("SessionToken"))
            credentials.sessionToken = reader.readElementText().trimmed().toLatin1();
        else if (inCredentials && name == QLatin1String("Expiration"))
            expiration = reader.readElementText().trimmed();
    }
    credentials.expiration = QDateTime::fromString(expiration, Qt::ISODateWithMs).toUTC();
    if (reader.hasError() || !credentials.isValid() || credentials.sessionToken.isEmpty() ||
        !credentials.expiration.isValid()) {
        failure.error = UserError::make(
            QStringLiteral("aws.reply.invalid"),
            tr("AWS STS sent an unexpected reply to AssumeRoleWithWebIdentity"),
            reader.hasError()
                ? reader.errorString()
                : tr("The credentials are incomplete (access key, secret key, session token and "
                     "expiration are all required)"),
            tr("Check that the profile's STS endpoint is right"));
        return {};
    }
    return credentials;
}

QPointer<AwsCall> StsClient::assumeRoleWithWebIdentity(const AssumeRoleWithWebIdentityRequest &request,
                                                       CredentialsCallback done)
{
    QList<QPair<QString, QByteArray>> params{
        {QStringLiteral("RoleArn"), request.roleArn.toUtf8()},
        {QStringLiteral("RoleSessionName"), request.roleSessionName.toUtf8()},
        {QStringLiteral("WebIdentityToken"), request.webIdentityToken}};
    if (request.durationSeconds > 0)
        params.append({QStringLiteral("DurationSeconds"), QByteArray::number(request.durationSeconds)});
    const QString summary =
        QStringLiteral("role %1, session %2, token %3")
            .arg(request.roleArn, request.roleSessionName, redact(request.webIdentityToken));
    AwsCall *job = m_client->callQuery(QStringLiteral("sts"), QStringLiteral("AssumeRoleWithWebIdentity"),
                                       QStringLiteral("2011-06-15"), params, {false, summary, 0});
    connect(job, &AwsCall::finished, this, [job, done = std::move(done)] {
        job->deleteLater();
        if (!job->isOk())
            return done({}, job->failure());
        AwsFailure failure;
        const AwsCredentials credentials = parseAssumeRoleWithWebIdentity(job->body(), failure);
        done(credentials, failure);
    });
    return job;
}

} // namespace fedsync::aws

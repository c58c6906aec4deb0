#include "aws/cognitoidentityclient.h"

#include "aws/awsclient.h"
#include "log/redact.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace fedsync::aws {
namespace {

const QString serviceName = QStringLiteral("cognito-identity");
const QString targetPrefix = QStringLiteral("AWSCognitoIdentityService");

QString tr(const char *text)
{
    return QCoreApplication::translate("CognitoIdentityClient", text);
}

AwsFailure invalidReply(const QString &operation, const QString &detail)
{
    AwsFailure failure;
    failure.error = UserError::make(QStringLiteral("aws.reply.invalid"),
                                    tr("Amazon Cognito sent an unexpected reply to %1").arg(operation),
                                    detail, tr("Check that the profile's Cognito endpoint is right"));
    return failure;
}

QJsonObject loginsJson(const CognitoLogins &logins)
{
    QJsonObject object;
    for (auto it = logins.cbegin(); it != logins.cend(); ++it)
        object.insert(it.key(), QString::fromLatin1(it.value()));
    return object;
}

} // namespace

CognitoIdentityClient::CognitoIdentityClient(AwsClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

QString CognitoIdentityClient::providerNameFromIssuer(const QString &issuer)
{
    QString name = issuer.trimmed();
    if (name.startsWith(QLatin1String("https://"), Qt::CaseInsensitive))
        name.remove(0, 8);
    return name;
}

QString CognitoIdentityClient::loginsSummary(const CognitoLogins &logins)
{
    QStringList parts;
    for (auto it = logins.cbegin(); it != logins.cend(); ++it)
        parts << it.key() + QLatin1Char(' ') + redact(it.value());
    return parts.join(QStringLiteral(", "));
}

AwsCall *CognitoIdentityClient::call(const QString &operation, const QJsonObject &input,
                                     const QString &summary)
{
    return m_client->callJson11(targetPrefix, serviceName, operation, input, {false, summary, 0});
}

AwsCredentials CognitoIdentityClient::parseCredentials(const QJsonObject &reply, AwsFailure &failure)
{
    const QJsonObject credentials = reply.value(QStringLiteral("Credentials")).toObject();
    AwsCredentials result;
    result.identityId = reply.value(QStringLiteral("IdentityId")).toString();
    result.accessKeyId = credentials.value(QStringLiteral("AccessKeyId")).toString();
    result.secretAccessKey = credentials.value(QStringLiteral("SecretKey")).toString().toLatin1();
    result.sessionToken = credentials.value(QStringLiteral("SessionToken")).toString().toLatin1();
    const QJsonValue expiration = credentials.value(QStringLiteral("Expiration"));
    if (expiration.isDouble())
        result.expiration = dateFromEpochSeconds(expiration.toDouble());
    if (!result.isValid() || result.sessionToken.isEmpty() || !result.expiration.isValid()) {
        failure = invalidReply(QStringLiteral("GetCredentialsForIdentity"),
                               tr("The credentials are incomplete (access key, secret key, session token and "
                                  "expiration are all required)"));
        return {};
    }
    return result;
}

QPointer<AwsCall> CognitoIdentityClient::getId(const QString &identityPoolId, const CognitoLogins &logins,
                                               IdCallback done, const QString &accountId)
{
    QJsonObject input{{QStringLiteral("IdentityPoolId"), identityPoolId},
                      {QStringLiteral("Logins"), loginsJson(logins)}};
    if (!accountId.isEmpty())
        input.insert(QStringLiteral("AccountId"), accountId);
    AwsCall *job = call(QStringLiteral("GetId"), input,
                        QStringLiteral("pool %1, logins %2").arg(identityPoolId, loginsSummary(logins)));
    connect(job, &AwsCall::finished, this, [job, done = std::move(done)] {
        job->deleteLater();
        if (!job->isOk())
            return done({}, job->failure());
        const QString identityId = job->json().value(QStringLiteral("IdentityId")).toString();
        if (identityId.isEmpty())
            return done({}, invalidReply(QStringLiteral("GetId"), tr("The reply has no IdentityId")));
        done(identityId, {});
    });
    return job;
}

QPointer<AwsCall> CognitoIdentityClient::getCredentialsForIdentity(const QString &identityId,
                                                                   const CognitoLogins &logins,
                                                                   const QString &customRoleArn,
                                                                   CredentialsCallback done)
{
    QJsonObject input{{QStringLiteral("IdentityId"), identityId},
                      {QStringLiteral("Logins"), loginsJson(logins)}};
    QString summary = QStringLiteral("identity %1, logins %2").arg(identityId, loginsSummary(logins));
    if (!customRoleArn.isEmpty()) {
        input.insert(QStringLiteral("CustomRoleArn"), customRoleArn);
        summary += QStringLiteral(", role ") + customRoleArn;
    }
    AwsCall *job = call(QStringLiteral("GetCredentialsForIdentity"), input, summary);
    connect(job, &AwsCall::finished, this, [job, identityId, done = std::move(done)] {
        job->deleteLater();
        if (!job->isOk())
            return done({}, job->failure());
        AwsFailure failure;
        AwsCredentials credentials = parseCredentials(job->json(), failure);
        if (failure.isError())
            return done({}, failure);
        if (credentials.identityId.isEmpty())
            credentials.identityId = identityId;
        done(credentials, {});
    });
    return job;
}

QPointer<AwsCall> CognitoIdentityClient::getOpenIdToken(const QString &identityId,
                                                        const CognitoLogins &logins, OpenIdTokenCallback done)
{
    const QJsonObject input{{QStringLiteral("IdentityId"), identityId},
                            {QStringLiteral("Logins"), loginsJson(logins)}};
    AwsCall *job = call(QStringLiteral("GetOpenIdToken"), input,
                        QStringLiteral("identity %1, logins %2").arg(identityId, loginsSummary(logins)));
    connect(job, &AwsCall::finished, this, [job, identityId, done = std::move(done)] {
        job->deleteLater();
        if (!job->isOk())
            return done({}, {}, job->failure());
        const QJsonObject reply = job->json();
        const QByteArray token = reply.value(QStringLiteral("Token")).toString().toLatin1();
        if (token.isEmpty())
            return done({}, {}, invalidReply(QStringLiteral("GetOpenIdToken"), tr("The reply has no Token")));
        const QString id = reply.value(QStringLiteral("IdentityId")).toString();
        done(id.isEmpty() ? identityId : id, token, {});
    });
    return job;
}

} // namespace fedsync::aws

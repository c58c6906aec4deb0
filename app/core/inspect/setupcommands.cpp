#include "inspect/setupcommands.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace fedsync {

QJsonObject SetupCommand::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("purpose"), purpose},
            {QStringLiteral("command"), command}};
}

namespace {
// Single-quoted for a POSIX shell.
QString quoted(const QString &value)
{
    QString out = value;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString roleName(const QString &roleArn)
{
    const qsizetype slash = roleArn.lastIndexOf(QLatin1Char('/'));
    return roleArn.startsWith(QStringLiteral("arn:")) && slash > 0 ? roleArn.mid(slash + 1)
                                                                   : QStringLiteral("fedsync-authenticated");
}
} // namespace

QString SetupCommands::providerArn(const QString &accountId, const QString &providerName)
{
    return QStringLiteral("arn:aws:iam::%1:oidc-provider/%2")
        .arg(accountId.isEmpty() ? QStringLiteral("ACCOUNT_ID") : accountId, providerName);
}

QByteArray SetupCommands::trustPolicy(const QString &identityPoolId)
{
    const QJsonObject statement{
        {QStringLiteral("Effect"), QStringLiteral("Allow")},
        {QStringLiteral("Principal"),
         QJsonObject{{QStringLiteral("Federated"), QStringLiteral("cognito-identity.amazonaws.com")}}},
        {QStringLiteral("Action"), QStringLiteral("sts:AssumeRoleWithWebIdentity")},
        {QStringLiteral("Condition"),
         QJsonObject{
             {QStringLiteral("StringEquals"),
              QJsonObject{{QStringLiteral("cognito-identity.amazonaws.com:aud"), identityPoolId}}},
             {QStringLiteral("ForAnyValue:StringLike"),
              QJsonObject{
                  {QStringLiteral("cognito-identity.amazonaws.com:amr"), QStringLiteral("authenticated")}}},
         }},
    };
    const QJsonObject policy{{QStringLiteral("Version"), QStringLiteral("2012-10-17")},
                             {QStringLiteral("Statement"), QJsonArray{statement}}};
    return QJsonDocument(policy).toJson(QJsonDocument::Compact);
}

QList<SetupCommand> SetupCommands::forProfile(const Profile &profile, const QString &thumbprint)
{
    // The IAM provider's URL must be the issuer exactly (its trailing slash too), whatever the profile's
    // provider name says: that name is then the URL without "https://".
    QString providerName = profile.auth0.issuer().toString();
    providerName.remove(QRegularExpression(QStringLiteral("^https?://")));
    const QString region =
        profile.cognito.region.isEmpty() ? QStringLiteral("REGION") : profile.cognito.region;
    const QString pool = profile.cognito.identityPoolId.isEmpty() ? QStringLiteral("IDENTITY_POOL_ID")
                                                                  : profile.cognito.identityPoolId;
    const QString role =
        profile.cognito.flow == CognitoSettings::Flow::Basic || profile.cognito.customRoleArn.isEmpty()
            ? profile.cognito.roleArn
            : profile.cognito.customRoleArn;
    const QString arn = providerArn(profile.cognito.accountId, providerName);
    QList<SetupCommand> out;
    out.append({QStringLiteral("create-open-id-connect-provider"),
                tr("Register the Auth0 tenant with IAM as an OpenID Connect provider, with the client id as "
                   "its audience"),
                QStringLiteral("aws iam create-open-id-connect-provider --url %1 --client-id-list %2 "
                               "--thumbprint-list %3")
                    .arg(quoted(QStringLiteral("https://") + providerName), quoted(profile.auth0.clientId),
                         thumbprint.isEmpty() ? QStringLiteral("THUMBPRINT") : thumbprint)});
    QString poolCommand =
        QStringLiteral("aws cognito-identity create-identity-pool --region %1 --identity-pool-name "
                       "fedsync --no-allow-unauthenticated-identities %2--open-id-connect-provider-arns %3")
            .arg(region,
                 profile.cognito.flow == CognitoSettings::Flow::Basic
                     ? QStringLiteral("--allow-classic-flow ")
                     : QString(),
                 quoted(arn));
    out.append(
        {QStringLiteral("create-identity-pool"),
         tr("Create the identity pool that trusts that provider (use its id as the profile's pool id)"),
         poolCommand});
    out.append({QStringLiteral("create-role"),
                tr("Create the role signed-in users get, trusted by Cognito Identity for this pool only"),
                QStringLiteral("aws iam create-role --role-name %1 --assume-role-policy-document %2")
                    .arg(quoted(roleName(role)), quoted(QString::fromUtf8(trustPolicy(pool))))});
    out.append(
        {QStringLiteral("set-identity-pool-roles"), tr("Make it the pool's authenticated role"),
         QStringLiteral("aws cognito-identity set-identity-pool-roles --region %1 --identity-pool-id %2 "
                        "--roles authenticated=%3")
             .arg(region, quoted(pool),
                  quoted(role.isEmpty()
                             ? QStringLiteral("arn:aws:iam::%1:role/fedsync-authenticated")
                                   .arg(profile.cognito.accountId.isEmpty() ? QStringLiteral("ACCOUNT_ID")
                                                                            : profile.cognito.accountId)
                             : role))});
    return out;
}

} // namespace fedsync

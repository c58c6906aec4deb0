#include "aws/cognitodiagnostics.h"
#include "common/errorcodes.h"

#include "log/redact.h"

#include <QCoreApplication>

namespace fedsync::aws {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CognitoDiagnostics", text);
}

QString orUnknown(const QString &value)
{
    return value.isEmpty() ? tr("(not set)") : value;
}

QString trustPolicyHint(const QString &poolId)
{
    return tr("Its trust policy must allow sts:AssumeRoleWithWebIdentity for the federated principal "
              "cognito-identity.amazonaws.com, with the conditions cognito-identity.amazonaws.com:aud = "
              "\"%1\" and "
              "cognito-identity.amazonaws.com:amr = \"authenticated\"")
        .arg(orUnknown(poolId));
}

UserError make(const QString &code, const QString &what, const QString &why, const QString &action,
               const AwsFailure &failure)
{
    QString details;
    if (failure.aws.isError()) {
        details = scrubSecrets(failure.aws.toString());
        if (!failure.aws.requestId.isEmpty())
            details += QStringLiteral(" (request id %1)").arg(failure.aws.requestId);
    } else {
        details = failure.error.details;
    }
    return UserError::make(code, what, why, action, details);
}

UserError notAuthorized(const AwsFailure &failure, const CognitoDiagnosticContext &c)
{
    const QString message = failure.aws.message;
    const QString rejected = tr("Amazon Cognito rejected the sign-in token");
    const auto has = [&message](const char *text) {
        return message.contains(QLatin1String(text), Qt::CaseInsensitive);
    };

    if (c.tokenAlgorithm.compare(QLatin1String("HS256"), Qt::CaseInsensitive) == 0)
        return make(
            QStringLiteral("aws.token.hs256"), rejected,
            tr("The Auth0 ID token is signed with HS256 (a shared secret). Cognito only accepts tokens "
               "signed "
               "with RS256, which it checks against the provider's published keys"),
            tr("In the Auth0 dashboard, open the application's Settings > Advanced Settings > OAuth, set "
               "\"JsonWebToken Signature Algorithm\" to RS256, save, and sign in again"),
            failure);
    if (has("Issuer doesn't match providerName") || has("Issuer does not match"))
        return make(
            QStringLiteral("aws.token.issuer"), rejected,
            tr("The token's issuer is \"%1\" but it was presented for the provider \"%2\"; Cognito expects "
               "the issuer to be \"https://\" followed by the provider name, character for character")
                .arg(orUnknown(c.tokenIssuer), orUnknown(c.providerName)),
            tr("Make the IAM OpenID Connect provider's URL exactly the Auth0 issuer (%1, mind the trailing "
               "slash), and set the profile's provider name to it without \"https://\"")
                .arg(orUnknown(c.tokenIssuer)),
            failure);
    if (has("not from a supported provider"))
        return make(
            QStringLiteral("aws.token.provider"), rejected,
            tr("Identity pool %1 does not accept tokens from provider \"%2\" for client id \"%3\"")
                .arg(orUnknown(c.identityPoolId), orUnknown(c.providerName), orUnknown(c.clientId)),
            tr("In IAM > Identity providers > %1, add the Auth0 client id %2 as an audience; and in the "
               "identity pool's user access settings, add that OpenID Connect provider as an identity "
               "provider")
                .arg(orUnknown(c.providerName), orUnknown(c.clientId)),
            failure);
    if (has("Token expired") || has("expired"))
        return make(QStringLiteral("aws.token.expired"), rejected, tr("The Auth0 ID token has expired"),
                    tr("Sign in again. If this keeps happening, check the computer's date and time"),
                    failure);
    if (has("Missing a required claim: aud") || has("required claim"))
        return make(
            QStringLiteral("aws.token.aud"), rejected,
            tr("The token has no audience claim: an access token was sent instead of the ID token"),
            tr("Send the ID token (id_token) to Cognito; if the profile overrides the token to use, set it "
               "to the ID token"),
            failure);
    if (has("Unauthenticated access is not supported") || has("Logins don't match"))
        return make(
            QStringLiteral("aws.pool.logins"), rejected,
            tr("The identity pool %1 does not accept this sign-in for this identity")
                .arg(orUnknown(c.identityPoolId)),
            tr("Sign out and sign in again; if it persists, check that the pool's authentication providers "
               "include %1")
                .arg(orUnknown(c.providerName)),
            failure);
    if (has("Couldn't verify signed token") || has("Invalid login token"))
        return make(
            QStringLiteral("aws.token.invalid"), rejected,
            tr("Cognito could not verify the token against provider \"%1\"").arg(orUnknown(c.providerName)),
            tr("Check that the IAM OpenID Connect provider points at the Auth0 tenant that issued the token "
               "(%1) and that the application signs tokens with RS256")
                .arg(orUnknown(c.tokenIssuer)),
            failure);
    return make(QStringLiteral("aws.NotAuthorizedException"), rejected, scrubSecrets(message),
                tr("Check the identity pool's authentication providers and sign in again"), failure);
}

QString regionOfPool(const QString &poolId)
{
    const qsizetype colon = poolId.indexOf(QLatin1Char(':'));
    return colon > 0 ? poolId.left(colon) : QString();
}

} // namespace

UserError CognitoDiagnostics::diagnose(const AwsFailure &failure, const CognitoDiagnosticContext &c)
{
    if (!failure.isError())
        return {};
    const AwsError &aws = failure.aws;
    if (!aws.isError()) {
        // Transport failures, refusals, cancellation: HttpJob's text already says what to do.
        UserError error = failure.error;
        if (error.code == errorcode::NetDns && !c.region.isEmpty())
            error.action = tr("Check your network connection and the profile's region (%1)").arg(c.region);
        return error;
    }
    const QString type = aws.type;
    const bool sts = c.operation == QLatin1String("AssumeRoleWithWebIdentity");

    if (aws.isThrottling())
        return make(
            QStringLiteral("aws.throttled"), tr("AWS is limiting the request rate"),
            tr("%1 was throttled on all %2 attempts").arg(orUnknown(c.operation)).arg(failure.attempts),
            tr("Wait a minute and try again. If many devices share this identity pool, ask the pool's "
               "owner to raise its quota"),
            failure);
    if (type == QLatin1String("NotAuthorizedException"))
        return notAuthorized(failure, c);
    if (type == QLatin1String("ResourceNotFoundException")) {
        const QString poolRegion = regionOfPool(c.identityPoolId);
        if (aws.message.contains(QLatin1String("Identity"), Qt::CaseSensitive) &&
            !aws.message.contains(QLatin1String("IdentityPool"), Qt::CaseSensitive))
            return make(QStringLiteral("aws.identity.notfound"), tr("Your Cognito identity no longer exists"),
                        tr("The identity was deleted from pool %1").arg(orUnknown(c.identityPoolId)),
                        tr("Sign in again to get a new identity"), failure);
        if (!poolRegion.isEmpty() && !c.region.isEmpty() && poolRegion != c.region)
            return make(QStringLiteral("aws.pool.region"), tr("The identity pool was not found"),
                        tr("Identity pool %1 is in region %2, but the profile's region is %3")
                            .arg(c.identityPoolId, poolRegion, c.region),
                        tr("Set the profile's region to %1").arg(poolRegion), failure);
        return make(
            QStringLiteral("aws.pool.notfound"), tr("The identity pool was not found"),
            tr("There is no identity pool %1 in region %2")
                .arg(orUnknown(c.identityPoolId), orUnknown(c.region)),
            tr("Check the identity pool id in the profile (Cognito console > Identity pools; it looks like "
               "\"us-east-1:0000…\") and that it is in the profile's region"),
            failure);
    }
    if (type == QLatin1String("InvalidIdentityPoolConfigurationException"))
        return make(
            QStringLiteral("aws.pool.roles"), tr("The identity pool's roles are not set up correctly"),
            tr("Cognito could not assume the pool's authenticated role%1")
                .arg(c.customRoleArn.isEmpty() ? QString()
                                               : QStringLiteral(" (") + c.customRoleArn + QLatin1Char(')')),
            tr("In the identity pool, assign an authenticated role. %1")
                .arg(trustPolicyHint(c.identityPoolId)),
            failure);
    if (sts && c.roleArn.isEmpty())
        return make(
            QStringLiteral("aws.role.missing"), tr("No role to assume"),
            tr("The basic flow needs a role ARN and the profile has none"),
            tr("Set the profile's role ARN (arn:aws:iam::<account>:role/<name>), or use the enhanced flow"),
            failure);
    if (type == QLatin1String("AccessDenied"))
        return make(QStringLiteral("aws.role.trust"),
                    tr("AWS STS refused to let your identity assume the role"),
                    tr("Role %1 does not trust identities of pool %2 (or does not exist)")
                        .arg(orUnknown(c.roleArn), orUnknown(c.identityPoolId)),
                    tr("Check the profile's role ARN. %1").arg(trustPolicyHint(c.identityPoolId)), failure);
    if (type == QLatin1String("InvalidIdentityToken") || type == QLatin1String("IDPRejectedClaim") ||
        type == QLatin1String("ExpiredTokenException"))
        return make(QStringLiteral("aws.sts.token"), tr("AWS STS rejected the Cognito token"),
                    tr("%1: %2").arg(type, scrubSecrets(aws.message)),
                    tr("Sign in again. If it persists, check role %1: %2")
                        .arg(orUnknown(c.roleArn), trustPolicyHint(c.identityPoolId)),
                    failure);
    if (type == QLatin1String("ValidationError") || type == QLatin1String("InvalidParameterValue") ||
        type == QLatin1String("InvalidParameterException")) {
        const bool aboutRole = aws.message.contains(QLatin1String("role"), Qt::CaseInsensitive) ||
                               aws.message.contains(QLatin1String("arn"), Qt::CaseInsensitive);
        return make(
            QStringLiteral("aws.parameter"), tr("AWS refused a setting of the profile"),
            scrubSecrets(aws.message),
            aboutRole
                ? tr("Check the profile's role ARN (%1); it looks like arn:aws:iam::<account>:role/<name>")
                      .arg(orUnknown(sts ? c.roleArn : c.customRoleArn))
                : tr("Check the profile's identity pool id (%1, \"<region>:<uuid>\") and provider name (%2)")
                      .arg(orUnknown(c.identityPoolId), orUnknown(c.providerName)),
            failure);
    }
    if (type == QLatin1String("ExternalServiceException"))
        return make(
            QStringLiteral("aws.provider.unreachable"), tr("Amazon Cognito could not check the sign-in"),
            tr("Cognito could not reach provider %1 to fetch its keys").arg(orUnknown(c.providerName)),
            tr("Try again in a moment; check that %1.well-known/jwks.json is publicly reachable")
                .arg(orUnknown(c.tokenIssuer)),
            failure);
    if (aws.httpStatus >= 500)
        return make(QStringLiteral("aws.service"), tr("AWS is having a problem"),
                    tr("%1 failed with a server error on all %2 attempts")
                        .arg(orUnknown(c.operation))
                        .arg(failure.attempts),
                    tr("Try again later"), failure);
    return failure.error;
}

} // namespace fedsync::aws

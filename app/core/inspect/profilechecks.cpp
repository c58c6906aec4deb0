#include "inspect/profilechecks.h"

#include <QRegularExpression>

namespace fedsync {

using Status = DoctorFinding::Status;

QList<DoctorFinding> ProfileChecks::run(const Profile &profile)
{
    QList<DoctorFinding> out;
    if (profile.cognito.isEmpty())
        return out;
    out << providerName(profile) << poolId(profile);
    if (out.constLast().status == Status::Pass) // a malformed id has no region to compare
        out << poolRegion(profile);
    out << roleArn(profile);
    return out;
}

DoctorFinding ProfileChecks::providerName(const Profile &profile)
{
    DoctorFinding f{QStringLiteral("provider_name"), Status::Pass, {}, {}};
    const QString issuer = profile.auth0.issuer().toString();
    QString expected = issuer;
    expected.remove(QRegularExpression(QStringLiteral("^https?://")));
    const QString actual = profile.effectiveProviderName();
    if (actual == expected) {
        f.message = tr("The Logins key \"%1\" is the issuer without https://.").arg(actual);
        return f;
    }
    f.status = Status::Fail;
    if (actual + QLatin1Char('/') == expected)
        f.message =
            tr("The provider name \"%1\" lacks the trailing slash of the issuer \"%2\": Cognito compares "
               "https:// + the Logins key with the token's iss and answers \"Invalid login token. "
               "Issuer doesn't match providerName\".")
                .arg(actual, issuer);
    else
        f.message =
            tr("The provider name \"%1\" is not the issuer \"%2\" without https://: Cognito refuses the "
               "token (\"Invalid login token\" or \"Token is not from a supported provider\").")
                .arg(actual, issuer);
    f.fix =
        tr("Set cognito.provider_name to \"%1\" (or leave it empty to derive it), and create the IAM OIDC "
           "provider with the URL https://%1.")
            .arg(expected);
    return f;
}

DoctorFinding ProfileChecks::poolId(const Profile &profile)
{
    DoctorFinding f{QStringLiteral("pool_id"), Status::Pass, {}, {}};
    static const QRegularExpression shape(QStringLiteral(
        "^[a-z]{2}(-gov)?-[a-z]+-\\d:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
    const QString id = profile.cognito.identityPoolId;
    if (shape.match(id).hasMatch()) {
        f.message = tr("The identity pool id \"%1\" is well formed.").arg(id);
        return f;
    }
    f.status = Status::Fail;
    f.message = tr("The identity pool id \"%1\" is not of the form REGION:UUID.").arg(id);
    f.fix =
        tr("Copy the pool id from the Cognito console (Identity pools > your pool > Identity pool ID), e.g. "
           "\"us-east-1:0a1b2c3d-…\", into cognito.identity_pool_id.");
    return f;
}

DoctorFinding ProfileChecks::poolRegion(const Profile &profile)
{
    DoctorFinding f{QStringLiteral("pool_region"), Status::Pass, {}, {}};
    const QString id = profile.cognito.identityPoolId;
    const QString poolRegion = id.left(id.indexOf(QLatin1Char(':')));
    if (poolRegion == profile.cognito.region) {
        f.message = tr("The pool lives in the profile's region %1.").arg(poolRegion);
        return f;
    }
    f.status = Status::Fail;
    f.message =
        tr("The pool id names region %1 but the profile uses %2: the regional endpoint does not know the "
           "pool (ResourceNotFoundException).")
            .arg(poolRegion, profile.cognito.region);
    f.fix = tr("Set cognito.region to \"%1\", or use the id of the pool in %2.")
                .arg(poolRegion, profile.cognito.region);
    return f;
}

bool ProfileChecks::isRoleArn(const QString &arn)
{
    static const QRegularExpression shape(
        QStringLiteral("^arn:aws(-cn|-us-gov)?:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$"));
    return shape.match(arn).hasMatch();
}

DoctorFinding ProfileChecks::roleArn(const Profile &profile)
{
    DoctorFinding f{QStringLiteral("role_arn"), Status::Pass, {}, {}};
    const bool basic = profile.cognito.flow == CognitoSettings::Flow::Basic;
    const QString arn = basic ? profile.cognito.roleArn : profile.cognito.customRoleArn;
    const QString field =
        basic ? QStringLiteral("cognito.role_arn") : QStringLiteral("cognito.custom_role_arn");
    if (arn.isEmpty()) {
        f.status = basic ? Status::Fail : Status::Pass;
        f.message = basic ? tr("The basic flow needs a role ARN and the profile has none.")
                          : tr("No custom role: Cognito uses the pool's authenticated role.");
        if (basic)
            f.fix = tr("Set %1 to the authenticated role's ARN (arn:aws:iam::ACCOUNT:role/NAME).").arg(field);
        return f;
    }
    if (isRoleArn(arn)) {
        f.message = tr("The role ARN \"%1\" is well formed.").arg(arn);
        return f;
    }
    f.status = Status::Fail;
    f.message =
        tr("\"%1\" is not a role ARN: STS refuses it (ValidationError) before checking anything else.")
            .arg(arn);
    f.fix = tr("Set %1 to arn:aws:iam::<12-digit account>:role/<role name> (IAM console > Roles > the role > "
               "ARN).")
                .arg(field);
    return f;
}

} // namespace fedsync

#include "config/profilefields.h"

namespace fedsync {

namespace {

using W = ProfileTextField::Written;

// Accessors of one QString member of one part of the profile (Profile::auth0.domain).
template<auto Settings, auto Member> QString getter(const Profile &profile)
{
    return profile.*Settings.*Member;
}

template<auto Settings, auto Member> void setter(Profile &profile, const QString &value)
{
    profile.*Settings.*Member = value;
}

template<auto Member>
ProfileTextField auth0(const char *path, W written, const QString &fallback = {}, bool required = false)
{
    return {QString::fromLatin1(path), &getter<&Profile::auth0, Member>, &setter<&Profile::auth0, Member>,
            fallback, written, false, required};
}

template<auto Member> ProfileTextField cognito(const char *path, W written, bool trimmed = false)
{
    return {QString::fromLatin1(path), &getter<&Profile::cognito, Member>, &setter<&Profile::cognito, Member>,
            {}, written, trimmed, false};
}

QList<ProfileTextField> makeFields()
{
    using A = Auth0Settings;
    using C = CognitoSettings;
    return {
        auth0<&A::domain>("auth0.domain", W::Always, {}, true),
        auth0<&A::clientId>("auth0.client_id", W::Always, {}, true),
        auth0<&A::audience>("auth0.audience", W::Always),
        auth0<&A::scope>("auth0.scope", W::Always, Auth0Settings::defaultScope()),
        auth0<&A::redirectUri>("auth0.redirect_uri", W::Always, Auth0Settings::defaultRedirectUri()),
        auth0<&A::logoutReturnTo>("auth0.logout_return_to", W::Always, Auth0Settings::defaultLogoutReturnTo()),
        auth0<&A::connection>("auth0.connection", W::WhenSet),
        auth0<&A::organization>("auth0.organization", W::WhenSet),
        auth0<&A::uiLocales>("auth0.ui_locales", W::WhenSet),
        cognito<&C::region>("cognito.region", W::InSection),
        cognito<&C::identityPoolId>("cognito.identity_pool_id", W::InSection),
        cognito<&C::providerName>("cognito.provider_name", W::InSection),
        cognito<&C::accountId>("cognito.account_id", W::InSection),
        cognito<&C::roleArn>("cognito.role_arn", W::InSection),
        cognito<&C::customRoleArn>("cognito.custom_role_arn", W::WhenSet),
        cognito<&C::cognitoIdentityEndpoint>("cognito.endpoints.cognito_identity", W::WhenSet),
        cognito<&C::stsEndpoint>("cognito.endpoints.sts", W::WhenSet),
        cognito<&C::cognitoSyncEndpoint>("cognito.endpoints.cognito_sync", W::WhenSet),
        cognito<&C::dynamoDbTable>("dynamodb.table", W::WhenSet, true),
        cognito<&C::dynamoDbRegion>("dynamodb.region", W::WhenSet, true),
        cognito<&C::dynamoDbEndpoint>("dynamodb.endpoint", W::WhenSet, true),
    };
}

} // namespace

QString ProfileTextField::settingsKey() const
{
    return QString(path).replace(QLatin1Char('.'), QLatin1Char('/'));
}

QStringList ProfileTextField::sections() const
{
    QStringList parts = path.split(QLatin1Char('.'));
    parts.removeLast();
    return parts;
}

QString ProfileTextField::key() const
{
    return path.section(QLatin1Char('.'), -1);
}

const QList<ProfileTextField> &ProfileFields::text()
{
    static const QList<ProfileTextField> fields = makeFields();
    return fields;
}

const ProfileTextField *ProfileFields::find(const QString &path)
{
    for (const ProfileTextField &field : text()) {
        if (field.path == path)
            return &field;
    }
    return nullptr;
}

} // namespace fedsync

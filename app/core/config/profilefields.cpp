#include "config/profilefields.h"

#include <initializer_list>
#include <type_traits>

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

// A choice stored as an enum member of one part of the profile (Profile::auth0.browser).
template<auto Part, auto Member> std::optional<int> getChoice(const Profile &profile)
{
    return static_cast<int>(profile.*Part.*Member);
}

template<auto Part, auto Member> void setChoice(Profile &profile, std::optional<int> value)
{
    using Enum = std::remove_cvref_t<decltype(profile.*Part.*Member)>;
    profile.*Part.*Member = static_cast<Enum>(value.value_or(0));
}

template<auto Part, auto Member>
ProfileValueField choice(const char *path, const QStringList &words, W written)
{
    ProfileValueField field;
    field.path = QString::fromLatin1(path);
    field.kind = ProfileValueField::Kind::Choice;
    field.get = &getChoice<Part, Member>;
    field.set = &setChoice<Part, Member>;
    field.choices = words;
    field.written = written;
    return field;
}

QStringList words(std::initializer_list<const char *> texts)
{
    QStringList list;
    for (const char *text : texts)
        list.append(QString::fromLatin1(text));
    return list;
}

ProfileValueField maxAge()
{
    ProfileValueField field;
    field.path = QStringLiteral("auth0.max_age");
    field.kind = ProfileValueField::Kind::Number;
    field.get = [](const Profile &p) {
        return p.auth0.maxAgeSeconds;
    };
    field.set = [](Profile &p, std::optional<int> value) {
        p.auth0.maxAgeSeconds = value;
    };
    field.written = W::WhenSet;
    return field;
}

ProfileValueField identityCard()
{
    ProfileValueField field;
    field.path = QStringLiteral("identity_card");
    field.kind = ProfileValueField::Kind::Flag;
    field.get = [](const Profile &p) {
        return std::optional<int>(p.identityCard ? 1 : 0);
    };
    field.set = [](Profile &p, std::optional<int> value) {
        p.identityCard = value.value_or(1) != 0;
    };
    field.fallback = 1; // on unless turned off
    field.written = W::WhenSet;
    return field;
}

QList<ProfileValueField> makeValueFields()
{
    using A = Auth0Settings;
    using C = CognitoSettings;
    return {
        maxAge(),
        choice<&Profile::auth0, &A::browser>("auth0.browser", words({"embedded", "system"}), W::Always),
        choice<&Profile::cognito, &C::flow>("cognito.flow", words({"enhanced", "basic"}), W::InSection),
        choice<&Profile::cognito, &C::store>("store", words({"cognito-sync", "dynamodb"}), W::WhenSet),
        identityCard(),
    };
}

QString settingsKeyOf(const QString &path)
{
    return QString(path).replace(QLatin1Char('.'), QLatin1Char('/'));
}

QStringList sectionsOf(const QString &path)
{
    QStringList parts = path.split(QLatin1Char('.'));
    parts.removeLast();
    return parts;
}

QString keyOf(const QString &path)
{
    return path.section(QLatin1Char('.'), -1);
}

} // namespace

QString ProfileTextField::settingsKey() const
{
    return settingsKeyOf(path);
}

QStringList ProfileTextField::sections() const
{
    return sectionsOf(path);
}

QString ProfileTextField::key() const
{
    return keyOf(path);
}

QString ProfileValueField::settingsKey() const
{
    return settingsKeyOf(path);
}

QStringList ProfileValueField::sections() const
{
    return sectionsOf(path);
}

QString ProfileValueField::key() const
{
    return keyOf(path);
}

QVariant ProfileValueField::stored(int value) const
{
    switch (kind) {
    case Kind::Choice:
        return choices.value(value, choices.value(fallback));
    case Kind::Number:
        return value;
    case Kind::Flag:
        return value != 0;
    }
    return {};
}

bool ProfileValueField::isSet(std::optional<int> value) const
{
    if (kind == Kind::Number)
        return value.has_value();
    return value.value_or(fallback) != fallback;
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

const QList<ProfileValueField> &ProfileFields::values()
{
    static const QList<ProfileValueField> fields = makeValueFields();
    return fields;
}

const ProfileValueField *ProfileFields::findValue(const QString &path)
{
    for (const ProfileValueField &field : values()) {
        if (field.path == path)
            return &field;
    }
    return nullptr;
}

} // namespace fedsync

#include "config/profilevalidator.h"

#include "net/networkcontext.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <utility>

namespace fedsync {

namespace {

QString tr(const char *text)
{
    return ProfileValidator::tr(text);
}

const QString exampleDomain = QStringLiteral("tenant.eu.auth0.com");

const QRegularExpression &regionPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z]{2}(-gov)?-[a-z]+-\\d$"));
    return pattern;
}

const QRegularExpression &poolIdPattern()
{
    static const QRegularExpression pattern(QStringLiteral(
        "^([^:]*):[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    return pattern;
}

const QRegularExpression &roleArnPattern()
{
    // IAM role names (and paths) use letters, digits and +=,.@_- .
    static const QRegularExpression pattern(
        QStringLiteral("^arn:aws(-cn|-us-gov)?:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]+$"));
    return pattern;
}

const QRegularExpression &clientIdPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9._-]+$"));
    return pattern;
}

bool hasWhitespace(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.isSpace(); });
}

// A redirect a native app can receive (RFC 8252): a private-use scheme, or http on a loopback address.
bool isNativeRedirect(const QString &uri)
{
    const QUrl url(uri, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || hasWhitespace(uri))
        return false;
    const QString scheme = url.scheme();
    if (scheme == QStringLiteral("http"))
        return NetworkContext::isLoopbackHost(url.host());
    static const QStringList notPrivate = {QStringLiteral("https"), QStringLiteral("file"),
                                           QStringLiteral("data"),  QStringLiteral("javascript"),
                                           QStringLiteral("ftp"),   QStringLiteral("mailto"),
                                           QStringLiteral("about")};
    return !notPrivate.contains(scheme);
}

class IssueList
{
public:
    void error(const QString &field, const QString &code, const QString &what, const QString &why,
               const QString &action)
    {
        m_issues.append({field, UserError::make(code, what, why, action), ProfileIssue::Severity::Error});
    }
    void warning(const QString &field, const QString &code, const QString &what, const QString &why,
                 const QString &action)
    {
        m_issues.append({field, UserError::make(code, what, why, action), ProfileIssue::Severity::Warning});
    }
    void add(const QString &field, const UserError &error)
    {
        m_issues.append({field, error, ProfileIssue::Severity::Error});
    }
    QList<ProfileIssue> take() { return std::move(m_issues); }

private:
    QList<ProfileIssue> m_issues;
};

// ---- One function per section of the profile ------------------------------------------------------

// The profile's own name.
void checkName(const Profile &profile, IssueList &issues)
{
    if (profile.name.isEmpty()) {
        issues.error(QStringLiteral("name"), QStringLiteral("config.name.empty"),
                     tr("The profile has no name"), tr("The name tells your profiles apart"),
                     tr("Enter a name, e.g. the tenant's name"));
    }

}

// auth0.domain: a host (with an optional port), never an address.
void checkAuth0Domain(const Auth0Settings &a, IssueList &issues)
{
    const QString domainField = QStringLiteral("auth0.domain");
    if (a.domain.isEmpty()) {
        issues.error(
            domainField, QStringLiteral("config.auth0.domain.empty"), tr("The Auth0 domain is empty"),
            tr("Fedsync signs in at this Auth0 tenant"),
            tr("Enter the Domain shown in your Auth0 application's settings, e.g. %1").arg(exampleDomain));
    } else {
        QString host = a.domain;
        bool domainOk = true;
        const QString http = QStringLiteral("http://");
        if (host.startsWith(http, Qt::CaseInsensitive)) {
            host.remove(0, http.size());
            const QUrl asUrl(QStringLiteral("http://") + host, QUrl::StrictMode);
            if (!NetworkContext::isLoopbackHost(asUrl.host())) {
                domainOk = false;
                issues.error(domainField, QStringLiteral("config.auth0.domain.http"),
                             tr("The Auth0 domain \"%1\" starts with http://").arg(a.domain),
                             tr("Auth0 domains are https: tokens must never cross the network unencrypted"),
                             tr("Enter only the host, e.g. %1").arg(exampleDomain));
            }
        } else if (host.contains(QStringLiteral("://"))) {
            domainOk = false;
            issues.error(domainField, QStringLiteral("config.auth0.domain.scheme"),
                         tr("The Auth0 domain \"%1\" is an address, not a host").arg(a.domain),
                         tr("Auth0 domains are https, and Fedsync adds the scheme itself"),
                         tr("Enter only the host, e.g. %1").arg(exampleDomain));
        }
        if (domainOk) {
            if (host.contains(QLatin1Char('/')) || host.contains(QLatin1Char('?')) ||
                host.contains(QLatin1Char('#'))) {
                issues.error(domainField, QStringLiteral("config.auth0.domain.path"),
                             tr("The Auth0 domain \"%1\" contains a path or query").arg(a.domain),
                             tr("Fedsync builds the sign-in, token and key addresses from the domain itself"),
                             tr("Enter only the host, e.g. %1").arg(exampleDomain));
            } else {
                const QUrl asUrl(QStringLiteral("https://") + host, QUrl::StrictMode);
                if (hasWhitespace(host) || !asUrl.isValid() || asUrl.host().isEmpty() ||
                    !asUrl.userInfo().isEmpty()) {
                    issues.error(domainField, QStringLiteral("config.auth0.domain.invalid"),
                                 tr("\"%1\" is not a valid Auth0 domain").arg(a.domain),
                                 tr("A domain is a host name with an optional port"),
                                 tr("Enter only the host, e.g. %1").arg(exampleDomain));
                }
            }
        }
    }
}

// auth0.client_id.
void checkAuth0Client(const Auth0Settings &a, IssueList &issues)
{
    const QString clientField = QStringLiteral("auth0.client_id");
    if (a.clientId.isEmpty()) {
        issues.error(clientField, QStringLiteral("config.auth0.client_id.empty"),
                     tr("The Auth0 client ID is empty"),
                     tr("Auth0 needs it to know which application is signing in"),
                     tr("Copy the Client ID from your Auth0 application's settings (a Native application)"));
    } else if (hasWhitespace(a.clientId)) {
        issues.error(clientField, QStringLiteral("config.auth0.client_id.space"),
                     tr("The Auth0 client ID contains spaces"),
                     tr("Client IDs never contain spaces; something extra was probably copied with it"),
                     tr("Copy the Client ID again from your Auth0 application's settings"));
    } else if (!clientIdPattern().match(a.clientId).hasMatch()) {
        issues.error(clientField, QStringLiteral("config.auth0.client_id.characters"),
                     tr("The Auth0 client ID contains characters Auth0 never uses"),
                     tr("Client IDs are made of letters and digits"),
                     tr("Copy the Client ID again from your Auth0 application's settings"));
    }
}

// How the sign-in is asked for: scope, redirects, max_age, browser.
void checkAuth0SignIn(const Auth0Settings &a, IssueList &issues)
{
    const QStringList scopes = a.scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (!scopes.contains(QStringLiteral("openid"))) {
        issues.error(QStringLiteral("auth0.scope"), QStringLiteral("config.auth0.scope.openid"),
                     tr("The scope does not ask for \"openid\""),
                     tr("Fedsync needs an ID token: it is what Cognito exchanges for AWS credentials"),
                     tr("Add openid to the scope, e.g. \"%1\"").arg(Auth0Settings::defaultScope()));
    }
    if (!scopes.contains(QStringLiteral("offline_access"))) {
        issues.warning(
            QStringLiteral("auth0.scope"), QStringLiteral("config.auth0.scope.offline_access"),
            tr("The scope does not ask for \"offline_access\""),
            tr("Without a refresh token you will have to sign in again at every start"),
            tr("Add offline_access to the scope and allow refresh tokens for the application in Auth0"));
    }

    // --- Redirects
    if (!isNativeRedirect(a.redirectUri)) {
        issues.error(QStringLiteral("auth0.redirect_uri"),
                     QStringLiteral("config.auth0.redirect_uri.invalid"),
                     tr("\"%1\" cannot be Fedsync's redirect URI").arg(a.redirectUri),
                     tr("A desktop app receives the sign-in result on a private scheme or on a loopback "
                        "http address (RFC 8252)"),
                     tr("Use %1 or http://127.0.0.1/callback, and add it to the application's Allowed "
                        "Callback URLs in Auth0")
                         .arg(Auth0Settings::defaultRedirectUri()));
    }
    if (!a.logoutReturnTo.isEmpty() && !isNativeRedirect(a.logoutReturnTo)) {
        issues.error(QStringLiteral("auth0.logout_return_to"),
                     QStringLiteral("config.auth0.logout_return_to.invalid"),
                     tr("\"%1\" cannot be Fedsync's logout return address").arg(a.logoutReturnTo),
                     tr("A desktop app is returned to on a private scheme or on a loopback http address"),
                     tr("Use %1 or http://127.0.0.1/logout, and add it to the Allowed Logout URLs in Auth0")
                         .arg(Auth0Settings::defaultLogoutReturnTo()));
    }

    if (a.maxAgeSeconds && *a.maxAgeSeconds < 0) {
        issues.error(QStringLiteral("auth0.max_age"), QStringLiteral("config.auth0.max_age.negative"),
                     tr("The maximum authentication age is negative (%1 s)").arg(*a.maxAgeSeconds),
                     tr("It is the number of seconds since you last typed your password"),
                     tr("Enter 0 or more seconds, or leave it empty for no limit"));
    }

    if (a.browser == Auth0Settings::BrowserMode::Embedded &&
        a.connection.startsWith(QStringLiteral("google"), Qt::CaseInsensitive)) {
        issues.warning(QStringLiteral("auth0.browser"), QStringLiteral("config.auth0.browser.google"),
                       tr("Google sign-in does not work in an embedded window"),
                       tr("Google blocks sign-in from embedded browsers (\"disallowed_useragent\")"),
                       tr("Choose the system browser for this profile"));
    }
}

// cognito.region and cognito.identity_pool_id, which must agree.
void checkCognitoPool(const CognitoSettings &c, IssueList &issues)
{
    const QString regionField = QStringLiteral("cognito.region");
    const bool regionOk = regionPattern().match(c.region).hasMatch();
    if (c.region.isEmpty()) {
        issues.error(
            regionField, QStringLiteral("config.cognito.region.empty"), tr("The AWS region is empty"),
            tr("The Cognito settings are filled in, and Cognito is regional"),
            tr("Enter the identity pool's region (the part of its ID before the colon), or clear "
               "all Cognito settings to only sign in"));
    } else if (!regionOk) {
        issues.error(regionField, QStringLiteral("config.cognito.region.invalid"),
                     tr("\"%1\" is not an AWS region").arg(c.region),
                     tr("Regions look like eu-west-1 or us-gov-west-1"),
                     tr("Enter the identity pool's region (the part of its ID before the colon)"));
    }

    const QString poolField = QStringLiteral("cognito.identity_pool_id");
    const QRegularExpressionMatch pool = poolIdPattern().match(c.identityPoolId);
    if (c.identityPoolId.isEmpty()) {
        issues.error(
            poolField, QStringLiteral("config.cognito.identity_pool_id.empty"),
            tr("The identity pool ID is empty"),
            tr("The Cognito settings are filled in, and credentials come from an identity pool"),
            tr("Copy the Identity pool ID from the Cognito console, or clear all Cognito settings "
               "to only sign in"));
    } else if (!pool.hasMatch() || !regionPattern().match(pool.captured(1)).hasMatch()) {
        issues.error(poolField, QStringLiteral("config.cognito.identity_pool_id.invalid"),
                     tr("\"%1\" is not an identity pool ID").arg(c.identityPoolId),
                     tr("Identity pool IDs look like <region>:<uuid>, e.g. "
                        "eu-west-1:0a1b2c3d-1234-5678-9abc-0123456789ab"),
                     tr("Copy the Identity pool ID from the Cognito console"));
    } else if (regionOk && pool.captured(1) != c.region) {
        issues.error(
            poolField, QStringLiteral("config.cognito.identity_pool_id.region"),
            tr("The identity pool lives in %1 but the profile says %2").arg(pool.captured(1), c.region),
            tr("Cognito only finds a pool in its own region"),
            tr("Set the region to %1").arg(pool.captured(1)));
    }

}

// cognito.provider_name and cognito.account_id.
void checkCognitoIds(const CognitoSettings &c, const Auth0Settings &a, IssueList &issues)
{
    if (c.providerName.contains(QStringLiteral("://"))) {
        CognitoSettings withoutOverride = c;
        withoutOverride.providerName.clear();
        issues.error(QStringLiteral("cognito.provider_name"),
                     QStringLiteral("config.cognito.provider_name.scheme"),
                     tr("The provider name \"%1\" contains a scheme").arg(c.providerName),
                     tr("The Logins key is the issuer without https://; with it, Cognito answers "
                        "\"Issuer doesn't match providerName\""),
                     tr("Enter %1, or leave it empty to derive it from the Auth0 domain")
                         .arg(withoutOverride.effectiveProviderName(a.issuer())));
    }

    static const QRegularExpression accountPattern(QStringLiteral("^\\d{12}$"));
    if (!c.accountId.isEmpty() && !accountPattern.match(c.accountId).hasMatch()) {
        issues.error(
            QStringLiteral("cognito.account_id"), QStringLiteral("config.cognito.account_id.invalid"),
            tr("\"%1\" is not an AWS account ID").arg(c.accountId), tr("AWS account IDs are 12 digits"),
            tr("Enter the 12-digit account ID, or leave it empty"));
    }

}

// cognito.role_arn (needed by the basic flow) and cognito.custom_role_arn.
void checkCognitoRoles(const CognitoSettings &c, IssueList &issues)
{
    const QString roleField = QStringLiteral("cognito.role_arn");
    if (c.roleArn.isEmpty()) {
        if (c.flow == CognitoSettings::Flow::Basic) {
            issues.error(
                roleField, QStringLiteral("config.cognito.role_arn.missing"),
                tr("The basic flow needs a role ARN"),
                tr("In the basic flow Fedsync asks STS for the role itself "
                   "(AssumeRoleWithWebIdentity)"),
                tr("Enter the identity pool's authenticated role ARN, or choose the enhanced flow"));
        }
    } else if (!roleArnPattern().match(c.roleArn).hasMatch()) {
        issues.error(roleField, QStringLiteral("config.cognito.role_arn.invalid"),
                     tr("\"%1\" is not an IAM role ARN").arg(c.roleArn),
                     tr("Role ARNs look like arn:aws:iam::123456789012:role/name"),
                     tr("Copy the role's ARN from the IAM console"));
    }
    if (!c.customRoleArn.isEmpty() && !roleArnPattern().match(c.customRoleArn).hasMatch()) {
        issues.error(QStringLiteral("cognito.custom_role_arn"),
                     QStringLiteral("config.cognito.custom_role_arn.invalid"),
                     tr("\"%1\" is not an IAM role ARN").arg(c.customRoleArn),
                     tr("Role ARNs look like arn:aws:iam::123456789012:role/name"),
                     tr("Copy the role's ARN from the IAM console, or leave it empty for the pool's "
                        "default role"));
    }

}

// The AWS endpoint overrides: complete https addresses (or loopback for the sandbox).
void checkAwsEndpoints(const CognitoSettings &c, IssueList &issues)
{
    const std::pair<AwsService, QString> endpoints[] = {
        {AwsService::CognitoIdentity, QStringLiteral("cognito.endpoints.cognito_identity")},
        {AwsService::Sts, QStringLiteral("cognito.endpoints.sts")},
        {AwsService::CognitoSync, QStringLiteral("cognito.endpoints.cognito_sync")},
        {AwsService::DynamoDb, QStringLiteral("dynamodb.endpoint")},
    };
    for (const auto &[service, field] : endpoints) {
        const QString url = c.endpointOverride(service);
        if (url.isEmpty())
            continue;
        const UserError refusal = NetworkContext::checkUrlAllowed(QUrl(url, QUrl::StrictMode));
        if (refusal.isError()) {
            issues.add(field,
                       UserError::make(
                           refusal.code,
                           tr("The %1 endpoint \"%2\" cannot be used").arg(awsServiceName(service), url),
                           refusal.why.isEmpty() ? tr("It is not a complete address (scheme and host)")
                                                 : refusal.why,
                           tr("Enter an https:// address, or leave it empty to use AWS's regional "
                              "endpoint")));
        }
    }
}

// The DynamoDB store: its table, and its region when it has its own.
void checkDynamoDbStore(const CognitoSettings &c, IssueList &issues)
{
    static const QRegularExpression tablePattern(QStringLiteral("^[a-zA-Z0-9_.-]{3,255}$"));
    if (c.dynamoDbTable.isEmpty()) {
        issues.error(QStringLiteral("dynamodb.table"), QStringLiteral("config.dynamodb.table.missing"),
                     tr("The DynamoDB store needs a table name"),
                     tr("Datasets are kept in one DynamoDB table keyed by identity id"),
                     tr("Enter the table's name (fedsync-cli setup dynamodb shows how to create it), or "
                        "choose Cognito Sync"));
    } else if (!tablePattern.match(c.dynamoDbTable).hasMatch()) {
        issues.error(QStringLiteral("dynamodb.table"), QStringLiteral("config.dynamodb.table.invalid"),
                     tr("\"%1\" is not a DynamoDB table name").arg(c.dynamoDbTable),
                     tr("Table names are 3 to 255 letters, digits, '_', '-' and '.'"),
                     tr("Copy the table's name from the DynamoDB console"));
    }
    if (!c.dynamoDbRegion.isEmpty() && !regionPattern().match(c.dynamoDbRegion).hasMatch()) {
        issues.error(QStringLiteral("dynamodb.region"), QStringLiteral("config.dynamodb.region.invalid"),
                     tr("\"%1\" is not an AWS region").arg(c.dynamoDbRegion),
                     tr("Regions look like eu-west-1"),
                     tr("Enter the table's region, or leave it empty for the identity pool's"));
    }
}

// ca_file: a readable file.
void checkCaFile(const Profile &profile, IssueList &issues)
{
    if (!profile.caFile.isEmpty()) {
        const QFileInfo info(profile.caFile);
        if (!info.isFile() || !info.isReadable()) {
            issues.error(QStringLiteral("ca_file"),
                         info.exists() ? QStringLiteral("config.ca_file.unreadable")
                                       : QStringLiteral("config.ca_file.missing"),
                         tr("The CA file %1 cannot be read").arg(profile.caFile),
                         info.exists() ? tr("It is not a readable file") : tr("There is no such file"),
                         tr("Point the profile at the PEM certificate file, or clear the setting to trust "
                            "only the system's certificate authorities"));
        }
    }
}

} // namespace

Profile ProfileValidator::normalize(Profile profile)
{
    profile.name = profile.name.trimmed();
    Auth0Settings &a = profile.auth0;
    a.domain = Auth0Settings::normalizedDomain(a.domain);
    a.clientId = a.clientId.trimmed();
    a.audience = a.audience.trimmed();
    a.scope = a.scope.split(QLatin1Char(' '), Qt::SkipEmptyParts).join(QLatin1Char(' ')).simplified();
    a.redirectUri = a.redirectUri.trimmed();
    a.logoutReturnTo = a.logoutReturnTo.trimmed();
    a.connection = a.connection.trimmed();
    a.organization = a.organization.trimmed();
    a.uiLocales = a.uiLocales.simplified();
    CognitoSettings &c = profile.cognito;
    c.region = c.region.trimmed().toLower();
    c.identityPoolId = c.identityPoolId.trimmed();
    c.providerName = c.providerName.trimmed();
    c.accountId = c.accountId.trimmed();
    c.roleArn = c.roleArn.trimmed();
    c.customRoleArn = c.customRoleArn.trimmed();
    c.cognitoIdentityEndpoint = c.cognitoIdentityEndpoint.trimmed();
    c.stsEndpoint = c.stsEndpoint.trimmed();
    c.cognitoSyncEndpoint = c.cognitoSyncEndpoint.trimmed();
    profile.caFile = profile.caFile.trimmed();
    return profile;
}

bool ProfileValidator::hasErrors(const QList<ProfileIssue> &issues)
{
    return std::any_of(issues.cbegin(), issues.cend(), [](const ProfileIssue &issue) {
        return issue.severity == ProfileIssue::Severity::Error;
    });
}

QList<ProfileIssue> ProfileValidator::validate(const Profile &original)
{
    const Profile profile = normalize(original);
    const Auth0Settings &a = profile.auth0;
    const CognitoSettings &c = profile.cognito;
    IssueList issues;
    checkName(profile, issues);
    checkAuth0Domain(a, issues);
    checkAuth0Client(a, issues);
    checkAuth0SignIn(a, issues);
    // Cognito is optional as a whole, but complete when used.
    if (!c.isEmpty()) {
        checkCognitoPool(c, issues);
        checkCognitoIds(c, a, issues);
        checkCognitoRoles(c, issues);
        checkAwsEndpoints(c, issues);
    }
    if (c.store == CognitoSettings::Store::DynamoDb)
        checkDynamoDbStore(c, issues);
    checkCaFile(profile, issues);
    return issues.take();
}

} // namespace fedsync

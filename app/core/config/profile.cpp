#include "config/profile.h"

#include <QRegularExpression>

namespace fedsync {

QString awsServiceName(AwsService service)
{
    switch (service) {
    case AwsService::CognitoIdentity:
        return QStringLiteral("cognito-identity");
    case AwsService::Sts:
        return QStringLiteral("sts");
    case AwsService::CognitoSync:
        return QStringLiteral("cognito-sync");
    case AwsService::DynamoDb:
        return QStringLiteral("dynamodb");
    }
    return {};
}

QString Auth0Settings::normalizedDomain(const QString &domain)
{
    QString host = domain.trimmed();
    const QString https = QStringLiteral("https://");
    if (host.startsWith(https, Qt::CaseInsensitive))
        host.remove(0, https.size());
    while (host.endsWith(QLatin1Char('/')))
        host.chop(1);
    return host;
}

QUrl Auth0Settings::issuer() const
{
    const QString host = normalizedDomain(domain);
    if (host.isEmpty())
        return {};
    // A plain-http domain is only accepted for loopback test providers (ProfileValidator); keep its
    // scheme so the issuer matches what that provider puts in `iss`.
    if (host.startsWith(QStringLiteral("http://"), Qt::CaseInsensitive))
        return QUrl(host + QLatin1Char('/'), QUrl::StrictMode);
    return QUrl(QStringLiteral("https://") + host + QLatin1Char('/'), QUrl::StrictMode);
}

QUrl Auth0Settings::discoveryUrl() const
{
    const QUrl base = issuer();
    if (!base.isValid())
        return {};
    return base.resolved(QUrl(QStringLiteral(".well-known/openid-configuration")));
}

QString CognitoSettings::effectiveProviderName(const QUrl &issuer) const
{
    const QString override = providerName.trimmed();
    if (!override.isEmpty())
        return override;
    if (!issuer.isValid() || issuer.isEmpty())
        return {};
    QString name = issuer.toString(QUrl::FullyEncoded);
    const qsizetype schemeEnd = name.indexOf(QStringLiteral("://"));
    if (schemeEnd >= 0)
        name.remove(0, schemeEnd + 3);
    return name;
}

bool CognitoSettings::isEmpty() const
{
    return region.isEmpty() && identityPoolId.isEmpty() && providerName.isEmpty() && accountId.isEmpty() &&
           flow == Flow::Enhanced && roleArn.isEmpty() && customRoleArn.isEmpty() &&
           cognitoIdentityEndpoint.isEmpty() && stsEndpoint.isEmpty() && cognitoSyncEndpoint.isEmpty();
}

bool CognitoSettings::isConfigured() const
{
    if (region.isEmpty() || identityPoolId.isEmpty())
        return false;
    return flow == Flow::Enhanced || !roleArn.isEmpty();
}

QString CognitoSettings::endpointOverride(AwsService service) const
{
    switch (service) {
    case AwsService::CognitoIdentity:
        return cognitoIdentityEndpoint;
    case AwsService::Sts:
        return stsEndpoint;
    case AwsService::CognitoSync:
        return cognitoSyncEndpoint;
    case AwsService::DynamoDb:
        return dynamoDbEndpoint;
    }
    return {};
}

void CognitoSettings::setEndpointOverride(AwsService service, const QString &url)
{
    switch (service) {
    case AwsService::CognitoIdentity:
        cognitoIdentityEndpoint = url;
        break;
    case AwsService::Sts:
        stsEndpoint = url;
        break;
    case AwsService::CognitoSync:
        cognitoSyncEndpoint = url;
        break;
    case AwsService::DynamoDb:
        dynamoDbEndpoint = url;
        break;
    }
}

QString Profile::slugFor(const QString &name)
{
    QString slug;
    bool pendingDash = false;
    for (const QChar c : name.normalized(QString::NormalizationForm_KD)) {
        const char16_t u = c.toLower().unicode();
        const bool keep = (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9');
        if (keep) {
            if (pendingDash && !slug.isEmpty())
                slug += QLatin1Char('-');
            pendingDash = false;
            slug += QChar(u);
        } else if (!c.isMark()) { // accents decomposed by NFKD are dropped, "é" -> "e"
            pendingDash = true;
        }
        if (slug.size() >= 48)
            break;
    }
    return slug.isEmpty() ? QStringLiteral("profile") : slug;
}

bool Profile::isValidId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9-]{0,63}$"));
    return pattern.match(id).hasMatch();
}

} // namespace fedsync

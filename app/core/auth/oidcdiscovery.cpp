#include "auth/oidcdiscovery.h"

#include "net/networkcontext.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace fedsync {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("OidcDiscovery", text);
}
} // namespace

OidcDiscovery OidcDiscovery::parse(const QByteArray &json, const QString &expectedIssuer, UserError *error)
{
    OidcDiscovery d;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject()) {
        *error = UserError::make(QStringLiteral("oidc.discovery.malformed"),
                                 tr("The sign-in provider's configuration could not be read"),
                                 tr("Its discovery document is not valid JSON (%1)").arg(parseError.errorString()),
                                 tr("Check that the profile's Auth0 domain is right"));
        return d;
    }
    const QJsonObject o = doc.object();
    d.issuer = o.value(QStringLiteral("issuer")).toString();
    d.authorizationEndpoint = QUrl(o.value(QStringLiteral("authorization_endpoint")).toString());
    d.tokenEndpoint = QUrl(o.value(QStringLiteral("token_endpoint")).toString());
    d.jwksUri = QUrl(o.value(QStringLiteral("jwks_uri")).toString());
    d.userinfoEndpoint = QUrl(o.value(QStringLiteral("userinfo_endpoint")).toString());
    d.endSessionEndpoint = QUrl(o.value(QStringLiteral("end_session_endpoint")).toString());
    for (const QJsonValue &alg : o.value(QStringLiteral("id_token_signing_alg_values_supported")).toArray())
        d.idTokenSigningAlgs << alg.toString();

    if (d.issuer != expectedIssuer) {
        *error = UserError::make(
            QStringLiteral("oidc.discovery.issuer"), tr("The sign-in provider is not the one the profile names"),
            tr("Expected the issuer %1 but the provider says %2").arg(expectedIssuer, d.issuer),
            tr("Check the profile's Auth0 domain (use the tenant's domain exactly, such as tenant.eu.auth0.com, "
               "or its custom domain if the application uses one)"));
        return d;
    }
    const QList<QPair<QString, QUrl>> required = {{QStringLiteral("authorization_endpoint"), d.authorizationEndpoint},
                                                  {QStringLiteral("token_endpoint"), d.tokenEndpoint},
                                                  {QStringLiteral("jwks_uri"), d.jwksUri}};
    for (const auto &[name, url] : required) {
        const UserError urlError = NetworkContext::checkUrlAllowed(url);
        if (url.isEmpty() || urlError.isError()) {
            *error = UserError::make(QStringLiteral("oidc.discovery.endpoint"),
                                     tr("The sign-in provider's configuration is unusable"),
                                     tr("Its %1 is missing or not https").arg(name),
                                     tr("Check that the profile's Auth0 domain is right"));
            return d;
        }
    }
    *error = {};
    return d;
}

} // namespace fedsync

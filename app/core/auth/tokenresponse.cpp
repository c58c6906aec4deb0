#include "auth/tokenresponse.h"

#include "common/errorcodes.h"
#include "log/redact.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace fedsync {
namespace {

// The token endpoint's own error codes (RFC 6749 section 5.2) that Fedsync words for people.
constexpr QLatin1StringView oauthInvalidGrant{"invalid_grant"};
constexpr QLatin1StringView oauthInvalidClient{"invalid_client"};
constexpr QLatin1StringView oauthUnauthorizedClient{"unauthorized_client"};
QString tr(const char *text)
{
    return QCoreApplication::translate("TokenResponse", text);
}

void wipeString(QString &s)
{
    s.fill(QLatin1Char('\0'));
    s.clear();
}
} // namespace

TokenResponse TokenResponse::parse(int httpStatus, const QByteArray &body, const QDateTime &now, UserError *error)
{
    TokenResponse r;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject o = document.object();
    if (httpStatus >= 500) {
        *error =
            UserError::make(QStringLiteral("oidc.token.unavailable"),
                            tr("The sign-in provider is not answering right now (HTTP %1)").arg(httpStatus),
                            tr("A temporary problem on the provider's side; your saved sign-in is kept"),
                            tr("Try again in a moment"));
        return r;
    }
    if (httpStatus == 200 && !document.isObject()) {
        *error = UserError::make(QStringLiteral("oidc.token.malformed"),
                                 tr("The sign-in provider's answer could not be read"),
                                 tr("It was not a complete JSON object (%1); your saved sign-in is kept")
                                     .arg(parseError.errorString()),
                                 tr("Try again in a moment"));
        return r;
    }
    if (httpStatus != 200) {
        const QString code = o.value(QStringLiteral("error")).toString();
        const QString description = o.value(QStringLiteral("error_description")).toString();
        if (code == oauthInvalidGrant) {
            *error = UserError::make(QString(errorcode::OidcTokenInvalidGrant),
                                     tr("Your saved sign-in is no longer accepted"),
                                     description.isEmpty() ? tr("The provider refused it (it expired or was revoked)")
                                                           : scrubSecrets(description),
                                     tr("Sign in again"));
        } else if (code == oauthUnauthorizedClient || code == oauthInvalidClient) {
            *error = UserError::make(QStringLiteral("oidc.token.client"),
                                     tr("Auth0 refused Fedsync's application settings"), scrubSecrets(description),
                                     tr("In the Auth0 Dashboard, make the application a Native application with "
                                        "the Authorization Code and Refresh Token grants enabled, and check the "
                                        "profile's client id"));
        } else if (code.isEmpty()) {
            *error = UserError::make(QStringLiteral("oidc.token.http"),
                                     tr("The sign-in provider answered with an error (HTTP %1)").arg(httpStatus),
                                     scrubSecrets(QString::fromUtf8(body.left(200))), tr("Try again in a moment"));
        } else {
            *error = UserError::make(QStringLiteral("oidc.token.") + code,
                                     tr("The sign-in provider refused the request (%1)").arg(code),
                                     scrubSecrets(description), tr("Sign in again"));
        }
        return r;
    }
    r.idToken = o.value(QStringLiteral("id_token")).toString();
    r.accessToken = o.value(QStringLiteral("access_token")).toString();
    r.refreshToken = o.value(QStringLiteral("refresh_token")).toString();
    r.tokenType = o.value(QStringLiteral("token_type")).toString();
    r.scope = o.value(QStringLiteral("scope")).toString();
    const int expiresIn = o.value(QStringLiteral("expires_in")).toInt(0);
    if (expiresIn > 0)
        r.accessTokenExpiresAt = now.addSecs(expiresIn);
    if (r.idToken.isEmpty()) {
        *error = UserError::make(QStringLiteral("oidc.token.no_id_token"),
                                 tr("The sign-in provider returned no ID token"),
                                 tr("The scope must include \"openid\""),
                                 tr("Add openid to the profile's scopes"));
        return r;
    }
    *error = {};
    return r;
}

void TokenResponse::wipe()
{
    wipeString(idToken);
    wipeString(accessToken);
    wipeString(refreshToken);
}

} // namespace fedsync

#include "oidc/jwt.h"

#include "oidc/base64url.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>

namespace fedsync {

namespace {

UserError malformed(const char *check, const QString &why)
{
    return UserError::make(
        QStringLiteral("oidc.jwt.") + QLatin1String(check), Jwt::tr("The token could not be read."), why,
        Jwt::tr("Sign in again. If this keeps happening, the sign-in server is not sending a "
                "valid token; contact its administrator."));
}

std::optional<QJsonObject> decodeObject(QByteArrayView part, const QString &name, UserError *error)
{
    const std::optional<QByteArray> json = Base64Url::decode(part);
    if (!json) {
        *error = malformed("base64", Jwt::tr("Its %1 is not valid base64url.").arg(name));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(*json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error =
            malformed("json", Jwt::tr("Its %1 is not valid JSON (%2).").arg(name, parseError.errorString()));
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = malformed("json", Jwt::tr("Its %1 is JSON but not a JSON object.").arg(name));
        return std::nullopt;
    }
    return document.object();
}

} // namespace

std::optional<Jwt> Jwt::parse(QStringView compact, UserError *error)
{
    Q_ASSERT(error);
    if (compact.isEmpty()) {
        *error = malformed("empty", Jwt::tr("It is empty."));
        return std::nullopt;
    }
    if (compact.size() > MaxSize) {
        *error = malformed(
            "size",
            Jwt::tr("It is %1 characters long; at most %2 are accepted.").arg(compact.size()).arg(MaxSize));
        return std::nullopt;
    }
    for (const QChar c : compact) {
        if (c.unicode() > 0x7F) {
            *error = malformed("base64", Jwt::tr("It contains characters that are not base64url."));
            return std::nullopt;
        }
    }
    const QByteArray ascii = compact.toLatin1();
    const QList<QByteArray> parts = ascii.split('.');
    if (parts.size() != 3) {
        // Five parts is an encrypted token (JWE), which Auth0 does not issue as an ID token.
        *error = malformed("parts",
                           Jwt::tr("It has %1 dot-separated parts; a signed JWT has 3.").arg(parts.size()));
        return std::nullopt;
    }

    Jwt jwt;
    const std::optional<QJsonObject> header = decodeObject(parts[0], Jwt::tr("header"), error);
    if (!header)
        return std::nullopt;
    const std::optional<QJsonObject> payload = decodeObject(parts[1], Jwt::tr("payload"), error);
    if (!payload)
        return std::nullopt;
    const std::optional<QByteArray> signature = Base64Url::decode(QByteArrayView(parts[2]));
    if (!signature) {
        *error = malformed("base64", Jwt::tr("Its signature is not valid base64url."));
        return std::nullopt;
    }
    jwt.m_header = *header;
    jwt.m_payload = *payload;
    jwt.m_signingInput = parts[0] + '.' + parts[1];
    jwt.m_signature = *signature;
    return jwt;
}

QString Jwt::algorithm() const
{
    return m_header.value(QLatin1String("alg")).toString();
}

QString Jwt::keyId() const
{
    return m_header.value(QLatin1String("kid")).toString();
}

} // namespace fedsync

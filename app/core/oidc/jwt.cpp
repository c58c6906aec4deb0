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

// `name` is translated only when the part is damaged: a valid token costs no translation lookup.
std::optional<QJsonObject> decodeObject(QByteArrayView part, const char *name, UserError *error)
{
    const std::optional<QByteArray> json = Base64Url::decode(part);
    if (!json) {
        *error = malformed("base64", Jwt::tr("Its %1 is not valid base64url.").arg(Jwt::tr(name)));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(*json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = malformed(
            "json", Jwt::tr("Its %1 is not valid JSON (%2).").arg(Jwt::tr(name), parseError.errorString()));
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = malformed("json", Jwt::tr("Its %1 is JSON but not a JSON object.").arg(Jwt::tr(name)));
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
    // The parts as views into `ascii`: no copy of a part is made until it is decoded.
    const qsizetype firstDot = ascii.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : ascii.indexOf('.', firstDot + 1);
    if (firstDot < 0 || secondDot < 0 || ascii.indexOf('.', secondDot + 1) >= 0) {
        // Five parts is an encrypted token (JWE), which Auth0 does not issue as an ID token.
        *error = malformed(
            "parts", Jwt::tr("It has %1 dot-separated parts; a signed JWT has 3.").arg(ascii.count('.') + 1));
        return std::nullopt;
    }
    const QByteArrayView whole(ascii);
    const QByteArrayView headerPart = whole.first(firstDot);
    const QByteArrayView payloadPart = whole.sliced(firstDot + 1, secondDot - firstDot - 1);
    const QByteArrayView signaturePart = whole.sliced(secondDot + 1);

    Jwt jwt;
    std::optional<QJsonObject> header = decodeObject(headerPart, QT_TR_NOOP("header"), error);
    if (!header)
        return std::nullopt;
    std::optional<QJsonObject> payload = decodeObject(payloadPart, QT_TR_NOOP("payload"), error);
    if (!payload)
        return std::nullopt;
    std::optional<QByteArray> signature = Base64Url::decode(signaturePart);
    if (!signature) {
        *error = malformed("base64", Jwt::tr("Its signature is not valid base64url."));
        return std::nullopt;
    }
    jwt.m_header = std::move(*header);
    jwt.m_payload = std::move(*payload);
    jwt.m_signingInput = ascii.left(secondDot);
    jwt.m_signature = std::move(*signature);
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

#include "oidc/jwt.h"

#include "common/jsonobjectmembers.h"
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

// The part's JSON and the values of `names` in it, or std::nullopt with *error set. `name` is translated
// only when the part is damaged: a valid token costs no translation lookup.
std::optional<QByteArray> decodeObject(QByteArrayView part, const char *name,
                                       std::initializer_list<QLatin1String> names, QList<JsonMember> *values,
                                       UserError *error)
{
    std::optional<QByteArray> json = Base64Url::decode(part);
    if (!json) {
        *error = malformed("base64", Jwt::tr("Its %1 is not valid base64url.").arg(Jwt::tr(name)));
        return std::nullopt;
    }
    QJsonParseError parseError;
    std::optional<QList<JsonMember>> read = JsonObjectMembers::read(*json, names, &parseError);
    if (!read) {
        *error =
            parseError.error != QJsonParseError::NoError
                ? malformed(
                      "json",
                      Jwt::tr("Its %1 is not valid JSON (%2).").arg(Jwt::tr(name), parseError.errorString()))
                : malformed("json", Jwt::tr("Its %1 is JSON but not a JSON object.").arg(Jwt::tr(name)));
        return std::nullopt;
    }
    *values = std::move(*read);
    return json;
}

QJsonObject objectOf(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

std::optional<Jwt> Jwt::parse(QStringView compact, UserError *error,
                              std::initializer_list<QLatin1String> claims)
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
    char16_t any = 0; // every character OR-ed: one test, and a loop the compiler vectorizes
    const char16_t *const units = compact.utf16();
    for (qsizetype i = 0; i < compact.size(); ++i)
        any |= units[i];
    if (any > 0x7F) {
        *error = malformed("base64", Jwt::tr("It contains characters that are not base64url."));
        return std::nullopt;
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
    QList<JsonMember> header;
    std::optional<QByteArray> headerJson =
        decodeObject(headerPart, QT_TR_NOOP("header"),
                     {QLatin1String("alg"), QLatin1String("kid"), QLatin1String("crit")}, &header, error);
    if (!headerJson)
        return std::nullopt;
    std::optional<QByteArray> payloadJson =
        decodeObject(payloadPart, QT_TR_NOOP("payload"), claims, &jwt.m_claims, error);
    if (!payloadJson)
        return std::nullopt;
    std::optional<QByteArray> signature = Base64Url::decode(signaturePart);
    if (!signature) {
        *error = malformed("base64", Jwt::tr("Its signature is not valid base64url."));
        return std::nullopt;
    }
    jwt.m_headerJson = std::move(*headerJson);
    jwt.m_payloadJson = std::move(*payloadJson);
    jwt.m_algorithm = header.at(0).toString();
    jwt.m_keyId = header.at(1).toString();
    jwt.m_critical = !header.at(2).isUndefined();
    jwt.m_signingInput = ascii.left(secondDot);
    jwt.m_signature = std::move(*signature);
    return jwt;
}

QJsonObject Jwt::header() const
{
    return objectOf(m_headerJson);
}

QJsonObject Jwt::payload() const
{
    return objectOf(m_payloadJson);
}

} // namespace fedsync

// A compact JWS (a signed JWT) taken apart: its header and payload (JSON objects), the exact bytes that
// were signed, and the signature. Parsing checks only the shape; whether the token can be trusted is
// decided by IdTokenValidator.
#pragma once

#include "common/jsonobjectmembers.h"
#include "common/usererror.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QLatin1String>
#include <QList>
#include <QString>

#include <initializer_list>
#include <optional>

namespace fedsync {

class Jwt final
{
    Q_DECLARE_TR_FUNCTIONS(Jwt)

public:
    // Auth0 ID tokens are around 1 KiB; anything this large is not one, and is not worth decoding.
    static constexpr qsizetype MaxSize = 64 * 1024;

    // The token, or std::nullopt with *error set (codes "oidc.jwt.<check>"). Never puts the token itself
    // into the error. `claims` names the payload's members the caller reads (claim(i) gives the i-th, as
    // payload().value() would), so that reading them costs no JSON document.
    static std::optional<Jwt> parse(QStringView compact, UserError *error,
                                    std::initializer_list<QLatin1String> claims = {});

    // The whole header and payload, read on demand.
    QJsonObject header() const;
    QJsonObject payload() const;
    // The payload's JSON as it was signed (after base64url decoding).
    const QByteArray &payloadJson() const { return m_payloadJson; }
    // The value of the i-th name parse() was given (Undefined when the payload has no such member).
    const JsonMember &claim(qsizetype i) const { return m_claims.at(i); }
    // "alg" and "kid" from the header; empty when absent or not strings.
    QString algorithm() const { return m_algorithm; }
    QString keyId() const { return m_keyId; }
    // Whether the header has a "crit" member (whatever its value).
    bool hasCriticalHeader() const { return m_critical; }
    // ASCII "<header>.<payload>" exactly as received: what the signature covers.
    const QByteArray &signingInput() const { return m_signingInput; }
    const QByteArray &signature() const { return m_signature; }

private:
    Jwt() = default;

    QByteArray m_headerJson;
    QByteArray m_payloadJson;
    QList<JsonMember> m_claims;
    QString m_algorithm;
    QString m_keyId;
    bool m_critical = false;
    QByteArray m_signingInput;
    QByteArray m_signature;
};

} // namespace fedsync

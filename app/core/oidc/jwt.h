// A compact JWS (a signed JWT) taken apart: its header and payload as JSON objects, the exact bytes that
// were signed, and the signature. Parsing checks only the shape; whether the token can be trusted is
// decided by IdTokenValidator.
#pragma once

#include "common/usererror.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace fedsync {

class Jwt final
{
    Q_DECLARE_TR_FUNCTIONS(Jwt)

public:
    // Auth0 ID tokens are around 1 KiB; anything this large is not one, and is not worth decoding.
    static constexpr qsizetype MaxSize = 64 * 1024;

    // The token, or std::nullopt with *error set (codes "oidc.jwt.<check>"). Never puts the token itself
    // into the error.
    static std::optional<Jwt> parse(QStringView compact, UserError *error);

    const QJsonObject &header() const { return m_header; }
    const QJsonObject &payload() const { return m_payload; }
    // "alg" and "kid" from the header; empty when absent or not strings.
    QString algorithm() const;
    QString keyId() const;
    // ASCII "<header>.<payload>" exactly as received: what the signature covers.
    const QByteArray &signingInput() const { return m_signingInput; }
    const QByteArray &signature() const { return m_signature; }

private:
    Jwt() = default;

    QJsonObject m_header;
    QJsonObject m_payload;
    QByteArray m_signingInput;
    QByteArray m_signature;
};

} // namespace fedsync

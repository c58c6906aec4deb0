// Test-only signer for the oidc tests: RSA keys generated at test time, their JWK/JWKS JSON, and compact
// JWS tokens signed RS256, HS256 or not at all, with any header and payload, including invalid ones.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <vector>

struct evp_pkey_st;

namespace fedsync::test {

class TestKey final
{
public:
    // A fresh RSA key pair (e = 65537); fails the test run when OpenSSL cannot make one.
    static TestKey generate(const QString &kid, int bits = 2048);

    const QString &kid() const { return m_kid; }
    // {"kty":"RSA","kid":…,"use":"sig","alg":"RS256","n":…,"e":…}
    QJsonObject jwk() const;
    // Signs signingInput with RSASSA-PKCS1-v1_5 / SHA-256.
    QByteArray signRs256(const QByteArray &signingInput) const;

private:
    struct Free
    {
        void operator()(evp_pkey_st *key) const;
    };
    QString m_kid;
    std::shared_ptr<evp_pkey_st> m_key;
};

class TestTokenFactory final
{
public:
    static QByteArray jwks(const std::vector<const TestKey *> &keys);
    static QByteArray jwksOf(const std::vector<QJsonObject> &jwks);

    // header.payload.signature from the JSON given, verbatim (no "alg"/"kid" added).
    static QString signRs256(const QJsonObject &header, const QJsonObject &payload, const TestKey &key);
    static QString signHs256(const QJsonObject &header, const QJsonObject &payload, const QByteArray &secret);
    static QString unsignedToken(const QJsonObject &header, const QJsonObject &payload);
    // Joins raw parts, base64url-encoding none of them.
    static QString compact(const QByteArray &header, const QByteArray &payload, const QByteArray &signature);
    static QByteArray encodeJson(const QJsonObject &object);
};

} // namespace fedsync::test

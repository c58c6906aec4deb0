// The signing keys of an OpenID provider (its JWKS, https://{domain}/.well-known/jwks.json) as OpenSSL
// keys, and RS256 verification against them. Keys Fedsync cannot use (not RSA, not for signatures, not
// RS256, shorter than 2048 bits) are set aside with the reason, so that a token signed by one of them
// gets a precise error instead of "unknown key".
#pragma once

#include "common/usererror.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

struct evp_pkey_st;     // OpenSSL's EVP_PKEY, kept out of this header
struct evp_pkey_ctx_st; // and its EVP_PKEY_CTX

namespace fedsync {

class Jwks final
{
    Q_DECLARE_TR_FUNCTIONS(Jwks)

public:
    static constexpr int MinRsaBits = 2048;
    // Verifying with a huge modulus costs seconds of CPU; no provider uses more than 4096.
    static constexpr int MaxRsaBits = 16384;

    struct EvpPkeyDeleter
    {
        void operator()(evp_pkey_st *key) const;
    };
    using EvpPkeyPtr = std::unique_ptr<evp_pkey_st, EvpPkeyDeleter>;
    struct EvpPkeyCtxDeleter
    {
        void operator()(evp_pkey_ctx_st *context) const;
    };
    using EvpPkeyCtxPtr = std::unique_ptr<evp_pkey_ctx_st, EvpPkeyCtxDeleter>;

    struct Key
    {
        QString kid; // may be empty: such a key is only used when it is the only one
        QString use; // "sig" or empty
        QString alg; // "RS256" or empty
        int bits = 0;
        EvpPkeyPtr publicKey;
        // Set up on first use and kept: OpenSSL 3 looks algorithms up by name on every fresh
        // context, which costs as much as the RSA verification itself.
        mutable EvpPkeyCtxPtr verifier;

        // RSASSA-PKCS1-v1_5 with SHA-256 over signingInput.
        bool verifyRs256(QByteArrayView signingInput, QByteArrayView signature) const;
    };

    Jwks();
    ~Jwks();
    Jwks(Jwks &&) noexcept;
    Jwks &operator=(Jwks &&) noexcept;
    Jwks(const Jwks &) = delete;
    Jwks &operator=(const Jwks &) = delete;

    // The key set, or std::nullopt with *error set ("oidc.jwks.<check>") when the document is not a
    // JWKS or holds no usable key.
    static std::optional<Jwks> parse(const QByteArray &json, UserError *error);
    static std::optional<Jwks> fromJson(const QJsonObject &document, UserError *error);

    // Usable keys only.
    qsizetype size() const { return qsizetype(m_keys.size()); }
    bool isEmpty() const { return m_keys.empty(); }
    QStringList keyIds() const;
    const Key *find(QStringView kid) const;
    // The key to use for a token without "kid": only defined when the set holds exactly one key.
    const Key *onlyKey() const;
    // Why a key with this kid was set aside; empty when no such key was set aside.
    QString rejectionReason(QStringView kid) const;

private:
    std::vector<Key> m_keys;
    QHash<QString, QString> m_rejected; // kid -> reason
};

} // namespace fedsync

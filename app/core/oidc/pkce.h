// Proof Key for Code Exchange (RFC 7636) with the S256 method, and the random values of a sign-in
// (state, nonce). Everything comes from OpenSSL's CSPRNG; when it fails there is no fallback, because a
// guessable verifier or state is worse than no sign-in.
#pragma once

#include <QString>

#include <optional>

namespace fedsync {

class Pkce final
{
public:
    static constexpr int MinVerifierLength = 43;
    static constexpr int MaxVerifierLength = 128;

    // A fresh verifier (43 characters: 32 random bytes, base64url) and its S256 challenge;
    // std::nullopt when the random generator fails.
    static std::optional<Pkce> generate();
    // For a verifier kept from an earlier step; std::nullopt when it is not a valid RFC 7636 verifier.
    static std::optional<Pkce> fromVerifier(const QString &verifier);

    // base64url (unpadded) of `bytes` random bytes, e.g. 32 bytes for state and nonce; std::nullopt when
    // the random generator fails or bytes is not positive.
    static std::optional<QString> randomUrlSafe(int bytes);
    // BASE64URL(SHA256(ASCII(verifier))), RFC 7636 §4.2.
    static QString challengeS256(const QString &verifier);
    // 43 to 128 characters of [A-Za-z0-9-._~], RFC 7636 §4.1.
    static bool isValidVerifier(const QString &verifier);

    const QString &verifier() const { return m_verifier; }
    const QString &challenge() const { return m_challenge; }
    static QString method() { return QStringLiteral("S256"); }

private:
    Pkce(QString verifier, QString challenge);

    QString m_verifier;
    QString m_challenge;
};

} // namespace fedsync

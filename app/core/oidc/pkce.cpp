#include "oidc/pkce.h"

#include "oidc/base64url.h"

#include <QCryptographicHash>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

namespace fedsync {

Pkce::Pkce(QString verifier, QString challenge)
    : m_verifier(std::move(verifier))
    , m_challenge(std::move(challenge))
{}

std::optional<Pkce> Pkce::generate()
{
    std::optional<QString> verifier = randomUrlSafe(32);
    if (!verifier)
        return std::nullopt;
    return fromVerifier(*verifier);
}

std::optional<Pkce> Pkce::fromVerifier(const QString &verifier)
{
    if (!isValidVerifier(verifier))
        return std::nullopt;
    return Pkce(verifier, challengeS256(verifier));
}

std::optional<QString> Pkce::randomUrlSafe(int bytes)
{
    if (bytes <= 0)
        return std::nullopt;
    QByteArray buffer(bytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(buffer.data()), bytes) != 1) {
        ERR_clear_error();
        return std::nullopt;
    }
    const QString encoded = QString::fromLatin1(Base64Url::encode(buffer));
    OPENSSL_cleanse(buffer.data(), std::size_t(buffer.size()));
    return encoded;
}

QString Pkce::challengeS256(const QString &verifier)
{
    const QByteArray digest = QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256);
    return QString::fromLatin1(Base64Url::encode(digest));
}

bool Pkce::isValidVerifier(const QString &verifier)
{
    if (verifier.size() < MinVerifierLength || verifier.size() > MaxVerifierLength)
        return false;
    for (const QChar c : verifier) {
        const char16_t u = c.unicode();
        const bool unreserved = (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z') ||
                                (u >= u'0' && u <= u'9') || u == u'-' || u == u'.' || u == u'_' || u == u'~';
        if (!unreserved)
            return false;
    }
    return true;
}

} // namespace fedsync

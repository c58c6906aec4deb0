#include "testtokenfactory.h"

#include "oidc/base64url.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>

namespace fedsync::test {

namespace {

const unsigned char *bytes(const QByteArray &data)
{
    return reinterpret_cast<const unsigned char *>(data.constData());
}

QByteArray bignumParam(EVP_PKEY *key, const char *name)
{
    BIGNUM *bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1)
        qFatal("EVP_PKEY_get_bn_param failed");
    QByteArray out(BN_num_bytes(bn), Qt::Uninitialized);
    BN_bn2bin(bn, reinterpret_cast<unsigned char *>(out.data()));
    BN_free(bn);
    return out;
}

} // namespace

void TestKey::Free::operator()(evp_pkey_st *key) const
{
    EVP_PKEY_free(key);
}

TestKey TestKey::generate(const QString &kid, int bits)
{
    TestKey key;
    key.m_kid = kid;
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits));
    if (!pkey)
        qFatal("EVP_PKEY_Q_keygen failed");
    key.m_key.reset(pkey, Free{});
    return key;
}

QJsonObject TestKey::jwk() const
{
    QJsonObject jwk{
        {QStringLiteral("kty"), QStringLiteral("RSA")},
        {QStringLiteral("use"), QStringLiteral("sig")},
        {QStringLiteral("alg"), QStringLiteral("RS256")},
        {QStringLiteral("n"),
         QString::fromLatin1(Base64Url::encode(bignumParam(m_key.get(), OSSL_PKEY_PARAM_RSA_N)))},
        {QStringLiteral("e"),
         QString::fromLatin1(Base64Url::encode(bignumParam(m_key.get(), OSSL_PKEY_PARAM_RSA_E)))},
    };
    if (!m_kid.isEmpty())
        jwk.insert(QStringLiteral("kid"), m_kid);
    return jwk;
}

QByteArray TestKey::signRs256(const QByteArray &signingInput) const
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    std::size_t length = 0;
    if (EVP_DigestSignInit_ex(ctx, nullptr, "SHA256", nullptr, nullptr, m_key.get(), nullptr) != 1 ||
        EVP_DigestSign(ctx, nullptr, &length, bytes(signingInput), std::size_t(signingInput.size())) != 1)
        qFatal("EVP_DigestSignInit failed");
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(signature.data()), &length, bytes(signingInput),
                       std::size_t(signingInput.size())) != 1)
        qFatal("EVP_DigestSign failed");
    EVP_MD_CTX_free(ctx);
    signature.resize(qsizetype(length));
    return signature;
}

QByteArray TestTokenFactory::jwks(const std::vector<const TestKey *> &keys)
{
    std::vector<QJsonObject> jwks;
    for (const TestKey *key : keys)
        jwks.push_back(key->jwk());
    return jwksOf(jwks);
}

QByteArray TestTokenFactory::jwksOf(const std::vector<QJsonObject> &jwks)
{
    QJsonArray keys;
    for (const QJsonObject &jwk : jwks)
        keys.append(jwk);
    return QJsonDocument(QJsonObject{{QStringLiteral("keys"), keys}}).toJson(QJsonDocument::Compact);
}

QByteArray TestTokenFactory::encodeJson(const QJsonObject &object)
{
    return Base64Url::encode(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString TestTokenFactory::signRs256(const QJsonObject &header, const QJsonObject &payload, const TestKey &key)
{
    const QByteArray input = encodeJson(header) + '.' + encodeJson(payload);
    return QString::fromLatin1(input + '.' + Base64Url::encode(key.signRs256(input)));
}

QString TestTokenFactory::signHs256(const QJsonObject &header, const QJsonObject &payload,
                                    const QByteArray &secret)
{
    const QByteArray input = encodeJson(header) + '.' + encodeJson(payload);
    unsigned char mac[EVP_MAX_MD_SIZE];
    std::size_t length = 0;
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.constData(),
                   std::size_t(secret.size()), bytes(input), std::size_t(input.size()), mac, sizeof mac,
                   &length))
        qFatal("EVP_Q_mac failed");
    const QByteArray signature(reinterpret_cast<const char *>(mac), qsizetype(length));
    return QString::fromLatin1(input + '.' + Base64Url::encode(signature));
}

QString TestTokenFactory::unsignedToken(const QJsonObject &header, const QJsonObject &payload)
{
    return QString::fromLatin1(encodeJson(header) + '.' + encodeJson(payload) + '.');
}

QString TestTokenFactory::compact(const QByteArray &header, const QByteArray &payload,
                                  const QByteArray &signature)
{
    return QString::fromLatin1(header + '.' + payload + '.' + signature);
}

} // namespace fedsync::test

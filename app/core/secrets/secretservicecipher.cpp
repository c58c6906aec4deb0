#include "secrets/secretservicecipher.h"

#include "common/opensslfree.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <memory>

namespace fedsync {

namespace {

constexpr int groupBytes = 128; // 1024 bits
constexpr int keyBytes = 16;    // AES-128
constexpr int ivBytes = 16;

using Bn = std::unique_ptr<BIGNUM, OpenSslFree<BN_clear_free>>;
using BnCtx = std::unique_ptr<BN_CTX, OpenSslFree<BN_CTX_free>>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, OpenSslFree<EVP_CIPHER_CTX_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, OpenSslFree<EVP_PKEY_CTX_free>>;

Bn prime()
{
    return Bn(BN_get_rfc2409_prime_1024(nullptr)); // the Second Oakley Group, generator 2
}

Bn fromBytes(const QByteArray &bytes)
{
    return Bn(
        BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.constData()), int(bytes.size()), nullptr));
}

QByteArray toBytes(const BIGNUM *bn)
{
    QByteArray bytes(groupBytes, '\0');
    if (BN_bn2binpad(bn, reinterpret_cast<unsigned char *>(bytes.data()), groupBytes) != groupBytes)
        return {};
    return bytes;
}

void wipe(QByteArray &bytes)
{
    if (!bytes.isEmpty())
        OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    bytes.clear();
}

// HKDF-SHA256 (RFC 5869) with an empty salt and empty info, as the specification's algorithm name says.
QByteArray hkdfSha256(const QByteArray &secret)
{
    PkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
    QByteArray key(keyBytes, '\0');
    size_t length = keyBytes;
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 ||
        EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) <= 0 ||
        EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), reinterpret_cast<const unsigned char *>(secret.constData()),
                                   int(secret.size())) <= 0 ||
        EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char *>(key.data()), &length) <= 0 ||
        length != keyBytes)
        return {};
    return key;
}

} // namespace

SecretServiceCipher::SecretServiceCipher()
{
    BnCtx ctx(BN_CTX_new());
    const Bn p = prime();
    Bn range(BN_new());
    Bn exponent(BN_new());
    Bn generator(BN_new());
    Bn pub(BN_new());
    // The private exponent is uniform in [2, p - 2].
    if (!ctx || !p || !range || !exponent || !generator || !pub || !BN_copy(range.get(), p.get()) ||
        !BN_sub_word(range.get(), 3) || !BN_priv_rand_range(exponent.get(), range.get()) ||
        !BN_add_word(exponent.get(), 2) || !BN_set_word(generator.get(), 2) ||
        !BN_mod_exp(pub.get(), generator.get(), exponent.get(), p.get(), ctx.get()))
        return;
    m_privateKey = toBytes(exponent.get());
    m_publicKey = toBytes(pub.get());
    if (m_privateKey.isEmpty())
        m_publicKey.clear();
}

SecretServiceCipher::~SecretServiceCipher()
{
    wipe(m_privateKey);
    wipe(m_key);
}

bool SecretServiceCipher::agree(const QByteArray &peerPublicKey)
{
    wipe(m_key);
    if (m_privateKey.isEmpty() || peerPublicKey.isEmpty() || peerPublicKey.size() > groupBytes + 1)
        return false;
    BnCtx ctx(BN_CTX_new());
    const Bn p = prime();
    const Bn peer = fromBytes(peerPublicKey);
    const Bn exponent = fromBytes(m_privateKey);
    Bn upper(BN_new());
    Bn shared(BN_new());
    if (!ctx || !p || !peer || !exponent || !upper || !shared || !BN_copy(upper.get(), p.get()) ||
        !BN_sub_word(upper.get(), 1))
        return false;
    // 2 <= peer <= p - 2: 0, 1 and p - 1 would make the shared secret guessable.
    if (BN_cmp(peer.get(), BN_value_one()) <= 0 || BN_cmp(peer.get(), upper.get()) >= 0)
        return false;
    if (!BN_mod_exp(shared.get(), peer.get(), exponent.get(), p.get(), ctx.get()))
        return false;
    QByteArray secret = toBytes(shared.get()); // padded to the group's size, as gnome-keyring does
    if (secret.isEmpty())
        return false;
    m_key = hkdfSha256(secret);
    wipe(secret);
    return hasKey();
}

std::optional<SecretServiceCipher::Sealed> SecretServiceCipher::seal(const QByteArray &plaintext) const
{
    if (!hasKey())
        return std::nullopt;
    Sealed sealed;
    sealed.iv.resize(ivBytes);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(sealed.iv.data()), ivBytes) != 1)
        return std::nullopt;
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    sealed.ciphertext.resize(plaintext.size() + ivBytes);
    auto *out = reinterpret_cast<unsigned char *>(sealed.ciphertext.data());
    int written = 0;
    int last = 0;
    if (!ctx ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr,
                           reinterpret_cast<const unsigned char *>(m_key.constData()),
                           reinterpret_cast<const unsigned char *>(sealed.iv.constData())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out, &written,
                          reinterpret_cast<const unsigned char *>(plaintext.constData()),
                          int(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out + written, &last) != 1)
        return std::nullopt;
    sealed.ciphertext.resize(written + last);
    return sealed;
}

std::optional<QByteArray> SecretServiceCipher::open(const QByteArray &iv, const QByteArray &ciphertext) const
{
    if (!hasKey() || iv.size() != ivBytes || ciphertext.isEmpty() || ciphertext.size() % ivBytes != 0)
        return std::nullopt;
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    QByteArray plaintext(ciphertext.size(), '\0');
    auto *out = reinterpret_cast<unsigned char *>(plaintext.data());
    int written = 0;
    int last = 0;
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr,
                           reinterpret_cast<const unsigned char *>(m_key.constData()),
                           reinterpret_cast<const unsigned char *>(iv.constData())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), out, &written,
                          reinterpret_cast<const unsigned char *>(ciphertext.constData()),
                          int(ciphertext.size())) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), out + written, &last) != 1) {
        wipe(plaintext);
        return std::nullopt;
    }
    plaintext.resize(written + last);
    return plaintext;
}

} // namespace fedsync

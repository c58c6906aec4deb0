#include "oidc/jwks.h"

#include "common/opensslfree.h"
#include "log/logcategories.h"
#include "oidc/base64url.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

namespace fedsync {

namespace {

using BignumPtr = std::unique_ptr<BIGNUM, OpenSslFree<BN_free>>;
using ParamBuildPtr = std::unique_ptr<OSSL_PARAM_BLD, OpenSslFree<OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, OpenSslFree<OSSL_PARAM_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslFree<EVP_PKEY_CTX_free>>;

const unsigned char *bytes(QByteArrayView data)
{
    return reinterpret_cast<const unsigned char *>(data.data());
}

BignumPtr toBignum(const QByteArray &bigEndian)
{
    return BignumPtr(BN_bin2bn(bytes(bigEndian), int(bigEndian.size()), nullptr));
}

Jwks::EvpPkeyPtr rsaPublicKey(const QByteArray &modulus, const QByteArray &exponent)
{
    const BignumPtr n = toBignum(modulus);
    const BignumPtr e = toBignum(exponent);
    const ParamBuildPtr builder(OSSL_PARAM_BLD_new());
    if (!n || !e || !builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
        return {};
    const ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
    const PkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1)
        return {};
    EVP_PKEY *key = nullptr;
    if (EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return {};
    return Jwks::EvpPkeyPtr(key);
}

// RFC 7518 §6.3.1: unsigned big-endian, base64url. Exponents beyond 64 bits or even ones are not RSA
// keys anyone generates; refusing them keeps odd inputs away from OpenSSL.
bool plausibleExponent(const QByteArray &e)
{
    if (e.isEmpty() || e.size() > 8)
        return false;
    quint64 value = 0;
    for (const char c : e)
        value = (value << 8) | static_cast<unsigned char>(c);
    return value >= 3 && (value & 1) == 1;
}

UserError jwksError(const char *check, const QString &why)
{
    return UserError::make(QStringLiteral("oidc.jwks.") + QLatin1String(check),
                           Jwks::tr("The sign-in server's signing keys could not be read."), why,
                           Jwks::tr("Check the Auth0 domain in the profile, then try again. If it is "
                                    "correct, the tenant's key set is damaged; contact its administrator."));
}

} // namespace

void Jwks::EvpPkeyDeleter::operator()(evp_pkey_st *key) const
{
    EVP_PKEY_free(key);
}

void Jwks::EvpPkeyCtxDeleter::operator()(evp_pkey_ctx_st *context) const
{
    EVP_PKEY_CTX_free(context);
}

bool Jwks::Key::verifyRs256(QByteArrayView signingInput, QByteArrayView signature) const
{
    if (!publicKey || signature.isEmpty() || signature.size() != EVP_PKEY_get_size(publicKey.get()))
        return false;
    // SHA-256 fetched once per process; the verification context once per key (padding and digest set).
    static EVP_MD *const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (!sha256)
        return false;
    if (!verifier) {
        EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_pkey(nullptr, publicKey.get(), nullptr));
        if (context && EVP_PKEY_verify_init(context.get()) == 1 &&
            EVP_PKEY_CTX_set_rsa_padding(context.get(), RSA_PKCS1_PADDING) == 1 &&
            EVP_PKEY_CTX_set_signature_md(context.get(), sha256) == 1)
            verifier = std::move(context);
    }
    // One digest context per thread, reset for each token: OpenSSL then keeps SHA-256's provider state
    // instead of making and freeing it for every verification.
    static thread_local const std::unique_ptr<EVP_MD_CTX, OpenSslFree<EVP_MD_CTX_free>> hashing(EVP_MD_CTX_new());
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    const bool verified =
        verifier && hashing && EVP_DigestInit_ex2(hashing.get(), sha256, nullptr) == 1 &&
        EVP_DigestUpdate(hashing.get(), signingInput.data(), std::size_t(signingInput.size())) == 1 &&
        EVP_DigestFinal_ex(hashing.get(), digest, &digestLength) == 1 &&
        EVP_PKEY_verify(verifier.get(), bytes(signature), std::size_t(signature.size()), digest,
                        digestLength) == 1;
    // A failed verification leaves entries in OpenSSL's thread-wide queue; other code must not see them.
    if (!verified)
        ERR_clear_error();
    return verified;
}

Jwks::Jwks() = default;
Jwks::~Jwks() = default;
Jwks::Jwks(Jwks &&) noexcept = default;
Jwks &Jwks::operator=(Jwks &&) noexcept = default;

std::optional<Jwks> Jwks::parse(const QByteArray &json, UserError *error)
{
    Q_ASSERT(error);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = jwksError("json", tr("The key set is not valid JSON (%1).").arg(parseError.errorString()));
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = jwksError("json", tr("The key set is JSON but not a JSON object."));
        return std::nullopt;
    }
    return fromJson(document.object(), error);
}

std::optional<Jwks> Jwks::fromJson(const QJsonObject &document, UserError *error)
{
    Q_ASSERT(error);
    const QJsonValue keys = document.value(QLatin1String("keys"));
    if (!keys.isArray()) {
        *error = jwksError("keys", tr("The key set has no \"keys\" array."));
        return std::nullopt;
    }

    Jwks jwks;
    for (const QJsonValue &value : keys.toArray()) {
        const QJsonObject jwk = value.toObject();
        const QString kid = jwk.value(QLatin1String("kid")).toString();
        const QString kty = jwk.value(QLatin1String("kty")).toString();
        const QString use = jwk.value(QLatin1String("use")).toString();
        const QString alg = jwk.value(QLatin1String("alg")).toString();
        auto reject = [&](const QString &reason) {
            qCDebug(lcOidc) << "JWKS: key set aside:" << kid << reason;
            if (!jwks.m_rejected.contains(kid))
                jwks.m_rejected.insert(kid, reason);
        };

        if (!value.isObject()) {
            reject(tr("an entry of \"keys\" is not a JSON object"));
            continue;
        }
        if (kty != QLatin1String("RSA")) {
            reject(tr("key type \"%1\" is not RSA").arg(kty));
            continue;
        }
        if (!use.isEmpty() && use != QLatin1String("sig")) {
            reject(tr("key use \"%1\" is not \"sig\"").arg(use));
            continue;
        }
        if (!alg.isEmpty() && alg != QLatin1String("RS256")) {
            reject(tr("key algorithm \"%1\" is not RS256").arg(alg));
            continue;
        }
        if (!kid.isEmpty() && jwks.find(kid)) {
            reject(tr("a second key uses the same kid"));
            continue;
        }
        const std::optional<QByteArray> n = Base64Url::decode(jwk.value(QLatin1String("n")).toString());
        const std::optional<QByteArray> e = Base64Url::decode(jwk.value(QLatin1String("e")).toString());
        if (!n || n->isEmpty() || !e || !plausibleExponent(*e)) {
            reject(tr("its modulus \"n\" or exponent \"e\" is missing or invalid"));
            continue;
        }
        Key key{kid, use, alg, 0, rsaPublicKey(*n, *e), {}};
        ERR_clear_error();
        if (!key.publicKey) {
            reject(tr("OpenSSL refused it as an RSA public key"));
            continue;
        }
        key.bits = EVP_PKEY_get_bits(key.publicKey.get());
        if (key.bits < MinRsaBits || key.bits > MaxRsaBits) {
            reject(tr("it is a %1-bit RSA key; %2 to %3 bits are accepted")
                       .arg(key.bits)
                       .arg(MinRsaBits)
                       .arg(MaxRsaBits));
            continue;
        }
        jwks.m_keys.push_back(std::move(key));
    }

    if (jwks.m_keys.empty()) {
        QStringList reasons;
        for (auto it = jwks.m_rejected.cbegin(); it != jwks.m_rejected.cend(); ++it)
            reasons << (it.key().isEmpty() ? it.value() : QStringLiteral("%1: %2").arg(it.key(), it.value()));
        reasons.sort();
        *error = jwksError("no_usable_key",
                           reasons.isEmpty()
                               ? tr("The key set is empty.")
                               : tr("The key set holds no usable RS256 key (%1).").arg(reasons.join(u"; ")));
        return std::nullopt;
    }
    return jwks;
}

QStringList Jwks::keyIds() const
{
    QStringList ids;
    for (const Key &key : m_keys)
        ids << key.kid;
    return ids;
}

const Jwks::Key *Jwks::find(QStringView kid) const
{
    for (const Key &key : m_keys)
        if (key.kid == kid)
            return &key;
    return nullptr;
}

const Jwks::Key *Jwks::onlyKey() const
{
    return m_keys.size() == 1 ? &m_keys.front() : nullptr;
}

QString Jwks::rejectionReason(QStringView kid) const
{
    return m_rejected.value(kid.toString());
}

} // namespace fedsync

#include "aws/sigv4signer.h"

#include <QMap>
#include <QMutex>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>

namespace fedsync::aws {
namespace {

const QByteArray algorithm = QByteArrayLiteral("AWS4-HMAC-SHA256");

// OpenSSL 3's one-shot SHA256() and HMAC() look their algorithm up in the provider tables on every call,
// which costs more than hashing a request; the algorithms are fetched once here and kept for the process.
const EVP_MD *sha256Algorithm()
{
    static EVP_MD *const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
}

EVP_MAC *hmacAlgorithm()
{
    static EVP_MAC *const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return mac;
}

// Signing keys derived lately (per secret, day, region and service), as the AWS SDKs keep them: the four
// HMACs of the derivation are made once a day per service instead of at every request. In memory only;
// an evicted key is wiped.
class SigningKeyCache
{
public:
    QByteArray find(const QByteArray &id) const
    {
        QMutexLocker lock(&m_mutex);
        for (const Entry &entry : m_entries)
            if (entry.id == id)
                return entry.key;
        return {};
    }
    void insert(const QByteArray &id, const QByteArray &key)
    {
        QMutexLocker lock(&m_mutex);
        if (m_entries.size() >= Capacity) {
            Entry &oldest = m_entries.first();
            OPENSSL_cleanse(oldest.key.data(), size_t(oldest.key.size()));
            m_entries.removeFirst();
        }
        m_entries.append({id, key});
    }

private:
    static constexpr qsizetype Capacity = 8;
    struct Entry
    {
        QByteArray id; // SHA-256 of the secret, the day, the region and the service
        QByteArray key;
    };
    mutable QMutex m_mutex;
    QList<Entry> m_entries;
};

SigningKeyCache &signingKeys()
{
    static SigningKeyCache cache;
    return cache;
}

// Headers that proxies and the HTTP stack may change on the way: never signed.
bool isUnsignable(const QByteArray &lowerName)
{
    static const QList<QByteArray> skipped{"authorization",   "user-agent",        "expect",    "connection",
                                           "x-amzn-trace-id", "transfer-encoding", "keep-alive"};
    return skipped.contains(lowerName);
}

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

} // namespace

SigV4Signer::SigV4Signer(SigV4Credentials credentials, SigV4Options options)
    : m_credentials(std::move(credentials))
    , m_options(std::move(options))
{}

QByteArray SigV4Signer::uriEncode(const QByteArray &bytes, bool keepSlash)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(bytes.size() * 3);
    for (const char c : bytes) {
        if (isUnreserved(c) || (keepSlash && c == '/')) {
            out.append(c);
        } else {
            const auto u = static_cast<unsigned char>(c);
            out.append('%');
            out.append(hex[u >> 4]);
            out.append(hex[u & 0x0f]);
        }
    }
    return out;
}

QByteArray SigV4Signer::normalizePath(const QByteArray &path)
{
    QList<QByteArray> kept;
    const QList<QByteArray> segments = path.split('/');
    for (const QByteArray &segment : segments) {
        if (segment.isEmpty() || segment == ".")
            continue;
        if (segment == "..") {
            if (!kept.isEmpty())
                kept.removeLast();
            continue;
        }
        kept.append(segment);
    }
    QByteArray out = '/' + kept.join('/');
    // A trailing slash means "directory" and stays, unless the path collapsed to the root.
    if (!kept.isEmpty() && path.endsWith('/'))
        out.append('/');
    return out;
}

QByteArray SigV4Signer::canonicalPath(const QByteArray &path) const
{
    QByteArray p = path.isEmpty() ? QByteArrayLiteral("/") : path;
    if (m_options.normalizePath)
        p = normalizePath(p);
    if (m_options.doubleEncodePath)
        return uriEncode(p, true);
    return uriEncode(QByteArray::fromPercentEncoding(p), true);
}

QByteArray SigV4Signer::canonicalQuery(const QByteArray &query)
{
    QList<QPair<QByteArray, QByteArray>> pairs;
    const QList<QByteArray> parts = query.split('&');
    for (const QByteArray &part : parts) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        const QByteArray key = eq < 0 ? part : part.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : part.mid(eq + 1);
        pairs.append({uriEncode(QByteArray::fromPercentEncoding(key), false),
                      uriEncode(QByteArray::fromPercentEncoding(value), false)});
    }
    std::sort(pairs.begin(), pairs.end());
    QByteArray out;
    for (const auto &[key, value] : pairs) {
        if (!out.isEmpty())
            out.append('&');
        out.append(key).append('=').append(value);
    }
    return out;
}

QByteArray SigV4Signer::canonicalHeaderValue(const QByteArray &value)
{
    // Trim and collapse runs of white space (folded multi-line values included) into one space.
    return value.simplified();
}

QByteArray SigV4Signer::sha256Hex(const QByteArray &data)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    unsigned int length = 0;
    EVP_Digest(data.constData(), size_t(data.size()), digest, &length, sha256Algorithm(), nullptr);
    return QByteArray(reinterpret_cast<const char *>(digest), SHA256_DIGEST_LENGTH).toHex();
}

QByteArray SigV4Signer::hmacSha256(const QByteArray &key, const QByteArray &data)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t length = 0;
    char digestName[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digestName, 0),
                                 OSSL_PARAM_construct_end()};
    EVP_MAC_CTX *context = EVP_MAC_CTX_new(hmacAlgorithm());
    const bool ok = context &&
                    EVP_MAC_init(context, reinterpret_cast<const unsigned char *>(key.constData()),
                                 size_t(key.size()), params) == 1 &&
                    EVP_MAC_update(context, reinterpret_cast<const unsigned char *>(data.constData()),
                                   size_t(data.size())) == 1 &&
                    EVP_MAC_final(context, mac, &length, sizeof mac) == 1;
    EVP_MAC_CTX_free(context);
    if (!ok)
        return {}; // an empty signature: the service refuses the request
    QByteArray out(reinterpret_cast<const char *>(mac), qsizetype(length));
    OPENSSL_cleanse(mac, sizeof mac);
    return out;
}

QByteArray SigV4Signer::signingKey(const QByteArray &secretAccessKey, const QByteArray &date,
                                   const QString &region, const QString &service)
{
    QByteArray key = hmacSha256(QByteArrayLiteral("AWS4") + secretAccessKey, date);
    QByteArray next = hmacSha256(key, region.toUtf8());
    OPENSSL_cleanse(key.data(), size_t(key.size()));
    key = hmacSha256(next, service.toUtf8());
    OPENSSL_cleanse(next.data(), size_t(next.size()));
    next = hmacSha256(key, QByteArrayLiteral("aws4_request"));
    OPENSSL_cleanse(key.data(), size_t(key.size()));
    return next;
}

QByteArray SigV4Signer::amzDate(const QDateTime &now)
{
    return now.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
}

SigV4Result SigV4Signer::signHeaders(const SigV4Request &request, const QDateTime &now) const
{
    return sign(request, now, 0);
}

SigV4Result SigV4Signer::signHeaders(const SigV4Request &request, const QDateTime &now,
                                     const QByteArray &payloadHash) const
{
    return sign(request, now, 0, payloadHash);
}

SigV4Result SigV4Signer::presign(const SigV4Request &request, const QDateTime &now, int expiresSeconds) const
{
    return sign(request, now, std::max(1, expiresSeconds));
}

SigV4Result SigV4Signer::sign(const SigV4Request &request, const QDateTime &now, int presignExpires,
                              const QByteArray &knownPayloadHash) const
{
    const bool presigning = presignExpires > 0;
    const QByteArray date = amzDate(now);
    const QByteArray day = date.left(8);
    const QByteArray scope =
        day + '/' + m_options.region.toUtf8() + '/' + m_options.service.toUtf8() + "/aws4_request";
    const QByteArray payloadHash = knownPayloadHash.isEmpty() ? sha256Hex(request.body) : knownPayloadHash;
    const bool tokenSigned =
        !m_credentials.sessionToken.isEmpty() && !m_options.omitSessionTokenFromSignature;

    SigV4Result result;
    // Name -> values in the order given; QMap sorts the names as SigV4 wants.
    QMap<QByteArray, QList<QByteArray>> headers;
    for (const auto &[name, value] : request.headers) {
        const QByteArray lower = name.trimmed().toLower();
        if (!isUnsignable(lower))
            headers[lower].append(canonicalHeaderValue(value));
    }
    QByteArray query = request.query;
    if (presigning) {
        QByteArray added = "X-Amz-Algorithm=" + algorithm +
                           "&X-Amz-Credential=" + uriEncode(m_credentials.accessKeyId + '/' + scope, false) +
                           "&X-Amz-Date=" + date + "&X-Amz-Expires=" + QByteArray::number(presignExpires);
        if (tokenSigned)
            added += "&X-Amz-Security-Token=" + uriEncode(m_credentials.sessionToken, false);
        added += "&X-Amz-SignedHeaders=" +
                 uriEncode(QList<QByteArray>(headers.keyBegin(), headers.keyEnd()).join(';'), false);
        query = query.isEmpty() ? added : query + '&' + added;
    } else {
        headers[QByteArrayLiteral("x-amz-date")] = {date};
        result.headersToAdd.append({QByteArrayLiteral("X-Amz-Date"), date});
        if (m_options.signBody) {
            headers[QByteArrayLiteral("x-amz-content-sha256")] = {payloadHash};
            result.headersToAdd.append({QByteArrayLiteral("x-amz-content-sha256"), payloadHash});
        }
        if (tokenSigned)
            headers[QByteArrayLiteral("x-amz-security-token")] = {m_credentials.sessionToken};
    }

    QByteArray canonicalHeaders;
    QList<QByteArray> names;
    for (auto it = headers.cbegin(); it != headers.cend(); ++it) {
        canonicalHeaders += it.key() + ':' + it.value().join(',') + '\n';
        names.append(it.key());
    }
    const QByteArray signedHeaders = names.join(';');
    const QByteArray canonicalQueryString = canonicalQuery(query);

    result.canonicalRequest = request.method.toUpper() + '\n' + canonicalPath(request.path) + '\n' +
                              canonicalQueryString + '\n' + canonicalHeaders + '\n' + signedHeaders + '\n' +
                              payloadHash;
    result.stringToSign = algorithm + '\n' + date + '\n' + scope + '\n' + sha256Hex(result.canonicalRequest);
    const QByteArray keyId = sha256Hex(m_credentials.secretAccessKey) + '/' + scope;
    QByteArray key = signingKeys().find(keyId);
    if (key.isEmpty()) {
        key = signingKey(m_credentials.secretAccessKey, day, m_options.region, m_options.service);
        signingKeys().insert(keyId, key);
    }
    result.signature = hmacSha256(key, result.stringToSign).toHex();

    if (presigning) {
        result.presignedQuery = canonicalQueryString;
        if (!m_credentials.sessionToken.isEmpty() && !tokenSigned)
            result.presignedQuery += "&X-Amz-Security-Token=" + uriEncode(m_credentials.sessionToken, false);
        result.presignedQuery += "&X-Amz-Signature=" + result.signature;
    } else {
        if (!m_credentials.sessionToken.isEmpty())
            result.headersToAdd.append(
                {QByteArrayLiteral("X-Amz-Security-Token"), m_credentials.sessionToken});
        result.headersToAdd.append(
            {QByteArrayLiteral("Authorization"), algorithm + " Credential=" + m_credentials.accessKeyId +
                                                     '/' + scope + ", SignedHeaders=" + signedHeaders +
                                                     ", Signature=" + result.signature});
    }
    return result;
}

} // namespace fedsync::aws

// AWS Signature Version 4: signs a request with the Authorization header (or presigns it in the query
// string) from an access key, a secret key and an optional session token. Pure computation, no network;
// checked against AWS's official test suite (tests/unit/aws/tst_sigv4.cpp).
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

namespace fedsync::aws {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct SigV4Credentials
{
    QByteArray accessKeyId;
    QByteArray secretAccessKey;
    QByteArray sessionToken; // empty for long-term keys
};

struct SigV4Options
{
    QString region;
    QString service;
    // Remove "." and ".." segments and repeated slashes before signing (every service but S3).
    bool normalizePath = true;
    // Encode the path once more as it is signed (every service but S3). With false the path is only
    // put into canonical single-encoded form.
    bool doubleEncodePath = true;
    // Add and sign x-amz-content-sha256 (the payload hash).
    bool signBody = false;
    // Sign first, then add X-Amz-Security-Token (some STS endpoints expect the token unsigned).
    bool omitSessionTokenFromSignature = false;
};

struct SigV4Request
{
    QByteArray method;
    QByteArray path;    // exactly as on the request line: may hold percent-escapes already
    QByteArray query;   // without '?', as on the request line
    HeaderList headers; // must include Host
    QByteArray body;
};

struct SigV4Result
{
    QByteArray canonicalRequest;
    QByteArray stringToSign;
    QByteArray signature; // lower-case hex
    // Header signing: what to add to the request (X-Amz-Date, [x-amz-content-sha256],
    // [X-Amz-Security-Token], Authorization). Presigning: empty.
    HeaderList headersToAdd;
    // Presigning: the complete query string to send (the request's own parameters, the X-Amz-* ones and
    // X-Amz-Signature). Header signing: empty.
    QByteArray presignedQuery;
};

class SigV4Signer
{
public:
    SigV4Signer(SigV4Credentials credentials, SigV4Options options);

    SigV4Result signHeaders(const SigV4Request &request, const QDateTime &now) const;
    // The same with sha256Hex(request.body) computed already (off the UI thread, for a large body).
    SigV4Result signHeaders(const SigV4Request &request, const QDateTime &now, const QByteArray &payloadHash) const;
    SigV4Result presign(const SigV4Request &request, const QDateTime &now, int expiresSeconds) const;

    // Building blocks, public for tests and for verifying signatures.
    static QByteArray uriEncode(const QByteArray &bytes, bool keepSlash);
    static QByteArray normalizePath(const QByteArray &path);
    QByteArray canonicalPath(const QByteArray &path) const;
    static QByteArray canonicalQuery(const QByteArray &query);
    static QByteArray canonicalHeaderValue(const QByteArray &value);
    static QByteArray sha256Hex(const QByteArray &data);
    static QByteArray hmacSha256(const QByteArray &key, const QByteArray &data);
    static QByteArray signingKey(const QByteArray &secretAccessKey, const QByteArray &date,
                                 const QString &region, const QString &service);
    static QByteArray amzDate(const QDateTime &now); // 20150830T123600Z

private:
    SigV4Result sign(const SigV4Request &request, const QDateTime &now, int presignExpires,
                     const QByteArray &payloadHash = {}) const;

    SigV4Credentials m_credentials;
    SigV4Options m_options;
};

} // namespace fedsync::aws

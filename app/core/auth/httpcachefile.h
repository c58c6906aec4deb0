// A small on-disk cache for public documents (the provider's OpenID discovery document and JWKS, the
// signed-in user's picture): one file per document, owner-only (0600 in a 0700 folder), kept for the
// lifetime the server gave in Cache-Control (max-age; no-store/no-cache: not kept) or a default when it
// gave none. The body is kept byte for byte (any bytes: an image too). Never used for secrets.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace fedsync {

class HttpCacheFile final
{
public:
    static constexpr qint64 DefaultMaxAgeSeconds = 3600;
    static constexpr qint64 MaximumMaxAgeSeconds = 24 * 3600;
    static constexpr qint64 MaxBodyBytes = 1024 * 1024;

    // `directory` empty: nothing is cached. `name` identifies the document (e.g. issuer + "jwks").
    HttpCacheFile(const QString &directory, const QString &name);

    // The body while it is fresh at `now`.
    std::optional<QByteArray> load(const QDateTime &now) const;
    // Stores `body` fetched at `now` for the lifetime `cacheControl` allows; false when not stored (also
    // when it is over MaxBodyBytes).
    bool store(const QByteArray &body, const QByteArray &cacheControl, const QDateTime &now) const;
    void remove() const;

    // Where the documents are kept, in the user's cache folder: the provider's ("oidc") and the signed-in
    // users' pictures ("pictures": all of them go with a sign-out that forgets the user's data).
    static QString providerDocumentsDirectory();
    static QString picturesDirectory();

    // Seconds a Cache-Control value allows (0: do not keep).
    static qint64 maxAgeFrom(const QByteArray &cacheControl);
    const QString &path() const { return m_path; }

private:
    QString m_path;
};

} // namespace fedsync

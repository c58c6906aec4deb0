// A small on-disk cache for public provider documents (the OpenID discovery document, the JWKS): one
// file per document, owner-only (0600 in a 0700 folder), kept for the lifetime the server gave in
// Cache-Control (max-age; no-store/no-cache: not kept) or a default when it gave none. Never used for
// secrets.
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

    // `directory` empty: nothing is cached. `name` identifies the document (e.g. issuer + "jwks").
    HttpCacheFile(const QString &directory, const QString &name);

    // The body while it is fresh at `now`.
    std::optional<QByteArray> load(const QDateTime &now) const;
    // Stores `body` fetched at `now` for the lifetime `cacheControl` allows; false when not stored.
    bool store(const QByteArray &body, const QByteArray &cacheControl, const QDateTime &now) const;
    void remove() const;

    // Seconds a Cache-Control value allows (0: do not keep).
    static qint64 maxAgeFrom(const QByteArray &cacheControl);
    const QString &path() const { return m_path; }

private:
    QString m_path;
};

} // namespace fedsync

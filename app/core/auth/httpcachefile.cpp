#include "auth/httpcachefile.h"

#include "log/logcategories.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace fedsync {

HttpCacheFile::HttpCacheFile(const QString &directory, const QString &name)
{
    if (directory.isEmpty())
        return;
    const QByteArray hash = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256).toHex();
    m_path = directory + QLatin1Char('/') + QString::fromLatin1(hash.left(32)) + QStringLiteral(".json");
}

QString HttpCacheFile::providerDocumentsDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/oidc");
}

QString HttpCacheFile::picturesDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/pictures");
}

qint64 HttpCacheFile::maxAgeFrom(const QByteArray &cacheControl)
{
    if (cacheControl.trimmed().isEmpty())
        return DefaultMaxAgeSeconds;
    qint64 maxAge = DefaultMaxAgeSeconds;
    for (const QByteArray &part : cacheControl.split(',')) {
        const QByteArray directive = part.trimmed().toLower();
        if (directive == "no-store" || directive == "no-cache")
            return 0;
        if (directive.startsWith("max-age=")) {
            bool ok = false;
            const qint64 seconds = directive.mid(8).toLongLong(&ok);
            maxAge = ok ? qMax<qint64>(0, seconds) : 0;
        }
    }
    return qMin(maxAge, MaximumMaxAgeSeconds);
}

std::optional<QByteArray> HttpCacheFile::load(const QDateTime &now) const
{
    if (m_path.isEmpty())
        return std::nullopt;
    QFile file(m_path);
    // base64 makes a body a third longer.
    if (!file.open(QIODevice::ReadOnly) || file.size() > MaxBodyBytes * 4 / 3 + 4096)
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
    const qint64 fetched = o.value(QStringLiteral("fetched")).toInteger(0);
    const qint64 maxAge = o.value(QStringLiteral("max_age")).toInteger(0);
    const qint64 age = now.toSecsSinceEpoch() - fetched;
    if (fetched <= 0 || age < 0 || age >= maxAge)
        return std::nullopt;
    // "body64": the bytes in base64; "body": a text as UTF-8 (files written before pictures were kept).
    const QJsonValue body64 = o.value(QStringLiteral("body64"));
    if (body64.isString()) {
        QByteArray::FromBase64Result body = QByteArray::fromBase64Encoding(
            body64.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!body)
            return std::nullopt;
        return std::move(body.decoded);
    }
    return o.value(QStringLiteral("body")).toString().toUtf8();
}

bool HttpCacheFile::store(const QByteArray &body, const QByteArray &cacheControl, const QDateTime &now) const
{
    const qint64 maxAge = maxAgeFrom(cacheControl);
    if (m_path.isEmpty() || maxAge <= 0 || body.size() > MaxBodyBytes)
        return false;
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(dir))
        return false;
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    const QJsonObject o{{QStringLiteral("fetched"), now.toSecsSinceEpoch()},
                        {QStringLiteral("max_age"), maxAge},
                        {QStringLiteral("body64"), QString::fromLatin1(body.toBase64())}};
    file.write(QJsonDocument(o).toJson(QJsonDocument::Compact));
    const bool ok = file.commit();
    if (ok)
        QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner);
    else
        qCWarning(lcAuth) << "Could not write the cache file" << m_path;
    return ok;
}

void HttpCacheFile::remove() const
{
    if (!m_path.isEmpty())
        QFile::remove(m_path);
}

} // namespace fedsync

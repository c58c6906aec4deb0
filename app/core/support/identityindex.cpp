#include "support/identityindex.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace fedsync::support {
namespace {
qint64 seconds(const QDateTime &time)
{
    return time.isValid() ? time.toSecsSinceEpoch() : 0;
}
QDateTime fromSeconds(qint64 value)
{
    return value ? QDateTime::fromSecsSinceEpoch(value, Qt::UTC) : QDateTime();
}
} // namespace

IdentityIndex::IdentityIndex(QString path)
    : m_path(std::move(path))
{}

IdentityIndex::~IdentityIndex() = default;

QString IdentityIndex::defaultPath(const QString &identityPoolId)
{
    QString name = identityPoolId;
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/support/") +
           name + QStringLiteral(".sqlite");
}

UserError IdentityIndex::sqlError(const QString &what, const QString &detail) const
{
    return UserError::make(QStringLiteral("support.index.sql"),
                           tr("The local identity index failed (%1)").arg(what), detail,
                           tr("Delete %1 and crawl again").arg(QDir::toNativeSeparators(m_path)));
}

UserError IdentityIndex::open()
{
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!QDir().exists(folder)) {
        QDir().mkpath(folder);
        QFile::setPermissions(folder,
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    if (!QFile::exists(m_path)) {
        QFile create(m_path);
        if (!create.open(QIODevice::WriteOnly))
            return sqlError(QStringLiteral("create"), create.errorString());
    }
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (const SqliteError error = m_db.open(m_path, 3000); error.isError())
        return sqlError(QStringLiteral("open"), error.message);
    for (const QString &statement : {
             QStringLiteral("PRAGMA journal_mode=WAL"),
             QStringLiteral(
                 "CREATE TABLE IF NOT EXISTS identities (identity_id TEXT PRIMARY KEY, logins TEXT, "
                 "created INTEGER, modified INTEGER, card_sub TEXT, card_email TEXT, card_name TEXT, "
                 "card_last_sign_in INTEGER, card_app_version TEXT, card_sync_count INTEGER DEFAULT 0)"),
             QStringLiteral("CREATE INDEX IF NOT EXISTS identities_sub ON identities(card_sub)"),
             QStringLiteral(
                 "CREATE INDEX IF NOT EXISTS identities_email ON identities(card_email COLLATE NOCASE)"),
             QStringLiteral(
                 "CREATE TABLE IF NOT EXISTS crawl (id INTEGER PRIMARY KEY CHECK (id = 1), next_token TEXT, "
                 "last_page_token TEXT, complete INTEGER, pass INTEGER, updated INTEGER)"),
         }) {
        if (const SqliteError error = m_db.exec(statement); error.isError())
            return sqlError(statement.left(40), error.message);
    }
    // WAL side files are made with the process umask: keep them private too.
    for (const char *suffix : {"-wal", "-shm"})
        QFile::setPermissions(m_path + QLatin1String(suffix),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    m_open = true;
    return {};
}

CrawlState IdentityIndex::state() const
{
    CrawlState state;
    SqliteStatement q;
    if (!m_db.run(QStringLiteral("SELECT next_token, last_page_token, complete, pass, updated FROM crawl "
                                 "WHERE id = 1"),
                  q)
             .isError() &&
        q.next()) {
        state.nextToken = q.value(0).toString();
        state.lastPageToken = q.value(1).toString();
        state.complete = q.value(2).toBool();
        state.pass = q.value(3).toLongLong();
        state.updated = fromSeconds(q.value(4).toLongLong());
    }
    if (!m_db.run(QStringLiteral("SELECT COUNT(*), COUNT(card_sub) FROM identities"), q).isError() &&
        q.next()) {
        state.identities = q.value(0).toLongLong();
        state.cards = q.value(1).toLongLong();
    }
    return state;
}

UserError IdentityIndex::saveState(const CrawlState &state)
{
    SqliteStatement q;
    const SqliteError error = m_db.run(
        QStringLiteral(
            "INSERT OR REPLACE INTO crawl (id, next_token, last_page_token, complete, pass, updated) "
            "VALUES (1, ?, ?, ?, ?, ?)"),
        q,
        {state.nextToken, state.lastPageToken, state.complete ? 1 : 0, state.pass,
         QDateTime::currentSecsSinceEpoch()});
    if (error.isError())
        return sqlError(QStringLiteral("save state"), error.message);
    return {};
}

UserError IdentityIndex::savePage(const QList<Entry> &entries, const CrawlState &state)
{
    // A card replaces the stored one only when it was read (a page's entry without one keeps the old).
    static const QString upsert = QStringLiteral(
        "INSERT INTO identities (identity_id, logins, created, modified, card_sub, card_email, card_name, "
        "card_last_sign_in, card_app_version, card_sync_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(identity_id) DO UPDATE SET logins = excluded.logins, created = excluded.created, "
        "modified = excluded.modified, "
        "card_sub = CASE WHEN excluded.card_sync_count > 0 THEN excluded.card_sub ELSE card_sub END, "
        "card_email = CASE WHEN excluded.card_sync_count > 0 THEN excluded.card_email ELSE card_email END, "
        "card_name = CASE WHEN excluded.card_sync_count > 0 THEN excluded.card_name ELSE card_name END, "
        "card_last_sign_in = CASE WHEN excluded.card_sync_count > 0 THEN excluded.card_last_sign_in "
        "ELSE card_last_sign_in END, "
        "card_app_version = CASE WHEN excluded.card_sync_count > 0 THEN excluded.card_app_version "
        "ELSE card_app_version END, "
        "card_sync_count = MAX(card_sync_count, excluded.card_sync_count)");
    if (const SqliteError error = m_db.exec(QStringLiteral("BEGIN IMMEDIATE")); error.isError())
        return sqlError(QStringLiteral("begin"), error.message);
    const auto abandon = [this](UserError error) {
        if (m_db.inTransaction()) // SQLite may have rolled back already
            m_db.exec(QStringLiteral("ROLLBACK"));
        return error;
    };
    SqliteStatement q;
    if (const SqliteError error = m_db.prepare(upsert, q); error.isError())
        return abandon(sqlError(QStringLiteral("save page"), error.message));
    for (const Entry &entry : entries) {
        const bool card = entry.card.isValid();
        const SqliteError error = q.exec({
            entry.identity.identityId,
            entry.identity.logins.join(QLatin1Char('\n')),
            seconds(entry.identity.created),
            seconds(entry.identity.lastModified),
            card ? QVariant(entry.card.sub) : QVariant(),
            card ? QVariant(entry.card.email) : QVariant(),
            card ? QVariant(entry.card.name) : QVariant(),
            card ? QVariant(seconds(entry.card.lastSignIn)) : QVariant(),
            card ? QVariant(entry.card.appVersion) : QVariant(),
            card ? entry.cardSyncCount : 0,
        });
        if (error.isError())
            return abandon(sqlError(QStringLiteral("save page"), error.message));
    }
    q.reset();
    if (UserError error = saveState(state); error.isError())
        return abandon(error);
    if (const SqliteError error = m_db.exec(QStringLiteral("COMMIT")); error.isError())
        return abandon(sqlError(QStringLiteral("commit"), error.message));
    return {};
}

qint64 IdentityIndex::cardSyncCount(const QString &identityId) const
{
    SqliteStatement q;
    if (!m_db.run(QStringLiteral("SELECT card_sync_count FROM identities WHERE identity_id = ?"), q,
                  {identityId})
             .isError() &&
        q.next())
        return q.value(0).toLongLong();
    return 0;
}

QList<FoundIdentity> IdentityIndex::find(const QString &where, const QString &value) const
{
    QList<FoundIdentity> found;
    SqliteStatement q;
    if (m_db.run(QStringLiteral("SELECT identity_id, logins, created, modified, card_sub, card_email, "
                                "card_name, card_last_sign_in, card_app_version FROM identities WHERE ") +
                     where + QStringLiteral(" ORDER BY created LIMIT 100"),
                 q, {value})
            .isError())
        return found;
    while (q.next()) {
        FoundIdentity item;
        item.identity.identityId = q.value(0).toString();
        const QString logins = q.value(1).toString();
        if (!logins.isEmpty())
            item.identity.logins = logins.split(QLatin1Char('\n'));
        item.identity.created = fromSeconds(q.value(2).toLongLong());
        item.identity.lastModified = fromSeconds(q.value(3).toLongLong());
        item.card.sub = q.value(4).toString();
        item.card.email = q.value(5).toString();
        item.card.name = q.value(6).toString();
        item.card.lastSignIn = fromSeconds(q.value(7).toLongLong());
        item.card.appVersion = q.value(8).toString();
        found << item;
    }
    return found;
}

QList<FoundIdentity> IdentityIndex::findBySub(const QString &sub) const
{
    return find(QStringLiteral("card_sub = ?"), sub);
}

QList<FoundIdentity> IdentityIndex::findByEmail(const QString &email) const
{
    return find(QStringLiteral("card_email = ? COLLATE NOCASE"), email.trimmed());
}

std::optional<FoundIdentity> IdentityIndex::findByIdentityId(const QString &identityId) const
{
    const QList<FoundIdentity> found = find(QStringLiteral("identity_id = ?"), identityId);
    if (found.isEmpty())
        return std::nullopt;
    return found.first();
}

} // namespace fedsync::support

#include "sync/storeconnection.h"

#include "log/logcategories.h"
#include "platform/owneronly.h"
#include "sync/storeerrors.h"
#include "sync/storequery.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace fedsync {

StoreConnection::StoreConnection(QString path)
    : m_path(std::move(path))
{}

StoreConnection::~StoreConnection()
{
    close();
}

UserError StoreConnection::notOpen() const
{
    return storeNotOpen(m_path);
}

UserError StoreConnection::open()
{
    if (m_open)
        return {};
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath()))
        return UserError::make(
            QStringLiteral("sync.store.io"),
            QCoreApplication::translate("LocalStore", "The folder for your local data could not be created"),
            {},
            QCoreApplication::translate("LocalStore", "Check that %1 is writable")
                .arg(QDir::toNativeSeparators(info.absolutePath())),
            m_path);
    // Owner-only: the folder 0700, the database 0600 before SQLite opens it (SQLite gives its -wal and
    // -shm files the database's permissions), older files tightened.
    restrictToOwner(info.absolutePath());
    if (!info.exists()) {
        QFile create(m_path);
        if (create.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            create.close();
    }
    for (const QString &file : QStringList{m_path, QString(m_path + u"-wal"), QString(m_path + u"-shm")})
        restrictToOwner(file);
    // Writers queue for the lock (BEGIN IMMEDIATE); a write takes milliseconds, so a long wait means
    // another program holds the file.
    if (const SqliteError error = m_db.open(m_path, 15000); error.isError())
        return storeSqlError(m_path, QStringLiteral("open"), error);
    StoreQuery query(*this);
    if (UserError error =
            query.run(QStringLiteral("journal_mode"), QStringLiteral("PRAGMA journal_mode=WAL"));
        error.isError())
        return error;
    for (const QString &pragma :
         {QStringLiteral("PRAGMA foreign_keys=ON"), QStringLiteral("PRAGMA synchronous=FULL")}) {
        if (UserError error = query.run(pragma, pragma); error.isError())
            return error;
    }
    for (const QString &file : QStringList{QString(m_path + u"-wal"), QString(m_path + u"-shm")})
        restrictToOwner(file);
    m_durability = Durability::Flushed;
    m_open = true;
    return {};
}

void StoreConnection::close()
{
    m_open = false;
    dropStatements();
    m_db.close();
}

std::optional<SqliteStatement> StoreConnection::takeStatement(const QString &sql) const
{
    const auto found = m_statements.find(sql);
    if (found == m_statements.end())
        return std::nullopt;
    SqliteStatement statement = std::move(found->second);
    m_statements.erase(found);
    return statement;
}

void StoreConnection::giveBackStatement(const QString &sql, SqliteStatement statement) const
{
    if (!m_open)
        return;
    statement.reset();
    m_statements.insert_or_assign(sql, std::move(statement));
}

void StoreConnection::dropStatements()
{
    m_statements.clear();
}

UserError StoreConnection::setDurability(Durability durability)
{
    if (durability == m_durability)
        return {};
    const QString pragma = durability == Durability::Flushed ? QStringLiteral("PRAGMA synchronous=FULL")
                                                             : QStringLiteral("PRAGMA synchronous=NORMAL");
    if (UserError error = StoreQuery(*this).run(pragma, pragma); error.isError())
        return error;
    m_durability = durability;
    return {};
}

UserError StoreConnection::inTransaction(const QString &what, const std::function<UserError()> &work,
                                         Durability durability)
{
    if (!m_open)
        return notOpen();
    if (UserError error = setDurability(durability); error.isError())
        return error;
    // BEGIN IMMEDIATE takes the write lock up front, waiting (busy timeout) while another process
    // writes. A deferred BEGIN reads first and then upgrades to a write, and in WAL mode that upgrade
    // fails with SQLITE_BUSY at once, whatever the timeout.
    if (UserError error =
            StoreQuery(*this).run(what + QStringLiteral(" (begin)"), QStringLiteral("BEGIN IMMEDIATE"));
        error.isError())
        return error;
    UserError error = work();
    if (!error.isError()) {
        if (const SqliteError failed = m_db.exec(QStringLiteral("COMMIT")); failed.isError())
            error = storeSqlError(m_path, what + QStringLiteral(" (commit)"), failed);
    }
    // SQLite rolls back by itself after some errors (a full disk, an I/O error): then nothing is left to
    // roll back.
    if (error.isError() && m_db.inTransaction()) {
        if (const SqliteError failed = m_db.exec(QStringLiteral("ROLLBACK")); failed.isError())
            qCWarning(lcSync) << "local store rollback failed:" << failed.message;
    }
    // Back to Flushed at once, so that whatever else writes on this connection is flushed (inTransaction
    // sets it again before each Flushed transaction if this fails).
    if (UserError back = setDurability(Durability::Flushed); back.isError())
        qCWarning(lcSync) << "local store: synchronous=FULL failed:" << back.code;
    return error;
}

} // namespace fedsync

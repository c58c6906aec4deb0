// The local store's connection to its SQLite file: opened owner-only in WAL mode with a busy timeout,
// every change in a BEGIN IMMEDIATE transaction, every failure turned into the store's errors
// (storeerrors.h). StoreQuery (storequery.h) runs the statements on it. Not thread-safe.
#pragma once

#include "common/sqlite.h"
#include "common/usererror.h"

#include <QString>

#include <functional>
#include <optional>
#include <unordered_map>

namespace fedsync {

// A read that can fail: the value, or an error saying why not.
template<typename T> struct StoreResult
{
    T value{};
    UserError error;

    bool ok() const { return !error.isError(); }
};

class StoreConnection final
{
public:
    explicit StoreConnection(QString path);
    ~StoreConnection(); // closes and removes the connection
    StoreConnection(const StoreConnection &) = delete;
    StoreConnection &operator=(const StoreConnection &) = delete;

    // Creates the folder (0700) and the file (0600) if needed and opens it: WAL, foreign keys,
    // synchronous=FULL (Durability::Flushed). The schema is StoreSchema's job.
    UserError open();
    void close();
    bool isOpen() const { return m_open; }
    const QString &path() const { return m_path; }
    const SqliteDatabase &database() const { return m_db; }

    // How far a transaction's commit must reach before it returns. Flushed: the disk (synchronous=FULL,
    // the WAL is fsynced): what a user typed or decided. Refetchable: the OS (synchronous=NORMAL): what a
    // sync copied from the server and its own bookkeeping, which the server holds anyway. Both survive a
    // crash or a kill of the process. A power loss can roll back only the newest Refetchable commits,
    // never one before a Flushed commit (the WAL is one file, flushed up to its end), and the next sync
    // does them again.
    enum class Durability { Flushed, Refetchable };

    // Runs `work` between BEGIN IMMEDIATE and COMMIT; rolls back when it (or the commit) fails.
    UserError inTransaction(const QString &what, const std::function<UserError()> &work,
                            Durability durability = Durability::Flushed);
    UserError notOpen() const;

    // Statements prepared once per connection (SQLite's prepare is most of a small statement's cost):
    // StoreQuery takes one out for as long as it uses it (none when nobody gave one back yet, or another
    // StoreQuery holds it) and gives it back reset, so a cached read never holds the file's snapshot.
    std::optional<SqliteStatement> takeStatement(const QString &sql) const;
    void giveBackStatement(const QString &sql, SqliteStatement statement) const;

private:
    void dropStatements();
    // PRAGMA synchronous, set only when it changes (outside a transaction).
    UserError setDurability(Durability durability);

    QString m_path;
    SqliteDatabase m_db;
    bool m_open = false;
    Durability m_durability = Durability::Flushed;
    mutable std::unordered_map<QString, SqliteStatement> m_statements;
};

} // namespace fedsync

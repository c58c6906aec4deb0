// SQLite through its C API, for the local store and the support index: a connection, its statements, and
// SQLite's own result codes and messages. (Qt SQL did this before: its library and driver plugin were
// 0.4 MiB of every window's memory, and its per-statement column metadata most of a small query's cost.)
//
// Values cross as QVariant: INTEGER as qint64, REAL as double, TEXT as QString (an empty text is an empty,
// not a null, string), BLOB as QByteArray, NULL as an invalid QVariant. A null QVariant, QString or
// QByteArray binds as NULL; a bool or any integer as INTEGER.
//
// A connection belongs to the thread that opened it (SQLite is built thread-safe, but a connection
// shared between threads would serialize them, and the store's code assumes one thread): using it from
// another thread logs a warning, which the tests fail on.
#pragma once

#include <QString>
#include <QThread>
#include <QVariant>
#include <QVariantList>

struct sqlite3;
struct sqlite3_stmt;

namespace fedsync {

struct SqliteError
{
    int code = 0;    // SQLite's primary result code (5 SQLITE_BUSY, 13 SQLITE_FULL, ...); 0: none
    QString message; // SQLite's message for it

    bool isError() const { return code != 0; }
};

class SqliteStatement final
{
public:
    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(SqliteStatement &&other) noexcept;
    SqliteStatement &operator=(SqliteStatement &&other) noexcept;
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    bool isValid() const { return m_statement != nullptr; }
    int parameterCount() const;

    // Binds `values` to the "?" in order and takes the first step: then next() gives the first row, if any.
    SqliteError exec(const QVariantList &values = {});
    // The next row (the first one after exec()); false at the end, or on an error (then error() says it).
    bool next();
    QVariant value(int column) const;
    bool isNull(int column) const;
    // Rows the connection's last INSERT, UPDATE or DELETE changed (read it right after exec()).
    qint64 changes() const;
    SqliteError error() const { return m_error; }
    // Ends the run (its read of the file with it) and clears the values; the statement stays prepared.
    void reset();

private:
    friend class SqliteDatabase;
    SqliteError bind(const QVariantList &values);
    bool step();

    sqlite3_stmt *m_statement = nullptr;
    bool m_rowWaiting = false; // exec() stepped onto a row next() has not handed out yet
    bool m_onRow = false;      // value() reads a row
    SqliteError m_error;
};

class SqliteDatabase final
{
public:
    SqliteDatabase() = default;
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase &) = delete;
    SqliteDatabase &operator=(const SqliteDatabase &) = delete;

    // Opens (and creates) the file, waiting up to `busyTimeoutMs` for a lock another connection holds.
    SqliteError open(const QString &path, int busyTimeoutMs);
    // Statements still prepared keep the file open until they go (and a warning says so).
    void close();
    bool isOpen() const { return m_db != nullptr; }
    // Between BEGIN and its COMMIT or ROLLBACK (SQLite rolls back by itself after some errors).
    bool inTransaction() const;

    SqliteError prepare(const QString &sql, SqliteStatement &statement) const;
    // prepare() then exec(): for a statement run once; its rows are then read with statement.next().
    SqliteError run(const QString &sql, SqliteStatement &statement, const QVariantList &values = {}) const;
    // Runs every statement in `sql`, ignoring rows: for schema changes, pragmas and BEGIN/COMMIT.
    SqliteError exec(const QString &sql) const;

private:
    SqliteError error(int code) const;
    void checkThread(const char *what) const;

    sqlite3 *m_db = nullptr;
    QString m_path;
    Qt::HANDLE m_thread = nullptr;
};

} // namespace fedsync

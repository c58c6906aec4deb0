#include "common/sqlite.h"

#include <QByteArray>
#include <QDebug>

#include <sqlite3.h>

#include <utility>

namespace fedsync {

namespace {

SqliteError statementError(sqlite3_stmt *statement, int code)
{
    return {code & 0xff, QString::fromUtf8(sqlite3_errmsg(sqlite3_db_handle(statement)))};
}

} // namespace

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement);
}

SqliteStatement::SqliteStatement(SqliteStatement &&other) noexcept
    : m_statement(std::exchange(other.m_statement, nullptr))
    , m_rowWaiting(std::exchange(other.m_rowWaiting, false))
    , m_onRow(std::exchange(other.m_onRow, false))
    , m_error(std::exchange(other.m_error, {}))
{}

SqliteStatement &SqliteStatement::operator=(SqliteStatement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_statement);
        m_statement = std::exchange(other.m_statement, nullptr);
        m_rowWaiting = std::exchange(other.m_rowWaiting, false);
        m_onRow = std::exchange(other.m_onRow, false);
        m_error = std::exchange(other.m_error, {});
    }
    return *this;
}

int SqliteStatement::parameterCount() const
{
    return m_statement ? sqlite3_bind_parameter_count(m_statement) : 0;
}

void SqliteStatement::reset()
{
    if (m_statement) {
        sqlite3_reset(m_statement); // returns the last step's error, which error() already gave
        sqlite3_clear_bindings(m_statement);
    }
    m_rowWaiting = false;
    m_onRow = false;
    m_error = {};
}

SqliteError SqliteStatement::bind(const QVariantList &values)
{
    if (values.size() != parameterCount())
        return {SQLITE_RANGE,
                QStringLiteral("%1 values for %2 placeholders").arg(values.size()).arg(parameterCount())};
    for (int i = 0; i < values.size(); ++i) {
        const QVariant &value = values.at(i);
        const int index = i + 1;
        int rc = SQLITE_OK;
        switch (value.isNull() ? QMetaType::UnknownType : value.typeId()) {
        case QMetaType::UnknownType:
            rc = sqlite3_bind_null(m_statement, index);
            break;
        case QMetaType::Bool:
        case QMetaType::Int:
        case QMetaType::UInt:
        case QMetaType::Long:
        case QMetaType::LongLong:
        case QMetaType::ULongLong:
        case QMetaType::Short:
        case QMetaType::UShort:
            rc = sqlite3_bind_int64(m_statement, index, value.toLongLong());
            break;
        case QMetaType::Double:
        case QMetaType::Float:
            rc = sqlite3_bind_double(m_statement, index, value.toDouble());
            break;
        case QMetaType::QByteArray: {
            const QByteArray &bytes = *static_cast<const QByteArray *>(value.constData());
            rc = bytes.isNull() ? sqlite3_bind_null(m_statement, index)
                                : sqlite3_bind_blob64(m_statement, index, bytes.constData(),
                                                      sqlite3_uint64(bytes.size()), SQLITE_TRANSIENT);
            break;
        }
        default: { // a QString, or what converts to one (QVariant's conversion, as Qt SQL did)
            const QString text = value.toString();
            if (text.isNull()) {
                rc = sqlite3_bind_null(m_statement, index);
            } else {
                const QByteArray utf8 = text.toUtf8();
                rc = sqlite3_bind_text64(m_statement, index, utf8.constData(), sqlite3_uint64(utf8.size()),
                                         SQLITE_TRANSIENT, SQLITE_UTF8);
            }
            break;
        }
        }
        if (rc != SQLITE_OK)
            return statementError(m_statement, rc);
    }
    return {};
}

bool SqliteStatement::step()
{
    const int rc = sqlite3_step(m_statement);
    m_onRow = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        m_error = statementError(m_statement, rc);
    return m_onRow;
}

SqliteError SqliteStatement::exec(const QVariantList &values)
{
    if (!m_statement)
        return {SQLITE_MISUSE, QStringLiteral("no statement prepared")};
    reset();
    if (SqliteError error = bind(values); error.isError())
        return error;
    m_rowWaiting = step();
    return m_error;
}

bool SqliteStatement::next()
{
    if (m_rowWaiting) {
        m_rowWaiting = false;
        return true;
    }
    // After the last row SQLite would start the statement again: step only while on a row.
    return m_onRow && step();
}

bool SqliteStatement::isNull(int column) const
{
    return !m_onRow || sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

QVariant SqliteStatement::value(int column) const
{
    if (!m_onRow)
        return {};
    switch (sqlite3_column_type(m_statement, column)) {
    case SQLITE_INTEGER:
        return QVariant(qint64(sqlite3_column_int64(m_statement, column)));
    case SQLITE_FLOAT:
        return QVariant(sqlite3_column_double(m_statement, column));
    case SQLITE_TEXT: {
        const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
        const int size = sqlite3_column_bytes(m_statement, column);
        return QVariant(size > 0 ? QString::fromUtf8(text, size) : QStringLiteral(""));
    }
    case SQLITE_BLOB: {
        const auto *bytes = static_cast<const char *>(sqlite3_column_blob(m_statement, column));
        const int size = sqlite3_column_bytes(m_statement, column);
        return QVariant(size > 0 ? QByteArray(bytes, size) : QByteArray(""));
    }
    default:
        return {};
    }
}

qint64 SqliteStatement::changes() const
{
    return m_statement ? sqlite3_changes(sqlite3_db_handle(m_statement)) : 0;
}

SqliteDatabase::~SqliteDatabase()
{
    close();
}

SqliteError SqliteDatabase::error(int code) const
{
    return {code & 0xff,
            m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString::fromUtf8(sqlite3_errstr(code))};
}

void SqliteDatabase::checkThread(const char *what) const
{
    if (m_thread && QThread::currentThreadId() != m_thread)
        qWarning("SQLite database %s: %s on another thread than the one that opened it", qPrintable(m_path),
                 what);
}

SqliteError SqliteDatabase::open(const QString &path, int busyTimeoutMs)
{
    close();
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &m_db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const SqliteError failed = error(rc);
        sqlite3_close(m_db); // SQLite may have made a handle that only holds the error
        m_db = nullptr;
        return failed;
    }
    sqlite3_busy_timeout(m_db, busyTimeoutMs);
    m_path = path;
    m_thread = QThread::currentThreadId();
    return {};
}

void SqliteDatabase::close()
{
    if (!m_db)
        return;
    checkThread("closed");
    if (sqlite3_close(m_db) == SQLITE_BUSY) {
        qWarning("SQLite database %s closed while a statement on it is still prepared", qPrintable(m_path));
        sqlite3_close_v2(m_db); // the file closes when the last statement goes
    }
    m_db = nullptr;
    m_thread = nullptr;
}

bool SqliteDatabase::inTransaction() const
{
    return m_db && !sqlite3_get_autocommit(m_db);
}

SqliteError SqliteDatabase::prepare(const QString &sql, SqliteStatement &statement) const
{
    if (!m_db)
        return {SQLITE_MISUSE, QStringLiteral("the database is not open")};
    checkThread("used");
    const QByteArray utf8 = sql.toUtf8();
    sqlite3_stmt *prepared = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT,
                                      &prepared, nullptr);
    if (rc != SQLITE_OK)
        return error(rc);
    statement = SqliteStatement();
    statement.m_statement = prepared;
    return {};
}

SqliteError SqliteDatabase::run(const QString &sql, SqliteStatement &statement,
                                const QVariantList &values) const
{
    if (SqliteError error = prepare(sql, statement); error.isError())
        return error;
    return statement.exec(values);
}

SqliteError SqliteDatabase::exec(const QString &sql) const
{
    if (!m_db)
        return {SQLITE_MISUSE, QStringLiteral("the database is not open")};
    checkThread("used");
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK)
        return {};
    SqliteError failed{rc & 0xff, QString::fromUtf8(message)};
    sqlite3_free(message);
    return failed;
}

} // namespace fedsync

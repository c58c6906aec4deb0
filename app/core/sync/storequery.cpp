#include "sync/storequery.h"

#include "sync/storeerrors.h"

namespace fedsync {

QVariant sqlTime(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QVariant sqlText(const std::optional<QString> &value)
{
    if (!value)
        return QVariant(QMetaType::fromType<QString>());
    // A null QString binds as NULL: keep an empty value a value.
    return value->isNull() ? QVariant(QStringLiteral("")) : QVariant(*value);
}

StoreQuery::StoreQuery(const StoreConnection &connection)
    : m_connection(connection)
{}

StoreQuery::~StoreQuery()
{
    giveBack();
}

void StoreQuery::giveBack()
{
    if (m_prepared.isEmpty())
        return;
    // m_statement is assigned before its next use
    m_connection.giveBackStatement(m_prepared, std::move(m_statement));
    m_prepared.clear();
}

UserError StoreQuery::run(const QString &what, const QString &sql, const QVariantList &values)
{
    if (sql != m_prepared) {
        giveBack();
        if (std::optional<SqliteStatement> kept = m_connection.takeStatement(sql)) {
            m_statement = std::move(*kept);
        } else if (const SqliteError error = m_connection.database().prepare(sql, m_statement);
                   error.isError()) {
            return storeSqlError(m_connection.path(), what, error);
        }
        m_prepared = sql;
    }
    if (const SqliteError error = m_statement.exec(values); error.isError())
        return storeSqlError(m_connection.path(), what, error);
    return {};
}

StoreResult<QVariant> StoreQuery::scalar(const QString &what, const QString &sql, const QVariantList &values)
{
    if (UserError error = run(what, sql, values); error.isError())
        return {{}, error};
    if (!m_statement.next()) {
        const SqliteError error = m_statement.error();
        return {{},
                storeSqlError(m_connection.path(), what,
                              error.isError() ? error : SqliteError{1, QStringLiteral("no row")})};
    }
    return {m_statement.value(0), {}};
}

} // namespace fedsync

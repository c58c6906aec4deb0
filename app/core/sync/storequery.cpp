#include "sync/storequery.h"

#include "sync/storeerrors.h"

#include <QSqlDatabase>
#include <QSqlError>

namespace fedsync {

QVariant sqlTime(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QVariant sqlText(const std::optional<QString> &value)
{
    if (!value)
        return QVariant(QMetaType::fromType<QString>());
    // The driver binds a null QString as NULL: keep an empty value a value.
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
    m_connection.giveBackStatement(m_prepared, std::move(m_query)); // m_query is assigned before its next use
    m_prepared.clear();
}

UserError StoreQuery::run(const QString &what, const QString &sql, const QVariantList &values)
{
    if (sql != m_prepared) {
        giveBack();
        if (std::optional<QSqlQuery> kept = m_connection.takeStatement(sql)) {
            m_query = std::move(*kept);
        } else {
            m_query = QSqlQuery(m_connection.database());
            m_query.setForwardOnly(true);
            if (!m_query.prepare(sql))
                return storeSqlError(m_connection.path(), what, m_query.lastError());
        }
        m_prepared = sql;
    }
    for (qsizetype i = 0; i < values.size(); ++i)
        m_query.bindValue(int(i), values.at(i));
    if (!m_query.exec())
        return storeSqlError(m_connection.path(), what, m_query.lastError());
    return {};
}

StoreResult<QVariant> StoreQuery::scalar(const QString &what, const QString &sql, const QVariantList &values)
{
    if (UserError error = run(what, sql, values); error.isError())
        return {{}, error};
    if (!m_query.next())
        return {{}, storeSqlError(m_connection.path(), what, m_query.lastError())};
    return {m_query.value(0), {}};
}

} // namespace fedsync

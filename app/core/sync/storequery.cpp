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
    // m_statement is assigned before its next use
    m_connection.giveBackStatement(m_prepared, std::move(m_statement));
    m_prepared.clear();
}

std::pair<QString, QStringList> StoreQuery::namePlaceholders(const QString &sql)
{
    QString named;
    named.reserve(sql.size() + 8);
    QStringList names;
    QChar quote; // inside '...' (a text) or "..." (a name) while set
    for (const QChar c : sql) {
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == u'\'' || c == u'"') {
            quote = c;
        } else if (c == u'?') {
            names << QStringLiteral(":p%1").arg(names.size());
            named += names.constLast();
            continue;
        }
        named += c;
    }
    return {named, names};
}

UserError StoreQuery::run(const QString &what, const QString &sql, const QVariantList &values)
{
    if (sql != m_prepared) {
        giveBack();
        if (std::optional<PreparedStatement> kept = m_connection.takeStatement(sql)) {
            m_statement = std::move(*kept);
        } else {
            auto [named, placeholders] = namePlaceholders(sql);
            m_statement = {QSqlQuery(m_connection.database()), std::move(placeholders)};
            m_statement.query.setForwardOnly(true);
            if (!m_statement.query.prepare(named))
                return storeSqlError(m_connection.path(), what, m_statement.query.lastError());
        }
        m_prepared = sql;
    }
    if (values.size() != m_statement.placeholders.size())
        return storeSqlError(m_connection.path(), what,
                             QSqlError(QStringLiteral("%1 values for %2 placeholders")
                                               .arg(values.size())
                                               .arg(m_statement.placeholders.size()),
                                       {}, QSqlError::StatementError));
    for (qsizetype i = 0; i < values.size(); ++i)
        m_statement.query.bindValue(m_statement.placeholders.at(i), values.at(i));
    if (!m_statement.query.exec())
        return storeSqlError(m_connection.path(), what, m_statement.query.lastError());
    return {};
}

StoreResult<QVariant> StoreQuery::scalar(const QString &what, const QString &sql, const QVariantList &values)
{
    if (UserError error = run(what, sql, values); error.isError())
        return {{}, error};
    if (!m_statement.query.next())
        return {{}, storeSqlError(m_connection.path(), what, m_statement.query.lastError())};
    return {m_statement.query.value(0), {}};
}

} // namespace fedsync

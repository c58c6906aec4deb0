// The local store's one way to run a statement: prepare it (once: running the same statement again
// only binds and executes, so a loop over a page of records prepares nothing twice), bind the values in
// order, execute, and turn a failure into the store's error for people. Rows are read with next() and
// value().
#pragma once

#include "sync/storeconnection.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>
#include <QVariantList>

#include <optional>

namespace fedsync {

// Values as the store binds them: a time as milliseconds since the epoch (an invalid one as NULL); a
// text, or NULL for none (an empty text stays a value).
QVariant sqlTime(const QDateTime &time);
QVariant sqlText(const std::optional<QString> &value);

class StoreQuery final
{
public:
    explicit StoreQuery(const StoreConnection &connection);

    // `what` names the operation in the error's details and the log.
    UserError run(const QString &what, const QString &sql, const QVariantList &values = {});
    // run(), then the first column of the first row (an error when there is no row).
    StoreResult<QVariant> scalar(const QString &what, const QString &sql, const QVariantList &values = {});

    bool next() { return m_query.next(); }
    QVariant value(int column) const { return m_query.value(column); }
    bool isNull(int column) const { return m_query.isNull(column); }
    int numRowsAffected() const { return m_query.numRowsAffected(); }
    const QSqlQuery &row() const { return m_query; }

private:
    const StoreConnection &m_connection;
    QSqlQuery m_query;
    QString m_prepared;
};

} // namespace fedsync

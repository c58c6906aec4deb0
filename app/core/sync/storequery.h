// The local store's one way to run a statement: prepare it (once per connection: the connection keeps
// its prepared statements, so running the same statement again, here or in a later StoreQuery, only binds
// and executes), bind the values to its "?" in order, execute, and turn a failure into the store's error
// for people. Rows are read once, in order, with next() and value(); the statement goes back to the
// connection, reset, when this StoreQuery runs another or goes.
#pragma once

#include "sync/storeconnection.h"

#include <QDateTime>
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
    ~StoreQuery();
    StoreQuery(const StoreQuery &) = delete;
    StoreQuery &operator=(const StoreQuery &) = delete;

    // `what` names the operation in the error's details and the log.
    UserError run(const QString &what, const QString &sql, const QVariantList &values = {});
    // run(), then the first column of the first row (an error when there is no row).
    StoreResult<QVariant> scalar(const QString &what, const QString &sql, const QVariantList &values = {});

    bool next() { return m_statement.next(); }
    QVariant value(int column) const { return m_statement.value(column); }
    bool isNull(int column) const { return m_statement.isNull(column); }
    qint64 numRowsAffected() const { return m_statement.changes(); }

private:
    void giveBack();

    const StoreConnection &m_connection;
    SqliteStatement m_statement;
    QString m_prepared;
};

} // namespace fedsync

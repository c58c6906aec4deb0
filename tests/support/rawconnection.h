// A second, raw SQLite connection to a store's file, as another process would hold it: for what the store
// must not be able to prevent (a write lock held meanwhile, rows written behind its back) and for looking
// at the file as it is.
#pragma once

#include "common/sqlite.h"

#include <QDebug>
#include <QString>
#include <QVariant>

namespace fedsync::test {

class RawConnection final
{
public:
    explicit RawConnection(const QString &path) { m_ok = !m_db.open(path, 3000).isError(); }

    bool ok() const { return m_ok; }
    bool exec(const QString &sql)
    {
        const SqliteError error = m_db.exec(sql);
        if (error.isError())
            qWarning() << sql << error.message;
        return !error.isError();
    }
    QVariant scalar(const QString &sql)
    {
        SqliteStatement statement;
        if (m_db.run(sql, statement).isError() || !statement.next())
            return {};
        return statement.value(0);
    }

private:
    SqliteDatabase m_db;
    bool m_ok = false;
};

} // namespace fedsync::test

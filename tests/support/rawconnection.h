// A second, raw SQLite connection to a store's file, as another process would hold it: for what the store
// must not be able to prevent (a write lock held meanwhile, rows written behind its back) and for looking
// at the file as it is. One at a time per test program (a fixed connection name).
#pragma once

#include <QDebug>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

namespace fedsync::test {

class RawConnection final
{
public:
    explicit RawConnection(const QString &path)
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name());
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=3000"));
        m_ok = db.open();
    }
    ~RawConnection()
    {
        QSqlDatabase::database(name(), false).close();
        QSqlDatabase::removeDatabase(name());
    }
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    bool ok() const { return m_ok; }
    bool exec(const QString &sql)
    {
        QSqlQuery query(QSqlDatabase::database(name(), false));
        const bool done = query.exec(sql);
        if (!done)
            qWarning() << sql << query.lastError().text();
        return done;
    }
    QVariant scalar(const QString &sql)
    {
        QSqlQuery query(QSqlDatabase::database(name(), false));
        if (!query.exec(sql) || !query.next())
            return {};
        return query.value(0);
    }

private:
    static QString name() { return QStringLiteral("fedsync.test.raw"); }
    bool m_ok = false;
};

} // namespace fedsync::test

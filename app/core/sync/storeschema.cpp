#include "sync/storeschema.h"

#include "log/logcategories.h"
#include "sync/storequery.h"

#include <QCoreApplication>
#include <QList>

namespace fedsync {

namespace {

// One schema step: the statements that take a file from version - 1 to version. A new version appends
// a step here; files are migrated step by step, each in its own transaction.
struct Migration
{
    int version;
    QList<QString> statements;
};

const QList<Migration> &migrations()
{
    static const QList<Migration> steps = {
        {1,
         {QStringLiteral("CREATE TABLE datasets ("
                         " name TEXT PRIMARY KEY NOT NULL,"
                         " created INTEGER,"
                         " last_modified INTEGER,"
                         " last_modified_by TEXT NOT NULL DEFAULT '',"
                         " last_sync_count INTEGER NOT NULL DEFAULT 0,"
                         " storage_size_bytes INTEGER NOT NULL DEFAULT 0,"
                         " record_count INTEGER NOT NULL DEFAULT 0,"
                         " deleted INTEGER NOT NULL DEFAULT 0)"),
          QStringLiteral("CREATE TABLE records ("
                         " dataset TEXT NOT NULL REFERENCES datasets(name) ON DELETE CASCADE,"
                         " key TEXT NOT NULL,"
                         " value TEXT,"
                         " sync_count INTEGER NOT NULL DEFAULT 0,"
                         " last_modified INTEGER,"
                         " last_modified_by TEXT NOT NULL DEFAULT '',"
                         " device_last_modified INTEGER,"
                         " dirty INTEGER NOT NULL DEFAULT 0,"
                         " PRIMARY KEY (dataset, key))")}},
        // v2: a local revision per record, so a push can tell whether the record was edited meanwhile
        // (timestamps can repeat within a millisecond or go backwards with the clock).
        {2,
         {QStringLiteral("ALTER TABLE records ADD COLUMN revision INTEGER NOT NULL DEFAULT 0"),
          QStringLiteral("CREATE INDEX records_dirty ON records(dataset) WHERE dirty = 1")}},
        // v3: what ListDatasets said about the dataset when this device last caught up with it, so a
        // sync can skip datasets nobody changed since.
        {3, {QStringLiteral("ALTER TABLE datasets ADD COLUMN remote_state TEXT NOT NULL DEFAULT ''")}},
    };
    return steps;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("LocalStore", text);
}

} // namespace

int StoreSchema::version()
{
    return migrations().last().version;
}

StoreResult<int> StoreSchema::fileVersion(const StoreConnection &connection)
{
    if (!connection.isOpen())
        return {0, connection.notOpen()};
    StoreQuery query(connection);
    const StoreResult<QVariant> version =
        query.scalar(QStringLiteral("user_version"), QStringLiteral("PRAGMA user_version"));
    return {version.value.toInt(), version.error};
}

UserError StoreSchema::migrate(StoreConnection &connection)
{
    const StoreResult<int> fileVersion = StoreSchema::fileVersion(connection);
    if (!fileVersion.ok())
        return fileVersion.error;
    if (fileVersion.value > version())
        return UserError::make(QStringLiteral("sync.store.newer"),
                               tr("The local data was written by a newer version of Fedsync"),
                               tr("This version understands format %1, the file has format %2")
                                   .arg(version())
                                   .arg(fileVersion.value),
                               tr("Update Fedsync"), connection.path());
    for (const Migration &step : migrations()) {
        if (step.version <= fileVersion.value)
            continue;
        const UserError error = connection.inTransaction(QStringLiteral("migrate"), [&]() -> UserError {
            // Another process may have migrated while this one waited for the write lock.
            const StoreResult<int> current = StoreSchema::fileVersion(connection);
            if (!current.ok())
                return current.error;
            if (current.value >= step.version)
                return {};
            StoreQuery query(connection);
            for (const QString &statement : step.statements) {
                if (UserError failed = query.run(QStringLiteral("migrate to %1").arg(step.version), statement);
                    failed.isError())
                    return failed;
            }
            return query.run(QStringLiteral("user_version"),
                             QStringLiteral("PRAGMA user_version = %1").arg(step.version));
        });
        if (error.isError())
            return error;
        qCInfo(lcSync) << "local store migrated to schema version" << step.version;
    }
    return {};
}

} // namespace fedsync

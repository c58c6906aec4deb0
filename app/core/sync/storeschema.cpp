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

// What a record counts for in its dataset's size: its key and value in UTF-8 (NULL for a removed record).
QString recordBytes(const char *row)
{
    return QStringLiteral("(length(CAST(%1.key AS BLOB)) + length(CAST(%1.value AS BLOB)))")
        .arg(QLatin1String(row));
}

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
        // v4: a dataset's statistics (its live records and their bytes, key and value in UTF-8) follow
        // every change of a record in the same statement, instead of a scan of the whole dataset after
        // each write (a third of a one-change sync's instructions in a 1,024-record dataset). The file's
        // figures are counted once here (a version-1 file could hold stale ones).
        {4,
         {QStringLiteral("CREATE TRIGGER records_stats_insert AFTER INSERT ON records"
                         " WHEN NEW.value IS NOT NULL BEGIN"
                         " UPDATE datasets SET record_count = record_count + 1,"
                         " storage_size_bytes = storage_size_bytes + %1 WHERE name = NEW.dataset; END")
              .arg(recordBytes("NEW")),
          QStringLiteral("CREATE TRIGGER records_stats_delete AFTER DELETE ON records"
                         " WHEN OLD.value IS NOT NULL BEGIN"
                         " UPDATE datasets SET record_count = record_count - 1,"
                         " storage_size_bytes = storage_size_bytes - %1 WHERE name = OLD.dataset; END")
              .arg(recordBytes("OLD")),
          QStringLiteral("CREATE TRIGGER records_stats_update AFTER UPDATE OF dataset, key, value ON records"
                         " WHEN NEW.dataset = OLD.dataset BEGIN"
                         " UPDATE datasets SET"
                         " record_count = record_count + (NEW.value IS NOT NULL) - (OLD.value IS NOT NULL),"
                         " storage_size_bytes = storage_size_bytes + COALESCE(%1, 0) - COALESCE(%2, 0)"
                         " WHERE name = NEW.dataset; END")
              .arg(recordBytes("NEW"), recordBytes("OLD")),
          QStringLiteral(
              "CREATE TRIGGER records_stats_move AFTER UPDATE OF dataset ON records"
              " WHEN NEW.dataset <> OLD.dataset BEGIN"
              " UPDATE datasets SET record_count = record_count - (OLD.value IS NOT NULL),"
              " storage_size_bytes = storage_size_bytes - COALESCE(%2, 0) WHERE name = OLD.dataset;"
              " UPDATE datasets SET record_count = record_count + (NEW.value IS NOT NULL),"
              " storage_size_bytes = storage_size_bytes + COALESCE(%1, 0) WHERE name = NEW.dataset;"
              " END")
              .arg(recordBytes("NEW"), recordBytes("OLD")),
          StoreSchema::recountStatistics()}},
        // v5: a new record's statistics are counted by the code that adds it (LocalStore: an edit adds
        // one row, a pull of more than 64 records recounts the dataset once), not by a trigger: a trigger
        // that exists runs its program for every row, 9M of a 1,024-record pull's 42M instructions in
        // SQLite. Changes and removals keep their triggers (one row each, no cheaper way to see the old
        // value). Nothing to recount: the figures are the same either way. (An older Fedsync still
        // running on the file after this step adds rows uncounted; the next large pull recounts.)
        {5, {QStringLiteral("DROP TRIGGER records_stats_insert")}},
    };
    return steps;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("LocalStore", text);
}

} // namespace

QString StoreSchema::recountStatistics(const QString &where)
{
    return QStringLiteral("UPDATE datasets SET"
                          " storage_size_bytes = (SELECT COALESCE(SUM(%1), 0) FROM records"
                          " WHERE records.dataset = datasets.name AND records.value IS NOT NULL),"
                          " record_count = (SELECT COUNT(*) FROM records"
                          " WHERE records.dataset = datasets.name AND records.value IS NOT NULL)%2")
        .arg(recordBytes("records"), where);
}

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
                if (UserError failed =
                        query.run(QStringLiteral("migrate to %1").arg(step.version), statement);
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

#include "sync/localstore.h"

#include "log/logcategories.h"
#include "platform/owneronly.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>

namespace fedsync {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LocalStore", text);
}

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

QVariant timeValue(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime timeFrom(const QSqlQuery &query, int column)
{
    return query.isNull(column) ? QDateTime()
                                : QDateTime::fromMSecsSinceEpoch(query.value(column).toLongLong(), Qt::UTC);
}

QVariant textValue(const std::optional<QString> &value)
{
    if (!value)
        return QVariant(QMetaType::fromType<QString>());
    // The driver binds a null QString as NULL: keep an empty value a value.
    return value->isNull() ? QVariant(QStringLiteral("")) : QVariant(*value);
}

qint64 utf8Size(const QString &text)
{
    return text.toUtf8().size();
}

const QString recordColumns = QStringLiteral("dataset, key, value, sync_count, last_modified, "
                                             "last_modified_by, device_last_modified, dirty, revision");

LocalRecord recordFrom(const QSqlQuery &query)
{
    LocalRecord local;
    local.dataset = query.value(0).toString();
    local.record.key = query.value(1).toString();
    if (!query.isNull(2)) {
        const QString value = query.value(2).toString();
        local.record.value = value.isNull() ? QStringLiteral("") : value;
    }
    local.record.syncCount = query.value(3).toLongLong();
    local.record.lastModified = timeFrom(query, 4);
    local.record.lastModifiedBy = query.value(5).toString();
    local.record.deviceLastModified = timeFrom(query, 6);
    local.dirty = query.value(7).toBool();
    local.revision = query.value(8).toLongLong();
    return local;
}

// In KB with one decimal: near the limit, "1.00 MB" would hide the bytes that do not fit.
QString kilobytes(qint64 bytes)
{
    return QString::number(double(bytes) / 1024.0, 'f', 1);
}

} // namespace

int LocalStore::schemaVersion()
{
    return migrations().last().version;
}

LocalStore::LocalStore(QString path)
    : m_path(std::move(path))
{
    static std::atomic<quint64> counter{0};
    m_connectionName = QStringLiteral("fedsync.sync.localstore.%1").arg(++counter);
}

LocalStore::~LocalStore()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isValid())
            db.close();
    }
    if (QSqlDatabase::contains(m_connectionName))
        QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlDatabase LocalStore::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

UserError LocalStore::notOpen() const
{
    return UserError::make(QStringLiteral("sync.store.closed"), tr("The local data is not open"), {},
                           tr("Sign in again to reopen your data"), m_path);
}

UserError LocalStore::sqlError(const QString &what, const QSqlError &error) const
{
    const int code = error.nativeErrorCode().toInt() & 0xff;
    const QString details =
        QStringLiteral("%1: %2 (%3, SQLite code %4) [%5]")
            .arg(what, error.databaseText(), error.driverText(), error.nativeErrorCode(), m_path);
    qCWarning(lcSync) << "local store error:" << details;
    const QString unsaved = tr("Nothing was changed; what you were saving is still where you left it");
    switch (code) {
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
        return UserError::make(QStringLiteral("sync.store.busy"),
                               tr("The local data is in use by another program"), unsaved,
                               tr("Close other Fedsync windows using this profile and try again"), details);
    case 13: // SQLITE_FULL
        return UserError::make(QStringLiteral("sync.store.full"),
                               tr("The disk holding your local data is full"), unsaved,
                               tr("Free some disk space and try again"), details);
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
        return UserError::make(
            QStringLiteral("sync.store.corrupt"), tr("The local data file is damaged"), unsaved,
            tr("Keep a copy of %1, then move it away and sync again: what was synced comes "
               "back from the server")
                .arg(QDir::toNativeSeparators(m_path)),
            details);
    case 8:  // SQLITE_READONLY
    case 10: // SQLITE_IOERR
    case 14: // SQLITE_CANTOPEN
        return UserError::make(
            QStringLiteral("sync.store.io"), tr("The local data file could not be written"), unsaved,
            tr("Check that %1 is on a writable disk and try again").arg(QDir::toNativeSeparators(m_path)),
            details);
    default:
        return UserError::make(QStringLiteral("sync.store.error"), tr("The local data could not be saved"),
                               unsaved, tr("Try again; if it keeps failing, report the details"), details);
    }
}

UserError LocalStore::open()
{
    if (m_open)
        return {};
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath()))
        return UserError::make(
            QStringLiteral("sync.store.io"), tr("The folder for your local data could not be created"), {},
            tr("Check that %1 is writable").arg(QDir::toNativeSeparators(info.absolutePath())), m_path);
    // Owner-only: the folder 0700, the database 0600 before SQLite opens it (SQLite gives its -wal and
    // -shm files the database's permissions), older files tightened.
    restrictToOwner(info.absolutePath());
    if (!info.exists()) {
        QFile create(m_path);
        if (create.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            create.close();
    }
    for (const QString &file : QStringList{m_path, QString(m_path + u"-wal"), QString(m_path + u"-shm")})
        restrictToOwner(file);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        db.setDatabaseName(m_path);
        // Writers queue for the lock (BEGIN IMMEDIATE); a write takes milliseconds, so a long wait means
        // another program holds the file.
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=15000"));
        if (!db.open())
            return sqlError(QStringLiteral("open"), db.lastError());
        QSqlQuery query(db);
        if (!query.exec(QStringLiteral("PRAGMA journal_mode=WAL")))
            return sqlError(QStringLiteral("journal_mode"), query.lastError());
        for (const QString &pragma :
             {QStringLiteral("PRAGMA foreign_keys=ON"), QStringLiteral("PRAGMA synchronous=FULL")}) {
            if (!query.exec(pragma))
                return sqlError(pragma, query.lastError());
        }
    }
    for (const QString &file : QStringList{QString(m_path + u"-wal"), QString(m_path + u"-shm")})
        restrictToOwner(file);
    m_open = true;
    const UserError error = migrate();
    if (error.isError()) {
        m_open = false;
        database().close();
    }
    return error;
}

StoreResult<int> LocalStore::fileSchemaVersion() const
{
    if (!m_open)
        return {0, notOpen()};
    QSqlQuery query(database());
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return {0, sqlError(QStringLiteral("user_version"), query.lastError())};
    return {query.value(0).toInt(), {}};
}

UserError LocalStore::migrate()
{
    const StoreResult<int> version = fileSchemaVersion();
    if (!version.ok())
        return version.error;
    if (version.value > schemaVersion())
        return UserError::make(QStringLiteral("sync.store.newer"),
                               tr("The local data was written by a newer version of Fedsync"),
                               tr("This version understands format %1, the file has format %2")
                                   .arg(schemaVersion())
                                   .arg(version.value),
                               tr("Update Fedsync"), m_path);
    for (const Migration &step : migrations()) {
        if (step.version <= version.value)
            continue;
        const UserError error = inTransaction(QStringLiteral("migrate"), [&]() -> UserError {
            // Another process may have migrated while this one waited for the write lock.
            const StoreResult<int> current = fileSchemaVersion();
            if (!current.ok())
                return current.error;
            if (current.value >= step.version)
                return {};
            QSqlQuery query(database());
            for (const QString &statement : step.statements) {
                if (!query.exec(statement))
                    return sqlError(QStringLiteral("migrate to %1").arg(step.version), query.lastError());
            }
            if (!query.exec(QStringLiteral("PRAGMA user_version = %1").arg(step.version)))
                return sqlError(QStringLiteral("user_version"), query.lastError());
            return {};
        });
        if (error.isError())
            return error;
        qCInfo(lcSync) << "local store migrated to schema version" << step.version;
    }
    return {};
}

UserError LocalStore::inTransaction(const QString &what, const std::function<UserError()> &work)
{
    if (!m_open)
        return notOpen();
    QSqlDatabase db = database();
    // BEGIN IMMEDIATE takes the write lock up front, waiting (busy timeout) while another process
    // writes. A deferred BEGIN (QSqlDatabase::transaction()) reads first and then upgrades to a write,
    // and in WAL mode that upgrade fails with SQLITE_BUSY at once, whatever the timeout.
    QSqlQuery begin(db);
    if (!begin.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return sqlError(what + QStringLiteral(" (begin)"), begin.lastError());
    UserError error = work();
    if (!error.isError() && !db.commit())
        error = sqlError(what + QStringLiteral(" (commit)"), db.lastError());
    if (error.isError() && !db.rollback())
        qCWarning(lcSync) << "local store rollback failed:" << db.lastError().text();
    return error;
}

UserError LocalStore::ensureDataset(const QString &name, bool create)
{
    QSqlQuery query(database());
    query.prepare(QStringLiteral("SELECT deleted, last_sync_count FROM datasets WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec())
        return sqlError(QStringLiteral("find dataset"), query.lastError());
    if (query.next()) {
        if (query.value(0).toBool() || query.value(1).toLongLong() < 0)
            return UserError::make(
                QStringLiteral("sync.dataset.pendingDelete"),
                tr("The dataset “%1” is being deleted").arg(name),
                tr("It was deleted on this computer and the deletion has not reached the server yet"),
                tr("Synchronize first, then create it again"));
        return {};
    }
    if (!create)
        return UserError::make(QStringLiteral("sync.dataset.missing"),
                               tr("There is no dataset “%1”").arg(name), {},
                               tr("Synchronize to see the current datasets"));
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM datasets WHERE deleted = 0")) || !query.next())
        return sqlError(QStringLiteral("count datasets"), query.lastError());
    int count = query.value(0).toInt();
    if (count >= MaxDatasets && !isReservedDataset(name)) {
        // Fedsync's own dataset (the identity card) gives its place to the user's: a user with 20
        // datasets of their own gets no card. One that never reached the server just goes; one that did
        // is deleted there by the next sync.
        const StoreResult<bool> yielded = yieldReservedDataset();
        if (!yielded.ok())
            return yielded.error;
        if (yielded.value)
            --count;
    }
    if (count >= MaxDatasets)
        return UserError::make(
            QStringLiteral("sync.limit.datasets"), tr("The dataset “%1” cannot be created").arg(name),
            tr("You already have %1 datasets, the most Cognito Sync keeps per user").arg(count),
            tr("Delete a dataset you no longer need first"));
    const QDateTime now = m_clock.now();
    query.prepare(QStringLiteral("INSERT INTO datasets (name, created, last_modified) VALUES (?, ?, ?)"));
    query.addBindValue(name);
    query.addBindValue(timeValue(now));
    query.addBindValue(timeValue(now));
    if (!query.exec())
        return sqlError(QStringLiteral("create dataset"), query.lastError());
    return {};
}

bool LocalStore::isReservedDataset(const QString &name)
{
    return name.startsWith(QLatin1String("fedsync."));
}

StoreResult<bool> LocalStore::yieldReservedDataset()
{
    QSqlQuery query(database());
    if (!query.exec(QStringLiteral("SELECT name, last_sync_count FROM datasets WHERE deleted = 0"
                                   " AND substr(name, 1, 8) = 'fedsync.' ORDER BY name LIMIT 1")))
        return {false, sqlError(QStringLiteral("find reserved dataset"), query.lastError())};
    if (!query.next())
        return {false, {}};
    const QString name = query.value(0).toString();
    const qint64 lastSyncCount = query.value(1).toLongLong();
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM records WHERE dataset = ? AND sync_count > 0"));
    query.addBindValue(name);
    if (!query.exec() || !query.next())
        return {false, sqlError(QStringLiteral("find reserved dataset"), query.lastError())};
    const bool onServer = lastSyncCount > 0 || query.value(0).toLongLong() > 0;
    qCInfo(lcSync) << "The dataset" << name << "gives its place to one of the user's";
    if (onServer) {
        query.prepare(QStringLiteral(
            "UPDATE datasets SET deleted = 1, last_sync_count = -1, last_modified = ? WHERE name = ?"));
        query.addBindValue(timeValue(m_clock.now()));
        query.addBindValue(name);
        if (!query.exec())
            return {false, sqlError(QStringLiteral("delete dataset"), query.lastError())};
        return {true, {}};
    }
    for (const QString &statement : {QStringLiteral("DELETE FROM records WHERE dataset = ?"),
                                     QStringLiteral("DELETE FROM datasets WHERE name = ?")}) {
        query.prepare(statement);
        query.addBindValue(name);
        if (!query.exec())
            return {false, sqlError(QStringLiteral("purge dataset"), query.lastError())};
    }
    return {true, {}};
}

UserError LocalStore::refreshDatasetStats(const QString &name)
{
    QSqlQuery query(database());
    query.prepare(QStringLiteral(
        "UPDATE datasets SET"
        " storage_size_bytes = (SELECT COALESCE(SUM(length(CAST(key AS BLOB)) + length(CAST(value AS "
        "BLOB))), 0)"
        "   FROM records WHERE dataset = :name AND value IS NOT NULL),"
        " record_count = (SELECT COUNT(*) FROM records WHERE dataset = :name AND value IS NOT NULL)"
        " WHERE name = :name"));
    query.bindValue(QStringLiteral(":name"), name);
    if (!query.exec())
        return sqlError(QStringLiteral("dataset statistics"), query.lastError());
    return {};
}

StoreResult<QList<LocalDataset>> LocalStore::listDatasets() const
{
    if (!m_open)
        return {{}, notOpen()};
    QSqlQuery query(database());
    if (!query.exec(QStringLiteral(
            "SELECT name, created, last_modified, last_modified_by, last_sync_count,"
            " storage_size_bytes, record_count, deleted, remote_state FROM datasets ORDER BY name")))
        return {{}, sqlError(QStringLiteral("list datasets"), query.lastError())};
    QList<LocalDataset> result;
    while (query.next()) {
        LocalDataset dataset;
        dataset.name = query.value(0).toString();
        dataset.created = timeFrom(query, 1);
        dataset.lastModified = timeFrom(query, 2);
        dataset.lastModifiedBy = query.value(3).toString();
        dataset.lastSyncCount = query.value(4).toLongLong();
        dataset.storageSizeBytes = query.value(5).toLongLong();
        dataset.recordCount = query.value(6).toLongLong();
        dataset.deleted = query.value(7).toBool();
        dataset.remoteState = query.value(8).toString();
        result << dataset;
    }
    return {result, {}};
}

StoreResult<std::optional<LocalDataset>> LocalStore::dataset(const QString &name) const
{
    const StoreResult<QList<LocalDataset>> all = listDatasets();
    if (!all.ok())
        return {{}, all.error};
    for (const LocalDataset &dataset : all.value) {
        if (dataset.name == name)
            return {dataset, {}};
    }
    return {std::nullopt, {}};
}

UserError LocalStore::createDataset(const QString &name)
{
    if (UserError error = checkDatasetName(name); error.isError())
        return error;
    return inTransaction(QStringLiteral("create dataset"), [&]() { return ensureDataset(name, true); });
}

UserError LocalStore::markDatasetDeleted(const QString &name)
{
    return inTransaction(QStringLiteral("delete dataset"), [&]() -> UserError {
        QSqlQuery query(database());
        query.prepare(QStringLiteral(
            "UPDATE datasets SET deleted = 1, last_sync_count = -1, last_modified = ? WHERE name = ?"));
        query.addBindValue(timeValue(m_clock.now()));
        query.addBindValue(name);
        if (!query.exec())
            return sqlError(QStringLiteral("delete dataset"), query.lastError());
        if (query.numRowsAffected() == 0)
            return UserError::make(QStringLiteral("sync.dataset.missing"),
                                   tr("There is no dataset “%1”").arg(name));
        return {};
    });
}

UserError LocalStore::purgeDataset(const QString &name)
{
    return inTransaction(QStringLiteral("purge dataset"), [&]() -> UserError {
        QSqlQuery query(database());
        query.prepare(QStringLiteral("DELETE FROM datasets WHERE name = ?"));
        query.addBindValue(name);
        if (!query.exec())
            return sqlError(QStringLiteral("purge dataset"), query.lastError());
        return {};
    });
}

UserError LocalStore::setRemoteState(const QString &name, const QString &state)
{
    return inTransaction(QStringLiteral("save remote state"), [&]() -> UserError {
        QSqlQuery query(database());
        query.prepare(QStringLiteral("UPDATE datasets SET remote_state = ? WHERE name = ?"));
        query.addBindValue(state.isNull() ? QStringLiteral("") : state);
        query.addBindValue(name);
        if (!query.exec())
            return sqlError(QStringLiteral("save remote state"), query.lastError());
        return {};
    });
}

StoreResult<qint64> LocalStore::pendingChangeCount() const
{
    if (!m_open)
        return {0, notOpen()};
    QSqlQuery query(database());
    if (!query.exec(
            // The user's changes only: Fedsync's own datasets ("fedsync.", e.g. the identity card that
            // each sign-in records) are rewritten at the next sign-in and are not the user's edits.
            QStringLiteral("SELECT (SELECT COUNT(*) FROM records WHERE dirty = 1"
                           " AND substr(dataset, 1, 8) <> 'fedsync.') +"
                           " (SELECT COUNT(*) FROM datasets WHERE (deleted = 1 OR last_sync_count < 0)"
                           " AND substr(name, 1, 8) <> 'fedsync.')")) ||
        !query.next())
        return {0, sqlError(QStringLiteral("count changes"), query.lastError())};
    return {query.value(0).toLongLong(), {}};
}

StoreResult<qint64> LocalStore::datasetSize(const QString &name) const
{
    if (!m_open)
        return {0, notOpen()};
    QSqlQuery query(database());
    query.prepare(
        QStringLiteral("SELECT COALESCE(SUM(length(CAST(key AS BLOB)) + length(CAST(value AS BLOB))), 0)"
                       " FROM records WHERE dataset = ? AND value IS NOT NULL"));
    query.addBindValue(name);
    if (!query.exec() || !query.next())
        return {0, sqlError(QStringLiteral("dataset size"), query.lastError())};
    return {query.value(0).toLongLong(), {}};
}

StoreResult<QList<LocalRecord>> LocalStore::records(const QString &dataset, bool includeRemoved) const
{
    if (!m_open)
        return {{}, notOpen()};
    QSqlQuery query(database());
    query.prepare(
        QStringLiteral("SELECT %1 FROM records WHERE dataset = ?%2 ORDER BY key")
            .arg(recordColumns, includeRemoved ? QString() : QStringLiteral(" AND value IS NOT NULL")));
    query.addBindValue(dataset);
    if (!query.exec())
        return {{}, sqlError(QStringLiteral("read records"), query.lastError())};
    QList<LocalRecord> result;
    while (query.next())
        result << recordFrom(query);
    return {result, {}};
}

StoreResult<std::optional<LocalRecord>> LocalStore::record(const QString &dataset, const QString &key) const
{
    if (!m_open)
        return {{}, notOpen()};
    QSqlQuery query(database());
    query.prepare(QStringLiteral("SELECT %1 FROM records WHERE dataset = ? AND key = ?").arg(recordColumns));
    query.addBindValue(dataset);
    query.addBindValue(key);
    if (!query.exec())
        return {{}, sqlError(QStringLiteral("read record"), query.lastError())};
    if (!query.next())
        return {std::nullopt, {}};
    return {recordFrom(query), {}};
}

StoreResult<QList<LocalRecord>> LocalStore::dirtyRecords(const QString &dataset) const
{
    if (!m_open)
        return {{}, notOpen()};
    QSqlQuery query(database());
    query.prepare(QStringLiteral("SELECT %1 FROM records WHERE dataset = ? AND dirty = 1 ORDER BY key")
                      .arg(recordColumns));
    query.addBindValue(dataset);
    if (!query.exec())
        return {{}, sqlError(QStringLiteral("read changes"), query.lastError())};
    QList<LocalRecord> result;
    while (query.next())
        result << recordFrom(query);
    return {result, {}};
}

UserError LocalStore::putValue(const QString &dataset, const QString &key, const QString &value)
{
    return writeValue(dataset, key, value);
}

UserError LocalStore::removeValue(const QString &dataset, const QString &key)
{
    return writeValue(dataset, key, std::nullopt);
}

UserError LocalStore::writeValue(const QString &dataset, const QString &key,
                                 const std::optional<QString> &value)
{
    if (UserError error = checkDatasetName(dataset); error.isError())
        return error;
    if (UserError error = checkKey(key); error.isError())
        return error;
    return inTransaction(QStringLiteral("save record"),
                         [&]() { return writeValueInTransaction(dataset, key, value); });
}

UserError LocalStore::putValues(const QString &dataset, const QList<std::pair<QString, QString>> &values)
{
    if (UserError error = checkDatasetName(dataset); error.isError())
        return error;
    for (const auto &[key, value] : values) {
        if (UserError error = checkKey(key); error.isError())
            return error;
    }
    return inTransaction(QStringLiteral("save records"), [&]() -> UserError {
        const StoreResult<qint64> size = datasetSize(dataset);
        if (!size.ok())
            return size.error;
        const StoreResult<int> count = liveRecordCount(dataset);
        if (!count.ok())
            return count.error;
        Tally tally{size.value, count.value};
        for (const auto &[key, value] : values) {
            if (UserError error = writeValueInTransaction(dataset, key, value, &tally); error.isError())
                return error;
        }
        return values.isEmpty() ? UserError() : refreshDatasetStats(dataset);
    });
}

StoreResult<int> LocalStore::liveRecordCount(const QString &dataset) const
{
    QSqlQuery count(database());
    count.prepare(QStringLiteral("SELECT COUNT(*) FROM records WHERE dataset = ? AND value IS NOT NULL"));
    count.addBindValue(dataset);
    if (!count.exec() || !count.next())
        return {0, sqlError(QStringLiteral("count records"), count.lastError())};
    return {count.value(0).toInt(), {}};
}

UserError LocalStore::writeValueInTransaction(const QString &dataset, const QString &key,
                                              const std::optional<QString> &value, Tally *tally)
{
    if (UserError error = ensureDataset(dataset, value.has_value()); error.isError()) {
        // Removing a key of a dataset that does not exist changes nothing.
        return error.code == QStringLiteral("sync.dataset.missing") ? UserError() : error;
    }
    const StoreResult<std::optional<LocalRecord>> old = record(dataset, key);
    if (!old.ok())
        return old.error;
    const bool oldLive = old.value && !old.value->record.isRemoved();
    if (!value && !old.value)
        return {}; // nothing to remove
    const qint64 oldBytes = oldLive ? utf8Size(key) + utf8Size(*old.value->record.value) : 0;
    if (value) {
        const StoreResult<qint64> size = tally ? StoreResult<qint64>{tally->bytes, {}} : datasetSize(dataset);
        if (!size.ok())
            return size.error;
        const qint64 newSize = size.value - oldBytes + utf8Size(key) + utf8Size(*value);
        if (newSize > MaxDatasetBytes)
            return UserError::make(
                QStringLiteral("sync.limit.size"),
                tr("The value of “%1” cannot be saved in the dataset “%2”").arg(key, dataset),
                tr("%1; it holds %2 KB now and would grow to %3 KB")
                    .arg(SyncLimits::sizeRule(), kilobytes(size.value), kilobytes(newSize)),
                tr("Shorten the value or move records to another dataset"));
        if (!oldLive) {
            const StoreResult<int> count =
                tally ? StoreResult<int>{tally->records, {}} : liveRecordCount(dataset);
            if (!count.ok())
                return count.error;
            if (count.value >= MaxRecordsPerDataset)
                return UserError::make(
                    QStringLiteral("sync.limit.records"),
                    tr("The record “%1” cannot be added to the dataset “%2”").arg(key, dataset),
                    tr("%1 and it has %2").arg(SyncLimits::recordsRule()).arg(count.value),
                    tr("Remove records you no longer need or use another dataset"));
        }
    }
    const QDateTime now = m_clock.now();
    QSqlQuery query(database());
    query.prepare(QStringLiteral(
        "INSERT INTO records (dataset, key, value, sync_count, device_last_modified, dirty, revision)"
        " VALUES (:dataset, :key, :value, 0, :now, 1, 1)"
        " ON CONFLICT (dataset, key) DO UPDATE SET value = excluded.value,"
        " device_last_modified = excluded.device_last_modified, dirty = 1, revision = revision + 1"));
    query.bindValue(QStringLiteral(":dataset"), dataset);
    query.bindValue(QStringLiteral(":key"), key);
    query.bindValue(QStringLiteral(":value"), textValue(value));
    query.bindValue(QStringLiteral(":now"), timeValue(now));
    if (!query.exec())
        return sqlError(QStringLiteral("save record"), query.lastError());
    query.prepare(QStringLiteral("UPDATE datasets SET last_modified = ? WHERE name = ?"));
    query.addBindValue(timeValue(now));
    query.addBindValue(dataset);
    if (!query.exec())
        return sqlError(QStringLiteral("save record"), query.lastError());
    if (tally) {
        tally->bytes += (value ? utf8Size(key) + utf8Size(*value) : 0) - oldBytes;
        tally->records += (value && !oldLive) ? 1 : (!value && oldLive) ? -1 : 0;
        return {};
    }
    return refreshDatasetStats(dataset);
}

StoreResult<LocalStore::ApplyOutcome>
LocalStore::applyRemote(const QString &dataset, const QList<SyncRecord> &remote, qint64 newSyncCount,
                        const QHash<QString, ConflictResolution> &resolutions)
{
    ApplyOutcome outcome;
    const UserError error = inTransaction(QStringLiteral("save pulled records"), [&]() -> UserError {
        QSqlQuery query(database());
        query.prepare(QStringLiteral("INSERT INTO datasets (name, created, last_modified) VALUES (?, ?, ?)"
                                     " ON CONFLICT (name) DO NOTHING"));
        query.addBindValue(dataset);
        query.addBindValue(timeValue(m_clock.now()));
        query.addBindValue(timeValue(m_clock.now()));
        if (!query.exec())
            return sqlError(QStringLiteral("create dataset"), query.lastError());

        // Only records with unsent local changes can conflict: read them once, not one query per
        // pulled record, and prepare each statement once for the whole page.
        const StoreResult<QList<LocalRecord>> dirty = dirtyRecords(dataset);
        if (!dirty.ok())
            return dirty.error;
        QHash<QString, const LocalRecord *> dirtyByKey;
        for (const LocalRecord &local : dirty.value)
            dirtyByKey.insert(local.record.key, &local);
        QSqlQuery takeRemote(database());
        takeRemote.prepare(QStringLiteral(
            "INSERT INTO records (dataset, key, value, sync_count, last_modified, last_modified_by,"
            " device_last_modified, dirty) VALUES (:dataset, :key, :value, :count, :modified, :by, "
            ":device, 0)"
            " ON CONFLICT (dataset, key) DO UPDATE SET value = excluded.value, sync_count = "
            "excluded.sync_count,"
            " last_modified = excluded.last_modified, last_modified_by = excluded.last_modified_by,"
            " device_last_modified = excluded.device_last_modified, dirty = 0"));
        QSqlQuery keepMine(database());
        QSqlQuery merge(database());

        qint64 lastSyncCount = newSyncCount;
        QDateTime newest;
        QString newestBy;
        for (const SyncRecord &incoming : remote) {
            const LocalRecord *local = dirtyByKey.value(incoming.key);
            enum class Action { TakeRemote, KeepMine, Merge, Leave } action = Action::TakeRemote;
            std::optional<QString> mergedValue;
            if (local && local->record.value != incoming.value) {
                const auto resolution = resolutions.constFind(incoming.key);
                if (resolution == resolutions.cend()) {
                    action = Action::Leave;
                } else if (resolution->choice == ConflictResolution::Choice::KeepMine) {
                    action = Action::KeepMine;
                } else if (resolution->choice == ConflictResolution::Choice::Merged) {
                    action = Action::Merge;
                    mergedValue = resolution->mergedValue;
                }
            }
            QSqlQuery *statement = &takeRemote;
            switch (action) {
            case Action::TakeRemote:
                takeRemote.bindValue(QStringLiteral(":value"), textValue(incoming.value));
                takeRemote.bindValue(QStringLiteral(":modified"), timeValue(incoming.lastModified));
                takeRemote.bindValue(QStringLiteral(":by"), incoming.lastModifiedBy);
                takeRemote.bindValue(QStringLiteral(":device"), timeValue(incoming.deviceLastModified));
                ++outcome.saved;
                break;
            case Action::KeepMine:
                if (keepMine.lastQuery().isEmpty())
                    keepMine.prepare(QStringLiteral(
                        "UPDATE records SET sync_count = :count WHERE dataset = :dataset AND key = :key"));
                statement = &keepMine;
                break;
            case Action::Merge:
                if (merge.lastQuery().isEmpty())
                    merge.prepare(
                        QStringLiteral("UPDATE records SET sync_count = :count, value = :value, dirty = 1,"
                                       " device_last_modified = :device, revision = revision + 1"
                                       " WHERE dataset = :dataset AND key = :key"));
                merge.bindValue(QStringLiteral(":value"), textValue(mergedValue));
                merge.bindValue(QStringLiteral(":device"), timeValue(m_clock.now()));
                statement = &merge;
                break;
            case Action::Leave:
                outcome.unresolvedKeys << incoming.key;
                lastSyncCount = std::min(lastSyncCount, incoming.syncCount - 1);
                continue;
            }
            statement->bindValue(QStringLiteral(":dataset"), dataset);
            statement->bindValue(QStringLiteral(":key"), incoming.key);
            statement->bindValue(QStringLiteral(":count"), incoming.syncCount);
            if (!statement->exec())
                return sqlError(QStringLiteral("save pulled record"), statement->lastError());
            if (incoming.lastModified.isValid() && (!newest.isValid() || incoming.lastModified > newest)) {
                newest = incoming.lastModified;
                newestBy = incoming.lastModifiedBy;
            }
        }
        outcome.lastSyncCount = std::max<qint64>(lastSyncCount, 0);
        query.prepare(QStringLiteral("UPDATE datasets SET last_sync_count = ?, deleted = 0,"
                                     " last_modified = COALESCE(?, last_modified),"
                                     " last_modified_by = COALESCE(?, last_modified_by) WHERE name = ?"));
        query.addBindValue(outcome.lastSyncCount);
        query.addBindValue(timeValue(newest));
        query.addBindValue(newest.isValid() ? QVariant(newestBy) : QVariant(QMetaType::fromType<QString>()));
        query.addBindValue(dataset);
        if (!query.exec())
            return sqlError(QStringLiteral("save sync count"), query.lastError());
        return refreshDatasetStats(dataset);
    });
    return {error.isError() ? ApplyOutcome() : outcome, error};
}

UserError LocalStore::markPushed(const QString &dataset, const QList<PushedRecord> &pushed,
                                 qint64 newSyncCount)
{
    return inTransaction(QStringLiteral("save pushed records"), [&]() -> UserError {
        // One statement, prepared once, for every record of the push.
        QSqlQuery query(database());
        query.prepare(QStringLiteral(
            "UPDATE records SET sync_count = :count, last_modified = :modified, last_modified_by = :by,"
            " dirty = CASE WHEN revision = :revision THEN 0 ELSE dirty END"
            " WHERE dataset = :dataset AND key = :key"));
        for (const PushedRecord &record : pushed) {
            query.bindValue(QStringLiteral(":count"), record.remote.syncCount);
            query.bindValue(QStringLiteral(":modified"), timeValue(record.remote.lastModified));
            query.bindValue(QStringLiteral(":by"), record.remote.lastModifiedBy);
            query.bindValue(QStringLiteral(":revision"), record.revision);
            query.bindValue(QStringLiteral(":dataset"), dataset);
            query.bindValue(QStringLiteral(":key"), record.key);
            if (!query.exec())
                return sqlError(QStringLiteral("save pushed record"), query.lastError());
        }
        if (newSyncCount >= 0) {
            query.prepare(
                QStringLiteral("UPDATE datasets SET last_sync_count = ? WHERE name = ? AND deleted = 0"));
            query.addBindValue(newSyncCount);
            query.addBindValue(dataset);
            if (!query.exec())
                return sqlError(QStringLiteral("save sync count"), query.lastError());
        }
        return {};
    });
}

UserError LocalStore::resetToLocalChanges(const QString &dataset)
{
    return inTransaction(QStringLiteral("reset dataset"), [&]() -> UserError {
        QSqlQuery query(database());
        query.prepare(
            QStringLiteral("DELETE FROM records WHERE dataset = ? AND (dirty = 0 OR value IS NULL)"));
        query.addBindValue(dataset);
        if (!query.exec())
            return sqlError(QStringLiteral("reset dataset"), query.lastError());
        query.prepare(QStringLiteral("UPDATE records SET sync_count = 0 WHERE dataset = ?"));
        query.addBindValue(dataset);
        if (!query.exec())
            return sqlError(QStringLiteral("reset dataset"), query.lastError());
        query.prepare(QStringLiteral("UPDATE datasets SET last_sync_count = 0, deleted = 0 WHERE name = ?"));
        query.addBindValue(dataset);
        if (!query.exec())
            return sqlError(QStringLiteral("reset dataset"), query.lastError());
        return refreshDatasetStats(dataset);
    });
}

} // namespace fedsync

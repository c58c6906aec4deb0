#include "sync/localstore.h"
#include "common/errorcodes.h"

#include "log/logcategories.h"
#include "sync/storequery.h"
#include "sync/storeschema.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace fedsync {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LocalStore", text);
}

QDateTime timeFrom(const StoreQuery &query, int column)
{
    return query.isNull(column) ? QDateTime()
                                : QDateTime::fromMSecsSinceEpoch(query.value(column).toLongLong(), Qt::UTC);
}

qint64 utf8Size(const QString &text)
{
    return text.toUtf8().size();
}

const QString recordColumns = QStringLiteral("dataset, key, value, sync_count, last_modified, "
                                             "last_modified_by, device_last_modified, dirty, revision");

LocalRecord recordFrom(const StoreQuery &query)
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

// The records a SELECT of recordColumns returns.
StoreResult<QList<LocalRecord>> readRecords(const StoreConnection &db, const QString &what,
                                            const QString &sql, const QVariantList &values)
{
    if (!db.isOpen())
        return {{}, db.notOpen()};
    StoreQuery query(db);
    if (UserError error = query.run(what, sql, values); error.isError())
        return {{}, error};
    QList<LocalRecord> result;
    while (query.next())
        result << recordFrom(query);
    return {result, {}};
}

// In KB with one decimal: near the limit, "1.00 MB" would hide the bytes that do not fit.
QString kilobytes(qint64 bytes)
{
    return QString::number(double(bytes) / 1024.0, 'f', 1);
}

} // namespace

int LocalStore::schemaVersion()
{
    return StoreSchema::version();
}

LocalStore::LocalStore(QString path)
    : m_db(std::move(path))
{}

LocalStore::~LocalStore() = default;

UserError LocalStore::open()
{
    if (m_db.isOpen())
        return {};
    if (UserError error = m_db.open(); error.isError())
        return error;
    const UserError error = StoreSchema::migrate(m_db);
    if (error.isError())
        m_db.close();
    return error;
}

StoreResult<int> LocalStore::fileSchemaVersion() const
{
    return StoreSchema::fileVersion(m_db);
}

UserError LocalStore::ensureDataset(const QString &name, bool create)
{
    StoreQuery query(m_db);
    if (UserError error =
            query.run(QStringLiteral("find dataset"),
                      QStringLiteral("SELECT deleted, last_sync_count FROM datasets WHERE name = ?"), {name});
        error.isError())
        return error;
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
    const StoreResult<QVariant> datasets = query.scalar(
        QStringLiteral("count datasets"), QStringLiteral("SELECT COUNT(*) FROM datasets WHERE deleted = 0"));
    if (!datasets.ok())
        return datasets.error;
    int count = datasets.value.toInt();
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
    const QVariant now = sqlTime(m_clock.now());
    return query.run(QStringLiteral("create dataset"),
                     QStringLiteral("INSERT INTO datasets (name, created, last_modified) VALUES (?, ?, ?)"),
                     {name, now, now});
}

bool LocalStore::isReservedDataset(const QString &name)
{
    return name.startsWith(QLatin1String("fedsync."));
}

StoreResult<bool> LocalStore::yieldReservedDataset()
{
    StoreQuery query(m_db);
    if (UserError error =
            query.run(QStringLiteral("find reserved dataset"),
                      QStringLiteral("SELECT name, last_sync_count FROM datasets WHERE deleted = 0"
                                     " AND substr(name, 1, 8) = 'fedsync.' ORDER BY name LIMIT 1"));
        error.isError())
        return {false, error};
    if (!query.next())
        return {false, {}};
    const QString name = query.value(0).toString();
    const qint64 lastSyncCount = query.value(1).toLongLong();
    const StoreResult<QVariant> synced = query.scalar(
        QStringLiteral("find reserved dataset"),
        QStringLiteral("SELECT COUNT(*) FROM records WHERE dataset = ? AND sync_count > 0"), {name});
    if (!synced.ok())
        return {false, synced.error};
    const bool onServer = lastSyncCount > 0 || synced.value.toLongLong() > 0;
    qCInfo(lcSync) << "The dataset" << name << "gives its place to one of the user's";
    if (onServer) {
        const UserError error = query.run(
            QStringLiteral("delete dataset"),
            QStringLiteral(
                "UPDATE datasets SET deleted = 1, last_sync_count = -1, last_modified = ? WHERE name = ?"),
            {sqlTime(m_clock.now()), name});
        return {!error.isError(), error};
    }
    for (const QString &statement : {QStringLiteral("DELETE FROM records WHERE dataset = ?"),
                                     QStringLiteral("DELETE FROM datasets WHERE name = ?")}) {
        if (UserError error = query.run(QStringLiteral("purge dataset"), statement, {name}); error.isError())
            return {false, error};
    }
    return {true, {}};
}

StoreResult<QList<LocalDataset>> LocalStore::listDatasets() const
{
    return readDatasets(QStringLiteral("list datasets"), QString(), {});
}

StoreResult<std::optional<LocalDataset>> LocalStore::dataset(const QString &name) const
{
    const StoreResult<QList<LocalDataset>> found =
        readDatasets(QStringLiteral("read dataset"), QStringLiteral(" WHERE name = ?"), {name});
    if (!found.ok())
        return {{}, found.error};
    return {found.value.isEmpty() ? std::nullopt : std::optional<LocalDataset>(found.value.first()), {}};
}

StoreResult<QList<LocalDataset>> LocalStore::readDatasets(const QString &what, const QString &where,
                                                          const QVariantList &values) const
{
    if (!m_db.isOpen())
        return {{}, m_db.notOpen()};
    StoreQuery query(m_db);
    if (UserError error = query.run(what,
                                    QStringLiteral("SELECT name, created, last_modified, last_modified_by,"
                                                   " last_sync_count, storage_size_bytes, record_count,"
                                                   " deleted, remote_state FROM datasets%1 ORDER BY name")
                                        .arg(where),
                                    values);
        error.isError())
        return {{}, error};
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

UserError LocalStore::createDataset(const QString &name)
{
    if (UserError error = checkDatasetName(name); error.isError())
        return error;
    return m_db.inTransaction(QStringLiteral("create dataset"), [&]() { return ensureDataset(name, true); });
}

UserError LocalStore::markDatasetDeleted(const QString &name)
{
    return m_db.inTransaction(QStringLiteral("delete dataset"), [&]() -> UserError {
        StoreQuery query(m_db);
        if (UserError error = query.run(QStringLiteral("delete dataset"),
                                        QStringLiteral("UPDATE datasets SET deleted = 1, last_sync_count = "
                                                       "-1, last_modified = ? WHERE name = ?"),
                                        {sqlTime(m_clock.now()), name});
            error.isError())
            return error;
        if (query.numRowsAffected() == 0)
            return UserError::make(QStringLiteral("sync.dataset.missing"),
                                   tr("There is no dataset “%1”").arg(name));
        return {};
    });
}

UserError LocalStore::purgeDataset(const QString &name)
{
    return m_db.inTransaction(QStringLiteral("purge dataset"), [&]() {
        return StoreQuery(m_db).run(QStringLiteral("purge dataset"),
                                    QStringLiteral("DELETE FROM datasets WHERE name = ?"), {name});
    });
}

UserError LocalStore::setRemoteState(const QString &name, const QString &state)
{
    return m_db.inTransaction(QStringLiteral("save remote state"), [&]() {
        return StoreQuery(m_db).run(QStringLiteral("save remote state"),
                                    QStringLiteral("UPDATE datasets SET remote_state = ? WHERE name = ?"),
                                    {state.isNull() ? QStringLiteral("") : state, name});
    }, StoreConnection::Durability::Refetchable); // ListDatasets says it again
}

StoreResult<qint64> LocalStore::pendingChangeCount() const
{
    if (!m_db.isOpen())
        return {0, m_db.notOpen()};
    // The user's changes only: Fedsync's own datasets ("fedsync.", e.g. the identity card that each
    // sign-in records) are rewritten at the next sign-in and are not the user's edits.
    const StoreResult<QVariant> count = StoreQuery(m_db).scalar(
        QStringLiteral("count changes"),
        QStringLiteral("SELECT (SELECT COUNT(*) FROM records WHERE dirty = 1"
                       " AND substr(dataset, 1, 8) <> 'fedsync.') +"
                       " (SELECT COUNT(*) FROM datasets WHERE (deleted = 1 OR last_sync_count < 0)"
                       " AND substr(name, 1, 8) <> 'fedsync.')"));
    return {count.value.toLongLong(), count.error};
}

StoreResult<qint64> LocalStore::datasetSize(const QString &name) const
{
    if (!m_db.isOpen())
        return {0, m_db.notOpen()};
    // Kept exact by the schema's triggers (StoreSchema, version 4), also inside a transaction; 0 for a
    // dataset not created yet.
    const StoreResult<QVariant> size = StoreQuery(m_db).scalar(
        QStringLiteral("dataset size"),
        QStringLiteral("SELECT COALESCE((SELECT storage_size_bytes FROM datasets WHERE name = ?), 0)"),
        {name});
    return {size.value.toLongLong(), size.error};
}

StoreResult<QList<LocalRecord>> LocalStore::records(const QString &dataset, bool includeRemoved) const
{
    return readRecords(
        m_db, QStringLiteral("read records"),
        QStringLiteral("SELECT %1 FROM records WHERE dataset = ?%2 ORDER BY key")
            .arg(recordColumns, includeRemoved ? QString() : QStringLiteral(" AND value IS NOT NULL")),
        {dataset});
}

StoreResult<std::optional<LocalRecord>> LocalStore::record(const QString &dataset, const QString &key) const
{
    const StoreResult<QList<LocalRecord>> found =
        readRecords(m_db, QStringLiteral("read record"),
                    QStringLiteral("SELECT %1 FROM records WHERE dataset = ? AND key = ?").arg(recordColumns),
                    {dataset, key});
    if (!found.ok())
        return {{}, found.error};
    if (found.value.isEmpty())
        return {std::nullopt, {}};
    return {found.value.first(), {}};
}

StoreResult<QList<LocalRecord>> LocalStore::dirtyRecords(const QString &dataset) const
{
    // "+key": sorting the few dirty rows found through the records_dirty index; with a plain "ORDER BY
    // key" SQLite walks the primary key's index instead, i.e. every record of the dataset (1,024 rows
    // read for one edit). The order is the same (BINARY collation).
    return readRecords(m_db, QStringLiteral("read changes"),
                       QStringLiteral("SELECT %1 FROM records WHERE dataset = ? AND dirty = 1 ORDER BY +key")
                           .arg(recordColumns),
                       {dataset});
}

StoreResult<bool> LocalStore::hasDirtyRecords(const QString &dataset) const
{
    if (!m_db.isOpen())
        return {false, m_db.notOpen()};
    StoreQuery query(m_db);
    const StoreResult<QVariant> found = query.scalar(
        QStringLiteral("look for changes"),
        QStringLiteral("SELECT EXISTS (SELECT 1 FROM records WHERE dataset = ? AND dirty = 1)"), {dataset});
    if (!found.ok())
        return {false, found.error};
    return {found.value.toBool(), {}};
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
    return m_db.inTransaction(QStringLiteral("save record"),
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
    return m_db.inTransaction(QStringLiteral("save records"), [&]() -> UserError {
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
        return {};
    });
}

StoreResult<int> LocalStore::liveRecordCount(const QString &dataset) const
{
    const StoreResult<QVariant> count = StoreQuery(m_db).scalar(
        QStringLiteral("count records"),
        QStringLiteral("SELECT COALESCE((SELECT record_count FROM datasets WHERE name = ?), 0)"), {dataset});
    return {count.value.toInt(), count.error};
}

UserError LocalStore::writeValueInTransaction(const QString &dataset, const QString &key,
                                              const std::optional<QString> &value, Tally *tally)
{
    if (UserError error = ensureDataset(dataset, value.has_value()); error.isError()) {
        // Removing a key of a dataset that does not exist changes nothing.
        return error.code == errorcode::SyncDatasetMissing ? UserError() : error;
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
    const QVariant now = sqlTime(m_clock.now());
    StoreQuery query(m_db);
    if (UserError error = query.run(
            QStringLiteral("save record"),
            QStringLiteral(
                "INSERT INTO records (dataset, key, value, sync_count, device_last_modified, dirty, revision)"
                " VALUES (?, ?, ?, 0, ?, 1, 1)"
                " ON CONFLICT (dataset, key) DO UPDATE SET value = excluded.value,"
                " device_last_modified = excluded.device_last_modified, dirty = 1, revision = revision + 1"),
            {dataset, key, sqlText(value), now});
        error.isError())
        return error;
    // A row that did not exist was inserted, and is counted here (schema v5 has no insert trigger); a
    // row that existed was updated, and the update trigger counted the change.
    const bool added = !old.value && value;
    const qint64 addedBytes = added ? SyncLimits::recordBytes(key, value) : 0;
    if (UserError error = query.run(
            QStringLiteral("save record"),
            QStringLiteral("UPDATE datasets SET last_modified = ?, record_count = record_count + ?,"
                           " storage_size_bytes = storage_size_bytes + ? WHERE name = ?"),
            {now, added ? 1 : 0, addedBytes, dataset});
        error.isError())
        return error;
    if (tally) {
        tally->bytes += (value ? utf8Size(key) + utf8Size(*value) : 0) - oldBytes;
        tally->records += (value && !oldLive) ? 1 : (!value && oldLive) ? -1 : 0;
    }
    return {};
}

} // namespace fedsync

// LocalStore's side of a sync: pulled records saved as PullMerge decided, pushed records marked, and a
// dataset deleted remotely reset to the local edits.
#include "sync/localstore.h"

#include "log/logcategories.h"
#include "sync/storequery.h"
#include "sync/storeschema.h"

#include <algorithm>

namespace fedsync {

namespace {

// The pulled records taken as they are, saved many to a statement: SQLite's work to start and end a
// statement (and Qt's to run it) was as much as its work to save one record. Blocks of 16, then of the
// powers of two that make up the rest, so a few statements of each size are prepared once per connection.
class TakenRecords final
{
public:
    explicit TakenRecords(const StoreConnection &connection)
        : m_connection(connection)
    {}

    void add(const QString &dataset, const SyncRecord &record)
    {
        m_values << dataset << record.key << sqlText(record.value) << record.syncCount
                 << sqlTime(record.lastModified) << record.lastModifiedBy
                 << sqlTime(record.deviceLastModified);
    }

    UserError save()
    {
        qsizetype from = 0;
        const qsizetype records = m_values.size() / columns;
        for (qsizetype block = 16; block >= 1; block /= 2) {
            const QString sql = statement(block);
            StoreQuery query(m_connection);
            while (records - from / columns >= block) {
                if (UserError error = query.run(QStringLiteral("save pulled records"), sql,
                                                m_values.mid(from, block * columns));
                    error.isError())
                    return error;
                from += block * columns;
            }
        }
        return {};
    }

private:
    static constexpr qsizetype columns = 7;

    static QString statement(qsizetype rows)
    {
        QString sql = QStringLiteral("INSERT INTO records (dataset, key, value, sync_count, last_modified,"
                                     " last_modified_by, device_last_modified, dirty) VALUES ");
        for (qsizetype i = 0; i < rows; ++i)
            sql += i == 0 ? QStringLiteral("(?, ?, ?, ?, ?, ?, ?, 0)")
                          : QStringLiteral(", (?, ?, ?, ?, ?, ?, ?, 0)");
        sql += QStringLiteral(" ON CONFLICT (dataset, key) DO UPDATE SET value = excluded.value,"
                              " sync_count = excluded.sync_count, last_modified = excluded.last_modified,"
                              " last_modified_by = excluded.last_modified_by,"
                              " device_last_modified = excluded.device_last_modified, dirty = 0");
        return sql;
    }

    const StoreConnection &m_connection;
    QVariantList m_values;
};

} // namespace

StoreResult<LocalStore::ApplyOutcome>
LocalStore::applyRemote(const QString &dataset, const QList<PulledRecord> &pulled, qint64 newSyncCount)
{
    using Action = PulledRecord::Action;
    ApplyOutcome outcome;
    // A pull that brings nothing new to a dataset caught up with it changes nothing: no transaction, so
    // no write lock to wait for and no commit to flush (every sync of a local edit, every sync that finds
    // nothing).
    if (pulled.isEmpty()) {
        const auto local = this->dataset(dataset);
        if (local.ok() && local.value && local.value->isCaughtUpWith(newSyncCount)) {
            outcome.lastSyncCount = local.value->lastSyncCount;
            return {outcome, {}};
        }
    }
    // Records taken as the server has them can be pulled again; a merge or a kept edit is a decision (a
    // user's, under ConflictPolicy::Ask), flushed like an edit.
    const bool onlyTaken = std::all_of(pulled.cbegin(), pulled.cend(), [](const PulledRecord &decision) {
        return decision.action == Action::TakeRemote || decision.action == Action::Leave;
    });
    const UserError failure = m_db.inTransaction(QStringLiteral("save pulled records"), [&]() -> UserError {
        StoreQuery query(m_db);
        const QVariant now = sqlTime(m_clock.now());
        if (UserError error = query.run(QStringLiteral("create dataset"),
                                        QStringLiteral("INSERT INTO datasets (name, created, last_modified)"
                                                       " VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING"),
                                        {dataset, now, now});
            error.isError())
            return error;

        // A decision holds for the state of the record it was made on: the unpushed edits as the file
        // holds them now, read once for the whole page (only records with such edits can have changed).
        const StoreResult<QList<LocalRecord>> dirty = dirtyRecords(dataset);
        if (!dirty.ok())
            return dirty.error;
        QHash<QString, qint64> dirtyRevisions;
        for (const LocalRecord &local : dirty.value)
            dirtyRevisions.insert(local.record.key, local.revision);
        // The records taken as they are in blocks; one statement per other action, each prepared once
        // for the whole page.
        TakenRecords taken(m_db);
        StoreQuery keepMine(m_db);
        StoreQuery merge(m_db);
        // The rows the pull adds are counted here (schema v5 has no insert trigger; a changed row's
        // trigger counts its change, a key's second coming in the same pull included). Into a dataset
        // without rows (a new device's first pull) every key is new when it first comes. Otherwise a pull
        // of more than 64 records recounts the dataset once it is saved, and a smaller one looks each key
        // up and counts the rows it adds, since a recount reads every record of the dataset.
        StoreQuery lookUp(m_db);
        const StoreResult<QVariant> anyRow =
            lookUp.scalar(QStringLiteral("look up dataset"),
                          QStringLiteral("SELECT EXISTS (SELECT 1 FROM records WHERE dataset = ?)"), {dataset});
        if (!anyRow.ok())
            return anyRow.error;
        const bool emptyBefore = !anyRow.value.toBool();
        const bool recount = pulled.size() > 64 && !emptyBefore;
        QSet<QString> held; // the keys with a row, as looked up or added (a key can come twice)
        qint64 addedRecords = 0;
        qint64 addedBytes = 0;
        const auto countIfAdded = [&](const SyncRecord &record) -> UserError {
            if (recount || held.contains(record.key))
                return {};
            held.insert(record.key);
            bool exists = false;
            if (!emptyBefore) {
                const StoreResult<QVariant> row = lookUp.scalar(
                    QStringLiteral("look up pulled record"),
                    QStringLiteral("SELECT EXISTS (SELECT 1 FROM records WHERE dataset = ? AND key = ?)"),
                    {dataset, record.key});
                if (!row.ok())
                    return row.error;
                exists = row.value.toBool();
            }
            if (!exists && record.value) {
                ++addedRecords;
                addedBytes += SyncLimits::recordBytes(record.key, record.value);
            }
            return {};
        };

        qint64 lastSyncCount = newSyncCount;
        QDateTime newest;
        QString newestBy;
        for (const PulledRecord &decision : pulled) {
            const SyncRecord &incoming = decision.remote;
            const auto found = dirtyRevisions.constFind(incoming.key);
            const std::optional<qint64> revision =
                found == dirtyRevisions.cend() ? std::nullopt : std::optional<qint64>(*found);
            Action action = decision.action;
            if (revision != decision.localRevision) {
                qCInfo(lcSync) << "a pulled record of" << dataset
                               << "was edited since its merge was decided: left for the next sync";
                action = Action::Leave;
            }
            UserError error;
            switch (action) {
            case Action::TakeRemote:
                error = countIfAdded(incoming);
                taken.add(dataset, incoming);
                ++outcome.saved;
                break;
            case Action::KeepMine:
                error = keepMine.run(
                    QStringLiteral("save pulled record"),
                    QStringLiteral("UPDATE records SET sync_count = ? WHERE dataset = ? AND key = ?"),
                    {incoming.syncCount, dataset, incoming.key});
                break;
            case Action::Merge:
                error = merge.run(QStringLiteral("save pulled record"),
                                  QStringLiteral("UPDATE records SET sync_count = ?, value = ?, dirty = 1,"
                                                 " device_last_modified = ?, revision = revision + 1"
                                                 " WHERE dataset = ? AND key = ?"),
                                  {incoming.syncCount, sqlText(decision.mergedValue), sqlTime(m_clock.now()),
                                   dataset, incoming.key});
                break;
            case Action::Leave:
                outcome.unresolvedKeys << incoming.key;
                lastSyncCount = std::min(lastSyncCount, incoming.syncCount - 1);
                continue;
            }
            if (error.isError())
                return error;
            if (incoming.lastModified.isValid() && (!newest.isValid() || incoming.lastModified > newest)) {
                newest = incoming.lastModified;
                newestBy = incoming.lastModifiedBy;
            }
        }
        if (UserError error = taken.save(); error.isError())
            return error;
        if (recount) {
            if (UserError error = query.run(QStringLiteral("count records"),
                                            StoreSchema::recountStatistics(QStringLiteral(" WHERE name = ?")),
                                            {dataset});
                error.isError())
                return error;
        }
        outcome.lastSyncCount = std::max<qint64>(lastSyncCount, 0);
        return query.run(QStringLiteral("save sync count"),
                         QStringLiteral("UPDATE datasets SET last_sync_count = ?, deleted = 0,"
                                        " last_modified = COALESCE(?, last_modified),"
                                        " last_modified_by = COALESCE(?, last_modified_by),"
                                        " record_count = record_count + ?,"
                                        " storage_size_bytes = storage_size_bytes + ? WHERE name = ?"),
                         {outcome.lastSyncCount, sqlTime(newest),
                          newest.isValid() ? QVariant(newestBy) : QVariant(QMetaType::fromType<QString>()),
                          addedRecords, addedBytes, dataset});
    }, onlyTaken ? StoreConnection::Durability::Refetchable : StoreConnection::Durability::Flushed);
    return {failure.isError() ? ApplyOutcome() : outcome, failure};
}

UserError LocalStore::markPushed(const QString &dataset, const QList<PushedRecord> &pushed,
                                 qint64 newSyncCount)
{
    return m_db.inTransaction(QStringLiteral("save pushed records"), [&]() -> UserError {
        // One statement, prepared once, for every record of the push.
        StoreQuery query(m_db);
        for (const PushedRecord &record : pushed) {
            if (UserError error = query.run(
                    QStringLiteral("save pushed record"),
                    QStringLiteral(
                        "UPDATE records SET sync_count = ?, last_modified = ?, last_modified_by = ?,"
                        " dirty = CASE WHEN revision = ? THEN 0 ELSE dirty END"
                        " WHERE dataset = ? AND key = ?"),
                    {record.remote.syncCount, sqlTime(record.remote.lastModified),
                     record.remote.lastModifiedBy, record.revision, dataset, record.key});
                error.isError())
                return error;
        }
        if (newSyncCount < 0)
            return {};
        return query.run(
            QStringLiteral("save sync count"),
            QStringLiteral("UPDATE datasets SET last_sync_count = ? WHERE name = ? AND deleted = 0"),
            {newSyncCount, dataset});
    }, StoreConnection::Durability::Refetchable); // a lost mark: the next sync finds the record on the server
}

UserError LocalStore::resetToLocalChanges(const QString &dataset)
{
    return m_db.inTransaction(QStringLiteral("reset dataset"), [&]() -> UserError {
        StoreQuery query(m_db);
        for (const QString &statement :
             {QStringLiteral("DELETE FROM records WHERE dataset = ? AND (dirty = 0 OR value IS NULL)"),
              QStringLiteral("UPDATE records SET sync_count = 0 WHERE dataset = ?"),
              QStringLiteral("UPDATE datasets SET last_sync_count = 0, deleted = 0 WHERE name = ?")}) {
            if (UserError error = query.run(QStringLiteral("reset dataset"), statement, {dataset});
                error.isError())
                return error;
        }
        return UserError();
    });
}

} // namespace fedsync

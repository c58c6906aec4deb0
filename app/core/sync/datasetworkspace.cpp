#include "sync/datasetworkspace.h"

#include "sync/backgroundstorewriter.h"
#include "sync/synclimits.h"
#include "sync/syncengine.h"

namespace fedsync {

DatasetWorkspace::DatasetWorkspace(LocalStore &store, SyncEngine &engine, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    // A synchronization writes pulled records even when it fails or is cancelled later on.
    connect(&engine, &SyncEngine::finished, this, &DatasetWorkspace::announceSync);
    connect(&engine, &SyncEngine::failed, this, &DatasetWorkspace::announceSync);
    connect(&engine, &SyncEngine::cancelled, this, &DatasetWorkspace::announceSync);
    connect(&engine, &SyncEngine::datasetDeletedRemotely, this, &DatasetWorkspace::datasetsChanged);
}

DatasetWorkspace::~DatasetWorkspace() = default;

void DatasetWorkspace::announceSync(const QString &dataset)
{
    if (!dataset.isEmpty())
        Q_EMIT datasetChanged(dataset);
    Q_EMIT datasetsChanged();
}

StoreResult<DatasetWorkspace::Change> DatasetWorkspace::write(const QString &dataset, const QString &key,
                                                              const std::optional<QString> &value)
{
    const auto old = m_store.record(dataset, key);
    if (!old.ok())
        return {{}, old.error};
    Change change{dataset, key, old.value ? old.value->record.value : std::nullopt, value};
    if (const UserError error = restore(dataset, key, value); error.isError())
        return {{}, error};
    return {change, {}};
}

StoreResult<DatasetWorkspace::Change> DatasetWorkspace::setValue(const QString &dataset, const QString &key,
                                                                 const QString &value)
{
    return write(dataset, key, value);
}

StoreResult<DatasetWorkspace::Change> DatasetWorkspace::removeValue(const QString &dataset,
                                                                    const QString &key)
{
    return write(dataset, key, std::nullopt);
}

UserError DatasetWorkspace::restore(const QString &dataset, const QString &key,
                                    const std::optional<QString> &value)
{
    const UserError error =
        value ? m_store.putValue(dataset, key, *value) : m_store.removeValue(dataset, key);
    if (error.isError())
        return error;
    Q_EMIT recordChanged(dataset, key);
    Q_EMIT datasetsChanged(); // size and count, or a dataset putValue created
    return {};
}

UserError DatasetWorkspace::checkValue(const QString &dataset, const QString &key, const QString &value) const
{
    if (UserError error = SyncLimits::checkKey(key); error.isError())
        return error;
    const auto info = m_store.dataset(dataset);
    if (!info.ok())
        return info.error;
    if (info.value && info.value->isPendingDelete())
        return UserError::make(QStringLiteral("sync.dataset.pendingDelete"),
                               tr("The dataset “%1” is being deleted").arg(dataset), {},
                               tr("Synchronize first, then create it again"));
    const auto old = m_store.record(dataset, key);
    if (!old.ok())
        return old.error;
    const bool oldLive = old.value && !old.value->record.isRemoved();
    const qint64 size = info.value ? info.value->storageSizeBytes : 0;
    const qint64 oldBytes = oldLive ? key.toUtf8().size() + old.value->record.value->toUtf8().size() : 0;
    const qint64 newSize = size - oldBytes + key.toUtf8().size() + value.toUtf8().size();
    if (newSize > SyncLimits::MaxDatasetBytes)
        return UserError::make(
            QStringLiteral("sync.limit.size"), tr("This value does not fit in the dataset “%1”").arg(dataset),
            tr("%1; with this value it would take %2 KB").arg(SyncLimits::sizeRule()).arg((newSize + 1023) / 1024),
            tr("Shorten the value or move records to another dataset"));
    const qint64 count = info.value ? info.value->recordCount : 0;
    if (!oldLive && count >= SyncLimits::MaxRecordsPerDataset)
        return UserError::make(QStringLiteral("sync.limit.records"),
                               tr("The dataset “%1” is full").arg(dataset),
                               SyncLimits::recordsRule(),
                               tr("Remove records you no longer need or use another dataset"));
    return {};
}

UserError DatasetWorkspace::putValues(const QString &dataset,
                                      const QList<std::pair<QString, QString>> &records)
{
    if (const UserError error = m_store.putValues(dataset, records); error.isError())
        return error;
    Q_EMIT datasetChanged(dataset);
    Q_EMIT datasetsChanged();
    return {};
}

void DatasetWorkspace::putValuesInBackground(const QString &dataset,
                                             const QList<std::pair<QString, QString>> &records,
                                             std::function<void(const UserError &)> done)
{
    if (!m_writer)
        m_writer = std::make_unique<BackgroundStoreWriter>(m_store);
    m_writer->run([dataset, records](LocalStore &store) { return store.putValues(dataset, records); },
                  [this, dataset, done = std::move(done)](const UserError &error) {
                      if (!error.isError()) {
                          Q_EMIT datasetChanged(dataset);
                          Q_EMIT datasetsChanged();
                      }
                      done(error);
                  });
}

bool DatasetWorkspace::isWritingInBackground() const
{
    return m_writer && m_writer->pending() > 0;
}

UserError DatasetWorkspace::createDataset(const QString &name)
{
    if (const UserError error = m_store.createDataset(name); error.isError())
        return error;
    Q_EMIT datasetsChanged();
    return {};
}

UserError DatasetWorkspace::deleteDataset(const QString &name)
{
    if (const UserError error = m_store.markDatasetDeleted(name); error.isError())
        return error;
    Q_EMIT datasetChanged(name);
    Q_EMIT datasetsChanged();
    return {};
}

} // namespace fedsync

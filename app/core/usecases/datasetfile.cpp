#include "usecases/datasetfile.h"

#include "sync/localstore.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>

namespace fedsync {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("DatasetFile", text);
}

StoreResult<DatasetDocument> unreadable(const QString &name, const QString &why)
{
    StoreResult<DatasetDocument> failed;
    failed.error =
        UserError::make(QStringLiteral("dataset.file.read"), tr("The file %1 could not be read").arg(name),
                        why, tr("Check the file and try again"));
    return failed;
}
} // namespace

StoreResult<DatasetDocument> DatasetFile::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return unreadable(path, file.errorString());
    return DatasetJson::read(file.readAll());
}

StoreResult<DatasetDocument> DatasetFile::read(QIODevice &device, const QString &name)
{
    if (!device.isReadable())
        return unreadable(name, device.errorString());
    return DatasetJson::read(device.readAll());
}

UserError DatasetFile::write(const QString &path, const QString &dataset, const QList<LocalRecord> &records)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(DatasetJson::write(dataset, records)) < 0 ||
        !file.commit())
        return UserError::make(QStringLiteral("dataset.file.write"),
                               tr("The file %1 could not be written").arg(path), file.errorString(),
                               tr("Choose another folder and try again"));
    return {};
}

StoreResult<DatasetFile::Records> DatasetFile::changedRecords(const LocalStore &store, const QString &dataset,
                                                              const Records &imported)
{
    StoreResult<Records> changed;
    for (const auto &[key, value] : imported) {
        const StoreResult<std::optional<LocalRecord>> current = store.record(dataset, key);
        if (!current.ok()) {
            changed.error = current.error;
            changed.value.clear();
            return changed;
        }
        if (!current.value || current.value->record.value != value) // a removed record has no value
            changed.value.append({key, value});
    }
    return changed;
}

UserError DatasetFile::write(const QString &path, const LocalStore &store, const QString &dataset)
{
    const StoreResult<QList<LocalRecord>> records = store.records(dataset);
    return records.ok() ? write(path, dataset, records.value) : records.error;
}

StoreResult<DatasetFile::ImportPlan> DatasetFile::planImport(const LocalStore &store, const QString &path,
                                                             QString dataset)
{
    StoreResult<ImportPlan> plan;
    const StoreResult<DatasetDocument> document = read(path);
    if (!document.ok()) {
        plan.error = document.error;
        return plan;
    }
    if (dataset.isEmpty())
        dataset = document.value.dataset;
    if (dataset.isEmpty()) {
        plan.error = UserError::make(QStringLiteral("editor.import.noDataset"),
                                     tr("The file does not say which dataset it belongs to"), {},
                                     tr("Create or choose a dataset first, then import into it"));
        return plan;
    }
    const StoreResult<Records> changed = changedRecords(store, dataset, document.value.records);
    plan.error = changed.error;
    plan.value = {dataset, changed.value, document.value.records.size()};
    return plan;
}

} // namespace fedsync

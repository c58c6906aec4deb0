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

} // namespace fedsync

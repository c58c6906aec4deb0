#include "usecases/datasetfile.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>

namespace fedsync {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("DatasetFile", text);
}
} // namespace

StoreResult<DatasetDocument> DatasetFile::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        StoreResult<DatasetDocument> failed;
        failed.error = UserError::make(QStringLiteral("editor.import.read"),
                                       tr("The file %1 could not be read").arg(path), file.errorString(),
                                       tr("Check the file and try again"));
        return failed;
    }
    return DatasetJson::read(file.readAll());
}

UserError DatasetFile::write(const QString &path, const QString &dataset, const QList<LocalRecord> &records)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(DatasetJson::write(dataset, records)) < 0 ||
        !file.commit())
        return UserError::make(QStringLiteral("editor.export.write"),
                               tr("The file %1 could not be written").arg(path), file.errorString(),
                               tr("Choose another folder and try again"));
    return {};
}

} // namespace fedsync

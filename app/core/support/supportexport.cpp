#include "support/supportexport.h"

#include "support/supporttypes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace fedsync::support {

QString SupportExport::mask(const QString &value)
{
    return QString(qMin<qsizetype>(value.size(), 12), QChar(0x2022)) +
           (value.size() > 12 ? QStringLiteral(" (%1 characters)").arg(value.size()) : QString());
}

QByteArray SupportExport::toJson(const QString &identityId, const QList<DatasetRecords> &datasets,
                                 bool revealValues)
{
    QJsonArray sets;
    for (const DatasetRecords &dataset : datasets) {
        QJsonArray records;
        for (const SyncRecord &record : dataset.records) {
            if (record.isRemoved())
                continue;
            records.append(QJsonObject{
                {QStringLiteral("key"), record.key},
                {QStringLiteral("value"), revealValues ? *record.value : mask(*record.value)},
                {QStringLiteral("sync_count"), record.syncCount},
                {QStringLiteral("last_modified_date"), timeJson(record.lastModified)},
                {QStringLiteral("last_modified_by"), record.lastModifiedBy},
                {QStringLiteral("device_last_modified_date"), timeJson(record.deviceLastModified)}});
        }
        sets.append(QJsonObject{{QStringLiteral("dataset_name"), dataset.dataset},
                                {QStringLiteral("records"), records}});
    }
    const QJsonObject root{{QStringLiteral("identity_id"), identityId},
                           {QStringLiteral("values_masked"), !revealValues},
                           {QStringLiteral("datasets"), sets}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString SupportExport::csvField(const QString &text)
{
    static const QString special = QStringLiteral(",\"\r\n");
    bool quote = false;
    for (const QChar c : text)
        quote = quote || special.contains(c);
    if (!quote)
        return text;
    QString escaped = text;
    escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QByteArray SupportExport::toCsv(const QString &identityId, const QList<DatasetRecords> &datasets,
                                bool revealValues)
{
    QString out = QStringLiteral(
        "identity_id,dataset_name,key,value,sync_count,last_modified_date,last_modified_by\r\n");
    for (const DatasetRecords &dataset : datasets) {
        for (const SyncRecord &record : dataset.records) {
            if (record.isRemoved())
                continue;
            const QStringList row{identityId,
                                  dataset.dataset,
                                  record.key,
                                  revealValues ? *record.value : mask(*record.value),
                                  QString::number(record.syncCount),
                                  timeJson(record.lastModified).toString(),
                                  record.lastModifiedBy};
            QStringList fields;
            for (const QString &field : row)
                fields << csvField(field);
            out += fields.join(QLatin1Char(',')) + QStringLiteral("\r\n");
        }
    }
    return out.toUtf8();
}

} // namespace fedsync::support

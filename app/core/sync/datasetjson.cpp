#include "sync/datasetjson.h"

#include "sync/synclimits.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace fedsync {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DatasetJson", text);
}

const QString DatasetField = QStringLiteral("dataset");
const QString RecordsField = QStringLiteral("records");
const QString KeyField = QStringLiteral("key");
const QString ValueField = QStringLiteral("value");

UserError notADataset(const QString &why)
{
    return UserError::make(QStringLiteral("sync.json.shape"), tr("The file is not a Fedsync dataset"), why,
                           tr("Choose a file exported by Fedsync, or give it the shape "
                              "{\"dataset\": name, \"records\": [{\"key\": …, \"value\": …}]}"));
}

UserError cannotImport(const QString &code, const QString &why, const QString &action)
{
    return UserError::make(code, tr("The file cannot be imported"), why, action);
}

} // namespace

QByteArray DatasetJson::write(const QString &dataset, const QList<LocalRecord> &records)
{
    QList<const LocalRecord *> live;
    for (const LocalRecord &record : records) {
        if (!record.record.isRemoved())
            live << &record;
    }
    std::sort(live.begin(), live.end(),
              [](const LocalRecord *a, const LocalRecord *b) { return a->record.key < b->record.key; });
    QJsonArray array;
    for (const LocalRecord *record : std::as_const(live))
        array.append(QJsonObject{{KeyField, record->record.key}, {ValueField, *record->record.value}});
    return QJsonDocument(QJsonObject{{DatasetField, dataset}, {RecordsField, array}})
        .toJson(QJsonDocument::Indented);
}

StoreResult<DatasetDocument> DatasetJson::read(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return {{},
                UserError::make(QStringLiteral("sync.json.malformed"), tr("The file is not valid JSON"),
                                tr("%1 at character %2").arg(parseError.errorString()).arg(parseError.offset),
                                tr("Choose a file exported by Fedsync, or correct the file"))};
    if (!document.isObject())
        return {{}, notADataset(tr("The file holds a JSON array or value, not an object"))};

    const QJsonObject root = document.object();
    DatasetDocument result;
    // A file that names a dataset or has "records" is the document form, never a plain key/value object
    // (importing {"dataset": "x"} as the record dataset=x would surprise everyone).
    if (root.contains(DatasetField) && !root.value(RecordsField).isArray())
        return {{}, notADataset(tr("The list of records (“records”) is missing"))};
    if (root.value(RecordsField).isArray()) {
        const QJsonValue name = root.value(DatasetField);
        if (!name.isUndefined() && !name.isString())
            return {{}, notADataset(tr("“dataset” is not a text"))};
        result.dataset = name.toString();
        if (!result.dataset.isEmpty()) {
            if (const UserError error = SyncLimits::checkDatasetName(result.dataset); error.isError())
                return {{}, cannotImport(error.code, error.what, error.action)};
        }
        const QJsonArray records = root.value(RecordsField).toArray();
        for (qsizetype i = 0; i < records.size(); ++i) {
            const QJsonObject record = records.at(i).toObject();
            if (!records.at(i).isObject() || !record.value(KeyField).isString())
                return {{}, notADataset(tr("Record %1 has no text “key”").arg(i + 1))};
            if (!record.value(ValueField).isString())
                return {
                    {},
                    notADataset(
                        tr("The record “%1” has no text “value”").arg(record.value(KeyField).toString()))};
            result.records.append({record.value(KeyField).toString(), record.value(ValueField).toString()});
        }
    } else {
        for (auto it = root.constBegin(); it != root.constEnd(); ++it) {
            if (!it.value().isString())
                return {{}, notADataset(tr("The value of “%1” is not a text").arg(it.key()))};
            result.records.append({it.key(), it.value().toString()});
        }
    }

    QSet<QString> keys;
    qint64 bytes = 0;
    for (const auto &[key, value] : std::as_const(result.records)) {
        if (const UserError error = SyncLimits::checkKey(key); error.isError())
            return {{}, cannotImport(error.code,
                                     error.why.isEmpty() ? error.what : error.what + QLatin1Char(' ') + error.why,
                                     error.action)};
        if (keys.contains(key))
            return {{},
                    cannotImport(QStringLiteral("sync.json.duplicate"),
                                 tr("The key “%1” appears more than once").arg(key),
                                 tr("Keep one record per key in the file"))};
        keys.insert(key);
        bytes += key.toUtf8().size() + value.toUtf8().size();
    }
    if (result.records.size() > SyncLimits::MaxRecordsPerDataset)
        return {{},
                cannotImport(QStringLiteral("sync.limit.records"),
                             tr("The file has %1 records; a dataset holds at most %2")
                                 .arg(result.records.size())
                                 .arg(SyncLimits::MaxRecordsPerDataset),
                             tr("Split the file into several datasets"))};
    if (bytes > SyncLimits::MaxDatasetBytes)
        return {{},
                cannotImport(QStringLiteral("sync.limit.size"),
                             tr("The records in the file take %1 KB; a dataset holds at most 1 MB")
                                 .arg((bytes + 1023) / 1024),
                             tr("Split the file into several datasets"))};
    return {result, {}};
}

} // namespace fedsync

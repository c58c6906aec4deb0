#include "sync/datasetexport.h"

#include "sync/localstore.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace fedsync {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DatasetExport", text);
}

UserError invalid(const QString &why)
{
    return UserError::make(QStringLiteral("sync.import.invalid"), tr("The file is not a dataset export"), why,
                           tr("Use the format of fedsync-cli export: {\"dataset\": NAME, \"records\": "
                              "[{\"key\": KEY, \"value\": VALUE}, ...]}"));
}

qint64 utf8Size(const QString &text)
{
    return text.toUtf8().size();
}

} // namespace

QByteArray DatasetExport::toJson() const
{
    QJsonArray list;
    for (const auto &[key, value] : records)
        list.append(QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("value"), value}});
    return QJsonDocument(QJsonObject{{QStringLiteral("dataset"), dataset}, {QStringLiteral("records"), list}})
        .toJson(QJsonDocument::Indented);
}

std::optional<DatasetExport> DatasetExport::fromStore(const LocalStore &store, const QString &dataset,
                                                      UserError *error)
{
    const auto found = store.dataset(dataset);
    if (!found.ok()) {
        *error = found.error;
        return std::nullopt;
    }
    if (!found.value || found.value->isPendingDelete()) {
        *error = UserError::make(QStringLiteral("sync.dataset.missing"),
                                 tr("There is no dataset “%1”").arg(dataset), {},
                                 tr("Synchronize to see the current datasets"));
        return std::nullopt;
    }
    const auto records = store.records(dataset);
    if (!records.ok()) {
        *error = records.error;
        return std::nullopt;
    }
    DatasetExport out;
    out.dataset = dataset;
    for (const LocalRecord &record : records.value) {
        if (!record.record.isRemoved())
            out.records.append({record.record.key, *record.record.value});
    }
    std::sort(out.records.begin(), out.records.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    *error = {};
    return out;
}

std::optional<DatasetExport> DatasetExport::fromJson(const QByteArray &json, UserError *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = invalid(tr("It is not valid JSON: %1 at character %2")
                             .arg(parseError.errorString())
                             .arg(parseError.offset));
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = invalid(tr("The document is not a JSON object"));
        return std::nullopt;
    }
    const QJsonObject root = document.object();
    DatasetExport out;
    const QJsonValue name = root.value(QStringLiteral("dataset"));
    if (!name.isUndefined() && !name.isNull()) {
        if (!name.isString()) {
            *error = invalid(tr("\"dataset\" is not a string"));
            return std::nullopt;
        }
        out.dataset = name.toString();
        if (const UserError bad = LocalStore::checkDatasetName(out.dataset); bad.isError()) {
            *error = invalid(bad.what);
            return std::nullopt;
        }
    }
    const QJsonValue records = root.value(QStringLiteral("records"));
    if (!records.isArray()) {
        *error =
            invalid(records.isUndefined() ? tr("\"records\" is missing") : tr("\"records\" is not a list"));
        return std::nullopt;
    }
    QSet<QString> keys;
    const QJsonArray list = records.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = QStringLiteral("records[%1]").arg(i);
        if (!list.at(i).isObject()) {
            *error = invalid(tr("%1 is not an object").arg(where));
            return std::nullopt;
        }
        const QJsonObject item = list.at(i).toObject();
        const QJsonValue key = item.value(QStringLiteral("key"));
        const QJsonValue value = item.value(QStringLiteral("value"));
        if (!key.isString()) {
            *error = invalid(tr("%1.key is missing or not a string").arg(where));
            return std::nullopt;
        }
        if (!value.isString()) {
            *error = invalid(tr("%1.value is missing or not a string").arg(where));
            return std::nullopt;
        }
        if (const UserError bad = LocalStore::checkKey(key.toString()); bad.isError()) {
            *error = invalid(tr("%1.key: %2").arg(where, bad.what));
            return std::nullopt;
        }
        if (keys.contains(key.toString())) {
            *error = invalid(tr("%1.key “%2” appears twice").arg(where, key.toString()));
            return std::nullopt;
        }
        keys.insert(key.toString());
        out.records.append({key.toString(), value.toString()});
    }
    *error = {};
    return out;
}

UserError DatasetExport::checkFits(const LocalStore &store, const QString &target) const
{
    if (const UserError bad = LocalStore::checkDatasetName(target); bad.isError())
        return bad;
    const auto found = store.dataset(target);
    if (!found.ok())
        return found.error;
    if (found.value && found.value->isPendingDelete())
        return UserError::make(
            QStringLiteral("sync.dataset.pendingDelete"), tr("The dataset “%1” is being deleted").arg(target),
            tr("Its deletion has not reached the server yet"), tr("Synchronize first, then import again"));
    if (!found.value) {
        const auto all = store.listDatasets();
        if (!all.ok())
            return all.error;
        const auto live = std::count_if(all.value.cbegin(), all.value.cend(),
                                        [](const LocalDataset &d) { return !d.isPendingDelete(); });
        if (live >= LocalStore::MaxDatasets && !records.isEmpty())
            return UserError::make(QStringLiteral("sync.limit.datasets"),
                                   tr("The dataset “%1” cannot be created").arg(target),
                                   tr("An identity has at most %1 datasets").arg(LocalStore::MaxDatasets),
                                   tr("Import into an existing dataset, or delete one you no longer need"));
    }
    // The dataset as it would be after the import.
    QHash<QString, QString> after;
    if (found.value) {
        const auto existing = store.records(target);
        if (!existing.ok())
            return existing.error;
        for (const LocalRecord &record : existing.value) {
            if (!record.record.isRemoved())
                after.insert(record.record.key, *record.record.value);
        }
    }
    for (const auto &[key, value] : records)
        after.insert(key, value);
    qint64 bytes = 0;
    for (auto it = after.cbegin(); it != after.cend(); ++it)
        bytes += utf8Size(it.key()) + utf8Size(it.value());
    if (after.size() > LocalStore::MaxRecordsPerDataset)
        return UserError::make(QStringLiteral("sync.limit.records"),
                               tr("The import does not fit in the dataset “%1”").arg(target),
                               tr("It would hold %1 records; a target holds at most %2")
                                   .arg(after.size())
                                   .arg(LocalStore::MaxRecordsPerDataset),
                               tr("Split the records over several datasets"));
    if (bytes > LocalStore::MaxDatasetBytes)
        return UserError::make(QStringLiteral("sync.limit.size"),
                               tr("The import does not fit in the dataset “%1”").arg(target),
                               tr("It would hold %1 bytes; a target holds at most 1 MB").arg(bytes),
                               tr("Split the records over several datasets"));
    return {};
}

int DatasetExport::applyTo(LocalStore &store, const QString &target, UserError *error) const
{
    int changed = 0;
    for (const auto &[key, value] : records) {
        const auto current = store.record(target, key);
        if (!current.ok()) {
            *error = current.error;
            return changed;
        }
        if (current.value && current.value->record.value == value)
            continue; // unchanged: nothing to push
        if (const UserError failed = store.putValue(target, key, value); failed.isError()) {
            *error = failed;
            return changed;
        }
        ++changed;
    }
    *error = {};
    return changed;
}

} // namespace fedsync

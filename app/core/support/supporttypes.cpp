#include "support/supporttypes.h"

#include <QJsonArray>

namespace fedsync::support {

QDateTime fromEpochSeconds(const QJsonValue &value)
{
    if (!value.isDouble())
        return {};
    return QDateTime::fromMSecsSinceEpoch(qint64(value.toDouble() * 1000), Qt::UTC);
}

QJsonValue timeJson(const QDateTime &time)
{
    if (!time.isValid())
        return QJsonValue::Null;
    return time.toUTC().toString(Qt::ISODate);
}

IdentityInfo IdentityInfo::fromAws(const QJsonObject &json)
{
    IdentityInfo info;
    info.identityId = json.value(QStringLiteral("IdentityId")).toString();
    for (const QJsonValue &login : json.value(QStringLiteral("Logins")).toArray())
        info.logins << login.toString();
    info.created = fromEpochSeconds(json.value(QStringLiteral("CreationDate")));
    info.lastModified = fromEpochSeconds(json.value(QStringLiteral("LastModifiedDate")));
    return info;
}

QJsonObject IdentityInfo::toJson() const
{
    return {{QStringLiteral("identity_id"), identityId},
            {QStringLiteral("logins"), QJsonArray::fromStringList(logins)},
            {QStringLiteral("creation_date"), timeJson(created)},
            {QStringLiteral("last_modified_date"), timeJson(lastModified)}};
}

IdentityUsage IdentityUsage::fromDatasets(const QString &identityId, const QList<RemoteDataset> &datasets)
{
    IdentityUsage usage;
    usage.identityId = identityId;
    usage.source = QStringLiteral("dynamodb");
    usage.datasetCount = datasets.size();
    usage.recordCount = 0;
    for (const RemoteDataset &dataset : datasets) {
        usage.recordCount += dataset.recordCount;
        usage.dataStorage += dataset.storageSizeBytes;
        if (dataset.lastModified.isValid() &&
            (!usage.lastModified.isValid() || dataset.lastModified > usage.lastModified))
            usage.lastModified = dataset.lastModified;
    }
    return usage;
}

QJsonObject IdentityUsage::toJson() const
{
    QJsonObject json{{QStringLiteral("identity_id"), identityId},
                     {QStringLiteral("dataset_count"), datasetCount},
                     {QStringLiteral("data_storage"), dataStorage},
                     {QStringLiteral("last_modified_date"), timeJson(lastModified)}};
    if (recordCount >= 0)
        json.insert(QStringLiteral("record_count"), recordCount);
    if (!source.isEmpty())
        json.insert(QStringLiteral("source"), source);
    return json;
}

QJsonObject cardToJson(const IdentityCard &card)
{
    if (!card.isValid())
        return {};
    return {{QStringLiteral("sub"), card.sub},
            {QStringLiteral("email"), card.email},
            {QStringLiteral("name"), card.name},
            {QStringLiteral("last_sign_in"), timeJson(card.lastSignIn)},
            {QStringLiteral("app_version"), card.appVersion}};
}

QJsonObject FoundIdentity::toJson() const
{
    QJsonObject json = identity.toJson();
    json.insert(QStringLiteral("card"), card.isValid() ? QJsonValue(cardToJson(card)) : QJsonValue::Null);
    return json;
}

QJsonObject datasetToJson(const RemoteDataset &dataset)
{
    return {{QStringLiteral("dataset_name"), dataset.name},
            {QStringLiteral("creation_date"), timeJson(dataset.created)},
            {QStringLiteral("last_modified_date"), timeJson(dataset.lastModified)},
            {QStringLiteral("last_modified_by"), dataset.lastModifiedBy},
            {QStringLiteral("data_storage"), dataset.storageSizeBytes},
            {QStringLiteral("num_records"), dataset.recordCount}};
}

} // namespace fedsync::support

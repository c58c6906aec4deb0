#include "sync/dynamodbschema.h"

#include "aws/dynamodbclient.h"
#include "sync/identitycard.h"

#include <QStringList>

#include <cmath>

namespace fedsync::dynamodb {

using aws::DynamoDbClient;

QString metaKey(const QString &dataset)
{
    return QStringLiteral("D#") + dataset;
}

QString recordPrefix(const QString &dataset)
{
    // Dataset names cannot hold '#' ([a-zA-Z0-9_.:-]), so one dataset's prefix never matches another's.
    return QStringLiteral("R#") + dataset + QLatin1Char('#');
}

QString recordKey(const QString &dataset, const QString &key)
{
    return recordPrefix(dataset) + key;
}

qint64 recordBytes(const QString &key, const std::optional<QString> &value)
{
    return SyncLimits::recordBytes(key, value);
}

QString cardLookupByEmail(const QString &email)
{
    const QString normalized = email.trimmed().toLower();
    return normalized.isEmpty() ? QString() : QStringLiteral("email#") + normalized;
}

QString cardLookupBySub(const QString &sub)
{
    return sub.isEmpty() ? QString() : QStringLiteral("sub#") + sub;
}

QString cardLookup(const QString &dataset, const QString &key, const std::optional<QString> &value)
{
    if (dataset != IdentityCard::datasetName() || !value)
        return {};
    if (key == QLatin1String("email"))
        return cardLookupByEmail(*value);
    if (key == QLatin1String("sub"))
        return cardLookupBySub(*value);
    return {};
}

QJsonObject itemKey(const QString &identityId, const QString &sortKey)
{
    return {{PartitionKey, DynamoDbClient::string(identityId)}, {SortKey, DynamoDbClient::string(sortKey)}};
}

QJsonObject time(const QDateTime &when)
{
    return DynamoDbClient::number(double(when.toMSecsSinceEpoch()) / 1000.0);
}

namespace {

QDateTime timeOf(const QJsonObject &item, const QString &name)
{
    const std::optional<double> seconds = DynamoDbClient::numberOf(item, name);
    if (!seconds || *seconds < 0 || *seconds > 1.0e11)
        return {};
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(*seconds * 1000.0)), Qt::UTC);
}

// A non-negative whole number; `fallback` when absent, a problem when malformed.
qint64 countOf(const QJsonObject &item, const QString &name, qint64 fallback, QString *problem)
{
    if (!item.contains(name))
        return fallback;
    const std::optional<double> number = DynamoDbClient::numberOf(item, name);
    if (!number || *number < 0 || *number > 9.0e15 || std::floor(*number) != *number) {
        if (problem->isEmpty())
            *problem = QStringLiteral("%1 is not a count").arg(name);
        return fallback;
    }
    return qint64(*number);
}

} // namespace

std::optional<DatasetMeta> readMeta(const QJsonObject &item, QString *problem)
{
    DatasetMeta meta;
    meta.exists = true;
    const std::optional<QString> sortKey = DynamoDbClient::stringOf(item, SortKey);
    if (!sortKey || !sortKey->startsWith(QLatin1String("D#"))) {
        *problem = QStringLiteral("a dataset item has no D# sort key");
        return std::nullopt;
    }
    meta.name = sortKey->mid(2);
    meta.deleted = DynamoDbClient::booleanOf(item, attr::Deleted).value_or(false);
    meta.syncCount = countOf(item, attr::SyncCount, -1, problem);
    if (meta.syncCount < 0 && problem->isEmpty())
        *problem = QStringLiteral("the dataset item %1 has no sync_count").arg(meta.name);
    meta.generation = countOf(item, attr::Generation, 0, problem);
    meta.deletedAt = countOf(item, attr::DeletedAt, 0, problem);
    meta.recordCount = countOf(item, attr::RecordCount, 0, problem);
    meta.bytes = countOf(item, attr::Bytes, 0, problem);
    meta.created = timeOf(item, attr::Created);
    meta.lastModified = timeOf(item, attr::LastModified);
    meta.lastModifiedBy = DynamoDbClient::stringOf(item, attr::LastModifiedBy).value_or(QString());
    if (!problem->isEmpty())
        return std::nullopt;
    return meta;
}

std::optional<StoredRecord> readRecord(const QJsonObject &item, QString *problem)
{
    StoredRecord stored;
    SyncRecord &record = stored.record;
    const std::optional<QString> key = DynamoDbClient::stringOf(item, attr::Key);
    if (!key || key->isEmpty()) {
        *problem = QStringLiteral("a record item has no key");
        return std::nullopt;
    }
    record.key = *key;
    if (item.contains(attr::Value)) {
        record.value = DynamoDbClient::stringOf(item, attr::Value);
        if (!record.value) {
            *problem = QStringLiteral("the value of %1 is not a string").arg(record.key);
            return std::nullopt;
        }
    }
    record.syncCount = countOf(item, attr::SyncCount, -1, problem);
    if (record.syncCount < 1 && problem->isEmpty())
        *problem = QStringLiteral("the record %1 has no sync_count").arg(record.key);
    record.lastModified = timeOf(item, attr::LastModified);
    record.lastModifiedBy = DynamoDbClient::stringOf(item, attr::LastModifiedBy).value_or(QString());
    record.deviceLastModified = timeOf(item, attr::DeviceLastModified);
    stored.bytes = countOf(item, attr::Size, recordBytes(record.key, record.value), problem);
    if (!problem->isEmpty())
        return std::nullopt;
    return stored;
}

QString SessionState::encode() const
{
    return QStringLiteral("ddb2:%1:%2:%3:%4:%5:%6")
        .arg(syncCount)
        .arg(generation)
        .arg(live ? 1 : 0)
        .arg(metaExists ? 1 : 0)
        .arg(recordCount)
        .arg(bytes);
}

std::optional<SessionState> SessionState::decode(const QString &token)
{
    const QStringList parts = token.split(QLatin1Char(':'));
    if (parts.size() != 7 || parts.at(0) != QLatin1String("ddb2"))
        return std::nullopt;
    SessionState state;
    bool ok[4] = {};
    state.syncCount = parts.at(1).toLongLong(&ok[0]);
    state.generation = parts.at(2).toLongLong(&ok[1]);
    state.live = parts.at(3) == QLatin1String("1");
    state.metaExists = parts.at(4) == QLatin1String("1");
    state.recordCount = parts.at(5).toLongLong(&ok[2]);
    state.bytes = parts.at(6).toLongLong(&ok[3]);
    if (!ok[0] || !ok[1] || !ok[2] || !ok[3] || state.syncCount < 0 || state.generation < 0 ||
        state.recordCount < 0 || state.bytes < 0)
        return std::nullopt;
    return state;
}

} // namespace fedsync::dynamodb

// The layout of Fedsync's datasets in one DynamoDB table (docs/dynamodb-store.md): partition key
// `identity_id`, sort key `sk`; per dataset one meta item (`D#<dataset>`) holding the dataset's counter
// and per record one item (`R#<dataset>#<key>`) holding the value (absent: a removal), the counter value
// it was written at, the device time and the writer. Building keys and items, and reading them back
// defensively (a malformed item is a problem to report, never a crash).
#pragma once

#include "sync/synclimits.h"
#include "sync/synctypes.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace fedsync::dynamodb {

inline const QString PartitionKey = QStringLiteral("identity_id");
inline const QString SortKey = QStringLiteral("sk");

// Attribute names (always sent through ExpressionAttributeNames: several are reserved words).
namespace attr {
inline const QString Kind = QStringLiteral("kind");
inline const QString Name = QStringLiteral("dataset");
inline const QString Key = QStringLiteral("key");
inline const QString Value = QStringLiteral("value");
inline const QString SyncCount = QStringLiteral("sync_count");
inline const QString Generation = QStringLiteral("generation");
inline const QString Deleted = QStringLiteral("deleted");
inline const QString DeletedAt = QStringLiteral("deleted_at");
inline const QString Created = QStringLiteral("created");
inline const QString LastModified = QStringLiteral("last_modified");
inline const QString LastModifiedBy = QStringLiteral("last_modified_by");
inline const QString DeviceLastModified = QStringLiteral("device_last_modified");
inline const QString RecordCount = QStringLiteral("record_count");
inline const QString Bytes = QStringLiteral("bytes");
inline const QString Size = QStringLiteral("size");
inline const QString CardLookup = QStringLiteral("card_lookup");
} // namespace attr

// The card index: a sparse global secondary index (hash key `card_lookup`, keys only) over the two
// record items of the identity card (IdentityCard) that name the user: "email#<email, lower case>" on
// `R#fedsync.identity#email`, "sub#<Auth0 sub>" on `R#fedsync.identity#sub`. No other item has the
// attribute (a removal drops it), so the index holds two small entries per user.
inline const QString CardIndex = QStringLiteral("card-lookup");
// The index key a record item carries, or empty when the record is not one the index holds.
QString cardLookup(const QString &dataset, const QString &key, const std::optional<QString> &value);
QString cardLookupByEmail(const QString &email);
QString cardLookupBySub(const QString &sub);

// Cognito Sync's limits (SyncLimits), kept so that datasets move between the stores unchanged.
constexpr int MaxDatasets = SyncLimits::MaxDatasets;
constexpr qint64 MaxDatasetBytes = SyncLimits::MaxDatasetBytes;
constexpr int MaxKeyLength = SyncLimits::MaxServiceKeyLength;
// DynamoDB's item limit, less room for the other attributes of a record item.
constexpr qint64 MaxRecordBytes = 400 * 1024 - 2048;
// A transaction holds at most 100 actions: the dataset's counter and 99 records.
constexpr int RecordsPerTransaction = 99;

QString metaKey(const QString &dataset);
QString recordPrefix(const QString &dataset);
QString recordKey(const QString &dataset, const QString &key);
// Key + value UTF-8 bytes, as Cognito Sync counts a record's storage (0 for a removal).
qint64 recordBytes(const QString &key, const std::optional<QString> &value);

QJsonObject itemKey(const QString &identityId, const QString &sortKey);
QJsonObject time(const QDateTime &when);

// A dataset's meta item as read.
struct DatasetMeta
{
    bool exists = false;   // an item was there
    bool deleted = false;  // DeleteDataset marked it; its records are stale
    qint64 syncCount = 0;  // the counter: every write or delete increments it by one
    qint64 generation = 0; // the count at which the live incarnation began; older records are stale
    qint64 deletedAt = 0;  // the count of the last deletion (0: never)
    qint64 recordCount = 0;
    qint64 bytes = 0;
    QString name;
    QDateTime created;
    QDateTime lastModified;
    QString lastModifiedBy;

    bool isLive() const { return exists && !deleted; }
};

// A record item as read, with its stored size.
struct StoredRecord
{
    SyncRecord record;
    qint64 bytes = 0;
};

// Null + `problem` when the item is not one Fedsync wrote.
std::optional<DatasetMeta> readMeta(const QJsonObject &item, QString *problem);
std::optional<StoredRecord> readRecord(const QJsonObject &item, QString *problem);

// What listRecords hands to updateRecords through the engine (ListRecordsReply::syncSessionToken): the
// dataset's state at the pull, which a write then requires to be unchanged.
struct SessionState
{
    qint64 syncCount = 0;
    qint64 generation = 0;
    bool live = false;
    bool metaExists = false;
    qint64 recordCount = 0; // the meta's totals at that count (what a write of a few records starts from)
    qint64 bytes = 0;

    QString encode() const;
    static std::optional<SessionState> decode(const QString &token);
};

} // namespace fedsync::dynamodb

#include "sync/dynamodbrecordsreader.h"

#include "common/jsonscanner.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace fedsync::dynamodb {

namespace {

// An attribute value of one type, `{"<type>": "<text>"}` (DynamoDB writes numbers as text too); nothing
// for anything else (another type, more members), which the careful reading then decides.
std::optional<QString> typed(JsonScanner &json, const char *type)
{
    std::optional<QString> text;
    const bool read = json.members([&](QByteArrayView name) -> bool {
        if (text || name != type || json.peek() != '"')
            return false;
        text = json.string();
        return text.has_value();
    });
    return read ? text : std::nullopt;
}

// A number as DynamoDbClient::numberOf reads it the quick way (ASCII, std::from_chars, finite); nothing
// for a text it would read another way.
std::optional<double> numberOf(JsonScanner &json)
{
    const std::optional<QString> text = typed(json, "N");
    if (!text || text->isEmpty() || text->size() >= 64)
        return std::nullopt;
    char ascii[64];
    qsizetype length = 0;
    for (const QChar c : *text) {
        if (c.unicode() >= 0x80)
            return std::nullopt;
        ascii[length++] = char(c.unicode());
    }
    double number = 0;
    const auto [end, error] = std::from_chars(ascii, ascii + length, number);
    if (error != std::errc() || end != ascii + length || !std::isfinite(number))
        return std::nullopt;
    return number;
}

// A count as dynamodb::readRecord takes it (a whole number from 0 to 9e15).
std::optional<qint64> countOf(JsonScanner &json)
{
    const std::optional<double> number = numberOf(json);
    if (!number || *number < 0 || *number > 9.0e15 || std::floor(*number) != *number)
        return std::nullopt;
    return qint64(*number);
}

// Seconds since the epoch as dynamodb::readRecord takes them: out of range is no time.
std::optional<QDateTime> timeOf(JsonScanner &json)
{
    const std::optional<double> seconds = numberOf(json);
    if (!seconds)
        return std::nullopt;
    if (*seconds < 0 || *seconds > 1.0e11)
        return QDateTime();
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(*seconds * 1000.0)), Qt::UTC);
}

std::optional<SyncRecord> recordOf(JsonScanner &json)
{
    SyncRecord record;
    unsigned seen = 0;
    const bool read = json.members([&](QByteArrayView name) -> bool {
        if (name == "key") {
            std::optional<QString> key = typed(json, "S");
            if (!JsonScanner::once(seen, 1) || !key || key->isEmpty())
                return false;
            record.key = std::move(*key);
            return true;
        }
        if (name == "value") {
            std::optional<QString> value = typed(json, "S");
            if (!JsonScanner::once(seen, 2) || !value)
                return false;
            record.value = std::move(*value);
            return true;
        }
        if (name == "sync_count") {
            const std::optional<qint64> count = countOf(json);
            if (!JsonScanner::once(seen, 4) || !count || *count < 1)
                return false;
            record.syncCount = *count;
            return true;
        }
        if (name == "last_modified" || name == "device_last_modified") {
            const bool device = name.size() > 13;
            std::optional<QDateTime> time = timeOf(json);
            if (!JsonScanner::once(seen, device ? 8 : 16) || !time)
                return false;
            (device ? record.deviceLastModified : record.lastModified) = std::move(*time);
            return true;
        }
        if (name == "last_modified_by") {
            std::optional<QString> by = typed(json, "S");
            if (!JsonScanner::once(seen, 32) || !by)
                return false;
            record.lastModifiedBy = std::move(*by);
            return true;
        }
        if (name == "size") // checked only: the careful reading refuses an item whose size is no count
            return JsonScanner::once(seen, 64) && countOf(json).has_value();
        return json.skipValue();
    });
    if (!read || !(seen & 1) || !(seen & 4)) // a key and a sync count are required
        return std::nullopt;
    return record;
}

} // namespace

std::optional<QList<SyncRecord>> readRecordsQueryReply(QByteArrayView body)
{
    JsonScanner json(body);
    QList<SyncRecord> records;
    unsigned seen = 0;
    const bool read = json.members([&](QByteArrayView name) -> bool {
        if (name == "Items") {
            return JsonScanner::once(seen, 1) && json.elements([&] {
                std::optional<SyncRecord> record = recordOf(json);
                if (record)
                    records.append(std::move(*record));
                return record.has_value();
            });
        }
        if (name == "LastEvaluatedKey")
            return false; // more pages: the careful reading follows them
        return json.skipValue();
    });
    if (!read || !(seen & 1) || !json.atEnd()) // Items is required
        return std::nullopt;
    sortRecords(records);
    return records;
}

void sortRecords(QList<SyncRecord> &records)
{
    std::sort(records.begin(), records.end(), [](const SyncRecord &a, const SyncRecord &b) {
        return a.syncCount != b.syncCount ? a.syncCount < b.syncCount : a.key < b.key;
    });
}

} // namespace fedsync::dynamodb

#include "aws/cognitosyncrecordsreader.h"

#include "common/jsonscanner.h"

#include <charconv>
#include <cmath>

namespace fedsync::aws {

namespace {

// A count as JsonFieldReader::count() takes it (a whole number from 0 to 9e15), written without a
// fraction or an exponent (anything else: nothing, and the careful reading decides).
std::optional<qint64> countOf(JsonScanner &json)
{
    const std::optional<QByteArrayView> text = json.numberText();
    if (!text || text->isEmpty() || text->size() > 16)
        return std::nullopt;
    qint64 value = 0;
    for (const char c : *text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value > Q_INT64_C(9000000000000000))
        return std::nullopt;
    return value;
}

// Seconds since the epoch as JsonFieldReader::epochSeconds() takes them; null is no time.
std::optional<QDateTime> timeOf(JsonScanner &json)
{
    if (json.takeNull())
        return QDateTime();
    const std::optional<QByteArrayView> text = json.numberText();
    if (!text)
        return std::nullopt;
    double seconds = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), seconds);
    if (error != std::errc() || end != text->data() + text->size() || !std::isfinite(seconds) ||
        seconds < 0 || seconds > 1.0e11)
        return std::nullopt;
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(seconds * 1000.0)), Qt::UTC);
}

// A text, or null (an empty optional); nothing for another type.
std::optional<std::optional<QString>> nullableString(JsonScanner &json)
{
    if (json.takeNull())
        return std::optional<QString>();
    if (json.peek() != '"')
        return std::nullopt;
    std::optional<QString> text = json.string();
    if (!text)
        return std::nullopt;
    return text;
}

std::optional<CognitoSyncRecord> recordOf(JsonScanner &json)
{
    CognitoSyncRecord record;
    unsigned seen = 0;
    const bool read = json.members([&](QByteArrayView name) -> bool {
        if (name == "Key") {
            std::optional<QString> key = json.peek() == '"' ? json.string() : std::nullopt;
            if (!JsonScanner::once(seen, 1) || !key || key->isEmpty())
                return false;
            record.key = std::move(*key);
            return true;
        }
        if (name == "Value") {
            auto value = nullableString(json);
            if (!JsonScanner::once(seen, 2) || !value)
                return false;
            record.value = std::move(*value);
            return true;
        }
        if (name == "SyncCount") {
            const std::optional<qint64> count = countOf(json);
            if (!JsonScanner::once(seen, 4) || !count)
                return false;
            record.syncCount = *count;
            return true;
        }
        if (name == "LastModifiedDate" || name == "DeviceLastModifiedDate") {
            const bool device = name.size() > 16;
            std::optional<QDateTime> time = timeOf(json);
            if (!JsonScanner::once(seen, device ? 8 : 16) || !time)
                return false;
            (device ? record.deviceLastModified : record.lastModified) = std::move(*time);
            return true;
        }
        if (name == "LastModifiedBy") {
            auto by = nullableString(json);
            if (!JsonScanner::once(seen, 32) || !by)
                return false;
            record.lastModifiedBy = by->value_or(QString());
            return true;
        }
        return json.skipValue();
    });
    if (!read || !(seen & 1) || !(seen & 4)) // Key and SyncCount are required
        return std::nullopt;
    return record;
}

// A list that may be null (none then).
template<typename Read> bool nullableList(JsonScanner &json, Read read)
{
    return json.takeNull() || json.elements(read);
}

bool recordsOf(JsonScanner &json, QList<CognitoSyncRecord> &records)
{
    return nullableList(json, [&] {
        std::optional<CognitoSyncRecord> record = recordOf(json);
        if (record)
            records.append(std::move(*record));
        return record.has_value();
    });
}

bool namesOf(JsonScanner &json, QStringList &names)
{
    return nullableList(json, [&] {
        std::optional<QString> name = json.peek() == '"' ? json.string() : std::nullopt;
        if (name)
            names.append(std::move(*name));
        return name.has_value();
    });
}

std::optional<bool> flagOf(JsonScanner &json)
{
    if (json.takeNull())
        return false;
    return json.boolean();
}

} // namespace

std::optional<RecordsReply> readRecordsReply(QByteArrayView body)
{
    JsonScanner json(body);
    RecordsReply reply;
    CognitoSyncRecordsPage &page = reply.page;
    unsigned seen = 0;
    const bool read = json.members([&](QByteArrayView name) -> bool {
        if (name == "Records")
            return JsonScanner::once(seen, 1) && recordsOf(json, page.records);
        if (name == "DatasetSyncCount") {
            if (!JsonScanner::once(seen, 2))
                return false;
            if (json.takeNull())
                return true;
            const std::optional<qint64> count = countOf(json);
            page.datasetSyncCount = count.value_or(0);
            return count.has_value();
        }
        if (name == "DatasetExists" || name == "DatasetDeletedAfterRequestedSyncCount") {
            const bool exists = name.size() == 13;
            const std::optional<bool> flag = flagOf(json);
            if (!JsonScanner::once(seen, exists ? 4 : 8) || !flag)
                return false;
            (exists ? page.datasetExists : page.datasetDeletedAfterRequestedSyncCount) = *flag;
            return true;
        }
        if (name == "SyncSessionToken" || name == "NextToken") {
            const bool session = name.size() == 16;
            auto text = nullableString(json);
            if (!JsonScanner::once(seen, session ? 16 : 32) || !text)
                return false;
            if (session)
                reply.hasSyncSessionToken = text->has_value();
            (session ? page.syncSessionToken : page.nextToken) = text->value_or(QString());
            return true;
        }
        if (name == "MergedDatasetNames")
            return JsonScanner::once(seen, 64) && namesOf(json, page.mergedDatasetNames);
        return json.skipValue();
    });
    if (!read || !json.atEnd())
        return std::nullopt;
    return reply;
}

} // namespace fedsync::aws

// DynamoDbRemote's writes: UpdateRecords as counter-guarded transactions, DeleteDataset as a counter-
// guarded mark followed by a best-effort removal of the stale items.
#include "sync/dynamodbremote.h"

#include "aws/awscall.h"
#include "aws/dynamodbclient.h"
#include "aws/sigv4signer.h"
#include "common/deliverlater.h"
#include "common/jsonwriter.h"
#include "log/logcategories.h"
#include "sync/dynamodberrors.h"
#include "sync/dynamodbschema.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonDocument>
#include <QSet>
#include <QUuid>

#include <algorithm>

namespace fedsync {

using aws::DynamoDbClient;
namespace attr = dynamodb::attr;
using namespace dynamodb::errors;

namespace {

// DynamoDB's typed attributes, written straight into a request body.
void stringAttribute(JsonWriter &json, QStringView name, QStringView value)
{
    json.name(name);
    json.beginObject();
    json.name(u"S");
    json.string(value);
    json.endObject();
}

void numberAttribute(JsonWriter &json, QStringView name, const QString &number)
{
    json.name(name);
    json.beginObject();
    json.name(u"N");
    json.string(number);
    json.endObject();
}

// A time as dynamodb::time() writes it: seconds since the epoch with milliseconds.
QString timeNumber(const QDateTime &when)
{
    return QString::number(double(when.toMSecsSinceEpoch()) / 1000.0, 'f', 3);
}

// One Put of a record's item, conditioned on the version this device last saw (`seen`; 0: none, then on
// the dataset's generation), as a TransactItems entry.
QByteArray recordPut(const QString &table, const QString &identityId, const QString &dataset,
                     const SyncRecord &record, qint64 size, qint64 seen, qint64 generation)
{
    JsonWriter json;
    json.beginObject();
    json.name(u"Put");
    json.beginObject();
    json.name(u"TableName");
    json.string(table);
    json.name(u"Item");
    json.beginObject();
    stringAttribute(json, dynamodb::PartitionKey, identityId);
    stringAttribute(json, dynamodb::SortKey, dynamodb::recordKey(dataset, record.key));
    stringAttribute(json, attr::Kind, u"record");
    stringAttribute(json, attr::Name, dataset);
    stringAttribute(json, attr::Key, record.key);
    if (record.value)
        stringAttribute(json, attr::Value, *record.value);
    if (const QString lookup = dynamodb::cardLookup(dataset, record.key, record.value); !lookup.isEmpty())
        stringAttribute(json, attr::CardLookup, lookup); // the card index's key
    numberAttribute(json, attr::SyncCount, QString::number(record.syncCount));
    numberAttribute(json, attr::LastModified, timeNumber(record.lastModified));
    stringAttribute(json, attr::LastModifiedBy, record.lastModifiedBy);
    numberAttribute(json, attr::DeviceLastModified, timeNumber(record.deviceLastModified));
    numberAttribute(json, attr::Size, QString::number(size));
    json.endObject();
    json.name(u"ConditionExpression");
    json.string(seen == 0 ? u"attribute_not_exists(#sc) OR #sc < :gen" : u"#sc = :seen");
    json.name(u"ExpressionAttributeValues");
    json.beginObject();
    numberAttribute(json, seen == 0 ? u":gen" : u":seen", QString::number(seen == 0 ? generation : seen));
    json.endObject();
    json.name(u"ExpressionAttributeNames");
    json.beginObject();
    json.name(u"#sc");
    json.string(attr::SyncCount);
    json.endObject();
    json.endObject();
    json.endObject();
    return json.bytes();
}

QString tr(const char *text)
{
    return QCoreApplication::translate("DynamoDbRemote", text);
}

// About the JSON of one Put besides its key and value (attributes, condition, table): what a chunk's
// body size is estimated from.
constexpr qsizetype ItemJsonBytes = 600;

// Up to this many patches, a write reads only the patched records (a Query filtered with IN, which takes
// up to 100 values); more, and it reads the dataset's.
constexpr qsizetype FewPatches = 32;

// The live incarnation's records as read before a write (off the UI thread for many): each key's count
// and size, how many records hold a value and their bytes; or a problem.
struct Current
{
    QHash<QString, qint64> counts;
    QHash<QString, qint64> bytes;
    qint64 recordCount = 0;
    qint64 totalBytes = 0;
    QString problem;
};

Current readCurrent(const QJsonArray &items, qint64 generation)
{
    Current out;
    for (const QJsonValue &value : items) {
        const auto stored = dynamodb::readRecord(value.toObject(), &out.problem);
        if (!stored)
            return out;
        if (stored->record.syncCount < generation)
            continue; // an earlier incarnation's leftover
        out.counts.insert(stored->record.key, stored->record.syncCount);
        out.bytes.insert(stored->record.key, stored->bytes);
        if (stored->bytes > 0) { // a removal stores 0 bytes
            ++out.recordCount;
            out.totalBytes += stored->bytes;
        }
    }
    return out;
}

} // namespace

// One updateRecords: the checked patches, the dataset's state at the pull, and (for a live dataset)
// each record's count and size; written one transaction per chunk.
struct DynamoDbRemote::Write
{
    UpdateRecordsRequest request;
    dynamodb::SessionState state;
    qint64 generation = 0; // the incarnation written to
    qint64 recordCount = 0;
    qint64 bytes = 0;
    QHash<QString, qint64> currentCounts; // the live incarnation's count per key
    QHash<QString, qint64> currentBytes;
    QList<SyncRecord> written;
    bool readAll = true; // every record read (else the patched ones, and the totals from the counter)
};

// One transaction of a Write, made off the UI thread for a large one: its body, the records it writes,
// and the Write's counts and sizes once it is written.
struct DynamoDbRemote::Chunk
{
    QList<SyncRecord> records;
    qint64 recordCount = 0;
    qint64 bytes = 0;
    QHash<QString, qint64> currentCounts;
    QHash<QString, qint64> currentBytes;
    QByteArray body;
    QByteArray sha256;
};

RemoteCallHandle DynamoDbRemote::updateRecords(const UpdateRecordsRequest &request, QObject *context,
                                               Callback<QList<SyncRecord>> done)
{
    const std::shared_ptr<Call> call = newCall();
    auto fail = [call, context, done](const RemoteError &error) {
        deliverLater(context, [call, done, error] {
            if (!call->isCancelled())
                done({{}, error});
        });
        return call;
    };
    if (const auto bad = checkName(request.dataset))
        return fail(*bad);
    const std::optional<dynamodb::SessionState> state =
        dynamodb::SessionState::decode(request.syncSessionToken);
    if (!state)
        return fail(
            invalid(request.dataset, tr("The sync session is not one this store handed out; synchronize "
                                        "again")));
    QSet<QString> keys;
    for (const RecordPatch &patch : request.patches) {
        if (const auto bad = checkKey(request.dataset, patch.key))
            return fail(*bad);
        if (keys.contains(patch.key))
            return fail(invalid(request.dataset, tr("The key “%1” is sent twice").arg(patch.key)));
        keys.insert(patch.key);
        if (patch.op == RecordPatch::Op::Replace &&
            dynamodb::recordBytes(patch.key, patch.value) > dynamodb::MaxRecordBytes)
            return fail(limitExceeded(request.dataset,
                                      tr("The record “%1” is larger than one DynamoDB item can hold (%2 KB)")
                                          .arg(patch.key)
                                          .arg(dynamodb::MaxRecordBytes / 1024)));
    }
    auto write = std::make_shared<Write>();
    write->request = request;
    write->state = *state;
    write->generation = state->live ? state->generation : state->syncCount + 1;

    // Reads what the limits and the per-record conditions need (the records' on the worker when many),
    // then writes chunk by chunk.
    auto afterRead = [this, call, context, write, done](const Items &items,
                                                        const std::optional<RemoteError> &error) {
        if (error)
            return done({{}, *error});
        if (write->state.live) {
            return m_background.runIfLarge(
                context, items.bytes,
                [list = items.list, generation = write->generation] { return readCurrent(list, generation); },
                [this, call, context, write, done](const Current &current) {
                    if (call->isCancelled())
                        return;
                    if (!current.problem.isEmpty())
                        return done({{}, badReply(QStringLiteral("Query"), current.problem)});
                    write->currentCounts = current.counts;
                    write->currentBytes = current.bytes;
                    // Only the patched records read: the totals are the counter's, as of the pull.
                    write->recordCount = write->readAll ? current.recordCount : write->state.recordCount;
                    write->bytes = write->readAll ? current.totalBytes : write->state.bytes;
                    writeChecked(call, context, write, done);
                });
        }
        int live = 0;
        for (const QJsonValue &value : items.list) {
            QString problem;
            const auto meta = dynamodb::readMeta(value.toObject(), &problem);
            if (meta && meta->isLive())
                ++live;
        }
        if (live >= dynamodb::MaxDatasets)
            return done(
                {{},
                 limitExceeded(write->request.dataset,
                               tr("The maximum number of datasets per identity (%1) has been reached.")
                                   .arg(dynamodb::MaxDatasets))});
        writeChecked(call, context, write, done);
    };
    if (state->live) {
        QJsonObject read{
            {QStringLiteral("ProjectionExpression"), QStringLiteral("#key, #sync_count, #size")},
            {QStringLiteral("ExpressionAttributeNames"), names({attr::Key, attr::SyncCount, attr::Size})}};
        write->readAll = request.patches.size() > FewPatches;
        if (write->readAll) {
            queryAll(call, context, request.dataset, dynamodb::recordPrefix(request.dataset), read,
                     afterRead);
            return call;
        }
        // A few records (an edit or two): only theirs are returned, not the whole dataset's - the sort
        // keys from the first patched one to the last (DynamoDB orders them by their UTF-8 bytes),
        // filtered to the patched keys.
        QList<QByteArray> sortKeys;
        for (const RecordPatch &patch : request.patches)
            sortKeys << dynamodb::recordKey(request.dataset, patch.key).toUtf8();
        std::sort(sortKeys.begin(), sortKeys.end());
        QJsonObject values;
        QStringList placeholders;
        for (const RecordPatch &patch : request.patches) {
            const QString placeholder = QStringLiteral(":k%1").arg(placeholders.size());
            values.insert(placeholder, DynamoDbClient::string(patch.key));
            placeholders << placeholder;
        }
        read.insert(QStringLiteral("FilterExpression"),
                    QStringLiteral("#key IN (%1)").arg(placeholders.join(QStringLiteral(", "))));
        read.insert(QStringLiteral("ExpressionAttributeValues"), values);
        query(call, context, request.dataset, QStringLiteral("#sk BETWEEN :first AND :last"),
              {{QStringLiteral(":first"), DynamoDbClient::string(QString::fromUtf8(sortKeys.constFirst()))},
               {QStringLiteral(":last"), DynamoDbClient::string(QString::fromUtf8(sortKeys.constLast()))}},
              read, afterRead);
    } else {
        queryAll(call, context, request.dataset, QStringLiteral("D#"), {}, afterRead);
    }
    return call;
}

void DynamoDbRemote::writeChecked(const std::shared_ptr<Call> &call, QObject *context,
                                  std::shared_ptr<Write> write, Callback<QList<SyncRecord>> done)
{
    const QString &dataset = write->request.dataset;
    // The per-record condition, checked here first: a stale count is a conflict before any write.
    qint64 bytes = write->bytes;
    qint64 count = write->recordCount;
    for (const RecordPatch &patch : std::as_const(write->request.patches)) {
        const qint64 current = write->currentCounts.value(patch.key, 0);
        if (patch.syncCount != current)
            return done({{},
                         conflict(dataset, QStringLiteral("Current SyncCount for: %1 is: %2 not: %3")
                                               .arg(patch.key)
                                               .arg(current)
                                               .arg(patch.syncCount))});
        const qint64 old = write->currentBytes.value(patch.key, 0);
        const qint64 now =
            patch.op == RecordPatch::Op::Replace ? dynamodb::recordBytes(patch.key, patch.value) : 0;
        bytes += now - old;
        count += (now > 0 ? 1 : 0) - (old > 0 ? 1 : 0);
    }
    if (bytes > dynamodb::MaxDatasetBytes)
        return done(
            {{},
             limitExceeded(dataset,
                           tr("Dataset '%1' would exceed the maximum dataset size of 1 MB.").arg(dataset))});
    writeChunk(call, context, write, 0, done);
}

void DynamoDbRemote::writeChunk(const std::shared_ptr<Call> &call, QObject *context,
                                std::shared_ptr<Write> write, int chunk, Callback<QList<SyncRecord>> done)
{
    const QList<RecordPatch> &patches = write->request.patches;
    const qsizetype from = qsizetype(chunk) * dynamodb::RecordsPerTransaction;
    if (from >= patches.size() && chunk > 0)
        return done({write->written, std::nullopt});
    qsizetype bytes = 0; // about the body's size
    for (qsizetype i = from; i < std::min(patches.size(), from + dynamodb::RecordsPerTransaction); ++i)
        bytes += ItemJsonBytes + patches.at(i).key.size() + patches.at(i).value.size();
    m_background.runIfLarge(
        context, bytes,
        [state = *write, chunk, now = QDateTime::currentDateTimeUtc(), identityId = m_identityId,
         table = m_client.table()] { return prepareChunk(state, chunk, now, identityId, table); },
        [this, call, context, write, chunk, done](const Chunk &prepared) {
            if (call->isCancelled())
                return;
            write->recordCount = prepared.recordCount;
            write->bytes = prepared.bytes;
            write->currentCounts = prepared.currentCounts;
            write->currentBytes = prepared.currentBytes;
            const QList<SyncRecord> &records = prepared.records;
            const QString &dataset = write->request.dataset;
            send(call, context,
                 {QStringLiteral("TransactWriteItems"), {}, dataset, prepared.body, prepared.sha256},
                 [this, call, context, write, chunk, records, done](const aws::AwsCall &reply) {
                     if (!reply.isOk()) {
                         const RemoteError error =
                             errorFor(reply.failure(), QStringLiteral("TransactWriteItems"),
                                      write->request.dataset, table());
                         // Chunks already written stay written: reported with the failure (the
                         // engine records them as sent); the rest stay dirty for the next sync.
                         return done({write->written, error});
                     }
                     write->written += records;
                     if (qsizetype(chunk + 1) * dynamodb::RecordsPerTransaction >=
                         write->request.patches.size())
                         return done({write->written, std::nullopt});
                     if (write->request.partWritten)
                         write->request.partWritten(int(write->written.size()));
                     if (call->isCancelled())
                         return; // cancelled from the progress
                     writeChunk(call, context, write, chunk + 1, done);
                 });
        });
}

DynamoDbRemote::Chunk DynamoDbRemote::prepareChunk(const Write &write, int chunk, const QDateTime &now,
                                                   const QString &identityId, const QString &table)
{
    Chunk out;
    out.recordCount = write.recordCount;
    out.bytes = write.bytes;
    out.currentCounts = write.currentCounts;
    out.currentBytes = write.currentBytes;
    const QList<RecordPatch> part = write.request.patches.mid(
        qsizetype(chunk) * dynamodb::RecordsPerTransaction, dynamodb::RecordsPerTransaction);
    const QString &dataset = write.request.dataset;
    const qint64 expected = write.state.syncCount + chunk;
    const qint64 count = expected + 1;

    QList<QByteArray> puts; // written straight as JSON (JsonWriter): 99 items through QJsonObject were
                            // 20M instructions per body
    puts.reserve(part.size());
    for (const RecordPatch &patch : part) {
        SyncRecord record{patch.key,  std::nullopt,
                          count,      now,
                          identityId, patch.deviceLastModified.isValid() ? patch.deviceLastModified : now};
        if (patch.op == RecordPatch::Op::Replace)
            record.value = patch.value;
        const qint64 size = dynamodb::recordBytes(record.key, record.value);
        const qint64 old = out.currentBytes.value(patch.key, 0);
        out.bytes += size - old;
        out.recordCount += (size > 0 ? 1 : 0) - (old > 0 ? 1 : 0);
        out.currentBytes.insert(patch.key, size);
        // The version this device last saw: absent (or an earlier incarnation's) for a new record.
        const qint64 seen = out.currentCounts.value(patch.key, 0);
        puts << recordPut(table, identityId, dataset, record, size, seen, write.generation);
        out.currentCounts.insert(patch.key, count);
        out.records << record;
    }

    // The counter: moved from the count of the pull to the next, or the write is refused.
    const bool fresh = !write.state.live;
    QJsonObject values{{QStringLiteral(":n"), DynamoDbClient::number(count)},
                       {QStringLiteral(":now"), dynamodb::time(now)},
                       {QStringLiteral(":who"), DynamoDbClient::string(identityId)},
                       {QStringLiteral(":rc"), DynamoDbClient::number(out.recordCount)},
                       {QStringLiteral(":bytes"), DynamoDbClient::number(out.bytes)},
                       {QStringLiteral(":false"), DynamoDbClient::boolean(false)},
                       {QStringLiteral(":kind"), DynamoDbClient::string(QStringLiteral("dataset"))},
                       {QStringLiteral(":name"), DynamoDbClient::string(dataset)},
                       {QStringLiteral(":gen"), DynamoDbClient::number(write.generation)}};
    QString update =
        QStringLiteral("SET #sc = :n, #lm = :now, #lmb = :who, #rc = :rc, #bytes = :bytes, "
                       "#deleted = :false, #kind = :kind, #dataset = :name, #generation = :gen, ");
    update += fresh && chunk == 0 ? QStringLiteral("#created = :now")
                                  : QStringLiteral("#created = if_not_exists(#created, :now)");
    QString condition;
    if (expected == 0 && !write.state.metaExists) {
        condition = QStringLiteral("attribute_not_exists(#sc)");
    } else {
        condition = QStringLiteral("#sc = :expected");
        values.insert(QStringLiteral(":expected"), DynamoDbClient::number(expected));
    }
    const QJsonObject meta{{QStringLiteral("TableName"), table},
                           {QStringLiteral("Key"), dynamodb::itemKey(identityId, dynamodb::metaKey(dataset))},
                           {QStringLiteral("UpdateExpression"), update},
                           {QStringLiteral("ConditionExpression"), condition},
                           {QStringLiteral("ExpressionAttributeNames"),
                            QJsonObject{{QStringLiteral("#sc"), attr::SyncCount},
                                        {QStringLiteral("#lm"), attr::LastModified},
                                        {QStringLiteral("#lmb"), attr::LastModifiedBy},
                                        {QStringLiteral("#rc"), attr::RecordCount},
                                        {QStringLiteral("#bytes"), attr::Bytes},
                                        {QStringLiteral("#deleted"), attr::Deleted},
                                        {QStringLiteral("#kind"), attr::Kind},
                                        {QStringLiteral("#dataset"), attr::Name},
                                        {QStringLiteral("#generation"), attr::Generation},
                                        {QStringLiteral("#created"), attr::Created}}},
                           {QStringLiteral("ExpressionAttributeValues"), values}};
    JsonWriter body;
    body.beginObject();
    body.name(u"TransactItems");
    body.beginArray();
    body.raw(QJsonDocument(QJsonObject{{QStringLiteral("Update"), meta}}).toJson(QJsonDocument::Compact));
    for (const QByteArray &put : std::as_const(puts))
        body.raw(put);
    body.endArray();
    // The same token on every retry of this transaction: a retry after a lost answer is not applied twice.
    body.name(u"ClientRequestToken");
    body.string(QUuid::createUuid().toString(QUuid::WithoutBraces));
    body.endObject();
    out.body = body.bytes();
    out.sha256 = aws::SigV4Signer::sha256Hex(out.body);
    return out;
}

// ---- DeleteDataset ------------------------------------------------------------------------------------

RemoteCallHandle DynamoDbRemote::deleteDataset(const QString &dataset, QObject *context, Callback<bool> done)
{
    const std::shared_ptr<Call> call = newCall();
    markDeleted(call, context, dataset, 1, std::move(done));
    return call;
}

void DynamoDbRemote::markDeleted(const std::shared_ptr<Call> &call, QObject *context, const QString &dataset,
                                 int attempt, Callback<bool> done)
{
    readMeta(
        call, context, dataset,
        [this, call, context, dataset, attempt, done](const auto &meta, const auto &error) {
            if (error)
                return done({false, error});
            if (!meta->isLive())
                return done(
                    {false,
                     RemoteError::make(
                         RemoteErrorKind::NotFound,
                         UserError::make(QStringLiteral("sync.remote.ResourceNotFoundException"),
                                         tr("%1 does not exist on the server").arg(datasetLabel(dataset))))});
            const qint64 deletedAt = meta->syncCount + 1;
            const QJsonObject input{
                {QStringLiteral("Key"), dynamodb::itemKey(m_identityId, dynamodb::metaKey(dataset))},
                {QStringLiteral("UpdateExpression"),
                 QStringLiteral(
                     "SET #sync_count = :n, #deleted_at = :n, #deleted = :true, #record_count = :zero, "
                     "#bytes = :zero, #last_modified = :now, #last_modified_by = :who")},
                {QStringLiteral("ConditionExpression"), QStringLiteral("#sync_count = :c")},
                {QStringLiteral("ExpressionAttributeNames"),
                 names({attr::SyncCount, attr::DeletedAt, attr::Deleted, attr::RecordCount, attr::Bytes,
                        attr::LastModified, attr::LastModifiedBy})},
                {QStringLiteral("ExpressionAttributeValues"),
                 QJsonObject{{QStringLiteral(":n"), DynamoDbClient::number(deletedAt)},
                             {QStringLiteral(":c"), DynamoDbClient::number(meta->syncCount)},
                             {QStringLiteral(":true"), DynamoDbClient::boolean(true)},
                             {QStringLiteral(":zero"), DynamoDbClient::number(qint64(0))},
                             {QStringLiteral(":now"), dynamodb::time(QDateTime::currentDateTimeUtc())},
                             {QStringLiteral(":who"), DynamoDbClient::string(m_identityId)}}}};
            send(call, context, {QStringLiteral("UpdateItem"), input, dataset},
                 [this, call, context, dataset, attempt, deletedAt, done](const aws::AwsCall &reply) {
                     if (!reply.isOk()) {
                         const RemoteError failure =
                             errorFor(reply.failure(), QStringLiteral("UpdateItem"), dataset, table());
                         // A write slipped in between: read the counter again (a few times at most).
                         if (failure.kind == RemoteErrorKind::Conflict && attempt < 5)
                             return markDeleted(call, context, dataset, attempt + 1, done);
                         return done({false, failure});
                     }
                     removeStale(call, context, dataset, deletedAt, [done] { done({true, std::nullopt}); });
                 });
        });
}

// Readers ignore a deleted dataset's records already; removing them only frees storage, so a failure
// here is logged and left for the next delete.
void DynamoDbRemote::removeStale(const std::shared_ptr<Call> &call, QObject *context, const QString &dataset,
                                 qint64 deletedAt, std::function<void()> done)
{
    const QJsonObject projection{
        {QStringLiteral("ProjectionExpression"), QStringLiteral("#sk, #sc")},
        {QStringLiteral("ExpressionAttributeNames"), QJsonObject{{QStringLiteral("#sc"), attr::SyncCount}}}};
    queryAll(
        call, context, dataset, dynamodb::recordPrefix(dataset), projection,
        [this, call, context, dataset, deletedAt, done](const Items &found, const auto &error) {
            const QJsonArray &items = found.list;
            if (error || items.isEmpty()) {
                if (error)
                    qCInfo(lcSync) << "could not list the deleted dataset's items:" << error->error.code;
                return done();
            }
            QJsonArray actions;
            for (qsizetype i = 0; i < items.size() && i < 100; ++i) {
                const QString sortKey =
                    DynamoDbClient::stringOf(items.at(i).toObject(), dynamodb::SortKey).value_or(QString());
                actions.append(QJsonObject{
                    {QStringLiteral("Delete"),
                     QJsonObject{{QStringLiteral("TableName"), m_client.table()},
                                 {QStringLiteral("Key"), dynamodb::itemKey(m_identityId, sortKey)},
                                 {QStringLiteral("ConditionExpression"), QStringLiteral("#sc <= :d")},
                                 {QStringLiteral("ExpressionAttributeNames"),
                                  QJsonObject{{QStringLiteral("#sc"), attr::SyncCount}}},
                                 {QStringLiteral("ExpressionAttributeValues"),
                                  QJsonObject{{QStringLiteral(":d"), DynamoDbClient::number(deletedAt)}}}}}});
            }
            const bool more = items.size() > 100;
            send(call, context,
                 {QStringLiteral("TransactWriteItems"),
                  QJsonObject{{QStringLiteral("TransactItems"), actions}}, dataset},
                 [this, call, context, dataset, deletedAt, done, more](const aws::AwsCall &reply) {
                     if (!reply.isOk()) {
                         qCInfo(lcSync)
                             << "could not remove the deleted dataset's items:" << reply.failure().error.code;
                         return done();
                     }
                     if (more)
                         return removeStale(call, context, dataset, deletedAt, done);
                     done();
                 });
        });
}

} // namespace fedsync

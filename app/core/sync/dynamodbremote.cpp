#include "sync/dynamodbremote.h"

#include "aws/awscall.h"
#include "aws/awsclient.h"
#include "aws/dynamodbclient.h"
#include "common/deliverlater.h"
#include "log/logcategories.h"
#include "log/redact.h"
#include "sync/dynamodberrors.h"
#include "sync/dynamodbrecordsreader.h"
#include "sync/dynamodbschema.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonDocument>
#include <QPointer>
#include <QRegularExpression>
#include <QUuid>

namespace fedsync {

using aws::DynamoDbClient;
namespace attr = dynamodb::attr;
using namespace dynamodb::errors;

namespace {

// A Query's record items read (off the UI thread for many): the records by count then key, or a problem.
struct ReadRecords
{
    QList<SyncRecord> records;
    QString problem;
};

ReadRecords readRecords(const QJsonArray &items)
{
    ReadRecords out;
    out.records.reserve(items.size());
    for (const QJsonValue &value : items) {
        const auto stored = dynamodb::readRecord(value.toObject(), &out.problem);
        if (!stored) {
            out.records.clear();
            return out;
        }
        out.records << stored->record;
    }
    dynamodb::sortRecords(out.records);
    return out;
}

} // namespace

DynamoDbRemote::Call::~Call()
{
    cancel();
}

void DynamoDbRemote::Call::cancel()
{
    m_cancelled = true;
    if (m_current) {
        aws::AwsCall *call = m_current;
        m_current.clear();
        call->disconnect();
        call->abort();
        call->deleteLater();
    }
}

void DynamoDbRemote::Call::setCurrent(aws::AwsCall *call)
{
    m_current = call;
}

DynamoDbRemote::DynamoDbRemote(aws::DynamoDbClient &client, QString identityId)
    : m_client(client)
    , m_identityId(std::move(identityId))
{}

DynamoDbRemote::~DynamoDbRemote()
{
    for (const std::weak_ptr<Call> &weak : m_calls) {
        if (const std::shared_ptr<Call> call = weak.lock())
            call->cancel();
    }
}

QString DynamoDbRemote::table() const
{
    return m_client.table();
}

std::shared_ptr<DynamoDbRemote::Call> DynamoDbRemote::newCall()
{
    std::erase_if(m_calls, [](const std::weak_ptr<Call> &weak) { return weak.expired(); });
    auto call = std::make_shared<Call>();
    m_calls.push_back(call);
    return call;
}

void DynamoDbRemote::send(const std::shared_ptr<Call> &call, QObject *context, const Request &request,
                          Reply reply, bool expiredRetried)
{
    const QString summary = request.dataset.isEmpty()
                                ? request.operation
                                : QStringLiteral("%1 %2").arg(request.operation, request.dataset);
    aws::AwsCall *awsCall = request.body.isEmpty()
                                ? m_client.call(request.operation, request.input, summary)
                                : m_client.call(request.operation, request.body, request.sha256, summary);
    call->setCurrent(awsCall);
    awsCall->bindLifetimeTo(context);
    QObject::connect(
        awsCall, &aws::AwsCall::finished, context,
        [this, owner = call, awsCall, context, request, reply = std::move(reply), expiredRetried]() {
            if (owner->isCancelled())
                return;
            owner->setCurrent(nullptr);
            const QString type = awsCall->failure().aws.type;
            if (!expiredRetried && type == QLatin1String("ExpiredTokenException")) {
                qCInfo(lcSync) << request.operation << "met expired credentials; asking again";
                send(owner, context, request, reply, true);
                return;
            }
            reply(*awsCall);
        });
}

void DynamoDbRemote::queryAll(const std::shared_ptr<Call> &call, QObject *context, const QString &dataset,
                              const QString &prefix, const QJsonObject &extra, ItemsCallback done,
                              bool recordItems)
{
    query(call, context, dataset, QStringLiteral("begins_with(#sk, :prefix)"),
          {{QStringLiteral(":prefix"), DynamoDbClient::string(prefix)}}, extra, std::move(done), recordItems);
}

void DynamoDbRemote::query(const std::shared_ptr<Call> &call, QObject *context, const QString &dataset,
                           const QString &sortKeyCondition, const QJsonObject &sortKeyValues,
                           const QJsonObject &extra, ItemsCallback done, bool recordItems)
{
    Request request{QStringLiteral("Query"), extra, dataset};
    request.recordItems = recordItems;
    QJsonObject attributeNames = request.input.value(QLatin1String("ExpressionAttributeNames")).toObject();
    QJsonObject values = request.input.value(QLatin1String("ExpressionAttributeValues")).toObject();
    attributeNames.insert(QStringLiteral("#pk"), dynamodb::PartitionKey);
    attributeNames.insert(QStringLiteral("#sk"), dynamodb::SortKey);
    values.insert(QStringLiteral(":pk"), DynamoDbClient::string(m_identityId));
    for (auto it = sortKeyValues.constBegin(); it != sortKeyValues.constEnd(); ++it)
        values.insert(it.key(), it.value());
    request.input.insert(QStringLiteral("KeyConditionExpression"),
                         QString(QStringLiteral("#pk = :pk AND ") + sortKeyCondition));
    request.input.insert(QStringLiteral("ExpressionAttributeNames"), attributeNames);
    request.input.insert(QStringLiteral("ExpressionAttributeValues"), values);
    request.input.insert(QStringLiteral("ConsistentRead"), true);
    queryPage(call, context, request, 1, std::make_shared<Items>(), std::move(done));
}

// A Query reply read off the UI thread: the items so far followed by the page's, its LastEvaluatedKey,
// or a problem.
struct DynamoDbRemote::QueryPage
{
    QJsonArray items;
    QJsonObject last;
    QString problem;
    std::optional<QList<SyncRecord>> records; // read the fast way (the only page)
};

void DynamoDbRemote::queryPage(const std::shared_ptr<Call> &call, QObject *context, const Request &request,
                               int page, std::shared_ptr<Items> items, ItemsCallback done)
{
    send(
        call, context, request, [this, call, context, request, page, items, done](const aws::AwsCall &reply) {
            if (!reply.isOk())
                return done({}, errorFor(reply.failure(), QStringLiteral("Query"), request.dataset, table()));
            items->bytes += reply.body().size();
            m_background.runIfLarge(
                context, reply.body().size(),
                [body = reply.body(), list = items->list,
                 fast = request.recordItems && page == 1]() mutable {
                    QueryPage read;
                    if (fast) {
                        read.records = dynamodb::readRecordsQueryReply(body);
                        if (read.records)
                            return read;
                    }
                    const QJsonObject root = QJsonDocument::fromJson(body).object();
                    const QJsonValue pageItems = root.value(QLatin1String("Items"));
                    if (!pageItems.isArray()) {
                        read.problem = QStringLiteral("Items is not a list");
                        return read;
                    }
                    for (const QJsonValue &item : pageItems.toArray())
                        list.append(item);
                    read.items = list;
                    read.last = root.value(QLatin1String("LastEvaluatedKey")).toObject();
                    return read;
                },
                [this, call, context, request, page, items, done](const QueryPage &read) {
                    if (!call->isCancelled())
                        queryRead(call, context, request, page, items, done, read);
                });
        });
}

void DynamoDbRemote::queryRead(const std::shared_ptr<Call> &call, QObject *context, const Request &request,
                               int page, std::shared_ptr<Items> items, const ItemsCallback &done,
                               const QueryPage &read)
{
    if (!read.problem.isEmpty())
        return done({}, badReply(QStringLiteral("Query"), read.problem));
    if (read.records) {
        items->records = read.records;
        return done(*items, std::nullopt);
    }
    items->list = read.items;
    if (read.last.isEmpty())
        return done(*items, std::nullopt);
    Request next = request;
    if (page >= MaxPages || next.input.value(QLatin1String("ExclusiveStartKey")).toObject() == read.last)
        return done({},
                    badReply(QStringLiteral("Query"), QStringLiteral("LastEvaluatedKey does not advance")));
    next.input.insert(QStringLiteral("ExclusiveStartKey"), read.last);
    queryPage(call, context, next, page + 1, items, done);
}

void DynamoDbRemote::readMeta(const std::shared_ptr<Call> &call, QObject *context, const QString &dataset,
                              MetaCallback done)
{
    const QJsonObject input{
        {QStringLiteral("Key"), dynamodb::itemKey(m_identityId, dynamodb::metaKey(dataset))},
        {QStringLiteral("ConsistentRead"), true}};
    send(call, context, {QStringLiteral("GetItem"), input, dataset},
         [this, dataset, done](const aws::AwsCall &reply) {
             if (!reply.isOk())
                 return done(std::nullopt,
                             errorFor(reply.failure(), QStringLiteral("GetItem"), dataset, table()));
             const QJsonObject item = reply.json().value(QLatin1String("Item")).toObject();
             if (item.isEmpty())
                 return done(dynamodb::DatasetMeta{}, std::nullopt);
             QString problem;
             const std::optional<dynamodb::DatasetMeta> meta = dynamodb::readMeta(item, &problem);
             if (!meta)
                 return done(std::nullopt, badReply(QStringLiteral("GetItem"), problem));
             done(meta, std::nullopt);
         });
}

// ---- ListDatasets -------------------------------------------------------------------------------------

RemoteCallHandle DynamoDbRemote::listDatasets(QObject *context, Callback<QList<RemoteDataset>> done)
{
    const std::shared_ptr<Call> call = newCall();
    queryAll(call, context, {}, QStringLiteral("D#"), {}, [done](const Items &items, const auto &error) {
        RemoteResult<QList<RemoteDataset>> result;
        if (error) {
            result.error = error;
            return done(result);
        }
        for (const QJsonValue &value : items.list) {
            QString problem;
            const std::optional<dynamodb::DatasetMeta> meta = dynamodb::readMeta(value.toObject(), &problem);
            if (!meta) {
                result.error = badReply(QStringLiteral("Query"), problem);
                return done(result);
            }
            if (meta->isLive())
                result.value << RemoteDataset{meta->name,           meta->created, meta->lastModified,
                                              meta->lastModifiedBy, meta->bytes,   meta->recordCount};
        }
        done(result);
    });
    return call;
}

// ---- ListRecords --------------------------------------------------------------------------------------

RemoteCallHandle DynamoDbRemote::listRecords(const ListRecordsRequest &request, QObject *context,
                                             Callback<ListRecordsReply> done)
{
    const std::shared_ptr<Call> call = newCall();
    if (const auto bad = checkName(request.dataset)) {
        deliverLater(context, [call, done, error = *bad] {
            if (!call->isCancelled())
                done({{}, error});
        });
        return call;
    }
    const qint64 last = std::max<qint64>(0, request.lastSyncCount);
    // The counter first: every record at or below it committed with it (see the header).
    readMeta(call, context, request.dataset,
             [this, call, context, request, last, done](const auto &meta, const auto &error) {
                 RemoteResult<ListRecordsReply> result;
                 if (error) {
                     result.error = error;
                     return done(result);
                 }
                 ListRecordsReply &reply = result.value;
                 reply.datasetExists = meta->isLive();
                 reply.datasetSyncCount = meta->syncCount;
                 reply.datasetDeletedAfterRequestedSyncCount = last > 0 && meta->deletedAt > last;
                 reply.syncSessionToken =
                     dynamodb::SessionState{meta->syncCount, meta->generation, meta->isLive(),
                                            meta->exists,    meta->recordCount, meta->bytes}
                         .encode();
                 if (!meta->isLive())
                     return done(result);
                 // Records of an earlier incarnation (below the generation) are stale: never listed.
                 const qint64 after = std::max(last, meta->generation - 1);
                 // Nothing written since `after`: every record at or below the counter committed with it,
                 // so none is above `after`, and the dataset is not read (one written meanwhile, above
                 // the counter, comes with the next pull, as it would after the Query).
                 if (meta->syncCount <= after)
                     return done(result);
                 const QJsonObject input{
                     {QStringLiteral("FilterExpression"), QStringLiteral("#sc > :after")},
                     {QStringLiteral("ExpressionAttributeNames"),
                      QJsonObject{{QStringLiteral("#sc"), attr::SyncCount}}},
                     {QStringLiteral("ExpressionAttributeValues"),
                      QJsonObject{{QStringLiteral(":after"), DynamoDbClient::number(after)}}}};
                 queryAll(call, context, request.dataset, dynamodb::recordPrefix(request.dataset), input,
                          [this, call, context, result, done](const Items &items, const auto &queryError) {
                              if (queryError) {
                                  RemoteResult<ListRecordsReply> failed = result;
                                  failed.error = queryError;
                                  return done(failed);
                              }
                              if (items.records) {
                                  RemoteResult<ListRecordsReply> read = result;
                                  read.value.records = *items.records;
                                  return done(read);
                              }
                              m_background.runIfLarge(
                                  context, items.bytes, [list = items.list] { return readRecords(list); },
                                  [call, result, done](const ReadRecords &read) mutable {
                                      if (call->isCancelled())
                                          return;
                                      if (!read.problem.isEmpty())
                                          result.error = badReply(QStringLiteral("Query"), read.problem);
                                      else
                                          result.value.records = read.records;
                                      done(result);
                                  });
                          },
                          true);
             });
    return call;
}

} // namespace fedsync

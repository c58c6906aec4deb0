// The SyncRemote of the DynamoDB store: a signed-in identity's datasets in one DynamoDB table, laid out
// as dynamodbschema.h says. Semantics are Cognito Sync's, so the engine, the editor and the CLI work
// unchanged: incremental pulls by counter, a per-record condition on the count the device last saw (a
// failed condition is a Conflict), the same limits with the same texts, checked before sending.
//
// Ordering: every write is one transaction that moves the dataset's counter from the count read at the
// pull (a condition) to the next and writes its records at that count, so writers are serialized by the
// counter and a record never becomes visible without its count. A pull reads the counter first (C), then
// the records changed since the last pull: every record at a count <= C committed with C, so none is
// missed; records above C seen early come again next time, harmless.
//
// A transaction's body (JSON and SHA-256) and the Query replies and their items are made and read on a
// worker thread of its own when they are 32 KB or more (BackgroundWork::runIfLarge): 1,024 records never
// stall the window.
#pragma once

#include "common/backgroundwork.h"
#include "sync/syncremote.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>

#include <vector>

namespace fedsync {

namespace aws {
class AwsCall;
class DynamoDbClient;
} // namespace aws

namespace dynamodb {
struct DatasetMeta;
}

class DynamoDbRemote final : public SyncRemote
{
public:
    // `client` must outlive the remote; its credentials must be `identityId`'s (or developer ones).
    DynamoDbRemote(aws::DynamoDbClient &client, QString identityId);
    ~DynamoDbRemote() override;
    DynamoDbRemote(const DynamoDbRemote &) = delete;
    DynamoDbRemote &operator=(const DynamoDbRemote &) = delete;

    QString identityId() const { return m_identityId; }
    QString table() const;

    // A guard against a server that keeps sending LastEvaluatedKeys.
    static constexpr int MaxPages = 1000;

    RemoteCallHandle listDatasets(QObject *context, Callback<QList<RemoteDataset>> done) override;
    // Answers once with every changed record (all pages).
    RemoteCallHandle listRecords(const ListRecordsRequest &request, QObject *context,
                                 Callback<ListRecordsReply> done) override;
    RemoteCallHandle updateRecords(const UpdateRecordsRequest &request, QObject *context,
                                   Callback<QList<SyncRecord>> done) override;
    RemoteCallHandle deleteDataset(const QString &dataset, QObject *context, Callback<bool> done) override;

    class Call;

private:
    struct Request
    {
        QString operation;
        QJsonObject input;
        QString dataset;        // for error texts and the trace
        QByteArray body = {};   // the input's JSON, made already (on the worker): then `input` is unread
        QByteArray sha256 = {}; // the body's SHA-256 in hex, with `body`
        bool recordItems = false; // a Query of record items: read the fast way when it can be
    };
    using Reply = std::function<void(const aws::AwsCall &call)>;
    // Every page's items, and the size of the replies they came in (what reading them costs).
    struct Items
    {
        QJsonArray list;
        qsizetype bytes = 0;
        // A Query of record items read the fast way (dynamodbrecordsreader.h): its records, ordered;
        // `list` is empty then.
        std::optional<QList<SyncRecord>> records = {};
    };
    using ItemsCallback = std::function<void(const Items &items, const std::optional<RemoteError> &error)>;
    using MetaCallback = std::function<void(const std::optional<dynamodb::DatasetMeta> &meta,
                                            const std::optional<RemoteError> &error)>;
    struct Write;
    struct Chunk;
    struct QueryPage;

    std::shared_ptr<Call> newCall();
    void send(const std::shared_ptr<Call> &call, QObject *context, const Request &request, Reply reply,
              bool expiredRetried = false);
    // Query on this identity's partition with begins_with(sk, prefix), every page. `recordItems`: the
    // items are records, read the fast way when the reply allows (Items::records).
    void queryAll(const std::shared_ptr<Call> &call, QObject *context, const QString &dataset,
                  const QString &prefix, const QJsonObject &extra, ItemsCallback done,
                  bool recordItems = false);
    // Query on this identity's partition with `sortKeyCondition` on #sk (its values given), every page.
    void query(const std::shared_ptr<Call> &call, QObject *context, const QString &dataset,
               const QString &sortKeyCondition, const QJsonObject &sortKeyValues, const QJsonObject &extra,
               ItemsCallback done, bool recordItems = false);
    void queryPage(const std::shared_ptr<Call> &call, QObject *context, const Request &request, int page,
                   std::shared_ptr<Items> items, ItemsCallback done);
    void queryRead(const std::shared_ptr<Call> &call, QObject *context, const Request &request, int page,
                   std::shared_ptr<Items> items, const ItemsCallback &done, const QueryPage &read);
    void readMeta(const std::shared_ptr<Call> &call, QObject *context, const QString &dataset,
                  MetaCallback done);
    // Checks the patches against the records read (conflicts, limits), then writes chunk by chunk.
    void writeChecked(const std::shared_ptr<Call> &call, QObject *context, std::shared_ptr<Write> write,
                      Callback<QList<SyncRecord>> done);
    void writeChunk(const std::shared_ptr<Call> &call, QObject *context, std::shared_ptr<Write> write,
                    int chunk, Callback<QList<SyncRecord>> done);
    // Chunk `chunk` of `write` (what it reads and changes), made from values only: on any thread.
    static Chunk prepareChunk(const Write &write, int chunk, const QDateTime &now, const QString &identityId,
                              const QString &table);
    void markDeleted(const std::shared_ptr<Call> &call, QObject *context, const QString &dataset, int attempt,
                     Callback<bool> done);
    void removeStale(const std::shared_ptr<Call> &call, QObject *context, const QString &dataset,
                     qint64 deletedAt, std::function<void()> done);

    aws::DynamoDbClient &m_client;
    const QString m_identityId;
    std::vector<std::weak_ptr<Call>> m_calls;
    BackgroundWork m_background{QStringLiteral("fedsync.dynamodb")}; // last: waits for its work first
};

// A running operation: the AWS call in flight, and whether it was cancelled.
class DynamoDbRemote::Call final : public RemoteCall
{
public:
    ~Call() override;
    void cancel() override;
    bool isCancelled() const { return m_cancelled; }
    void setCurrent(aws::AwsCall *call);

private:
    QPointer<aws::AwsCall> m_current;
    bool m_cancelled = false;
};

} // namespace fedsync

// The remote side of synchronization as the engine sees it: Cognito Sync's four dataset operations,
// asynchronous and cancellable. Cognito Sync, an in-memory fake for tests, or later a DynamoDB table
// plug in here without changes to the engine, the store or the editor.
#pragma once

#include "sync/synctypes.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace fedsync {

// Why a remote call failed, as far as the engine needs to decide what to do next.
enum class RemoteErrorKind {
    Conflict,      // ResourceConflictException: a record changed since its sync count was read
    Throttled,     // TooManyRequests / LimitExceeded for the request rate: retry later
    Network,       // no answer (timeout, connection): retry later
    NotAuthorized, // NotAuthorized / expired credentials: sign in again
    LimitExceeded, // a data limit (records, size, datasets) was hit
    NotFound,      // ResourceNotFoundException
    Other,
};

struct RemoteError
{
    RemoteErrorKind kind = RemoteErrorKind::Other;
    UserError error; // what to show when the engine gives up
    // The remote already retried the call (with backoff) before giving up: for Throttled, retrying the
    // whole call again would only add to the load of a busy service.
    bool retried = false;

    bool isTransient() const
    {
        return kind == RemoteErrorKind::Throttled || kind == RemoteErrorKind::Network;
    }
    static RemoteError make(RemoteErrorKind kind, UserError error) { return {kind, std::move(error)}; }
};

template<typename T> struct RemoteResult
{
    T value{};
    std::optional<RemoteError> error;

    bool ok() const { return !error.has_value(); }
};

struct RemoteDataset
{
    QString name;
    QDateTime created;
    QDateTime lastModified;
    QString lastModifiedBy;
    qint64 storageSizeBytes = 0;
    qint64 recordCount = 0;

    // What a later listing is compared with to tell whether the dataset changed: its last
    // modification and size. Empty (never equal) when the service gave no modification date.
    QString state() const
    {
        if (!lastModified.isValid())
            return {};
        return QStringLiteral("%1/%2/%3")
            .arg(lastModified.toMSecsSinceEpoch())
            .arg(recordCount)
            .arg(storageSizeBytes);
    }
};

struct ListRecordsRequest
{
    QString dataset;
    qint64 lastSyncCount = 0;
    QString nextToken;
    int maxResults = 1024;
};

struct ListRecordsReply
{
    QList<SyncRecord> records; // records changed after lastSyncCount; removed ones have no value
    QString nextToken;         // empty on the last page
    qint64 datasetSyncCount = 0;
    bool datasetExists = false;
    bool datasetDeletedAfterRequestedSyncCount = false;
    QStringList mergedDatasetNames;
    QString syncSessionToken;
};

struct RecordPatch
{
    enum class Op { Replace, Remove };
    Op op = Op::Replace;
    QString key;
    QString value;        // for Replace
    qint64 syncCount = 0; // the last sync count known for the record (0: new)
    QDateTime deviceLastModified;
};

struct UpdateRecordsRequest
{
    QString dataset;
    QString deviceId;
    QList<RecordPatch> patches;
    QString syncSessionToken;
    // For a remote that writes in parts (the DynamoDB store's transactions of 99 records): called on the
    // context's thread after each part but the last, with the patches written so far. May be empty.
    std::function<void(int written)> partWritten = {};
};

// A call in flight. cancel() guarantees the callback is not invoked afterwards; what the remote did
// with the request may or may not have happened (the engine copes with both).
class RemoteCall
{
public:
    virtual ~RemoteCall() = default;
    virtual void cancel() = 0;
};
using RemoteCallHandle = std::shared_ptr<RemoteCall>;

class SyncRemote
{
public:
    template<typename T> using Callback = std::function<void(const RemoteResult<T> &)>;

    virtual ~SyncRemote() = default;

    // Each call invokes `done` exactly once, later (never from inside the call), in `context`'s thread,
    // unless the call was cancelled or `context` destroyed first.
    virtual RemoteCallHandle listDatasets(QObject *context, Callback<QList<RemoteDataset>> done) = 0;
    virtual RemoteCallHandle listRecords(const ListRecordsRequest &request, QObject *context,
                                         Callback<ListRecordsReply> done) = 0;
    // On success: the records as the remote stored them, with their new sync counts. On a failure, `value`
    // holds what a remote that writes in parts (the DynamoDB store) wrote before it, if anything.
    virtual RemoteCallHandle updateRecords(const UpdateRecordsRequest &request, QObject *context,
                                           Callback<QList<SyncRecord>> done) = 0;
    virtual RemoteCallHandle deleteDataset(const QString &dataset, QObject *context, Callback<bool> done) = 0;
};

} // namespace fedsync

// An in-memory Cognito Sync for tests: per-record sync counts, a dataset sync count raised by every
// UpdateRecords, ResourceConflictException on a stale sync count, paging, deletion with its
// "deleted after your sync count" flag, optional latency, injected failures, and request counters.
// State changes when a request arrives; the reply comes after the latency (so a cancelled call may
// still have changed the server, as with a real one).
#pragma once

#include "sync/syncremote.h"

#include <QHash>
#include <QMap>
#include <QSet>

namespace fedsync {

class MemorySyncRemote final : public SyncRemote
{
public:
    enum class Operation { ListDatasets, ListRecords, UpdateRecords, DeleteDataset };

    MemorySyncRemote();

    void setLatency(int milliseconds) { m_latencyMs = milliseconds; }
    // Caps a ListRecords page below the request's maxResults.
    void setMaxResults(int maxResults) { m_maxResults = maxResults; }
    // The next `count` calls of `operation` fail with `kind` and change nothing.
    void failNext(Operation operation, RemoteErrorKind kind, int count = 1);
    // Called as each request arrives, before it is handled (to interleave another writer, or cancel).
    void setRequestHook(std::function<void(Operation, const QString &dataset)> hook)
    {
        m_hook = std::move(hook);
    }

    int requestCount(Operation operation) const { return m_requestCounts.value(operation); }
    int totalRequests() const;
    void resetRequestCounts() { m_requestCounts.clear(); }

    // The server's state, and writes by "someone else" straight into it.
    bool hasDataset(const QString &dataset) const;
    qint64 datasetSyncCount(const QString &dataset) const;
    std::optional<SyncRecord> serverRecord(const QString &dataset, const QString &key) const;
    QList<SyncRecord> serverRecords(const QString &dataset) const; // live records, by key
    int acceptedPatches(const QString &dataset, const QString &key) const;
    void serverPut(const QString &dataset, const QString &key, std::optional<QString> value,
                   const QString &writer = QStringLiteral("other-client"));
    void serverDelete(const QString &dataset);

    RemoteCallHandle listDatasets(QObject *context, Callback<QList<RemoteDataset>> done) override;
    RemoteCallHandle listRecords(const ListRecordsRequest &request, QObject *context,
                                 Callback<ListRecordsReply> done) override;
    RemoteCallHandle updateRecords(const UpdateRecordsRequest &request, QObject *context,
                                   Callback<QList<SyncRecord>> done) override;
    RemoteCallHandle deleteDataset(const QString &dataset, QObject *context, Callback<bool> done) override;

private:
    struct Dataset
    {
        bool exists = false;
        QDateTime created;
        QDateTime lastModified;
        QString lastModifiedBy;
        qint64 syncCount = 0;           // counts continue across deletion
        qint64 deletedAtSyncCount = -1; // the count when it was last deleted
        QMap<QString, SyncRecord> records;
    };

    std::optional<RemoteError> arrive(Operation operation, const QString &dataset);
    template<typename T> RemoteCallHandle reply(QObject *context, Callback<T> done, RemoteResult<T> result);

    QHash<QString, Dataset> m_datasets;
    QMap<Operation, QList<RemoteErrorKind>> m_faults;
    QMap<Operation, int> m_requestCounts;
    QHash<QString, int> m_acceptedPatches;
    QSet<QString> m_sessionTokens;
    std::function<void(Operation, const QString &)> m_hook;
    int m_latencyMs = 0;
    int m_maxResults = 1024;
    int m_nextSession = 1;
};

} // namespace fedsync

#include "memorysyncremote.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimer>

#include <algorithm>

namespace fedsync {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("MemorySyncRemote", text);
}

class MemoryCall final : public RemoteCall
{
public:
    void cancel() override { m_cancelled = true; }
    bool isCancelled() const { return m_cancelled; }

private:
    bool m_cancelled = false;
};

RemoteError errorOf(RemoteErrorKind kind)
{
    switch (kind) {
    case RemoteErrorKind::Conflict:
        return RemoteError::make(kind, UserError::make(QStringLiteral("sync.remote.conflict"),
                                                       tr("A record changed on the server meanwhile")));
    case RemoteErrorKind::Throttled:
        return RemoteError::make(kind, UserError::make(QStringLiteral("sync.remote.throttled"),
                                                       tr("The server is busy"), {}, tr("Try again later")));
    case RemoteErrorKind::Network:
        return RemoteError::make(kind, UserError::make(QStringLiteral("sync.remote.network"),
                                                       tr("The server could not be reached"), {},
                                                       tr("Check your network connection")));
    case RemoteErrorKind::NotAuthorized:
        return RemoteError::make(kind, UserError::make(QStringLiteral("sync.remote.notAuthorized"),
                                                       tr("The server refused the credentials"), {},
                                                       tr("Sign in again")));
    case RemoteErrorKind::LimitExceeded:
        return RemoteError::make(kind, UserError::make(QStringLiteral("sync.remote.limit"),
                                                       tr("The dataset is over the server's limits")));
    case RemoteErrorKind::NotFound:
        return RemoteError::make(kind, UserError::make(QStringLiteral("sync.remote.notFound"),
                                                       tr("The dataset does not exist on the server")));
    case RemoteErrorKind::Other:
        break;
    }
    return RemoteError::make(kind,
                             UserError::make(QStringLiteral("sync.remote.other"), tr("The server failed")));
}

QString patchKey(const QString &dataset, const QString &key)
{
    return dataset + QChar(0) + key;
}

} // namespace

MemorySyncRemote::MemorySyncRemote() = default;

void MemorySyncRemote::failNext(Operation operation, RemoteErrorKind kind, int count)
{
    for (int i = 0; i < count; ++i)
        m_faults[operation].append(kind);
}

int MemorySyncRemote::totalRequests() const
{
    int total = 0;
    for (const int count : m_requestCounts)
        total += count;
    return total;
}

bool MemorySyncRemote::hasDataset(const QString &dataset) const
{
    return m_datasets.value(dataset).exists;
}

qint64 MemorySyncRemote::datasetSyncCount(const QString &dataset) const
{
    return m_datasets.value(dataset).syncCount;
}

std::optional<SyncRecord> MemorySyncRemote::serverRecord(const QString &dataset, const QString &key) const
{
    const auto found = m_datasets.constFind(dataset);
    if (found == m_datasets.cend() || !found->records.contains(key))
        return std::nullopt;
    return found->records.value(key);
}

QList<SyncRecord> MemorySyncRemote::serverRecords(const QString &dataset) const
{
    QList<SyncRecord> live;
    for (const SyncRecord &record : m_datasets.value(dataset).records) {
        if (!record.isRemoved())
            live << record;
    }
    return live;
}

int MemorySyncRemote::acceptedPatches(const QString &dataset, const QString &key) const
{
    return m_acceptedPatches.value(patchKey(dataset, key));
}

void MemorySyncRemote::serverPut(const QString &dataset, const QString &key, std::optional<QString> value,
                                 const QString &writer)
{
    Dataset &data = m_datasets[dataset];
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!data.exists) {
        data.exists = true;
        data.created = now;
    }
    ++data.syncCount;
    data.lastModified = now;
    data.lastModifiedBy = writer;
    data.records[key] = SyncRecord{key, std::move(value), data.syncCount, now, writer, now};
}

void MemorySyncRemote::serverDelete(const QString &dataset)
{
    Dataset &data = m_datasets[dataset];
    data.exists = false;
    data.records.clear();
    data.deletedAtSyncCount = data.syncCount;
}

std::optional<RemoteError> MemorySyncRemote::arrive(Operation operation, const QString &dataset)
{
    ++m_requestCounts[operation];
    if (m_hook)
        m_hook(operation, dataset);
    QList<RemoteErrorKind> &faults = m_faults[operation];
    if (!faults.isEmpty())
        return errorOf(faults.takeFirst());
    return std::nullopt;
}

template<typename T>
RemoteCallHandle MemorySyncRemote::reply(QObject *context, Callback<T> done, RemoteResult<T> result)
{
    auto call = std::make_shared<MemoryCall>();
    QTimer::singleShot(m_latencyMs, context, [call, done = std::move(done), result = std::move(result)]() {
        if (!call->isCancelled())
            done(result);
    });
    return call;
}

RemoteCallHandle MemorySyncRemote::listDatasets(QObject *context, Callback<QList<RemoteDataset>> done)
{
    RemoteResult<QList<RemoteDataset>> result;
    result.error = arrive(Operation::ListDatasets, {});
    if (!result.error) {
        for (auto it = m_datasets.cbegin(); it != m_datasets.cend(); ++it) {
            if (!it->exists)
                continue;
            RemoteDataset dataset{it.key(), it->created, it->lastModified, it->lastModifiedBy, 0, 0};
            for (const SyncRecord &record : it->records) {
                if (record.isRemoved())
                    continue;
                ++dataset.recordCount;
                dataset.storageSizeBytes += record.key.toUtf8().size() + record.value->toUtf8().size();
            }
            result.value << dataset;
        }
        std::sort(result.value.begin(), result.value.end(),
                  [](const RemoteDataset &a, const RemoteDataset &b) { return a.name < b.name; });
    }
    return reply(context, std::move(done), std::move(result));
}

RemoteCallHandle MemorySyncRemote::listRecords(const ListRecordsRequest &request, QObject *context,
                                               Callback<ListRecordsReply> done)
{
    RemoteResult<ListRecordsReply> result;
    result.error = arrive(Operation::ListRecords, request.dataset);
    if (!result.error) {
        const Dataset data = m_datasets.value(request.dataset);
        ListRecordsReply &page = result.value;
        page.datasetExists = data.exists;
        page.datasetSyncCount = data.syncCount;
        page.datasetDeletedAfterRequestedSyncCount =
            request.lastSyncCount > 0 && data.deletedAtSyncCount >= request.lastSyncCount;
        page.syncSessionToken = QStringLiteral("session-%1").arg(m_nextSession++);
        m_sessionTokens.insert(page.syncSessionToken);
        QList<SyncRecord> changed;
        for (const SyncRecord &record : data.records) {
            if (record.syncCount > request.lastSyncCount)
                changed << record;
        }
        std::sort(changed.begin(), changed.end(), [](const SyncRecord &a, const SyncRecord &b) {
            return a.syncCount != b.syncCount ? a.syncCount < b.syncCount : a.key < b.key;
        });
        const int offset = request.nextToken.isEmpty() ? 0 : request.nextToken.toInt();
        const int pageSize = std::max(1, std::min(request.maxResults, m_maxResults));
        page.records = changed.mid(offset, pageSize);
        if (offset + pageSize < changed.size())
            page.nextToken = QString::number(offset + pageSize);
    }
    return reply(context, std::move(done), std::move(result));
}

RemoteCallHandle MemorySyncRemote::updateRecords(const UpdateRecordsRequest &request, QObject *context,
                                                 Callback<QList<SyncRecord>> done)
{
    RemoteResult<QList<SyncRecord>> result;
    result.error = arrive(Operation::UpdateRecords, request.dataset);
    if (!result.error && !m_sessionTokens.contains(request.syncSessionToken))
        result.error =
            RemoteError::make(RemoteErrorKind::Other, UserError::make(QStringLiteral("sync.remote.session"),
                                                                      tr("The sync session is not valid")));
    Dataset &data = m_datasets[request.dataset];
    if (!result.error) {
        for (const RecordPatch &patch : request.patches) {
            const qint64 current =
                data.records.contains(patch.key) ? data.records.value(patch.key).syncCount : 0;
            if (patch.syncCount != current) {
                result.error = errorOf(RemoteErrorKind::Conflict);
                break;
            }
        }
    }
    if (!result.error) {
        QMap<QString, SyncRecord> after = data.records;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const qint64 newCount = data.syncCount + 1;
        for (const RecordPatch &patch : request.patches) {
            SyncRecord record{patch.key,
                              std::nullopt,
                              newCount,
                              now,
                              QStringLiteral("memory-identity"),
                              patch.deviceLastModified};
            if (patch.op == RecordPatch::Op::Replace)
                record.value = patch.value;
            after[patch.key] = record;
            result.value << record;
        }
        qint64 bytes = 0;
        int live = 0;
        for (const SyncRecord &record : after) {
            if (record.isRemoved())
                continue;
            ++live;
            bytes += record.key.toUtf8().size() + record.value->toUtf8().size();
        }
        if (live > 1024 || bytes > 1024 * 1024) {
            result.error = errorOf(RemoteErrorKind::LimitExceeded);
            result.value.clear();
        } else {
            if (!data.exists) {
                data.exists = true;
                data.created = now;
            }
            data.records = after;
            data.syncCount = newCount;
            data.lastModified = now;
            data.lastModifiedBy = QStringLiteral("memory-identity");
            for (const RecordPatch &patch : request.patches)
                ++m_acceptedPatches[patchKey(request.dataset, patch.key)];
        }
    }
    return reply(context, std::move(done), std::move(result));
}

RemoteCallHandle MemorySyncRemote::deleteDataset(const QString &dataset, QObject *context,
                                                 Callback<bool> done)
{
    RemoteResult<bool> result;
    result.error = arrive(Operation::DeleteDataset, dataset);
    if (!result.error) {
        if (!hasDataset(dataset)) {
            result.error = errorOf(RemoteErrorKind::NotFound);
        } else {
            serverDelete(dataset);
            result.value = true;
        }
    }
    return reply(context, std::move(done), std::move(result));
}

} // namespace fedsync

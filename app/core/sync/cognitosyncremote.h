// The SyncRemote of Amazon Cognito Sync: its REST-JSON operations (ListDatasets, ListRecords with every
// page merged, UpdateRecords, DeleteDataset) for one identity of one identity pool, signed with SigV4 by
// the AwsClient (which also retries 5xx/throttling and corrects a wrong clock). Service errors become
// RemoteErrorKinds with texts a person can act on; a reply that is not what the service sends gives an
// error, never a crash.
#pragma once

#include "sync/syncremote.h"

#include <QByteArray>
#include <QJsonObject>
#include <QUrlQuery>

#include <vector>

namespace fedsync {

namespace aws {
class AwsCall;
class AwsClient;
} // namespace aws

class CognitoSyncRemote final : public SyncRemote
{
public:
    // `client` must outlive the remote and have a credentials source whose credentials belong to
    // `identityId` (or are developer credentials of the pool). Calls still running when the remote is
    // destroyed are cancelled.
    CognitoSyncRemote(aws::AwsClient &client, QString identityPoolId, QString identityId);
    ~CognitoSyncRemote() override;
    CognitoSyncRemote(const CognitoSyncRemote &) = delete;
    CognitoSyncRemote &operator=(const CognitoSyncRemote &) = delete;

    QString identityPoolId() const { return m_poolId; }
    QString identityId() const { return m_identityId; }

    // The service's page sizes: ListDatasets allows up to 60, ListRecords up to 1024.
    static constexpr int ListDatasetsPageSize = 60;
    static constexpr int MaxListRecordsPageSize = 1024;
    // A guard against a server that keeps sending NextTokens.
    static constexpr int MaxPages = 1000;

    // "/identitypools/<pool>/identities/<id>/datasets[/<dataset>[/records]]", each segment
    // percent-encoded (':' as %3A).
    QByteArray datasetsPath() const;
    QByteArray datasetPath(const QString &dataset) const;
    QByteArray recordsPath(const QString &dataset) const;

    RemoteCallHandle listDatasets(QObject *context, Callback<QList<RemoteDataset>> done) override;
    // Follows NextToken through every page (from request.nextToken, if set) and answers once with all
    // records, the first page's DatasetSyncCount and SyncSessionToken, and an empty nextToken.
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
        QByteArray method;
        QByteArray path;
        QUrlQuery query;
        QJsonObject body;
        QString dataset; // for error texts; empty for ListDatasets
    };
    using Reply = std::function<void(const aws::AwsCall &call)>;

    std::shared_ptr<Call> newCall();
    // Sends `request` as part of `call`; `reply` runs in `context`'s thread unless the call is cancelled or
    // `context` is destroyed first. ExpiredTokenException is retried once with newly asked credentials.
    void send(const std::shared_ptr<Call> &call, QObject *context, const Request &request, Reply reply,
              bool expiredRetried = false);
    void listRecordsPage(const std::shared_ptr<Call> &call, QObject *context,
                         const ListRecordsRequest &request, const QString &token, int page,
                         std::shared_ptr<ListRecordsReply> merged, Callback<ListRecordsReply> done);
    void listDatasetsPage(const std::shared_ptr<Call> &call, QObject *context, const QString &token, int page,
                          std::shared_ptr<QList<RemoteDataset>> merged, Callback<QList<RemoteDataset>> done);

    aws::AwsClient &m_client;
    const QString m_poolId;
    const QString m_identityId;
    std::vector<std::weak_ptr<Call>> m_calls;
};

} // namespace fedsync

// The SyncRemote of Amazon Cognito Sync: a thin adapter over aws::CognitoSyncClient (which builds, signs
// and parses the REST-JSON calls). It follows NextToken through every page, asks for credentials again
// once when they expired in flight, maps the client's values to the seam's, and turns service errors
// into RemoteErrorKinds with texts a person can act on; a reply that is not what the service sends gives
// an error, never a crash. The UpdateRecords body (JSON and SHA-256) and the ListRecords and UpdateRecords
// replies are built and read on a worker thread of its own: 1,024 records never stall the window.
#pragma once

#include "aws/cognitosyncclient.h"
#include "common/backgroundwork.h"
#include "sync/syncremote.h"

#include <QByteArray>

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

    QString identityPoolId() const { return m_client.identityPoolId(); }
    QString identityId() const { return m_client.identityId(); }
    const aws::CognitoSyncClient &client() const { return m_client; }

    static constexpr int ListDatasetsPageSize = aws::CognitoSyncClient::ListDatasetsPageSize;
    static constexpr int MaxListRecordsPageSize = aws::CognitoSyncClient::MaxListRecordsPageSize;
    // A guard against a server that keeps sending NextTokens.
    static constexpr int MaxPages = 1000;

    // The client's paths (see there).
    QByteArray datasetsPath() const { return m_client.datasetsPath(); }
    QByteArray datasetPath(const QString &dataset) const { return m_client.datasetPath(dataset); }
    QByteArray recordsPath(const QString &dataset) const { return m_client.recordsPath(dataset); }

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
    struct ParsedPage;
    using Start = std::function<aws::AwsCall *()>;
    using Reply = std::function<void(const aws::AwsCall &call)>;

    std::shared_ptr<Call> newCall();
    // Starts the client's call (with `start`) as part of `call`; `reply` runs in `context`'s thread unless
    // the call is cancelled or `context` is destroyed first. ExpiredTokenException is retried once with
    // newly asked credentials.
    void send(const std::shared_ptr<Call> &call, QObject *context, const QString &operation,
              const Start &start, Reply reply, bool expiredRetried = false);
    void listRecordsPage(const std::shared_ptr<Call> &call, QObject *context,
                         const ListRecordsRequest &request, const QString &token, int page,
                         std::shared_ptr<ListRecordsReply> merged, Callback<ListRecordsReply> done);
    void listRecordsRead(const std::shared_ptr<Call> &call, QObject *context,
                         const ListRecordsRequest &request, const QString &token, int page,
                         std::shared_ptr<ListRecordsReply> merged, const Callback<ListRecordsReply> &done,
                         const ParsedPage &read);
    void listDatasetsPage(const std::shared_ptr<Call> &call, QObject *context, const QString &token, int page,
                          std::shared_ptr<QList<RemoteDataset>> merged, Callback<QList<RemoteDataset>> done);

    aws::CognitoSyncClient m_client;
    std::vector<std::weak_ptr<Call>> m_calls;
    BackgroundWork m_background{QStringLiteral("fedsync.cognitosync")}; // last: waits for its work first
};

} // namespace fedsync

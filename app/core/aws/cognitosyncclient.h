// Amazon Cognito Sync's REST-JSON operations (ListDatasets, ListRecords, UpdateRecords, DeleteDataset) for
// one identity of one identity pool, one page per call, over the AwsClient that signs them with SigV4
// (service "cognito-sync"), retries 5xx/throttling and corrects a wrong clock. The replies are read into
// typed values; a reply that is not what the service sends gives a problem text, never a crash. What a
// failure means for synchronization, and following pages, is the SyncRemote adapter's job
// (sync/cognitosyncremote).
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

namespace fedsync::aws {

class AwsCall;
class AwsClient;
struct AwsFailure;

struct CognitoSyncDataset
{
    QString name;
    QDateTime created;
    QDateTime lastModified;
    QString lastModifiedBy;
    qint64 dataStorage = 0; // bytes
    qint64 numRecords = 0;
};

struct CognitoSyncRecord
{
    QString key;
    std::optional<QString> value; // none: removed
    qint64 syncCount = 0;
    QDateTime lastModified;
    QString lastModifiedBy;
    QDateTime deviceLastModified;
};

struct CognitoSyncDatasetsPage
{
    QList<CognitoSyncDataset> datasets;
    QString nextToken; // empty on the last page
};

struct CognitoSyncRecordsPage
{
    QList<CognitoSyncRecord> records;
    QString nextToken; // empty on the last page
    qint64 datasetSyncCount = 0;
    bool datasetExists = false;
    bool datasetDeletedAfterRequestedSyncCount = false;
    QStringList mergedDatasetNames;
    QString syncSessionToken;
};

struct CognitoSyncListRecords
{
    QString dataset;
    qint64 lastSyncCount = 0;
    int maxResults = 1024; // clamped to 1..MaxListRecordsPageSize
    QString nextToken;
    QString syncSessionToken; // later pages belong to the first page's session
};

struct CognitoSyncPatch
{
    bool remove = false;
    QString key;
    QString value; // for a replace
    qint64 syncCount = 0;
    QDateTime deviceLastModified; // invalid: not sent
};

struct CognitoSyncUpdate
{
    QString dataset;
    QString deviceId; // empty: not sent
    QList<CognitoSyncPatch> patches;
    QString syncSessionToken;
};

class CognitoSyncClient final
{
public:
    // `client` must outlive this object; its endpoint for "cognito-sync" and its credentials are used.
    CognitoSyncClient(AwsClient &client, QString identityPoolId, QString identityId);

    AwsClient &awsClient() const { return m_client; }
    QString identityPoolId() const { return m_poolId; }
    QString identityId() const { return m_identityId; }

    // The service's page sizes: ListDatasets allows up to 60, ListRecords up to 1024.
    static constexpr int ListDatasetsPageSize = 60;
    static constexpr int MaxListRecordsPageSize = 1024;

    // "/identitypools/<pool>/identities/<id>/datasets[/<dataset>[/records]]", each segment
    // percent-encoded (':' as %3A).
    QByteArray datasetsPath() const;
    QByteArray datasetPath(const QString &dataset) const;
    QByteArray recordsPath(const QString &dataset) const;

    // Each starts one signed call (an AwsCall job; see there for ownership) for one page.
    AwsCall *listDatasets(const QString &nextToken = {}) const;
    AwsCall *listRecords(const CognitoSyncListRecords &request) const;
    AwsCall *updateRecords(const CognitoSyncUpdate &request) const;
    // UpdateRecords in two steps, so that the body of 1,024 records is built (and hashed) off the UI
    // thread: its JSON, then the call with it (`payloadHash`: sha256 in hex, or empty).
    static QByteArray updateRecordsBody(const CognitoSyncUpdate &request);
    AwsCall *updateRecords(const QString &dataset, const QByteArray &body, const QByteArray &payloadHash) const;
    AwsCall *deleteDataset(const QString &dataset) const;

    // The replies as the service sends them; nothing, with `problem` set ("Records[0].Key is missing"),
    // for anything else.
    static std::optional<CognitoSyncDatasetsPage> parseDatasets(const QByteArray &body, QString *problem);
    static std::optional<CognitoSyncRecordsPage> parseRecords(const QByteArray &body, QString *problem);
    // parseRecords() without its fast path (cognitosyncrecordsreader.h): through QJsonDocument and
    // JsonFieldReader, for any body, naming what is wrong.
    static std::optional<CognitoSyncRecordsPage> parseRecordsCarefully(const QByteArray &body,
                                                                       QString *problem);
    static std::optional<QList<CognitoSyncRecord>> parseUpdatedRecords(const QByteArray &body,
                                                                       QString *problem);
    static bool parseDeletedDataset(const QByteArray &body, QString *problem);

    // Credentials that ran out between being handed out and arriving (ExpiredTokenException): asking the
    // credentials source again gets new ones.
    static bool isExpiredCredentials(const AwsFailure &failure);

private:
    AwsCall *call(const QString &operation, const QByteArray &method, const QByteArray &path,
                  const QUrlQuery &query, const QJsonObject &body, const QString &dataset) const;

    AwsClient &m_client;
    const QString m_poolId;
    const QString m_identityId;
};

} // namespace fedsync::aws

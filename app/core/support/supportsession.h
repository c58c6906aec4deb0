// A support staff member's session: their own AWS credentials (the standard chain: environment,
// ~/.aws/credentials and ~/.aws/config profiles with AWS_PROFILE, credential_process) — never the
// signed-in user's — on an AWS client of its own with the profile's endpoints, and the admin calls
// support needs: ListIdentities, DescribeIdentity, DescribeIdentityUsage, DescribeDataset, STS
// GetCallerIdentity, and a remote for any identity of the pool on the store the profile names
// (SupportRemoteFactory: Cognito Sync or the DynamoDB table). GUI and CLI share it.
#pragma once

#include "common/usererror.h"
#include "support/supportremotefactory.h"
#include "support/supporttypes.h"

#include <QCoreApplication>
#include <QMap>
#include <QObject>
#include <QProcessEnvironment>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

namespace fedsync {
class NetworkContext;
class SyncRemote;
class ProfileContext;
namespace aws {
class AwsCall;
class AwsClient;
class AwsCredentialsSource;
struct AwsFailure;
} // namespace aws
} // namespace fedsync

namespace fedsync::support {

class SupportSession final : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Callback = std::function<void(const T &value, const UserError &error)>;

    // The IAM actions the console uses (for the "what is needed" message and the README).
    static QStringList requiredIamActions();
    // The error for "no staff credentials": what is needed, where Fedsync looked, which IAM actions.
    static UserError noStaffCredentials(const QString &searched);

    // The profile gives the pool, region, endpoints and CA; the credentials come from the chain read
    // from `environment` and `homeDir` ("~"). Null + error when the profile has no Cognito side or no
    // staff credentials are found.
    static std::unique_ptr<SupportSession> create(ProfileContext &context,
                                                  const QProcessEnvironment &environment,
                                                  const QString &homeDir, UserError *error,
                                                  QObject *parent = nullptr);
    SupportSession(const NetworkContext &network, QString region, QString identityPoolId,
                   const QMap<QString, QUrl> &endpoints,
                   std::unique_ptr<aws::AwsCredentialsSource> credentials, QString credentialsOrigin,
                   QObject *parent = nullptr);
    ~SupportSession() override;

    QString identityPoolId() const { return m_poolId; }
    QString region() const { return m_region; }
    QString credentialsOrigin() const { return m_origin; }
    aws::AwsClient &awsClient() const { return *m_client; }

    // The profile's DynamoDB store, when it has one: where the card index is (see createDirectory())
    // and where datasets and records are read and written (remoteFor()).
    using DynamoDbStore = SupportRemoteFactory::DynamoDbStore;
    void setDynamoDbStore(const DynamoDbStore &store) { m_remotes->setDynamoDbStore(store); }
    const std::optional<DynamoDbStore> &dynamoDbStore() const { return m_remotes->dynamoDbStore(); }
    // Where the identities' data is, for people ("Amazon Cognito Sync", "the DynamoDB table …").
    QString storeDescription() const { return m_remotes->storeDescription(); }

    // Who the staff member is, for the audit log: the ARN from STS GetCallerIdentity, or, when STS
    // refuses, "access key …WXYZ" (the key id's last 4 characters). Asked once, then remembered.
    void whoAmI(Callback<QString> done);

    // MaxResults 1-60 as the service requires; an empty token asks for the first page.
    void listIdentities(int maxResults, const QString &nextToken, Callback<IdentityPage> done);
    void describeIdentity(const QString &identityId, Callback<IdentityInfo> done);
    // Cognito Sync: DescribeIdentityUsage. DynamoDB has no such call: the figures are computed from the
    // identity's dataset items in the table (datasets, records, bytes, last change).
    void describeIdentityUsage(const QString &identityId, Callback<IdentityUsage> done);
    void listDatasets(const QString &identityId, Callback<QList<RemoteDataset>> done);
    void describeDataset(const QString &identityId, const QString &dataset, Callback<RemoteDataset> done);
    // Every live record of a dataset (ListRecords from sync count 0, every page).
    void listRecords(const QString &identityId, const QString &dataset, Callback<QList<SyncRecord>> done);
    // ListRecords from `lastSyncCount`: the records changed since, and the dataset's sync count.
    void listChangedRecords(const QString &identityId, const QString &dataset, qint64 lastSyncCount,
                            std::function<void(const ListRecordsReply &, const UserError &)> done);

    // A remote for one identity on the profile's store, signed with the staff credentials (for the
    // sync engine); it must not outlive the session.
    std::unique_ptr<SyncRemote> remoteFor(const QString &identityId) const;

    // A person-readable error for a failed call; AccessDenied names the IAM action that was missing.
    static UserError describeFailure(const aws::AwsFailure &failure, const QString &action);
    // A remote's error as staff should read it: a refusal ("not authorized to perform: X") names the
    // IAM action X to ask for, not the users' role policy.
    static UserError staffError(const UserError &error);

private:
    aws::AwsCall *identityCall(const QString &operation, const QJsonObject &input, const QString &summary);
    aws::AwsCall *syncGet(const QString &operation, const QByteArray &path, const QString &summary);
    SyncRemote *temporaryRemote(const QString &identityId);
    void releaseLater(SyncRemote *remote);

    QString m_region;
    QString m_poolId;
    QString m_origin;
    QString m_who;
    std::unique_ptr<aws::AwsCredentialsSource> m_credentials;
    std::unique_ptr<aws::AwsClient> m_client;
    std::unique_ptr<SupportRemoteFactory> m_remotes;
    std::unordered_map<SyncRemote *, std::unique_ptr<SyncRemote>> m_temporaryRemotes; // last
};

} // namespace fedsync::support

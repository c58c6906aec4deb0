// The one place the support console's remotes come from, for the GUI and the CLI alike: the store the
// profile names, signed with the staff member's own credentials (the SupportSession's chain, never the
// signed-in user's session). A Cognito Sync profile gets a CognitoSyncRemote on the session's client; a
// DynamoDB profile gets a DynamoDbRemote on a client of its own for the table's region and endpoint, so
// datasets, records, exports and audited support writes read and write where the user's app does.
#pragma once

#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

namespace fedsync {
class SyncRemote;
namespace aws {
class AwsClient;
class DynamoDbClient;
} // namespace aws
} // namespace fedsync

namespace fedsync::support {

class SupportRemoteFactory final
{
public:
    // The profile's DynamoDB store.
    struct DynamoDbStore
    {
        QString table;
        QString region;
        QUrl endpoint; // empty: the region's public endpoint
    };

    // `staffClient` (the session's, with the staff credentials and the Cognito endpoints) must outlive
    // the factory and every remote it makes.
    SupportRemoteFactory(aws::AwsClient &staffClient, QString identityPoolId);
    ~SupportRemoteFactory();
    SupportRemoteFactory(const SupportRemoteFactory &) = delete;
    SupportRemoteFactory &operator=(const SupportRemoteFactory &) = delete;

    // From now on the remotes are the table's (same credentials, the table's region and endpoint).
    void setDynamoDbStore(const DynamoDbStore &store);
    const std::optional<DynamoDbStore> &dynamoDbStore() const { return m_store; }

    // A remote for one identity of the pool; it must not outlive the factory.
    std::unique_ptr<SyncRemote> remoteFor(const QString &identityId) const;
    // Where the data is, for people: "Amazon Cognito Sync" or "the DynamoDB table <name>".
    QString storeDescription() const;

private:
    aws::AwsClient &m_staff;
    const QString m_poolId;
    std::optional<DynamoDbStore> m_store;
    std::unique_ptr<aws::AwsClient> m_dynamoClient;
    std::unique_ptr<aws::DynamoDbClient> m_dynamo;
};

} // namespace fedsync::support

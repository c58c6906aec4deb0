#include "support/supportremotefactory.h"

#include "aws/awsclient.h"
#include "aws/dynamodbclient.h"
#include "sync/cognitosyncremote.h"
#include "sync/dynamodbremote.h"

#include <QCoreApplication>

namespace fedsync::support {

SupportRemoteFactory::SupportRemoteFactory(aws::AwsClient &staffClient, QString identityPoolId)
    : m_staff(staffClient)
    , m_poolId(std::move(identityPoolId))
{}

SupportRemoteFactory::~SupportRemoteFactory() = default;

void SupportRemoteFactory::setDynamoDbStore(const DynamoDbStore &store)
{
    m_store = store;
    m_dynamo.reset();
    m_dynamoClient = std::make_unique<aws::AwsClient>(m_staff.networkContext(), store.region);
    if (store.endpoint.isValid())
        m_dynamoClient->setEndpoint(QStringLiteral("dynamodb"), store.endpoint);
    m_dynamoClient->setCredentialsSource(m_staff.credentialsSource());
    m_dynamo = std::make_unique<aws::DynamoDbClient>(*m_dynamoClient, store.table);
}

std::unique_ptr<SyncRemote> SupportRemoteFactory::remoteFor(const QString &identityId) const
{
    if (!m_dynamo)
        return std::make_unique<CognitoSyncRemote>(m_staff, m_poolId, identityId);
    m_dynamoClient->setMaxAttempts(m_staff.maxAttempts()); // as the session's own calls
    return std::make_unique<DynamoDbRemote>(*m_dynamo, identityId);
}

QString SupportRemoteFactory::storeDescription() const
{
    if (!m_store)
        return QCoreApplication::translate("SupportRemoteFactory", "Amazon Cognito Sync");
    return QCoreApplication::translate("SupportRemoteFactory", "the DynamoDB table %1").arg(m_store->table);
}

} // namespace fedsync::support

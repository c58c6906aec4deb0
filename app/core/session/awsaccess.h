// The AWS side of one profile, fed by its SignInState: one AWS client with the endpoints resolved as the AWS
// SDKs do (environment, profile override, region), the Cognito Identity and STS clients, the identity-id
// cache in the settings, and the credentials provider fed with ID tokens by the SignInState. Signed calls
// (Cognito Sync, `fedsync-cli request`) take their credentials from credentials(). Signing out forgets them.
#pragma once

#include "common/usererror.h"
#include "config/endpointresolver.h"
#include "config/profile.h"

#include <QMap>
#include <QObject>

#include <memory>

class QSettings;

namespace fedsync {

class SignInState;
class SignInTokenSource;
class NetworkContext;
class SessionCredentialsCache;

namespace aws {
class AwsClient;
class CognitoCredentialsProvider;
class CognitoIdentityClient;
class SettingsIdentityIdCache;
class StsClient;
} // namespace aws

class AwsAccess final : public QObject
{
    Q_OBJECT
public:
    // Null with `error` set when the profile's Cognito side is missing or an endpoint is unusable.
    static std::unique_ptr<AwsAccess> create(const Profile &profile, const NetworkContext &network,
                                                  SignInState *session, const EndpointResolver &endpoints,
                                                  UserError *error, QObject *parent = nullptr);
    ~AwsAccess() override;

    aws::AwsClient *awsClient() const { return m_client.get(); }
    // For a profile whose datasets live in DynamoDB: the client of the table's region and endpoint,
    // signing with the same credentials; null for a Cognito Sync profile.
    aws::AwsClient *dynamoDbClient() const { return m_dynamoDbClient.get(); }
    aws::CognitoCredentialsProvider *credentials() const { return m_provider.get(); }
    CognitoSettings::Flow flow() const { return m_flow; }
    // "enhanced (GetCredentialsForIdentity)" / "basic (GetOpenIdToken + AssumeRoleWithWebIdentity)"
    QString flowDescription() const;
    // Where each service's requests go and why (for the inspector and `whoami`).
    const EndpointResolver::Endpoint &endpoint(AwsService service) const;

private:
    AwsAccess(CognitoSettings::Flow flow, QObject *parent);

    CognitoSettings::Flow m_flow;
    QMap<AwsService, EndpointResolver::Endpoint> m_endpoints;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<aws::AwsClient> m_client;
    std::unique_ptr<aws::CognitoIdentityClient> m_identity;
    std::unique_ptr<aws::StsClient> m_sts;
    std::unique_ptr<aws::SettingsIdentityIdCache> m_cache;
    std::unique_ptr<SignInTokenSource> m_tokens;
    std::unique_ptr<SessionCredentialsCache> m_credentialsCache;
    std::unique_ptr<aws::CognitoCredentialsProvider> m_provider; // uses everything above
    std::unique_ptr<aws::AwsClient> m_dynamoDbClient;            // last: signs with m_provider
};

} // namespace fedsync

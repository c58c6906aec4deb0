#include "session/awsaccess.h"

#include "aws/awsclient.h"
#include "aws/cognitocredentialsprovider.h"
#include "aws/cognitoidentityclient.h"
#include "aws/settingsidentityidcache.h"
#include "aws/stsclient.h"
#include "session/signinstate.h"
#include "session/signintokensource.h"
#include "session/sessioncredentialscache.h"

#include <QSettings>

namespace fedsync {

AwsAccess::AwsAccess(CognitoSettings::Flow flow, QObject *parent)
    : QObject(parent)
    , m_flow(flow)
{}

AwsAccess::~AwsAccess() = default;

std::unique_ptr<AwsAccess> AwsAccess::create(const Profile &profile, const NetworkContext &network,
                                                       SignInState *session,
                                                       const EndpointResolver &endpoints, UserError *error,
                                                       QObject *parent)
{
    const CognitoSettings &cognito = profile.cognito;
    if (!cognito.isConfigured()) {
        *error = UserError::make(
            QStringLiteral("cognito.not_configured"), tr("This profile has no Amazon Cognito side"),
            tr("AWS credentials need a region and an identity pool id (and a role ARN for the basic flow)"),
            tr("Fill in the Cognito part of the profile"));
        return nullptr;
    }
    std::unique_ptr<AwsAccess> self(new AwsAccess(cognito.flow, parent));
    self->m_client = std::make_unique<aws::AwsClient>(network, cognito.region);
    for (const AwsService service : {AwsService::CognitoIdentity, AwsService::Sts, AwsService::CognitoSync}) {
        const EndpointResolver::Endpoint endpoint = endpoints.resolve(service, cognito);
        if (!endpoint.isValid()) {
            *error = endpoint.error;
            return nullptr;
        }
        self->m_endpoints.insert(service, endpoint);
        self->m_client->setEndpoint(awsServiceName(service), endpoint.url);
    }

    self->m_identity = std::make_unique<aws::CognitoIdentityClient>(self->m_client.get());
    self->m_sts = std::make_unique<aws::StsClient>(self->m_client.get());
    self->m_settings = std::make_unique<QSettings>();
    self->m_cache = std::make_unique<aws::SettingsIdentityIdCache>(self->m_settings.get());
    self->m_tokens = std::make_unique<SignInTokenSource>(session);

    aws::CognitoCredentialsConfig config;
    config.region = cognito.region;
    config.identityPoolId = cognito.identityPoolId;
    config.providerName = profile.effectiveProviderName();
    config.flow = cognito.flow == CognitoSettings::Flow::Basic
                      ? aws::CognitoCredentialsConfig::Flow::Basic
                      : aws::CognitoCredentialsConfig::Flow::Enhanced;
    config.roleArn = cognito.roleArn;
    config.customRoleArn = cognito.customRoleArn;
    config.accountId = cognito.accountId;
    self->m_provider = std::make_unique<aws::CognitoCredentialsProvider>(
        config, self->m_identity.get(), self->m_sts.get(), self->m_tokens.get(), self->m_cache.get());
    self->m_credentialsCache = std::make_unique<SessionCredentialsCache>(session);
    self->m_provider->setCache(self->m_credentialsCache.get());
    self->m_client->setCredentialsSource(self->m_provider.get());

    if (cognito.store == CognitoSettings::Store::DynamoDb) {
        const EndpointResolver::Endpoint endpoint = endpoints.resolve(AwsService::DynamoDb, cognito);
        if (!endpoint.isValid()) {
            *error = endpoint.error;
            return nullptr;
        }
        self->m_endpoints.insert(AwsService::DynamoDb, endpoint);
        self->m_dynamoDbClient = std::make_unique<aws::AwsClient>(network, cognito.effectiveDynamoDbRegion());
        self->m_dynamoDbClient->setEndpoint(awsServiceName(AwsService::DynamoDb), endpoint.url);
        self->m_dynamoDbClient->setCredentialsSource(self->m_provider.get());
        self->m_dynamoDbClient->setMaxAttempts(self->m_client->maxAttempts());
    }

    // Credentials belong to the user who got them: a sign-out forgets them, a new sign-in starts over.
    aws::CognitoCredentialsProvider *provider = self->m_provider.get();
    connect(session, &SignInState::signedOut, self.get(), [provider] { provider->clear(); });
    connect(session, &SignInState::signedIn, self.get(), [provider] { provider->clear(); });
    *error = {};
    return self;
}

QString AwsAccess::flowDescription() const
{
    return m_flow == CognitoSettings::Flow::Basic
               ? tr("basic (GetId, GetOpenIdToken, STS AssumeRoleWithWebIdentity)")
               : tr("enhanced (GetId, GetCredentialsForIdentity)");
}

const EndpointResolver::Endpoint &AwsAccess::endpoint(AwsService service) const
{
    static const EndpointResolver::Endpoint none;
    const auto it = m_endpoints.constFind(service);
    return it == m_endpoints.cend() ? none : *it;
}

} // namespace fedsync

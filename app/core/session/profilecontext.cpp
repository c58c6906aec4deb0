#include "session/profilecontext.h"

#include "auth/auth0client.h"
#include "auth/httpcachefile.h"
#include "config/profilehosts.h"
#include "config/profilevalidator.h"
#include "net/networkcontext.h"
#include "session/signinstate.h"
#include "session/awsaccess.h"
#include "trace/flowtrace.h"

#include <QNetworkAccessManager>
#include <QStandardPaths>

namespace fedsync {

ProfileContext::ProfileContext(const Profile &profile, SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_profile(profile)
    , m_secrets(secrets)
    , m_nam(new QNetworkAccessManager(this))
    , m_trace(new FlowTrace(this))
    , m_network(std::make_unique<NetworkContext>(m_nam, m_trace))
{}

ProfileContext::~ProfileContext()
{
    // Children that talk to the network go first: they hold references to m_network.
    delete m_cognito;
    delete m_session;
    delete m_auth0;
}

std::unique_ptr<ProfileContext> ProfileContext::create(const Profile &profile, SecretStore *secrets,
                                                       UserError *error, QObject *parent)
{
    for (const ProfileIssue &issue : ProfileValidator::validate(profile)) {
        if (issue.severity == ProfileIssue::Severity::Error) {
            *error = issue.error;
            return nullptr;
        }
    }
    std::unique_ptr<ProfileContext> context(new ProfileContext(profile, secrets, parent));
    if (!profile.caFile.isEmpty()) {
        *error = context->m_network->addCaCertificates(profile.caFile, hostsNamedBy(profile));
        if (error->isError())
            return nullptr;
    }
    context->m_auth0 = new Auth0Client(*context->m_network, profile.auth0.issuer().toString(),
                                       profile.auth0.clientId, context.get());
    context->m_auth0->setCacheDirectory(HttpCacheFile::providerDocumentsDirectory());
    context->m_session = new SignInState(profile, context->m_auth0, secrets, context.get());
    // Signing in works without the AWS side; what is wrong with it is told where credentials are needed.
    std::unique_ptr<AwsAccess> cognito = AwsAccess::create(
        profile, *context->m_network, context->m_session, EndpointResolver(), &context->m_cognitoProblem);
    if (cognito) {
        context->m_cognito = cognito.release();
        context->m_cognito->setParent(context.get());
    }
    *error = {};
    return context;
}

} // namespace fedsync

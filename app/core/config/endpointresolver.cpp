#include "config/endpointresolver.h"

#include "log/logcategories.h"
#include "net/networkcontext.h"

namespace fedsync {

namespace {

const QString globalVariable = QStringLiteral("AWS_ENDPOINT_URL");
// The SDKs' switch to ignore endpoints configured outside the code. Here it covers the environment
// variables only: the profile's overrides are Fedsync's own configuration.
const QString ignoreVariable = QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");

QUrl withRootPath(QUrl url)
{
    if (url.path().isEmpty())
        url.setPath(QStringLiteral("/"));
    return url;
}

} // namespace

QString EndpointResolver::Endpoint::describe() const
{
    switch (source) {
    case Source::ServiceEnvironment:
    case Source::GlobalEnvironment:
        return tr("%1 (environment)").arg(origin);
    case Source::Profile:
        return tr("profile override");
    case Source::RegionalDefault:
        return tr("regional default for %1").arg(origin);
    case Source::None:
        break;
    }
    return tr("none");
}

EndpointResolver::EndpointResolver(QProcessEnvironment environment)
    : m_environment(std::move(environment))
{}

QString EndpointResolver::environmentVariable(AwsService service)
{
    switch (service) {
    case AwsService::CognitoIdentity:
        return QStringLiteral("AWS_ENDPOINT_URL_COGNITO_IDENTITY");
    case AwsService::Sts:
        return QStringLiteral("AWS_ENDPOINT_URL_STS");
    case AwsService::CognitoSync:
        return QStringLiteral("AWS_ENDPOINT_URL_COGNITO_SYNC");
    case AwsService::DynamoDb:
        return QStringLiteral("AWS_ENDPOINT_URL_DYNAMODB");
    }
    return {};
}

QUrl EndpointResolver::regionalEndpoint(AwsService service, const QString &region)
{
    if (region.isEmpty())
        return {};
    const QString suffix = region.startsWith(QStringLiteral("cn-")) ? QStringLiteral("amazonaws.com.cn")
                                                                    : QStringLiteral("amazonaws.com");
    return QUrl(QStringLiteral("https://%1.%2.%3/").arg(awsServiceName(service), region, suffix),
                QUrl::StrictMode);
}

EndpointResolver::Endpoint EndpointResolver::fromEnvironment(const QString &variable, Source source) const
{
    Endpoint endpoint;
    endpoint.source = source;
    endpoint.origin = variable;
    const QString value = m_environment.value(variable).trimmed();
    endpoint.url = withRootPath(QUrl(value, QUrl::StrictMode));
    UserError refusal = NetworkContext::checkUrlAllowed(endpoint.url);
    if (refusal.isError()) {
        endpoint.error =
            UserError::make(QStringLiteral("config.endpoint.environment"),
                            tr("The environment variable %1 holds an unusable endpoint").arg(variable),
                            refusal.what + QStringLiteral(". ") + refusal.why,
                            tr("Fix or unset %1 (it takes precedence over the profile)").arg(variable));
    }
    return endpoint;
}

EndpointResolver::Endpoint EndpointResolver::resolve(AwsService service, const CognitoSettings &cognito) const
{
    const bool ignoreEnvironment =
        m_environment.value(ignoreVariable).trimmed().compare(QStringLiteral("true"), Qt::CaseInsensitive) ==
        0;
    if (!ignoreEnvironment) {
        const QString serviceVariable = environmentVariable(service);
        if (!m_environment.value(serviceVariable).trimmed().isEmpty())
            return fromEnvironment(serviceVariable, Source::ServiceEnvironment);
        if (!m_environment.value(globalVariable).trimmed().isEmpty())
            return fromEnvironment(globalVariable, Source::GlobalEnvironment);
    }

    Endpoint endpoint;
    const QString override = cognito.endpointOverride(service).trimmed();
    if (!override.isEmpty()) {
        endpoint.source = Source::Profile;
        endpoint.url = withRootPath(QUrl(override, QUrl::StrictMode));
        endpoint.error = NetworkContext::checkUrlAllowed(endpoint.url);
        return endpoint;
    }

    const QString region =
        service == AwsService::DynamoDb ? cognito.effectiveDynamoDbRegion() : cognito.region;
    endpoint.url = regionalEndpoint(service, region);
    if (endpoint.url.isValid()) {
        endpoint.source = Source::RegionalDefault;
        endpoint.origin = region;
        return endpoint;
    }
    endpoint.url = QUrl();
    endpoint.error =
        UserError::make(QStringLiteral("config.endpoint.noregion"),
                        tr("Fedsync does not know where to send %1 requests").arg(awsServiceName(service)),
                        tr("The profile has no valid AWS region and no endpoint for this service"),
                        tr("Enter the identity pool's region in the profile, e.g. eu-west-1"));
    qCDebug(lcConfig) << "no endpoint for" << awsServiceName(service);
    return endpoint;
}

} // namespace fedsync

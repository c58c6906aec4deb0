#include "config/profilehosts.h"

namespace fedsync {

QStringList hostsNamedBy(const Profile &profile, const EndpointResolver &endpoints)
{
    QStringList hosts;
    const auto add = [&hosts](const QUrl &url) {
        const QString host = url.host().toLower();
        if (!host.isEmpty() && !hosts.contains(host))
            hosts.append(host);
    };
    add(profile.auth0.issuer());
    if (!profile.cognito.isEmpty()) {
        for (const AwsService service :
             {AwsService::CognitoIdentity, AwsService::Sts, AwsService::CognitoSync}) {
            const EndpointResolver::Endpoint endpoint = endpoints.resolve(service, profile.cognito);
            if (endpoint.isValid())
                add(endpoint.url);
        }
    }
    return hosts;
}

} // namespace fedsync

// Where each AWS request goes. The same precedence as the AWS SDKs: the service's environment variable
// (AWS_ENDPOINT_URL_STS...), then AWS_ENDPOINT_URL, then the profile's override, then the regional
// endpoint. Each answer says where it came from, so the flow inspector can show why a request went
// to a LocalStack or sandbox address instead of AWS.
#pragma once

#include "common/usererror.h"
#include "config/profile.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QUrl>

namespace fedsync {

class EndpointResolver final
{
    Q_DECLARE_TR_FUNCTIONS(EndpointResolver)

public:
    enum class Source {
        ServiceEnvironment, // AWS_ENDPOINT_URL_<SERVICE>
        GlobalEnvironment,  // AWS_ENDPOINT_URL
        Profile,            // the profile's endpoint override
        RegionalDefault,    // https://<service>.<region>.amazonaws.com/
        None,               // nothing to go on (no region): see `error`
    };

    struct Endpoint
    {
        QUrl url; // with a path of at least "/"
        Source source = Source::None;
        QString origin;  // the variable's name, or the region, for the inspector
        UserError error; // set when the chosen value is unusable (and `url` may be empty)

        bool isValid() const { return !error.isError(); }
        // "AWS_ENDPOINT_URL_STS (environment)", "profile override", "regional default for eu-west-1"
        QString describe() const;
    };

    // The environment is passed in so tests (and the CLI's --env handling) need not touch the process's.
    explicit EndpointResolver(QProcessEnvironment environment = QProcessEnvironment::systemEnvironment());

    Endpoint resolve(AwsService service, const CognitoSettings &cognito) const;

    // "AWS_ENDPOINT_URL_COGNITO_IDENTITY", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_COGNITO_SYNC".
    static QString environmentVariable(AwsService service);
    // The service's regional endpoint (".amazonaws.com.cn" in the China regions); invalid for an
    // empty region.
    static QUrl regionalEndpoint(AwsService service, const QString &region);

private:
    Endpoint fromEnvironment(const QString &variable, Source source) const;

    QProcessEnvironment m_environment;
};

} // namespace fedsync

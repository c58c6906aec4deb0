// Unit-test stand-ins for the AWS side: credentials that are always there, and one Cognito Sync identity
// with the records the service sends.
#pragma once

#include "aws/awscredentialssource.h"
#include "common/usererror.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace fedsync::test {

// Temporary credentials (ASIAEXAMPLE / secret / session-token) for `identityId`, handed out at once; or
// `error` when it is set. Counts the requests.
class FixedAwsCredentials final : public aws::AwsCredentialsSource
{
public:
    explicit FixedAwsCredentials(const QString &identity = {})
        : identityId(identity)
    {}
    void requestCredentials(Callback callback) override;

    QString identityId;
    int requests = 0;
    UserError error;
};

namespace cognitosync {

// A pool and one identity of it; the identity's datasets path as it is sent (every segment
// percent-encoded).
extern const QString pool;
extern const QString identity;
extern const QByteArray encodedDatasetsPath;

// A record as Cognito Sync sends it, last modified by `identity`; without "Value" when `value` is
// undefined (a removal).
QJsonObject record(const QString &key, const QJsonValue &value, qint64 syncCount);

} // namespace cognitosync

} // namespace fedsync::test

#include "fakeaws.h"

#include "aws/awscredentials.h"

namespace fedsync::test {

void FixedAwsCredentials::requestCredentials(Callback callback)
{
    ++requests;
    if (error.isError()) {
        callback({}, error);
        return;
    }
    aws::AwsCredentials credentials;
    credentials.accessKeyId = QStringLiteral("ASIAEXAMPLE");
    credentials.secretAccessKey = "secret";
    credentials.sessionToken = "session-token";
    credentials.identityId = identityId;
    callback(credentials, {});
}

namespace cognitosync {

const QString pool = QStringLiteral("us-east-1:0f0e0d0c-1111-2222-3333-444455556666");
const QString identity = QStringLiteral("us-east-1:aaaabbbb-cccc-dddd-eeee-ffff00001111");
const QByteArray encodedDatasetsPath =
    "/identitypools/us-east-1%3A0f0e0d0c-1111-2222-3333-444455556666/identities/"
    "us-east-1%3Aaaaabbbb-cccc-dddd-eeee-ffff00001111/datasets";

QJsonObject record(const QString &key, const QJsonValue &value, qint64 syncCount)
{
    QJsonObject out{{QStringLiteral("Key"), key},
                    {QStringLiteral("SyncCount"), double(syncCount)},
                    {QStringLiteral("LastModifiedDate"), 1700000000.5},
                    {QStringLiteral("LastModifiedBy"), identity},
                    {QStringLiteral("DeviceLastModifiedDate"), 1700000000}};
    if (!value.isUndefined())
        out.insert(QStringLiteral("Value"), value);
    return out;
}

} // namespace cognitosync

} // namespace fedsync::test

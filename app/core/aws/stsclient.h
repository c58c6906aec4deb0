// AWS STS (Query protocol, form POST, XML reply): AssumeRoleWithWebIdentity, the last step of Cognito's
// basic flow (GetOpenIdToken's token for a role's credentials). Unsigned.
#pragma once

#include "aws/awscall.h"
#include "aws/awscredentials.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace fedsync::aws {

class AwsClient;

struct AssumeRoleWithWebIdentityRequest
{
    QString roleArn;
    QString roleSessionName;
    QByteArray webIdentityToken;
    int durationSeconds = 0; // 0: the role's default
};

class StsClient final : public QObject
{
    Q_OBJECT
public:
    using CredentialsCallback =
        std::function<void(const AwsCredentials &credentials, const AwsFailure &failure)>;

    explicit StsClient(AwsClient *client, QObject *parent = nullptr);

    QPointer<AwsCall> assumeRoleWithWebIdentity(const AssumeRoleWithWebIdentityRequest &request,
                                                CredentialsCallback done);

    // The XML reply to credentials (public for tests); an invalid reply gives a failure.
    static AwsCredentials parseAssumeRoleWithWebIdentity(const QByteArray &xml, AwsFailure &failure);

private:
    AwsClient *m_client;
};

} // namespace fedsync::aws

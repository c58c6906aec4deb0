// Amazon Cognito Identity (JSON 1.1, AWSCognitoIdentityService): GetId, GetCredentialsForIdentity and
// GetOpenIdToken, the three unsigned calls of the enhanced and basic flows. Typed results, callbacks run
// once; the returned call can be aborted until then.
#pragma once

#include "aws/awscall.h"
#include "aws/awscredentials.h"

#include <QMap>
#include <QObject>
#include <QPointer>

#include <functional>

namespace fedsync::aws {

class AwsClient;

// Provider name (issuer without "https://", e.g. "tenant.auth0.com/") -> ID token.
using CognitoLogins = QMap<QString, QByteArray>;

class CognitoIdentityClient final : public QObject
{
    Q_OBJECT
public:
    using IdCallback = std::function<void(const QString &identityId, const AwsFailure &failure)>;
    using CredentialsCallback =
        std::function<void(const AwsCredentials &credentials, const AwsFailure &failure)>;
    using OpenIdTokenCallback = std::function<void(const QString &identityId, const QByteArray &openIdToken,
                                                   const AwsFailure &failure)>;

    explicit CognitoIdentityClient(AwsClient *client, QObject *parent = nullptr);

    AwsClient *awsClient() const { return m_client; }

    QPointer<AwsCall> getId(const QString &identityPoolId, const CognitoLogins &logins, IdCallback done,
                            const QString &accountId = {});
    // Credentials' identityId is set; customRoleArn may be empty (the pool's authenticated role).
    QPointer<AwsCall> getCredentialsForIdentity(const QString &identityId, const CognitoLogins &logins,
                                                const QString &customRoleArn, CredentialsCallback done);
    QPointer<AwsCall> getOpenIdToken(const QString &identityId, const CognitoLogins &logins,
                                     OpenIdTokenCallback done);

    // The Logins key for an OIDC issuer: "https://tenant.auth0.com/" -> "tenant.auth0.com/" (slash kept).
    static QString providerNameFromIssuer(const QString &issuer);
    // Reply parsing, public for tests. An invalid reply gives a failure.
    static AwsCredentials parseCredentials(const QJsonObject &reply, AwsFailure &failure);

private:
    AwsCall *call(const QString &operation, const QJsonObject &input, const QString &summary);
    static QString loginsSummary(const CognitoLogins &logins);

    AwsClient *m_client;
};

} // namespace fedsync::aws

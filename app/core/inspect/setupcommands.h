// The exact AWS CLI commands that set up the AWS side for a profile: the IAM OIDC provider (with the
// thumbprint the doctor computed), the identity pool, and the authenticated role with its trust policy.
#pragma once

#include "config/profile.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace fedsync {

struct SetupCommand
{
    QString id;      // "create-open-id-connect-provider", "create-identity-pool", "create-role", ...
    QString purpose; // one line for people
    QString command; // ready to paste into a shell

    QJsonObject toJson() const;
};

class SetupCommands final
{
    Q_DECLARE_TR_FUNCTIONS(SetupCommands)

public:
    // `thumbprint` may be empty (the provider could not be reached): a placeholder is written instead.
    static QList<SetupCommand> forProfile(const Profile &profile, const QString &thumbprint);
    // The role's trust policy: Cognito Identity may assume it for this pool's authenticated identities.
    static QByteArray trustPolicy(const QString &identityPoolId);
    // IAM's OIDC provider ARN for a provider name ("tenant.auth0.com/").
    static QString providerArn(const QString &accountId, const QString &providerName);
};

} // namespace fedsync

// Where the Cognito identity id of a user is remembered between runs, so GetId is skipped: keyed by the
// identity pool and the user's `sub`. The identity id is not a secret (it grants nothing without a token).
#pragma once

#include <QString>

namespace fedsync::aws {

class IdentityIdCache
{
public:
    virtual ~IdentityIdCache() = default;
    // Empty when nothing is cached.
    virtual QString load(const QString &identityPoolId, const QString &userSub) const = 0;
    virtual void store(const QString &identityPoolId, const QString &userSub, const QString &identityId) = 0;
    virtual void forget(const QString &identityPoolId, const QString &userSub) = 0;
};

} // namespace fedsync::aws

// Where the credentials provider keeps AWS credentials between processes: the session's keychain entry
// (bound to its provider and user as the refresh token is), so a command run while they are valid asks
// Cognito for nothing. Implemented by the session; the provider works without one.
#pragma once

#include "aws/awscredentials.h"

#include <QString>

namespace fedsync::aws {

class AwsCredentialsCache
{
public:
    virtual ~AwsCredentialsCache() = default;
    // Credentials cached for the signed-in user, `pool` and `scope` (what else decides which role they
    // are for: flow, role ARNs, provider name); invalid when none.
    virtual AwsCredentials loadCredentials(const QString &pool, const QString &scope) = 0;
    virtual void storeCredentials(const QString &pool, const QString &scope,
                                  const AwsCredentials &credentials) = 0;
    // Credentials the cache keeps at hand without restoring the session (an OS tier read without the
    // keychain), for the user last signed in; invalid when none.
    virtual AwsCredentials loadAtHand(const QString &pool, const QString &scope)
    {
        Q_UNUSED(pool)
        Q_UNUSED(scope)
        return {};
    }
};

} // namespace fedsync::aws

// Where signed AWS calls get their credentials: an interface, so the AWS client does not depend on how
// credentials are obtained (the Cognito credentials provider in the app, fixed keys in tests).
#pragma once

#include "aws/awscredentials.h"
#include "common/usererror.h"

#include <functional>

namespace fedsync::aws {

class AwsCredentialsSource
{
public:
    using Callback = std::function<void(const AwsCredentials &credentials, const UserError &error)>;

    virtual ~AwsCredentialsSource() = default;
    // Calls back exactly once with valid credentials or an error; may call back before returning.
    virtual void requestCredentials(Callback callback) = 0;
};

} // namespace fedsync::aws

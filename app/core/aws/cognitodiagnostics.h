// Turns what Cognito Identity and STS answer when the federation is misconfigured into an error that names
// the setting to fix (Auth0's signing algorithm, the IAM OIDC provider's URL or audience, the pool's region,
// the role's trust policy...). Works from the AwsFailure plus what the profile and the token say.
#pragma once

#include "aws/awserror.h"
#include "common/usererror.h"

namespace fedsync::aws {

struct CognitoDiagnosticContext
{
    QString operation; // "GetId", "GetCredentialsForIdentity", "GetOpenIdToken", "AssumeRoleWithWebIdentity"
    QString region;    // the profile's region
    QString identityPoolId; // "us-east-1:…"
    QString providerName;   // the Logins key, e.g. "tenant.auth0.com/"
    QString tokenIssuer;    // the ID token's iss, e.g. "https://tenant.auth0.com/"
    QString clientId;       // the Auth0 client id (the token's aud)
    QString tokenAlgorithm; // the ID token header's alg, e.g. "RS256"
    QString roleArn;        // basic flow: the role to assume
    QString customRoleArn;  // enhanced flow: the optional CustomRoleArn
};

class CognitoDiagnostics
{
public:
    static UserError diagnose(const AwsFailure &failure, const CognitoDiagnosticContext &context);
};

} // namespace fedsync::aws

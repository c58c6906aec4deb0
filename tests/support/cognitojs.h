// Runs AWS's official Cognito Sync Manager (amazon-cognito-js, tests/interop/cognitojs.mjs under node)
// against the sandbox's Cognito Sync with one identity's credentials, for the interop test and the
// benchmark. Also: restoring a stored sign-in in-process, for tests that drive the core directly.
#pragma once

#include "common/usererror.h"

#include <QJsonObject>
#include <QString>

namespace fedsync {
class SignInState;
}

namespace fedsync::test {

class Sandbox;

struct CognitoJsIdentity
{
    QString identityId;
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken;
};

// `request` holds the script's mode-specific fields ("mode", "dataset", "writes"...); the sandbox's
// endpoint, CA, pool and the identity are added. The script's JSON answer; empty on failure (warned).
QJsonObject runCognitoJs(const Sandbox &sandbox, const CognitoJsIdentity &identity, QJsonObject request,
                         int timeoutMs);

// session.restore(useCachedIdToken) and waits; the reason when it did not sign in.
UserError restoreSignIn(SignInState &session, int timeoutMs = 30000, bool useCachedIdToken = false);

} // namespace fedsync::test

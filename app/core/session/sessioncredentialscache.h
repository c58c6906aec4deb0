// The credentials provider's cache in the session's keychain entry: AWS credentials are kept with the
// refresh token (same binding, same lock), so processes that share a session share them, and a command
// run while they are valid asks Cognito for nothing. Without restoring the session, loadAtHand() reads the
// copy the OS keeps at hand (SessionCredentialsTier): what credential_process answers from.
#pragma once

#include "aws/awscredentialscache.h"

#include <QPointer>

namespace fedsync {

class SignInState;

class SessionCredentialsCache final : public aws::AwsCredentialsCache
{
public:
    explicit SessionCredentialsCache(SignInState *session);

    aws::AwsCredentials loadCredentials(const QString &pool, const QString &scope) override;
    void storeCredentials(const QString &pool, const QString &scope,
                          const aws::AwsCredentials &credentials) override;
    aws::AwsCredentials loadAtHand(const QString &pool, const QString &scope) override;

private:
    QPointer<SignInState> m_session;
};

} // namespace fedsync

// The credentials provider's IdTokenSource backed by the signed-in SignInState: the current verified ID
// token, refreshed with the refresh token first when it is about to expire, with the claims Cognito
// needs (sub for the identity-id cache, iss, aud, and the header's alg for diagnostics).
#pragma once

#include "aws/idtokensource.h"

#include <QPointer>

namespace fedsync {

class SignInState;

class SignInTokenSource final : public aws::IdTokenSource
{
public:
    // `session`: the profile's SignInState, not owned; once it is destroyed, requests answer "signed out".
    explicit SignInTokenSource(SignInState *session);

    void requestIdToken(Callback callback) override;
    void requestNewIdToken(Callback callback) override;

    // The minimum validity left on a token handed out (Cognito refuses expired tokens; a refresh
    // takes a round trip): SignInState refreshes when less is left.
    static constexpr int MinimumValiditySeconds = 300;

private:
    void request(Callback callback, bool force);

    QPointer<SignInState> m_session;
};

} // namespace fedsync

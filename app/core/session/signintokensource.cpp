#include "session/signintokensource.h"

#include "oidc/jwt.h"
#include "session/signinstate.h"

#include <QCoreApplication>

namespace fedsync {

SignInTokenSource::SignInTokenSource(SignInState *session)
    : m_session(session)
{}

void SignInTokenSource::requestIdToken(Callback callback)
{
    request(std::move(callback), false);
}

void SignInTokenSource::requestNewIdToken(Callback callback)
{
    request(std::move(callback), true);
}

void SignInTokenSource::request(Callback callback, bool force)
{
    if (!m_session) {
        callback({}, UserError::make(
                         QStringLiteral("session.signed_out"),
                         QCoreApplication::translate("SignInTokenSource", "You are not signed in"), {},
                         QCoreApplication::translate("SignInTokenSource", "Sign in first")));
        return;
    }
    QPointer<SignInState> session = m_session;
    m_session->freshIdToken(
        [session, callback = std::move(callback)](const QString &idToken, const UserError &error) {
            if (error.isError() || !session) {
                callback({}, error);
                return;
            }
            // The session only holds tokens that passed IdTokenValidator; the claims come from there.
            const IdTokenClaims &claims = session->claims();
            aws::FederatedIdToken token;
            token.token = idToken.toUtf8();
            token.subject = claims.sub;
            token.issuer = claims.iss;
            token.clientId = session->profile().auth0.clientId;
            UserError parseError;
            if (const auto jwt = Jwt::parse(idToken, &parseError))
                token.algorithm = jwt->algorithm();
            callback(token, {});
        },
        MinimumValiditySeconds, force);
}

} // namespace fedsync

// Where the credentials provider gets the Auth0 ID token to present to Cognito: an interface the session
// implements (refreshing the token first when it has expired, and validating it). Asynchronous.
#pragma once

#include "common/usererror.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace fedsync::aws {

// A validated ID token and the claims the credentials provider needs.
struct FederatedIdToken
{
    QByteArray token;  // the compact JWT
    QString subject;   // sub: keys the identity-id cache
    QString issuer;    // iss, e.g. "https://tenant.auth0.com/"
    QString clientId;  // aud (the Auth0 client id)
    QString algorithm; // the header's alg, for diagnostics
};

class IdTokenSource
{
public:
    using Callback = std::function<void(const FederatedIdToken &token, const UserError &error)>;

    virtual ~IdTokenSource() = default;
    // Calls back exactly once, with a fresh token or an error; may call back before returning.
    virtual void requestIdToken(Callback callback) = 0;
    // A newly issued token, not the one handed out last (Cognito refused that one although it was
    // valid when checked: the provider may have rotated its signing key). Default: requestIdToken().
    virtual void requestNewIdToken(Callback callback) { requestIdToken(std::move(callback)); }
};

} // namespace fedsync::aws

// Verifies an ID token against the provider's current key set: the cached JWKS first, and on an
// unknown kid (the tenant rotated its signing key) one refetch before giving up, as Auth0 advises.
#pragma once

#include "oidc/idtokenvalidator.h"

#include <QObject>

#include <functional>

namespace fedsync {

class Auth0Client;

class IdTokenVerifier final : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const IdTokenValidator::Result &)>;

    IdTokenVerifier(Auth0Client *client, QObject *parent = nullptr);

    // `context.issuer`, `clientId`, `nonce`, `maxAge`, `organization` are the caller's; the key set is
    // filled in here.
    void verify(const QString &idToken, IdTokenValidator::ValidationContext context, Callback done);

private:
    void verifyWith(const QByteArray &jwksJson, const QString &idToken, IdTokenValidator::ValidationContext context,
                    bool mayRefetch, Callback done);

    Auth0Client *m_client;
};

} // namespace fedsync

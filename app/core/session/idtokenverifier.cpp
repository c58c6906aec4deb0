#include "session/idtokenverifier.h"

#include "auth/auth0client.h"
#include "log/logcategories.h"
#include "oidc/jwks.h"

namespace fedsync {

IdTokenVerifier::IdTokenVerifier(Auth0Client *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

void IdTokenVerifier::verify(const QString &idToken, IdTokenValidator::ValidationContext context, Callback done)
{
    m_client->jwks(false, this, [this, idToken, context, done](const QByteArray &json, const UserError &error) {
        if (error.isError()) {
            IdTokenValidator::Result failed;
            failed.reason = IdTokenValidator::Reason::InvalidContext;
            failed.error = error;
            done(failed);
            return;
        }
        verifyWith(json, idToken, context, true, done);
    });
}

void IdTokenVerifier::verifyWith(const QByteArray &jwksJson, const QString &idToken,
                                 IdTokenValidator::ValidationContext context, bool mayRefetch, Callback done)
{
    UserError parseError;
    std::optional<Jwks> jwks = Jwks::parse(jwksJson, &parseError);
    if (!jwks) {
        IdTokenValidator::Result failed;
        failed.reason = IdTokenValidator::Reason::InvalidContext;
        failed.error = parseError;
        done(failed);
        return;
    }
    context.jwks = &*jwks;
    IdTokenValidator::Result result = IdTokenValidator::validate(idToken, context);
    if (result.reason == IdTokenValidator::Reason::UnknownKid && mayRefetch) {
        qCInfo(lcSession) << "ID token signed with an unknown key; refetching the key set once";
        m_client->jwks(true, this, [this, idToken, context, done](const QByteArray &json, const UserError &error) {
            if (error.isError()) {
                IdTokenValidator::Result failed;
                failed.reason = IdTokenValidator::Reason::UnknownKid;
                failed.error = error;
                done(failed);
                return;
            }
            verifyWith(json, idToken, context, false, done);
        });
        return;
    }
    done(result);
}

} // namespace fedsync

#include "session/signinflow.h"

#include "auth/auth0client.h"
#include "common/errorcodes.h"
#include "log/logcategories.h"
#include "log/redact.h"
#include "oidc/authorizationrequest.h"
#include "oidc/pkce.h"
#include "session/signinstate.h"
#include "session/idtokenverifier.h"

#include <QCoreApplication>

namespace fedsync {
SignInFlow::SignInFlow(SignInState *session, QObject *parent)
    : SignInPageFlow(parent)
    , m_session(session)
{
}

SignInFlow::~SignInFlow()
{
    m_verifier.fill(QLatin1Char('\0'));
}

void SignInFlow::start(const QUrl &redirectUri, const Options &options)
{
    setRedirectUri(redirectUri);
    m_redirectHandled = false;
    m_cancelled = false;
    m_busy = true;
    const std::optional<Pkce> pkce = Pkce::generate();
    const std::optional<QString> state = Pkce::randomUrlSafe(24);
    const std::optional<QString> nonce = Pkce::randomUrlSafe(24);
    if (!pkce || !state || !nonce) {
        fail(UserError::make(QStringLiteral("oidc.random"), tr("The sign-in could not be prepared"),
                             tr("The system's random number generator failed")));
        return;
    }
    m_verifier = pkce->verifier();
    m_state = *state;
    m_nonce = *nonce;
    const Auth0Settings &auth0 = m_session->profile().auth0;
    m_session->client()->discovery(this, [this, pkce = *pkce, options, auth0](const OidcDiscovery &discovery,
                                                                         const UserError &error) {
        if (error.isError()) {
            fail(error);
            return;
        }
        AuthorizationRequest request;
        request.authorizationEndpoint = discovery.authorizationEndpoint;
        request.clientId = auth0.clientId;
        request.redirectUri = this->redirectUri();
        request.scope = auth0.scope;
        request.audience = auth0.audience;
        request.connection = auth0.connection;
        request.organization = auth0.organization;
        request.uiLocales = auth0.uiLocales;
        if (auth0.maxAgeSeconds)
            request.maxAge = std::chrono::seconds(*auth0.maxAgeSeconds);
        request.prompt = options.prompt;
        request.screenHint = options.screenHint;
        request.state = m_state;
        request.nonce = m_nonce;
        request.codeChallenge = pkce.challenge();
        Q_EMIT authorizationUrlReady(request.url());
    });
}

void SignInFlow::handleRedirect(const QUrl &url)
{
    // The custom-scheme handler passes every org.fedsync.app URL (a logout return, say): only this
    // flow's redirect counts.
    if (!m_busy || m_redirectHandled || !isRedirect(url))
        return;
    m_redirectHandled = true;
    const AuthorizationRequest::Callback response = AuthorizationRequest::parseCallback(url, m_state);
    if (response.error.isError()) {
        fail(response.error);
        return;
    }
    Q_EMIT exchanging();
    qCInfo(lcSession) << "Exchanging authorization code" << redactLength(response.code);
    m_session->client()->exchangeCode(
        response.code, m_verifier, redirectUri().toString(QUrl::FullyEncoded), this,
        [this](TokenResponse tokens, UserError error) {
            if (error.isError()) {
                // The token endpoint's texts for a provider that is down or answers nonsense speak of a
                // saved sign-in (the refresh's case); a first sign-in has none: say what happened to it.
                if (error.code == errorcode::OidcTokenUnavailable)
                    error.why = tr("You signed in on the page, but the provider could not complete the sign-in "
                                   "(a temporary problem on its side). Nothing was stored");
                else if (error.code == errorcode::OidcTokenMalformed)
                    error.why = tr("You signed in on the page, but the provider's answer that completes the "
                                   "sign-in was not a complete JSON object. Nothing was stored");
                fail(error);
                return;
            }
            IdTokenValidator::ValidationContext context = m_session->validationContext();
            context.nonce = m_nonce;
            if (m_session->profile().auth0.maxAgeSeconds)
                context.maxAge = std::chrono::seconds(*m_session->profile().auth0.maxAgeSeconds);
            auto *verifier = new IdTokenVerifier(m_session->client(), this);
            verifier->verify(tokens.idToken, context,
                             [this, verifier, tokens](const IdTokenValidator::Result &result) mutable {
                                 verifier->deleteLater();
                                 if (!result.isValid()) {
                                     tokens.wipe(); // a rejected token is never stored
                                     fail(result.error);
                                     return;
                                 }
                                 m_busy = false;
                                 m_verifier.fill(QLatin1Char('\0'));
                                 connect(m_session, &SignInState::signedIn, this, &SignInFlow::succeeded,
                                         Qt::SingleShotConnection);
                                 m_session->adopt(std::move(tokens), *result.claims);
                             });
        });
}

void SignInFlow::cancel()
{
    if (!m_busy)
        return;
    m_busy = false;
    m_cancelled = true;
    m_session->client()->cancelAll(); // their callbacks end in fail(), which stays quiet now
}

void SignInFlow::fail(const UserError &error)
{
    if (m_cancelled)
        return;
    m_busy = false;
    qCWarning(lcSession) << "Sign-in failed:" << error.code;
    Q_EMIT failed(error);
}

} // namespace fedsync

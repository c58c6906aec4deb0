// The Auth0 /authorize request of an interactive sign-in (authorization code with PKCE S256), and the
// reading of the redirect that ends it: the code and state, or Auth0's error as a UserError. Fill the
// fields, then call url(); the same object checks the redirect against the state it sent.
#pragma once

#include "common/usererror.h"

#include <QCoreApplication>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

namespace fedsync {

class AuthorizationRequest final
{
    Q_DECLARE_TR_FUNCTIONS(AuthorizationRequest)

public:
    // What the redirect carried: code and state, or an error (then code is empty).
    struct Callback
    {
        QString code;
        QString state;
        UserError error;

        bool isError() const { return error.isError(); }
    };

    QUrl authorizationEndpoint; // from discovery: https://{domain}/authorize
    QString clientId;
    QUrl redirectUri;
    QString scope = QStringLiteral("openid profile email"); // "openid" is added when missing
    QString audience;
    QString connection;
    QString organization;
    QString prompt;     // e.g. "login", "none"
    QString screenHint; // e.g. "signup"
    QString uiLocales;
    std::optional<std::chrono::seconds> maxAge;
    QString state;         // Pkce::randomUrlSafe(32)
    QString nonce;         // Pkce::randomUrlSafe(32)
    QString codeChallenge; // Pkce::challenge(), method S256

    // The /authorize URL, or an empty QUrl when the endpoint, client ID, redirect URI, state, nonce or
    // code challenge is missing. Empty optional parameters are left out.
    QUrl url() const;
    // Whether url is the redirect URI (scheme, host, port and path), whatever its query.
    bool isRedirect(const QUrl &url) const;
    // Reads the redirect against this request's state.
    Callback parseCallback(const QUrl &callback) const { return parseCallback(callback, state); }
    // Errors: "oidc.authorize.state_mismatch" (checked first: a response to another sign-in is not
    // believed, whatever it says), "oidc.authorize.<Auth0 error>", "oidc.authorize.error" for errors
    // without a specific text, "oidc.authorize.no_code".
    static Callback parseCallback(const QUrl &callback, const QString &expectedState);
};

} // namespace fedsync

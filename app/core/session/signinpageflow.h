// What a sign-in page (the embedded login window) needs from a sign-in: start it for a redirect URI and
// get the authorization URL to load, tell whether a URL is the redirect, hand the redirect over, cancel,
// and hear how it ended. Two implementations: SignInFlow (the sign-in itself, in the process that keeps
// the session) and RelayedSignInFlow (in the `fedsync --sign-in-page` helper process: the same steps
// relayed to the app's SignInFlow over a pipe, see signinpagerelay.h). The window does not know which.
#pragma once

#include "common/usererror.h"

#include <QObject>
#include <QUrl>

namespace fedsync {

class SignInPageFlow : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Builds the authorization URL for `redirectUri`: authorizationUrlReady(), or failed().
    virtual void start(const QUrl &redirectUri) = 0;
    // The provider redirected back: ends in succeeded() or failed().
    virtual void handleRedirect(const QUrl &url) = 0;
    virtual void cancel() = 0;
    virtual bool isBusy() const = 0;

    // True for a URL that is the redirect of the last start() (scheme, host and path; any port on
    // loopback, RFC 8252 7.3).
    bool isRedirect(const QUrl &url) const;
    const QUrl &redirectUri() const { return m_redirectUri; }

Q_SIGNALS:
    void authorizationUrlReady(const QUrl &url);
    void exchanging();
    void succeeded();
    void failed(const fedsync::UserError &error);

protected:
    void setRedirectUri(const QUrl &uri) { m_redirectUri = uri; }

private:
    QUrl m_redirectUri;
};

} // namespace fedsync

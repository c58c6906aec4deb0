// One interactive sign-in: PKCE + state + nonce, the /authorize URL (shown by an embedded window, the
// system browser, or printed for a headless user), then the redirect: code exchange, ID-token
// verification, and hand-over to the SignInState. A rejected token is never stored.
#pragma once

#include "common/usererror.h"

#include <QObject>
#include <QUrl>

#include <optional>

namespace fedsync {

class SignInState;

class SignInFlow final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString prompt;     // "login" to force the login page, "none" to never show one
        QString screenHint; // "signup" / "login"
    };

    explicit SignInFlow(SignInState *session, QObject *parent = nullptr);
    ~SignInFlow() override;

    // Builds the authorization URL for `redirectUri` (after discovery): authorizationUrlReady().
    void start(const QUrl &redirectUri, const Options &options = {});
    // True for a URL that is this flow's redirect (scheme, host and path; any port on loopback).
    bool isRedirect(const QUrl &url) const;
    // The provider redirected back: exchange the code, verify, adopt. Ends in succeeded() or failed().
    void handleRedirect(const QUrl &url);
    void cancel();
    bool isBusy() const { return m_busy; }
    const QUrl &redirectUri() const { return m_redirectUri; }

Q_SIGNALS:
    void authorizationUrlReady(const QUrl &url);
    void exchanging();
    void succeeded();
    void failed(const fedsync::UserError &error);

private:
    void fail(const UserError &error);

    SignInState *m_session;
    QUrl m_redirectUri;
    QString m_verifier;
    QString m_state;
    QString m_nonce;
    bool m_busy = false;
    bool m_redirectHandled = false;
    bool m_cancelled = false;
};

} // namespace fedsync

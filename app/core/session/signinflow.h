// One interactive sign-in: PKCE + state + nonce, the /authorize URL (shown by an embedded window, the
// system browser, or printed for a headless user), then the redirect: code exchange, ID-token
// verification, and hand-over to the SignInState. A rejected token is never stored.
#pragma once

#include "session/signinpageflow.h"

#include <optional>

namespace fedsync {

class SignInState;

class SignInFlow final : public SignInPageFlow
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
    void start(const QUrl &redirectUri, const Options &options);
    // What a sign-in page calls: no prompt or screen hint.
    void start(const QUrl &redirectUri) override { start(redirectUri, Options{}); }
    // The provider redirected back: exchange the code, verify, adopt. Ends in succeeded() or failed().
    void handleRedirect(const QUrl &url) override;
    void cancel() override;
    bool isBusy() const override { return m_busy; }

private:
    void fail(const UserError &error);

    SignInState *m_session;
    QString m_verifier;
    QString m_state;
    QString m_nonce;
    bool m_busy = false;
    bool m_redirectHandled = false;
    bool m_cancelled = false;
};

} // namespace fedsync

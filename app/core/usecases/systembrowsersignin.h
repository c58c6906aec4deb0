// A sign-in in the system browser with a loopback redirect (RFC 8252): listens on 127.0.0.1 for the
// answer, runs the SignInFlow for that redirect URI, and gives the front end a one-time local address to
// open (xdg-open's command line is readable by every local user: it never carries the authorization URL
// with its state, nonce and PKCE challenge). The window's system-browser dialog and `fedsync-cli login
// --browser system|none` both run it; they only show what it says.
#pragma once

#include "common/usererror.h"
#include "session/signinflow.h"

#include <QObject>
#include <QUrl>

namespace fedsync {

class LoopbackReceiver;

class SystemBrowserSignIn final : public QObject
{
    Q_OBJECT
public:
    // Error codes of failed() besides the flow's own.
    static const QString LoopbackUnavailable; // nothing can listen on 127.0.0.1
    static const QString TimedOut;            // no answer from the browser within the time limit

    // `flow` (not owned) does the OpenID part; it must outlive this object.
    explicit SystemBrowserSignIn(SignInFlow *flow, QObject *parent = nullptr);
    ~SystemBrowserSignIn() override;

    // How long the browser has to answer (default LoopbackReceiver::DefaultTimeLimitMs); before start().
    void setTimeLimitMs(int ms);
    int timeLimitMs() const { return m_timeLimitMs; }

    // Listens and starts the flow: pageReady(), then succeeded() or failed().
    void start(const SignInFlow::Options &options = {});
    // A new one-time local address for the sign-in page ("open the page again"); empty before pageReady().
    QUrl pageAddress();
    // Stops waiting; nothing is emitted afterwards.
    void cancel();

Q_SIGNALS:
    // Open `startUrl` in the browser. `authorizationUrl` is the page itself, to show a person who opens
    // it by hand (the CLI prints it on stdout).
    void pageReady(const QUrl &startUrl, const QUrl &authorizationUrl);
    void exchanging();
    void succeeded();
    void failed(const fedsync::UserError &error);

private:
    void fail(const UserError &error);

    SignInFlow *m_flow;
    LoopbackReceiver *m_receiver;
    QUrl m_authorizationUrl;
    int m_timeLimitMs;
    bool m_done = false;
};

} // namespace fedsync

// The sign-in as the page process (`fedsync --sign-in-page`) sees it: the login window drives it like a
// SignInFlow, and every step goes to the app over a pipe (signinpagerelay.h), which runs the real
// SignInFlow and answers. The page process holds no token and no PKCE verifier; it shows the page,
// catches the redirect and passes it on.
#pragma once

#include "common/usererror.h"
#include "session/signinpageflow.h"
#include "usecases/signinpagerelay.h"

#include <QByteArray>

class QSocketNotifier;

namespace fedsync {

class RelayedSignInFlow final : public SignInPageFlow
{
    Q_OBJECT
public:
    // Reads the app's messages from `readFd` and writes to `writeFd` (the process's stdin and a copy of
    // its stdout). Neither is closed here.
    RelayedSignInFlow(int readFd, int writeFd, QObject *parent = nullptr);
    ~RelayedSignInFlow() override;

    void start(const QUrl &redirectUri) override;
    void handleRedirect(const QUrl &url) override;
    void cancel() override;
    bool isBusy() const override { return m_busy; }

    // Tells the app whether the page arrived (its status line, and tests, wait for it).
    void reportPageLoaded(bool ok);
    // Tells the app the page cannot be shown (the profile it sent is unreadable, WebEngine is missing).
    void reportProblem(const UserError &problem);

Q_SIGNALS:
    // The app's first message: the profile (as a profile file's JSON) and why a sign-in is needed.
    // `parentWindow`: the native id of the app's window (0: none).
    void helloReceived(const QByteArray &profileJson, const fedsync::UserError &explanation,
                       quint64 parentWindow);
    // The app closed the pipe or sent what is not Fedsync's protocol: the page has nobody to talk to.
    void disconnected();

private:
    void send(const QString &type, const QJsonObject &fields = {});
    void readAvailable();
    void dispatch(const signinpage::Message &message);

    int m_readFd;
    int m_writeFd;
    QSocketNotifier *m_notifier;
    signinpage::LineReader m_reader;
    bool m_busy = false;
    bool m_redirectHandled = false;
    bool m_gone = false;
};

} // namespace fedsync

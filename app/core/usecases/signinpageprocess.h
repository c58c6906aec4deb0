// The embedded sign-in page in a process of its own: runs `<program> --sign-in-page` (fedsync itself),
// which shows the login window (Qt WebEngine), and drives this process's SignInFlow with what the page
// reports (signinpagerelay.h). The PKCE verifier, the code exchange, the ID token's verification and
// the tokens stay here; when the page process exits, WebEngine, its renderer and its memory go with it,
// and this process never maps a WebEngine library.
#pragma once

#include "common/usererror.h"
#include "config/profile.h"
#include "usecases/signinpagerelay.h"

#include <QObject>
#include <QProcess>
#include <QTimer>

namespace fedsync {

class SignInFlow;

class SignInPageProcess final : public QObject
{
    Q_OBJECT
public:
    // `flow` must live until finished() (it is not touched after). `explanation`, when set, is shown
    // above the page.
    SignInPageProcess(SignInFlow *flow, const Profile &profile, const UserError &explanation, QString program,
                      QObject *parent = nullptr);
    ~SignInPageProcess() override;

    // The native id of the window the page's window belongs to (the window system keeps it above that
    // one, as a dialog of it); 0: none. Before start().
    void setParentWindow(quint64 nativeId) { m_parentWindow = nativeId; }
    void start();
    // Stops the sign-in and closes the page's window.
    void cancel();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 processId() const { return m_process.processId(); }

Q_SIGNALS:
    // The page arrived in the window (ok) or could not be loaded (the window says why).
    void pageLoaded(bool ok);
    // The sign-in failed after the page had its turn (the token exchange was refused, say): the window
    // stays open, shows `error` and offers Try again.
    void attemptFailed(const fedsync::UserError &error);
    // Once: signed in, or not: cancelled, or `problem` says what went wrong (with the page's process, or
    // the last attempt's failure when the window was closed on it).
    void finished(bool signedIn, const fedsync::UserError &problem);

private:
    void send(const QString &type, const QJsonObject &fields = {});
    void readAvailable();
    void dispatch(const signinpage::Message &message);
    void onExited(int exitCode, QProcess::ExitStatus status);
    void finish(bool signedIn, const UserError &problem = {});
    UserError processProblem(const QString &why) const;

    SignInFlow *m_flow;
    Profile m_profile;
    UserError m_explanation;
    QString m_program;
    quint64 m_parentWindow = 0;
    QProcess m_process;
    QTimer m_killTimer;
    signinpage::LineReader m_reader;
    UserError m_attemptError; // shown in the window until Try again or until it closes
    bool m_finished = false;
};

} // namespace fedsync

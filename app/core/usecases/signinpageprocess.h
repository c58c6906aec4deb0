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
    // `flow` must outlive this object. `explanation`, when set, is shown above the page.
    SignInPageProcess(SignInFlow *flow, const Profile &profile, const UserError &explanation, QString program,
                      QObject *parent = nullptr);
    ~SignInPageProcess() override;

    void start();
    // Stops the sign-in and closes the page's window.
    void cancel();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 processId() const { return m_process.processId(); }

Q_SIGNALS:
    // The page arrived in the window (ok) or could not be loaded (the window says why).
    void pageLoaded(bool ok);
    // Once: signed in, or not (cancelled, or `problem` says what went wrong with the page's process).
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
    QProcess m_process;
    QTimer m_killTimer;
    signinpage::LineReader m_reader;
    bool m_finished = false;
};

} // namespace fedsync

#include "usecases/signinpageprocess.h"

#include "config/profilefile.h"
#include "log/logcategories.h"
#include "session/signinflow.h"

#include <QJsonDocument>

namespace fedsync {

SignInPageProcess::SignInPageProcess(SignInFlow *flow, const Profile &profile, const UserError &explanation,
                                     QString program, QObject *parent)
    : QObject(parent)
    , m_flow(flow)
    , m_profile(profile)
    , m_explanation(explanation)
    , m_program(std::move(program))
{
    // The page process's messages go to this process's log; stdout is the pipe.
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_killTimer.setSingleShot(true);
    m_killTimer.setInterval(5000);
    connect(&m_killTimer, &QTimer::timeout, &m_process, &QProcess::kill);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &SignInPageProcess::readAvailable);
    connect(&m_process, &QProcess::finished, this, &SignInPageProcess::onExited);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            finish(false,
                   UserError::make(QStringLiteral("ui.login.page_process"),
                                   tr("The sign-in window could not be opened"),
                                   tr("%1 could not be started: %2").arg(m_program, m_process.errorString()),
                                   tr("Reinstall Fedsync, or set the profile's browser to \"system\" "
                                      "(File > Profiles) to sign in in your web browser")));
    });

    connect(m_flow, &SignInPageFlow::authorizationUrlReady, this, [this](const QUrl &url) {
        send(signinpage::kind::Open, {{QStringLiteral("url"), url.toString(QUrl::FullyEncoded)}});
    });
    connect(m_flow, &SignInPageFlow::exchanging, this, [this] { send(signinpage::kind::Exchanging); });
    connect(m_flow, &SignInPageFlow::failed, this, [this](const UserError &error) {
        m_attemptError = error;
        send(signinpage::kind::Failed, {{QStringLiteral("error"), signinpage::errorToJson(error)}});
        if (!m_finished)
            Q_EMIT attemptFailed(error);
    });
    connect(m_flow, &SignInPageFlow::succeeded, this, [this] {
        send(signinpage::kind::Succeeded);
        m_process.closeWriteChannel();
        m_killTimer.start(); // the window closes itself; a page process that hangs is not waited for
        finish(true);
    });
}

SignInPageProcess::~SignInPageProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        disconnect(&m_process, nullptr, this, nullptr);
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

void SignInPageProcess::start()
{
    qCInfo(lcUsecases) << "Opening the sign-in page in its own process";
    m_process.start(m_program, {QStringLiteral("--sign-in-page")});
    QJsonObject hello{
        {QStringLiteral("profile"), QJsonDocument::fromJson(ProfileFile::toJson(m_profile)).object()}};
    if (m_explanation.isError())
        hello.insert(QStringLiteral("explanation"), signinpage::errorToJson(m_explanation));
    if (m_parentWindow != 0) // an X11 window id: 32 bits, exact in a JSON number
        hello.insert(QStringLiteral("parent_window"), double(m_parentWindow));
    send(signinpage::kind::Hello, hello);
}

void SignInPageProcess::cancel()
{
    if (!m_finished)
        m_flow->cancel(); // once finished, the flow may be gone already
    if (m_process.state() != QProcess::NotRunning) {
        m_process.closeWriteChannel(); // the page process closes its window when the pipe ends
        m_killTimer.start();
    }
    finish(false);
}

void SignInPageProcess::send(const QString &type, const QJsonObject &fields)
{
    if (m_process.state() == QProcess::NotRunning && type != signinpage::kind::Hello)
        return;
    m_process.write(signinpage::encode(type, fields));
}

void SignInPageProcess::readAvailable()
{
    m_reader.append(m_process.readAllStandardOutput());
    while (std::optional<signinpage::Message> message = m_reader.next())
        dispatch(*message);
    if (m_reader.broken() && !m_finished) {
        m_flow->cancel();
        m_process.kill();
        finish(false, processProblem(tr("It sent something that is not Fedsync's sign-in protocol")));
    }
}

void SignInPageProcess::dispatch(const signinpage::Message &message)
{
    namespace kind = signinpage::kind;
    if (m_finished)
        return;
    if (message.type == kind::Start) {
        // The page listens for the profile's redirect URI; nothing else is started for it.
        const QUrl asked(message.fields.value(QStringLiteral("redirect_uri")).toString());
        const QUrl expected(m_profile.auth0.redirectUri);
        if (asked != expected) {
            m_flow->cancel();
            m_process.kill();
            finish(
                false,
                processProblem(
                    tr("It asked for the redirect URI %1, not the profile's").arg(asked.toDisplayString())));
            return;
        }
        m_attemptError = {}; // Try again
        m_flow->start(expected);
    } else if (message.type == kind::Redirect) {
        m_flow->handleRedirect(QUrl(message.fields.value(QStringLiteral("url")).toString()));
    } else if (message.type == kind::Loaded) {
        Q_EMIT pageLoaded(message.fields.value(QStringLiteral("ok")).toBool());
    } else if (message.type == kind::Failed) {
        // The page could not be shown at all (what the page process says is what the user reads).
        m_flow->cancel();
        finish(false, signinpage::errorFromJson(message.fields.value(QStringLiteral("error")).toObject()));
    } else if (message.type == kind::Cancel) {
        m_flow->cancel();
        finish(false, m_attemptError); // closed on a failure: that failure is still what the user must know
    }
}

void SignInPageProcess::onExited(int exitCode, QProcess::ExitStatus status)
{
    m_killTimer.stop();
    if (m_finished)
        return;
    m_flow->cancel();
    // Exit code 1: the user closed the window. Anything else is a page process that broke.
    if (status == QProcess::NormalExit && exitCode == 1) {
        finish(false, m_attemptError);
        return;
    }
    finish(false, processProblem(status == QProcess::CrashExit
                                     ? tr("Its process crashed")
                                     : tr("Its process ended with code %1").arg(exitCode)));
}

UserError SignInPageProcess::processProblem(const QString &why) const
{
    return UserError::make(QStringLiteral("ui.login.page_process"),
                           tr("The sign-in window closed unexpectedly"), why,
                           tr("Sign in again. If it keeps happening, set the profile's browser to \"system\" "
                              "(File > Profiles) to sign in in your web browser"));
}

void SignInPageProcess::finish(bool signedIn, const UserError &problem)
{
    if (m_finished)
        return;
    m_finished = true;
    if (problem.isError())
        qCWarning(lcUsecases) << "The sign-in through the page failed:" << problem.why;
    Q_EMIT finished(signedIn, problem);
}

} // namespace fedsync

#include "usecases/systembrowsersignin.h"

#include "auth/loopbackreceiver.h"

namespace fedsync {

const QString SystemBrowserSignIn::LoopbackUnavailable = QStringLiteral("signin.loopback");
const QString SystemBrowserSignIn::TimedOut = QStringLiteral("signin.timeout");

SystemBrowserSignIn::SystemBrowserSignIn(SignInFlow *flow, QObject *parent)
    : QObject(parent)
    , m_flow(flow)
    , m_receiver(new LoopbackReceiver(QStringLiteral("/callback"), this))
    , m_timeLimitMs(LoopbackReceiver::DefaultTimeLimitMs)
{
    connect(m_flow, &SignInFlow::authorizationUrlReady, this, [this](const QUrl &url) {
        m_authorizationUrl = url;
        Q_EMIT pageReady(m_receiver->startUrlFor(url), url);
    });
    connect(m_receiver, &LoopbackReceiver::redirectReceived, m_flow, &SignInFlow::handleRedirect);
    connect(m_receiver, &LoopbackReceiver::timedOut, this, [this] {
        m_flow->cancel();
        fail(UserError::make(
            TimedOut, tr("The sign-in was not completed in time"),
            tr("No answer from the browser arrived within %1 minutes").arg(qMax(1, m_timeLimitMs / 60000)),
            tr("Sign in again")));
    });
    connect(m_flow, &SignInFlow::exchanging, this, &SystemBrowserSignIn::exchanging);
    connect(m_flow, &SignInFlow::failed, this, &SystemBrowserSignIn::fail);
    connect(m_flow, &SignInFlow::succeeded, this, [this] {
        if (m_done)
            return;
        m_done = true;
        Q_EMIT succeeded();
    });
}

SystemBrowserSignIn::~SystemBrowserSignIn() = default;

void SystemBrowserSignIn::setTimeLimitMs(int ms)
{
    m_timeLimitMs = ms;
    m_receiver->setTimeLimitMs(ms);
}

void SystemBrowserSignIn::start(const SignInFlow::Options &options)
{
    if (!m_receiver->listen()) {
        fail(UserError::make(LoopbackUnavailable,
                             tr("Fedsync could not listen on 127.0.0.1 for the browser's answer"), {},
                             tr("Check that local connections are allowed, or use the embedded sign-in "
                                "window")));
        return;
    }
    m_flow->start(m_receiver->redirectUri(), options);
}

QUrl SystemBrowserSignIn::pageAddress()
{
    return m_authorizationUrl.isEmpty() ? QUrl() : m_receiver->startUrlFor(m_authorizationUrl);
}

void SystemBrowserSignIn::cancel()
{
    m_done = true;
    m_flow->cancel();
}

void SystemBrowserSignIn::fail(const UserError &error)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT failed(error);
}

} // namespace fedsync

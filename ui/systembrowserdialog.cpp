#include "systembrowserdialog.h"

#include "auth/loopbackreceiver.h"
#include "session/signinflow.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace fedsync::ui {

SystemBrowserDialog::SystemBrowserDialog(SignInFlow *flow, UrlOpener opener, const UserError &explanation,
                                         QWidget *parent)
    : QDialog(parent)
    , m_flow(flow)
    , m_opener(std::move(opener))
    , m_receiver(new LoopbackReceiver(QStringLiteral("/callback"), this))
    , m_message(new QLabel(this))
    , m_openAgain(new QPushButton(tr("Open the page again"), this))
{
    setObjectName(QStringLiteral("systemBrowserDialog"));
    setWindowTitle(tr("Sign in with your browser"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText); // error texts can carry a server's words
    const QString waiting = tr("Continue in your web browser. Fedsync is waiting for the sign-in to finish there.");
    m_message->setText(explanation.isError() ? explanation.text() + QStringLiteral("\n\n") + waiting : waiting);
    m_openAgain->setEnabled(false);
    // The opener (xdg-open) gets a one-time local address, not the authorization URL: other local users can
    // read a command line.
    connect(m_openAgain, &QPushButton::clicked, this,
            [this] { m_opener(m_receiver->startUrlFor(m_authorizationUrl)); });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_openAgain, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &SystemBrowserDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    setMinimumWidth(420);

    connect(m_flow, &SignInFlow::authorizationUrlReady, this, [this](const QUrl &url) {
        m_authorizationUrl = url;
        m_openAgain->setEnabled(true);
        m_opener(m_receiver->startUrlFor(url));
    });
    connect(m_receiver, &LoopbackReceiver::redirectReceived, m_flow, &SignInFlow::handleRedirect);
    connect(m_receiver, &LoopbackReceiver::timedOut, this, [this] {
        m_flow->cancel();
        onFailed(UserError::make(QStringLiteral("ui.login.timeout"), tr("The sign-in was not completed in time"),
                                 tr("No answer from the browser reached Fedsync"),
                                 tr("Close this window and sign in again")));
    });
    connect(m_flow, &SignInFlow::exchanging, this,
            [this] { m_message->setText(tr("Completing the sign-in…")); });
    connect(m_flow, &SignInFlow::failed, this, &SystemBrowserDialog::onFailed);
    connect(m_flow, &SignInFlow::succeeded, this, &QDialog::accept);
}

void SystemBrowserDialog::start()
{
    if (!m_receiver->listen()) {
        onFailed(UserError::make(QStringLiteral("ui.login.loopback"),
                                 tr("Fedsync could not listen on 127.0.0.1 for the browser's answer"), {},
                                 tr("Check that local connections are allowed, or switch the profile to the "
                                    "embedded sign-in window")));
        return;
    }
    m_flow->start(m_receiver->redirectUri());
}

void SystemBrowserDialog::onFailed(const UserError &error)
{
    m_lastError = error;
    m_message->setText(error.text());
}

QString SystemBrowserDialog::message() const
{
    return m_message->text();
}

void SystemBrowserDialog::reject()
{
    m_flow->cancel();
    QDialog::reject();
}

} // namespace fedsync::ui

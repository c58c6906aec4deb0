#include "systembrowserdialog.h"

#include "usecases/systembrowsersignin.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace fedsync::ui {

SystemBrowserDialog::SystemBrowserDialog(SignInFlow *flow, UrlOpener opener, const UserError &explanation,
                                         QWidget *parent)
    : QDialog(parent)
    , m_signIn(new SystemBrowserSignIn(flow, this))
    , m_opener(std::move(opener))
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
    connect(m_openAgain, &QPushButton::clicked, this, [this] { m_opener(m_signIn->pageAddress()); });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_openAgain, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &SystemBrowserDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    setMinimumWidth(420);

    connect(m_signIn, &SystemBrowserSignIn::pageReady, this, [this](const QUrl &startUrl) {
        m_openAgain->setEnabled(true);
        m_opener(startUrl);
    });
    connect(m_signIn, &SystemBrowserSignIn::exchanging, this,
            [this] { m_message->setText(tr("Completing the sign-in…")); });
    connect(m_signIn, &SystemBrowserSignIn::failed, this, &SystemBrowserDialog::onFailed);
    connect(m_signIn, &SystemBrowserSignIn::succeeded, this, &QDialog::accept);
}

void SystemBrowserDialog::start()
{
    m_signIn->start();
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
    m_signIn->cancel();
    QDialog::reject();
}

} // namespace fedsync::ui

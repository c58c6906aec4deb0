#include "mainwindow.h"
#include "ui_mainwindow.h"

#include "aboutdialog.h"
#include "config/profile.h"
#include "identitypanel.h"
#include "loginwindow.h"
#include "net/httpjob.h"
#include "session/authsession.h"
#include "session/sessioncontext.h"
#include "session/signinflow.h"
#include "systembrowserdialog.h"

#include <QDesktopServices>
#include <QIcon>
#include <QKeySequence>
#include <QPixmap>

namespace fedsync::ui {

MainWindow::MainWindow(SessionContext *context, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_context(context)
    , m_openUrl([](const QUrl &url) { QDesktopServices::openUrl(url); })
{
    m_ui->setupUi(this);
    setWindowIcon(QIcon(QStringLiteral(":/icons/fedsync.svg")));
    m_ui->actionQuit->setShortcut(QKeySequence::Quit);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_ui->actionProfiles, &QAction::triggered, this, &MainWindow::profilesRequested);
    connect(m_ui->actionSignIn, &QAction::triggered, this, [this] { signIn(); });
    connect(m_ui->signInButton, &QPushButton::clicked, this, [this] { signIn(); });
    connect(m_ui->actionSignOut, &QAction::triggered, this, [this] { signOut(false); });
    connect(m_ui->signOutButton, &QPushButton::clicked, this, [this] { signOut(false); });
    connect(m_ui->actionSignOutEverywhere, &QAction::triggered, this, [this] { signOut(true); });

    if (m_context) {
        setWindowTitle(tr("Fedsync — %1").arg(m_context->profile().name));
        AuthSession *session = m_context->session();
        m_identity = new IdentityPanel(m_context->cognito(), m_context->cognitoProblem(), m_ui->signedInPage);
        m_ui->signedInLayout->insertWidget(m_ui->signedInLayout->indexOf(m_ui->storageNotice) + 1,
                                           m_identity);
        connect(session, &AuthSession::signedIn, m_identity, &IdentityPanel::fetchCredentials);
        connect(session, &AuthSession::signedOut, m_identity, &IdentityPanel::clear);
        connect(session, &AuthSession::stateChanged, this, &MainWindow::updateAccountView);
        connect(session, &AuthSession::storageProblem, this, [this](const UserError &problem) {
            m_ui->storageNotice->setText(problem.text());
            m_ui->storageNotice->setVisible(true);
        });
    } else {
        m_ui->signedOutHint->setText(
            tr("No profile is set up yet. Start Fedsync with --profile-file PATH (the "
               "sandbox writes one), or create a profile with your Auth0 domain and "
               "client id."));
        m_ui->signInButton->setEnabled(false);
    }
    updateAccountView();
}

MainWindow::~MainWindow() = default;

IdentityPanel *MainWindow::identityPanel() const
{
    return m_identity;
}

LoginWindow *MainWindow::loginWindow() const
{
    return m_login;
}

void MainWindow::updateAccountView()
{
    const AuthSession *session = m_context ? m_context->session() : nullptr;
    const bool signedIn = session && session->isSignedIn();
    const bool restoring = session && session->state() == AuthSession::State::Restoring;
    m_ui->actionSignIn->setEnabled(m_context && !signedIn && !restoring);
    m_ui->signInButton->setEnabled(m_context && !signedIn && !restoring);
    m_ui->actionSignOut->setEnabled(signedIn);
    m_ui->actionSignOutEverywhere->setEnabled(signedIn);
    if (!signedIn) {
        m_ui->pages->setCurrentWidget(m_ui->signedOutPage);
        statusBar()->showMessage(restoring ? tr("Signing in…") : tr("Not signed in"));
        return;
    }
    const IdTokenClaims &claims = session->claims();
    m_ui->pages->setCurrentWidget(m_ui->signedInPage);
    m_ui->userName->setText(QStringLiteral("<h2>%1</h2>")
                                .arg((claims.name.isEmpty() ? claims.sub : claims.name).toHtmlEscaped()));
    m_ui->userEmail->setText(claims.email);
    m_ui->userSub->setText(tr("User id: %1").arg(claims.sub));
    m_ui->avatar->setPixmap(windowIcon().pixmap(64, 64));
    if (!claims.picture.isEmpty())
        loadPicture(QUrl(claims.picture));
    statusBar()->showMessage(tr("Signed in as %1").arg(claims.email.isEmpty() ? claims.sub : claims.email));
}

void MainWindow::loadPicture(const QUrl &url)
{
    HttpRequest request;
    request.url = url;
    request.service = QStringLiteral("picture");
    request.operation = QStringLiteral("avatar");
    auto *job = new HttpJob(m_context->network(), request, this);
    job->setRecordTrace(false);
    connect(job, &HttpJob::finished, this, [this, job] {
        job->deleteLater();
        QPixmap picture;
        if (job->response().status == 200 && picture.loadFromData(job->response().body))
            m_ui->avatar->setPixmap(picture);
    });
    job->start();
}

void MainWindow::startSilentSignIn()
{
    if (!m_context)
        return;
    AuthSession *session = m_context->session();
    connect(
        session, &AuthSession::restoreFailed, this,
        [this](const UserError &reason) {
            if (reason.code == QStringLiteral("session.none")) {
                updateAccountView(); // first start: the user chooses when to sign in
                return;
            }
            signIn(reason);
        },
        Qt::SingleShotConnection);
    session->restore();
}

void MainWindow::signIn(const UserError &explanation)
{
    if (!m_context || m_signInDialog)
        return;
    auto *flow = new SignInFlow(m_context->session(), this);
    if (m_context->profile().auth0.browser == Auth0Settings::BrowserMode::System) {
        auto *dialog = new SystemBrowserDialog(flow, m_openUrl, explanation, this);
        m_signInDialog = dialog;
    } else {
        m_login = new LoginWindow(flow, m_context->profile(), explanation, this);
        m_signInDialog = m_login;
    }
    m_signInDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_signInDialog, &QDialog::finished, this, [this, flow](int result) {
        flow->deleteLater();
        updateAccountView();
        Q_EMIT signInFinished(result == QDialog::Accepted);
    });
    m_signInDialog->open();
    if (m_login)
        m_login->start();
    else
        qobject_cast<SystemBrowserDialog *>(m_signInDialog.data())->start();
}

void MainWindow::signOut(bool everywhere)
{
    if (!m_context)
        return;
    const QUrl logout = m_context->session()->signOut(everywhere);
    m_ui->storageNotice->setVisible(false);
    // The embedded window's cookies died with its private profile; the provider's own session (and the
    // upstream one, for "everywhere") ends in the browser that holds it.
    if (everywhere || m_context->profile().auth0.browser == Auth0Settings::BrowserMode::System)
        m_openUrl(logout);
    updateAccountView();
}

void MainWindow::showProblem(const UserError &problem)
{
    m_ui->signedOutHint->setText(
        tr("This profile cannot be used: %1\nFix it under File > Profiles….").arg(problem.text()));
}

void MainWindow::showAbout()
{
    auto *about = new AboutDialog(this);
    about->setAttribute(Qt::WA_DeleteOnClose);
    about->open();
}

} // namespace fedsync::ui

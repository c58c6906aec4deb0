#include "mainwindow.h"
#include "ui_mainwindow.h"

#include "aboutdialog.h"
#include "config/profile.h"
#include "dataseteditor.h"
#include "identitypanel.h"
#include "loginwindow.h"
#include "net/httpjob.h"
#include "session/authsession.h"
#include "session/sessioncontext.h"
#include "session/signinflow.h"
#include "support/supportconsole.h"
#include "sync/datasetsession.h"
#include "systembrowserdialog.h"

#include <QCloseEvent>
#include <QDesktopServices>
#include <QIcon>
#include <QKeySequence>
#include <QMenu>
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
    // Tools > Support console… (staff credentials, not the signed-in user's: see SupportConsole).
    auto *tools = new QMenu(tr("&Tools"), this);
    m_ui->menuBar->insertMenu(m_ui->menuHelp->menuAction(), tools);
    QAction *supportConsole = tools->addAction(tr("&Support console…"));
    supportConsole->setObjectName(QStringLiteral("actionSupportConsole"));
    supportConsole->setEnabled(m_context != nullptr);
    connect(supportConsole, &QAction::triggered, this, [this] {
        if (m_context)
            SupportConsole::open(*m_context, this);
    });

    if (m_context) {
        setWindowTitle(tr("Fedsync — %1").arg(m_context->profile().name));
        AuthSession *session = m_context->session();
        m_identity = new IdentityPanel(m_context->cognito(), m_context->cognitoProblem(), m_ui->signedInPage);
        m_ui->signedInLayout->insertWidget(m_ui->signedInLayout->indexOf(m_ui->storageNotice) + 1,
                                           m_identity);
        connect(session, &AuthSession::signedIn, m_identity, &IdentityPanel::fetchCredentials);
        connect(session, &AuthSession::signedOut, m_identity, &IdentityPanel::clear);
        connect(session, &AuthSession::signedIn, this, &MainWindow::openDatasets);
        connect(session, &AuthSession::signedOut, this, &MainWindow::closeDatasets);
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

MainWindow::~MainWindow()
{
    closeDatasets(); // the editor refers to the store and engine the session owns
}

DatasetEditor *MainWindow::datasetEditor() const
{
    return m_editor;
}

void MainWindow::openDatasets()
{
    if (!m_context || !m_context->cognito() || m_editor)
        return;
    statusBar()->showMessage(tr("Opening your datasets…"));
    DatasetSession::openSignedIn(
        *m_context, this, [this](std::unique_ptr<DatasetSession> datasets, const UserError &error) {
            if (!datasets) {
                // The identity panel shows credential problems with their advice; a store problem shows here.
                if (!error.code.startsWith(QStringLiteral("aws."))) {
                    m_ui->storageNotice->setText(error.text());
                    m_ui->storageNotice->setVisible(true);
                }
                statusBar()->showMessage(tr("Datasets unavailable"));
                return;
            }
            if (!m_context->session()->isSignedIn() || m_editor)
                return; // signed out meanwhile
            m_datasets = std::move(datasets);
            m_editor = new DatasetEditor(m_datasets->store(), m_datasets->engine(), m_ui->signedInPage);
            m_ui->signedInLayout->removeItem(m_ui->signedInSpacer);
            m_ui->signedInLayout->addWidget(m_editor, 1);
            connect(m_editor, &DatasetEditor::statusMessage, this,
                    [this](const QString &text) { statusBar()->showMessage(text); });
            Q_EMIT datasetsOpened();
        });
}

void MainWindow::closeDatasets()
{
    if (m_editor) {
        delete m_editor;
        m_ui->signedInLayout->addItem(m_ui->signedInSpacer);
    }
    m_datasets.reset();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Edits reach the server before the window goes, without blocking: close again once the editor has
    // synced (or given up after its timeout; the edits stay in the local store either way).
    if (m_editor && !m_readyToClose) {
        event->ignore();
        connect(
            m_editor, &DatasetEditor::readyToClose, this,
            [this] {
                m_readyToClose = true;
                close();
            },
            Qt::SingleShotConnection);
        m_editor->syncBeforeClose();
        return;
    }
    QMainWindow::closeEvent(event);
}

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

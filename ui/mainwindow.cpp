#include "mainwindow.h"
#include "common/deliverlater.h"
#include "common/errorcodes.h"
#include "common/heaprelease.h"
#include "ui_mainwindow.h"

#include "aboutdialog.h"
#include "appicon.h"
#include "auth/httpcachefile.h"
#include "config/profile.h"
#include "dataseteditor.h"
#include "identitypanel.h"
#include "inspector/inspectormenus.h"
#include "log/logcategories.h"
#include "logindialog.h"
#include "loginwindowloader.h"
#include "migrationaction.h"
#include "session/profilecontext.h"
#include "session/signinflow.h"
#include "session/signinstate.h"
#include "session/signout.h"
#include "session/userdatasets.h"
#include "support/supportconsole.h"
#include "systembrowserdialog.h"
#include "usecases/avatarfetch.h"
#include "usecases/connectivity.h"
#include "usecases/signinpageprocess.h"
#include "usecases/synccontroller.h"
#include "usecases/userdisplay.h"

#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QElapsedTimer>
#include <QIcon>
#include <QImage>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPixmap>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>

namespace fedsync::ui {

MainWindow::MainWindow(ProfileContext *context, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_context(context)
    , m_openUrl([](const QUrl &url) { QDesktopServices::openUrl(url); })
    , m_signOutPrompt([](QWidget *owner, bool everywhere, std::function<void(bool, bool)> answer) {
        auto *box = new QMessageBox(QMessageBox::Question, tr("Sign out"),
                                    everywhere ? tr("Sign out of Fedsync and of your identity provider?")
                                               : tr("Sign out of Fedsync?"),
                                    QMessageBox::Yes | QMessageBox::Cancel, owner);
        box->setInformativeText(tr("Your sign-in is revoked and removed from this computer's keychain."));
        box->button(QMessageBox::Yes)->setText(tr("&Sign out"));
        box->setDefaultButton(QMessageBox::Cancel);
        auto *forget = new QCheckBox(tr("Also &delete my data on this computer"), box);
        forget->setObjectName(QStringLiteral("forgetData"));
        box->setCheckBox(forget);
        box->setWindowModality(Qt::WindowModal);
        box->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(box, &QMessageBox::finished, box, [box, forget, answer = std::move(answer)] {
            answer(box->clickedButton() == box->button(QMessageBox::Yes), forget->isChecked());
        });
        box->open();
    })
{
    m_askPendingEdits = [](QWidget *window, int pending, std::function<void(PendingEditsChoice)> answer) {
        auto *box = new QMessageBox(
            QMessageBox::Warning, tr("Sign out"),
            tr("%n edit(s) on this computer have not reached the server yet.", nullptr, pending),
            QMessageBox::Cancel, window);
        box->setInformativeText(tr("Synchronize them first? If you sign out now, they stay on this computer "
                                   "and are sent the next time you sign in here."));
        QPushButton *sync = box->addButton(tr("Synchronize, then sign out"), QMessageBox::AcceptRole);
        QPushButton *anyway = box->addButton(tr("Sign out now"), QMessageBox::DestructiveRole);
        box->setDefaultButton(sync);
        box->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(box, &QMessageBox::finished, box, [box, sync, anyway, answer] {
            answer(box->clickedButton() == sync     ? PendingEditsChoice::SyncFirst
                   : box->clickedButton() == anyway ? PendingEditsChoice::SignOutAnyway
                                                    : PendingEditsChoice::Cancel);
        });
        box->open();
    };
    m_ui->setupUi(this);
    // Claims from the ID token and error texts from servers: shown as plain text, never as rich text.
    for (QLabel *label : {m_ui->userEmail, m_ui->userSub, m_ui->storageNotice, m_ui->signedOutHint})
        label->setTextFormat(Qt::PlainText);
    if (QApplication::windowIcon().isNull())
        setWindowIcon(appIcon()); // else the application's (main.cpp), not a second copy of its pixmaps
    m_ui->actionQuit->setShortcut(QKeySequence::Quit);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_ui->actionProfiles, &QAction::triggered, this, &MainWindow::profilesRequested);
    connect(m_ui->actionSignIn, &QAction::triggered, this, [this] { signIn(); });
    connect(m_ui->signInButton, &QPushButton::clicked, this, [this] { signIn(); });
    connect(m_ui->actionSignOut, &QAction::triggered, this, [this] { confirmSignOut(false); });
    connect(m_ui->signOutButton, &QPushButton::clicked, this, [this] { confirmSignOut(false); });
    connect(m_ui->actionSignOutEverywhere, &QAction::triggered, this, [this] { confirmSignOut(true); });
    installInspectorMenus(this, m_context);
    // Tools > Support console… (staff credentials, not the signed-in user's: see SupportConsole).
    if (auto *tools = findChild<QMenu *>(QStringLiteral("menuTools"))) {
        tools->addSeparator();
        QAction *supportConsole = tools->addAction(tr("&Support console…"));
        supportConsole->setObjectName(QStringLiteral("actionSupportConsole"));
        supportConsole->setEnabled(m_context != nullptr);
        connect(supportConsole, &QAction::triggered, this, [this] {
            if (m_context)
                SupportConsole::open(*m_context, this);
        });
    }
    installMigrationAction(this, m_context); // Tools > Migrate from Cognito Sync…

    if (m_context) {
        setWindowTitle(tr("Fedsync — %1").arg(m_context->profile().name));
        SignInState *session = m_context->session();
        m_identity = new IdentityPanel(m_context->cognito(), m_context->cognitoProblem(), m_ui->signedInPage);
        m_ui->signedInLayout->insertWidget(m_ui->signedInLayout->indexOf(m_ui->storageNotice) + 1,
                                           m_identity);
        connect(session, &SignInState::signedIn, m_identity, &IdentityPanel::fetchCredentials);
        // Credentials after a Retry: open the datasets if AWS was down at start, or sync what waited.
        connect(m_identity, &IdentityPanel::credentialsReady, this, [this] {
            if (!m_editor)
                openDatasets();
            else if (m_sync->isOffline() && !m_sync->isSyncing())
                m_sync->syncNow();
        });
        connect(session, &SignInState::signedOut, m_identity, &IdentityPanel::clear);
        connect(session, &SignInState::signedIn, this, &MainWindow::openDatasets);
        connect(session, &SignInState::signedOut, this, &MainWindow::closeDatasets);
        connect(session, &SignInState::stateChanged, this, &MainWindow::updateAccountView);
        connect(session, &SignInState::storageProblem, this, [this](const UserError &problem) {
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
    delete m_avatar; // before the widgets it paints into go
}

DatasetEditor *MainWindow::datasetEditor() const
{
    return m_editor;
}

void MainWindow::openDatasets()
{
    if (!m_context || !m_context->cognito() || m_opening)
        return;
    if (m_editor) {
        // Opened offline on the local data: now signed in, synchronize.
        m_workingOffline = false;
        updateAccountView();
        m_sync->resume();
        return;
    }
    m_opening = true;
    statusBar()->showMessage(tr("Opening your datasets…"));
    UserDatasets::openSignedIn(
        *m_context, this, [this](std::unique_ptr<UserDatasets> datasets, const UserError &error) {
            m_opening = false;
            if (!m_context->session()->isSignedIn() || m_editor)
                return; // signed out meanwhile
            if (!datasets) {
                // AWS could not be reached or refused: work on the local data of the identity this device
                // knows, if any; the identity panel shows the credential problem with its advice and Retry.
                UserError localError;
                if (error.code.startsWith(QStringLiteral("aws.")) || isServiceUnreachable(error))
                    datasets = UserDatasets::openLastIdentity(*m_context, &localError);
                if (!datasets) {
                    if (!error.code.startsWith(QStringLiteral("aws."))) {
                        m_ui->storageNotice->setText(error.text());
                        m_ui->storageNotice->setVisible(true);
                    }
                    statusBar()->showMessage(tr("Datasets unavailable"));
                    return;
                }
            }
            showEditor(std::move(datasets));
            m_sync->syncNow(); // what other devices wrote shows without waiting for the periodic sync
        });
}

void MainWindow::showEditor(std::unique_ptr<UserDatasets> datasets)
{
    m_datasets = std::move(datasets);
    m_sync = std::make_unique<SyncController>(m_datasets->store(), m_datasets->engine());
    m_sync->setInterval(SyncController::DefaultIntervalMs);
    connect(m_sync.get(), &SyncController::finished, this, &MainWindow::releaseMemory);
    connect(m_sync.get(), &SyncController::resumeRequested, this, [this] {
        if (m_workingOffline && m_context->session()->state() == SignInState::State::SignedOut)
            m_context->session()->restore(); // the provider may answer again
    });
    m_editor = new DatasetEditor(*m_sync, m_ui->signedInPage);
    m_ui->signedInLayout->removeItem(m_ui->signedInSpacer);
    m_ui->signedInLayout->addWidget(m_editor, 1);
    connect(m_editor, &DatasetEditor::statusMessage, this,
            [this](const QString &text) { statusBar()->showMessage(text); });
    statusBar()->showMessage(m_editor->findChild<QLabel *>(QStringLiteral("syncStatus"))->text());
    Q_EMIT datasetsOpened();
}

bool MainWindow::openOffline(const UserError &reason)
{
    if (!m_context || !m_context->cognito() || m_editor)
        return m_editor != nullptr;
    UserError error;
    std::unique_ptr<UserDatasets> datasets = UserDatasets::openLastIdentity(*m_context, &error);
    if (!datasets) {
        qCInfo(lcUi) << "no local data to work on offline:" << error.code;
        return false;
    }
    m_workingOffline = true;
    showEditor(std::move(datasets));
    m_sync->suspend(reason); // until the sign-in succeeds (retried at the controller's offline pace)
    updateAccountView();
    return true;
}

void MainWindow::restoreFailed(const UserError &reason)
{
    if (reason.code == errorcode::SessionNone) {
        updateAccountView(); // first start: the user chooses when to sign in
        return;
    }
    if (isServiceUnreachable(reason) && (m_workingOffline || openOffline(reason))) {
        m_sync->suspend(reason);
        updateAccountView();
        return;
    }
    if (m_workingOffline) {
        // The provider answered and refused the saved sign-in: the local data stays, signing in is needed.
        closeDatasets();
        m_workingOffline = false;
    }
    signIn(reason);
}

void MainWindow::closeDatasets()
{
    if (m_editor) {
        delete m_editor;
        m_ui->signedInLayout->addItem(m_ui->signedInSpacer);
    }
    m_sync.reset();
    m_datasets.reset();
    m_workingOffline = false;
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
    // A keychain write or removal still under way (a sign-out just now) finishes first: quitting in the
    // middle would leave the signed-out user's refresh token in the keychain, or lose a rotated one.
    if (m_context && !m_keychainIdle) {
        event->ignore();
        m_context->session()->whenIdle(deliveredLater(this, [this] {
            m_keychainIdle = true;
            close();
        }));
        return;
    }
    QMainWindow::closeEvent(event);
}

IdentityPanel *MainWindow::identityPanel() const
{
    return m_identity;
}

bool MainWindow::isSigningIn() const
{
    return m_signInDialog || m_pageSignIn;
}

SignInPageProcess *MainWindow::signInPageProcess() const
{
    return m_pageProcess;
}

LoginDialog *MainWindow::loginWindow() const
{
    return m_login;
}

void MainWindow::updateAccountView()
{
    const SignInState *session = m_context ? m_context->session() : nullptr;
    const bool signedIn = session && session->isSignedIn();
    const bool restoring = session && (m_restorePending || session->state() == SignInState::State::Restoring);
    if (!signedIn && m_workingOffline) {
        m_ui->actionSignIn->setEnabled(false);
        m_ui->signInButton->setEnabled(false);
        m_ui->actionSignOut->setEnabled(true);
        m_ui->actionSignOutEverywhere->setEnabled(false);
        m_ui->pages->setCurrentWidget(m_ui->signedInPage);
        m_ui->userName->setText(tr("<h2>Working offline</h2>"));
        m_ui->userEmail->setText(
            tr("Your datasets on this computer; they are synchronized once %1 can be reached.")
                .arg(m_context->profile().auth0.domain));
        m_ui->userSub->setText(tr("User id: %1").arg(session->lastUserSubject()));
        m_ui->avatar->setPixmap(windowIcon().pixmap(64, 64));
        return;
    }
    m_ui->actionSignIn->setEnabled(m_context && !signedIn && !restoring && !m_pageSignIn);
    m_ui->signInButton->setEnabled(m_context && !signedIn && !restoring && !m_pageSignIn);
    m_ui->actionSignOut->setEnabled(signedIn);
    m_ui->actionSignOutEverywhere->setEnabled(signedIn);
    if (!signedIn) {
        m_ui->pages->setCurrentWidget(m_ui->signedOutPage);
        if (!m_pageSignIn)
            statusBar()->showMessage(restoring ? tr("Signing in…") : tr("Not signed in"));
        return;
    }
    const IdTokenClaims &claims = session->claims();
    m_ui->pages->setCurrentWidget(m_ui->signedInPage);
    m_ui->userName->setText(QStringLiteral("<h2>%1</h2>").arg(UserDisplay::name(claims).toHtmlEscaped()));
    m_ui->userEmail->setText(claims.email);
    m_ui->userSub->setText(tr("User id: %1").arg(claims.sub));
    m_ui->avatar->setPixmap(windowIcon().pixmap(64, 64));
    if (!claims.picture.isEmpty())
        loadPicture(QUrl(claims.picture));
    statusBar()->showMessage(tr("Signed in as %1").arg(UserDisplay::nameWithEmail(claims)));
}

void MainWindow::loadPicture(const QUrl &url)
{
    if (!m_avatar) {
        m_avatar = new AvatarFetch(m_context->network(), HttpCacheFile::picturesDirectory(), this);
        // Decoded and scaled on the fetcher's worker thread when large (a picture of up to a megabyte can
        // take longer than a frame), and kept at the size shown: the label scales what it holds at each
        // paint and caches that, and a provider's picture can be far larger than the 64 px it is drawn at.
        const qreal ratio = m_ui->avatar->devicePixelRatioF();
        const QSize shown = m_ui->avatar->maximumSize() * ratio;
        m_avatar->setPreparer([shown](const QByteArray &image) {
            QImage picture;
            if (!picture.loadFromData(image))
                return QVariant();
            if (picture.width() > shown.width() || picture.height() > shown.height())
                picture = picture.scaled(shown, Qt::KeepAspectRatio, Qt::SmoothTransformation);
            return QVariant::fromValue(picture);
        });
        connect(m_avatar, &AvatarFetch::prepared, this, [this, ratio](const QVariant &prepared) {
            const QImage picture = prepared.value<QImage>();
            if (picture.isNull())
                return; // not an image Qt reads: the window icon stays in its place
            QPixmap pixmap = QPixmap::fromImage(picture);
            pixmap.setDevicePixelRatio(ratio);
            m_ui->avatar->setPixmap(pixmap);
        });
    }
    m_avatar->fetch(url); // on failure the window icon stays in its place
}

void MainWindow::startSilentSignIn()
{
    if (!m_context || m_restorePending)
        return;
    SignInState *session = m_context->session();
    connect(session, &SignInState::restoreFailed, this, &MainWindow::restoreFailed, Qt::UniqueConnection);
    // The window says "Signing in…" at once; the work (the keychain over D-Bus and libsecret, the session
    // lock, a token refresh, then SQLite and the network) starts once the window is on screen, so the
    // user sees it first (docs/PERFORMANCE.md, startup).
    m_restorePending = true;
    updateAccountView();
    whenOnScreen([this] {
        m_restorePending = false;
        m_context->session()->restore();
    });
}

void MainWindow::whenOnScreen(std::function<void()> work)
{
    m_whenOnScreen.push_back(std::move(work));
    if (m_whenOnScreen.size() > 1)
        return;
    if (m_painted || !isVisible()) {
        QMetaObject::invokeMethod(this, &MainWindow::runWhenOnScreen, Qt::QueuedConnection);
        return;
    }
    // Shown but not painted yet: after the first paint (see event()), or after a while if the window
    // system never exposes it (minimized at start, say).
    QTimer::singleShot(OnScreenFallbackMs, this, &MainWindow::runWhenOnScreen);
}

void MainWindow::runWhenOnScreen()
{
    std::vector<std::function<void()>> work;
    work.swap(m_whenOnScreen);
    for (const std::function<void()> &step : work)
        step();
}

bool MainWindow::event(QEvent *event)
{
    const bool handled = QMainWindow::event(event);
    if (event->type() == QEvent::Paint && !m_painted) {
        m_painted = true;
        if (!m_whenOnScreen.empty()) // on the next turn of the event loop, once this frame is out
            QMetaObject::invokeMethod(this, &MainWindow::runWhenOnScreen, Qt::QueuedConnection);
    }
    return handled;
}

void MainWindow::signIn(const UserError &explanation)
{
    if (!m_context || isSigningIn())
        return;
    auto *flow = new SignInFlow(m_context->session(), this);
    if (m_context->profile().auth0.browser == Auth0Settings::BrowserMode::System) {
        auto *dialog = new SystemBrowserDialog(flow, m_openUrl, explanation, this);
        m_signInDialog = dialog;
    } else if (!m_signInPageProgram.isEmpty()) {
        signInInPageProcess(flow, explanation);
        return;
    } else {
        // WebEngine is loaded here, the first time a page is shown.
        UserError problem;
        LoginWindowFactory *factory = loadLoginWindowFactory(&problem);
        if (!factory) {
            delete flow;
            m_ui->signedOutHint->setText(problem.text());
            statusBar()->showMessage(problem.what);
            Q_EMIT signInFinished(false);
            return;
        }
        m_login = factory->createLoginWindow(flow, m_context->profile(), explanation, this);
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

void MainWindow::signInInPageProcess(SignInFlow *flow, const UserError &explanation)
{
    delete m_pageProcess; // the last sign-in's, its process long gone
    m_pageProcess = new SignInPageProcess(flow, m_context->profile(), explanation, m_signInPageProgram, this);
    m_pageProcess->setParentWindow(quint64(winId())); // the page's window stays above this one
    m_pageSignIn = true;
    const QString hint = m_ui->signedOutHint->text();
    connect(m_pageProcess, &SignInPageProcess::pageLoaded, this, [this](bool ok) {
        if (ok && m_pageSignIn)
            statusBar()->showMessage(tr("Sign in in the window that opened"));
    });
    // The page keeps its window open on a refused sign-in (Try again); this window says it too.
    connect(m_pageProcess, &SignInPageProcess::attemptFailed, this, [this](const UserError &error) {
        m_ui->signedOutHint->setText(error.text());
        statusBar()->showMessage(error.what);
    });
    connect(m_pageProcess, &SignInPageProcess::finished, this,
            [this, flow, hint](bool signedIn, const UserError &problem) {
                m_pageSignIn = false;
                flow->deleteLater();
                QTimer::singleShot(0, this, &MainWindow::releaseMemory); // after this turn of the event loop
                m_ui->signedOutHint->setText(problem.isError() ? problem.text() : hint);
                updateAccountView();
                if (problem.isError())
                    statusBar()->showMessage(problem.what);
                Q_EMIT signInFinished(signedIn);
            });
    m_ui->signedOutHint->setText(tr("The sign-in page is open in its own window. Closing that window "
                                    "cancels the sign-in."));
    updateAccountView();
    statusBar()->showMessage(tr("Opening the sign-in page…"));
    m_pageProcess->start();
}

void MainWindow::releaseMemory()
{
    if (!lcUi().isDebugEnabled())
        return releaseFreedHeap();
    QElapsedTimer timer;
    timer.start();
    const long before = residentKb();
    releaseFreedHeap();
    qCDebug(lcUi) << "gave" << before - residentKb() << "kB of freed heap back to the system in"
                  << timer.nsecsElapsed() / 1000 << "us";
}

void MainWindow::confirmSignOut(bool everywhere)
{
    if (!m_context)
        return;
    const int pending = m_sync ? m_sync->pendingChanges() : 0;
    if (pending > 0 && !m_sync->isSuspended() && m_askPendingEdits) {
        // Unsent edits first: deleting the local data would lose them, so that choice is not offered here.
        m_askPendingEdits(this, pending, [this, everywhere](PendingEditsChoice choice) {
            if (choice == PendingEditsChoice::SignOutAnyway)
                return signOut(everywhere, false);
            if (choice != PendingEditsChoice::SyncFirst || !m_sync)
                return;
            // Once the run ends: signed out if everything went, asked again if anything is still pending.
            connect(
                m_sync.get(), &SyncController::finished, this,
                [this, everywhere] {
                    if (m_sync && m_sync->pendingChanges() > 0)
                        confirmSignOut(everywhere);
                    else
                        signOut(everywhere, false);
                },
                Qt::SingleShotConnection);
            if (!m_sync->isSyncing())
                m_sync->syncNow();
        });
        return;
    }
    m_signOutPrompt(this, everywhere,
                    [this, guard = QPointer<MainWindow>(this), everywhere](bool confirmed, bool forgetData) {
                        if (guard && confirmed)
                            signOut(everywhere, forgetData);
                    });
}

void MainWindow::signOut(bool everywhere, bool forgetData)
{
    if (!m_context)
        return;
    if (forgetData)
        closeDatasets(); // the store's files are about to go
    if (m_avatar)
        m_avatar->cancel(); // a picture still coming is not kept after the sign-out deletes the kept ones
    m_ui->storageNotice->setVisible(false);
    auto *operation = new SignOut(*m_context, {everywhere, forgetData, {}}, this);
    connect(operation, &SignOut::signedOutLocally, this, [this, everywhere](const QUrl &logout) {
        // The embedded window's cookies died with its private profile; the provider's own session (and the
        // upstream one, for "everywhere") ends in the browser that holds it.
        if (everywhere || m_context->profile().auth0.browser == Auth0Settings::BrowserMode::System)
            m_openUrl(logout);
        updateAccountView();
    });
    connect(operation, &SignOut::finished, this, [this, operation](const SignOut::Outcome &outcome) {
        operation->deleteLater();
        QStringList notes;
        if (outcome.hadRefreshToken && !outcome.revoked)
            notes << tr("You are signed out on this computer, but the sign-in could not be revoked at the "
                        "identity provider (%1). It stays valid there until it expires.")
                         .arg(outcome.revokeProblem.what);
        if (outcome.dataProblem.isError())
            notes << outcome.dataProblem.text();
        if (!notes.isEmpty())
            statusBar()->showMessage(notes.join(QLatin1Char(' ')));
        Q_EMIT signOutFinished();
    });
    operation->start();
}

void MainWindow::showProblem(const UserError &problem)
{
    m_ui->signedOutHint->setText(
        tr("This profile cannot be used: %1\nFix it under File > Profiles…").arg(problem.text()));
}

void MainWindow::showAbout()
{
    auto *about = new AboutDialog(this);
    about->setAttribute(Qt::WA_DeleteOnClose);
    about->open();
}

} // namespace fedsync::ui

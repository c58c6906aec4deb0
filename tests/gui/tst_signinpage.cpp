// The embedded sign-in page in its own process, as the desktop app runs it: the main window (in this
// process) starts `fedsync --sign-in-page`, whose login window (real Qt WebEngine under Xvfb) shows the
// sandbox's Universal Login look-alike. The test signs in with the keyboard only (xdotool: focus the
// page's window, type, Tab, Return), then checks what the user relies on: the main window is signed in,
// the refresh token is in gnome-keyring, the token exchange is in this process's flow trace, the page's
// process is gone, and this process never mapped WebEngine. The bad days: Escape closes the page and
// cancels; a page process that dies or cannot start is explained in the main window; on an 800x600
// screen (a second Xvfb) the window fits and works; a token exchange the provider refuses after the page
// is explained (window, then main window or CLI), stores nothing, and can be tried again.
#include "config/appidentity.h"
#include "guitestmain.h"
#include "clilogin.h"
#include "keychainpeek.h"
#include "mainwindow.h"
#include "sandbox.h"
#include "secrets/keychainsecretstore.h"
#include "session/profilecontext.h"
#include "session/signinstate.h"
#include "testenvironment.h"
#include "trace/flowtrace.h"
#include "usecases/signinpageprocess.h"
#include "xkeyboard.h"
#include "xscreen.h"

#include <QAction>
#include <QProcess>
#include <QScopeGuard>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>

#include <xcb/xcb.h>

#include <csignal>

using namespace fedsync;
using namespace fedsync::test;
using namespace fedsync::ui;

namespace {

// How many WebEngine, Quick or QML libraries process `pid` (0: this one) has mapped.
int webEngineLibrariesMapped(qint64 pid = 0)
{
    QFile maps(pid ? QStringLiteral("/proc/%1/maps").arg(pid) : QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        return -1;
    int count = 0;
    for (const QByteArray &line : maps.readAll().split('\n'))
        if (line.contains("libQt6WebEngine") || line.contains("libQt6Quick") || line.contains("libQt6Qml"))
            ++count;
    return count;
}

// The window a top-level X window says it belongs to (its WM_TRANSIENT_FOR property), 0 when none.
quint64 transientFor(quint64 window)
{
    xcb_connection_t *connection = xcb_connect(nullptr, nullptr);
    quint64 owner = 0;
    if (!xcb_connection_has_error(connection)) {
        const xcb_get_property_cookie_t cookie = xcb_get_property(
            connection, 0, xcb_window_t(window), XCB_ATOM_WM_TRANSIENT_FOR, XCB_ATOM_WINDOW, 0, 1);
        if (xcb_get_property_reply_t *reply = xcb_get_property_reply(connection, cookie, nullptr)) {
            if (xcb_get_property_value_length(reply) == 4)
                owner = *static_cast<const xcb_window_t *>(xcb_get_property_value(reply));
            free(reply);
        }
    }
    xcb_disconnect(connection);
    return owner;
}

// The signed-out page's hint: what the main window tells about the sign-in.
QString signedOutHint(const QWidget &window)
{
    return window.findChild<QLabel *>(QStringLiteral("signedOutHint"))->text();
}

} // namespace

class TestSignInPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void theDesktopAppSignsInThroughItsPageProcess();
    void theCliSignsInThroughThePage();
    void theWindowFitsASmallScreen();
    void aRefusedTokenExchangeIsExplained();
    void aRefusedTokenExchangeIsTriedAgainFromThePage();
    void theCliExplainsARefusedTokenExchange();
    void signsInWithTheKeyboardInThePageProcess();
    void escapeClosesThePageAndCancels();
    void thePageBelongsToTheAppsWindow();
    void aPageProcessThatDiesIsExplained();
    void aMissingPageProgramIsExplained();

private:
    struct Window
    {
        std::unique_ptr<ProfileContext> context;
        std::unique_ptr<MainWindow> window;
    };
    Window openWindow(const QString &program);
    // `fedsync-cli login --browser embedded`, started; the page process's pid once its window is there
    // (and the page had time to arrive), 0 if it did not come.
    qint64 startCliLogin(QProcess &cli);
    // The provider's token endpoint down (503, until the faults are cleared), fedsync-cli started and the
    // user signed in on the page; returns once every attempt of the exchange (three) was refused and the
    // failure had time to reach the window: the page process's pid, 0 if something did not happen.
    qint64 cliSignInRefused(QProcess &cli);
    // Starts the sign-in and waits for the page to arrive in the page process's window; its X window.
    QString openPage(MainWindow &window);

    Sandbox m_sandbox;
    std::unique_ptr<KeychainSecretStore> m_keychain;
};

void TestSignInPage::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS") || qEnvironmentVariableIsEmpty("DISPLAY"))
        QSKIP("Needs Xvfb and a D-Bus session with gnome-keyring: run through scripts/test");
    fedsync::applyApplicationIdentity();
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_keychain = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
}

TestSignInPage::Window TestSignInPage::openWindow(const QString &program)
{
    Window w;
    UserError error;
    w.context = ProfileContext::create(m_sandbox.profile(), m_keychain.get(), &error);
    if (!w.context)
        qWarning() << error.text();
    w.window = std::make_unique<MainWindow>(w.context.get());
    w.window->setSignInPageProgram(program);
    w.window->show();
    return w;
}

QString TestSignInPage::openPage(MainWindow &window)
{
    window.signIn();
    SignInPageProcess *page = window.signInPageProcess();
    if (!page)
        return {};
    QSignalSpy loaded(page, &SignInPageProcess::pageLoaded);
    if (!loaded.wait(60000) || !loaded.first().first().toBool())
        return {};
    return xkeyboard::findWindow(page->processId(), QStringLiteral("Sign in to"));
}

// The real `fedsync`, keyboard only: Account > Sign in… (Alt+A, S), then the page, which is another
// process's window; the app ends signed in without ever mapping WebEngine.
void TestSignInPage::theDesktopAppSignsInThroughItsPageProcess()
{
    // The profile file's CA was already accepted (fedsync-cli asks once, and so would the window).
    const CliRun first = runCli({QStringLiteral("--profile-file"), m_sandbox.profileFile(), QStringLiteral("whoami")});
    QVERIFY2(first.err.contains(QStringLiteral("certificate")), qPrintable(first.err));

    QProcess app;
    app.setProcessChannelMode(QProcess::ForwardedChannels);
    app.start(binDir() + QStringLiteral("/fedsync"), {QStringLiteral("--profile-file"), m_sandbox.profileFile()});
    QVERIFY(app.waitForStarted(10000));
    const auto quit = [&app] { stopProcess(app); };
    const auto quitAnyway = qScopeGuard(quit);

    // Nobody is signed in with this profile yet: the window offers the sign-in.
    const qint64 pagePid = xkeyboard::signInThroughPage(app.processId(), m_sandbox.user(0, "username"),
                                                        m_sandbox.user(0, "password"));
    QVERIFY2(pagePid > 0, qPrintable(xkeyboard::errorString()));
    QVERIFY2(pagePid != app.processId(), "the page is in the app's own process");

    // Signed in: the app stored the session in gnome-keyring; the page process is gone; the app never
    // mapped WebEngine.
    QTRY_VERIFY_WITH_TIMEOUT(
        !keychainpeek::sessionEntry(m_sandbox, m_sandbox.profileFile(), 0).value(QStringLiteral("refresh_token")).toString().isEmpty(),
        60000);
    QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(pagePid), 0) != 0, 15000);
    QCOMPARE(webEngineLibrariesMapped(app.processId()), 0);
    QCOMPARE(app.state(), QProcess::Running);

    // The next tests start signed out.
    quit();
    const CliRun logout = runCli({QStringLiteral("--profile-file"), m_sandbox.profileFile(), QStringLiteral("logout")});
    QVERIFY2(logout.exitCode == 0, qPrintable(logout.err));
    QVERIFY(keychainpeek::sessionEntry(m_sandbox, m_sandbox.profileFile(), 0).isEmpty());
}

// `fedsync-cli login --browser embedded`: the CLI runs the sign-in, the page is the same page process's
// window; the CLI says who signed in, and the session is in gnome-keyring for the next command.
void TestSignInPage::theCliSignsInThroughThePage()
{
    QProcess cli;
    const qint64 pagePid = startCliLogin(cli);
    QVERIFY2(pagePid > 0, qPrintable(xkeyboard::errorString()));
    QVERIFY(pagePid != cli.processId());
    QVERIFY2(xkeyboard::typeCredentials(pagePid, m_sandbox.user(0, "username"), m_sandbox.user(0, "password")),
             qPrintable(xkeyboard::errorString()));
    QVERIFY2(cli.waitForFinished(60000), "fedsync-cli login did not finish");
    const QString out = QString::fromUtf8(cli.readAllStandardOutput());
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    QVERIFY2(cli.exitCode() == 0, qPrintable(err));
    QVERIFY2(out.contains(QStringLiteral("Signed in as %1").arg(m_sandbox.user(0, "name"))), qPrintable(out));
    QVERIFY(!keychainpeek::sessionEntry(m_sandbox, m_sandbox.profileFile(), 0).value(QStringLiteral("refresh_token")).toString().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(pagePid), 0) != 0, 15000);

    const CliRun whoami = runCli({QStringLiteral("--profile-file"), m_sandbox.profileFile(), QStringLiteral("whoami")});
    QVERIFY2(whoami.exitCode == 0 && whoami.out.contains(m_sandbox.user(0, "sub")), qPrintable(whoami.out + whoami.err));
    const CliRun logout = runCli({QStringLiteral("--profile-file"), m_sandbox.profileFile(), QStringLiteral("logout")});
    QVERIFY2(logout.exitCode == 0, qPrintable(logout.err));
}

qint64 TestSignInPage::startCliLogin(QProcess &cli)
{
    cli.start(binDir() + QStringLiteral("/fedsync-cli"),
              {QStringLiteral("--profile-file"), m_sandbox.profileFile(), QStringLiteral("login"),
               QStringLiteral("--browser"), QStringLiteral("embedded")});
    if (!cli.waitForStarted(10000))
        return 0;
    const qint64 pagePid = xkeyboard::windowOwner(QStringLiteral("Sign in to"));
    QTest::qWait(3000); // the page arrives
    return pagePid;
}

qint64 TestSignInPage::cliSignInRefused(QProcess &cli)
{
    if (!m_sandbox.addFault(QStringLiteral("oidc"), QStringLiteral("token"), QStringLiteral("http503"), 100))
        return 0;
    const qint64 since = m_sandbox.requestLogEnd();
    const qint64 pagePid = startCliLogin(cli);
    if (pagePid <= 0 ||
        !xkeyboard::typeCredentials(pagePid, m_sandbox.user(0, "username"), m_sandbox.user(0, "password")))
        return 0;
    if (!QTest::qWaitFor([&] { return m_sandbox.operationsSince(since).count(QStringLiteral("token")) >= 3; }, 30000))
        return 0;
    QTest::qWait(1500); // the failure reaches the window
    return pagePid;
}

// An 800x600 screen (a second Xvfb; the page process, started by fedsync-cli, shows its window there):
// the whole window is on screen, its Cancel included, and the page still works with the keyboard only.
void TestSignInPage::theWindowFitsASmallScreen()
{
    XScreen screen;
    QVERIFY2(screen.start(QSize(800, 600)), qPrintable(screen.errorString()));
    const DisplayOverride onSmallScreen(screen.display()); // for fedsync-cli, its page process and xdotool

    QProcess cli;
    const qint64 pagePid = startCliLogin(cli);
    QVERIFY2(pagePid > 0, qPrintable(xkeyboard::errorString()));
    const QString window = xkeyboard::findWindow(pagePid, QStringLiteral("Sign in to"));
    QVERIFY2(!window.isEmpty(), qPrintable(xkeyboard::errorString()));
    const QRect onScreen = xkeyboard::geometry(window);
    QVERIFY2(QRect(0, 0, 800, 600).contains(onScreen),
             qPrintable(QStringLiteral("the sign-in window is at %1,%2 %3x%4 on an 800x600 screen")
                            .arg(onScreen.x()).arg(onScreen.y()).arg(onScreen.width()).arg(onScreen.height())));
    QVERIFY2(onScreen.width() >= 320 && onScreen.height() >= 360, "the window shrank below its minimum");

    QVERIFY2(xkeyboard::typeCredentials(pagePid, m_sandbox.user(0, "username"), m_sandbox.user(0, "password")),
             qPrintable(xkeyboard::errorString()));
    QVERIFY2(cli.waitForFinished(60000), "fedsync-cli login did not finish");
    const QString out = QString::fromUtf8(cli.readAllStandardOutput());
    QVERIFY2(cli.exitCode() == 0, qPrintable(QString::fromUtf8(cli.readAllStandardError())));
    QVERIFY2(out.contains(QStringLiteral("Signed in as %1").arg(m_sandbox.user(0, "name"))), qPrintable(out));
    QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(pagePid), 0) != 0, 15000);
    const CliRun logout = runCli({QStringLiteral("--profile-file"), m_sandbox.profileFile(), QStringLiteral("logout")});
    QVERIFY2(logout.exitCode == 0, qPrintable(logout.err));
}

// The user signs in on the page, then the app's token exchange is refused (the provider's token endpoint
// is down: the sandbox answers 503 every time). The page's window shows the failure and stays; Escape
// closes it and the main window says what happened and what to do; nothing reached the keychain. Once
// the provider is back, signing in again works.
void TestSignInPage::aRefusedTokenExchangeIsExplained()
{
    QVERIFY(m_sandbox.addFault(QStringLiteral("oidc"), QStringLiteral("token"), QStringLiteral("http503"), 100));
    const auto clearFaults = qScopeGuard([this] { m_sandbox.adminDelete(QStringLiteral("admin/faults")); });
    Window w = openWindow(binDir() + QStringLiteral("/fedsync"));
    QSignalSpy finished(w.window.get(), &MainWindow::signInFinished);
    QVERIFY2(!openPage(*w.window).isEmpty(), qPrintable(xkeyboard::errorString()));
    SignInPageProcess *page = w.window->signInPageProcess();
    QSignalSpy attemptFailed(page, &SignInPageProcess::attemptFailed);
    const qint64 pagePid = page->processId();
    QVERIFY2(xkeyboard::typeCredentials(pagePid, m_sandbox.user(0, "username"), m_sandbox.user(0, "password")),
             qPrintable(xkeyboard::errorString()));

    // The failure is what the page's window shows (the relay's tests check that it shows what it gets).
    QVERIFY(attemptFailed.wait(60000));
    const UserError error = attemptFailed.first().first().value<UserError>();
    QVERIFY2(error.what.contains(QStringLiteral("provider is not answering")), qPrintable(error.text()));
    QVERIFY2(error.why.contains(QStringLiteral("Nothing was stored")), qPrintable(error.text()));
    QVERIFY2(!error.text().contains(QStringLiteral("saved sign-in")), qPrintable(error.text())); // there is none
    QVERIFY2(error.action.contains(QStringLiteral("try again"), Qt::CaseInsensitive), qPrintable(error.text()));
    QTest::qWait(1000);
    QCOMPARE(finished.count(), 0); // the window stays, with its Try again
    QVERIFY(page->isRunning());
    QVERIFY(!xkeyboard::findWindow(pagePid, QStringLiteral("Sign in to"), 1000).isEmpty());
    SignInState *session = w.context->session();
    QVERIFY(!session->isSignedIn());
    QVERIFY(!keychainpeek::lookup(session->secretKey(m_sandbox.user(0, "sub"))).has_value());
    // The main window says it too while the page offers Try again.
    const QString during = signedOutHint(*w.window);
    QVERIFY2(during.contains(error.what) && during.contains(error.action), qPrintable(during));

    // Escape closes the window; the main window keeps the failure in view.
    QVERIFY2(!xkeyboard::focusWindow(pagePid, QStringLiteral("Sign in to")).isEmpty(), qPrintable(xkeyboard::errorString()));
    QVERIFY(xkeyboard::key(QStringLiteral("Escape")));
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().first().toBool(), false);
    const QString hint = signedOutHint(*w.window);
    QVERIFY2(hint.contains(error.what) && hint.contains(error.action), qPrintable(hint));
    QVERIFY(w.window->findChild<QPushButton *>(QStringLiteral("signInButton"))->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(pagePid), 0) != 0, 15000);
    QVERIFY(!session->isSignedIn());
    QVERIFY(!keychainpeek::lookup(session->secretKey(m_sandbox.user(0, "sub"))).has_value());

    // The provider is back: the next sign-in goes through.
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    finished.clear();
    QVERIFY2(!openPage(*w.window).isEmpty(), qPrintable(xkeyboard::errorString()));
    QVERIFY2(xkeyboard::typeCredentials(w.window->signInPageProcess()->processId(), m_sandbox.user(0, "username"),
                                        m_sandbox.user(0, "password")),
             qPrintable(xkeyboard::errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(finished.first().first().toBool(), true);
    QVERIFY(session->isSignedIn());
    QTRY_VERIFY_WITH_TIMEOUT(keychainpeek::lookup(session->secretKey(m_sandbox.user(0, "sub"))).has_value(), 10000);
    w.window->signOut(false);
    QTRY_VERIFY_WITH_TIMEOUT(!keychainpeek::lookup(session->secretKey(m_sandbox.user(0, "sub"))).has_value(), 10000);
}

// The same failure with fedsync-cli: the window shows it with the keyboard on Try again; once the
// provider is back, Return tries again in the same window (the provider still knows the user: no
// second password) and the CLI ends signed in.
void TestSignInPage::aRefusedTokenExchangeIsTriedAgainFromThePage()
{
    const auto clearFaults = qScopeGuard([this] { m_sandbox.adminDelete(QStringLiteral("admin/faults")); });
    QProcess cli;
    const qint64 pagePid = cliSignInRefused(cli);
    QVERIFY2(pagePid > 0, qPrintable(xkeyboard::errorString()));
    QCOMPARE(cli.state(), QProcess::Running); // the window is still open, showing it
    // The terminal says it at once, not only when the window closes.
    cli.setReadChannel(QProcess::StandardError);
    QTRY_VERIFY_WITH_TIMEOUT(
        QString::fromUtf8(cli.peek(1 << 20)).contains(QStringLiteral("Try again in the sign-in window")), 10000);
    QVERIFY(QString::fromUtf8(cli.peek(1 << 20)).contains(QStringLiteral("Nothing was stored")));
    cli.setReadChannel(QProcess::StandardOutput);
    QVERIFY(keychainpeek::sessionEntry(m_sandbox, m_sandbox.profileFile(), 0).isEmpty());

    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    QVERIFY2(!xkeyboard::focusWindow(pagePid, QStringLiteral("Sign in to")).isEmpty(), qPrintable(xkeyboard::errorString()));
    QVERIFY(xkeyboard::key(QStringLiteral("Return")));
    QVERIFY2(cli.waitForFinished(60000), "fedsync-cli login did not finish after Try again");
    const QString out = QString::fromUtf8(cli.readAllStandardOutput());
    QVERIFY2(cli.exitCode() == 0, qPrintable(QString::fromUtf8(cli.readAllStandardError())));
    QVERIFY2(out.contains(QStringLiteral("Signed in as %1").arg(m_sandbox.user(0, "name"))), qPrintable(out));
    QVERIFY(!keychainpeek::sessionEntry(m_sandbox, m_sandbox.profileFile(), 0).value(QStringLiteral("refresh_token")).toString().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(pagePid), 0) != 0, 15000);
    const CliRun logout = runCli({QStringLiteral("--profile-file"), m_sandbox.profileFile(), QStringLiteral("logout")});
    QVERIFY2(logout.exitCode == 0, qPrintable(logout.err));
}

// fedsync-cli, the window closed with Escape on the failure: the CLI says what went wrong (not that the
// window was closed before you signed in: you did sign in on the page) and stores nothing.
void TestSignInPage::theCliExplainsARefusedTokenExchange()
{
    const auto clearFaults = qScopeGuard([this] { m_sandbox.adminDelete(QStringLiteral("admin/faults")); });
    QProcess cli;
    const qint64 pagePid = cliSignInRefused(cli);
    QVERIFY2(pagePid > 0, qPrintable(xkeyboard::errorString()));
    QVERIFY2(!xkeyboard::focusWindow(pagePid, QStringLiteral("Sign in to")).isEmpty(), qPrintable(xkeyboard::errorString()));
    QVERIFY(xkeyboard::key(QStringLiteral("Escape")));
    QVERIFY2(cli.waitForFinished(30000), "fedsync-cli login did not finish after Escape");
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    QVERIFY(cli.exitCode() != 0);
    QVERIFY2(err.contains(QStringLiteral("provider is not answering")), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("Nothing was stored")), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("Try again"), Qt::CaseInsensitive), qPrintable(err));
    QVERIFY2(!err.contains(QStringLiteral("closed before you signed in")), qPrintable(err));
    QVERIFY(keychainpeek::sessionEntry(m_sandbox, m_sandbox.profileFile(), 0).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(pagePid), 0) != 0, 15000);
}

void TestSignInPage::signsInWithTheKeyboardInThePageProcess()
{
    Window w = openWindow(binDir() + QStringLiteral("/fedsync"));
    QVERIFY(w.context);
    QSignalSpy finished(w.window.get(), &MainWindow::signInFinished);
    const QString pageWindow = openPage(*w.window);
    QVERIFY2(!pageWindow.isEmpty(), qPrintable(xkeyboard::errorString()));
    QVERIFY(!w.window->loginWindow()); // not in this process
    auto *signInButton = w.window->findChild<QPushButton *>(QStringLiteral("signInButton"));
    QVERIFY(signInButton && !signInButton->isEnabled()); // one sign-in at a time
    const qint64 pagePid = w.window->signInPageProcess()->processId();

    // Keyboard only: typing goes straight into the page's username field (the window gives the page the
    // focus, not its Cancel button). The test gives the window the input focus (no window manager here)
    // and waits a moment, as a person looks before typing.
    QVERIFY2(!xkeyboard::focusWindow(pagePid, QStringLiteral("Sign in to")).isEmpty(), qPrintable(xkeyboard::errorString()));
    QTest::qWait(500);
    QVERIFY(xkeyboard::type(m_sandbox.user(0, "username")));

    QVERIFY(xkeyboard::key(QStringLiteral("Tab")));
    QVERIFY(xkeyboard::type(m_sandbox.user(0, "password")));
    QVERIFY(xkeyboard::key(QStringLiteral("Return")));

    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(finished.first().first().toBool(), true);
    SignInState *session = w.context->session();
    QVERIFY(session->isSignedIn());
    QCOMPARE(session->claims().sub, m_sandbox.user(0, "sub"));
    auto *name = w.window->findChild<QLabel *>(QStringLiteral("userName"));
    QVERIFY2(name->text().contains(m_sandbox.user(0, "name")), qPrintable(name->text()));

    // The code was exchanged here, by this process's flow (the page process only saw the redirect).
    bool exchanged = false;
    for (const TraceEvent &event : w.context->trace()->events())
        exchanged = exchanged || (event.service == QStringLiteral("auth0") && event.operation == QStringLiteral("token") && event.ok);
    QVERIFY(exchanged);
    // The refresh token is in gnome-keyring.
    QTRY_VERIFY_WITH_TIMEOUT(keychainpeek::lookup(session->secretKey(m_sandbox.user(0, "sub"))).has_value(), 10000);

    // The page's process closes itself, taking WebEngine with it; this process never mapped it.
    QTRY_VERIFY_WITH_TIMEOUT(!w.window->signInPageProcess()->isRunning(), 15000);
    QVERIFY2(::kill(pid_t(pagePid), 0) != 0, "the page process is still there");
    QCOMPARE(webEngineLibrariesMapped(), 0);

    w.window->signOut(false);
    QTRY_VERIFY_WITH_TIMEOUT(!keychainpeek::lookup(session->secretKey(m_sandbox.user(0, "sub"))).has_value(), 10000);
}

void TestSignInPage::escapeClosesThePageAndCancels()
{
    Window w = openWindow(binDir() + QStringLiteral("/fedsync"));
    QSignalSpy finished(w.window.get(), &MainWindow::signInFinished);
    auto *hint = w.window->findChild<QLabel *>(QStringLiteral("signedOutHint"));
    const QString idleHint = hint->text();
    const QString pageWindow = openPage(*w.window);
    QVERIFY2(!pageWindow.isEmpty(), qPrintable(xkeyboard::errorString()));
    QVERIFY2(hint->text().contains(QStringLiteral("own window")), qPrintable(hint->text()));

    QVERIFY2(!xkeyboard::focusWindow(w.window->signInPageProcess()->processId(), QStringLiteral("Sign in to")).isEmpty(),
             qPrintable(xkeyboard::errorString()));
    QVERIFY(xkeyboard::key(QStringLiteral("Escape")));
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY(!w.context->session()->isSignedIn());
    // Back where the user started: no error, the sign-in offered again.
    QCOMPARE(hint->text(), idleHint);
    QVERIFY(w.window->findChild<QPushButton *>(QStringLiteral("signInButton"))->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!w.window->signInPageProcess()->isRunning(), 15000);
}

// The page's window is another process's: a window manager's focus-stealing prevention may open it behind
// the app. It says it belongs to the app's window (WM_TRANSIENT_FOR), so window managers put it above the
// app and keep it there, as a dialog of the app.
void TestSignInPage::thePageBelongsToTheAppsWindow()
{
    Window w = openWindow(binDir() + QStringLiteral("/fedsync"));
    QSignalSpy finished(w.window.get(), &MainWindow::signInFinished);
    const QString pageWindow = openPage(*w.window);
    QVERIFY2(!pageWindow.isEmpty(), qPrintable(xkeyboard::errorString()));
    QCOMPARE(transientFor(pageWindow.toULongLong()), quint64(w.window->winId()));
    QVERIFY2(!xkeyboard::focusWindow(w.window->signInPageProcess()->processId(), QStringLiteral("Sign in to")).isEmpty(),
             qPrintable(xkeyboard::errorString()));
    QVERIFY(xkeyboard::key(QStringLiteral("Escape")));
    QVERIFY(finished.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(!w.window->signInPageProcess()->isRunning(), 15000);
}

void TestSignInPage::aPageProcessThatDiesIsExplained()
{
    Window w = openWindow(binDir() + QStringLiteral("/fedsync"));
    QSignalSpy finished(w.window.get(), &MainWindow::signInFinished);
    const QString pageWindow = openPage(*w.window);
    QVERIFY2(!pageWindow.isEmpty(), qPrintable(xkeyboard::errorString()));
    QCOMPARE(::kill(pid_t(w.window->signInPageProcess()->processId()), SIGKILL), 0);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().first().toBool(), false);
    const QString hint = signedOutHint(*w.window);
    QVERIFY2(hint.contains(QStringLiteral("The sign-in window closed unexpectedly")), qPrintable(hint));
    QVERIFY2(hint.contains(QStringLiteral("crashed")), qPrintable(hint));
    QVERIFY2(hint.contains(QStringLiteral("Sign in again")), qPrintable(hint));
    QVERIFY(w.window->findChild<QPushButton *>(QStringLiteral("signInButton"))->isEnabled());
}

void TestSignInPage::aMissingPageProgramIsExplained()
{
    Window w = openWindow(QStringLiteral("/nonexistent/fedsync"));
    QSignalSpy finished(w.window.get(), &MainWindow::signInFinished);
    w.window->signIn();
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().first().toBool(), false);
    const QString hint = signedOutHint(*w.window);
    QVERIFY2(hint.contains(QStringLiteral("The sign-in window could not be opened")), qPrintable(hint));
    QVERIFY2(hint.contains(QStringLiteral("/nonexistent/fedsync")), qPrintable(hint));
    QVERIFY2(hint.contains(QStringLiteral("system")), qPrintable(hint));
}

FEDSYNC_GUI_TEST_MAIN(TestSignInPage)
#include "tst_signinpage.moc"

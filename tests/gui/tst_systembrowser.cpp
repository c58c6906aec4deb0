// Sign-in with `browser: system` (RFC 8252): the page goes to the system browser (here the scripted
// browser behind the URL-opener seam), the answer comes back to the loopback listener, and the main
// window is signed in, with no WebEngine started. Against the real sandbox and gnome-keyring.
#include "config/appidentity.h"
#include "guitestmain.h"
#include "mainwindow.h"
#include "sandbox.h"
#include "scriptedbrowser.h"
#include "secrets/keychainsecretstore.h"
#include "session/signinstate.h"
#include "session/profilecontext.h"
#include "session/signinflow.h"
#include "systembrowserdialog.h"
#include "usecases/systembrowsersignin.h"

#include <QSignalSpy>

using namespace fedsync;
using namespace fedsync::test;
using namespace fedsync::ui;

class TestSystemBrowser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void signsInThroughTheSystemBrowser();
    void cancelWhileWaiting();
    void notCompletedInTimeSaysSo();

private:
    Profile systemProfile() const;
    Sandbox m_sandbox;
    std::unique_ptr<KeychainSecretStore> m_keychain;
};

void TestSystemBrowser::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    applyApplicationIdentity();
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_keychain = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
}

Profile TestSystemBrowser::systemProfile() const
{
    Profile profile = m_sandbox.profile();
    profile.auth0.browser = Auth0Settings::BrowserMode::System;
    return profile;
}

void TestSystemBrowser::signsInThroughTheSystemBrowser()
{
    UserError error;
    auto context = ProfileContext::create(systemProfile(), m_keychain.get(), &error);
    QVERIFY2(context, qPrintable(error.text()));
    MainWindow window(context.get());
    QList<QUrl> opened;
    window.setUrlOpener([&opened](const QUrl &url) { opened << url; });
    window.show();
    QSignalSpy finished(&window, &MainWindow::signInFinished);
    window.signIn();
    QVERIFY(!window.loginWindow()); // no embedded window
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 10000);
    // The opener (xdg-open: a command line any local user can read) gets a one-time local address, not
    // the authorization URL with its state, nonce and PKCE challenge.
    QCOMPARE(opened.first().host(), QStringLiteral("127.0.0.1"));
    QVERIFY2(!opened.first().hasQuery(), qPrintable(opened.first().toString()));
    QVERIFY(!opened.first().toString().contains(QStringLiteral("state")));

    ScriptedBrowser browser(m_sandbox.caFile());
    const QUrl redirect = browser.login(opened.first(), m_sandbox.user(1, "username"), m_sandbox.user(1, "password"));
    QCOMPARE(redirect.scheme(), QStringLiteral("http"));
    QCOMPARE(redirect.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(browser.get(redirect), 200);
    QVERIFY(browser.lastPage().contains("You can close this tab"));

    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QCOMPARE(finished.first().first().toBool(), true);
    QCOMPARE(context->session()->claims().sub, m_sandbox.user(1, "sub"));

    // Sign out everywhere goes to the system browser too: Auth0's federated logout.
    window.signOut(true);
    QCOMPARE(opened.size(), 2);
    QVERIFY2(opened.last().toString().contains(QStringLiteral("/v2/logout?client_id=")), qPrintable(opened.last().toString()));
    QVERIFY(opened.last().toString().contains(QStringLiteral("federated")));
}

void TestSystemBrowser::cancelWhileWaiting()
{
    UserError error;
    auto context = ProfileContext::create(systemProfile(), m_keychain.get(), &error);
    MainWindow window(context.get());
    QList<QUrl> opened;
    window.setUrlOpener([&opened](const QUrl &url) { opened << url; });
    QSignalSpy finished(&window, &MainWindow::signInFinished);
    window.signIn();
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 10000);
    auto *dialog = window.findChild<SystemBrowserDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->message().contains(QStringLiteral("Continue in your web browser")));
    dialog->reject();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY(!context->session()->isSignedIn());
}

// The browser never answers: the dialog says so with the error fedsync-cli login gives (one
// SystemBrowserSignIn, one code).
void TestSystemBrowser::notCompletedInTimeSaysSo()
{
    UserError error;
    auto context = ProfileContext::create(systemProfile(), m_keychain.get(), &error);
    QVERIFY2(context, qPrintable(error.text()));
    SignInFlow flow(context->session());
    QList<QUrl> opened;
    SystemBrowserDialog dialog(&flow, [&opened](const QUrl &url) { opened << url; });
    dialog.signIn()->setTimeLimitMs(1500);
    dialog.show();
    dialog.start();
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.lastError().code, SystemBrowserSignIn::TimedOut, 10000);
    QVERIFY2(dialog.message().contains(QStringLiteral("not completed in time")),
             qPrintable(dialog.message()));
    QVERIFY(!context->session()->isSignedIn());
    dialog.reject();
}

FEDSYNC_GUI_TEST_MAIN(TestSystemBrowser)
#include "tst_systembrowser.moc"

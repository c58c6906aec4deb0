// The real login window (Qt WebEngine under Xvfb) against the sandbox's Universal Login look-alike: the
// test types into the page like a user, then checks the signed-in main window, the refresh token in
// gnome-keyring (read back with secret-tool), and that no secret reached the settings file. Also: a
// wrong password shows the provider's error in the page; Cancel; the provider down.
#include "config/appidentity.h"
#include "config/profile.h"
#include "guitestmain.h"
#include "keychainpeek.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "sandbox.h"
#include "secrets/keychainsecretstore.h"
#include "session/signinstate.h"
#include "session/profilecontext.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QImage>
#include <QLabel>
#include <QProcess>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>

using namespace fedsync;
using namespace fedsync::test;
using namespace fedsync::ui;

class TestLoginWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void signsInThroughTheEmbeddedPage();
    void wrongPasswordShowsProviderError();
    void cancelClosesWithoutSigningIn();
    void providerDownShowsReadableError();

private:
    bool fillAndSubmit(LoginDialog *login, const QString &user, const QString &password);
    QString runJs(LoginDialog *login, const QString &script);
    static QString keychainLookup(const QString &key);

    Sandbox m_sandbox;
    std::unique_ptr<KeychainSecretStore> m_keychain;
};

void TestLoginWindow::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    fedsync::applyApplicationIdentity();
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_keychain = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
}

QString TestLoginWindow::runJs(LoginDialog *login, const QString &script)
{
    QString result;
    bool done = false;
    login->runJavaScript(script, [&](const QVariant &value) {
        result = value.toString();
        done = true;
    });
    QElapsedTimer timer;
    timer.start();
    while (!done && timer.elapsed() < 10000)
        QTest::qWait(20);
    return result;
}

bool TestLoginWindow::fillAndSubmit(LoginDialog *login, const QString &user, const QString &password)
{
    // Wait for the Universal Login form, then type and submit as a user would.
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 30000) {
        if (runJs(login, QStringLiteral("document.getElementById('login-form') ? 'yes' : 'no'")) == QStringLiteral("yes"))
            break;
        QTest::qWait(100);
    }
    const QString script = QStringLiteral(
        "document.getElementById('username').value = %1;"
        "document.getElementById('password').value = %2;"
        "document.getElementById('submit').click(); 'submitted'")
                               .arg(QString::fromUtf8(QJsonDocument(QJsonArray{user}).toJson(QJsonDocument::Compact)).mid(1).chopped(1),
                                    QString::fromUtf8(QJsonDocument(QJsonArray{password}).toJson(QJsonDocument::Compact)).mid(1).chopped(1));
    return runJs(login, script) == QStringLiteral("submitted");
}

QString TestLoginWindow::keychainLookup(const QString &key)
{
    return QString::fromUtf8(keychainpeek::lookup(key).value_or(QByteArray()));
}

void TestLoginWindow::signsInThroughTheEmbeddedPage()
{
    UserError error;
    auto context = ProfileContext::create(m_sandbox.profile(), m_keychain.get(), &error);
    QVERIFY2(context, qPrintable(error.text()));
    MainWindow window(context.get());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy finished(&window, &MainWindow::signInFinished);
    window.signIn();
    QPointer<LoginDialog> login = window.loginWindow();
    QVERIFY(login);
    QVERIFY(fillAndSubmit(login, m_sandbox.user(0, "username"), m_sandbox.user(0, "password")));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QCOMPARE(finished.first().first().toBool(), true);
    QVERIFY(context->session()->isSignedIn());
    QCOMPARE(context->session()->claims().sub, m_sandbox.user(0, "sub"));

    // The main window shows who is signed in.
    QLabel *name = window.findChild<QLabel *>(QStringLiteral("userName"));
    QVERIFY(name && name->isVisible());
    QVERIFY2(name->text().contains(m_sandbox.user(0, "name")), qPrintable(name->text()));

    // The refresh token is in gnome-keyring, and nowhere in the settings file.
    const QString stored = keychainLookup(context->session()->secretKey(m_sandbox.user(0, "sub")));
    const QString refreshToken =
        QJsonDocument::fromJson(stored.toUtf8()).object().value(QStringLiteral("refresh_token")).toString();
    QVERIFY(!refreshToken.isEmpty());
    QFile settings(qEnvironmentVariable("XDG_CONFIG_HOME") + QStringLiteral("/Fedsync/Fedsync.conf"));
    QVERIFY(settings.open(QIODevice::ReadOnly));
    const QByteArray content = settings.readAll();
    QVERIFY(!content.contains(refreshToken.toUtf8()));
    QVERIFY(!content.contains("eyJ"));

    // Screenshot for the README (written only when asked).
    const QString shots = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR");
    if (!shots.isEmpty()) {
        // As a user sees it a moment later: the AWS credentials there and the picture in place of the icon.
        auto *countdown = window.findChild<QLabel *>(QStringLiteral("credentialsCountdown"));
        auto *avatar = window.findChild<QLabel *>(QStringLiteral("avatar"));
        const QImage icon = window.windowIcon().pixmap(64, 64).toImage();
        QTRY_VERIFY_WITH_TIMEOUT(countdown && countdown->text().contains(QLatin1String("expire in")), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(avatar && avatar->pixmap().toImage() != icon, 15000);
        window.grab().save(shots + QStringLiteral("/signed-in.png"));
    }

    // Sign out: the keychain entry is gone.
    window.signOut(false);
    QTRY_COMPARE_WITH_TIMEOUT(keychainLookup(context->session()->secretKey(m_sandbox.user(0, "sub"))), QString(), 10000);
    QVERIFY(!context->session()->isSignedIn());
}

void TestLoginWindow::wrongPasswordShowsProviderError()
{
    UserError error;
    auto context = ProfileContext::create(m_sandbox.profile(), m_keychain.get(), &error);
    MainWindow window(context.get());
    window.show();
    window.signIn();
    QPointer<LoginDialog> login = window.loginWindow();
    QVERIFY(fillAndSubmit(login, m_sandbox.user(1, "username"), QStringLiteral("wrong password")));
    QString shown;
    QElapsedTimer timer;
    timer.start();
    while (!shown.contains(QStringLiteral("Wrong email or password.")) && timer.elapsed() < 20000) {
        QTest::qWait(200);
        shown = runJs(login, QStringLiteral("(document.getElementById('error')||{}).textContent || ''"));
    }
    QVERIFY2(shown.contains(QStringLiteral("Wrong email or password.")),
             qPrintable(runJs(login, QStringLiteral("location.href + ' | ' + document.body.innerText"))));
    const QString shots = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR");
    if (!shots.isEmpty())
        login->grab().save(shots + QStringLiteral("/login-wrong-password.png"));
    QVERIFY(!context->session()->isSignedIn());
    login->reject();
}

void TestLoginWindow::cancelClosesWithoutSigningIn()
{
    UserError error;
    auto context = ProfileContext::create(m_sandbox.profile(), m_keychain.get(), &error);
    MainWindow window(context.get());
    window.show();
    QSignalSpy finished(&window, &MainWindow::signInFinished);
    window.signIn();
    QPointer<LoginDialog> login = window.loginWindow();
    QSignalSpy loaded(login.data(), &LoginDialog::pageLoaded);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 30000);
    const QString shots = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR");
    if (!shots.isEmpty())
        login->grab().save(shots + QStringLiteral("/login.png"));
    login->reject();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY(!context->session()->isSignedIn());
}

void TestLoginWindow::providerDownShowsReadableError()
{
    Profile profile = m_sandbox.profile();
    profile.auth0.domain = QStringLiteral("127.0.0.1:9"); // nothing listens on the discard port
    UserError error;
    auto context = ProfileContext::create(profile, m_keychain.get(), &error);
    QVERIFY2(context, qPrintable(error.text()));
    MainWindow window(context.get());
    window.show();
    window.signIn();
    QPointer<LoginDialog> login = window.loginWindow();
    QTRY_VERIFY_WITH_TIMEOUT(login->lastError().isError(), 30000);
    QVERIFY2(login->bannerText().contains(QStringLiteral("Could not reach 127.0.0.1:9")), qPrintable(login->bannerText()));
    login->reject();
}

FEDSYNC_GUI_TEST_MAIN_WEBENGINE(TestLoginWindow)
#include "tst_loginwindow.moc"

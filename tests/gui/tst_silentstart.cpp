// The next start signs in silently with the refresh token from gnome-keyring, without starting WebEngine
// and without even mapping its libraries (nor Qt Quick or QML: the login window is a plugin loaded when a
// page is shown); a revoked refresh token opens the login window with a short explanation instead.
#include "clilogin.h"
#include "config/appidentity.h"
#include "guitestmain.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "sandbox.h"
#include "secrets/keychainsecretstore.h"
#include "session/signinstate.h"
#include "session/profilecontext.h"

#include <QDir>
#include <QFile>

using namespace fedsync;
using namespace fedsync::test;
using namespace fedsync::ui;

namespace {
// Processes whose parent is this test: QtWebEngineProcess would be one once WebEngine starts.
QStringList childProcessNames()
{
    QStringList names;
    const QString self = QString::number(QCoreApplication::applicationPid());
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QString line = QString::fromUtf8(stat.readAll());
        const qsizetype close = line.lastIndexOf(QLatin1Char(')'));
        const QStringList rest = line.mid(close + 2).split(QLatin1Char(' '));
        if (rest.size() > 1 && rest.at(1) == self)
            names << line.mid(line.indexOf(QLatin1Char('(')) + 1, close - line.indexOf(QLatin1Char('(')) - 1);
    }
    return names;
}

// The WebEngine, Quick and QML libraries mapped into this process right now.
QStringList mappedWebLibraries()
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        return {QStringLiteral("(cannot read /proc/self/maps)")};
    QStringList found;
    const QStringList prefixes{QStringLiteral("libQt6WebEngine"), QStringLiteral("libQt6Quick"),
                               QStringLiteral("libQt6Qml")};
    for (const QByteArray &line : maps.readAll().split('\n')) {
        const QString file = QString::fromUtf8(line.mid(line.lastIndexOf('/') + 1));
        for (const QString &prefix : prefixes)
            if (file.startsWith(prefix) && !found.contains(file))
                found << file;
    }
    return found;
}
} // namespace

class TestSilentStart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void secondStartSignsInWithoutWebEngine();
    void revokedTokenOpensLoginWithExplanation();

private:
    Sandbox m_sandbox;
    std::unique_ptr<KeychainSecretStore> m_keychain;
};

void TestSilentStart::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    applyApplicationIdentity();
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_keychain = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
    const CliRun login = cliLogin(m_sandbox, 2, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
}

void TestSilentStart::secondStartSignsInWithoutWebEngine()
{
    UserError error;
    auto context = ProfileContext::create(m_sandbox.profile(), m_keychain.get(), &error);
    QVERIFY2(context, qPrintable(error.text()));
    MainWindow window(context.get());
    window.show();
    window.startSilentSignIn();
    QTRY_VERIFY_WITH_TIMEOUT(context->session()->isSignedIn(), 20000);
    QCOMPARE(context->session()->claims().sub, m_sandbox.user(2, "sub"));
    QVERIFY(!window.loginWindow());
    QVERIFY2(!childProcessNames().join(QLatin1Char(' ')).contains(QStringLiteral("QtWebEngine")),
             qPrintable(childProcessNames().join(QLatin1Char(' '))));
    // Nothing of WebEngine, Quick or QML is even mapped (the window is up, the session signed in).
    QTRY_VERIFY_WITH_TIMEOUT(window.datasetEditor(), 20000);
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY2(mappedWebLibraries().isEmpty(), qPrintable(mappedWebLibraries().join(QLatin1Char(' '))));
}

void TestSilentStart::revokedTokenOpensLoginWithExplanation()
{
    QVERIFY(
        m_sandbox.admin(QStringLiteral("admin/revoke"), {{QStringLiteral("sub"), m_sandbox.user(2, "sub")}}));
    UserError error;
    auto context = ProfileContext::create(m_sandbox.profile(), m_keychain.get(), &error);
    MainWindow window(context.get());
    window.show();
    window.startSilentSignIn();
    QTRY_VERIFY_WITH_TIMEOUT(window.loginWindow(), 20000);
    QVERIFY2(window.loginWindow()->bannerText().contains(QStringLiteral("no longer accepted")),
             qPrintable(window.loginWindow()->bannerText()));
    QVERIFY(!context->session()->isSignedIn());
    // The page brought WebEngine in: the plugin was loaded on demand (and the check above can see it).
    QVERIFY2(mappedWebLibraries().join(QLatin1Char(' ')).contains(QStringLiteral("libQt6WebEngineCore.so")),
             qPrintable(mappedWebLibraries().join(QLatin1Char(' '))));
    window.loginWindow()->reject();
}

FEDSYNC_GUI_TEST_MAIN_WEBENGINE(TestSilentStart)
#include "tst_silentstart.moc"

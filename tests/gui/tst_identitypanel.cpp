// The main window's AWS side against the real sandbox, after a real sign-in: the Cognito identity and a
// live countdown appear once signed in, credentials are renewed in the background before they expire
// (short sandbox lifetime), and a misconfiguration is shown inline with its advice, not as a modal.
#include "aws/cognitocredentialsprovider.h"
#include "clilogin.h"
#include "config/appidentity.h"
#include "config/profilefile.h"
#include "guitestmain.h"
#include "identitypanel.h"
#include "mainwindow.h"
#include "sandbox.h"
#include "secrets/keychainsecretstore.h"
#include "session/signinstate.h"
#include "session/awsaccess.h"
#include "session/profilecontext.h"
#include "trace/flowtrace.h"

#include <QPushButton>
#include <QSignalSpy>

using namespace fedsync;
using namespace fedsync::test;
using namespace fedsync::ui;

class TestIdentityPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void formatsTimeLeft_data();
    void formatsTimeLeft();
    void showsIdentityFlowAndCountdownAfterSignIn();
    void renewsCredentialsInTheBackgroundBeforeExpiry();
    void showsMisconfigurationInlineWithAdvice();
    void profileWithoutCognitoSaysSo();

private:
    std::unique_ptr<ProfileContext> contextFor(const Profile &profile);

    Sandbox m_sandbox;
    std::unique_ptr<KeychainSecretStore> m_keychain;
};

void TestIdentityPanel::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    applyApplicationIdentity();
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_keychain = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
    const CliRun login = cliLogin(m_sandbox, 1, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
}

std::unique_ptr<ProfileContext> TestIdentityPanel::contextFor(const Profile &profile)
{
    UserError error;
    auto context = ProfileContext::create(profile, m_keychain.get(), &error);
    if (!context)
        qWarning() << error.text();
    return context;
}

void TestIdentityPanel::formatsTimeLeft_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("shown");
    QTest::newRow("hours") << qint64(3725) << QStringLiteral("1 h 02 min");
    QTest::newRow("minutes") << qint64(65) << QStringLiteral("1:05");
    QTest::newRow("last seconds") << qint64(9) << QStringLiteral("0:09");
    QTest::newRow("gone") << qint64(0) << QStringLiteral("expired");
    QTest::newRow("long gone") << qint64(-30) << QStringLiteral("expired");
}

void TestIdentityPanel::formatsTimeLeft()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, shown);
    QCOMPARE(IdentityPanel::formatRemaining(seconds), shown);
}

void TestIdentityPanel::showsIdentityFlowAndCountdownAfterSignIn()
{
    auto context = contextFor(m_sandbox.profile());
    QVERIFY(context && context->cognito());
    MainWindow window(context.get());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.startSilentSignIn();
    IdentityPanel *panel = window.identityPanel();
    QVERIFY(panel);
    QTRY_VERIFY_WITH_TIMEOUT(panel->identityText().startsWith(QStringLiteral("us-east-1:")), 20000);
    QCOMPARE(panel->identityText(), context->cognito()->credentials()->identityId());
    QVERIFY2(panel->countdownText().startsWith(QStringLiteral("expire in")),
             qPrintable(panel->countdownText()));
    QVERIFY(panel->errorText().isEmpty());
    // The countdown is live: a second later it shows less time.
    const QString before = panel->countdownText();
    QTRY_VERIFY_WITH_TIMEOUT(panel->countdownText() != before, 5000);
    // Both hops are in the session's trace, next to the sign-in's.
    QStringList operations;
    for (const TraceEvent &event : context->trace()->events())
        operations << event.operation;
    QVERIFY2(operations.contains(QStringLiteral("refresh")) &&
                 operations.contains(QStringLiteral("GetCredentialsForIdentity")),
             qPrintable(operations.join(u',')));

    // Signing out (the button, through the confirmation with its "delete my data" checkbox) forgets the
    // identity's credentials and revokes the refresh token at the provider.
    QList<bool> asked;
    window.setSignOutPrompt([&asked](QWidget *, bool everywhere, std::function<void(bool, bool)> answer) {
        asked << everywhere;
        answer(true, false);
    });
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    QSignalSpy signedOut(&window, &MainWindow::signOutFinished);
    QPushButton *signOutButton = window.findChild<QPushButton *>(QStringLiteral("signOutButton"));
    QVERIFY(signOutButton);
    signOutButton->click();
    QCOMPARE(asked, QList<bool>{false});
    QVERIFY(signedOut.wait(20000));
    const QStringList operations2 = m_sandbox.operationsSince(since);
    QVERIFY2(!operations2.filter(QStringLiteral("revo"), Qt::CaseInsensitive).isEmpty(),
             qPrintable(operations2.join(u',')));
    QVERIFY(!context->cognito()->credentials()->credentials().isValid());
    QCOMPARE(panel->countdownText(), QStringLiteral("Not fetched yet"));
    // (The stored sign-in is gone now; sign in again for the next tests.)
    const CliRun login = cliLogin(m_sandbox, 1, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
}

void TestIdentityPanel::renewsCredentialsInTheBackgroundBeforeExpiry()
{
    // Credentials that live 5 min 3 s: the provider renews them 5 min early, i.e. after about 3 s.
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/lifetimes"), {{QStringLiteral("credentials"), 303}}));
    auto context = contextFor(m_sandbox.profile());
    QVERIFY(context && context->cognito());
    MainWindow window(context.get());
    window.show();
    aws::CognitoCredentialsProvider *provider = context->cognito()->credentials();
    QSignalSpy changed(provider, &aws::CognitoCredentialsProvider::credentialsChanged);
    QSignalSpy failed(provider, &aws::CognitoCredentialsProvider::errorOccurred);
    window.startSilentSignIn();
    // The first credentials, then at least one renewal (how many depends on how busy the machine is:
    // each renewal again lives 303 s, so renewals follow every few seconds).
    QTRY_VERIFY_WITH_TIMEOUT(changed.size() >= 1, 20000);
    const auto first = changed.first().first().value<aws::AwsCredentials>();
    QTRY_VERIFY_WITH_TIMEOUT(changed.size() >= 2, 20000);
    const auto renewed = changed.at(1).first().value<aws::AwsCredentials>();
    QVERIFY(renewed.accessKeyId != first.accessKeyId);
    QVERIFY(renewed.expiration > first.expiration);
    QCOMPARE(provider->credentials().accessKeyId,
             changed.last().first().value<aws::AwsCredentials>().accessKeyId);
    QCOMPARE(failed.size(), 0);
    QVERIFY(window.identityPanel()->errorText().isEmpty());
    QVERIFY(!QApplication::activeModalWidget());
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/lifetimes"), {{QStringLiteral("credentials"), 3600}}));
}

void TestIdentityPanel::showsMisconfigurationInlineWithAdvice()
{
    Profile profile = m_sandbox.profile();
    profile.cognito.providerName =
        m_sandbox.ready().value(QStringLiteral("domain")).toString(); // no trailing slash
    auto context = contextFor(profile);
    QVERIFY(context && context->cognito());
    MainWindow window(context.get());
    window.show();
    window.startSilentSignIn();
    IdentityPanel *panel = window.identityPanel();
    QTRY_VERIFY_WITH_TIMEOUT(!panel->errorText().isEmpty(), 20000);
    QVERIFY2(panel->errorText().contains(QStringLiteral("trailing slash")), qPrintable(panel->errorText()));
    QVERIFY(panel->findChild<QPushButton *>(QStringLiteral("identityRetry"))->isVisible());
    QVERIFY(!QApplication::activeModalWidget());
}

void TestIdentityPanel::profileWithoutCognitoSaysSo()
{
    Profile profile = m_sandbox.profile();
    profile.cognito = {};
    auto context = contextFor(profile);
    QVERIFY(context);
    QVERIFY(!context->cognito());
    MainWindow window(context.get());
    QVERIFY(window.identityPanel());
    QVERIFY2(window.identityPanel()->countdownText().contains(QStringLiteral("identity pool")),
             qPrintable(window.identityPanel()->countdownText()));
}

FEDSYNC_GUI_TEST_MAIN(TestIdentityPanel)
#include "tst_identitypanel.moc"

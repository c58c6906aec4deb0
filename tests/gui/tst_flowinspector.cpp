// The flow inspector, the JWT view and Check setup… in the real main window against the real sandbox,
// after a real sign-in: hops appear in the diagram as they happen during the silent sign-in and the
// credentials that follow, a selected hop shows its redacted details and the decoded ID token, exports
// (HAR, PNG, SVG) work and hold no secret, the JWT view verifies the token against the profile's JWKS,
// and the setup doctor's dialog lists its findings. With FEDSYNC_SCREENSHOT_DIR set, it saves the
// README's screenshots there.
#include "clilogin.h"
#include "config/appidentity.h"
#include "config/profilefile.h"
#include "guitestmain.h"
#include "inspect/setupdoctor.h"
#include "inspector/doctordialog.h"
#include "inspector/flowinspector.h"
#include "inspector/jwtdialog.h"
#include "inspector/sequencediagram.h"
#include "mainwindow.h"
#include "sandbox.h"
#include "secrets/keychainsecretstore.h"
#include "session/signinstate.h"
#include "session/profilecontext.h"
#include "trace/flowtrace.h"

#include <QAction>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeWidget>

using namespace fedsync;
using namespace fedsync::test;
using namespace fedsync::ui;

class TestFlowInspector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void hopsAppearAsTheyHappen();
    void selectedHopShowsRedactedDetailsAndTheDecodedToken();
    void exportsHarPngAndSvg();
    void jwtViewVerifiesAgainstTheProfileJwks();
    void checkSetupListsFindings();
    void cleanupTestCase();

private:
    static QAction *action(QWidget *window, const char *name);
    int indexOf(const QString &operation) const;

    Sandbox m_sandbox;
    QTemporaryDir m_dir;
    std::unique_ptr<KeychainSecretStore> m_keychain;
    std::unique_ptr<ProfileContext> m_context;
    std::unique_ptr<MainWindow> m_window;
    QPointer<FlowInspector> m_inspector;
};

void TestFlowInspector::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    applyApplicationIdentity();
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_keychain = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    UserError error;
    m_context = ProfileContext::create(m_sandbox.profile(), m_keychain.get(), &error);
    QVERIFY2(m_context, qPrintable(error.text()));
    m_window = std::make_unique<MainWindow>(m_context.get());
    m_window->resize(900, 640);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestFlowInspector::cleanupTestCase()
{
    m_window.reset();
    m_context.reset();
}

QAction *TestFlowInspector::action(QWidget *window, const char *name)
{
    return window->findChild<QAction *>(QLatin1String(name));
}

int TestFlowInspector::indexOf(const QString &operation) const
{
    const QList<TraceEvent> &events = m_inspector->diagram()->events();
    for (int i = 0; i < events.size(); ++i)
        if (events.at(i).operation == operation)
            return i;
    return -1;
}

void TestFlowInspector::hopsAppearAsTheyHappen()
{
    QAction *open = action(m_window.get(), "actionFlowInspector");
    QVERIFY(open);
    QVERIFY(open->isEnabled());
    open->trigger();
    m_inspector = m_window->findChild<FlowInspector *>();
    QVERIFY(m_inspector);
    QVERIFY(QTest::qWaitForWindowExposed(m_inspector));
    const int before = int(m_inspector->diagram()->events().size());

    // Each time the trace records a hop, the diagram already shows it: live, not at the end.
    FlowTrace *trace = m_context->trace();
    QList<int> shownAtRecord;
    QObject watcher; // the connection ends with this test function
    connect(trace, &FlowTrace::eventRecorded, &watcher,
            [&] { shownAtRecord << int(m_inspector->diagram()->events().size() - trace->events().size()); });
    QSignalSpy signedIn(m_context->session(), &SignInState::signedIn);
    m_window->startSilentSignIn();
    QVERIFY(signedIn.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(indexOf(QStringLiteral("GetCredentialsForIdentity")) >= 0, 30000);
    if (const QString shots = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR"); !shots.isEmpty()) {
        m_inspector->diagram()->setSelectedIndex(indexOf(QStringLiteral("GetCredentialsForIdentity")));
        QTest::qWait(200);
        QVERIFY(m_inspector->grab().save(shots + QStringLiteral("/flow-inspector.png")));
    }
    QVERIFY(m_inspector->diagram()->events().size() > before);
    QVERIFY(!shownAtRecord.isEmpty());
    for (int lag : std::as_const(shownAtRecord))
        QCOMPARE(lag, 0);
    // The sign-in comes before the credentials, each in its lane and phase.
    const int refresh = indexOf(QStringLiteral("refresh"));
    const int getId = indexOf(QStringLiteral("GetId"));
    QVERIFY2(refresh >= 0, "no refresh hop");
    const TraceEvent &hop = m_inspector->diagram()->events().at(refresh);
    QCOMPARE(SequenceDiagram::phaseOf(hop), QStringLiteral("sign-in"));
    QCOMPARE(SequenceDiagram::laneOf(hop), 1);
    if (getId >= 0) {
        QVERIFY(getId > refresh);
        QCOMPARE(SequenceDiagram::phaseOf(m_inspector->diagram()->events().at(getId)),
                 QStringLiteral("credentials"));
    }
}

void TestFlowInspector::selectedHopShowsRedactedDetailsAndTheDecodedToken()
{
    QVERIFY(m_inspector);
    const int refresh = indexOf(QStringLiteral("refresh"));
    QVERIFY(refresh >= 0);
    m_inspector->diagram()->setFocus();
    m_inspector->diagram()->setSelectedIndex(refresh);
    const QString details = m_inspector->detailsText();
    QVERIFY2(details.contains(QStringLiteral("POST")), qPrintable(details));
    QVERIFY(details.contains(QStringLiteral("/oauth/token")));
    QVERIFY(details.contains(QStringLiteral("200")));
    QVERIFY(details.contains(QStringLiteral("Response headers")));
    // The ID token decoded: claims and checks, never the token itself.
    const QString idToken = m_context->session()->idToken();
    QVERIFY(details.contains(QStringLiteral("auth0|")));
    QVERIFY(details.contains(QStringLiteral("exp")));
    QVERIFY(!details.contains(idToken));
    QVERIFY(!details.contains(idToken.section(u'.', 2)));
    // Keyboard: Down selects the next hop.
    QTest::keyClick(m_inspector->diagram(), Qt::Key_Down);
    QCOMPARE(m_inspector->diagram()->selectedIndex(), refresh + 1);
}

void TestFlowInspector::exportsHarPngAndSvg()
{
    QVERIFY(m_inspector);
    const QString har = m_dir.filePath(QStringLiteral("flow.har"));
    const QString png = m_dir.filePath(QStringLiteral("flow.png"));
    const QString svg = m_dir.filePath(QStringLiteral("flow.svg"));
    QVERIFY(m_inspector->exportHar(har));
    QVERIFY(m_inspector->exportPng(png));
    QVERIFY(m_inspector->exportSvg(svg));
    QFile harFile(har);
    QVERIFY(harFile.open(QIODevice::ReadOnly));
    const QByteArray harText = harFile.readAll();
    const QJsonObject log = QJsonDocument::fromJson(harText).object().value(QStringLiteral("log")).toObject();
    QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
    QCOMPARE(log.value(QStringLiteral("entries")).toArray().size(), m_inspector->diagram()->events().size());
    const QString idToken = m_context->session()->idToken();
    QVERIFY(!harText.contains(idToken.toLatin1()));
    QVERIFY(!harText.contains(idToken.section(u'.', 2).toLatin1()));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), m_inspector->diagram()->sizeHint());
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    QVERIFY(svgText.contains("<svg"));
    QVERIFY(svgText.contains("Cognito Identity"));
    QVERIFY(svgText.contains("GetCredentialsForIdentity"));
}

void TestFlowInspector::jwtViewVerifiesAgainstTheProfileJwks()
{
    action(m_window.get(), "actionDecodeJwt")->trigger();
    auto *dialog = m_window->findChild<JwtDialog *>();
    QVERIFY(dialog);
    QSignalSpy decoded(dialog, &JwtDialog::decoded);
    dialog->setToken(m_context->session()->idToken());
    dialog->decode();
    QVERIFY(decoded.count() == 1 || decoded.wait(20000));
    const QString text = dialog->resultText();
    QVERIFY2(text.contains(QStringLiteral("RS256 signature verified")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("aud is the client id")));
    QVERIFY(text.contains(QStringLiteral("Valid, expires in")));
    // A token altered by one character no longer verifies.
    QString altered = m_context->session()->idToken();
    const qsizetype dot = altered.indexOf(u'.');
    altered[dot + 3] = altered[dot + 3] == u'A' ? u'B' : u'A';
    dialog->setToken(altered);
    dialog->decode();
    QVERIFY(decoded.count() == 2 || decoded.wait(20000));
    QVERIFY2(!dialog->resultText().contains(QStringLiteral("RS256 signature verified")),
             qPrintable(dialog->resultText()));
    dialog->close();
}

void TestFlowInspector::checkSetupListsFindings()
{
    const qsizetype hopsBefore = m_inspector->diagram()->events().size();
    action(m_window.get(), "actionCheckSetup")->trigger();
    auto *dialog = m_window->findChild<DoctorDialog *>();
    QVERIFY(dialog);
    QVERIFY(!dialog->isModal());
    QSignalSpy done(dialog, &DoctorDialog::checksFinished);
    QVERIFY(done.wait(30000));
    QTreeWidget *view = dialog->findingsView();
    QStringList ids;
    for (int i = 0; i < view->topLevelItemCount(); ++i) {
        ids << view->topLevelItem(i)->text(1);
        QVERIFY2(view->topLevelItem(i)->text(0) != QStringLiteral("FAIL"),
                 qPrintable(view->topLevelItem(i)->text(1) + u' ' + view->topLevelItem(i)->text(2)));
    }
    for (const char *id : {"discovery", "issuer", "algorithm", "provider_name", "pool_login", "thumbprint"})
        QVERIFY2(ids.contains(QLatin1String(id)), qPrintable(ids.join(u',')));
    // Its hops went through the session's trace: the inspector shows them too.
    QVERIFY(m_inspector->diagram()->events().size() > hopsBefore);
    // (The window's own sync may add hops meanwhile: look for the doctor's among the new ones.)
    const auto events = m_inspector->diagram()->events();
    bool doctorHop = false;
    for (qsizetype i = hopsBefore; i < events.size(); ++i)
        doctorHop = doctorHop || events.at(i).service == QStringLiteral("cognito-identity");
    QVERIFY(doctorHop);
    if (const QString shots = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR"); !shots.isEmpty())
        QVERIFY(dialog->grab().save(shots + QStringLiteral("/check-setup.png")));
}

FEDSYNC_GUI_TEST_MAIN(TestFlowInspector)
#include "tst_flowinspector.moc"

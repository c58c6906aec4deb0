// The whole user journey against the real sandbox: signed in (keychain), the main window opens the
// dataset editor for the Cognito identity, a dataset is created and a record added through the editor's
// own dialog, Sync now sends it to Cognito Sync, and a second installation (fedsync-cli with its own data
// directory) sees it after it syncs; its edit comes back to the window on the next sync.
#include "clilogin.h"
#include "config/appidentity.h"
#include "dataseteditor.h"
#include "guitestmain.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "recordeditdialog.h"
#include "recordtablemodel.h"
#include "sandbox.h"
#include "secrets/keychainsecretstore.h"
#include "session/signinstate.h"
#include "session/profilecontext.h"

#include <QAction>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>

using namespace fedsync;
using namespace fedsync::test;
using namespace fedsync::ui;

class TestDatasetsSandbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void editSyncAndSeeItOnASecondDevice();

private:
    CliRun secondDevice(const QStringList &args);

    Sandbox m_sandbox;
    QTemporaryDir m_otherDevice;
    std::unique_ptr<KeychainSecretStore> m_keychain;
};

void TestDatasetsSandbox::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    applyApplicationIdentity();
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_keychain = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
}

CliRun TestDatasetsSandbox::secondDevice(const QStringList &args)
{
    // Same keychain and settings (the same user), but a data directory of its own: another device's store.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_otherDevice.path());
    return runCli(QStringList{QStringLiteral("--profile-file"), m_sandbox.profileFile()} + args, env);
}

void TestDatasetsSandbox::editSyncAndSeeItOnASecondDevice()
{
    UserError error;
    auto context = ProfileContext::create(m_sandbox.profile(), m_keychain.get(), &error);
    QVERIFY2(context, qPrintable(error.text()));
    MainWindow window(context.get());
    window.resize(1000, 700);
    window.show();
    QSignalSpy opened(&window, &MainWindow::datasetsOpened);
    window.startSilentSignIn();
    QVERIFY(opened.wait(30000));
    DatasetEditor *editor = window.datasetEditor();
    QVERIFY(editor);
    QTRY_VERIFY(editor->isVisible());
    editor->setSyncInterval(0);
    QTRY_VERIFY_WITH_TIMEOUT(!editor->isSyncing(), 30000); // the sync on open

    // A new dataset, and a record typed into the editor's dialog.
    editor->prompts().askText = [](QWidget *, const QString &, const QString &,
                                   std::function<UserError(QString)> answer) {
        answer(QStringLiteral("settings"));
    };
    editor->findChild<QAction *>(QStringLiteral("actionNewDataset"))->trigger();
    QCOMPARE(editor->currentDataset(), QStringLiteral("settings"));
    editor->addRecord(); // what Ctrl+N and the Add button do
    RecordEditDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = editor->findChild<RecordEditDialog *>()) && dialog->isVisible());
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("keyEdit")), QStringLiteral("theme"));
    QTest::keyClicks(dialog->findChild<QPlainTextEdit *>(QStringLiteral("valueEdit")),
                     QStringLiteral("solarized"));
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QTRY_COMPARE(editor->recordModel()->rowCount(), 1);

    // Sync now: to Cognito Sync over TLS, signed with the identity's credentials.
    QSignalSpy synced(editor, &DatasetEditor::syncFinished);
    QTest::mouseClick(editor->findChild<QPushButton *>(QStringLiteral("syncButton")), Qt::LeftButton);
    QVERIFY(synced.wait(30000));
    QVERIFY(synced.first().first().toBool());
    QVERIFY(!editor->errorBanner()->isVisible());
    QVERIFY(!editor->offlineBanner()->isVisible());

    // The second device syncs and sees it. This test blocks its event loop while the CLI runs, so the
    // session's keychain work (credentials cached under the session lock) ends first.
    bool idle = false;
    context->session()->whenIdle([&idle] { idle = true; });
    QTRY_VERIFY_WITH_TIMEOUT(idle, 20000);
    const CliRun pull = secondDevice({QStringLiteral("sync")});
    QVERIFY2(pull.exitCode == 0, qPrintable(pull.err));
    const CliRun get =
        secondDevice({QStringLiteral("get"), QStringLiteral("settings"), QStringLiteral("theme")});
    QVERIFY2(get.exitCode == 0, qPrintable(get.err));
    QCOMPARE(get.out.trimmed(), QStringLiteral("solarized"));

    // Its edit comes back on the window's next sync.
    QVERIFY(secondDevice({QStringLiteral("put"), QStringLiteral("settings"), QStringLiteral("font"),
                          QStringLiteral("mono")})
                .exitCode == 0);
    QVERIFY(secondDevice({QStringLiteral("sync")}).exitCode == 0);
    synced.clear();
    editor->syncNow();
    QVERIFY(synced.wait(30000));
    QVERIFY(synced.first().first().toBool());
    QTRY_COMPARE(editor->recordModel()->rowCount(), 2);

    if (const QString dir = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR"); !dir.isEmpty())
        window.grab().save(dir + QStringLiteral("/main-window-datasets.png"));

    // Closing sends nothing more (nothing pending) and closes.
    window.close();
    QTRY_VERIFY(!window.isVisible());
}

FEDSYNC_GUI_TEST_MAIN(TestDatasetsSandbox)
#include "tst_datasets_sandbox.moc"

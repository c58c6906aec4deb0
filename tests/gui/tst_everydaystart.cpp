// The window over a working day, against the real sandbox (OpenID provider, Cognito Identity, Cognito
// Sync over TLS), the keychain and a second device (fedsync-cli with its own data directory):
// - a dataset another device wrote shows after the window opens, without Sync now (sync on open);
// - offline start: signed in earlier, the provider unreachable now: the editor opens on the local data
//   with the offline banner, edits are kept, and once the sandbox is back they reach the server;
// - Cognito Identity failing at start: the editor still opens on the local data, and Retry recovers;
// - sign-out with edits not yet sent asks, and "synchronize first" sends them;
// - sign-out that deletes the local data after a sync: the store's files are gone and stay gone, and the
//   next sign-in starts on an empty store (the data comes back from the server only);
// - at 800x600 with a 128-character key the window keeps its buttons in view;
// - the user's picture is fetched once and kept for its Cache-Control lifetime: the next start shows it
//   with no request; a sign-out that forgets the user's data deletes it.
#include "auth/httpcachefile.h"
#include "clilogin.h"
#include "config/appidentity.h"
#include "dataseteditor.h"
#include "datasetlistmodel.h"
#include "guitestmain.h"
#include "identitypanel.h"
#include "keychainpeek.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "recordeditdialog.h"
#include "recordtablemodel.h"
#include "sandbox.h"
#include "secrets/keychainsecretstore.h"
#include "session/profilecontext.h"
#include "session/sessionentry.h"
#include "session/signinstate.h"
#include "sync/localstore.h"
#include "usecases/synccontroller.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>

using namespace fedsync;
using namespace fedsync::test;
using namespace fedsync::ui;

class TestEverydayStart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void syncOnOpenShowsOtherDevicesData();
    void pictureKeptForTheNextStart();
    void offlineStartThenBack();
    void cognitoIdentityDownAtStart();
    void signOutWithPendingEditsOffersToSync();
    void usableAt800x600();
    void signOutForgettingDataAfterASync();

private:
    CliRun secondDevice(const QStringList &args);
    std::unique_ptr<MainWindow> openWindow(std::unique_ptr<ProfileContext> &context);
    // A window on the user's datasets once its sync on open is over, periodic sync off; null if not.
    std::unique_ptr<MainWindow> openSyncedWindow(std::unique_ptr<ProfileContext> &context);
    // Starts the window's silent sign-in and waits for the editor on the user's datasets.
    static bool openDatasets(MainWindow &window, int timeoutMs = 30000);
    bool dropCachedAwsCredentials();
    static bool datasetShown(DatasetEditor *editor, const QString &name);
    void addRecordByDialog(DatasetEditor *editor, const QString &key, const QString &value);

    Sandbox m_sandbox;
    QTemporaryDir m_otherDevice;
    std::unique_ptr<KeychainSecretStore> m_keychain;
};

void TestEverydayStart::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    applyApplicationIdentity();
    // Fixed ports: the offline test stops the sandbox and starts it again with the same issuer.
    m_sandbox.setPortBase(Sandbox::freePortBase());
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_keychain = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
}

CliRun TestEverydayStart::secondDevice(const QStringList &args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_otherDevice.path());
    return runCli(QStringList{QStringLiteral("--profile-file"), m_sandbox.profileFile()} + args, env);
}

std::unique_ptr<MainWindow> TestEverydayStart::openWindow(std::unique_ptr<ProfileContext> &context)
{
    UserError error;
    context = ProfileContext::create(m_sandbox.profile(), m_keychain.get(), &error);
    if (!context)
        return nullptr;
    auto window = std::make_unique<MainWindow>(context.get());
    window->resize(1000, 700);
    window->show();
    return window;
}

std::unique_ptr<MainWindow> TestEverydayStart::openSyncedWindow(std::unique_ptr<ProfileContext> &context)
{
    auto window = openWindow(context);
    if (!window || !openDatasets(*window))
        return nullptr;
    DatasetEditor *editor = window->datasetEditor();
    if (!QTest::qWaitFor([editor] { return !editor->isSyncing(); }, 30000))
        return nullptr;
    editor->setSyncInterval(0);
    return window;
}

// The session entry caches AWS credentials (an hour long) next to the tokens; with them a start needs no
// Cognito Identity call at all. Forgets them, so the next start has to ask Cognito Identity.
bool TestEverydayStart::openDatasets(MainWindow &window, int timeoutMs)
{
    QSignalSpy opened(&window, &MainWindow::datasetsOpened);
    window.startSilentSignIn();
    return opened.wait(timeoutMs);
}

bool TestEverydayStart::dropCachedAwsCredentials()
{
    UserError error;
    auto context = ProfileContext::create(m_sandbox.profile(), m_keychain.get(), &error);
    if (!context)
        return false;
    QSignalSpy signedIn(context->session(), &SignInState::signedIn);
    context->session()->restore(true);
    if (!signedIn.count() && !signedIn.wait(20000))
        return false;
    bool stored = false;
    context->session()->storeAwsCredentials({}, [&stored] { stored = true; });
    if (!QTest::qWaitFor([&stored] { return stored; }, 20000))
        return false;
    bool idle = false;
    context->session()->whenIdle([&idle] { idle = true; });
    return QTest::qWaitFor([&idle] { return idle; }, 20000);
}

bool TestEverydayStart::datasetShown(DatasetEditor *editor, const QString &name)
{
    return editor && editor->datasetModel()->rowOf(name) >= 0;
}

void TestEverydayStart::addRecordByDialog(DatasetEditor *editor, const QString &key, const QString &value)
{
    editor->addRecord();
    RecordEditDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = editor->findChild<RecordEditDialog *>()) && dialog->isVisible());
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("keyEdit")), key);
    QTest::keyClicks(dialog->findChild<QPlainTextEdit *>(QStringLiteral("valueEdit")), value);
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QTRY_VERIFY(!editor->findChild<RecordEditDialog *>());
}

void TestEverydayStart::syncOnOpenShowsOtherDevicesData()
{
    QVERIFY(secondDevice({QStringLiteral("put"), QStringLiteral("fromother"), QStringLiteral("theme"),
                          QStringLiteral("dark")})
                .exitCode == 0);
    const CliRun pushed = secondDevice({QStringLiteral("sync")});
    QVERIFY2(pushed.exitCode == 0, qPrintable(pushed.err));

    std::unique_ptr<ProfileContext> context;
    auto window = openWindow(context);
    QVERIFY(window);
    QVERIFY(openDatasets(*window));
    DatasetEditor *editor = window->datasetEditor();
    // Nobody presses Sync now: the window synchronizes as it opens, with progress in the status bar.
    QTRY_VERIFY_WITH_TIMEOUT(datasetShown(editor, QStringLiteral("fromother")), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!editor->isSyncing(), 30000);
    const QString status = window->statusBar()->currentMessage();
    QVERIFY2(status.startsWith(QStringLiteral("Synchronized at")), qPrintable(status));
    window->close();
    QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 15000);
}

void TestEverydayStart::pictureKeptForTheNextStart()
{
    QDir(HttpCacheFile::picturesDirectory()).removeRecursively(); // as on a first start
    const QString pictureRequest = QStringLiteral("avatars/alice.png");
    for (int start = 0; start < 2; ++start) {
        qint64 since = 0;
        m_sandbox.operationsSince(0, &since);
        std::unique_ptr<ProfileContext> context;
        auto window = openSyncedWindow(context);
        QVERIFY(window);
        auto *avatar = window->findChild<QLabel *>(QStringLiteral("avatar"));
        QVERIFY(avatar);
        const QImage placeholder = window->windowIcon().pixmap(64, 64).toImage();
        // The sandbox's picture (a PNG as Auth0's default avatars, served with max-age=3600) replaces the
        // window icon: the second time from the disk (its bytes as served: tst_avatarfetch).
        QTRY_VERIFY_WITH_TIMEOUT(avatar->pixmap().toImage() != placeholder, 15000);
        // The 120 px picture is kept at the 64 px it is shown at (MainWindow::loadPicture).
        QCOMPARE(avatar->pixmap().size(), QSize(64, 64));
        const QStringList operations = m_sandbox.operationsSince(since);
        QCOMPARE(operations.count(pictureRequest), start == 0 ? 1 : 0);
        window->close();
        QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 15000);
    }
    QCOMPARE(QDir(HttpCacheFile::picturesDirectory()).entryList(QDir::Files).size(), 1);
}

void TestEverydayStart::offlineStartThenBack()
{
    // Yesterday: signed in, a dataset synchronized.
    {
        std::unique_ptr<ProfileContext> context;
        auto window = openWindow(context);
        QVERIFY(openDatasets(*window));
        QTRY_VERIFY_WITH_TIMEOUT(!window->datasetEditor()->isSyncing(), 30000);
        QVERIFY(!window->syncController()
                     ->store()
                     .putValue(QStringLiteral("journal"), QStringLiteral("monday"),
                               QStringLiteral("written online"))
                     .isError());
        window->close(); // sends it before closing
        QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 15000);
    }
    QCOMPARE(secondDevice({QStringLiteral("sync")}).exitCode, 0);

    // Today: no network.
    m_sandbox.stop();
    std::unique_ptr<ProfileContext> context;
    auto window = openWindow(context);
    QVERIFY(openDatasets(*window));
    QVERIFY(window->isWorkingOffline());
    QVERIFY(!window->loginWindow());
    DatasetEditor *editor = window->datasetEditor();
    QVERIFY(editor && editor->isVisible());
    QVERIFY(datasetShown(editor, QStringLiteral("journal")));
    QVERIFY(editor->offlineBanner()->isVisible());
    QVERIFY2(editor->offlineBanner()->text().contains(QStringLiteral("Working offline")),
             qPrintable(editor->offlineBanner()->text()));
    QVERIFY(window->findChild<QPushButton *>(QStringLiteral("signOutButton"))->isVisible());
    QVERIFY(window->statusBar()->currentMessage() != QStringLiteral("Opening your datasets…"));

    // Editing works offline, through the editor's own dialog.
    editor->setCurrentDataset(QStringLiteral("journal"));
    addRecordByDialog(editor, QStringLiteral("tuesday"), QStringLiteral("written offline"));
    QCOMPARE(editor->recordModel()->rowCount(), 2);
    QVERIFY(window->syncController()->pendingChanges() > 0);
    if (const QString dir = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR"); !dir.isEmpty())
        window->grab().save(dir + QStringLiteral("/offline-start.png"));

    // The network comes back: without a restart or a click, the window signs in and sends the edit.
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    window->syncController()->setOfflineRetryInterval(300);
    QTRY_VERIFY_WITH_TIMEOUT(context->session()->isSignedIn(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(window->syncController()->pendingChanges(), 0, 30000);
    QVERIFY(!window->isWorkingOffline());
    QTRY_VERIFY(!editor->offlineBanner()->isVisible());
    QCOMPARE(window->datasetEditor(), editor); // the same editor, not a new one

    const CliRun pull = secondDevice({QStringLiteral("sync")});
    QVERIFY2(pull.exitCode == 0, qPrintable(pull.err));
    const CliRun get =
        secondDevice({QStringLiteral("get"), QStringLiteral("journal"), QStringLiteral("tuesday")});
    QVERIFY2(get.exitCode == 0, qPrintable(get.err));
    QCOMPARE(get.out.trimmed(), QStringLiteral("written offline"));
    window->close();
    QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 15000);
}

void TestEverydayStart::cognitoIdentityDownAtStart()
{
    // Every Cognito Identity call fails with a server error (as during an outage).
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/faults"),
                            {{QStringLiteral("service"), QStringLiteral("cognito-identity")},
                             {QStringLiteral("operation"), QStringLiteral("*")},
                             {QStringLiteral("count"), 1000},
                             {QStringLiteral("kind"), QStringLiteral("http500")}}));
    // Whatever happens below, the next tests (and their CLI runs) meet a working Cognito Identity.
    const auto clearFaults = qScopeGuard([this] { m_sandbox.adminDelete(QStringLiteral("admin/faults")); });
    // Without the AWS credentials cached with the session (valid for an hour, they need no Cognito
    // Identity call and the window would rightly be online).
    QVERIFY(dropCachedAwsCredentials());
    std::unique_ptr<ProfileContext> context;
    auto window = openWindow(context);
    QVERIFY(openDatasets(*window, 60000)); // the editor appears on the local data
    DatasetEditor *editor = window->datasetEditor();
    QVERIFY(datasetShown(editor, QStringLiteral("journal")));
    QTRY_VERIFY_WITH_TIMEOUT(editor->offlineBanner()->isVisible(), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!editor->isSyncing(), 60000);
    auto *retry = window->identityPanel()->findChild<QPushButton *>(QStringLiteral("identityRetry"));
    QTRY_VERIFY_WITH_TIMEOUT(retry->isVisible(), 60000);

    // AWS recovers; Retry brings the credentials and the sync, without a restart.
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    QVERIFY(secondDevice({QStringLiteral("put"), QStringLiteral("journal"), QStringLiteral("wednesday"),
                          QStringLiteral("from the other device")})
                .exitCode == 0);
    QVERIFY(secondDevice({QStringLiteral("sync")}).exitCode == 0);
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!window->identityPanel()->identityText().isEmpty(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!editor->offlineBanner()->isVisible(), 30000);
    editor->setCurrentDataset(QStringLiteral("journal"));
    QTRY_VERIFY_WITH_TIMEOUT(editor->recordModel()->rowOf(QStringLiteral("wednesday")) >= 0, 30000);
    window->close();
    QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 15000);
}

void TestEverydayStart::signOutWithPendingEditsOffersToSync()
{
    std::unique_ptr<ProfileContext> context;
    auto window = openSyncedWindow(context);
    QVERIFY(window);
    QVERIFY(!window->syncController()
                 ->store()
                 .putValue(QStringLiteral("journal"), QStringLiteral("thursday"),
                           QStringLiteral("before signing out"))
                 .isError());
    QList<int> asked;
    MainWindow::PendingEditsChoice answer = MainWindow::PendingEditsChoice::Cancel;
    window->setPendingEditsPrompt(
        [&](QWidget *, int pending, std::function<void(MainWindow::PendingEditsChoice)> done) {
            asked << pending;
            done(answer);
        });
    auto *signOut = window->findChild<QPushButton *>(QStringLiteral("signOutButton"));
    QTest::mouseClick(signOut, Qt::LeftButton);
    QCOMPARE(asked, QList<int>{1});
    QVERIFY(context->session()->isSignedIn()); // cancelled: nothing happened

    answer = MainWindow::PendingEditsChoice::SyncFirst;
    QTest::mouseClick(signOut, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!context->session()->isSignedIn(), 30000);
    QCOMPARE(asked.size(), 2); // synchronized, then signed out without asking again
    // Closed right away, the window goes only once the keychain entry has: nothing of theirs stays.
    window->close();
    QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 30000);
    QVERIFY(!keychainpeek::lookup(
                 SessionEntry::keyFor(context->profile(),
                                      {m_sandbox.ready().value(QStringLiteral("issuer")).toString(),
                                       context->profile().auth0.clientId, m_sandbox.user(0, "sub")}))
                 .has_value());
    // The server has the edit (the second device shares the keychain: sign in again for it).
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    const CliRun pulled = secondDevice({QStringLiteral("sync")});
    QVERIFY2(pulled.exitCode == 0, qPrintable(pulled.err));
    QCOMPARE(secondDevice({QStringLiteral("get"), QStringLiteral("journal"), QStringLiteral("thursday")})
                 .out.trimmed(),
             QStringLiteral("before signing out"));
}

void TestEverydayStart::usableAt800x600()
{
    std::unique_ptr<ProfileContext> context;
    auto window = openWindow(context);
    QVERIFY(openDatasets(*window));
    DatasetEditor *editor = window->datasetEditor();
    QTRY_VERIFY_WITH_TIMEOUT(!editor->isSyncing(), 30000);
    editor->setCurrentDataset(QStringLiteral("journal"));
    const QString longKey(LocalStore::MaxKeyLength, QLatin1Char('k'));
    addRecordByDialog(editor, longKey, QStringLiteral("long"));
    auto *view = editor->findChild<QTableView *>(QStringLiteral("recordView"));
    const int row =
        editor->filterModel()
            ->mapFromSource(editor->recordModel()->index(editor->recordModel()->rowOf(longKey), 0))
            .row();
    // Shortcuts need an active window (Xvfb has no window manager to make it so).
    QApplication::setActiveWindow(window.get());
    QTRY_VERIFY(window->isActiveWindow());
    view->setFocus();
    view->selectRow(row);
    QTest::keyClick(view, Qt::Key_Delete);
    QTRY_COMPARE(editor->recordModel()->rowOf(longKey), -1);

    window->resize(800, 600);
    QTest::qWait(200);

    QVERIFY2(window->width() <= 800, qPrintable(QString::number(window->width())));
    QVERIFY2(window->minimumSizeHint().width() <= 800,
             qPrintable(QString::number(window->minimumSizeHint().width())));
    for (const char *name :
         {"signOutButton", "syncButton", "importButton", "exportButton", "filterEdit", "undoButton"}) {
        auto *widget = window->findChild<QWidget *>(QLatin1String(name));
        QVERIFY2(widget && widget->isVisible(), name);
        const QRect inWindow(widget->mapTo(window.get(), QPoint(0, 0)), widget->size());
        QVERIFY2(window->rect().contains(inWindow), name);
    }
    QVERIFY(view->columnWidth(RecordTableModel::ValueColumn) >= 150);
    QVERIFY(window->findChild<QLineEdit *>(QStringLiteral("filterEdit"))->width() >= 120);
    if (const QString dir = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR"); !dir.isEmpty())
        window->grab().save(dir + QStringLiteral("/main-window-800x600.png"));
    window->close();
    QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 15000);
}

void TestEverydayStart::signOutForgettingDataAfterASync()
{
    QString path;
    {
        std::unique_ptr<ProfileContext> context;
        auto window = openSyncedWindow(context);
        QVERIFY(window);
        DatasetEditor *editor = window->datasetEditor();
        SyncController *sync = window->syncController();
        path = sync->store().path();
        // An edit sent by a sync: the sync's store writer has worked on the file (its connection is open).
        QVERIFY(!sync->store()
                     .putValue(QStringLiteral("journal"), QStringLiteral("friday"),
                               QStringLiteral("sent before forgetting"))
                     .isError());
        sync->syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(!editor->isSyncing() && sync->pendingChanges() == 0, 30000);
        QVERIFY(QFileInfo::exists(path));

        // The window keeps the user's picture (fetched, or kept since an earlier window).
        QTRY_VERIFY_WITH_TIMEOUT(!QDir(HttpCacheFile::picturesDirectory()).entryList(QDir::Files).isEmpty(),
                                 15000);
        window->setSignOutPrompt([](QWidget *, bool, std::function<void(bool, bool)> answer) {
            answer(true, true); // sign out, and delete my data on this computer
        });
        QSignalSpy signedOut(window.get(), &MainWindow::signOutFinished);
        QTest::mouseClick(window->findChild<QPushButton *>(QStringLiteral("signOutButton")), Qt::LeftButton);
        QVERIFY(signedOut.wait(30000));
        QVERIFY2(!window->statusBar()->currentMessage().contains(QStringLiteral("could not be deleted")),
                 qPrintable(window->statusBar()->currentMessage()));
        const QStringList files{path, path + QStringLiteral("-wal"), path + QStringLiteral("-shm")};
        for (const QString &file : files)
            QVERIFY2(!QFileInfo::exists(file), qPrintable(file));
        // The user's picture, kept by the window, went with the data.
        const QStringList pictures = QDir(HttpCacheFile::picturesDirectory()).entryList(QDir::Files);
        QVERIFY2(pictures.isEmpty(), qPrintable(pictures.join(u' ')));
        // Nothing left open on the deleted file writes it back, neither now nor when the window goes.
        QTest::qWait(500);
        window->close();
        QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 15000);
        window.reset();
        for (const QString &file : files)
            QVERIFY2(!QFileInfo::exists(file), qPrintable(file));
    }

    // Signed in again: this computer has nothing of theirs until a sync brings it from the server.
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    const QStringList get{QStringLiteral("--profile-file"), m_sandbox.profileFile(), QStringLiteral("get"),
                          QStringLiteral("journal"), QStringLiteral("friday")};
    const CliRun local = runCli(get);
    QVERIFY2(local.exitCode != 0, qPrintable(local.out));
    QVERIFY2(local.err.contains(QStringLiteral("journal")), qPrintable(local.err));
    const CliRun synced =
        runCli({QStringLiteral("--profile-file"), m_sandbox.profileFile(), QStringLiteral("sync")});
    QVERIFY2(synced.exitCode == 0, qPrintable(synced.err));
    const CliRun fromServer = runCli(get);
    QVERIFY2(fromServer.exitCode == 0, qPrintable(fromServer.err));
    QCOMPARE(fromServer.out.trimmed(), QStringLiteral("sent before forgetting"));
    QVERIFY(QFileInfo::exists(path)); // the same place, a new file
}

FEDSYNC_GUI_TEST_MAIN(TestEverydayStart)
#include "tst_everydaystart.moc"

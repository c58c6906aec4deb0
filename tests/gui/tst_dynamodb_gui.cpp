// The main window on a profile whose datasets live in the sandbox's DynamoDB table
// (ready.dynamodb_profile_file), against the real sandbox: the dataset editor adds, edits and removes
// records, synchronizes, a second device (fedsync-cli with its own data directory) sees them, and a
// concurrent edit shows the same conflict dialog as on Cognito Sync. Then Tools > Migrate from Cognito
// Sync…: datasets seeded in Cognito Sync with the Cognito profile are copied by the dialog (stopped once
// with Cancel, then completed), the editor shows them, a fresh DynamoDB device gets them, and a second
// run says there is nothing to copy.
#include "clilogin.h"
#include "config/appidentity.h"
#include "conflictdialog.h"
#include "dataseteditor.h"
#include "datasetlistmodel.h"
#include "guitestmain.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "migrationdialog.h"
#include "recordeditdialog.h"
#include "recordtablemodel.h"
#include "sandbox.h"
#include "secrets/keychainsecretstore.h"
#include "session/signinstate.h"
#include "session/profilecontext.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace fedsync;
using namespace fedsync::test;
using namespace fedsync::ui;

class TestDynamoDbGui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void editorWorksOnDynamoDb();
    void migrationFromTheToolsMenu();
    void migrationNeedsADynamoDbProfile();

private:
    enum class Store { Cognito, DynamoDb };
    CliRun cli(Store store, const QStringList &args, const QString &device);
    std::unique_ptr<ProfileContext> openWindow(const Profile &profile, std::unique_ptr<MainWindow> *window);
    static bool sync(DatasetEditor *editor);
    static void waitIdle(ProfileContext *context);
    static void selectKey(DatasetEditor *editor, const QString &key);
    static RecordEditDialog *recordDialog(DatasetEditor *editor);
    static QString shownValue(DatasetEditor *editor, const QString &key);

    Sandbox m_sandbox;
    QTemporaryDir m_devices;
    std::unique_ptr<KeychainSecretStore> m_keychain;
};

void TestDynamoDbGui::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    applyApplicationIdentity();
    QVERIFY2(m_sandbox.start(120000), qPrintable(m_sandbox.errorString())); // a busy machine starts it slowly
    m_keychain = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
    // Each profile file has its own keychain namespace: sign in with both.
    CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    login = cliLogin(m_sandbox, 0, m_sandbox.dynamoDbProfileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
}

CliRun TestDynamoDbGui::cli(Store store, const QStringList &args, const QString &device)
{
    // Same keychain and settings (the same user), a data directory of its own: another device's store.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_devices.filePath(device));
    const QString file = store == Store::Cognito ? m_sandbox.profileFile() : m_sandbox.dynamoDbProfileFile();
    return runCli(QStringList{QStringLiteral("--profile-file"), file} + args, env, 120000);
}

std::unique_ptr<ProfileContext> TestDynamoDbGui::openWindow(const Profile &profile,
                                                            std::unique_ptr<MainWindow> *window)
{
    UserError error;
    auto context = ProfileContext::create(profile, m_keychain.get(), &error);
    if (!context) {
        qWarning() << error.text();
        return nullptr;
    }
    *window = std::make_unique<MainWindow>(context.get());
    (*window)->resize(800, 600);
    (*window)->show();
    QSignalSpy opened(window->get(), &MainWindow::datasetsOpened);
    (*window)->startSilentSignIn();
    if (!opened.wait(30000))
        return nullptr;
    DatasetEditor *editor = (*window)->datasetEditor();
    editor->setSyncInterval(0);
    if (!QTest::qWaitFor([editor] { return !editor->isSyncing(); }, 30000)) // the sync on open
        return nullptr;
    return context;
}

bool TestDynamoDbGui::sync(DatasetEditor *editor)
{
    QSignalSpy synced(editor, &DatasetEditor::syncFinished);
    QTest::mouseClick(editor->findChild<QPushButton *>(QStringLiteral("syncButton")), Qt::LeftButton);
    return synced.wait(30000) && synced.first().first().toBool();
}

void TestDynamoDbGui::waitIdle(ProfileContext *context)
{
    // This test blocks its event loop while the CLI runs: the session's keychain work ends first.
    bool idle = false;
    context->session()->whenIdle([&idle] { idle = true; });
    QTRY_VERIFY_WITH_TIMEOUT(idle, 20000);
}

void TestDynamoDbGui::selectKey(DatasetEditor *editor, const QString &key)
{
    auto *view = editor->findChild<QTableView *>(QStringLiteral("recordView"));
    const QModelIndex source = editor->recordModel()->index(editor->recordModel()->rowOf(key), 0);
    const QModelIndex index = editor->filterModel()->mapFromSource(source);
    QVERIFY(index.isValid());
    view->setFocus();
    view->setCurrentIndex(index);
    view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

RecordEditDialog *TestDynamoDbGui::recordDialog(DatasetEditor *editor)
{
    RecordEditDialog *dialog = nullptr;
    if (!QTest::qWaitFor([&] { return (dialog = editor->findChild<RecordEditDialog *>()) && dialog->isVisible(); }))
        return nullptr;
    return dialog;
}

QString TestDynamoDbGui::shownValue(DatasetEditor *editor, const QString &key)
{
    const int row = editor->recordModel()->rowOf(key);
    return row < 0 ? QStringLiteral("<none>")
                   : editor->recordModel()->index(row, RecordTableModel::ValueColumn).data().toString();
}

void TestDynamoDbGui::editorWorksOnDynamoDb()
{
    std::unique_ptr<MainWindow> window;
    std::unique_ptr<ProfileContext> context = openWindow(m_sandbox.dynamoDbProfile(), &window);
    QVERIFY(context);
    DatasetEditor *editor = window->datasetEditor();
    QVERIFY(!editor->errorBanner()->isVisible());
    editor->prompts().confirm = [](QWidget *, const QString &, const QString &, std::function<void(bool)> yes) {
        yes(true);
    };

    // A dataset and three records typed into the editor's dialog.
    editor->prompts().askText = [](QWidget *, const QString &, const QString &,
                                   std::function<UserError(QString)> answer) { answer(QStringLiteral("prefs")); };
    editor->findChild<QAction *>(QStringLiteral("actionNewDataset"))->trigger();
    QCOMPARE(editor->currentDataset(), QStringLiteral("prefs"));
    const std::pair<QString, QString> records[] = {{QStringLiteral("theme"), QStringLiteral("solarized")},
                                                   {QStringLiteral("font"), QStringLiteral("mono")},
                                                   {QStringLiteral("draft"), QStringLiteral("to be removed")}};
    for (const auto &[key, value] : records) {
        editor->addRecord();
        RecordEditDialog *dialog = recordDialog(editor);
        QVERIFY(dialog);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("keyEdit")), key);
        QTest::keyClicks(dialog->findChild<QPlainTextEdit *>(QStringLiteral("valueEdit")), value);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QTRY_VERIFY(!editor->findChild<RecordEditDialog *>());
    }
    QCOMPARE(editor->recordModel()->rowCount(), 3);
    QVERIFY(sync(editor));

    // Edit one, remove another, sync again.
    selectKey(editor, QStringLiteral("font"));
    editor->editRecord();
    RecordEditDialog *dialog = recordDialog(editor);
    QVERIFY(dialog);
    auto *valueEdit = dialog->findChild<QPlainTextEdit *>(QStringLiteral("valueEdit"));
    valueEdit->selectAll();
    QTest::keyClicks(valueEdit, QStringLiteral("serif"));
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QTRY_VERIFY(!editor->findChild<RecordEditDialog *>());
    selectKey(editor, QStringLiteral("draft"));
    editor->deleteRecords();
    QTRY_COMPARE(editor->recordModel()->rowCount(), 2);
    QVERIFY(sync(editor));
    QVERIFY(!editor->errorBanner()->isVisible());

    // A second device (the CLI, its own data directory) sees exactly that.
    waitIdle(context.get());
    CliRun run = cli(Store::DynamoDb, {QStringLiteral("sync")}, QStringLiteral("second"));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    run = cli(Store::DynamoDb, {QStringLiteral("get"), QStringLiteral("prefs"), QStringLiteral("font")},
              QStringLiteral("second"));
    QCOMPARE(run.out.trimmed(), QStringLiteral("serif"));
    run = cli(Store::DynamoDb, {QStringLiteral("get"), QStringLiteral("prefs"), QStringLiteral("theme")},
              QStringLiteral("second"));
    QCOMPARE(run.out.trimmed(), QStringLiteral("solarized"));
    run = cli(Store::DynamoDb, {QStringLiteral("get"), QStringLiteral("prefs"), QStringLiteral("draft")},
              QStringLiteral("second"));
    QCOMPARE(run.exitCode, 1); // removed

    // Both change "theme": the second device first, then the window, whose sync meets a conflict.
    QCOMPARE(cli(Store::DynamoDb,
                 {QStringLiteral("put"), QStringLiteral("prefs"), QStringLiteral("theme"), QStringLiteral("dark")},
                 QStringLiteral("second"))
                 .exitCode,
             0);
    run = cli(Store::DynamoDb, {QStringLiteral("sync")}, QStringLiteral("second"));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    selectKey(editor, QStringLiteral("theme"));
    editor->editRecord();
    QVERIFY((dialog = recordDialog(editor)));
    valueEdit = dialog->findChild<QPlainTextEdit *>(QStringLiteral("valueEdit"));
    valueEdit->selectAll();
    QTest::keyClicks(valueEdit, QStringLiteral("light"));
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QTRY_VERIFY(!editor->findChild<RecordEditDialog *>());

    QSignalSpy synced(editor, &DatasetEditor::syncFinished);
    editor->syncNow();
    ConflictDialog *conflicts = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((conflicts = editor->findChild<ConflictDialog *>()) && conflicts->isVisible(),
                             30000);
    QCOMPARE(conflicts->conflictCount(), 1);
    auto *table = conflicts->findChild<QTableWidget *>(QStringLiteral("conflictTable"));
    QCOMPARE(table->item(0, ConflictDialog::KeyColumn)->text(), QStringLiteral("theme"));
    QCOMPARE(table->item(0, ConflictDialog::MineColumn)->text(), QStringLiteral("light"));
    QCOMPARE(table->item(0, ConflictDialog::TheirsColumn)->text(), QStringLiteral("dark"));
    QTest::mouseClick(conflicts->findChild<QPushButton *>(QStringLiteral("keepAllTheirsButton")),
                      Qt::LeftButton);
    QTest::mouseClick(conflicts->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
    // Keeping theirs sends nothing: the run may end within the click.
    QTRY_COMPARE_WITH_TIMEOUT(synced.size(), 1, 30000);
    QVERIFY(synced.first().first().toBool());
    QTRY_COMPARE(shownValue(editor, QStringLiteral("theme")), QStringLiteral("dark"));

    // Closing sends nothing more and closes.
    window->close();
    QTRY_VERIFY(!window->isVisible());
}

void TestDynamoDbGui::migrationFromTheToolsMenu()
{
    // Cognito Sync holds two datasets for this user, with values and a removal.
    const QString seed = QStringLiteral("seed");
    for (int i = 0; i < 20; ++i)
        QCOMPARE(cli(Store::Cognito,
                     {QStringLiteral("put"), QStringLiteral("notes"), QStringLiteral("note-%1").arg(i),
                      QStringLiteral("text %1").arg(i)},
                     seed)
                     .exitCode,
                 0);
    QCOMPARE(cli(Store::Cognito,
                 {QStringLiteral("put"), QStringLiteral("bookmarks"), QStringLiteral("home"),
                  QStringLiteral("https://example.org/")},
                 seed)
                 .exitCode,
             0);
    QCOMPARE(cli(Store::Cognito,
                 {QStringLiteral("put"), QStringLiteral("bookmarks"), QStringLiteral("gone"),
                  QStringLiteral("soon")},
                 seed)
                 .exitCode,
             0);
    CliRun run = cli(Store::Cognito, {QStringLiteral("sync")}, seed);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(cli(Store::Cognito, {QStringLiteral("rm"), QStringLiteral("bookmarks"), QStringLiteral("gone")},
                 seed)
                 .exitCode,
             0);
    run = cli(Store::Cognito, {QStringLiteral("sync")}, seed);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));

    std::unique_ptr<MainWindow> window;
    std::unique_ptr<ProfileContext> context = openWindow(m_sandbox.dynamoDbProfile(), &window);
    QVERIFY(context);
    DatasetEditor *editor = window->datasetEditor();
    QCOMPARE(editor->datasetModel()->rowOf(QStringLiteral("notes")), -1);
    auto *action = window->findChild<QAction *>(QStringLiteral("actionMigrateFromCognitoSync"));
    QVERIFY(action);
    QVERIFY2(action->isEnabled(), qPrintable(action->toolTip()));

    // A bad day first: Cognito Sync keeps answering 503. The dialog says so in words, and nothing is lost.
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/faults"),
                            {{QStringLiteral("service"), QStringLiteral("cognito-sync")},
                             {QStringLiteral("operation"), QStringLiteral("ListDatasets")},
                             {QStringLiteral("kind"), QStringLiteral("http503")},
                             {QStringLiteral("count"), 20}}));
    action->trigger();
    MigrationDialog *failing = nullptr;
    QTRY_VERIFY((failing = window->findChild<MigrationDialog *>()) && failing->isVisible());
    failing->start();
    QTRY_VERIFY_WITH_TIMEOUT(failing->state() == MigrationDialog::State::Failed, 60000);
    QCOMPARE(failing->statusText(), QStringLiteral("The migration did not finish."));
    const QStringList explained = failing->reportText().split(QLatin1Char('\n'));
    QVERIFY2(explained.size() >= 3 && !explained.first().isEmpty(), qPrintable(failing->reportText()));
    QVERIFY2(failing->reportText().contains(QStringLiteral("Cognito Sync was not changed")),
             qPrintable(failing->reportText()));
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));
    failing->reject();
    QTRY_VERIFY(!window->findChild<MigrationDialog *>());

    // Started, then stopped with Cancel while DynamoDB holds a write back.
    QVERIFY(m_sandbox.admin(QStringLiteral("admin/faults"),
                            {{QStringLiteral("service"), QStringLiteral("dynamodb")},
                             {QStringLiteral("operation"), QStringLiteral("TransactWriteItems")},
                             {QStringLiteral("kind"), QStringLiteral("delay")},
                             {QStringLiteral("delay_ms"), 3000},
                             {QStringLiteral("count"), 2}}));
    action->trigger();
    MigrationDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window->findChild<MigrationDialog *>()) && dialog->isVisible());
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("intro"))
                ->text()
                .contains(QStringLiteral("nothing there is changed or deleted")));
    QCOMPARE(dialog->state(), MigrationDialog::State::Ready); // nothing starts before the user says so
    auto *startButton = dialog->findChild<QPushButton *>(QStringLiteral("startButton"));
    auto *closeButton = dialog->findChild<QPushButton *>(QStringLiteral("closeButton"));
    QTest::keyClick(dialog, Qt::Key_Return); // Start is the default button
    QTRY_VERIFY_WITH_TIMEOUT(dialog->statusText().startsWith(QStringLiteral("Copying")), 30000);
    QVERIFY(!startButton->isEnabled());
    QCOMPARE(closeButton->text(), QStringLiteral("&Cancel"));
    // The window still answers while it runs (nothing waits on the UI thread).
    QElapsedTimer answered;
    answered.start();
    QTest::qWait(100);
    QVERIFY(answered.elapsed() < 1000);
    QTest::keyClick(dialog, Qt::Key_Escape); // what Cancel does
    QCOMPARE(dialog->state(), MigrationDialog::State::Cancelled);
    QVERIFY(dialog->isVisible()); // Cancel stops the run; the dialog stays with what happened
    QCOMPARE(closeButton->text(), QStringLiteral("&Close"));
    QVERIFY2(dialog->reportText().contains(QStringLiteral("What was copied so far stays in DynamoDB")),
             qPrintable(dialog->reportText()));
    QVERIFY(startButton->isEnabled());
    QVERIFY(m_sandbox.adminDelete(QStringLiteral("admin/faults")));

    // Run again: copies the rest, verified; the editor synchronizes and shows the datasets.
    QTest::mouseClick(startButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->state() != MigrationDialog::State::Running &&
                                 dialog->state() != MigrationDialog::State::Preparing,
                             60000);
    QCOMPARE(dialog->state(), MigrationDialog::State::Finished);
    const QString report = dialog->reportText();
    QVERIFY2(report.contains(QStringLiteral("“notes”")) && report.contains(QStringLiteral("“bookmarks”")),
             qPrintable(report));
    QVERIFY2(report.contains(QStringLiteral("Cognito Sync was not changed")), qPrintable(report));
    QVERIFY2(!report.contains(QStringLiteral("not verified")), qPrintable(report));
    QVERIFY2(report.contains(QStringLiteral("20 record(s)")), qPrintable(report));
    if (const QString shots = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR"); !shots.isEmpty())
        QVERIFY(dialog->grab().save(shots + QStringLiteral("/migration-dialog.png")));
    QTRY_VERIFY_WITH_TIMEOUT(editor->datasetModel()->rowOf(QStringLiteral("notes")) >= 0 &&
                                 editor->datasetModel()->rowOf(QStringLiteral("bookmarks")) >= 0,
                             30000);
    QTRY_VERIFY_WITH_TIMEOUT(!editor->isSyncing(), 30000);
    editor->setCurrentDataset(QStringLiteral("bookmarks"));
    QTRY_COMPARE(shownValue(editor, QStringLiteral("home")), QStringLiteral("https://example.org/"));
    QCOMPARE(shownValue(editor, QStringLiteral("gone")), QStringLiteral("<none>"));

    // A third run: nothing to copy, and it says so.
    QTest::mouseClick(startButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->state() == MigrationDialog::State::Finished, 60000);
    QCOMPARE(dialog->statusText(), QStringLiteral("Nothing to copy: already migrated."));
    QVERIFY2(dialog->reportText().contains(QStringLiteral("Nothing to copy: already migrated")),
             qPrintable(dialog->reportText()));
    QTest::mouseClick(closeButton, Qt::LeftButton);
    QTRY_VERIFY(!window->findChild<MigrationDialog *>());

    // DynamoDB holds them: a fresh DynamoDB device gets the values, and the removal.
    waitIdle(context.get());
    run = cli(Store::DynamoDb, {QStringLiteral("sync")}, QStringLiteral("fresh"));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    run = cli(Store::DynamoDb, {QStringLiteral("get"), QStringLiteral("notes"), QStringLiteral("note-19")},
              QStringLiteral("fresh"));
    QCOMPARE(run.out, QStringLiteral("text 19\n"));
    run = cli(Store::DynamoDb, {QStringLiteral("get"), QStringLiteral("bookmarks"), QStringLiteral("gone")},
              QStringLiteral("fresh"));
    QCOMPARE(run.exitCode, 1);

    window->close();
    QTRY_VERIFY(!window->isVisible());
}

void TestDynamoDbGui::migrationNeedsADynamoDbProfile()
{
    // On the Cognito Sync profile the action is there, off, and says why.
    std::unique_ptr<MainWindow> window;
    std::unique_ptr<ProfileContext> context = openWindow(m_sandbox.profile(), &window);
    QVERIFY(context);
    auto *action = window->findChild<QAction *>(QStringLiteral("actionMigrateFromCognitoSync"));
    QVERIFY(action);
    QVERIFY(!action->isEnabled());
    QVERIFY2(action->toolTip().contains(QStringLiteral("keeps its datasets in Cognito Sync")),
             qPrintable(action->toolTip()));

    // A DynamoDB profile that names no Cognito Sync endpoint to migrate from: off too.
    Profile noSource = m_sandbox.dynamoDbProfile();
    noSource.cognito.cognitoSyncEndpoint.clear();
    UserError error;
    auto other = ProfileContext::create(noSource, m_keychain.get(), &error);
    QVERIFY2(other, qPrintable(error.text()));
    MainWindow second(other.get());
    auto *off = second.findChild<QAction *>(QStringLiteral("actionMigrateFromCognitoSync"));
    QVERIFY(!off->isEnabled());
    QVERIFY2(off->toolTip().contains(QStringLiteral("no Cognito Sync endpoint")), qPrintable(off->toolTip()));
    window->close();
    QTRY_VERIFY(!window->isVisible());
}

FEDSYNC_GUI_TEST_MAIN(TestDynamoDbGui)
#include "tst_dynamodb_gui.moc"

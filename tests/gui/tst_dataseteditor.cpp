// The dataset editor driven as a user drives it (shortcuts, typing, clicks) over a real SQLite store
// and an in-memory Cognito Sync: add/edit/delete with undo and redo reaching the store, the filter,
// Sync now with Cancel, conflicts settled in the real dialog, the offline banner, the size limit, JSON
// import/export, dataset deletion, the periodic sync and the sync before closing.
// With FEDSYNC_SCREENSHOT_DIR set, it also saves the README's screenshots there.
#include "conflictdialog.h"
#include "dataseteditor.h"
#include "datasetlistmodel.h"
#include "guitestmain.h"
#include "messagebanner.h"
#include "recordeditdialog.h"
#include "recordtablemodel.h"
#include "sync/datasetjson.h"
#include "memorysyncremote.h"
#include "sync/syncengine.h"
#include "usecases/synccontroller.h"

#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>
#include <QUndoGroup>

using namespace fedsync;
using namespace fedsync::ui;
using Op = MemorySyncRemote::Operation;

namespace {

const QString D = QStringLiteral("prefs");

SyncRetryPolicy quickRetries()
{
    SyncRetryPolicy retry;
    retry.maxTransientRetries = 1;
    retry.initialBackoffMs = 5;
    retry.maxBackoffMs = 10;
    return retry;
}

// Another device of the same identity, to make conflicts.
struct OtherDevice
{
    OtherDevice(const QString &path, MemorySyncRemote &remote)
        : store(path)
        , engine(store, remote, QStringLiteral("other-device"))
    {
        opened = !store.open().isError();
    }
    bool sync(const QString &dataset)
    {
        QSignalSpy finished(&engine, &SyncEngine::finished);
        engine.synchronize(dataset, ConflictPolicy::KeepMine);
        return finished.wait();
    }
    LocalStore store;
    SyncEngine engine;
    bool opened = false;
};

} // namespace

class TestDatasetEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void addEditDeleteUndoRedo();
    void newDatasetAndFilter();
    void syncNowPushesAndClearsMarks();
    void syncCanBeCancelled();
    void conflictsSettledInDialog();
    void conflictDialogCancelKeepsEditsPending();
    void offlineBannerUntilServerIsBack();
    void oversizeValueRefusedNothingLost();
    void importExportRoundTrip();
    void badImportChangesNothing();
    void importMarksOnlyChangedRecordsDirty();
    void deleteDatasetAsksFirst();
    void periodicSync();
    void syncBeforeClose();
    void syncBeforeCloseGivesUp();
    void longKeyDoesNotWidenTheEditor();
    void tabLeavesTheTableAndReachesEveryButton();
    void deleteSelectsTheNextRecord();
    void keyLimitsCountCharacters();
    void conflictNamesTheDeviceNotTheIdentity();
    void screenshots();

private:
    void makeEditor();
    QTableView *view() const { return m_editor->findChild<QTableView *>(QStringLiteral("recordView")); }
    RecordEditDialog *openDialog() const;
    bool sync();
    void selectKey(const QString &key);
    QString value(const QString &key, const QString &dataset = D) const
    {
        const auto record = m_store->record(dataset, key).value;
        return record && record->record.value ? *record->record.value : QStringLiteral("<none>");
    }
    bool dirty(const QString &key) const
    {
        const auto record = m_store->record(D, key).value;
        return record && record->dirty;
    }
    QString serverValue(const QString &key) const
    {
        const auto record = m_remote->serverRecord(D, key);
        return record && record->value ? *record->value : QStringLiteral("<none>");
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MemorySyncRemote> m_remote;
    std::unique_ptr<LocalStore> m_store;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<SyncController> m_sync;
    std::unique_ptr<DatasetEditor> m_editor;
};

void TestDatasetEditor::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_remote = std::make_unique<MemorySyncRemote>();
    m_store = std::make_unique<LocalStore>(m_dir->filePath(QStringLiteral("store.sqlite")));
    QVERIFY(!m_store->open().isError());
    m_engine = std::make_unique<SyncEngine>(*m_store, *m_remote, QStringLiteral("this-device"));
    m_engine->setRetryPolicy(quickRetries());
}

void TestDatasetEditor::makeEditor()
{
    m_sync = std::make_unique<SyncController>(*m_store, *m_engine);
    m_sync->setInterval(SyncController::DefaultIntervalMs); // as the main window sets it
    m_editor = std::make_unique<DatasetEditor>(*m_sync);
    m_editor->resize(960, 600);
    m_editor->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_editor.get()));
    // Shortcuts need an active window (Xvfb has no window manager to make it so).
    m_editor->activateWindow();
    QApplication::setActiveWindow(m_editor.get());
    QTRY_VERIFY(m_editor->isActiveWindow());
    // Any question a test did not script fails the test instead of hanging it.
    m_editor->prompts().confirm = [](QWidget *, const QString &, const QString &text,
                                     std::function<void(bool)>) {
        QFAIL(qPrintable(QStringLiteral("unexpected confirmation: ") + text));
    };
}

void TestDatasetEditor::cleanup()
{
    m_editor.reset();
    m_sync.reset();
    m_engine.reset();
    m_store.reset();
    m_remote.reset();
    m_dir.reset();
}

RecordEditDialog *TestDatasetEditor::openDialog() const
{
    RecordEditDialog *dialog = nullptr;
    if (!QTest::qWaitFor([&] {
            dialog = m_editor->findChild<RecordEditDialog *>();
            return dialog && dialog->isVisible();
        }))
        return nullptr;
    return dialog;
}

bool TestDatasetEditor::sync()
{
    QSignalSpy finished(m_editor.get(), &DatasetEditor::syncFinished);
    QTest::mouseClick(m_editor->findChild<QPushButton *>(QStringLiteral("syncButton")), Qt::LeftButton);
    return finished.wait() && finished.first().first().toBool();
}

void TestDatasetEditor::selectKey(const QString &key)
{
    const QModelIndex source = m_editor->recordModel()->index(m_editor->recordModel()->rowOf(key), 0);
    const QModelIndex index = m_editor->filterModel()->mapFromSource(source);
    QVERIFY(index.isValid());
    view()->setFocus();
    view()->setCurrentIndex(index);
    view()->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void TestDatasetEditor::addEditDeleteUndoRedo()
{
    QVERIFY(!m_store->createDataset(D).isError());
    makeEditor();
    QCOMPARE(m_editor->currentDataset(), D);

    // Add: Ctrl+N, type the key and a two-line value, OK.
    view()->setFocus();
    QTest::keySequence(view(), QKeySequence::New);
    RecordEditDialog *dialog = openDialog();
    QVERIFY(dialog);
    QVERIFY(!dialog->canSave()); // no key yet
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("keyEdit")), QStringLiteral("theme"));
    auto *valueEdit = dialog->findChild<QPlainTextEdit *>(QStringLiteral("valueEdit"));
    QTest::keyClicks(valueEdit, QStringLiteral("dark"));
    QTest::keyClick(valueEdit, Qt::Key_Return);
    QTest::keyClicks(valueEdit, QStringLiteral("contrast=high"));
    QVERIFY(dialog->canSave());
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QTRY_VERIFY(!m_editor->findChild<RecordEditDialog *>());
    QCOMPARE(value(QStringLiteral("theme")), QStringLiteral("dark\ncontrast=high"));
    QVERIFY(dirty(QStringLiteral("theme")));
    QCOMPARE(m_editor->recordModel()->rowCount(), 1);

    // Adding the same key again is refused in the dialog.
    QTest::keySequence(view(), QKeySequence::New);
    QVERIFY((dialog = openDialog()));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("keyEdit")), QStringLiteral("theme"));
    QVERIFY(!dialog->canSave());
    QVERIFY(dialog->message().contains(QStringLiteral("exists")));
    dialog->reject();
    QTRY_VERIFY(!m_editor->findChild<RecordEditDialog *>());

    // Edit: select, F2, replace the value.
    selectKey(QStringLiteral("theme"));
    QTest::keyClick(view(), Qt::Key_F2);
    QVERIFY((dialog = openDialog()));
    QCOMPARE(dialog->value(), QStringLiteral("dark\ncontrast=high"));
    QVERIFY(dialog->findChild<QLineEdit *>(QStringLiteral("keyEdit"))->isReadOnly());
    valueEdit = dialog->findChild<QPlainTextEdit *>(QStringLiteral("valueEdit"));
    valueEdit->selectAll();
    QTest::keyClicks(valueEdit, QStringLiteral("light"));
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QTRY_VERIFY(!m_editor->findChild<RecordEditDialog *>());
    QCOMPARE(value(QStringLiteral("theme")), QStringLiteral("light"));

    // Delete: the Delete key on the selected row (and only in the table: not from the dataset list).
    selectKey(QStringLiteral("theme"));
    auto *datasets = m_editor->findChild<QTreeView *>(QStringLiteral("datasetView"));
    datasets->setFocus();
    QTest::keySequence(datasets, QKeySequence::Delete);
    QCOMPARE(value(QStringLiteral("theme")), QStringLiteral("light"));
    view()->setFocus();
    QTest::keySequence(view(), QKeySequence::Delete);
    QCOMPARE(value(QStringLiteral("theme")), QStringLiteral("<none>"));
    QCOMPARE(m_editor->recordModel()->rowCount(), 0);

    // Undo writes to the store: the deleted record comes back with its value, then the edit goes.
    QTest::keySequence(view(), QKeySequence::Undo);
    QCOMPARE(value(QStringLiteral("theme")), QStringLiteral("light"));
    QCOMPARE(m_editor->recordModel()->rowCount(), 1);
    QTest::keySequence(view(), QKeySequence::Undo);
    QCOMPARE(value(QStringLiteral("theme")), QStringLiteral("dark\ncontrast=high"));
    QTest::keySequence(view(), QKeySequence::Undo);
    QCOMPARE(value(QStringLiteral("theme")), QStringLiteral("<none>"));
    QVERIFY(!m_editor->undoGroup()->canUndo());
    // Redo brings them back in order.
    QTest::keySequence(view(), QKeySequence::Redo);
    QCOMPARE(value(QStringLiteral("theme")), QStringLiteral("dark\ncontrast=high"));
    QTest::keySequence(view(), QKeySequence::Redo);
    QCOMPARE(value(QStringLiteral("theme")), QStringLiteral("light"));
    QVERIFY(dirty(QStringLiteral("theme")));
}

void TestDatasetEditor::newDatasetAndFilter()
{
    makeEditor();
    QCOMPARE(m_editor->currentDataset(), QString());
    m_editor->prompts().askText = [](QWidget *, const QString &, const QString &,
                                     std::function<UserError(QString)> answer) {
        answer(QStringLiteral("bookmarks"));
    };
    m_editor->findChild<QAction *>(QStringLiteral("actionNewDataset"))->trigger();
    QCOMPARE(m_editor->currentDataset(), QStringLiteral("bookmarks"));
    QCOMPARE(m_editor->datasetModel()->rowCount(), 1);
    // A bad name is refused in the real dialog, which stays open with what was typed and the reason.
    m_editor->prompts().askText = EditorPrompts::dialogs().askText;
    m_editor->findChild<QAction *>(QStringLiteral("actionNewDataset"))->trigger();
    QLineEdit *nameEdit = nullptr;
    QTRY_VERIFY((nameEdit = m_editor->findChild<QLineEdit *>(QStringLiteral("textEdit"))) &&
                nameEdit->isVisible());
    QTest::keyClicks(nameEdit, QStringLiteral("with space"));
    QTest::keyClick(nameEdit, Qt::Key_Return);
    QVERIFY(nameEdit->isVisible());
    QCOMPARE(nameEdit->text(), QStringLiteral("with space"));
    auto *problem = m_editor->findChild<QLabel *>(QStringLiteral("problemLabel"));
    QVERIFY(problem && problem->isVisible());
    QVERIFY2(problem->text().contains(QStringLiteral("with space")), qPrintable(problem->text()));
    QCOMPARE(m_editor->datasetModel()->rowCount(), 1);
    nameEdit->selectAll();
    QTest::keyClicks(nameEdit, QStringLiteral("with_underscore"));
    QTest::keyClick(nameEdit, Qt::Key_Return);
    QTRY_VERIFY(!m_editor->findChild<QLineEdit *>(QStringLiteral("textEdit")));
    QCOMPARE(m_editor->currentDataset(), QStringLiteral("with_underscore"));
    QCOMPARE(m_editor->datasetModel()->rowCount(), 2);
    m_editor->setCurrentDataset(QStringLiteral("bookmarks"));

    for (const auto &[key, value] : {std::pair(QStringLiteral("qt"), QStringLiteral("https://qt.io")),
                                     std::pair(QStringLiteral("kde"), QStringLiteral("https://kde.org")),
                                     std::pair(QStringLiteral("docs"), QStringLiteral("https://doc.qt.io"))})
        QVERIFY(!m_store->putValue(QStringLiteral("bookmarks"), key, value).isError());
    m_editor->recordModel()->reload();
    QCOMPARE(m_editor->filterModel()->rowCount(), 3);

    // Ctrl+F goes to the filter; typing narrows by key or value.
    view()->setFocus();
    QTest::keySequence(view(), QKeySequence::Find);
    auto *filter = m_editor->findChild<QLineEdit *>(QStringLiteral("filterEdit"));
    QTRY_VERIFY(filter->hasFocus());
    QTest::keyClicks(filter, QStringLiteral("QT.IO"));
    QCOMPARE(m_editor->filterModel()->rowCount(), 2);
    QTest::keyClicks(filter, QStringLiteral("/"));
    QCOMPARE(m_editor->filterModel()->rowCount(), 0);
    filter->clear();
    QTest::keyClicks(filter, QStringLiteral("kde"));
    QCOMPARE(m_editor->filterModel()->rowCount(), 1);
    QCOMPARE(m_editor->filterModel()->index(0, 0).data().toString(), QStringLiteral("kde"));
}

void TestDatasetEditor::syncNowPushesAndClearsMarks()
{
    QVERIFY(!m_store->putValue(D, QStringLiteral("a"), QStringLiteral("1")).isError());
    QVERIFY(!m_store->putValue(D, QStringLiteral("b"), QStringLiteral("2")).isError());
    m_remote->serverPut(D, QStringLiteral("c"), QStringLiteral("from elsewhere"));
    makeEditor();
    QCOMPARE(m_editor->recordModel()->rowCount(), 2);
    QVERIFY(m_editor->recordModel()->index(0, 0).data(RecordTableModel::DirtyRole).toBool());

    QVERIFY(sync());
    QCOMPARE(serverValue(QStringLiteral("a")), QStringLiteral("1"));
    QCOMPARE(serverValue(QStringLiteral("b")), QStringLiteral("2"));
    QCOMPARE(m_editor->recordModel()->rowCount(), 3);
    for (int row = 0; row < 3; ++row)
        QVERIFY(!m_editor->recordModel()->index(row, 0).data(RecordTableModel::DirtyRole).toBool());
    QVERIFY(m_store->dirtyRecords(D).value.isEmpty());
    QVERIFY(m_editor->findChild<QLabel *>(QStringLiteral("syncStatus"))
                ->text()
                .contains(QStringLiteral("Synchronized")));
}

void TestDatasetEditor::syncCanBeCancelled()
{
    QVERIFY(!m_store->putValue(D, QStringLiteral("a"), QStringLiteral("1")).isError());
    m_remote->setLatency(300);
    makeEditor();
    auto *button = m_editor->findChild<QPushButton *>(QStringLiteral("syncButton"));
    QSignalSpy finished(m_editor.get(), &DatasetEditor::syncFinished);
    QTest::keySequence(view(), QKeySequence::Refresh); // F5
    QVERIFY(m_editor->isSyncing());
    QCOMPARE(button->text(), QStringLiteral("Cancel"));
    QVERIFY(m_editor->findChild<QProgressBar *>(QStringLiteral("syncProgress"))->isVisible());
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY(!m_editor->isSyncing());
    QVERIFY(button->text() != QStringLiteral("Cancel"));
    QVERIFY(dirty(QStringLiteral("a")));
    QVERIFY(m_editor->findChild<QLabel *>(QStringLiteral("syncStatus"))
                ->text()
                .contains(QStringLiteral("cancelled")));
    QVERIFY(!m_editor->errorBanner()->isVisible());
}

void TestDatasetEditor::conflictsSettledInDialog()
{
    OtherDevice other(m_dir->filePath(QStringLiteral("other.sqlite")), *m_remote);
    QVERIFY(other.opened);
    QVERIFY(!m_store->putValue(D, QStringLiteral("a"), QStringLiteral("base a")).isError());
    QVERIFY(!m_store->putValue(D, QStringLiteral("b"), QStringLiteral("base b")).isError());
    makeEditor();
    QVERIFY(sync());
    QVERIFY(other.sync(D));
    QVERIFY(!other.store.putValue(D, QStringLiteral("a"), QStringLiteral("their a")).isError());
    QVERIFY(!other.store.putValue(D, QStringLiteral("b"), QStringLiteral("their b")).isError());
    QVERIFY(other.sync(D));
    QVERIFY(!m_store->putValue(D, QStringLiteral("a"), QStringLiteral("my a")).isError());
    QVERIFY(!m_store->putValue(D, QStringLiteral("b"), QStringLiteral("my b")).isError());

    QSignalSpy finished(m_editor.get(), &DatasetEditor::syncFinished);
    QTest::keySequence(view(), QKeySequence(Qt::CTRL | Qt::Key_S));
    ConflictDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_editor->findChild<ConflictDialog *>()) && dialog->isVisible());
    QCOMPARE(dialog->conflictCount(), 2);
    auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("conflictTable"));
    QCOMPARE(table->item(0, ConflictDialog::KeyColumn)->text(), QStringLiteral("a"));
    QCOMPARE(table->item(0, ConflictDialog::MineColumn)->text(), QStringLiteral("my a"));
    QCOMPARE(table->item(0, ConflictDialog::TheirsColumn)->text(), QStringLiteral("their a"));
    QVERIFY(
        table->item(0, ConflictDialog::ChangedColumn)->text().contains(QStringLiteral("memory-identity")));
    // The merge editor starts from my value.
    QCOMPARE(dialog->findChild<QPlainTextEdit *>(QStringLiteral("mergedEdit"))->toPlainText(),
             QStringLiteral("my a"));

    // Keep all theirs, then merge "a" by typing in the merge editor.
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("keepAllTheirsButton")),
                      Qt::LeftButton);
    QCOMPARE(table->item(1, ConflictDialog::ChoiceColumn)->text(), QStringLiteral("Theirs"));
    dialog->setCurrentRow(0);
    auto *merged = dialog->findChild<QPlainTextEdit *>(QStringLiteral("mergedEdit"));
    merged->selectAll();
    QTest::keyClicks(merged, QStringLiteral("my a + their a"));
    QCOMPARE(table->item(0, ConflictDialog::ChoiceColumn)->text(), QStringLiteral("Merged"));
    if (const QString shots = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR"); !shots.isEmpty())
        QVERIFY(dialog->grab().save(shots + QStringLiteral("/conflict-dialog.png")));
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);

    QVERIFY(finished.wait());
    QVERIFY(finished.first().first().toBool());
    QCOMPARE(value(QStringLiteral("a")), QStringLiteral("my a + their a"));
    QCOMPARE(value(QStringLiteral("b")), QStringLiteral("their b"));
    QCOMPARE(serverValue(QStringLiteral("a")), QStringLiteral("my a + their a"));
    QCOMPARE(serverValue(QStringLiteral("b")), QStringLiteral("their b"));
    QVERIFY(m_store->dirtyRecords(D).value.isEmpty());
    QVERIFY(other.sync(D));
    QCOMPARE(*other.store.record(D, QStringLiteral("a")).value->record.value,
             QStringLiteral("my a + their a"));
    QCOMPARE(m_editor->recordModel()->index(0, RecordTableModel::ValueColumn).data().toString(),
             QStringLiteral("my a + their a"));
}

void TestDatasetEditor::conflictDialogCancelKeepsEditsPending()
{
    QVERIFY(!m_store->putValue(D, QStringLiteral("a"), QStringLiteral("base")).isError());
    makeEditor();
    QVERIFY(sync());
    m_remote->serverPut(D, QStringLiteral("a"), QStringLiteral("theirs"));
    QVERIFY(!m_store->putValue(D, QStringLiteral("a"), QStringLiteral("mine")).isError());
    QSignalSpy finished(m_editor.get(), &DatasetEditor::syncFinished);
    m_editor->syncNow();
    ConflictDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_editor->findChild<ConflictDialog *>()) && dialog->isVisible());
    dialog->reject(); // the run ends at once (cancelled)
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(value(QStringLiteral("a")), QStringLiteral("mine"));
    QVERIFY(dirty(QStringLiteral("a")));
    QCOMPARE(serverValue(QStringLiteral("a")), QStringLiteral("theirs"));
}

void TestDatasetEditor::offlineBannerUntilServerIsBack()
{
    QVERIFY(!m_store->putValue(D, QStringLiteral("a"), QStringLiteral("1")).isError());
    makeEditor();
    // ListDatasets fails (not retried): the server is unreachable, and the sync stops there.
    m_remote->failNext(Op::ListDatasets, RemoteErrorKind::Network, 1);
    QVERIFY(!sync());
    MessageBanner *banner = m_editor->offlineBanner();
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("kept on this computer")), qPrintable(banner->text()));
    QVERIFY(!m_editor->errorBanner()->isVisible()); // one message, not two
    QVERIFY(dirty(QStringLiteral("a")));

    // Editing still works offline and stays pending.
    view()->setFocus();
    QTest::keySequence(view(), QKeySequence::New);
    RecordEditDialog *dialog = openDialog();
    QVERIFY(dialog);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("keyEdit")), QStringLiteral("offline"));
    QTest::keyClicks(dialog->findChild<QPlainTextEdit *>(QStringLiteral("valueEdit")),
                     QStringLiteral("edit"));
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QTRY_VERIFY(!m_editor->findChild<RecordEditDialog *>());
    QCOMPARE(value(QStringLiteral("offline")), QStringLiteral("edit"));
    QVERIFY(dirty(QStringLiteral("offline")));
    QVERIFY(banner->isVisible());

    // The server is back: the banner's button synchronizes, and the banner goes.
    QSignalSpy finished(m_editor.get(), &DatasetEditor::syncFinished);
    QTest::mouseClick(banner->findChild<QPushButton *>(QStringLiteral("bannerAction")), Qt::LeftButton);
    QVERIFY(finished.wait());
    QVERIFY(finished.first().first().toBool());
    QVERIFY(!banner->isVisible());
    QCOMPARE(serverValue(QStringLiteral("offline")), QStringLiteral("edit"));
    QVERIFY(m_store->dirtyRecords(D).value.isEmpty());
}

void TestDatasetEditor::oversizeValueRefusedNothingLost()
{
    const QString big(700 * 1024, QLatin1Char('x'));
    QVERIFY(!m_store->putValue(D, QStringLiteral("notes"), big).isError());
    makeEditor();
    QCOMPARE(m_editor->findChild<QProgressBar *>(QStringLiteral("sizeMeter"))->value(), 5 + big.size());

    // In the dialog: OK disabled with the reason while the value does not fit; the text stays.
    view()->setFocus();
    QTest::keySequence(view(), QKeySequence::New);
    RecordEditDialog *dialog = openDialog();
    QVERIFY(dialog);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("keyEdit")), QStringLiteral("more"));
    dialog->setValue(big);
    QVERIFY(!dialog->canSave());
    QVERIFY2(dialog->message().contains(QStringLiteral("1 MB")), qPrintable(dialog->message()));
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->value().size(), big.size());
    // Shortening it makes it acceptable.
    dialog->setValue(big.left(300 * 1024));
    QVERIFY(dialog->canSave());
    dialog->reject();
    QTRY_VERIFY(!m_editor->findChild<RecordEditDialog *>());
    QCOMPARE(value(QStringLiteral("more")), QStringLiteral("<none>"));

    // A write the store refuses (through the model) shows the store's message inline, value untouched.
    QVERIFY(!m_editor->recordModel()->setData(
        m_editor->recordModel()->index(0, RecordTableModel::ValueColumn), QString(big + big)));
    QVERIFY(m_editor->errorBanner()->isVisible());
    const QString text = m_editor->errorBanner()->text();
    QVERIFY2(text.contains(QStringLiteral("cannot be saved")) && text.contains(QStringLiteral("1 MB")) &&
                 text.contains(QStringLiteral("Shorten")),
             qPrintable(text));
    QCOMPARE(value(QStringLiteral("notes")), big);
}

void TestDatasetEditor::importExportRoundTrip()
{
    QVERIFY(!m_store->putValue(D, QStringLiteral("theme"), QStringLiteral("dark")).isError());
    QVERIFY(!m_store->putValue(D, QStringLiteral("note"), QStringLiteral("two\nlines “quoted”")).isError());
    makeEditor();
    const QString path = m_dir->filePath(QStringLiteral("prefs.json"));
    m_editor->prompts().saveFile = [path](QWidget *, const QString &, const QString &suggested,
                                          std::function<void(QString)> answer) {
        QCOMPARE(suggested, QStringLiteral("prefs.json"));
        answer(path);
    };
    m_editor->findChild<QAction *>(QStringLiteral("actionExport"))->trigger();
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto exported = DatasetJson::read(file.readAll());
    QVERIFY(exported.ok());
    QCOMPARE(exported.value.dataset, D);
    QCOMPARE(exported.value.records.size(), 2);

    // Import into a new, empty dataset: the same records.
    m_editor->prompts().askText = [](QWidget *, const QString &, const QString &,
                                     std::function<UserError(QString)> answer) {
        answer(QStringLiteral("copy"));
    };
    m_editor->findChild<QAction *>(QStringLiteral("actionNewDataset"))->trigger();
    m_editor->prompts().openFile = [path](QWidget *, const QString &, std::function<void(QString)> answer) {
        answer(path);
    };
    m_editor->findChild<QAction *>(QStringLiteral("actionImport"))->trigger();
    // The records are saved on a worker thread; the editor shows them when the import is done.
    QTRY_COMPARE(m_editor->recordModel()->rowCount(), 2);
    QCOMPARE(m_editor->currentDataset(), QStringLiteral("copy"));
    QCOMPARE(value(QStringLiteral("theme"), QStringLiteral("copy")), QStringLiteral("dark"));
    QCOMPARE(value(QStringLiteral("note"), QStringLiteral("copy")), QStringLiteral("two\nlines “quoted”"));
    QCOMPARE(m_editor->recordModel()->rowCount(), 2);
    QVERIFY(!m_editor->errorBanner()->isVisible());
}

// Importing a file that repeats what the store holds sends nothing: only the records it changes become
// pending, as with fedsync-cli import (DatasetFile::changedRecords).
void TestDatasetEditor::importMarksOnlyChangedRecordsDirty()
{
    QVERIFY(!m_store->putValue(D, QStringLiteral("same"), QStringLiteral("1")).isError());
    QVERIFY(!m_store->putValue(D, QStringLiteral("edited"), QStringLiteral("old")).isError());
    makeEditor();
    QVERIFY(sync());
    QVERIFY(m_store->dirtyRecords(D).value.isEmpty());
    const QString path = m_dir->filePath(QStringLiteral("partly-new.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"records": [{"key": "same", "value": "1"}, {"key": "edited", "value": "new"},
                               {"key": "added", "value": "x"}]})");
    file.close();
    m_editor->prompts().openFile = [path](QWidget *, const QString &, std::function<void(QString)> answer) {
        answer(path);
    };
    m_editor->findChild<QAction *>(QStringLiteral("actionImport"))->trigger();
    // The changed records are saved on a worker thread, in one transaction: all of them show at once.
    QTRY_COMPARE(value(QStringLiteral("added")), QStringLiteral("x"));
    QVERIFY(!m_editor->errorBanner()->isVisible());
    QCOMPARE(value(QStringLiteral("edited")), QStringLiteral("new"));
    QCOMPARE(value(QStringLiteral("added")), QStringLiteral("x"));
    QVERIFY(!dirty(QStringLiteral("same")));
    QVERIFY(dirty(QStringLiteral("edited")));
    QVERIFY(dirty(QStringLiteral("added")));
    QCOMPARE(m_store->dirtyRecords(D).value.size(), 2);
}

void TestDatasetEditor::badImportChangesNothing()
{
    QVERIFY(!m_store->putValue(D, QStringLiteral("theme"), QStringLiteral("dark")).isError());
    makeEditor();
    const QString path = m_dir->filePath(QStringLiteral("bad.json"));
    m_editor->prompts().openFile = [path](QWidget *, const QString &, std::function<void(QString)> answer) {
        answer(path);
    };
    // Valid JSON with one bad key among good ones: nothing is imported.
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(R"({"theme": "light", "new": "v", ")") + QByteArray(200, 'k') + R"(": "v"})");
    file.close();
    m_editor->findChild<QAction *>(QStringLiteral("actionImport"))->trigger();
    QTRY_VERIFY(m_editor->errorBanner()->isVisible());
    QVERIFY(m_editor->errorBanner()->text().contains(QStringLiteral("cannot be imported")));
    QCOMPARE(value(QStringLiteral("theme")), QStringLiteral("dark"));
    QCOMPARE(value(QStringLiteral("new")), QStringLiteral("<none>"));
    QVERIFY(m_editor->undoGroup()->activeStack());

    // Not JSON at all.
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("theme = light");
    file.close();
    m_editor->findChild<QAction *>(QStringLiteral("actionImport"))->trigger();
    QVERIFY(m_editor->errorBanner()->text().contains(QStringLiteral("not valid JSON")));
    QCOMPARE(value(QStringLiteral("theme")), QStringLiteral("dark"));
}

void TestDatasetEditor::deleteDatasetAsksFirst()
{
    QVERIFY(!m_store->putValue(D, QStringLiteral("a"), QStringLiteral("1")).isError());
    QVERIFY(!m_store->putValue(QStringLiteral("other"), QStringLiteral("b"), QStringLiteral("2")).isError());
    makeEditor();
    QVERIFY(sync());
    m_editor->setCurrentDataset(D);
    bool asked = false;
    bool answer = false;
    m_editor->prompts().confirm = [&](QWidget *, const QString &, const QString &text,
                                      std::function<void(bool)> done) {
        asked = true;
        QVERIFY(text.contains(D));
        done(answer);
    };
    QAction *remove = m_editor->findChild<QAction *>(QStringLiteral("actionDeleteDataset"));
    remove->trigger();
    QVERIFY(asked);
    QCOMPARE(m_editor->datasetModel()->rowCount(), 2); // "no" keeps it
    answer = true;
    remove->trigger();
    QCOMPARE(m_editor->datasetModel()->rowCount(), 1);
    QCOMPARE(m_editor->currentDataset(), QStringLiteral("other"));
    QVERIFY(m_remote->hasDataset(D)); // until the next synchronization
    QVERIFY(sync());
    QVERIFY(!m_remote->hasDataset(D));
    QVERIFY(!m_store->dataset(D).value);
}

void TestDatasetEditor::periodicSync()
{
    QVERIFY(!m_store->putValue(D, QStringLiteral("a"), QStringLiteral("1")).isError());
    makeEditor();
    QCOMPARE(m_editor->syncInterval(), DatasetEditor::DefaultSyncIntervalMs);
    QSignalSpy finished(m_editor.get(), &DatasetEditor::syncFinished);
    m_editor->setSyncInterval(100);
    QVERIFY(finished.wait());
    QCOMPARE(serverValue(QStringLiteral("a")), QStringLiteral("1"));
    m_editor->setSyncInterval(0);
    QCOMPARE(m_editor->syncInterval(), 0);
}

void TestDatasetEditor::syncBeforeClose()
{
    makeEditor();
    QVERIFY(!m_store->putValue(D, QStringLiteral("last"), QStringLiteral("edit")).isError());
    m_remote->setLatency(50);
    QSignalSpy ready(m_editor.get(), &DatasetEditor::readyToClose);
    m_editor->syncBeforeClose();
    QVERIFY(ready.isEmpty()); // never from inside the call: the UI keeps running
    QVERIFY(m_editor->findChild<QLabel *>(QStringLiteral("syncStatus"))
                ->text()
                .contains(QStringLiteral("closing")));
    QVERIFY(ready.wait());
    QCOMPARE(ready.size(), 1);
    QCOMPARE(serverValue(QStringLiteral("last")), QStringLiteral("edit"));
    QVERIFY(!dirty(QStringLiteral("last")));
}

void TestDatasetEditor::syncBeforeCloseGivesUp()
{
    QVERIFY(!m_store->putValue(D, QStringLiteral("last"), QStringLiteral("edit")).isError());
    makeEditor();
    m_remote->setLatency(10000); // a server that does not answer
    QSignalSpy ready(m_editor.get(), &DatasetEditor::readyToClose);
    QElapsedTimer timer;
    timer.start();
    m_editor->syncBeforeClose(200);
    QVERIFY(ready.wait(3000));
    QVERIFY(timer.elapsed() < 3000);
    QVERIFY(dirty(QStringLiteral("last"))); // kept for the next start
    // Nothing pending: ready at once (but not from inside the call).
    cleanup();
    init();
    makeEditor();
    QSignalSpy readyAtOnce(m_editor.get(), &DatasetEditor::readyToClose);
    m_editor->syncBeforeClose();
    QVERIFY(readyAtOnce.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(readyAtOnce.size(), 1, 1000);
    QCOMPARE(m_remote->totalRequests(), 0);
}

void TestDatasetEditor::longKeyDoesNotWidenTheEditor()
{
    const QString longKey(LocalStore::MaxKeyLength, QLatin1Char('k'));
    QVERIFY(!m_store->putValue(D, longKey, QStringLiteral("v")).isError());
    QVERIFY(!m_store->putValue(D, QStringLiteral("short"), QStringLiteral("v")).isError());
    makeEditor();
    selectKey(longKey);
    QTest::keyClick(view(), Qt::Key_Delete);
    QTRY_VERIFY(!m_store->record(D, longKey).value || m_store->record(D, longKey).value->record.isRemoved());
    auto *undo = m_editor->findChild<QToolButton *>(QStringLiteral("undoButton"));
    QVERIFY(undo->isEnabled());
    QVERIFY2(undo->toolTip().startsWith(QStringLiteral("Undo Delete")), qPrintable(undo->toolTip()));
    QVERIFY2(undo->text().size() < 60, qPrintable(undo->text()));
    QVERIFY2(undo->toolTip().size() < 60, qPrintable(undo->toolTip()));
    // The whole editor still fits beside the dataset list in an 800-pixel window.
    QVERIFY2(m_editor->minimumSizeHint().width() <= 780,
             qPrintable(QString::number(m_editor->minimumSizeHint().width())));
    m_editor->resize(780, 450);
    QTest::qWait(50);
    // The value column and the filter box keep room to be used.
    QVERIFY2(view()->columnWidth(RecordTableModel::ValueColumn) >= 150,
             qPrintable(QString::number(view()->columnWidth(RecordTableModel::ValueColumn))));
    QVERIFY(m_editor->findChild<QLineEdit *>(QStringLiteral("filterEdit"))->width() >= 120);
    for (const char *name : {"importButton", "exportButton", "syncButton"}) {
        auto *button = m_editor->findChild<QWidget *>(QLatin1String(name));
        const QRect inEditor(button->mapTo(m_editor.get(), QPoint(0, 0)), button->size());
        QVERIFY2(m_editor->rect().contains(inEditor), name);
    }
}

void TestDatasetEditor::tabLeavesTheTableAndReachesEveryButton()
{
    for (int i = 0; i < 30; ++i)
        QVERIFY(!m_store->putValue(D, QStringLiteral("key%1").arg(i), QStringLiteral("v")).isError());
    makeEditor();
    selectKey(QStringLiteral("key0"));
    QSet<QString> reached;
    for (int i = 0; i < 30; ++i) {
        QWidget *focused = QApplication::focusWidget();
        QVERIFY(focused);
        reached.insert(focused->objectName());
        QTest::keyClick(focused, Qt::Key_Tab);
    }
    for (const char *name : {"importButton", "exportButton", "syncButton", "filterEdit", "datasetView"})
        QVERIFY2(reached.contains(QLatin1String(name)),
                 qPrintable(QStringList(reached.cbegin(), reached.cend()).join(QLatin1Char(' '))));
    // Import by keyboard: focus on the button, Space presses it.
    auto *import = m_editor->findChild<QToolButton *>(QStringLiteral("importButton"));
    bool asked = false;
    m_editor->prompts().openFile = [&asked](QWidget *, const QString &, std::function<void(QString)> answer) {
        asked = true;
        answer({});
    };
    import->setFocus(Qt::TabFocusReason);
    QTest::keyClick(import, Qt::Key_Space);
    QVERIFY(asked);
}

void TestDatasetEditor::deleteSelectsTheNextRecord()
{
    for (const char *key : {"a", "b", "c"})
        QVERIFY(!m_store->putValue(D, QLatin1String(key), QStringLiteral("v")).isError());
    makeEditor();
    selectKey(QStringLiteral("b"));
    QTest::keyClick(view(), Qt::Key_Delete);
    QTRY_COMPARE(m_editor->recordModel()->rowCount(), 2);
    const QModelIndexList selected = view()->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().data(RecordTableModel::KeyRole).toString(), QStringLiteral("c"));
    QVERIFY(m_editor->findChild<QAction *>(QStringLiteral("actionEditRecord"))->isEnabled());
    QVERIFY(m_editor->findChild<QAction *>(QStringLiteral("actionDeleteRecord"))->isEnabled());
    // Deleting again goes on with the keyboard alone.
    QTest::keyClick(view(), Qt::Key_Delete);
    QTRY_COMPARE(m_editor->recordModel()->rowCount(), 1);
    QCOMPARE(view()->selectionModel()->selectedRows().size(), 1);
}

void TestDatasetEditor::keyLimitsCountCharacters()
{
    QVERIFY(!m_store->createDataset(D).isError());
    makeEditor();
    m_editor->addRecord();
    RecordEditDialog *dialog = openDialog();
    QVERIFY(dialog);
    auto *key = dialog->findChild<QLineEdit *>(QStringLiteral("keyEdit"));
    auto *message = dialog->findChild<QLabel *>(QStringLiteral("messageLabel"));
    QTest::keyClicks(dialog->findChild<QPlainTextEdit *>(QStringLiteral("valueEdit")), QStringLiteral("v"));
    // 128 emoji are 128 characters for the service (256 UTF-16 units): allowed.
    QString emoji;
    for (int i = 0; i < LocalStore::MaxKeyLength; ++i)
        emoji += QString::fromUcs4(U"\U0001F600", 1);
    key->setText(emoji);
    QVERIFY2(dialog->okButton()->isEnabled(), qPrintable(message->text()));
    key->setText(emoji + QString::fromUcs4(U"\U0001F600", 1));
    QVERIFY(!dialog->okButton()->isEnabled());
    QVERIFY2(message->text().contains(QStringLiteral("129 characters")), qPrintable(message->text()));
    QVERIFY(message->text().contains(QStringLiteral("shorter")));
    // An empty key says so, not "choose a shorter key".
    QCOMPARE(LocalStore::checkKey({}).action.contains(QStringLiteral("shorter")), false);
    QVERIFY(LocalStore::checkKey({}).what.contains(QStringLiteral("empty")));
    dialog->reject();
    // The size limit talks in KB, never "1.00 MB".
    QVERIFY(
        !m_store->putValue(D, QStringLiteral("big"), QString(1024 * 1024 - 64, QLatin1Char('x'))).isError());
    const UserError tooBig = m_store->putValue(D, QStringLiteral("more"), QString(100, QLatin1Char('y')));
    QVERIFY(tooBig.isError());
    QVERIFY2(!tooBig.why.contains(QStringLiteral("1.00 MB")), qPrintable(tooBig.why));
}

void TestDatasetEditor::conflictNamesTheDeviceNotTheIdentity()
{
    // Cognito Sync's LastModifiedBy is the identity, which every device of the user shares.
    SyncConflict conflict;
    conflict.dataset = D;
    conflict.local.record.key = QStringLiteral("k");
    conflict.local.record.value = QStringLiteral("mine");
    conflict.remote.key = QStringLiteral("k");
    conflict.remote.value = QStringLiteral("theirs");
    conflict.remote.lastModifiedBy = QStringLiteral("us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    conflict.remote.lastModified = QDateTime::currentDateTimeUtc();
    SyncConflict bySupport = conflict;
    bySupport.remote.key = QStringLiteral("l");
    bySupport.remote.lastModifiedBy = QStringLiteral("support-tool");
    ConflictDialog dialog(D, {conflict, bySupport});
    auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("conflictTable"));
    const QString changed = table->item(0, ConflictDialog::ChangedColumn)->text();
    QVERIFY2(changed.contains(QStringLiteral("another of your devices")), qPrintable(changed));
    QVERIFY(!changed.contains(conflict.remote.lastModifiedBy));
    QVERIFY(table->item(1, ConflictDialog::ChangedColumn)->text().contains(QStringLiteral("support-tool")));
}

void TestDatasetEditor::screenshots()
{
    const QString shots = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR");
    if (shots.isEmpty())
        QSKIP("FEDSYNC_SCREENSHOT_DIR is not set");
    const QList<std::pair<QString, QString>> records{
        {QStringLiteral("editor.fontSize"), QStringLiteral("13")},
        {QStringLiteral("editor.theme"), QStringLiteral("solarized-dark")},
        {QStringLiteral("recentFiles"), QStringLiteral("~/notes/todo.md\n~/src/fedsync/README.md")},
        {QStringLiteral("sync.wifiOnly"), QStringLiteral("true")},
        {QStringLiteral("ui.language"), QStringLiteral("en-GB")},
        {QStringLiteral("window.geometry"),
         QStringLiteral("{\"x\": 120, \"y\": 80, \"w\": 1280, \"h\": 800}")},
    };
    QVERIFY(!m_store->putValues(QStringLiteral("preferences"), records).isError());
    QVERIFY(!m_store
                 ->putValue(QStringLiteral("bookmarks"), QStringLiteral("qt"),
                            QStringLiteral("https://doc.qt.io"))
                 .isError());
    QVERIFY(!m_store->putValue(QStringLiteral("game-progress"), QStringLiteral("level"), QStringLiteral("12"))
                 .isError());
    makeEditor();
    QVERIFY(sync());
    // One edit not synchronized yet.
    m_editor->setCurrentDataset(QStringLiteral("preferences"));
    const int row = m_editor->recordModel()->rowOf(QStringLiteral("editor.theme"));
    QVERIFY(
        m_editor->recordModel()->setData(m_editor->recordModel()->index(row, RecordTableModel::ValueColumn),
                                         QStringLiteral("solarized-light")));
    selectKey(QStringLiteral("editor.theme"));
    QTest::qWait(100);
    QVERIFY(m_editor->grab().save(shots + QStringLiteral("/dataset-editor.png")));
}

FEDSYNC_GUI_TEST_MAIN(TestDatasetEditor)
#include "tst_dataseteditor.moc"

// DatasetWorkspace: edits committed to the store at once with what undo needs (the value before),
// announcements for the views, the same limits as the store checked without writing, and
// synchronization results announced.
#include "sync/datasetworkspace.h"
#include "memorysyncremote.h"
#include "sync/syncengine.h"
#include "testmain.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>

using namespace fedsync;

namespace {
const QString D = QStringLiteral("prefs");
}

class TestDatasetWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void editsReportBeforeAndAfter();
    void restoreUndoesAnEdit();
    void failedEditChangesNothing();
    void checkValueMatchesTheStore();
    void syncIsAnnounced();
    void backgroundImportSavesAllAndAnnounces();
    void backgroundImportSavesNoneOnFailure();
    void backgroundImportIsDroppedWithTheWorkspace();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MemorySyncRemote> m_remote;
    std::unique_ptr<LocalStore> m_store;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<DatasetWorkspace> m_workspace;
};

void TestDatasetWorkspace::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_remote = std::make_unique<MemorySyncRemote>();
    m_store = std::make_unique<LocalStore>(m_dir->filePath(QStringLiteral("s.sqlite")));
    QVERIFY(!m_store->open().isError());
    m_engine = std::make_unique<SyncEngine>(*m_store, *m_remote, QStringLiteral("device"));
    m_workspace = std::make_unique<DatasetWorkspace>(*m_store, *m_engine);
}

void TestDatasetWorkspace::cleanup()
{
    m_workspace.reset();
    m_engine.reset();
    m_store.reset();
    m_remote.reset();
    m_dir.reset();
}

void TestDatasetWorkspace::editsReportBeforeAndAfter()
{
    QSignalSpy changed(m_workspace.get(), &DatasetWorkspace::recordChanged);
    auto added = m_workspace->setValue(D, QStringLiteral("k"), QStringLiteral("1"));
    QVERIFY(added.ok());
    QVERIFY(!added.value.before);
    QCOMPARE(*added.value.after, QStringLiteral("1"));
    auto edited = m_workspace->setValue(D, QStringLiteral("k"), QStringLiteral("2"));
    QCOMPARE(*edited.value.before, QStringLiteral("1"));
    auto removed = m_workspace->removeValue(D, QStringLiteral("k"));
    QCOMPARE(*removed.value.before, QStringLiteral("2"));
    QVERIFY(!removed.value.after);
    QCOMPARE(changed.size(), 3);
    QCOMPARE(changed.last(), (QVariantList{D, QStringLiteral("k")}));
    QVERIFY(m_store->record(D, QStringLiteral("k")).value->record.isRemoved());
}

void TestDatasetWorkspace::restoreUndoesAnEdit()
{
    QVERIFY(m_workspace->setValue(D, QStringLiteral("k"), QStringLiteral("old")).ok());
    const auto removed = m_workspace->removeValue(D, QStringLiteral("k"));
    QVERIFY(!m_workspace->restore(D, QStringLiteral("k"), removed.value.before).isError());
    const auto record = m_store->record(D, QStringLiteral("k")).value;
    QCOMPARE(*record->record.value, QStringLiteral("old"));
    QVERIFY(record->dirty); // the undo is an edit to synchronize like any other
}

void TestDatasetWorkspace::failedEditChangesNothing()
{
    const QString big(LocalStore::MaxDatasetBytes, QLatin1Char('x'));
    QVERIFY(m_workspace->setValue(D, QStringLiteral("k"), QStringLiteral("v")).ok());
    QSignalSpy changed(m_workspace.get(), &DatasetWorkspace::recordChanged);
    const auto result = m_workspace->setValue(D, QStringLiteral("k"), big);
    QCOMPARE(result.error.code, QStringLiteral("sync.limit.size"));
    QVERIFY(changed.isEmpty());
    QCOMPARE(*m_store->record(D, QStringLiteral("k")).value->record.value, QStringLiteral("v"));
}

void TestDatasetWorkspace::checkValueMatchesTheStore()
{
    const QString half(512 * 1024, QLatin1Char('x'));
    QVERIFY(m_workspace->setValue(D, QStringLiteral("a"), half).ok());
    QCOMPARE(m_workspace->checkValue(D, QString(), QStringLiteral("v")).code,
             QStringLiteral("sync.limit.key.empty"));
    // Would not fit beside the existing value, but fits in its place.
    QCOMPARE(m_workspace->checkValue(D, QStringLiteral("b"), half).code, QStringLiteral("sync.limit.size"));
    QVERIFY(m_workspace->setValue(D, QStringLiteral("b"), half).error.isError());
    QVERIFY(!m_workspace->checkValue(D, QStringLiteral("a"), half + QStringLiteral("yy")).isError());
    QVERIFY(m_workspace->setValue(D, QStringLiteral("a"), half + QStringLiteral("yy")).ok());
    // A new dataset is empty.
    QVERIFY(!m_workspace->checkValue(QStringLiteral("other"), QStringLiteral("b"), half).isError());
    QVERIFY(!m_workspace->deleteDataset(D).isError());
    QCOMPARE(m_workspace->checkValue(D, QStringLiteral("c"), QStringLiteral("v")).code,
             QStringLiteral("sync.dataset.pendingDelete"));
}

void TestDatasetWorkspace::syncIsAnnounced()
{
    QVERIFY(m_workspace->setValue(D, QStringLiteral("k"), QStringLiteral("v")).ok());
    m_remote->serverPut(D, QStringLiteral("theirs"), QStringLiteral("t"));
    QSignalSpy datasetChanged(m_workspace.get(), &DatasetWorkspace::datasetChanged);
    QSignalSpy datasetsChanged(m_workspace.get(), &DatasetWorkspace::datasetsChanged);
    QSignalSpy finished(m_engine.get(), &SyncEngine::finished);
    m_engine->synchronize(D);
    QVERIFY(finished.wait());
    QCOMPARE(datasetChanged.size(), 1);
    QCOMPARE(datasetChanged.first().first().toString(), D);
    QVERIFY(!datasetsChanged.isEmpty());
    QCOMPARE(*m_store->record(D, QStringLiteral("theirs")).value->record.value, QStringLiteral("t"));
}

void TestDatasetWorkspace::backgroundImportSavesAllAndAnnounces()
{
    QList<std::pair<QString, QString>> records;
    for (int i = 0; i < LocalStore::MaxRecordsPerDataset; ++i)
        records.append({QStringLiteral("key-%1").arg(i), QStringLiteral("value %1").arg(i)});
    QSignalSpy datasetChanged(m_workspace.get(), &DatasetWorkspace::datasetChanged);
    bool done = false;
    UserError outcome = UserError::make(QStringLiteral("test.notCalled"), QStringLiteral("not called"));
    m_workspace->putValuesInBackground(D, records, [&](const UserError &error) {
        // Delivered on this thread, after the announcement.
        QCOMPARE(QThread::currentThread(), qApp->thread());
        QCOMPARE(datasetChanged.size(), 1);
        outcome = error;
        done = true;
    });
    QVERIFY(m_workspace->isWritingInBackground());
    QVERIFY(!done); // never delivered synchronously
    QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
    QVERIFY2(!outcome.isError(), qPrintable(outcome.text()));
    QVERIFY(!m_workspace->isWritingInBackground());
    // This thread's connection sees every record, dirty, and the dataset's statistics.
    QCOMPARE(m_store->records(D).value.size(), qsizetype(LocalStore::MaxRecordsPerDataset));
    QCOMPARE(*m_store->record(D, QStringLiteral("key-7")).value->record.value, QStringLiteral("value 7"));
    QCOMPARE(m_store->dirtyRecords(D).value.size(), qsizetype(LocalStore::MaxRecordsPerDataset));
    QCOMPARE(m_store->dataset(D).value->recordCount, qint64(LocalStore::MaxRecordsPerDataset));
}

void TestDatasetWorkspace::backgroundImportSavesNoneOnFailure()
{
    QVERIFY(m_workspace->setValue(D, QStringLiteral("k"), QStringLiteral("v")).ok());
    // One record more than a dataset may hold: the limit is hit on the last one, after the others
    // were written in the transaction.
    QList<std::pair<QString, QString>> records;
    for (int i = 0; i < LocalStore::MaxRecordsPerDataset; ++i)
        records.append({QStringLiteral("key-%1").arg(i), QStringLiteral("v")});
    QSignalSpy datasetChanged(m_workspace.get(), &DatasetWorkspace::datasetChanged);
    bool done = false;
    UserError outcome;
    m_workspace->putValuesInBackground(D, records, [&](const UserError &error) {
        outcome = error;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
    QCOMPARE(outcome.code, QStringLiteral("sync.limit.records"));
    QVERIFY(datasetChanged.isEmpty());
    QCOMPARE(m_store->records(D).value.size(), qsizetype(1));
    QCOMPARE(*m_store->record(D, QStringLiteral("k")).value->record.value, QStringLiteral("v"));
}

void TestDatasetWorkspace::backgroundImportIsDroppedWithTheWorkspace()
{
    bool called = false;
    m_workspace->putValuesInBackground(D, {{QStringLiteral("a"), QStringLiteral("1")}},
                                       [&](const UserError &) { called = true; });
    m_workspace.reset(); // waits for the write; its outcome goes nowhere
    QCoreApplication::processEvents();
    QVERIFY(!called);
    // The write itself is not undone: it was committed.
    QCOMPARE(*m_store->record(D, QStringLiteral("a")).value->record.value, QStringLiteral("1"));
}

FEDSYNC_TEST_MAIN(TestDatasetWorkspace)
#include "tst_datasetworkspace.moc"

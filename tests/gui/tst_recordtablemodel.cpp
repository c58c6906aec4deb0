// RecordTableModel and DatasetListModel over a real SQLite store, checked by QAbstractItemModelTester:
// edits reach the rows as inserts/changes/removals (no resets), setData() saves in the store before it
// returns, unsynchronized rows are marked until a synchronization clears them, and the filter proxy
// matches keys and values.
#include "datasetlistmodel.h"
#include "guitestmain.h"
#include "recordtablemodel.h"
#include "memorysyncremote.h"
#include "sync/syncengine.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>

using namespace fedsync;
using namespace fedsync::ui;

namespace {
const QString D = QStringLiteral("prefs");
}

class TestRecordTableModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void rowsFollowEdits();
    void setDataSavesInTheStore();
    void setDataOverLimitChangesNothing();
    void dirtyMarksClearedBySync();
    void filterMatchesKeyOrValue_data();
    void filterMatchesKeyOrValue();
    void previewIsOneLine();
    void datasetListHidesDeleted();

private:
    QString value(const QString &key) const
    {
        const auto record = m_store->record(D, key).value;
        return record && record->record.value ? *record->record.value : QStringLiteral("<none>");
    }
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MemorySyncRemote> m_remote;
    std::unique_ptr<LocalStore> m_store;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<DatasetWorkspace> m_workspace;
    std::unique_ptr<RecordTableModel> m_model;
    std::unique_ptr<QSortFilterProxyModel> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

void TestRecordTableModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_remote = std::make_unique<MemorySyncRemote>();
    m_store = std::make_unique<LocalStore>(m_dir->filePath(QStringLiteral("store.sqlite")));
    QVERIFY(!m_store->open().isError());
    m_engine = std::make_unique<SyncEngine>(*m_store, *m_remote, QStringLiteral("device"));
    m_workspace = std::make_unique<DatasetWorkspace>(*m_store, *m_engine);
    m_model = std::make_unique<RecordTableModel>(*m_workspace);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_proxy = std::make_unique<QSortFilterProxyModel>();
    m_proxy->setSourceModel(m_model.get());
    m_proxy->setFilterRole(RecordTableModel::SearchRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxyTester = std::make_unique<QAbstractItemModelTester>(
        m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
}

void TestRecordTableModel::cleanup()
{
    m_proxyTester.reset();
    m_proxy.reset();
    m_tester.reset();
    m_model.reset();
    m_workspace.reset();
    m_engine.reset();
    m_store.reset();
    m_remote.reset();
    m_dir.reset();
}

void TestRecordTableModel::rowsFollowEdits()
{
    QVERIFY(m_workspace->setValue(D, QStringLiteral("b"), QStringLiteral("2")).ok());
    m_model->setDataset(D);
    QCOMPARE(m_model->rowCount(), 1);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);

    QVERIFY(m_workspace->setValue(D, QStringLiteral("a"), QStringLiteral("1")).ok());
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0); // in key order, before "b"
    QCOMPARE(m_model->index(0, RecordTableModel::KeyColumn).data().toString(), QStringLiteral("a"));

    QVERIFY(m_workspace->setValue(D, QStringLiteral("b"), QStringLiteral("two")).ok());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(m_model->index(1, RecordTableModel::ValueColumn).data().toString(), QStringLiteral("two"));

    QVERIFY(m_workspace->removeValue(D, QStringLiteral("a")).ok());
    QCOMPARE(removed.size(), 1);
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->rowOf(QStringLiteral("a")), -1);

    // Another dataset's edits do not touch these rows.
    QVERIFY(m_workspace->setValue(QStringLiteral("other"), QStringLiteral("x"), QStringLiteral("y")).ok());
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(reset.size(), 0);
}

void TestRecordTableModel::setDataSavesInTheStore()
{
    QVERIFY(m_workspace->setValue(D, QStringLiteral("k"), QStringLiteral("old")).ok());
    m_model->setDataset(D);
    QSignalSpy edited(m_model.get(), &RecordTableModel::edited);
    const QModelIndex cell = m_model->index(0, RecordTableModel::ValueColumn);
    QVERIFY(m_model->flags(cell) & Qt::ItemIsEditable);
    QVERIFY(!(m_model->flags(m_model->index(0, RecordTableModel::KeyColumn)) & Qt::ItemIsEditable));
    QVERIFY(m_model->setData(cell, QStringLiteral("new\nlines")));
    QCOMPARE(value(QStringLiteral("k")), QStringLiteral("new\nlines"));
    QCOMPARE(edited.size(), 1);
    const auto change = edited.first().first().value<DatasetWorkspace::Change>();
    QCOMPARE(*change.before, QStringLiteral("old"));
    QCOMPARE(*change.after, QStringLiteral("new\nlines"));
    QCOMPARE(cell.data(RecordTableModel::ValueRole).toString(), QStringLiteral("new\nlines"));
    QCOMPARE(cell.data(Qt::EditRole).toString(), QStringLiteral("new\nlines"));
}

void TestRecordTableModel::setDataOverLimitChangesNothing()
{
    QVERIFY(m_workspace->setValue(D, QStringLiteral("k"), QStringLiteral("kept")).ok());
    m_model->setDataset(D);
    QSignalSpy errors(m_model.get(), &RecordTableModel::storeError);
    QSignalSpy edited(m_model.get(), &RecordTableModel::edited);
    const QString tooBig(LocalStore::MaxDatasetBytes, QLatin1Char('x'));
    QVERIFY(!m_model->setData(m_model->index(0, RecordTableModel::ValueColumn), tooBig));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().first().value<UserError>().code, QStringLiteral("sync.limit.size"));
    QVERIFY(edited.isEmpty());
    QCOMPARE(value(QStringLiteral("k")), QStringLiteral("kept"));
    QCOMPARE(m_model->index(0, RecordTableModel::ValueColumn).data(RecordTableModel::ValueRole).toString(),
             QStringLiteral("kept"));
}

void TestRecordTableModel::dirtyMarksClearedBySync()
{
    QVERIFY(m_workspace->setValue(D, QStringLiteral("mine"), QStringLiteral("1")).ok());
    m_model->setDataset(D);
    const QModelIndex state = m_model->index(0, RecordTableModel::StateColumn);
    QVERIFY(state.data(RecordTableModel::DirtyRole).toBool());
    QVERIFY(state.data(Qt::FontRole).value<QFont>().bold());
    QCOMPARE(state.data().toString(), QStringLiteral("Not synced"));

    m_remote->serverPut(D, QStringLiteral("theirs"), QStringLiteral("2"));
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy finished(m_engine.get(), &SyncEngine::finished);
    m_engine->synchronize(D);
    QVERIFY(finished.wait());
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(inserted.size(), 1); // the pulled record arrived as a row, not as a reset
    QCOMPARE(reset.size(), 0);
    for (int row = 0; row < 2; ++row) {
        const QModelIndex index = m_model->index(row, RecordTableModel::StateColumn);
        QVERIFY(!index.data(RecordTableModel::DirtyRole).toBool());
        QVERIFY(!index.data(Qt::FontRole).value<QFont>().bold());
        QCOMPARE(index.data().toString(), QStringLiteral("Synced"));
    }
    QVERIFY(m_remote->serverRecord(D, QStringLiteral("mine")));
}

void TestRecordTableModel::filterMatchesKeyOrValue_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("keys");
    QTest::newRow("none") << QString()
                          << QStringList{QStringLiteral("color"), QStringLiteral("font"),
                                         QStringLiteral("theme")};
    QTest::newRow("key") << QStringLiteral("FON") << QStringList{QStringLiteral("font")};
    QTest::newRow("value") << QStringLiteral("dark") << QStringList{QStringLiteral("theme")};
    QTest::newRow("key or value") << QStringLiteral("o")
                                  << QStringList{QStringLiteral("color"), QStringLiteral("font")};
    QTest::newRow("second line of a value") << QStringLiteral("bold") << QStringList{QStringLiteral("font")};
    QTest::newRow("nothing") << QStringLiteral("zzz") << QStringList{};
}

void TestRecordTableModel::filterMatchesKeyOrValue()
{
    QFETCH(QString, filter);
    QFETCH(QStringList, keys);
    QVERIFY(m_workspace->setValue(D, QStringLiteral("theme"), QStringLiteral("dark")).ok());
    QVERIFY(m_workspace->setValue(D, QStringLiteral("font"), QStringLiteral("Inter\nbold")).ok());
    QVERIFY(m_workspace->setValue(D, QStringLiteral("color"), QStringLiteral("blue")).ok());
    m_model->setDataset(D);
    m_proxy->setFilterFixedString(filter);
    QStringList shown;
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        shown << m_proxy->index(row, 0).data(RecordTableModel::KeyRole).toString();
    QCOMPARE(shown, keys);
}

void TestRecordTableModel::previewIsOneLine()
{
    QCOMPARE(RecordTableModel::preview(QStringLiteral("a\nb")), QStringLiteral("a ⏎ b"));
    const QString preview = RecordTableModel::preview(QString(5000, QLatin1Char('x')));
    QVERIFY(preview.size() < 200);
    QVERIFY(preview.endsWith(QStringLiteral("…")));
}

void TestRecordTableModel::datasetListHidesDeleted()
{
    DatasetListModel list(*m_workspace);
    QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QCOMPARE(list.rowCount(), 0);
    QVERIFY(m_workspace->setValue(QStringLiteral("b"), QStringLiteral("k"), QStringLiteral("12345")).ok());
    QVERIFY(!m_workspace->createDataset(QStringLiteral("a")).isError());
    QCOMPARE(list.rowCount(), 2);
    QCOMPARE(list.index(0, DatasetListModel::NameColumn).data().toString(), QStringLiteral("a"));
    QCOMPARE(
        list.index(1, DatasetListModel::RecordsColumn).data(DatasetListModel::RecordCountRole).toLongLong(),
        1);
    QCOMPARE(list.index(1, DatasetListModel::SizeColumn).data(DatasetListModel::SizeBytesRole).toLongLong(),
             6);
    QVERIFY(!list.index(1, DatasetListModel::SizeColumn).data().toString().isEmpty());

    QSignalSpy changed(&list, &QAbstractItemModel::dataChanged);
    QVERIFY(m_workspace->setValue(QStringLiteral("b"), QStringLiteral("k2"), QStringLiteral("x")).ok());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(list.index(1, 0).data(DatasetListModel::RecordCountRole).toLongLong(), 2);

    // Deleted here, not yet on the server: gone from the list, still in the store until synchronized.
    QVERIFY(!m_workspace->deleteDataset(QStringLiteral("a")).isError());
    QCOMPARE(list.rowCount(), 1);
    QCOMPARE(list.rowOf(QStringLiteral("a")), -1);
    QVERIFY(m_store->dataset(QStringLiteral("a")).value->isPendingDelete());
}

FEDSYNC_GUI_TEST_MAIN(TestRecordTableModel)
#include "tst_recordtablemodel.moc"

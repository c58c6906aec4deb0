// DatasetFile: export and import with one meaning for the window and fedsync-cli: a file round trip, the
// errors for a file that cannot be read or written, and an import that changes only what differs (so
// only those records become pending), against a real SQLite store.
#include "sync/localstore.h"
#include "testmain.h"
#include "usecases/datasetfile.h"

#include <QBuffer>
#include <QTemporaryDir>

using namespace fedsync;

class TestDatasetFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip();
    void unreadableAndUnwritableFilesAreNamed();
    void readsFromADevice();
    void importChangesOnlyWhatDiffers();

private:
    QTemporaryDir m_dir;
};

void TestDatasetFile::roundTrip()
{
    LocalStore store(m_dir.filePath(QStringLiteral("roundtrip.sqlite")));
    QVERIFY(!store.open().isError());
    QVERIFY(
        !store.putValue(QStringLiteral("prefs"), QStringLiteral("theme"), QStringLiteral("dark")).isError());
    const QString path = m_dir.filePath(QStringLiteral("prefs.json"));
    QVERIFY(!DatasetFile::write(path, QStringLiteral("prefs"), store.records(QStringLiteral("prefs")).value)
                 .isError());
    const StoreResult<DatasetDocument> read = DatasetFile::read(path);
    QVERIFY2(read.ok(), qPrintable(read.error.text()));
    QCOMPARE(read.value.dataset, QStringLiteral("prefs"));
    QCOMPARE(read.value.records, (DatasetFile::Records{{QStringLiteral("theme"), QStringLiteral("dark")}}));
}

void TestDatasetFile::unreadableAndUnwritableFilesAreNamed()
{
    const QString missing = m_dir.filePath(QStringLiteral("missing.json"));
    const StoreResult<DatasetDocument> read = DatasetFile::read(missing);
    QVERIFY(!read.ok());
    QCOMPARE(read.error.code, QStringLiteral("dataset.file.read"));
    QVERIFY(read.error.what.contains(missing));
    const UserError written = DatasetFile::write(m_dir.filePath(QStringLiteral("no/such/folder/x.json")),
                                                 QStringLiteral("prefs"), {});
    QCOMPARE(written.code, QStringLiteral("dataset.file.write"));
    QVERIFY(!written.action.isEmpty());
}

void TestDatasetFile::readsFromADevice()
{
    QBuffer buffer;
    buffer.setData(R"({"records": [{"key": "k", "value": "v"}]})");
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    const StoreResult<DatasetDocument> read = DatasetFile::read(buffer, QStringLiteral("standard input"));
    QVERIFY2(read.ok(), qPrintable(read.error.text()));
    QCOMPARE(read.value.records.size(), 1);
    QBuffer closed;
    const StoreResult<DatasetDocument> failed = DatasetFile::read(closed, QStringLiteral("standard input"));
    QVERIFY(!failed.ok());
    QVERIFY(failed.error.what.contains(QStringLiteral("standard input")));
}

void TestDatasetFile::importChangesOnlyWhatDiffers()
{
    LocalStore store(m_dir.filePath(QStringLiteral("import.sqlite")));
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("notes");
    QVERIFY(!store.putValue(d, QStringLiteral("same"), QStringLiteral("1")).isError());
    QVERIFY(!store.putValue(d, QStringLiteral("edited"), QStringLiteral("old")).isError());
    QVERIFY(!store.putValue(d, QStringLiteral("gone"), QStringLiteral("x")).isError());
    QVERIFY(!store.removeValue(d, QStringLiteral("gone")).isError());
    QVERIFY(!store.putValue(d, QStringLiteral("empty"), QString()).isError());
    const DatasetFile::Records imported{{QStringLiteral("same"), QStringLiteral("1")},
                                        {QStringLiteral("edited"), QStringLiteral("new")},
                                        {QStringLiteral("gone"), QStringLiteral("x")},
                                        {QStringLiteral("empty"), QString()},
                                        {QStringLiteral("added"), QStringLiteral("")}};
    const StoreResult<DatasetFile::Records> changed = DatasetFile::changedRecords(store, d, imported);
    QVERIFY2(changed.ok(), qPrintable(changed.error.text()));
    QCOMPARE(changed.value, (DatasetFile::Records{{QStringLiteral("edited"), QStringLiteral("new")},
                                                  {QStringLiteral("gone"), QStringLiteral("x")},
                                                  {QStringLiteral("added"), QStringLiteral("")}}));
    // Into a dataset that does not exist yet: everything is new.
    QCOMPARE(DatasetFile::changedRecords(store, QStringLiteral("fresh"), imported).value, imported);
}

FEDSYNC_TEST_MAIN(TestDatasetFile)
#include "tst_datasetfile.moc"

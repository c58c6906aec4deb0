// LocalStore: CRUD, dirty flags and removal markers, Cognito Sync's limits, transactions, migration,
// persistence, markPushed() keeping a record edited during the push, and applyRemote() leaving a
// record edited after its merge was decided.
#include "sync/localstore.h"
#include "sync/pullmerge.h"
#include "sync/storequery.h"
#include "rawconnection.h"
#include "testmain.h"

#include <QFile>
#include <QTemporaryDir>

using namespace fedsync;
using fedsync::test::RawConnection;

namespace {

SyncRecord remoteRecord(const QString &key, std::optional<QString> value, qint64 syncCount)
{
    SyncRecord record;
    record.key = key;
    record.value = std::move(value);
    record.syncCount = syncCount;
    record.lastModified = QDateTime::currentDateTimeUtc();
    record.lastModifiedBy = QStringLiteral("other-device");
    record.deviceLastModified = record.lastModified;
    return record;
}

// Pulled records saved as a sync saves them: PullMerge decides on the unpushed edits, the store applies.
StoreResult<LocalStore::ApplyOutcome> applyRemote(LocalStore &store, const QString &dataset,
                                                  const QList<SyncRecord> &remote, qint64 newSyncCount,
                                                  const QHash<QString, ConflictResolution> &resolutions = {})
{
    const auto dirty = store.dirtyRecords(dataset);
    return store.applyRemote(dataset, PullMerge(dataset, remote, dirty.value).decide(resolutions),
                             newSyncCount);
}

} // namespace

class TestLocalStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void opensWithSchemaAndWal();
    void timestampsComeFromTheClock();
    void putGetRemove();
    void emptyValueIsNotRemoved();
    void datasetNames_data();
    void datasetNames();
    void keys_data();
    void keys();
    void datasetCountLimit();
    void recordCountLimit();
    void sizeLimit();
    void putValuesIsAllOrNothing();
    void datasetSizeCountsUtf8();
    void statisticsFollowEveryChange();
    void statisticsOfRowsAPullAdds_data();
    void statisticsOfRowsAPullAdds();
    void statisticsOfAFirstPull_data();
    void statisticsOfAFirstPull();
    void applyRemoteRules();
    void applyRemoteWithResolutions();
    void applyRemoteLeavesRecordEditedSinceDecision();
    void rollbackOnFailure();
    void busyFileLosesNothing();
    void corruptFileIsReported();
    void migratesV1File();
    void refusesNewerFile();
    void reopenPersists();
    void markPushedKeepsEditDuringPush();
    void markPushedMarksEveryRecordOfALargePush();
    void deleteAndPurge();
    void resetToLocalChanges();
    void connectionsCloseWhenTheStoreGoes();
    void keptStatementsSeeOtherWriters();
    void valuesBindInOrderAndQuotesKeepTheirQuestionMarks();
    void largePageSavesEveryRecord();
    void pullOfNothingNewWritesNothing();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("profile/identity.sqlite")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestLocalStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

// The store stamps datasets and records with its Clock's time, not the system's.
void TestLocalStore::timestampsComeFromTheClock()
{
    LocalStore store(path());
    QDateTime time(QDate(2031, 3, 4), QTime(5, 6, 7), Qt::UTC);
    store.setClock([&time] { return time; });
    QVERIFY(!store.open().isError());
    QVERIFY(!store.putValue(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("v")).isError());
    const auto dataset = store.dataset(QStringLiteral("a"));
    QVERIFY(dataset.ok() && dataset.value);
    QCOMPARE(dataset.value->created, time);
    const auto record = store.record(QStringLiteral("a"), QStringLiteral("k"));
    QVERIFY(record.ok() && record.value);
    QCOMPARE(record.value->record.deviceLastModified, time);
    time = time.addDays(1);
    QVERIFY(!store.putValue(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("w")).isError());
    QCOMPARE(store.record(QStringLiteral("a"), QStringLiteral("k")).value->record.deviceLastModified, time);
}

void TestLocalStore::opensWithSchemaAndWal()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    QCOMPARE(store.fileSchemaVersion().value, LocalStore::schemaVersion());
    QVERIFY(!store.putValue(QStringLiteral("a"), QStringLiteral("k"), QStringLiteral("v")).isError());
    RawConnection raw(path());
    QVERIFY(raw.ok());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
}

void TestLocalStore::putGetRemove()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    QVERIFY(!store.createDataset(QStringLiteral("prefs")).isError());
    QVERIFY(
        !store.putValue(QStringLiteral("prefs"), QStringLiteral("theme"), QStringLiteral("dark")).isError());
    QVERIFY(!store.putValue(QStringLiteral("prefs"), QStringLiteral("lang"), QStringLiteral("fr")).isError());

    auto theme = store.record(QStringLiteral("prefs"), QStringLiteral("theme"));
    QVERIFY(theme.ok() && theme.value);
    QCOMPARE(*theme.value->record.value, QStringLiteral("dark"));
    QVERIFY(theme.value->dirty);
    QCOMPARE(theme.value->record.syncCount, 0);
    QCOMPARE(theme.value->revision, 1);
    QVERIFY(theme.value->record.deviceLastModified.isValid());
    QVERIFY(qAbs(theme.value->record.deviceLastModified.secsTo(QDateTime::currentDateTimeUtc())) < 5);

    QVERIFY(
        !store.putValue(QStringLiteral("prefs"), QStringLiteral("theme"), QStringLiteral("light")).isError());
    QCOMPARE(store.record(QStringLiteral("prefs"), QStringLiteral("theme")).value->revision, 2);

    QVERIFY(!store.removeValue(QStringLiteral("prefs"), QStringLiteral("lang")).isError());
    QCOMPARE(store.records(QStringLiteral("prefs")).value.size(), 1);
    const auto all = store.records(QStringLiteral("prefs"), true).value;
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.first().record.key, QStringLiteral("lang"));
    QVERIFY(all.first().record.isRemoved());
    QVERIFY(all.first().dirty);
    QCOMPARE(store.dirtyRecords(QStringLiteral("prefs")).value.size(), 2);
    QVERIFY(store.hasDirtyRecords(QStringLiteral("prefs")).value);
    QVERIFY(!store.hasDirtyRecords(QStringLiteral("nope")).value);

    const auto dataset = store.dataset(QStringLiteral("prefs")).value;
    QVERIFY(dataset);
    QCOMPARE(dataset->recordCount, 1);
    QCOMPARE(dataset->storageSizeBytes, qint64(QByteArrayLiteral("themelight").size()));
    QVERIFY(!store.dataset(QStringLiteral("nope")).value);
    // Removing from a dataset that does not exist is a no-op, not an error.
    QVERIFY(!store.removeValue(QStringLiteral("nope"), QStringLiteral("k")).isError());
    QVERIFY(!store.dataset(QStringLiteral("nope")).value);
}

void TestLocalStore::emptyValueIsNotRemoved()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    QVERIFY(!store.putValue(QStringLiteral("d"), QStringLiteral("empty"), QString()).isError());
    QVERIFY(!store.putValue(QStringLiteral("d"), QStringLiteral("empty2"), QStringLiteral("")).isError());
    const auto records = store.records(QStringLiteral("d")).value;
    QCOMPARE(records.size(), 2);
    for (const LocalRecord &record : records) {
        QVERIFY(!record.record.isRemoved());
        QVERIFY(record.record.value->isEmpty());
    }
}

void TestLocalStore::datasetNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << QStringLiteral("prefs") << true;
    QTest::newRow("all allowed") << QStringLiteral("a-Z_0.9:x") << true;
    QTest::newRow("128") << QString(128, QLatin1Char('a')) << true;
    QTest::newRow("129") << QString(129, QLatin1Char('a')) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << QStringLiteral("my prefs") << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << false;
    QTest::newRow("non ascii") << QStringLiteral("préfs") << false;
    QTest::newRow("newline at end") << QStringLiteral("prefs\n") << false;
}

void TestLocalStore::datasetNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const UserError error = store.createDataset(name);
    QCOMPARE(!error.isError(), valid);
    QCOMPARE(store.putValue(name, QStringLiteral("k"), QStringLiteral("v")).isError(), !valid);
    QCOMPARE(store.listDatasets().value.size(), valid ? 1 : 0);
    if (!valid) {
        QCOMPARE(error.code, QStringLiteral("sync.limit.datasetName"));
        QVERIFY(error.why.contains(QStringLiteral("128")));
    }
}

void TestLocalStore::keys_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("valid");
    QTest::newRow("one") << QStringLiteral("k") << true;
    QTest::newRow("128") << QString(128, QLatin1Char('k')) << true;
    QTest::newRow("unicode") << QStringLiteral("clé ✓") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("129") << QString(129, QLatin1Char('k')) << false;
}

void TestLocalStore::keys()
{
    QFETCH(QString, key);
    QFETCH(bool, valid);
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const UserError error = store.putValue(QStringLiteral("d"), key, QStringLiteral("v"));
    QCOMPARE(!error.isError(), valid);
    QCOMPARE(store.records(QStringLiteral("d")).value.size(), valid ? 1 : 0);
    if (!valid) // an empty key has its own message ("a key cannot be empty", not "choose a shorter key")
        QCOMPARE(error.code,
                 key.isEmpty() ? QStringLiteral("sync.limit.key.empty") : QStringLiteral("sync.limit.key"));
}

void TestLocalStore::datasetCountLimit()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    for (int i = 0; i < LocalStore::MaxDatasets; ++i)
        QVERIFY(!store.createDataset(QStringLiteral("d%1").arg(i)).isError());
    const UserError error = store.createDataset(QStringLiteral("one-too-many"));
    QCOMPARE(error.code, QStringLiteral("sync.limit.datasets"));
    QVERIFY(error.why.contains(QStringLiteral("20")));
    QVERIFY(!error.action.isEmpty());
    QCOMPARE(store.putValue(QStringLiteral("one-too-many"), QStringLiteral("k"), QStringLiteral("v")).code,
             QStringLiteral("sync.limit.datasets"));
    QCOMPARE(store.listDatasets().value.size(), 20);
    // An existing dataset still takes values.
    QVERIFY(!store.putValue(QStringLiteral("d3"), QStringLiteral("k"), QStringLiteral("v")).isError());
}

void TestLocalStore::recordCountLimit()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    QList<SyncRecord> remote;
    for (int i = 0; i < LocalStore::MaxRecordsPerDataset; ++i)
        remote << remoteRecord(QStringLiteral("k%1").arg(i), QStringLiteral("v"), 1);
    QVERIFY(applyRemote(store, QStringLiteral("full"), remote, 1).ok());
    const UserError error =
        store.putValue(QStringLiteral("full"), QStringLiteral("new"), QStringLiteral("v"));
    QCOMPARE(error.code, QStringLiteral("sync.limit.records"));
    QVERIFY(error.why.contains(QStringLiteral("1024")));
    QVERIFY(!store.record(QStringLiteral("full"), QStringLiteral("new")).value);
    // Replacing an existing record, or removing one and adding another, is fine.
    QVERIFY(!store.putValue(QStringLiteral("full"), QStringLiteral("k1"), QStringLiteral("w")).isError());
    QVERIFY(!store.removeValue(QStringLiteral("full"), QStringLiteral("k2")).isError());
    QVERIFY(!store.putValue(QStringLiteral("full"), QStringLiteral("new"), QStringLiteral("v")).isError());
}

void TestLocalStore::sizeLimit()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString half(512 * 1024, QLatin1Char('x'));
    QVERIFY(!store.putValue(QStringLiteral("big"), QStringLiteral("a"), half).isError());
    const UserError error = store.putValue(QStringLiteral("big"), QStringLiteral("b"), half);
    QCOMPARE(error.code, QStringLiteral("sync.limit.size"));
    QVERIFY2(error.why.contains(QStringLiteral("1 MB")), qPrintable(error.why));
    QVERIFY2(error.why.contains(QStringLiteral("512.0 KB")), qPrintable(error.why)); // the current size
    QVERIFY(!store.record(QStringLiteral("big"), QStringLiteral("b")).value);
    // Replacing the big value counts only the difference.
    QVERIFY(!store.putValue(QStringLiteral("big"), QStringLiteral("a"), half + half.left(1000)).isError());
    QCOMPARE(store.datasetSize(QStringLiteral("big")).value, qint64(1 + half.size() + 1000));
}

void TestLocalStore::putValuesIsAllOrNothing()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("import");
    QVERIFY(!store.putValue(d, QStringLiteral("kept"), QStringLiteral("old")).isError());
    const QString half(512 * 1024, QLatin1Char('x'));
    // The second value fits alone but not after the first: the batch is checked in order, and the
    // failure undoes the first write too.
    UserError error = store.putValues(d, {{QStringLiteral("kept"), QStringLiteral("new")},
                                          {QStringLiteral("a"), half},
                                          {QStringLiteral("b"), half}});
    QCOMPARE(error.code, QStringLiteral("sync.limit.size"));
    QCOMPARE(*store.record(d, QStringLiteral("kept")).value->record.value, QStringLiteral("old"));
    QVERIFY(!store.record(d, QStringLiteral("a")).value);
    QCOMPARE(store.records(d).value.size(), 1);
    // A bad key is refused before anything is written.
    error =
        store.putValues(d, {{QStringLiteral("fine"), QStringLiteral("v")}, {QString(), QStringLiteral("v")}});
    QCOMPARE(error.code, QStringLiteral("sync.limit.key.empty"));
    QVERIFY(!store.record(d, QStringLiteral("fine")).value);
    // A good batch is saved, dirty, with the dataset's statistics.
    QVERIFY(!store
                 .putValues(d, {{QStringLiteral("kept"), QStringLiteral("new")},
                                {QStringLiteral("b"), QStringLiteral("bee")}})
                 .isError());
    QCOMPARE(*store.record(d, QStringLiteral("kept")).value->record.value, QStringLiteral("new"));
    QVERIFY(store.record(d, QStringLiteral("b")).value->dirty);
    QCOMPARE(store.dataset(d).value->recordCount, 2);
}

void TestLocalStore::datasetSizeCountsUtf8()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    QVERIFY(!store.putValue(QStringLiteral("d"), QStringLiteral("é"), QStringLiteral("€uro")).isError());
    QVERIFY(!store.putValue(QStringLiteral("d"), QStringLiteral("gone"), QStringLiteral("x")).isError());
    QVERIFY(!store.removeValue(QStringLiteral("d"), QStringLiteral("gone")).isError());
    QCOMPARE(store.datasetSize(QStringLiteral("d")).value, qint64(2 + 3 + 3));
    QCOMPARE(store.dataset(QStringLiteral("d")).value->storageSizeBytes, qint64(8));
}

// A dataset's record count and size (key and value in UTF-8, removed records not counted) follow every
// way a record changes: an edit, an import, a removal, a pulled record added, changed, emptied and removed,
// a reset to the local changes, and a reopened file. Each figure is counted by hand.
void TestLocalStore::statisticsFollowEveryChange()
{
    auto store = std::make_unique<LocalStore>(path());
    QVERIFY(!store->open().isError());
    const QString d = QStringLiteral("d");
    const auto expect = [&](int records, qint64 bytes, const char *step) {
        const auto dataset = store->dataset(d).value;
        QVERIFY2(dataset.has_value(), step);
        QVERIFY2(
            dataset->recordCount == records,
            qPrintable(QStringLiteral("%1: %2 records").arg(QLatin1String(step)).arg(dataset->recordCount)));
        QVERIFY2(dataset->storageSizeBytes == bytes,
                 qPrintable(
                     QStringLiteral("%1: %2 bytes").arg(QLatin1String(step)).arg(dataset->storageSizeBytes)));
    };
    QVERIFY(!store->putValue(d, QStringLiteral("k1"), QStringLiteral("h\u00e9llo")).isError());
    expect(1, 2 + 6, "an edit");
    QVERIFY(!store
                 ->putValues(d, {{QStringLiteral("k2"), QStringLiteral("abc")},
                                 {QStringLiteral("k3"), QString::fromUtf8("\xF0\x9F\x98\x80")}})
                 .isError());
    expect(3, 8 + 5 + 6, "an import");
    QVERIFY(!store->putValue(d, QStringLiteral("k2"), QStringLiteral("abcdef")).isError());
    expect(3, 8 + 8 + 6, "a longer value");
    QVERIFY(!store->removeValue(d, QStringLiteral("k1")).isError());
    expect(2, 8 + 6, "a removal");
    QVERIFY(applyRemote(*store, d, {remoteRecord(QStringLiteral("r1"), QStringLiteral("xyz"), 1)}, 1).ok());
    expect(3, 14 + 5, "a pulled record");
    QVERIFY(applyRemote(*store, d, {remoteRecord(QStringLiteral("r1"), QString(), 2)}, 2).ok());
    expect(3, 14 + 2, "a pulled record emptied");
    QVERIFY(applyRemote(*store, d, {remoteRecord(QStringLiteral("r1"), std::nullopt, 3)}, 3).ok());
    expect(2, 14, "a pulled removal");
    QVERIFY(!store->putValue(QStringLiteral("e"), QStringLiteral("x"), QStringLiteral("1")).isError());
    expect(2, 14, "an edit in another dataset");
    QVERIFY(applyRemote(*store, d, {remoteRecord(QStringLiteral("s"), QStringLiteral("12345"), 4)}, 4).ok());
    expect(3, 14 + 6, "a synced record");
    QVERIFY(!store->resetToLocalChanges(d).isError());
    expect(2, 14, "a reset to the local changes");
    store = std::make_unique<LocalStore>(path());
    QVERIFY(!store->open().isError());
    expect(2, 14, "the file reopened");
    QCOMPARE(store->datasetSize(QStringLiteral("e")).value, qint64(2));
}

void TestLocalStore::statisticsOfRowsAPullAdds_data()
{
    QTest::addColumn<int>("fresh");
    QTest::newRow("a small pull: its keys looked up") << 4;
    QTest::newRow("a large pull: the dataset recounted") << 100;
}

// The rows a pull adds are counted by LocalStore, not by a trigger (schema v5): a pull of up to 64
// records looks its keys up, a larger one recounts the dataset. Beside `fresh` new keys, the pull brings
// a key twice, the removal of a key this device never had, a key it holds, a key it holds removed, and it
// leaves a key with an unpushed edit alone. Each figure is counted by hand.
void TestLocalStore::statisticsOfRowsAPullAdds()
{
    QFETCH(int, fresh);
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("d");
    QVERIFY(applyRemote(store, d,
                        {remoteRecord(QStringLiteral("held"), QStringLiteral("abc"), 1),
                         remoteRecord(QStringLiteral("removed"), QStringLiteral("zz"), 2)},
                        2)
                .ok());
    QVERIFY(applyRemote(store, d, {remoteRecord(QStringLiteral("removed"), std::nullopt, 3)}, 3).ok());
    QVERIFY(!store.putValue(d, QStringLiteral("edited"), QStringLiteral("x")).isError());
    QCOMPARE(store.dataset(d).value->recordCount, 2);
    QCOMPARE(store.dataset(d).value->storageSizeBytes, qint64(4 + 3 + 6 + 1));

    QList<SyncRecord> page{remoteRecord(QStringLiteral("twice"), QStringLiteral("first"), 10),
                           remoteRecord(QStringLiteral("twice"), QStringLiteral("second value"), 11),
                           remoteRecord(QStringLiteral("never-had"), std::nullopt, 12),
                           remoteRecord(QStringLiteral("held"), QStringLiteral("abcdef"), 13),
                           remoteRecord(QStringLiteral("removed"), QStringLiteral("back"), 14)};
    qint64 freshBytes = 0;
    for (int i = 0; i < fresh; ++i) {
        const QString key = QStringLiteral("new-%1").arg(i);
        const QString value = QStringLiteral("v%1\u00e9\U0001F600").arg(i);
        page << remoteRecord(key, value, 20 + i);
        freshBytes += key.size() + (value.size() - 3) + 2 + 4; // é is 2 bytes, the emoji 4 (2 UTF-16 units)
    }
    QVERIFY(applyRemote(store, d, page, 20 + fresh).ok());
    // edited 6+1, held 4+6, removed 7+4, twice 5+12, never-had nothing (a removal), and the fresh ones.
    QCOMPARE(store.dataset(d).value->recordCount, 4 + fresh);
    QCOMPARE(store.dataset(d).value->storageSizeBytes, qint64(7 + 10 + 11 + 17) + freshBytes);

    // The triggers go on from the figures the pull left.
    QVERIFY(!store.removeValue(d, QStringLiteral("twice")).isError());
    QVERIFY(!store.putValue(d, QStringLiteral("added"), QStringLiteral("12")).isError());
    QCOMPARE(store.dataset(d).value->recordCount, 4 + fresh);
    QCOMPARE(store.dataset(d).value->storageSizeBytes, qint64(7 + 10 + 11 + 7) + freshBytes);
}

void TestLocalStore::statisticsOfAFirstPull_data()
{
    QTest::addColumn<int>("fresh");
    QTest::newRow("a small first pull") << 4;
    QTest::newRow("a large first pull: no recount") << 100;
}

// A new device's first pull into a dataset without rows counts what it adds without looking keys up or
// recounting: a key twice (the second value counts), a key added then removed in the same pull, the
// removal of a key never had, and `fresh` new keys. Counted by hand.
void TestLocalStore::statisticsOfAFirstPull()
{
    QFETCH(int, fresh);
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("d");
    QVERIFY(!store.putValue(QStringLiteral("other"), QStringLiteral("twice"), QStringLiteral("x")).isError());
    QList<SyncRecord> page{remoteRecord(QStringLiteral("twice"), QStringLiteral("first"), 10),
                           remoteRecord(QStringLiteral("twice"), QStringLiteral("second value"), 11),
                           remoteRecord(QStringLiteral("short-lived"), QStringLiteral("here"), 12),
                           remoteRecord(QStringLiteral("short-lived"), std::nullopt, 13),
                           remoteRecord(QStringLiteral("never-had"), std::nullopt, 14)};
    qint64 freshBytes = 0;
    for (int i = 0; i < fresh; ++i) {
        const QString key = QStringLiteral("new-%1").arg(i);
        const QString value = QStringLiteral("v%1\u00e9").arg(i);
        page << remoteRecord(key, value, 20 + i);
        freshBytes += key.size() + (value.size() - 1) + 2; // é is 2 bytes
    }
    QVERIFY(applyRemote(store, d, page, 20 + fresh).ok());
    QCOMPARE(store.dataset(d).value->recordCount, 1 + fresh);
    QCOMPARE(store.dataset(d).value->storageSizeBytes, qint64(5 + 12) + freshBytes);
    QCOMPARE(store.dataset(QStringLiteral("other")).value->recordCount, 1); // its key of the same name
}

void TestLocalStore::applyRemoteRules()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("d");
    QVERIFY(applyRemote(store, d,
                        {remoteRecord(QStringLiteral("clean"), QStringLiteral("1"), 1),
                         remoteRecord(QStringLiteral("same"), QStringLiteral("1"), 1),
                         remoteRecord(QStringLiteral("conflict"), QStringLiteral("1"), 1)},
                        1)
                .ok());
    QVERIFY(!store.putValue(d, QStringLiteral("same"), QStringLiteral("2")).isError());
    QVERIFY(!store.putValue(d, QStringLiteral("conflict"), QStringLiteral("mine")).isError());
    QVERIFY(!store.putValue(d, QStringLiteral("local-only"), QStringLiteral("x")).isError());

    const auto outcome = applyRemote(store, d,
                                     {remoteRecord(QStringLiteral("clean"), std::nullopt, 5),
                                      remoteRecord(QStringLiteral("same"), QStringLiteral("2"), 6),
                                      remoteRecord(QStringLiteral("conflict"), QStringLiteral("theirs"), 4),
                                      remoteRecord(QStringLiteral("new"), QStringLiteral("n"), 6)},
                                     6);
    QVERIFY(outcome.ok());
    QCOMPARE(outcome.value.saved, 3);
    QCOMPARE(outcome.value.unresolvedKeys, QStringList{QStringLiteral("conflict")});
    QCOMPARE(outcome.value.lastSyncCount, 3); // below the unresolved record, so it is pulled again
    QCOMPARE(store.dataset(d).value->lastSyncCount, 3);

    const auto clean = store.record(d, QStringLiteral("clean")).value;
    QVERIFY(clean->record.isRemoved() && !clean->dirty);
    QCOMPARE(clean->record.syncCount, 5);
    const auto same = store.record(d, QStringLiteral("same")).value;
    QVERIFY(!same->dirty);
    QCOMPARE(same->record.syncCount, 6);
    const auto conflict = store.record(d, QStringLiteral("conflict")).value;
    QVERIFY(conflict->dirty);
    QCOMPARE(*conflict->record.value, QStringLiteral("mine"));
    QCOMPARE(conflict->record.syncCount, 1);
    QVERIFY(store.record(d, QStringLiteral("local-only")).value->dirty);
    QCOMPARE(*store.record(d, QStringLiteral("new")).value->record.value, QStringLiteral("n"));
    QCOMPARE(store.dataset(d).value->recordCount, 4); // same, conflict, local-only, new
}

void TestLocalStore::applyRemoteWithResolutions()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("d");
    for (const QString &key : {QStringLiteral("mine"), QStringLiteral("theirs"), QStringLiteral("merged")})
        QVERIFY(!store.putValue(d, key, QStringLiteral("local")).isError());
    QHash<QString, ConflictResolution> resolutions;
    resolutions.insert(QStringLiteral("mine"), ConflictResolution::keepMine(QStringLiteral("mine")));
    resolutions.insert(QStringLiteral("theirs"), ConflictResolution::keepTheirs(QStringLiteral("theirs")));
    resolutions.insert(QStringLiteral("merged"),
                       ConflictResolution::merged(QStringLiteral("merged"), QStringLiteral("both")));
    const auto outcome = applyRemote(store, d,
                                     {remoteRecord(QStringLiteral("mine"), QStringLiteral("remote"), 2),
                                      remoteRecord(QStringLiteral("theirs"), QStringLiteral("remote"), 2),
                                      remoteRecord(QStringLiteral("merged"), QStringLiteral("remote"), 2)},
                                     2, resolutions);
    QVERIFY(outcome.ok());
    QVERIFY(outcome.value.unresolvedKeys.isEmpty());
    QCOMPARE(outcome.value.lastSyncCount, 2);
    const auto mine = store.record(d, QStringLiteral("mine")).value;
    QVERIFY(mine->dirty);
    QCOMPARE(*mine->record.value, QStringLiteral("local"));
    QCOMPARE(mine->record.syncCount, 2); // ready to be pushed over the remote copy
    const auto theirs = store.record(d, QStringLiteral("theirs")).value;
    QVERIFY(!theirs->dirty);
    QCOMPARE(*theirs->record.value, QStringLiteral("remote"));
    const auto merged = store.record(d, QStringLiteral("merged")).value;
    QVERIFY(merged->dirty);
    QCOMPARE(*merged->record.value, QStringLiteral("both"));
    QCOMPARE(merged->record.syncCount, 2);
}

void TestLocalStore::applyRemoteLeavesRecordEditedSinceDecision()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("d");
    QVERIFY(applyRemote(store, d, {remoteRecord(QStringLiteral("k"), QStringLiteral("1"), 1)}, 1).ok());
    QVERIFY(!store.putValue(d, QStringLiteral("k"), QStringLiteral("mine")).isError());
    const QList<SyncRecord> pulled{remoteRecord(QStringLiteral("k"), QStringLiteral("theirs"), 2),
                                   remoteRecord(QStringLiteral("other"), QStringLiteral("o"), 2)};
    QHash<QString, ConflictResolution> resolutions;
    resolutions.insert(QStringLiteral("k"), ConflictResolution::keepTheirs(QStringLiteral("k")));
    const auto decisions = PullMerge(d, pulled, store.dirtyRecords(d).value).decide(resolutions);
    // Between the decision and the save, the user edits "k" again (another window, another program).
    QVERIFY(!store.putValue(d, QStringLiteral("k"), QStringLiteral("mine, later")).isError());
    const auto outcome = store.applyRemote(d, decisions, 2);
    QVERIFY(outcome.ok());
    QCOMPARE(outcome.value.unresolvedKeys, QStringList{QStringLiteral("k")});
    QCOMPARE(outcome.value.lastSyncCount, 1); // so that "k" is pulled again
    const auto k = store.record(d, QStringLiteral("k")).value;
    QVERIFY(k->dirty);
    QCOMPARE(*k->record.value, QStringLiteral("mine, later")); // not overwritten by "theirs"
    QCOMPARE(*store.record(d, QStringLiteral("other")).value->record.value, QStringLiteral("o"));
}

void TestLocalStore::rollbackOnFailure()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("d");
    QVERIFY(applyRemote(store, d, {remoteRecord(QStringLiteral("a"), QStringLiteral("1"), 1)}, 1).ok());
    {
        RawConnection raw(path());
        QVERIFY(raw.exec(
            QStringLiteral("CREATE TRIGGER fail_sync_count BEFORE UPDATE OF last_sync_count ON datasets"
                           " BEGIN SELECT RAISE(ABORT, 'injected failure'); END")));
    }
    // The records are written first, the sync count last: the failure must undo the records too.
    const auto outcome = applyRemote(store, d,
                                     {remoteRecord(QStringLiteral("a"), QStringLiteral("2"), 2),
                                      remoteRecord(QStringLiteral("b"), QStringLiteral("2"), 2)},
                                     2);
    QVERIFY(!outcome.ok());
    QVERIFY(outcome.error.details.contains(QStringLiteral("injected failure")));
    QVERIFY(!outcome.error.what.isEmpty() && !outcome.error.action.isEmpty());
    QCOMPARE(*store.record(d, QStringLiteral("a")).value->record.value, QStringLiteral("1"));
    QVERIFY(!store.record(d, QStringLiteral("b")).value);
    QCOMPARE(store.dataset(d).value->lastSyncCount, 1);
}

void TestLocalStore::busyFileLosesNothing()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    QVERIFY(!store.putValue(QStringLiteral("d"), QStringLiteral("k"), QStringLiteral("before")).isError());
    {
        RawConnection raw(path());
        QVERIFY(raw.exec(QStringLiteral("BEGIN EXCLUSIVE")));
        const UserError error =
            store.putValue(QStringLiteral("d"), QStringLiteral("k"), QStringLiteral("after"));
        QCOMPARE(error.code, QStringLiteral("sync.store.busy"));
        QVERIFY(!error.action.isEmpty());
        QVERIFY(raw.exec(QStringLiteral("ROLLBACK")));
    }
    QCOMPARE(*store.record(QStringLiteral("d"), QStringLiteral("k")).value->record.value,
             QStringLiteral("before"));
    QVERIFY(!store.putValue(QStringLiteral("d"), QStringLiteral("k"), QStringLiteral("after")).isError());
}

void TestLocalStore::corruptFileIsReported()
{
    QDir().mkpath(QFileInfo(path()).absolutePath());
    QFile file(path());
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QByteArray garbage(8192, 'G');
    file.write(garbage);
    file.close();
    LocalStore store(path());
    const UserError error = store.open();
    QCOMPARE(error.code, QStringLiteral("sync.store.corrupt"));
    QVERIFY(error.action.contains(QDir::toNativeSeparators(path())));
    QVERIFY(!store.isOpen());
    QVERIFY(store.putValue(QStringLiteral("d"), QStringLiteral("k"), QStringLiteral("v")).isError());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), garbage); // left as it was, for the user to keep
}

void TestLocalStore::migratesV1File()
{
    QDir().mkpath(QFileInfo(path()).absolutePath());
    {
        // A file as version 1 wrote it.
        RawConnection raw(path());
        QVERIFY(raw.exec(QStringLiteral(
            "CREATE TABLE datasets (name TEXT PRIMARY KEY NOT NULL, created INTEGER, last_modified INTEGER,"
            " last_modified_by TEXT NOT NULL DEFAULT '', last_sync_count INTEGER NOT NULL DEFAULT 0,"
            " storage_size_bytes INTEGER NOT NULL DEFAULT 0, record_count INTEGER NOT NULL DEFAULT 0,"
            " deleted INTEGER NOT NULL DEFAULT 0)")));
        QVERIFY(raw.exec(QStringLiteral(
            "CREATE TABLE records (dataset TEXT NOT NULL REFERENCES datasets(name) ON DELETE CASCADE,"
            " key TEXT NOT NULL, value TEXT, sync_count INTEGER NOT NULL DEFAULT 0, last_modified INTEGER,"
            " last_modified_by TEXT NOT NULL DEFAULT '', device_last_modified INTEGER,"
            " dirty INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (dataset, key))")));
        QVERIFY(raw.exec(
            QStringLiteral("INSERT INTO datasets (name, last_sync_count, record_count, storage_size_bytes)"
                           " VALUES ('prefs', 7, 2, 11)")));
        QVERIFY(raw.exec(
            QStringLiteral("INSERT INTO records (dataset, key, value, sync_count, dirty)"
                           " VALUES ('prefs', 'theme', 'dark', 7, 0), ('prefs', 'lang', 'fr', 3, 1)")));
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 1")));
    }
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    QCOMPARE(store.fileSchemaVersion().value, LocalStore::schemaVersion());
    QCOMPARE(store.dataset(QStringLiteral("prefs")).value->lastSyncCount, 7);
    // The file said 2 records of 11 bytes; they are counted again: theme+dark 9, lang+fr 6.
    QCOMPARE(store.dataset(QStringLiteral("prefs")).value->recordCount, 2);
    QCOMPARE(store.dataset(QStringLiteral("prefs")).value->storageSizeBytes, qint64(15));
    const auto lang = store.record(QStringLiteral("prefs"), QStringLiteral("lang")).value;
    QVERIFY(lang && lang->dirty);
    QCOMPARE(lang->revision, 0);
    QCOMPARE(*lang->record.value, QStringLiteral("fr"));
    // The migrated dirty record can be pushed and cleaned with the new revision column.
    LocalStore::PushedRecord pushed{QStringLiteral("lang"), lang->revision,
                                    remoteRecord(QStringLiteral("lang"), QStringLiteral("fr"), 8)};
    QVERIFY(!store.markPushed(QStringLiteral("prefs"), {pushed}, 8).isError());
    QVERIFY(store.dirtyRecords(QStringLiteral("prefs")).value.isEmpty());
    const StoreResult<bool> clean = store.hasDirtyRecords(QStringLiteral("prefs"));
    QVERIFY(clean.ok() && !clean.value);
    QVERIFY(
        !store.putValue(QStringLiteral("prefs"), QStringLiteral("theme"), QStringLiteral("light")).isError());
    QVERIFY(store.hasDirtyRecords(QStringLiteral("prefs")).value);
    QCOMPARE(store.record(QStringLiteral("prefs"), QStringLiteral("theme")).value->revision, 1);
}

void TestLocalStore::refusesNewerFile()
{
    QDir().mkpath(QFileInfo(path()).absolutePath());
    {
        RawConnection raw(path());
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE future (x)")));
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 99")));
    }
    LocalStore store(path());
    const UserError error = store.open();
    QCOMPARE(error.code, QStringLiteral("sync.store.newer"));
    QVERIFY(error.why.contains(QStringLiteral("99")));
    RawConnection raw(path());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 99);
}

void TestLocalStore::reopenPersists()
{
    {
        LocalStore store(path());
        QVERIFY(!store.open().isError());
        QVERIFY(!store.putValue(QStringLiteral("d"), QStringLiteral("k"), QStringLiteral("v")).isError());
        QVERIFY(!store.removeValue(QStringLiteral("d"), QStringLiteral("k")).isError());
        QVERIFY(!store.putValue(QStringLiteral("d"), QStringLiteral("k2"), QStringLiteral("v2")).isError());
        QVERIFY(applyRemote(store, QStringLiteral("e"),
                            {remoteRecord(QStringLiteral("r"), QStringLiteral("x"), 4)}, 4)
                    .ok());
    }
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    QCOMPARE(store.listDatasets().value.size(), 2);
    const auto records = store.records(QStringLiteral("d"), true).value;
    QCOMPARE(records.size(), 2);
    QVERIFY(records.at(0).record.isRemoved() && records.at(0).dirty);
    QCOMPARE(*records.at(1).record.value, QStringLiteral("v2"));
    QCOMPARE(store.dataset(QStringLiteral("e")).value->lastSyncCount, 4);
    QVERIFY(!store.record(QStringLiteral("e"), QStringLiteral("r")).value->dirty);
}

void TestLocalStore::markPushedKeepsEditDuringPush()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("d");
    QVERIFY(!store.putValue(d, QStringLiteral("a"), QStringLiteral("1")).isError());
    QVERIFY(!store.putValue(d, QStringLiteral("b"), QStringLiteral("1")).isError());
    const auto readForPush = store.dirtyRecords(d).value;
    QCOMPARE(readForPush.size(), 2);
    // While the push is in flight, "b" is edited again.
    QVERIFY(!store.putValue(d, QStringLiteral("b"), QStringLiteral("2")).isError());
    QList<LocalStore::PushedRecord> pushed;
    for (const LocalRecord &record : readForPush)
        pushed << LocalStore::PushedRecord{record.record.key, record.revision,
                                           remoteRecord(record.record.key, record.record.value, 1)};
    QVERIFY(!store.markPushed(d, pushed, 1).isError());
    QVERIFY(!store.record(d, QStringLiteral("a")).value->dirty);
    const auto b = store.record(d, QStringLiteral("b")).value;
    QVERIFY(b->dirty);
    QCOMPARE(*b->record.value, QStringLiteral("2"));
    QCOMPARE(b->record.syncCount, 1); // the next push replaces the version the server has
    QCOMPARE(store.dataset(d).value->lastSyncCount, 1);
}

// 37 records are marked in blocks of 16, 16, 4 and 1: each gets its own sync count and stamp, an edit made
// during the push stays dirty, and the other dataset's records of the same keys are left alone.
void TestLocalStore::markPushedMarksEveryRecordOfALargePush()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("d");
    const QString other = QStringLiteral("other");
    const auto key = [](int i) { return QStringLiteral("k%1").arg(i, 2, 10, QLatin1Char('0')); };
    for (int i = 0; i < 37; ++i) {
        QVERIFY(!store.putValue(d, key(i), QStringLiteral("v")).isError());
        QVERIFY(!store.putValue(other, key(i), QStringLiteral("v")).isError());
    }
    const auto readForPush = store.dirtyRecords(d).value;
    QCOMPARE(readForPush.size(), 37);
    for (int i = 0; i < 37; i += 5) // edited while the push is in flight
        QVERIFY(!store.putValue(d, key(i), QStringLiteral("edited")).isError());
    QList<LocalStore::PushedRecord> pushed;
    for (const LocalRecord &record : readForPush) {
        const int i = record.record.key.mid(1).toInt();
        SyncRecord remote = remoteRecord(record.record.key, record.record.value, 100 + i);
        remote.lastModifiedBy = QStringLiteral("device-%1").arg(i);
        pushed << LocalStore::PushedRecord{record.record.key, record.revision, remote};
    }
    QVERIFY(!store.markPushed(d, pushed, 136).isError());
    for (int i = 0; i < 37; ++i) {
        const auto record = store.record(d, key(i)).value;
        QVERIFY(record);
        QCOMPARE(record->record.syncCount, 100 + i);
        QCOMPARE(record->record.lastModifiedBy, QStringLiteral("device-%1").arg(i));
        QCOMPARE(record->dirty, i % 5 == 0);
        QCOMPARE(*record->record.value, i % 5 == 0 ? QStringLiteral("edited") : QStringLiteral("v"));
        const auto untouched = store.record(other, key(i)).value;
        QVERIFY(untouched->dirty);
        QCOMPARE(untouched->record.syncCount, 0);
    }
    QCOMPARE(store.dataset(d).value->lastSyncCount, 136);
    QCOMPARE(store.dataset(other).value->lastSyncCount, 0);
}

void TestLocalStore::deleteAndPurge()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    QVERIFY(!store.putValue(QStringLiteral("d"), QStringLiteral("k"), QStringLiteral("v")).isError());
    QVERIFY(!store.markDatasetDeleted(QStringLiteral("d")).isError());
    const auto dataset = store.dataset(QStringLiteral("d")).value;
    QVERIFY(dataset->isPendingDelete());
    QCOMPARE(dataset->lastSyncCount, -1);
    QCOMPARE(store.putValue(QStringLiteral("d"), QStringLiteral("k"), QStringLiteral("w")).code,
             QStringLiteral("sync.dataset.pendingDelete"));
    QCOMPARE(store.createDataset(QStringLiteral("d")).code, QStringLiteral("sync.dataset.pendingDelete"));
    QCOMPARE(store.markDatasetDeleted(QStringLiteral("nope")).code, QStringLiteral("sync.dataset.missing"));
    QVERIFY(!store.purgeDataset(QStringLiteral("d")).isError());
    QVERIFY(!store.dataset(QStringLiteral("d")).value);
    QVERIFY(store.records(QStringLiteral("d"), true).value.isEmpty()); // cascaded
}

void TestLocalStore::resetToLocalChanges()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("d");
    QVERIFY(applyRemote(store, d,
                        {remoteRecord(QStringLiteral("synced"), QStringLiteral("1"), 3),
                         remoteRecord(QStringLiteral("edited"), QStringLiteral("1"), 3),
                         remoteRecord(QStringLiteral("removed"), QStringLiteral("1"), 3)},
                        3)
                .ok());
    QVERIFY(!store.putValue(d, QStringLiteral("edited"), QStringLiteral("2")).isError());
    QVERIFY(!store.removeValue(d, QStringLiteral("removed")).isError());
    QVERIFY(!store.resetToLocalChanges(d).isError());
    const auto records = store.records(d, true).value;
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().record.key, QStringLiteral("edited"));
    QCOMPARE(records.first().record.syncCount, 0);
    QVERIFY(records.first().dirty);
    QCOMPARE(store.dataset(d).value->lastSyncCount, 0);
}

// Two stores on one file each hold their own connection; when both go, the file is closed: SQLite then
// folds the write-ahead log into the database and deletes it, which it does only when the last
// connection (a kept statement included) is gone.
void TestLocalStore::connectionsCloseWhenTheStoreGoes()
{
    {
        LocalStore first(path());
        LocalStore second(path());
        QVERIFY(!first.open().isError());
        QVERIFY(!second.open().isError());
        QVERIFY(!first.putValue(QStringLiteral("d"), QStringLiteral("k"), QStringLiteral("v")).isError());
        QCOMPARE(*second.record(QStringLiteral("d"), QStringLiteral("k")).value->record.value,
                 QStringLiteral("v"));
        QVERIFY(QFile::exists(path() + QStringLiteral("-wal")));
    }
    QVERIFY2(!QFile::exists(path() + QStringLiteral("-wal")), "a connection to the store's file stayed open");
}

// The connection keeps its prepared statements for the next run; one kept after reading only its first row
// must not keep the file's snapshot: a record another process wrote afterwards is seen by the next read.
void TestLocalStore::keptStatementsSeeOtherWriters()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("d");
    QVERIFY(!store.putValue(d, QStringLiteral("mine"), QStringLiteral("1")).isError());
    QCOMPARE(store.datasetSize(d).value, qint64(5)); // a one-row read, kept for the next run
    {
        LocalStore other(path()); // another process's store on the same file
        QVERIFY(!other.open().isError());
        QVERIFY(!other.putValue(d, QStringLiteral("theirs"), QStringLiteral("2")).isError());
    }
    const auto theirs = store.record(d, QStringLiteral("theirs"));
    QVERIFY(theirs.ok());
    QVERIFY2(theirs.value.has_value(), "a read still saw the file as it was before the other writer");
    QCOMPARE(store.datasetSize(d).value, qint64(5 + 7));
}

// StoreQuery binds the values to the "?" in order, a "?" inside a quoted text is text, and a count that
// does not match is an error, also when the statement is the connection's kept one.
void TestLocalStore::valuesBindInOrderAndQuotesKeepTheirQuestionMarks()
{
    StoreConnection connection(path());
    QVERIFY(!connection.open().isError());
    const QString sql = QStringLiteral("SELECT ? || '?' || ? || ?");
    for (int round = 0; round < 2; ++round) { // the second round runs the kept statement
        StoreQuery query(connection);
        const auto got = query.scalar(QStringLiteral("concatenate"), sql,
                                      {QStringLiteral("a"), round, QStringLiteral("c")});
        QVERIFY2(got.ok(), qPrintable(got.error.details));
        QCOMPARE(got.value.toString(), QStringLiteral("a?%1c").arg(round));
    }
    StoreQuery query(connection);
    const UserError tooFew = query.run(QStringLiteral("concatenate"), sql, {QStringLiteral("a")});
    QVERIFY(tooFew.isError());
    QVERIFY2(tooFew.details.contains(QStringLiteral("1 values for 3 placeholders")), qPrintable(tooFew.details));
}

// A page of 1,000 pulled records (saved in blocks of statements) with removals, empty values, texts in
// several scripts and a conflicting unpushed edit in the middle: every record as pulled, the edit left
// as it is, the statistics right.
void TestLocalStore::largePageSavesEveryRecord()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("d");
    QVERIFY(!store.putValue(d, QStringLiteral("key-0500"), QStringLiteral("mine")).isError());
    QList<SyncRecord> page;
    qint64 bytes = 0;
    int live = 0;
    for (int i = 0; i < 1000; ++i) {
        const QString key = QStringLiteral("key-%1").arg(i, 4, 10, QLatin1Char('0'));
        std::optional<QString> value;
        if (i % 7 == 3)
            value = QString(); // empty
        else if (i % 7 != 5) // i % 7 == 5: removed
            value = QStringLiteral("v%1 \u00e9\u65e5 \"%2\"").arg(i).arg(QString::fromUcs4(U"\U0001F600"));
        SyncRecord record = remoteRecord(key, value, 1000 + i);
        record.lastModified = QDateTime::fromMSecsSinceEpoch(1700000000000 + i, Qt::UTC);
        record.deviceLastModified = i % 2 ? QDateTime() : record.lastModified.addSecs(-1);
        page << record;
        if (value && i != 500) {
            ++live;
            bytes += key.toUtf8().size() + value->toUtf8().size();
        }
    }
    const auto applied = applyRemote(store, d, page, 2000);
    QVERIFY2(applied.ok(), qPrintable(applied.error.details));
    QCOMPARE(applied.value.saved, 999);
    QCOMPARE(applied.value.unresolvedKeys, QStringList{QStringLiteral("key-0500")});

    const auto records = store.records(d, true);
    QVERIFY(records.ok());
    QCOMPARE(records.value.size(), 1000);
    for (int i = 0; i < 1000; ++i) {
        const LocalRecord &got = records.value.at(i);
        const SyncRecord &pulled = page.at(i);
        QCOMPARE(got.record.key, pulled.key);
        if (i == 500) { // a conflict nobody settled yet: left as it is, pulled again next time
            QCOMPARE(got.record.value, std::optional<QString>(QStringLiteral("mine")));
            QVERIFY(got.dirty);
            continue;
        }
        QCOMPARE(got.record.syncCount, pulled.syncCount);
        QCOMPARE(got.record.value, pulled.value);
        QCOMPARE(got.record.value.has_value() && got.record.value->isEmpty(), i % 7 == 3);
        QVERIFY(!got.dirty);
        QCOMPARE(got.record.lastModified, pulled.lastModified);
        QCOMPARE(got.record.deviceLastModified, pulled.deviceLastModified);
        QCOMPARE(got.record.lastModifiedBy, pulled.lastModifiedBy);
    }
    const auto dataset = store.dataset(d).value;
    QVERIFY(dataset);
    QCOMPARE(dataset->recordCount, live + 1);
    QCOMPARE(dataset->storageSizeBytes, bytes + 8 + 4);
    QCOMPARE(dataset->lastSyncCount, qint64(1500 - 1)); // below the unsettled record's count

    // Stored as texts, as every other write stores them: an edit of a pulled key finds its row, and SQL
    // sees no blob.
    RawConnection raw(path());
    QVERIFY(raw.ok());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM records WHERE typeof(dataset) <> 'text'"
                                       " OR typeof(key) <> 'text' OR typeof(last_modified_by) <> 'text'"
                                       " OR (value IS NOT NULL AND typeof(value) <> 'text')"))
                 .toInt(),
             0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM records WHERE value = ''")).toInt(),
             1000 / 7 + 1 - 1); // i % 7 == 3, but key-0500 (unsettled) keeps its edit
    QVERIFY(!store.putValue(d, QStringLiteral("key-0001"), QStringLiteral("edited")).isError());
    QCOMPARE(store.records(d, true).value.size(), 1000);
    QCOMPARE(*store.record(d, QStringLiteral("key-0001")).value->record.value, QStringLiteral("edited"));
    QCOMPARE(store.dataset(d).value->recordCount, live + 1);
}

// A sync that pulls nothing new (every sync of a local edit, every periodic sync that finds nothing)
// leaves the file alone: it needs no write lock, so it goes on while another process writes, and
// commits nothing. A pull of nothing that moves the dataset's sync count still saves it.
void TestLocalStore::pullOfNothingNewWritesNothing()
{
    LocalStore store(path());
    QVERIFY(!store.open().isError());
    const QString d = QStringLiteral("d");
    QVERIFY(applyRemote(store, d, {remoteRecord(QStringLiteral("k"), QStringLiteral("v"), 4)}, 4).ok());
    {
        RawConnection raw(path());
        QVERIFY(raw.exec(QStringLiteral("BEGIN IMMEDIATE"))); // another process writing
        const QVariant before = raw.scalar(QStringLiteral("PRAGMA data_version"));
        const auto nothing = applyRemote(store, d, {}, 4);
        QVERIFY2(nothing.ok(), qPrintable(nothing.error.details));
        QCOMPARE(nothing.value.lastSyncCount, qint64(4));
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA data_version")), before);
        QVERIFY(raw.exec(QStringLiteral("ROLLBACK")));
    }
    const auto moved = applyRemote(store, d, {}, 6);
    QVERIFY2(moved.ok(), qPrintable(moved.error.details));
    QCOMPARE(store.dataset(d).value->lastSyncCount, qint64(6));
}

FEDSYNC_TEST_MAIN(TestLocalStore)
#include "tst_localstore.moc"

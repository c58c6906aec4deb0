// How far each kind of commit of the local store reaches (StoreConnection::Durability), counted where it
// happens: this executable defines fdatasync() and fsync() (exported, so the SQLite library the Qt driver
// loads calls these), which count and then call the C library's. An edit or a conflict decision is
// flushed to the disk at its commit; what a sync copies from the server, and its bookkeeping, is not
// (the server holds it: the next sync does it again), and still survives a kill of the process.
#include "killedchild.h"
#include "sync/localstore.h"
#include "sync/pullmerge.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>

#include <dlfcn.h>

namespace {
std::atomic<int> flushes{0};

template<typename Fn> Fn libc(const char *name)
{
    return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}
} // namespace

extern "C" {
__attribute__((visibility("default"))) int fdatasync(int fd)
{
    static const auto real = libc<int (*)(int)>("fdatasync");
    ++flushes;
    return real(fd);
}
__attribute__((visibility("default"))) int fsync(int fd)
{
    static const auto real = libc<int (*)(int)>("fsync");
    ++flushes;
    return real(fd);
}
}

using namespace fedsync;

namespace {

const QString D = QStringLiteral("d");

SyncRecord remoteRecord(const QString &key, const QString &value, qint64 syncCount)
{
    SyncRecord record;
    record.key = key;
    record.value = value;
    record.syncCount = syncCount;
    record.lastModified = QDateTime::currentDateTimeUtc();
    record.lastModifiedBy = QStringLiteral("other-device");
    record.deviceLastModified = record.lastModified;
    return record;
}

// Saves `remote` as a sync does: PullMerge decides on the unpushed edits (with `resolutions`).
UserError pull(LocalStore &store, const QList<SyncRecord> &remote, qint64 syncCount,
               const QHash<QString, ConflictResolution> &resolutions = {})
{
    const auto dirty = store.dirtyRecords(D);
    if (!dirty.ok())
        return dirty.error;
    return store.applyRemote(D, PullMerge(D, remote, dirty.value).decide(resolutions), syncCount).error;
}

// Marks every unpushed edit as accepted by the server at `syncCount`.
UserError pushAll(LocalStore &store, qint64 syncCount)
{
    QList<LocalStore::PushedRecord> pushed;
    for (const LocalRecord &record : store.dirtyRecords(D).value)
        pushed << LocalStore::PushedRecord{record.record.key, record.revision,
                                           remoteRecord(record.record.key, *record.record.value, syncCount)};
    return store.markPushed(D, pushed, syncCount);
}

} // namespace

class TestStoreDurability : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void editsAreFlushedAndSyncCopiesAreNot();
    void conflictDecisionsAreFlushed();
    void syncCopiesSurviveAKill();

private:
    QTemporaryDir m_dir;
};

void TestStoreDurability::editsAreFlushedAndSyncCopiesAreNot()
{
    LocalStore store(m_dir.filePath(QStringLiteral("plain.sqlite")));
    QVERIFY(!store.open().isError());

    int before = flushes;
    QVERIFY(!store.putValue(D, QStringLiteral("mine"), QStringLiteral("typed")).isError());
    QVERIFY2(flushes > before, "an edit was not flushed at its commit");

    before = flushes;
    QVERIFY(!pull(store, {remoteRecord(QStringLiteral("theirs"), QStringLiteral("v"), 1)}, 1).isError());
    QCOMPARE(flushes - before, 0);

    before = flushes;
    QVERIFY(!pushAll(store, 2).isError());
    QCOMPARE(flushes - before, 0);

    before = flushes;
    QVERIFY(!store.setRemoteState(D, QStringLiteral("state")).isError());
    QCOMPARE(flushes - before, 0);

    // The connection is back to flushing: the next edit reaches the disk, and with it everything before.
    before = flushes;
    QVERIFY(!store.putValue(D, QStringLiteral("mine"), QStringLiteral("typed again")).isError());
    QVERIFY2(flushes > before, "an edit after a sync's commit was not flushed");
    before = flushes;
    QVERIFY(!store.removeValue(D, QStringLiteral("theirs")).isError());
    QVERIFY2(flushes > before, "a removal was not flushed");

    QCOMPARE(store.record(D, QStringLiteral("theirs")).value->record.value, std::nullopt);
    QCOMPARE(*store.record(D, QStringLiteral("mine")).value->record.value, QStringLiteral("typed again"));
}

void TestStoreDurability::conflictDecisionsAreFlushed()
{
    LocalStore store(m_dir.filePath(QStringLiteral("conflict.sqlite")));
    QVERIFY(!store.open().isError());
    QVERIFY(!store.putValue(D, QStringLiteral("k"), QStringLiteral("mine")).isError());
    // The server has another value for "k": the user keeps theirs (a decision, not a copy).
    const ConflictResolution keep = ConflictResolution::keepMine(QStringLiteral("k"));
    const int before = flushes;
    QVERIFY(!pull(store, {remoteRecord(QStringLiteral("k"), QStringLiteral("theirs"), 1)}, 1,
                  {{QStringLiteral("k"), keep}})
                 .isError());
    QVERIFY2(flushes > before, "a conflict decision was not flushed");
    const auto k = store.record(D, QStringLiteral("k")).value;
    QCOMPARE(*k->record.value, QStringLiteral("mine"));
    QVERIFY(k->dirty);
    QCOMPARE(k->record.syncCount, 1);
}

void TestStoreDurability::syncCopiesSurviveAKill()
{
    const QString path = m_dir.filePath(QStringLiteral("killed.sqlite"));
    const QString killed = fedsync::test::runThenKillAfter({QStringLiteral("--sync-then-wait"), path}, "saved");
    QVERIFY2(killed.isEmpty(), qPrintable(killed));

    LocalStore store(path);
    QVERIFY(!store.open().isError());
    QCOMPARE(*store.record(D, QStringLiteral("theirs")).value->record.value, QStringLiteral("pulled"));
    const auto mine = store.record(D, QStringLiteral("mine")).value;
    QCOMPARE(*mine->record.value, QStringLiteral("typed"));
    QVERIFY(!mine->dirty); // the mark of the push is there too
    QCOMPARE(store.dataset(D).value->lastSyncCount, 2);
    QVERIFY(store.dirtyRecords(D).value.isEmpty());
}

// The child of syncCopiesSurviveAKill: an edit, then a sync's two commits (the pull, the push's mark),
// neither flushed; says so and waits to be killed.
static int syncThenWait(const QString &path)
{
    LocalStore store(path);
    if (store.open().isError() ||
        store.putValue(D, QStringLiteral("mine"), QStringLiteral("typed")).isError())
        return 1;
    const int before = flushes;
    if (pull(store, {remoteRecord(QStringLiteral("theirs"), QStringLiteral("pulled"), 1)}, 1).isError() ||
        pushAll(store, 2).isError() || flushes != before)
        return 1;
    fedsync::test::sayAndWaitToBeKilled("saved");
}

FEDSYNC_TEST_MAIN_WITH_CHILD(TestStoreDurability, "--sync-then-wait", syncThenWait)

#include "tst_storedurability.moc"

// BackgroundStoreWriter: the work runs on one worker thread, on a connection opened by the first work
// and kept until the writer goes (then closed on that thread: the file is left checkpointed, no WAL),
// with the store's clock as it is when each work is asked; a file that could not be opened is tried
// again by the next work.
#include "sync/backgroundstorewriter.h"
#include "testmain.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>

#include <memory>
#include <optional>

using namespace fedsync;

namespace {

const QString D = QStringLiteral("notes");

// Runs `work` on the writer and waits for its outcome.
template<typename Work> auto runAndWait(BackgroundStoreWriter &writer, Work work)
{
    using Result = std::decay_t<std::invoke_result_t<Work &, LocalStore &>>;
    std::optional<Result> outcome;
    writer.run(&writer, std::move(work), [&outcome](const Result &result) { outcome = result; });
    if (QTest::qWaitFor([&outcome] { return outcome.has_value(); }, 10000))
        return *outcome;
    const UserError timeout = UserError::make(QStringLiteral("test.timeout"), QStringLiteral("no outcome"));
    if constexpr (std::is_same_v<Result, UserError>) {
        return timeout;
    } else {
        Result failed;
        failed.error = timeout;
        return failed;
    }
}

} // namespace

class TestBackgroundStoreWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void keepsOneConnectionUntilItGoes();
    void runsEveryWorkOnOneThread();
    void usesTheClockOfEachRequest();
    void triesAgainAfterAFailedOpen();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestBackgroundStoreWriter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // A connection used or closed on another thread than its own warns (SqliteDatabase).
    QTest::failOnWarning(QRegularExpression(QStringLiteral("SQLite|database")));
}

void TestBackgroundStoreWriter::keepsOneConnectionUntilItGoes()
{
    const QString path = m_dir->filePath(QStringLiteral("store.sqlite"));
    const LocalStore origin(path); // never opened here: the writer's connection is the only one
    auto writer = std::make_unique<BackgroundStoreWriter>(origin);
    QVERIFY(!runAndWait(*writer, [](LocalStore &store) {
                 return store.putValue(D, QStringLiteral("k"), QStringLiteral("v1"));
             }).isError());
    // The connection is still open between two pieces of work: SQLite keeps the WAL while one is.
    QTest::qWait(50);
    QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
    QVERIFY(!runAndWait(*writer, [](LocalStore &store) {
                 return store.putValue(D, QStringLiteral("k"), QStringLiteral("v2"));
             }).isError());

    // Closed when the writer goes, on its thread: the last connection checkpoints and removes the WAL.
    writer.reset();
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
    LocalStore reader(path);
    QVERIFY(!reader.open().isError());
    const auto record = reader.record(D, QStringLiteral("k"));
    QVERIFY(record.ok() && record.value);
    QCOMPARE(record.value->record.value, QStringLiteral("v2"));
    QVERIFY(record.value->dirty);
}

void TestBackgroundStoreWriter::runsEveryWorkOnOneThread()
{
    const LocalStore origin(m_dir->filePath(QStringLiteral("store.sqlite")));
    BackgroundStoreWriter writer(origin);
    QList<Qt::HANDLE> threads;
    for (int i = 0; i < 3; ++i) {
        QVERIFY(!runAndWait(writer, [&threads, i](LocalStore &store) {
                     threads << QThread::currentThreadId();
                     return store.putValue(D, QStringLiteral("k%1").arg(i), QStringLiteral("v"));
                 }).isError());
        QTest::qWait(20);
    }
    QCOMPARE(threads.size(), 3);
    QVERIFY(threads.at(0) != QThread::currentThreadId());
    QCOMPARE(threads.at(1), threads.at(0));
    QCOMPARE(threads.at(2), threads.at(0));
}

void TestBackgroundStoreWriter::usesTheClockOfEachRequest()
{
    LocalStore origin(m_dir->filePath(QStringLiteral("store.sqlite")));
    BackgroundStoreWriter writer(origin);
    const QDateTime first = QDateTime::fromString(QStringLiteral("2026-01-02T03:04:05Z"), Qt::ISODate);
    const QDateTime second = first.addDays(1);
    origin.setClock([first] { return first; });
    QVERIFY(!runAndWait(writer, [](LocalStore &store) {
                 return store.putValue(D, QStringLiteral("a"), QStringLiteral("1"));
             }).isError());
    // The connection stays open; the clock is the store's when the work is asked, not when it opened.
    origin.setClock([second] { return second; });
    QVERIFY(!runAndWait(writer, [](LocalStore &store) {
                 return store.putValue(D, QStringLiteral("b"), QStringLiteral("2"));
             }).isError());
    const auto records = runAndWait(writer, [](LocalStore &store) { return store.records(D); });
    QVERIFY(records.ok());
    QCOMPARE(records.value.size(), 2);
    for (const LocalRecord &record : records.value)
        QCOMPARE(record.record.deviceLastModified, record.record.key == QStringLiteral("a") ? first : second);
}

void TestBackgroundStoreWriter::triesAgainAfterAFailedOpen()
{
    // The store's folder cannot be made: a file has its name.
    const QString folder = m_dir->filePath(QStringLiteral("datasets"));
    QFile blocker(folder);
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const LocalStore origin(folder + QStringLiteral("/store.sqlite"));
    BackgroundStoreWriter writer(origin);
    const UserError failed = runAndWait(writer, [](LocalStore &store) {
        return store.putValue(D, QStringLiteral("k"), QStringLiteral("v"));
    });
    QCOMPARE(failed.code, QStringLiteral("sync.store.io"));

    // Once the folder can be made, the next work opens the file and succeeds.
    QVERIFY(QFile::remove(folder));
    QVERIFY(!runAndWait(writer, [](LocalStore &store) {
                 return store.putValue(D, QStringLiteral("k"), QStringLiteral("v"));
             }).isError());
    const auto record = runAndWait(writer, [](LocalStore &store) { return store.record(D, QStringLiteral("k")); });
    QVERIFY(record.ok() && record.value);
}

FEDSYNC_TEST_MAIN(TestBackgroundStoreWriter)
#include "tst_backgroundstorewriter.moc"

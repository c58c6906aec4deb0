// BackgroundWork: the work runs on a worker thread, its result comes back queued on the asking thread,
// in order, and is dropped when the context object went first; the destructor waits for running work.
#include "common/backgroundwork.h"
#include "testmain.h"

#include <QSemaphore>
#include <QThread>

#include <atomic>
#include <memory>

using namespace fedsync;

class TestBackgroundWork : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void runsOnAWorkerAndDeliversHere();
    void deliversInTheOrderAsked();
    void droppedWhenTheContextGoesFirst();
    void destructorWaitsForRunningWork();
    void smallWorkRunsAtOnceLargeOnAWorker();
    void largeWorkDroppedWhenTheContextGoesFirst();
};

void TestBackgroundWork::runsOnAWorkerAndDeliversHere()
{
    BackgroundWork work(QStringLiteral("test"));
    QObject context;
    QThread *worker = nullptr;
    QThread *deliveredOn = nullptr;
    int result = 0;
    work.run(
        &context,
        [&worker] {
            worker = QThread::currentThread();
            return 42;
        },
        [&](int value) {
            deliveredOn = QThread::currentThread();
            result = value;
        });
    QCOMPARE(work.pending(), 1);
    QTRY_COMPARE(result, 42);
    QVERIFY(worker && worker != QThread::currentThread());
    QCOMPARE(deliveredOn, QThread::currentThread());
    QCOMPARE(work.pending(), 0);
}

void TestBackgroundWork::deliversInTheOrderAsked()
{
    BackgroundWork work(QStringLiteral("test"));
    QObject context;
    QList<int> delivered;
    for (int i = 0; i < 20; ++i)
        work.run(
            &context, [i] { return i; }, [&delivered](int value) { delivered << value; });
    QTRY_COMPARE(delivered.size(), 20);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(delivered.at(i), i);
}

void TestBackgroundWork::droppedWhenTheContextGoesFirst()
{
    BackgroundWork work(QStringLiteral("test"));
    auto context = std::make_unique<QObject>();
    QSemaphore started;
    QSemaphore release;
    bool delivered = false;
    work.run(
        context.get(),
        [&] {
            started.release();
            release.acquire();
            return true;
        },
        [&delivered](bool) { delivered = true; });
    started.acquire();
    context.reset(); // while the work runs
    release.release();
    QTRY_COMPARE(work.pending(), 0);
    QCoreApplication::processEvents();
    QVERIFY(!delivered);
}

void TestBackgroundWork::destructorWaitsForRunningWork()
{
    std::atomic<bool> finished{false};
    QObject context;
    bool delivered = false;
    {
        BackgroundWork work(QStringLiteral("test"));
        QSemaphore started;
        work.run(
            &context,
            [&] {
                started.release();
                QThread::msleep(100);
                finished = true;
                return 1;
            },
            [&delivered](int) { delivered = true; });
        started.acquire();
    }
    QVERIFY(finished); // waited for, not abandoned
    QCoreApplication::processEvents();
    QVERIFY(!delivered); // the result went with the object
}

void TestBackgroundWork::smallWorkRunsAtOnceLargeOnAWorker()
{
    BackgroundWork work(QStringLiteral("test"));
    QObject context;
    QThread *smallOn = nullptr;
    int small = 0;
    work.runIfLarge(
        &context, BackgroundWork::LargeBytes - 1,
        [&smallOn] {
            smallOn = QThread::currentThread();
            return 1;
        },
        [&small](int value) { small = value; });
    QCOMPARE(small, 1); // delivered before runIfLarge returned
    QCOMPARE(smallOn, QThread::currentThread());
    QCOMPARE(work.pending(), 0);

    QThread *largeOn = nullptr;
    QThread *deliveredOn = nullptr;
    int large = 0;
    work.runIfLarge(
        &context, BackgroundWork::LargeBytes,
        [&largeOn] {
            largeOn = QThread::currentThread();
            return 2;
        },
        [&](int value) {
            deliveredOn = QThread::currentThread();
            large = value;
        });
    QCOMPARE(large, 0); // queued, never at once
    QCOMPARE(work.pending(), 1);
    QTRY_COMPARE(large, 2);
    QVERIFY(largeOn && largeOn != QThread::currentThread());
    QCOMPARE(deliveredOn, QThread::currentThread());
}

void TestBackgroundWork::largeWorkDroppedWhenTheContextGoesFirst()
{
    BackgroundWork work(QStringLiteral("test"));
    auto context = std::make_unique<QObject>();
    bool delivered = false;
    work.runIfLarge(
        context.get(), 1024 * 1024, [] { return QByteArray(1024 * 1024, 'x'); },
        [&delivered](const QByteArray &) { delivered = true; });
    context.reset();
    QTRY_COMPARE(work.pending(), 0);
    QCoreApplication::processEvents();
    QVERIFY(!delivered);
}

FEDSYNC_TEST_MAIN(TestBackgroundWork)
#include "tst_backgroundwork.moc"

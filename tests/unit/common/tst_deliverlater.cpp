// deliverLater / deliveredLater: the one convention for asynchronous callbacks: never run inside the call
// that hands them over, run in the context's thread, dropped (never run) once the context is gone, and
// given copies of their arguments.
#include "common/deliverlater.h"
#include "testmain.h"

#include <QSemaphore>
#include <QThread>

#include <functional>
#include <memory>

using namespace fedsync;

class TestDeliverLater : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void runsLaterNotInside();
    void droppedWhenTheContextGoesFirst();
    void nullContextRunsNothing();
    void runsInTheContextsThread();
    void wrapperCopiesItsArguments();
    void wrapperDropsWhenTheContextGoesBeforeOrAfterTheCall();
};

void TestDeliverLater::runsLaterNotInside()
{
    QObject context;
    int runs = 0;
    deliverLater(&context, [&runs] { ++runs; });
    QCOMPARE(runs, 0);
    QTRY_COMPARE(runs, 1);
    QCoreApplication::processEvents();
    QCOMPARE(runs, 1); // once
}

void TestDeliverLater::droppedWhenTheContextGoesFirst()
{
    auto context = std::make_unique<QObject>();
    bool ran = false;
    deliverLater(context.get(), [&ran] { ran = true; });
    context.reset();
    QCoreApplication::processEvents();
    QTest::qWait(20);
    QVERIFY(!ran);
}

void TestDeliverLater::nullContextRunsNothing()
{
    bool ran = false;
    deliverLater(nullptr, [&ran] { ran = true; });
    auto wrapped = deliveredLater(nullptr, [&ran](int) { ran = true; });
    wrapped(1);
    QTest::qWait(20);
    QVERIFY(!ran);
}

void TestDeliverLater::runsInTheContextsThread()
{
    QThread worker;
    worker.start();
    auto *context = new QObject; // lives and dies in the worker
    context->moveToThread(&worker);
    connect(&worker, &QThread::finished, context, &QObject::deleteLater);
    QThread *ranIn = nullptr;
    QSemaphore done;
    deliverLater(context, [&ranIn, &done] {
        ranIn = QThread::currentThread();
        done.release();
    });
    QVERIFY(done.tryAcquire(1, 5000));
    QCOMPARE(ranIn, &worker);
    worker.quit();
    worker.wait();
}

void TestDeliverLater::wrapperCopiesItsArguments()
{
    QObject context;
    QStringList seen;
    std::function<void(const QString &, int)> callback =
        deliveredLater(&context, [&seen](const QString &text, int n) { seen << text.repeated(n); });
    QString text = QStringLiteral("ab");
    callback(text, 2);
    text = QStringLiteral("changed");
    QVERIFY(seen.isEmpty());
    QTRY_COMPARE(seen, QStringList{QStringLiteral("abab")});
}

void TestDeliverLater::wrapperDropsWhenTheContextGoesBeforeOrAfterTheCall()
{
    int runs = 0;
    {
        auto context = std::make_unique<QObject>();
        auto wrapped = deliveredLater(context.get(), [&runs] { ++runs; });
        context.reset();
        wrapped(); // the context is gone: nothing is queued
    }
    {
        auto context = std::make_unique<QObject>();
        auto wrapped = deliveredLater(context.get(), [&runs] { ++runs; });
        wrapped(); // queued, then the context goes before the event loop runs
        context.reset();
    }
    QCoreApplication::processEvents();
    QTest::qWait(20);
    QCOMPARE(runs, 0);
}

FEDSYNC_TEST_MAIN(TestDeliverLater)
#include "tst_deliverlater.moc"

// FlowTrace keeps the latest hops in a ring: a long-running app does not grow without bound.
#include "testmain.h"
#include "trace/flowtrace.h"

#include <QSignalSpy>

using namespace fedsync;

class TestFlowTrace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keepsTheLatestEventsOnly();
    void shrinkingDropsTheOldest();
};

void TestFlowTrace::keepsTheLatestEventsOnly()
{
    FlowTrace trace;
    QSignalSpy recorded(&trace, &FlowTrace::eventRecorded);
    const int total = int(FlowTrace::DefaultCapacity) + 150;
    for (int i = 0; i < total; ++i) {
        TraceEvent event;
        event.operation = QStringLiteral("op%1").arg(i);
        trace.record(event);
    }
    QCOMPARE(recorded.count(), total); // every hop is still announced
    QCOMPARE(trace.events().size(), FlowTrace::DefaultCapacity);
    QCOMPARE(trace.droppedCount(), 150);
    QCOMPARE(trace.events().first().sequence, 151); // sequence numbers keep counting
    QCOMPARE(trace.events().last().operation, QStringLiteral("op%1").arg(total - 1));
    trace.clear();
    QVERIFY(trace.events().isEmpty());
    QCOMPARE(trace.droppedCount(), 0);
}

void TestFlowTrace::shrinkingDropsTheOldest()
{
    FlowTrace trace;
    for (int i = 0; i < 10; ++i)
        trace.record(TraceEvent{});
    trace.setCapacity(4);
    QCOMPARE(trace.events().size(), 4);
    QCOMPARE(trace.events().first().sequence, 7);
    trace.record(TraceEvent{});
    QCOMPARE(trace.events().size(), 4);
    QCOMPARE(trace.events().last().sequence, 11);
}

FEDSYNC_TEST_MAIN(TestFlowTrace)
#include "tst_flowtrace.moc"

// Clock: the system clock by default, a test's function when given one, always answered in UTC.
#include "common/clock.h"
#include "testmain.h"

#include <QTest>

using namespace fedsync;

class TestClock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultReadsTheSystemClock();
    void emptyFunctionIsTheSystemClock();
    void functionIsCalledEachTime();
    void answersInUtc();
    void fixedStaysPut();
};

void TestClock::defaultReadsTheSystemClock()
{
    const Clock clock;
    QVERIFY(clock.isSystem());
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const QDateTime now = clock.now();
    const QDateTime after = QDateTime::currentDateTimeUtc();
    QCOMPARE(now.timeSpec(), Qt::UTC);
    QVERIFY(before <= now && now <= after);
}

void TestClock::emptyFunctionIsTheSystemClock()
{
    const Clock clock{Clock::Source()};
    QVERIFY(clock.isSystem());
    QVERIFY(qAbs(clock.now().secsTo(QDateTime::currentDateTimeUtc())) < 5);
}

void TestClock::functionIsCalledEachTime()
{
    QDateTime time(QDate(2024, 1, 1), QTime(10, 0), Qt::UTC);
    const Clock clock([&time] { return time; });
    QVERIFY(!clock.isSystem());
    QCOMPARE(clock.now(), time);
    time = time.addSecs(3600);
    QCOMPARE(clock.now(), QDateTime(QDate(2024, 1, 1), QTime(11, 0), Qt::UTC));
}

void TestClock::answersInUtc()
{
    const QDateTime offset(QDate(2024, 1, 1), QTime(12, 0), Qt::OffsetFromUTC, 2 * 3600);
    const Clock clock([offset] { return offset; });
    QCOMPARE(clock.now().timeSpec(), Qt::UTC);
    QCOMPARE(clock.now(), QDateTime(QDate(2024, 1, 1), QTime(10, 0), Qt::UTC));
}

void TestClock::fixedStaysPut()
{
    const QDateTime time(QDate(2030, 6, 1), QTime(0, 0), Qt::UTC);
    const Clock clock = Clock::fixed(time);
    QCOMPARE(clock.now(), time);
    QTest::qWait(20);
    QCOMPARE(clock.now(), time);
}

FEDSYNC_TEST_MAIN(TestClock)
#include "tst_clock.moc"

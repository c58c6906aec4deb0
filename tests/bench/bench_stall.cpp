// Benchmark (prints figures; fails only when an operation does not work): the longest event-loop stall
// of the UI thread, measured by a 5 ms QTimer probe (the largest gap between two of its ticks), while the
// dataset editor is on screen and
//  - a sync pushes 1,024 records, and another device's sync pulls them (real sandbox, real SQLite);
//  - 1,024 records are imported (DatasetWorkspace::putValuesInBackground, what the editor's import
//    calls);
//  - a 1 MB value is edited (DatasetWorkspace::setValue) and synchronized;
//  - with the DynamoDB store (the sandbox's DynamoDB table), a sync pushes 1,024 records and another
//    device's sync pulls them.
// Goal: <= 50 ms each.
#include "benchreport.h"
#include "dataseteditor.h"
#include "guitestmain.h"
#include "sandbox.h"
#include "session/userdatasets.h"
#include "signedinuser.h"
#include "sync/datasetworkspace.h"
#include "sync/localstore.h"
#include "sync/syncengine.h"
#include "usecases/synccontroller.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

using namespace fedsync;
using namespace fedsync::test;

namespace {

// Ticks every 5 ms and remembers the longest gap between two ticks.
class StallProbe
{
public:
    StallProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            m_longest = std::max(m_longest, double(m_clock.nsecsElapsed()) / 1e6);
            m_clock.restart();
        });
        m_clock.start();
        m_timer.start();
    }
    double longestGapMs() const { return m_longest; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    double m_longest = 0;
};

// Runs `work` from the event loop with a probe running, then keeps the loop turning until `done` (or
// 200 ms for synchronous work) so that what the work set off is measured too.
template<typename Work, typename Done> double longestStall(Work work, Done done)
{
    StallProbe probe;
    QTest::qWait(50); // the probe settles
    QTimer::singleShot(0, work);
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < 120000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    QTest::qWait(200);
    return probe.longestGapMs();
}

// The longest stall of one sync of `dataset` by `client`; -1 when the sync failed.
double syncStall(UserDatasets &client, const QString &dataset)
{
    QSignalSpy finished(&client.engine(), &SyncEngine::finished);
    QSignalSpy failed(&client.engine(), &SyncEngine::failed);
    const double stall = longestStall([&] { client.engine().synchronize(dataset); },
                                      [&] { return !finished.isEmpty() || !failed.isEmpty(); });
    if (!failed.isEmpty())
        qWarning().noquote() << "the sync failed:" << failed.first().at(1).value<UserError>().text();
    return failed.isEmpty() && !finished.isEmpty() ? stall : -1.0;
}

QList<std::pair<QString, QString>> records1024()
{
    QList<std::pair<QString, QString>> records;
    for (int i = 0; i < 1024; ++i)
        records.append(
            {QStringLiteral("key-%1").arg(i, 4, 10, QLatin1Char('0')), QStringLiteral("value %1").arg(i)});
    return records;
}

// A device of a signed-in user (its datasets under `directory`) with the dataset editor on screen.
struct DeviceOnScreen
{
    DeviceOnScreen(SignedInUser &user, const QString &directory, const QString &name)
        : datasets(user.openDevice(directory, name))
    {
        if (!datasets)
            return;
        sync = std::make_unique<SyncController>(datasets->store(), datasets->engine());
        editor = std::make_unique<ui::DatasetEditor>(*sync);
        editor->resize(800, 600);
        editor->show();
    }
    bool isOpen() const { return datasets && QTest::qWaitForWindowExposed(editor.get()); }

    std::unique_ptr<UserDatasets> datasets;
    std::unique_ptr<SyncController> sync;
    std::unique_ptr<ui::DatasetEditor> editor;
};

// Two such devices of one user, "<name>-x" and "<name>-y", their datasets in `directory`.
struct TwoDevicesOnScreen
{
    TwoDevicesOnScreen(SignedInUser &user, const QTemporaryDir &directory, const QString &name)
        : x(user, directory.filePath(name + QStringLiteral("-x")), name + QStringLiteral("-x"))
        , y(user, directory.filePath(name + QStringLiteral("-y")), name + QStringLiteral("-y"))
    {}
    bool isOpen() const { return x.isOpen() && y.isOpen(); }

    DeviceOnScreen x;
    DeviceOnScreen y;
};

const QString benchName = QStringLiteral("stall");
const QString goal = QStringLiteral("<= 50 ms");
const QString anchor = QStringLiteral("5 ms probe interval");

} // namespace

class BenchStall : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void stallsWithTheEditorOnScreen();
    void stallsWithTheDynamoDbStore();

private:
    Sandbox m_sandbox;
    QTemporaryDir m_dir;
    SignedInUser m_user;
    SignedInUser m_dynamoDbUser;
};

void BenchStall::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/bench");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    const QString signedIn = m_user.signIn(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(signedIn.isEmpty(), qPrintable(signedIn));
}

void BenchStall::stallsWithTheEditorOnScreen()
{
    const TwoDevicesOnScreen devices(m_user, m_dir, QStringLiteral("stall"));
    QVERIFY(devices.isOpen());
    UserDatasets *x = devices.x.datasets.get();
    UserDatasets *y = devices.y.datasets.get();
    DatasetWorkspace workspace(x->store(), x->engine());

    const QString imported = QStringLiteral("stall-import");
    const QList<std::pair<QString, QString>> records = records1024();
    UserError importError;
    bool imported1024 = false;
    const double importStall = longestStall(
        [&] {
            workspace.putValuesInBackground(imported, records, [&](const UserError &error) {
                importError = error;
                imported1024 = true;
            });
        },
        [&] { return imported1024; });
    QVERIFY2(!importError.isError(), qPrintable(importError.text()));

    const double pushStall = syncStall(*x, imported);
    QVERIFY(pushStall >= 0);
    const double pullStall = syncStall(*y, imported);
    QVERIFY(pullStall >= 0);
    QCOMPARE(y->store().records(imported).value.size(), 1024);

    const QString big = QStringLiteral("stall-big");
    const QString value(1000 * 1000, QLatin1Char('v'));
    UserError editError;
    bool edited = false;
    const double editStall = longestStall(
        [&] {
            const auto change = workspace.setValue(big, QStringLiteral("big"), value);
            editError = change.error;
            edited = true;
        },
        [&] { return edited; });
    QVERIFY2(!editError.isError(), qPrintable(editError.text()));
    const double bigSyncStall = syncStall(*x, big);
    QVERIFY(bigSyncStall >= 0);

    const QString &name = benchName;
    bench::report(name, QStringLiteral("longest stall: sync pushing 1,024 records"), pushStall,
                  QStringLiteral("ms"), 5, anchor, goal);
    bench::report(name, QStringLiteral("longest stall: sync pulling 1,024 records"), pullStall,
                  QStringLiteral("ms"), 5, anchor, goal);
    bench::report(name, QStringLiteral("longest stall: import of 1,024 records"), importStall,
                  QStringLiteral("ms"), 5, anchor, goal);
    bench::report(name, QStringLiteral("longest stall: edit of a 1 MB value"), editStall,
                  QStringLiteral("ms"), 5, anchor, goal);
    bench::report(name, QStringLiteral("longest stall: sync of the 1 MB value"), bigSyncStall,
                  QStringLiteral("ms"), 5, anchor, goal);
}

// The same push and pull with the DynamoDB store: its remote builds TransactWriteItems bodies of 99
// records and reads Query pages.
void BenchStall::stallsWithTheDynamoDbStore()
{
    const QString signedIn = m_dynamoDbUser.signIn(m_sandbox, 0, m_sandbox.dynamoDbProfileFile());
    QVERIFY2(signedIn.isEmpty(), qPrintable(signedIn));
    const TwoDevicesOnScreen devices(m_dynamoDbUser, m_dir, QStringLiteral("ddb"));
    QVERIFY(devices.isOpen());
    UserDatasets *x = devices.x.datasets.get();
    UserDatasets *y = devices.y.datasets.get();

    const QString dataset = QStringLiteral("stall-dynamodb");
    DatasetWorkspace workspace(x->store(), x->engine());
    UserError importError;
    bool imported = false;
    workspace.putValuesInBackground(dataset, records1024(), [&](const UserError &error) {
        importError = error;
        imported = true;
    });
    QVERIFY(QTest::qWaitFor([&] { return imported; }, 60000));
    QVERIFY2(!importError.isError(), qPrintable(importError.text()));

    const double pushStall = syncStall(*x, dataset);
    QVERIFY(pushStall >= 0);
    const double pullStall = syncStall(*y, dataset);
    QVERIFY(pullStall >= 0);
    QCOMPARE(y->store().records(dataset).value.size(), 1024);

    bench::report(benchName, QStringLiteral("longest stall: DynamoDB sync pushing 1,024 records"), pushStall,
                  QStringLiteral("ms"), 5, anchor, goal);
    bench::report(benchName, QStringLiteral("longest stall: DynamoDB sync pulling 1,024 records"), pullStall,
                  QStringLiteral("ms"), 5, anchor, goal);
}

FEDSYNC_GUI_TEST_MAIN(BenchStall)
#include "bench_stall.moc"

// Benchmark (prints figures, asserts only that every sync worked): requests and wall time of Fedsync's
// sync (SyncEngine + CognitoSyncRemote, in-process) next to amazon-cognito-js (tests/interop/cognitojs.mjs)
// against the same sandbox and identity: a full sync of 1024 records (push from one device, pull on a
// fresh one), an incremental sync of one change, and a sync with one change on each side.
// Both sides first run every scenario once unmeasured (the sandbox's JavaScript is compiled by its first
// requests: whoever went first paid for it), then `rounds` rounds alternate Fedsync and the anchor, each
// on datasets of its own; each figure is the median of its rounds.
#include "aws/awscredentials.h"
#include "aws/cognitocredentialsprovider.h"
#include "benchreport.h"
#include "cognitojs.h"
#include "sandbox.h"
#include "session/awsaccess.h"
#include "session/profilecontext.h"
#include "session/signinstate.h"
#include "session/userdatasets.h"
#include "signedinuser.h"
#include "sync/localstore.h"
#include "sync/syncengine.h"
#include "testenvironment.h"
#include "testmain.h"
#include "trace/flowtrace.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <ctime>

using namespace fedsync;
using namespace fedsync::test;

namespace {

struct Figure
{
    int requests = -1;
    double ms = -1;
    QString operations;
    double networkMs = 0;    // sum of the sync requests' durations (request sent to answer read)
    double mainCpuMs = 0;    // CPU time of the main thread: engine, store, JSON
    double processCpuMs = 0; // CPU time of the whole process (adds Qt's HTTP thread: TLS, parsing)
};

// Seven by default: with three, one slow round of either side (a scheduling hiccup on a 2-core machine
// shared with the sandbox) moved a median by 20-40%. FEDSYNC_BENCH_ROUNDS sets another count.
const int rounds = qEnvironmentVariableIntValue("FEDSYNC_BENCH_ROUNDS") > 0
                       ? qEnvironmentVariableIntValue("FEDSYNC_BENCH_ROUNDS")
                       : 7;

// Each field of the figures is the median of the rounds' (the operations are the first round's).
Figure medianFigure(const QList<Figure> &figures)
{
    Figure middle = figures.value(0);
    QList<double> ms, networkMs, mainCpuMs, processCpuMs;
    for (const Figure &figure : figures) {
        ms << figure.ms;
        networkMs << figure.networkMs;
        mainCpuMs << figure.mainCpuMs;
        processCpuMs << figure.processCpuMs;
    }
    middle.ms = bench::median(ms);
    middle.networkMs = bench::median(networkMs);
    middle.mainCpuMs = bench::median(mainCpuMs);
    middle.processCpuMs = bench::median(processCpuMs);
    return middle;
}

QString roundsText(const QList<double> &values)
{
    QStringList texts;
    for (double value : values)
        texts << QString::number(value, 'f', 1);
    return texts.join(QStringLiteral(" / "));
}

double cpuMs(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

} // namespace

class BenchSync : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void fedsyncNextToAmazonCognitoJs();

private:
    // The four scenarios on one store (the profile of `user`); empty when one step failed.
    QMap<QString, Figure> runScenarios(SignedInUser &user, const QString &prefix, const QString &dataset);
    Figure measure(UserDatasets &client, const QString &dataset);
    QJsonObject cognitoJsFigures(const QString &dataset);

    Sandbox m_sandbox;
    QTemporaryDir m_dir;
    SignedInUser m_user;
    SignedInUser m_dynamoUser; // the same user, datasets in the DynamoDB table
};

void BenchSync::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    const QString signedIn = m_user.signIn(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(signedIn.isEmpty(), qPrintable(signedIn));
    const QString dynamoSignedIn = m_dynamoUser.signIn(m_sandbox, 0, m_sandbox.dynamoDbProfileFile());
    QVERIFY2(dynamoSignedIn.isEmpty(), qPrintable(dynamoSignedIn));
}

Figure BenchSync::measure(UserDatasets &client, const QString &dataset)
{
    const qint64 since = m_sandbox.requestLogEnd();
    QSignalSpy finished(&client.engine(), &SyncEngine::finished);
    QSignalSpy failed(&client.engine(), &SyncEngine::failed);
    const qsizetype traced = m_user.context().trace()->events().size();
    const double mainCpu = cpuMs(CLOCK_THREAD_CPUTIME_ID);
    const double processCpu = cpuMs(CLOCK_PROCESS_CPUTIME_ID);
    QElapsedTimer timer;
    timer.start();
    // An event loop that ends with the sync: QTest::qWaitFor sleeps 10 ms between its polls, and that
    // sleep would count as sync time.
    QEventLoop loop;
    connect(&client.engine(), &SyncEngine::finished, &loop, [&loop] { loop.quit(); });
    connect(&client.engine(), &SyncEngine::failed, &loop, [&loop] { loop.quit(); });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    client.engine().synchronize(dataset);
    if (finished.isEmpty() && failed.isEmpty())
        loop.exec();
    if (!failed.isEmpty() || finished.isEmpty())
        return {};
    Figure figure;
    figure.ms = double(timer.nsecsElapsed()) / 1e6;
    figure.mainCpuMs = cpuMs(CLOCK_THREAD_CPUTIME_ID) - mainCpu;
    figure.processCpuMs = cpuMs(CLOCK_PROCESS_CPUTIME_ID) - processCpu;
    const QList<TraceEvent> &events = m_user.context().trace()->events();
    for (qsizetype i = traced; i < events.size(); ++i)
        if (events.at(i).service == QLatin1String("cognito-sync"))
            figure.networkMs += double(events.at(i).durationMs);
    QStringList operations;
    for (const QJsonObject &request :
         m_sandbox.requestsSince(since, {QStringLiteral("cognito-sync"), QStringLiteral("dynamodb")}))
        operations << request.value(QStringLiteral("operation")).toString();
    figure.requests = int(operations.size());
    figure.operations = operations.join(u',');
    return figure;
}

QJsonObject BenchSync::cognitoJsFigures(const QString &dataset)
{
    aws::AwsCredentials credentials;
    bool done = false;
    m_user.context().cognito()->credentials()->requestCredentials(
        [&](const aws::AwsCredentials &got, const UserError &) {
            credentials = got;
            done = true;
        });
    if (!QTest::qWaitFor([&] { return done; }, 30000) || !credentials.isValid())
        return {};
    return runCognitoJs(
        m_sandbox,
        {credentials.identityId, credentials.accessKeyId, QString::fromUtf8(credentials.secretAccessKey),
         QString::fromUtf8(credentials.sessionToken)},
        {{QStringLiteral("mode"), QStringLiteral("bench")}, {QStringLiteral("dataset"), dataset}}, 180000);
}

QMap<QString, Figure> BenchSync::runScenarios(SignedInUser &user, const QString &prefix, const QString &ds)
{
    const QString xName = prefix + QStringLiteral("bench-x");
    const QString yName = prefix + QStringLiteral("bench-y");
    std::unique_ptr<UserDatasets> x = user.openDevice(m_dir.filePath(xName), xName);
    std::unique_ptr<UserDatasets> y = user.openDevice(m_dir.filePath(yName), yName);
    QMap<QString, Figure> fedsync;
    if (!x || !y)
        return {};
    for (int i = 0; i < 1024; ++i) {
        if (x->store()
                .putValue(ds, QStringLiteral("key-%1").arg(i, 4, 10, QLatin1Char('0')),
                          QStringLiteral("value %1").arg(i))
                .isError())
            return {};
    }
    fedsync.insert(QStringLiteral("fullPush"), measure(*x, ds));
    fedsync.insert(QStringLiteral("fullPull"), measure(*y, ds));
    if (y->store().records(ds).value.size() != 1024)
        return {};
    if (x->store().putValue(ds, QStringLiteral("key-0001"), QStringLiteral("changed")).isError())
        return {};
    fedsync.insert(QStringLiteral("incremental"), measure(*x, ds));
    if (measure(*y, ds).requests <= 0 ||
        y->store().putValue(ds, QStringLiteral("key-0002"), QStringLiteral("from y")).isError() ||
        measure(*y, ds).requests <= 0 ||
        x->store().putValue(ds, QStringLiteral("key-0003"), QStringLiteral("from x")).isError())
        return {};
    fedsync.insert(QStringLiteral("twoSided"), measure(*x, ds));
    return fedsync;
}

void BenchSync::fedsyncNextToAmazonCognitoJs()
{
    const QList<QPair<QString, QString>> scenarios{
        {QStringLiteral("fullPush"), QStringLiteral("full sync, 1024 records pushed")},
        {QStringLiteral("fullPull"), QStringLiteral("full sync, 1024 records pulled (new device)")},
        {QStringLiteral("incremental"), QStringLiteral("incremental sync, 1 local change")},
        {QStringLiteral("twoSided"), QStringLiteral("1 change on each side, no conflict")}};
    QVERIFY2(runScenarios(m_user, QStringLiteral("warm-"), QStringLiteral("bench-warm-fedsync")).size() == 4,
             "the unmeasured round failed");
    QVERIFY2(!cognitoJsFigures(QStringLiteral("bench-warm-cognito-js")).isEmpty(),
             "amazon-cognito-js did not run");
    QMap<QString, QList<Figure>> fedsyncRounds;
    QMap<QString, QList<double>> jsRounds;
    QJsonObject jsFirst;
    for (int round = 0; round < rounds; ++round) {
        const QMap<QString, Figure> fedsync = runScenarios(m_user, QStringLiteral("r%1-").arg(round),
                                                           QStringLiteral("bench-fedsync-%1").arg(round));
        QCOMPARE(fedsync.size(), 4);
        const QJsonObject js = cognitoJsFigures(QStringLiteral("bench-cognito-js-%1").arg(round));
        QVERIFY2(!js.isEmpty(), "amazon-cognito-js did not run");
        if (round == 0)
            jsFirst = js;
        for (const auto &[key, label] : scenarios) {
            QVERIFY2(fedsync[key].requests > 0, qPrintable(key));
            fedsyncRounds[key] << fedsync[key];
            jsRounds[key] << js.value(key).toObject().value(QStringLiteral("ms")).toDouble();
        }
    }
    QMap<QString, Figure> fedsync;
    for (const auto &[key, label] : scenarios)
        fedsync.insert(key, medianFigure(fedsyncRounds[key]));
    const QMap<QString, Figure> dynamo =
        runScenarios(m_dynamoUser, QStringLiteral("ddb-"), QStringLiteral("bench-fedsync"));
    QCOMPARE(dynamo.size(), 4);
    for (auto it = dynamo.cbegin(); it != dynamo.cend(); ++it)
        QVERIFY2(it->requests > 0, qPrintable(it.key()));

    std::printf("\n%-46s | %-26s | %-26s\n", "scenario", "Fedsync: requests, ms",
                "amazon-cognito-js: req, ms");
    std::printf("%s\n", QByteArray(104, '-').constData());
    for (const auto &[key, label] : scenarios) {
        const Figure &f = fedsync[key];
        const QJsonObject j = jsFirst.value(key).toObject();
        std::printf("%-46s | %3d  %8.1f ms            | %3d  %8.1f ms\n", qPrintable(label), f.requests, f.ms,
                    j.value(QStringLiteral("requests")).toInt(), bench::median(jsRounds[key]));
        std::printf("%-46s |   %-24s |   %s\n", "", qPrintable(f.operations),
                    qPrintable(j.value(QStringLiteral("operations")).toVariant().toStringList().join(u',')));
    }
    std::printf("\nEach round (ms; the figures above are their medians, after one unmeasured round each)\n");
    for (const auto &[key, label] : scenarios) {
        QList<double> mine;
        for (const Figure &figure : fedsyncRounds[key])
            mine << figure.ms;
        std::printf("%-46s | Fedsync %-22s | amazon-cognito-js %s\n", qPrintable(label),
                    qPrintable(roundsText(mine)), qPrintable(roundsText(jsRounds[key])));
    }
    std::printf(
        "\nWhere Fedsync's time goes (ms): wall = requests in flight + the rest; CPU of this process\n");
    std::printf("%-46s | %8s | %9s | %8s | %9s | %9s\n", "scenario", "wall", "requests", "rest", "main CPU",
                "all CPU");
    for (const auto &[key, label] : scenarios) {
        const Figure &f = fedsync[key];
        std::printf("%-46s | %8.1f | %9.1f | %8.1f | %9.1f | %9.1f\n", qPrintable(label), f.ms, f.networkMs,
                    f.ms - f.networkMs, f.mainCpuMs, f.processCpuMs);
    }
    std::printf("(requests: Cognito Sync requests from send to answer, as the flow trace times them, server "
                "time included; main CPU: engine + store + JSON on the main thread; all CPU adds Qt's HTTP "
                "thread)\n\n");
    for (const auto &[key, label] : scenarios)
        bench::report(QStringLiteral("sync"), label + QStringLiteral(": wall time"), fedsync[key].ms,
                      QStringLiteral("ms"), bench::median(jsRounds[key]), QStringLiteral("amazon-cognito-js"),
                      QStringLiteral("<= 0.5x"));
    std::printf("\n%-46s | %-26s | %-26s\n", "scenario", "Cognito Sync: requests, ms",
                "DynamoDB: requests, ms");
    std::printf("%s\n", QByteArray(104, '-').constData());
    for (const auto &[key, label] : scenarios) {
        const Figure &f = fedsync[key];
        const Figure &d = dynamo[key];
        std::printf("%-46s | %3d  %8.1f ms            | %3d  %8.1f ms\n", qPrintable(label), f.requests, f.ms,
                    d.requests, d.ms);
        std::printf("%-46s |   %-24s |   %s\n", "", qPrintable(f.operations), qPrintable(d.operations));
    }
    std::printf("\n");
    std::fflush(stdout);
}

FEDSYNC_TEST_MAIN(BenchSync)
#include "bench_sync.moc"

// Benchmark (prints figures, fails only when a start does not work): the desktop app's start next to a
// bare Qt main window (bench_bareapp), both as real processes on the same display.
//  - time from exec to the main window being mapped (MapNotify on the X root window) and the RSS two
//    seconds after the silent sign-in (from gnome-keyring, against the sandbox) got AWS credentials;
//  - whether any WebEngine, Quick or QML library is mapped in the started process;
//  - `fedsync --version` next to `fedsync-cli --version` (wall time including this process's polling,
//    peak RSS);
//  - the RSS of the real `fedsync` after an interactive sign-in through the embedded page (shown by its
//    page process, typed into with xdotool), next to the bare window.
#include "benchreport.h"
#include "clilogin.h"
#include "config/appidentity.h"
#include "guitestmain.h"
#include "mainwindow.h"
#include "procstatus.h"
#include "sandbox.h"
#include "secrets/keychainsecretstore.h"
#include "session/profilecontext.h"
#include "session/signinstate.h"
#include "xkeyboard.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSize>

#include <xcb/xcb.h>

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <malloc.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

using namespace fedsync;
using namespace fedsync::test;

namespace {

constexpr int runs = 5;
// Silent starts: single starts of either side range over 60-110 ms on a 2-core VM, and the median of 5
// read 0.85x-1.44x in five runs of one afternoon; 9 pairs steady it.
constexpr int silentRuns = 9;
constexpr int settleMs = 2000;
constexpr int quietMs = 5000; // before each silent start pair (see silentStartNextToBareWindow)

struct StartFigures
{
    double mappedMs = -1;
    double rssMiB = -1;
    QStringList webLibraries;
    QString resident; // residentBreakdown() when measured
    QSize windowSize; // of the first top-level window mapped
};

using bench::median;

double rssMiB(qint64 pid)
{
    return procStatusMiB(QString::number(pid), "VmRSS");
}

// Where a process's resident memory is: its anonymous memory (heaps, stacks), and the file-backed pages of
// the libraries that hold the most (the pages of code and data touched so far).
QString residentBreakdown(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    QStringList parts;
    if (status.open(QIODevice::ReadOnly))
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.startsWith("RssAnon:") || line.startsWith("RssFile:") || line.startsWith("RssShmem:"))
                parts << QString::fromLatin1(line.simplified());
    QFile smaps(QStringLiteral("/proc/%1/smaps").arg(pid));
    QMap<QString, qint64> byFile;
    QString current;
    if (smaps.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : smaps.readAll().split('\n')) {
            const QList<QByteArray> fields = line.simplified().split(' ');
            if (fields.size() >= 5 && fields.at(0).contains('-') && !line.startsWith("Rss"))
                current = fields.size() >= 6 ? QString::fromUtf8(fields.at(5)).section(u'/', -1)
                                             : QStringLiteral("[anon]");
            else if (line.startsWith("Rss:") && fields.size() >= 2)
                byFile[current] += fields.at(1).toLongLong();
        }
    }
    QList<std::pair<qint64, QString>> largest;
    for (auto it = byFile.cbegin(); it != byFile.cend(); ++it)
        largest.append({it.value(), it.key()});
    std::sort(largest.begin(), largest.end(), std::greater<>());
    for (qsizetype i = 0; i < std::min<qsizetype>(8, largest.size()); ++i)
        parts << QStringLiteral("%1 %2 kB").arg(largest.at(i).second).arg(largest.at(i).first);
    return parts.join(QStringLiteral("; "));
}

// How much longer the waits are: 10 times under callgrind, whose app runs 20-50 times slower.
int waitScale()
{
    return qEnvironmentVariableIsEmpty("FEDSYNC_BENCH_CALLGRIND_DIR") ? 1 : 10;
}

QStringList webLibraries(qint64 pid)
{
    QFile maps(QStringLiteral("/proc/%1/maps").arg(pid));
    QStringList found;
    if (!maps.open(QIODevice::ReadOnly))
        return found;
    for (const QByteArray &line : maps.readAll().split('\n')) {
        const QString file = QString::fromUtf8(line.mid(line.lastIndexOf('/') + 1));
        if ((file.startsWith(QLatin1String("libQt6WebEngine")) ||
             file.startsWith(QLatin1String("libQt6Quick")) || file.startsWith(QLatin1String("libQt6Qml"))) &&
            !found.contains(file))
            found << file;
    }
    return found;
}

// Starts `program`. FEDSYNC_BENCH_CALLGRIND_DIR=dir runs the app (not its anchors) under callgrind
// (scripts/startup-order reads which of its functions ran): the waits grow to match (waitScale()), the
// figures mean nothing then. True when it runs under callgrind: terminate it, and it writes its profile,
// <dir>/<profile>.<pid>.
bool startApp(QProcess &process, const QString &program, const QStringList &arguments,
              const QString &profile = QStringLiteral("callgrind"))
{
    const QString callgrindDir = qEnvironmentVariable("FEDSYNC_BENCH_CALLGRIND_DIR");
    if (callgrindDir.isEmpty() || QFileInfo(program).fileName() != QLatin1String("fedsync")) {
        process.start(program, arguments);
        return false;
    }
    process.start(QStringLiteral("valgrind"),
                  QStringList{QStringLiteral("--tool=callgrind"),
                              QStringLiteral("--callgrind-out-file=%1/%2.%p").arg(callgrindDir, profile),
                              QStringLiteral("--dump-instr=no"), QStringLiteral("--compress-strings=no"),
                              QStringLiteral("--demangle=no"), program} +
                      arguments);
    return true;
}

// FEDSYNC_BENCH_SMAPS_DIR=dir keeps the whole /proc/<pid>/smaps of each process measured, as <name>.smaps
// (the last run's overwrites the earlier ones), to see where its resident memory is page by page.
void keepSmaps(qint64 pid, const QString &name)
{
    const QString dir = qEnvironmentVariable("FEDSYNC_BENCH_SMAPS_DIR");
    if (dir.isEmpty())
        return;
    QFile smaps(QStringLiteral("/proc/%1/smaps").arg(pid));
    QFile copy(QDir(dir).filePath(name + QStringLiteral(".smaps")));
    if (smaps.open(QIODevice::ReadOnly) && copy.open(QIODevice::WriteOnly | QIODevice::Truncate))
        copy.write(smaps.readAll()); // not QFile::copy: /proc files have no size
}

// Starts `program` and waits for its first top-level window to be mapped (no window manager under Xvfb:
// top-level windows are children of the root window, whose SubstructureNotify shows their MapNotify).
// `settled` is called once the window is mapped and returns when the process is ready to be measured.
StartFigures measureStart(const QString &program, const QStringList &arguments,
                          const QProcessEnvironment &env, const std::function<void()> &settled)
{
    StartFigures figures;
    xcb_connection_t *connection = xcb_connect(nullptr, nullptr);
    if (xcb_connection_has_error(connection)) {
        xcb_disconnect(connection);
        return figures;
    }
    const xcb_window_t root = xcb_setup_roots_iterator(xcb_get_setup(connection)).data->root;
    const uint32_t mask = XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY;
    xcb_change_window_attributes(connection, root, XCB_CW_EVENT_MASK, &mask);
    xcb_flush(connection);

    QProcess process;
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer timer;
    timer.start();
    const bool underCallgrind = startApp(process, program, arguments);
    pollfd fd{xcb_get_file_descriptor(connection), POLLIN, 0};
    xcb_window_t window = XCB_NONE;
    while (figures.mappedMs < 0 && timer.elapsed() < waitScale() * 30000) {
        ::poll(&fd, 1, 50);
        while (xcb_generic_event_t *event = xcb_poll_for_event(connection)) {
            const auto *map = reinterpret_cast<xcb_map_notify_event_t *>(event);
            if ((event->response_type & 0x7f) == XCB_MAP_NOTIFY && !map->override_redirect &&
                figures.mappedMs < 0) {
                figures.mappedMs = double(timer.nsecsElapsed()) / 1e6;
                window = map->window;
            }
            free(event);
        }
    }
    if (window != XCB_NONE) {
        if (xcb_get_geometry_reply_t *geometry =
                xcb_get_geometry_reply(connection, xcb_get_geometry(connection, window), nullptr)) {
            figures.windowSize = QSize(geometry->width, geometry->height);
            free(geometry);
        }
    }
    xcb_disconnect(connection);
    if (figures.mappedMs >= 0) {
        settled();
        figures.rssMiB = rssMiB(process.processId());
        figures.webLibraries = webLibraries(process.processId());
        figures.resident = residentBreakdown(process.processId());
        keepSmaps(process.processId(), QFileInfo(program).fileName());
    }
    if (underCallgrind) {
        process.terminate(); // callgrind writes its profile as the app quits
        process.waitForFinished(60000);
    }
    process.kill();
    process.waitForFinished(10000);
    return figures;
}

// Wall time and peak RSS of a command that exits by itself (-1 when it fails). The peak is VmHWM polled until
// the exit: wait4's ru_maxrss would count this (large) process, whose memory a spawned child shares until
// exec.
std::pair<double, double> measureRun(const QString &program, const QStringList &arguments)
{
    QList<QByteArray> storage{QFile::encodeName(program)};
    for (const QString &argument : arguments)
        storage << argument.toLocal8Bit();
    std::vector<char *> argv;
    for (QByteArray &s : storage)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    QElapsedTimer timer;
    timer.start();
    pid_t pid = 0;
    if (posix_spawn(&pid, argv.front(), &actions, nullptr, argv.data(), environ) != 0)
        return {-1, -1};
    const QByteArray statusPath = "/proc/" + QByteArray::number(pid) + "/status";
    double peakMiB = 0;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (FILE *file = std::fopen(statusPath.constData(), "r")) {
            char line[256];
            while (std::fgets(line, sizeof line, file))
                if (std::strncmp(line, "VmHWM:", 6) == 0)
                    peakMiB = std::max(peakMiB, std::atof(line + 6) / 1024.0);
            std::fclose(file);
        }
        ::usleep(1000);
    }
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    posix_spawn_file_actions_destroy(&actions);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return {-1, -1}; // a failed command is not a figure
    return {ms, peakMiB};
}

QString binary(const char *name)
{
    return QDir(qEnvironmentVariable("FEDSYNC_BIN_DIR", QCoreApplication::applicationDirPath()))
        .filePath(QLatin1String(name));
}

} // namespace

class BenchStartup : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void silentStartNextToBareWindow();
    void versionNextToCli();
    void credentialProcessNextToVersion();
    void rssAfterInteractiveSignIn();

private:
    Sandbox m_sandbox;
    std::unique_ptr<KeychainSecretStore> m_keychain;
    double m_bareRss = -1;
};

void BenchStartup::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS") || qEnvironmentVariableIsEmpty("DISPLAY"))
        QSKIP("Needs an X display and a D-Bus session with gnome-keyring: run through scripts/bench");
    applyApplicationIdentity();
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_keychain = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
    const CliRun login = cliLogin(m_sandbox, 0, m_sandbox.profileFile());
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
}

void BenchStartup::silentStartNextToBareWindow()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_LOGGING_RULES")); // no debug logging: as a user starts it
    QList<double> bareMs, bareRss, appMs, appRss;
    QStringList mapped;
    qint64 first = 0;
    m_sandbox.operationsSince(0, &first);
    qint64 since = first;
    const auto twoSeconds = [] {
        QTest::qWait(settleMs);
    };
    // The app is measured two seconds after it is signed in with AWS credentials, which its first sync's
    // ListDatasets shows (the credentials come from the session's cache after the first start, so
    // GetCredentialsForIdentity does not); killing it earlier could lose a rotated refresh token on its way
    // to the keychain.
    const auto signedIn = [&] {
        QElapsedTimer timer;
        timer.start();
        while (!m_sandbox.operationsSince(since).contains(QStringLiteral("ListDatasets"))) {
            QVERIFY2(timer.elapsed() < waitScale() * 20000, "the silent start never synced");
            QTest::qWait(50);
        }
        QTest::qWait(settleMs);
    };
    // Under callgrind (scripts/startup-order) the figures mean nothing: the five starts it always made.
    const int pairs = waitScale() > 1 ? runs : silentRuns;
    for (int i = 0; i < pairs; ++i) {
        // Each pair starts on a quiet machine: the last start's work (the sandbox answering, the keychain
        // writing a rotated token, the page cache) done first.
        QTest::qWait(quietMs);
        const StartFigures bare = measureStart(binary("bench_bareapp"), {}, env, twoSeconds);
        m_sandbox.operationsSince(0, &since);
        const StartFigures app = measureStart(
            binary("fedsync"), {QStringLiteral("--profile-file"), m_sandbox.profileFile()}, env, signedIn);
        QVERIFY2(bare.mappedMs >= 0 && app.mappedMs >= 0, "a window was never mapped");
        bareMs << bare.mappedMs;
        bareRss << bare.rssMiB;
        appMs << app.mappedMs;
        appRss << app.rssMiB;
        mapped << app.webLibraries;
        qInfo("Silent start %d: bare window mapped in %.1f ms, Fedsync in %.1f ms", i + 1, bare.mappedMs,
              app.mappedMs);
        // Like with like: a window's backing store (4 bytes a pixel, in shared memory) grows with its size,
        // so the anchor opens a window of the app's size (bench_bareapp.cpp).
        QVERIFY2(
            bare.windowSize == app.windowSize,
            qPrintable(QStringLiteral("the bare window is %1x%2, Fedsync's %3x%4: make them the same size")
                           .arg(bare.windowSize.width())
                           .arg(bare.windowSize.height())
                           .arg(app.windowSize.width())
                           .arg(app.windowSize.height())));
        if (i == pairs - 1) {
            qInfo("Both windows mapped at %dx%d", app.windowSize.width(), app.windowSize.height());
            qInfo("Bare window's resident memory: %s", qPrintable(bare.resident));
            qInfo("Signed-in app's resident memory: %s", qPrintable(app.resident));
        }
    }
    const QStringList operations = m_sandbox.operationsSince(first);
    qInfo("Sandbox operations during the %d silent starts: %s", pairs, qPrintable(operations.join(u',')));
    QVERIFY2(!operations.isEmpty(), "the silent starts made no request: they did not sign in");
    m_bareRss = median(bareRss);
    const QString name = QStringLiteral("startup");
    bench::report(name, QStringLiteral("silent start: exec to mapped window"), median(appMs),
                  QStringLiteral("ms"), median(bareMs), QStringLiteral("bare QMainWindow"),
                  QStringLiteral("<= 1.3x"));
    bench::report(name, QStringLiteral("silent start: RSS 2 s after signed in"), median(appRss),
                  QStringLiteral("MiB"), m_bareRss, QStringLiteral("bare QMainWindow"),
                  QStringLiteral("<= 1.5x"));
    mapped.removeDuplicates();
    bench::report(name, QStringLiteral("silent start: WebEngine/Quick/QML libraries mapped"),
                  double(mapped.size()), QStringLiteral("libs"), 0, QStringLiteral("none"),
                  QStringLiteral("0"));
    QVERIFY2(mapped.isEmpty(), qPrintable(mapped.join(u' ')));
}

void BenchStartup::versionNextToCli()
{
    QList<double> appMs, appRss, cliMs, cliRss;
    for (int i = 0; i < runs; ++i) {
        const auto [ams, arss] = measureRun(binary("fedsync"), {QStringLiteral("--version")});
        const auto [cms, crss] = measureRun(binary("fedsync-cli"), {QStringLiteral("--version")});
        QVERIFY(ams >= 0 && cms >= 0);
        appMs << ams;
        appRss << arss;
        cliMs << cms;
        cliRss << crss;
    }
    const QString name = QStringLiteral("startup");
    bench::report(name, QStringLiteral("fedsync --version: wall time"), median(appMs), QStringLiteral("ms"),
                  median(cliMs), QStringLiteral("fedsync-cli --version"), QStringLiteral("(was 31 vs 8 ms)"));
    bench::report(name, QStringLiteral("fedsync --version: peak RSS"), median(appRss), QStringLiteral("MiB"),
                  median(cliRss), QStringLiteral("fedsync-cli --version"),
                  QStringLiteral("(was 49 vs 15 MiB)"));
}

// What the AWS CLI runs as its credential_process, within the credentials' lifetime: `fedsync-cli
// credentials` answers from the session's cache in the keychain and makes no request. Next to
// `fedsync-cli --version`, both without debug logging, median of 5 each.
void BenchStartup::credentialProcessNextToVersion()
{
    const QStringList arguments{QStringLiteral("--profile-file"), m_sandbox.profileFile(),
                                QStringLiteral("credentials")};
    const CliRun warm = runCli(arguments); // the cache is filled (the silent starts did it already)
    QVERIFY2(warm.exitCode == 0, qPrintable(warm.err));
    const QByteArray rules = qgetenv("QT_LOGGING_RULES");
    qunsetenv("QT_LOGGING_RULES");
    const auto restore = qScopeGuard([rules] {
        if (!rules.isEmpty())
            qputenv("QT_LOGGING_RULES", rules);
    });
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    QList<double> credentialsMs, versionMs;
    for (int i = 0; i < runs; ++i) {
        const double credentials = measureRun(binary("fedsync-cli"), arguments).first;
        const double version = measureRun(binary("fedsync-cli"), {QStringLiteral("--version")}).first;
        QVERIFY2(credentials >= 0 && version >= 0, "fedsync-cli credentials or --version failed");
        credentialsMs << credentials;
        versionMs << version;
    }
    const QStringList operations = m_sandbox.operationsSince(since);
    qInfo("Requests made by the %d credential_process runs: %s", runs,
          operations.isEmpty() ? "none" : qPrintable(operations.join(u',')));
    bench::report(QStringLiteral("startup"), QStringLiteral("credential_process from the cache: wall time"),
                  median(credentialsMs), QStringLiteral("ms"), median(versionMs),
                  QStringLiteral("fedsync-cli --version"), QStringLiteral("< 2x, no request"));
    QVERIFY2(operations.isEmpty(), qPrintable(operations.join(u',')));
}

// The real `fedsync`, signed out, signs in through its page process with the keyboard (as tst_signinpage
// does); its RSS is read with the page up and two seconds after it has its AWS credentials, the page
// process gone.
void BenchStartup::rssAfterInteractiveSignIn()
{
    if (m_bareRss < 0)
        QSKIP("needs the bare window's RSS from silentStartNextToBareWindow");
    const CliRun logout =
        runCli({QStringLiteral("--profile-file"), m_sandbox.profileFile(), QStringLiteral("logout")});
    QVERIFY2(logout.exitCode == 0, qPrintable(logout.err));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_LOGGING_RULES"));
    QProcess app;
    app.setProcessEnvironment(env);
    app.setStandardOutputFile(QProcess::nullDevice());
    app.setStandardErrorFile(QProcess::nullDevice());
    // Under callgrind (scripts/startup-order), the sign-in's own functions are listed too.
    const bool underCallgrind =
        startApp(app, binary("fedsync"), {QStringLiteral("--profile-file"), m_sandbox.profileFile()},
                 QStringLiteral("interactive"));
    QVERIFY(app.waitForStarted(10000));
    const auto stop = qScopeGuard([&app, underCallgrind] {
        if (underCallgrind) {
            app.terminate(); // callgrind writes its profile as the app quits
            app.waitForFinished(60000);
        }
        stopProcess(app);
    });
    QTest::qWait(waitScale() * settleMs);
    const double before = rssMiB(app.processId());
    double during = -1, page = -1;
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);
    const qint64 pagePid = xkeyboard::signInThroughPage(app.processId(), m_sandbox.user(0, "username"),
                                                        m_sandbox.user(0, "password"), [&](qint64 pid) {
                                                            during = rssMiB(app.processId());
                                                            page = rssMiB(pid);
                                                        });
    QVERIFY2(pagePid > 0, qPrintable(xkeyboard::errorString()));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return m_sandbox.operationsSince(since).contains(QStringLiteral("GetCredentialsForIdentity"));
        },
        waitScale() * 60000));
    QVERIFY(QTest::qWaitFor([&] { return ::kill(pid_t(pagePid), 0) != 0; }, waitScale() * 15000));
    QTest::qWait(waitScale() * settleMs);
    const double after = rssMiB(app.processId());
    keepSmaps(app.processId(), QStringLiteral("fedsync-after-sign-in"));
    const QStringList mapped = webLibraries(app.processId());
    qInfo("RSS of fedsync: %.1f MiB signed out, %.1f MiB with the page up (the page's process: %.1f MiB "
          "without its renderer), %.1f MiB after",
          before, during, page, after);
    qInfo("After the sign-in: %s", qPrintable(residentBreakdown(app.processId())));
    const QString name = QStringLiteral("startup");
    bench::report(name, QStringLiteral("after an interactive sign-in: RSS"), after, QStringLiteral("MiB"),
                  m_bareRss, QStringLiteral("bare QMainWindow"), QStringLiteral("<= 1.5x (was 6.7x)"));
    QVERIFY2(mapped.isEmpty(), qPrintable(mapped.join(u' ')));
}

FEDSYNC_GUI_TEST_MAIN_WEBENGINE(BenchStartup)
#include "bench_startup.moc"

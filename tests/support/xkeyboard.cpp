#include "xkeyboard.h"

#include <QElapsedTimer>
#include <QHash>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

namespace fedsync::test::xkeyboard {
namespace {

QString &lastError()
{
    static QString error;
    return error;
}

bool run(const QStringList &args, QString *out = nullptr)
{
    if (QStandardPaths::findExecutable(QStringLiteral("xdotool")).isEmpty()) {
        lastError() = QStringLiteral("xdotool is not installed (scripts/lib.sh installs it)");
        return false;
    }
    QProcess process;
    process.start(QStringLiteral("xdotool"), args);
    if (!process.waitForFinished(15000)) {
        process.kill();
        lastError() = QStringLiteral("xdotool %1 did not finish").arg(args.join(QLatin1Char(' ')));
        return false;
    }
    if (out)
        *out = QString::fromUtf8(process.readAllStandardOutput());
    if (process.exitCode() != 0) {
        lastError() = QStringLiteral("xdotool %1: %2")
                          .arg(args.join(QLatin1Char(' ')), QString::fromUtf8(process.readAllStandardError()));
        return false;
    }
    return true;
}

} // namespace

// The visible windows of `pid` (0: any) whose name contains `title`. xdotool's own --name is a regular
// expression over several name properties (a window named "Bare" can match "^Fedsync"), so its answer
// is narrowed here to the window name as getwindowname reads it.
QStringList windowsTitled(qint64 pid, const QString &title)
{
    QStringList args{QStringLiteral("search"), QStringLiteral("--onlyvisible")};
    if (pid > 0)
        args << QStringLiteral("--pid") << QString::number(pid);
    QString out;
    run(args << QStringLiteral("--name") << QStringLiteral("."), &out); // exits 1 when none
    QStringList matching;
    for (const QString &id : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        QString name;
        if (run({QStringLiteral("getwindowname"), id}, &name) && name.trimmed().contains(title))
            matching << id;
    }
    return matching;
}

QString findWindow(qint64 pid, const QString &title, int timeoutMs)
{
    QElapsedTimer waited;
    waited.start();
    do {
        const QStringList ids = windowsTitled(pid, title);
        if (!ids.isEmpty())
            return ids.last();
        if (lastError().contains(QStringLiteral("not installed")))
            return {};
        QTest::qWait(200);
    } while (waited.elapsed() < timeoutMs);
    lastError() = QStringLiteral("no visible window of process %1 titled \"%2\"").arg(pid).arg(title);
    return {};
}

bool waitUntilGone(qint64 pid, const QString &title, int timeoutMs)
{
    QElapsedTimer waited;
    waited.start();
    while (!windowsTitled(pid, title).isEmpty()) {
        if (waited.elapsed() > timeoutMs) {
            lastError() = QStringLiteral("a window of process %1 titled \"%2\" is still there").arg(pid).arg(title);
            return false;
        }
        QTest::qWait(100);
    }
    return true;
}

qint64 windowPid(const QString &window)
{
    QString out;
    if (!run({QStringLiteral("getwindowpid"), window}, &out))
        return 0;
    return out.trimmed().toLongLong();
}

qint64 windowOwner(const QString &title, int timeoutMs)
{
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < timeoutMs) {
        const QString window = findWindow(0, title, int(qMax<qint64>(1000, timeoutMs - waited.elapsed())));
        if (window.isEmpty())
            return 0;
        if (const qint64 pid = windowPid(window); pid > 0)
            return pid;
        QTest::qWait(200); // replaced between the search and the question
    }
    return 0;
}

bool focus(const QString &window)
{
    return run({QStringLiteral("windowfocus"), QStringLiteral("--sync"), window});
}

QRect geometry(const QString &window)
{
    QString out;
    if (!run({QStringLiteral("getwindowgeometry"), QStringLiteral("--shell"), window}, &out))
        return {};
    QHash<QString, int> values; // WINDOW=, X=, Y=, WIDTH=, HEIGHT=, SCREEN=
    for (const QString &line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (const qsizetype eq = line.indexOf(QLatin1Char('=')); eq > 0)
            values.insert(line.left(eq), line.mid(eq + 1).toInt());
    return QRect(values.value(QStringLiteral("X")), values.value(QStringLiteral("Y")),
                 values.value(QStringLiteral("WIDTH")), values.value(QStringLiteral("HEIGHT")));
}

QString focusWindow(qint64 pid, const QString &title, int timeoutMs)
{
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < timeoutMs) {
        const QString window = findWindow(pid, title, int(qMax<qint64>(1000, timeoutMs - waited.elapsed())));
        if (window.isEmpty())
            return {};
        if (focus(window))
            return window;
        QTest::qWait(200);
    }
    return {};
}

bool type(const QString &text)
{
    return run({QStringLiteral("type"), QStringLiteral("--delay"), QStringLiteral("25"), text});
}

bool key(const QString &name)
{
    return run({QStringLiteral("key"), name});
}

QString errorString()
{
    return lastError();
}

} // namespace fedsync::test::xkeyboard

namespace fedsync::test::xkeyboard {

qint64 signInThroughPage(qint64 appPid, const QString &username, const QString &password,
                         const std::function<void(qint64)> &beforeTyping)
{
    QString page;
    for (int attempt = 0; attempt < 10 && page.isEmpty(); ++attempt) {
        if (focusWindow(appPid, QStringLiteral("Fedsync")).isEmpty())
            return 0;
        QTest::qWait(500);
        if (!key(QStringLiteral("alt+a")))
            return 0;
        QTest::qWait(300);
        if (!key(QStringLiteral("s")))
            return 0;
        page = findWindow(0, QStringLiteral("Sign in to"), 5000);
        if (page.isEmpty())
            key(QStringLiteral("Escape")); // close the menu if it stayed open
    }
    if (page.isEmpty())
        return 0;
    const qint64 pagePid = windowOwner(QStringLiteral("Sign in to"));
    if (pagePid <= 0)
        return 0;
    QTest::qWait(3000); // the page arrives
    if (beforeTyping)
        beforeTyping(pagePid);
    return typeCredentials(pagePid, username, password) ? pagePid : 0;
}

bool typeCredentials(qint64 pagePid, const QString &username, const QString &password)
{
    if (focusWindow(pagePid, QStringLiteral("Sign in to")).isEmpty())
        return false;
    QTest::qWait(500); // as a person looks before typing
    return type(username) && key(QStringLiteral("Tab")) && type(password) && key(QStringLiteral("Return"));
}

} // namespace fedsync::test::xkeyboard

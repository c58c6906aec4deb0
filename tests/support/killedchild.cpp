#include "killedchild.h"

#include <QProcess>

#include <chrono>
#include <cstdio>
#include <thread>

namespace fedsync::test {

void sayAndWaitToBeKilled(const char *word)
{
    std::fputs(word, stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    for (;;)
        std::this_thread::sleep_for(std::chrono::seconds(1));
}

QString runThenKillAfter(const QStringList &arguments, const QByteArray &word)
{
    QProcess child;
    child.start(QCoreApplication::applicationFilePath(), arguments);
    if (!child.waitForStarted(5000))
        return QStringLiteral("the child did not start: %1").arg(child.errorString());
    QByteArray said;
    const bool ready = QTest::qWaitFor(
        [&]() {
            said += child.readAllStandardOutput();
            return said.contains(word) || child.state() == QProcess::NotRunning;
        },
        10000);
    if (!ready || !said.contains(word)) {
        child.kill();
        child.waitForFinished(5000);
        return QStringLiteral("the child did not say \"%1\" (exit code %2, said: %3)")
            .arg(QString::fromLatin1(word))
            .arg(child.exitCode())
            .arg(QString::fromLocal8Bit(said));
    }
    child.kill();
    if (!child.waitForFinished(5000))
        return QStringLiteral("the child did not end when killed");
    if (child.exitStatus() != QProcess::CrashExit)
        return QStringLiteral("the child ended on its own before it was killed");
    return {};
}

} // namespace fedsync::test

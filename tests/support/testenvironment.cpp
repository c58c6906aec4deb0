#include "testenvironment.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

namespace fedsync::test {
namespace {
QTemporaryDir *root()
{
    static QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/fedsync-test-XXXXXX"));
    return &dir;
}
} // namespace

void setUpIsolatedEnvironment()
{
    const QString base = root()->path();
    for (const char *name : {"config", "data", "cache", "runtime"})
        QDir(base).mkpath(QString::fromLatin1(name));
    QFile::setPermissions(base + QStringLiteral("/runtime"),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    qputenv("XDG_CONFIG_HOME", (base + QStringLiteral("/config")).toLocal8Bit());
    qputenv("XDG_DATA_HOME", (base + QStringLiteral("/data")).toLocal8Bit());
    qputenv("XDG_CACHE_HOME", (base + QStringLiteral("/cache")).toLocal8Bit());
    qputenv("XDG_RUNTIME_DIR", (base + QStringLiteral("/runtime")).toLocal8Bit());
}

QString isolatedRoot()
{
    return root()->path();
}

QString sourceDir()
{
    const QString fromEnv = qEnvironmentVariable("FEDSYNC_SOURCE_DIR");
    return fromEnv.isEmpty() ? QStringLiteral(FEDSYNC_TEST_SOURCE_DIR) : fromEnv;
}

QString binDir()
{
    const QString fromEnv = qEnvironmentVariable("FEDSYNC_BIN_DIR");
    return fromEnv.isEmpty() ? QCoreApplication::applicationDirPath() : fromEnv;
}

void stopProcess(QProcess &process, int graceMs)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(graceMs))
        process.kill();
    process.waitForFinished(2000);
}

} // namespace fedsync::test

// What the keychain's integration tests share: keychainprobe (a KeychainSecretStore in a child process,
// so it can be given another session bus) and a session bus of the test's own.
#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace fedsync::test {

struct ProbeAnswer
{
    QString status;
    QString code;
    QString details;
    qint64 elapsedMs = 0;
    QString value; // what a read found
};

// Runs keychainprobe (a KeychainSecretStore in a child process) in `env`.
// `program`: keychainprobe by default, or a copy of it elsewhere.
inline ProbeAnswer runProbe(const QProcessEnvironment &env, const QStringList &arguments,
                            const QString &program = QStringLiteral(KEYCHAINPROBE_PATH))
{
    QProcess probe;
    probe.setProcessEnvironment(env);
    QSignalSpy finished(&probe, &QProcess::finished);
    QElapsedTimer timer;
    timer.start();
    probe.start(program, arguments);
    // Spin the event loop (not waitForFinished): this process may be serving the child's bus.
    if (!finished.wait(30000)) {
        probe.kill();
        probe.waitForFinished();
        return {QStringLiteral("(no answer)"),
                {},
                QString::fromUtf8(probe.readAllStandardError()),
                timer.elapsed(),
                {}};
    }
    const QStringList lines = QString::fromUtf8(probe.readAllStandardOutput()).split(QLatin1Char('\n'));
    return {lines.value(0), lines.value(1), lines.value(2), timer.elapsed(), lines.value(3)};
}

// A session bus of our own, with no service files: nothing provides org.freedesktop.secrets unless a
// test registers it.
class PrivateBus
{
public:
    bool start()
    {
        if (!m_dir.isValid())
            return false;
        QFile config(m_dir.filePath(QStringLiteral("bus.conf")));
        if (!config.open(QIODevice::WriteOnly))
            return false;
        // No <servicedir>: nothing can be activated on this bus.
        config.write("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                     " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                     "<busconfig>\n"
                     "  <type>session</type>\n"
                     "  <listen>unix:dir=" +
                     QFile::encodeName(m_dir.path()) +
                     "</listen>\n"
                     "  <auth>EXTERNAL</auth>\n"
                     "  <policy context=\"default\">\n"
                     "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                     "    <allow eavesdrop=\"true\"/>\n"
                     "    <allow own=\"*\"/>\n"
                     "  </policy>\n"
                     "</busconfig>\n");
        config.close();
        m_daemon.start(QStringLiteral("dbus-daemon"),
                       {QStringLiteral("--config-file=") + config.fileName(),
                        QStringLiteral("--print-address"), QStringLiteral("--nofork")});
        if (!m_daemon.waitForStarted(10000))
            return false;
        while (!m_daemon.canReadLine())
            if (!m_daemon.waitForReadyRead(10000))
                return false;
        m_address = QString::fromUtf8(m_daemon.readLine().trimmed());
        return !m_address.isEmpty();
    }

    ~PrivateBus()
    {
        m_daemon.terminate();
        m_daemon.waitForFinished(5000);
    }

    QString address() const { return m_address; }

private:
    QTemporaryDir m_dir;
    QProcess m_daemon;
    QString m_address;
};

} // namespace fedsync::test

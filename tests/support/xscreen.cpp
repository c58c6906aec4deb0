#include "xscreen.h"

#include "testenvironment.h"

#include <QElapsedTimer>
#include <QStandardPaths>

namespace fedsync::test {

XScreen::~XScreen()
{
    stopProcess(m_process, 5000);
}

bool XScreen::start(QSize size, int timeoutMs)
{
    if (QStandardPaths::findExecutable(QStringLiteral("Xvfb")).isEmpty()) {
        m_error = QStringLiteral("Xvfb is not installed (scripts/lib.sh installs it)");
        return false;
    }
    // -displayfd: Xvfb picks a free display itself and writes its number once it accepts clients.
    m_process.start(QStringLiteral("Xvfb"),
                    {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"), QStringLiteral("0"),
                     QStringLiteral("%1x%2x24").arg(size.width()).arg(size.height()), QStringLiteral("-nolisten"),
                     QStringLiteral("tcp")});
    QElapsedTimer waited;
    waited.start();
    QByteArray out;
    while (!out.contains('\n') && waited.elapsed() < timeoutMs) {
        if (!m_process.waitForReadyRead(int(qMax<qint64>(1, timeoutMs - waited.elapsed()))))
            break;
        out += m_process.readAllStandardOutput();
    }
    bool ok = false;
    const int number = out.trimmed().toInt(&ok);
    if (!ok) {
        m_error = QStringLiteral("Xvfb did not start: %1").arg(QString::fromUtf8(m_process.readAllStandardError()));
        return false;
    }
    m_display = QStringLiteral(":%1").arg(number);
    return true;
}

DisplayOverride::DisplayOverride(const QString &display)
    : m_saved(qgetenv("DISPLAY"))
{
    qputenv("DISPLAY", display.toUtf8());
}

DisplayOverride::~DisplayOverride()
{
    qputenv("DISPLAY", m_saved);
}

} // namespace fedsync::test

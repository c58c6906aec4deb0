// A figure from /proc/<pid>/status (VmRSS, VmPeak, …) in MiB, for the tests and benchmarks that measure a
// process's memory.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

namespace fedsync::test {

// `process`: a pid, or "self". -1 when the file or the field is not there.
inline double procStatusMiB(const QString &process, const QByteArray &field)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(process));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = field + ':';
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').first().toDouble() / 1024.0;
    return -1;
}

} // namespace fedsync::test

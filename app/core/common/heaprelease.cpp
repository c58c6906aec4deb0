#include "common/heaprelease.h"

#include <QFile>

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(Q_OS_UNIX) || defined(__unix__)
#include <unistd.h>
#endif

namespace fedsync {

void releaseFreedHeap()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

long residentKb()
{
#if defined(__linux__)
    QFile status(QStringLiteral("/proc/self/statm")); // size, resident, ... in pages
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = status.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLong() * (sysconf(_SC_PAGESIZE) / 1024) : 0;
#else
    return 0;
#endif
}

} // namespace fedsync

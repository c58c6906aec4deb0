#include "common/heaprelease.h"

#include <QFile>

#if defined(__GLIBC__)
#include <malloc.h>
#include <unistd.h>
#endif

namespace fedsync {

#if defined(__GLIBC__)
namespace {

long residentKb()
{
    QFile status(QStringLiteral("/proc/self/statm")); // size, resident, ... in pages
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = status.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLong() * (sysconf(_SC_PAGESIZE) / 1024) : 0;
}

} // namespace
#endif

long releaseFreedHeap()
{
#if defined(__GLIBC__)
    const long before = residentKb();
    malloc_trim(0);
    return before - residentKb();
#else
    return 0;
#endif
}

} // namespace fedsync

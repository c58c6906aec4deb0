#include "platform/processhardening.h"

#include "platform/owneronly.h"

#if defined(Q_OS_LINUX) || defined(__linux__)
#include <sys/prctl.h>
#include <sys/resource.h>
#endif

namespace fedsync {

void hardenProcess()
{
    useOwnerOnlyUmask();
#if defined(__linux__)
    const rlimit noCore{0, 0};
    setrlimit(RLIMIT_CORE, &noCore);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

} // namespace fedsync

#include "platform/processhardening.h"

#include "platform/owneronly.h"

#include <QtGlobal>

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
    // No memory both writable and executable for PCRE2's JIT compiler, which QRegularExpression uses for
    // every pattern (Qt's own included: its TLS backend lists the CA directory with a wildcard). Fedsync's
    // patterns are few and short (a profile's fields, a dataset's name, log redaction), interpreted fast
    // enough; not compiling them also keeps the JIT compiler's code out of memory (0.2 MiB of a signed-in
    // window). QT_ENABLE_REGEXP_JIT is Qt's documented switch, read at the first pattern; a value the user
    // set is kept.
    if (!qEnvironmentVariableIsSet("QT_ENABLE_REGEXP_JIT"))
        qputenv("QT_ENABLE_REGEXP_JIT", "0");
}

} // namespace fedsync

#include "usecases/connectivity.h"

#include <QStringList>

namespace fedsync {

bool isServiceUnreachable(const UserError &error)
{
    static const QStringList transport{QStringLiteral("net.timeout"), QStringLiteral("net.refused"),
                                       QStringLiteral("net.dns"), QStringLiteral("net.closed"),
                                       QStringLiteral("net.failed")};
    if (transport.contains(error.code))
        return true;
    // The provider or AWS answered with a server error or "too many requests": down or busy, not a "no".
    static const QStringList busy{QStringLiteral("oidc.http.5"), QStringLiteral("oidc.http.429"),
                                  QStringLiteral("aws.throttled"), QStringLiteral("aws.service"),
                                  QStringLiteral("aws.provider.unreachable")};
    for (const QString &prefix : busy)
        if (error.code.startsWith(prefix))
            return true;
    return false;
}

} // namespace fedsync

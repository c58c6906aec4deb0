#include "userdisplay.h"

#include "oidc/idtokenvalidator.h"

namespace fedsync::UserDisplay {

QString name(const IdTokenClaims &claims)
{
    for (const QString *candidate : {&claims.name, &claims.nickname, &claims.email}) {
        const QString trimmed = candidate->trimmed();
        if (!trimmed.isEmpty())
            return trimmed;
    }
    return claims.sub;
}

QString nameWithEmail(const IdTokenClaims &claims)
{
    const QString who = name(claims);
    const QString email = claims.email.trimmed();
    if (email.isEmpty() || email == who)
        return who;
    return QStringLiteral("%1 <%2>").arg(who, email);
}

} // namespace fedsync::UserDisplay

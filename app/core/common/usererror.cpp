#include "common/usererror.h"

#include <QStringList>

namespace fedsync {

QString UserError::text() const
{
    QStringList parts;
    for (const QString &part : {what, why, action})
        if (!part.isEmpty())
            parts << (part.endsWith(QLatin1Char('.')) ? part : part + QLatin1Char('.'));
    return parts.join(QLatin1Char(' '));
}

UserError UserError::make(QString code, QString what, QString why, QString action, QString details)
{
    return UserError{std::move(code), std::move(what), std::move(why), std::move(action), std::move(details)};
}

} // namespace fedsync

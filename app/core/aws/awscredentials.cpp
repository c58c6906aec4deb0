#include "aws/awscredentials.h"

#include "log/redact.h"

namespace fedsync::aws {

bool AwsCredentials::isExpiringWithin(qint64 seconds, const QDateTime &now) const
{
    if (!isValid())
        return true;
    if (!expiration.isValid())
        return false;
    return expiration <= now.addSecs(seconds);
}

QString AwsCredentials::summary() const
{
    QString text = redact(accessKeyId);
    if (expiration.isValid())
        text += QStringLiteral(", expires ") + expiration.toUTC().toString(Qt::ISODate);
    if (!identityId.isEmpty())
        text += QStringLiteral(", identity ") + identityId;
    return text;
}

} // namespace fedsync::aws

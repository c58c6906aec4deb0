#include "aws/awscredentials.h"

#include "log/redact.h"

#include <cmath>

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

QDateTime dateFromEpochSeconds(double seconds)
{
    constexpr double lastSecondOf9999 = 253402300799.0;
    if (!std::isfinite(seconds) || seconds < 0 || seconds > lastSecondOf9999)
        return {};
    return QDateTime::fromMSecsSinceEpoch(std::llround(seconds * 1000.0), Qt::UTC);
}

} // namespace fedsync::aws

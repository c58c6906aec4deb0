#include "aws/settingsidentityidcache.h"

#include <QSettings>

namespace fedsync::aws {

SettingsIdentityIdCache::SettingsIdentityIdCache(QSettings *settings)
    : m_settings(settings)
{}

QString SettingsIdentityIdCache::key(const QString &identityPoolId, const QString &userSub)
{
    // '/' separates groups in QSettings; a sub never contains one in practice, but keep the key two levels.
    QString sub = userSub;
    sub.replace(QLatin1Char('/'), QLatin1Char('_'));
    return QStringLiteral("CognitoIdentityIds/%1/%2").arg(identityPoolId, sub);
}

QString SettingsIdentityIdCache::load(const QString &identityPoolId, const QString &userSub) const
{
    return m_settings->value(key(identityPoolId, userSub)).toString();
}

void SettingsIdentityIdCache::store(const QString &identityPoolId, const QString &userSub,
                                    const QString &identityId)
{
    m_settings->setValue(key(identityPoolId, userSub), identityId);
}

void SettingsIdentityIdCache::forget(const QString &identityPoolId, const QString &userSub)
{
    m_settings->remove(key(identityPoolId, userSub));
}

} // namespace fedsync::aws

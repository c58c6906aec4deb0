// An IdentityIdCache in the application's settings (group "CognitoIdentityIds", key "<poolId>/<sub>"), as the
// AWS mobile SDKs keep it in their preferences. The settings object is passed in, never reached globally.
#pragma once

#include "aws/identityidcache.h"

class QSettings;

namespace fedsync::aws {

class SettingsIdentityIdCache final : public IdentityIdCache
{
public:
    explicit SettingsIdentityIdCache(QSettings *settings);

    QString load(const QString &identityPoolId, const QString &userSub) const override;
    void store(const QString &identityPoolId, const QString &userSub, const QString &identityId) override;
    void forget(const QString &identityPoolId, const QString &userSub) override;

private:
    static QString key(const QString &identityPoolId, const QString &userSub);
    QSettings *m_settings;
};

} // namespace fedsync::aws

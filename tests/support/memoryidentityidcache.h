// An IdentityIdCache that lives as long as the process, for tests (production keeps the id in the
// settings: SettingsIdentityIdCache).
#pragma once

#include "aws/identityidcache.h"

#include <QHash>

namespace fedsync::aws {

class MemoryIdentityIdCache final : public IdentityIdCache
{
public:
    QString load(const QString &identityPoolId, const QString &userSub) const override
    {
        return m_ids.value(key(identityPoolId, userSub));
    }
    void store(const QString &identityPoolId, const QString &userSub, const QString &identityId) override
    {
        m_ids.insert(key(identityPoolId, userSub), identityId);
    }
    void forget(const QString &identityPoolId, const QString &userSub) override
    {
        m_ids.remove(key(identityPoolId, userSub));
    }
    int size() const { return int(m_ids.size()); }

private:
    static QString key(const QString &pool, const QString &sub) { return pool + QLatin1Char('/') + sub; }
    QHash<QString, QString> m_ids;
};

} // namespace fedsync::aws

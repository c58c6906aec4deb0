#include "supportdesk.h"

#include "sandbox.h"

namespace fedsync::test {

QString SupportDesk::open(const Sandbox &sandbox, const QString &profileFile)
{
    qputenv("HOME", m_home.path().toLocal8Bit()); // no ~/.aws of the machine's
    qputenv("FEDSYNC_SUPPORT_INDEX", m_files.filePath(QStringLiteral("index.sqlite")).toLocal8Bit());
    const QString created = m_user.createContext(profileFile);
    if (created.isEmpty())
        useDeveloperKeys(sandbox);
    return created;
}

void SupportDesk::useDeveloperKeys(const Sandbox &sandbox)
{
    const QJsonObject keys = sandbox.ready().value(QStringLiteral("developer_credentials")).toObject();
    useStaffKeys(keys.value(QStringLiteral("access_key_id")).toString(),
                 keys.value(QStringLiteral("secret_access_key")).toString());
}

void SupportDesk::useStaffKeys(const QString &keyId, const QString &secret)
{
    qputenv("AWS_ACCESS_KEY_ID", keyId.toLatin1());
    qputenv("AWS_SECRET_ACCESS_KEY", secret.toLatin1());
}

void SupportDesk::removeStaffKeys()
{
    qunsetenv("AWS_ACCESS_KEY_ID");
    qunsetenv("AWS_SECRET_ACCESS_KEY");
}

} // namespace fedsync::test

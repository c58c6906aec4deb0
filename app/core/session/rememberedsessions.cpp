#include "session/rememberedsessions.h"

#include "common/deliverlater.h"
#include "config/profile.h"
#include "log/logcategories.h"
#include "secrets/secretstore.h"
#include "session/sessioncredentialstier.h"

#include <QSettings>

#include <memory>

namespace fedsync {
namespace {
const QString kLastUser = QStringLiteral("lastUser");
const QString kLastIssuer = QStringLiteral("lastIssuer");
const QString kLastClientId = QStringLiteral("lastClientId");
const QString kEntries = QStringLiteral("entries");
} // namespace

RememberedSessions::RememberedSessions(const Profile &profile)
    : m_group(groupFor(SessionEntry::namespaceFor(profile), profile.id))
    , m_legacyGroup(groupFor(QStringLiteral("saved"), profile.id))
{}

QString RememberedSessions::groupFor(const QString &ns, const QString &profileId)
{
    if (ns == QStringLiteral("saved"))
        return QStringLiteral("sessions/") + profileId;
    return QStringLiteral("filesessions/%1/%2").arg(ns, profileId);
}

SessionBinding RememberedSessions::lastUser() const
{
    QSettings settings;
    settings.beginGroup(m_group);
    SessionBinding binding{settings.value(kLastIssuer).toString(), settings.value(kLastClientId).toString(),
                           settings.value(kLastUser).toString()};
    settings.endGroup();
    if (binding.subject.isEmpty() && m_group != m_legacyGroup) {
        // Format 1 remembered every profile under "sessions/<id>", with the user only.
        settings.beginGroup(m_legacyGroup);
        if (!settings.contains(kLastIssuer))
            binding.subject = settings.value(kLastUser).toString();
    }
    return binding;
}

void RememberedSessions::forgetLegacyUser()
{
    QSettings settings;
    settings.beginGroup(m_legacyGroup);
    if (!settings.contains(kLastIssuer))
        settings.remove(kLastUser);
}

void RememberedSessions::rememberSignIn(const SessionBinding &binding, const QString &keychainKey)
{
    QSettings settings;
    settings.beginGroup(m_group);
    settings.setValue(kLastUser, binding.subject);
    settings.setValue(kLastIssuer, binding.issuer);
    settings.setValue(kLastClientId, binding.clientId);
    QStringList entries = settings.value(kEntries).toStringList();
    if (!entries.contains(keychainKey)) {
        entries.append(keychainKey);
        settings.setValue(kEntries, entries);
    }
}

void RememberedSessions::forgetLastUser()
{
    QSettings settings;
    settings.beginGroup(m_group);
    settings.remove(kLastUser);
    settings.remove(kLastIssuer);
    settings.remove(kLastClientId);
}

void RememberedSessions::forgetProfile(const QString &profileId, SecretStore *secrets, QObject *context,
                                       std::function<void()> done)
{
    QSettings settings;
    const QString group = groupFor(QStringLiteral("saved"), profileId);
    QStringList keys = settings.value(group + QLatin1Char('/') + kEntries).toStringList();
    const QString lastUser = settings.value(group + QLatin1Char('/') + kLastUser).toString();
    if (!lastUser.isEmpty())
        keys.append(SessionEntry::legacyKeyFor(profileId, lastUser));
    settings.remove(group);
    auto pending = std::make_shared<int>(int(keys.size()));
    if (keys.isEmpty()) {
        if (done)
            deliverLater(context, done);
        return;
    }
    for (const QString &key : std::as_const(keys)) {
        SessionCredentialsTier::dropForSessionKey(secrets, key);
        secrets->remove(key, context, [pending, done](const SecretResult &result) {
            if (!result.ok() && result.status != SecretResult::Status::NotFound)
                qCWarning(lcSession) << "Could not remove a deleted profile's sign-in:" << result.error.code;
            if (--*pending == 0 && done)
                done();
        });
    }
}

} // namespace fedsync

// What the settings remember about a profile's sessions (no secret): the last signed-in user and the
// provider that signed them in (so a profile now naming another provider is told apart from "nobody
// signed in"), and the keychain keys written for the profile, so deleting the profile deletes them.
// Saved profiles use the group "sessions/<id>", --profile-file profiles "filesessions/<namespace>/<id>".
#pragma once

#include "session/sessionentry.h"

#include <QObject>
#include <QStringList>

#include <functional>

namespace fedsync {

class SecretStore;

class RememberedSessions final
{
public:
    explicit RememberedSessions(const Profile &profile);

    // The last user's binding as remembered (issuer and client id may be empty: older versions kept
    // only the user).
    SessionBinding lastUser() const;
    void rememberSignIn(const SessionBinding &binding, const QString &keychainKey);
    void forgetLastUser();
    // Drops the user remembered by format 1 (no provider recorded) once its entry was dealt with.
    void forgetLegacyUser();

    // Removes every keychain entry written for the saved profile `profileId` (and its format-1 entry),
    // and its remembered sessions; `done` runs once the keychain answered for each.
    static void forgetProfile(const QString &profileId, SecretStore *secrets, QObject *context,
                              std::function<void()> done = {});

    static QString groupFor(const QString &ns, const QString &profileId);

private:
    QString m_group;
    QString m_legacyGroup;
};

} // namespace fedsync

// The user's saved profiles and which one is in use, kept in the application's per-user settings
// (group "profiles/<id>/...", the same keys as the profile file). Settings never hold a secret, and a
// profile has none to hold.
#pragma once

#include "common/usererror.h"
#include "config/profile.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class QSettings;

namespace fedsync {

class ProfileStore final : public QObject
{
    Q_OBJECT
public:
    // The application's standard settings (call applyApplicationIdentity() before).
    explicit ProfileStore(QObject *parent = nullptr);
    // A given INI file instead (portable installs, tools).
    explicit ProfileStore(const QString &settingsFile, QObject *parent = nullptr);
    ~ProfileStore() override;

    QStringList profileIds() const;  // sorted
    QList<Profile> profiles() const; // sorted by name, then id
    bool contains(const QString &id) const;
    std::optional<Profile> profile(const QString &id) const;

    // Saves (replaces) the profile under its id; an empty id is first set to a new one made from the
    // name. The profile is stored as given: validate and normalize it first (ProfileValidator).
    UserError save(Profile &profile);
    // False when there was no such profile. Removing the current profile leaves none current.
    bool remove(const QString &id);

    // Empty when none is chosen or the chosen one is gone.
    QString currentProfileId() const;
    // False (and nothing changes) for an id that is not stored; an empty id clears the choice.
    bool setCurrentProfileId(const QString &id);

    // A valid id made from `name`, not yet used ("work", then "work-2"...).
    QString uniqueIdFor(const QString &name) const;

Q_SIGNALS:
    void profilesChanged();
    // A profile was deleted: whoever owns the keychain forgets its sessions (RememberedSessions).
    void profileRemoved(const QString &id);
    void currentProfileIdChanged(const QString &id);

private:
    UserError syncSettings();

    std::unique_ptr<QSettings> m_settings;
};

} // namespace fedsync

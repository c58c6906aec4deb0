// Which profile a run uses, with one set of rules and messages for both front ends (fedsync and
// fedsync-cli): `--profile-file PATH` first (read and checked; its own keychain namespace), then
// `--profile ID` (a saved profile), then the saved current profile.
#pragma once

#include "common/usererror.h"
#include "config/profile.h"

#include <QString>

#include <optional>

namespace fedsync {

class ProfileStore;

class ProfileSelection final
{
public:
    // What the command line asked for (empty: not given).
    struct Request
    {
        QString profileFile;
        QString profileId;
    };

    // Error codes of select().
    static const QString NoProfile;      // nothing asked for and no current profile
    static const QString UnknownProfile; // --profile (or the saved current one) names no stored profile

    explicit ProfileSelection(const ProfileStore &store);

    // The profile `request` selects; nullopt with `error` set (a profile file's own errors, NoProfile,
    // UnknownProfile). A profile from a file carries its path in `sourceFile`.
    std::optional<Profile> select(const Request &request, UserError *error) const;

private:
    const ProfileStore &m_store;
};

} // namespace fedsync

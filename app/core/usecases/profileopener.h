// The step every run of fedsync and fedsync-cli starts with: the profile the command line selects
// (ProfileSelection's rules and messages), its ProfileContext over the secret store passed in (built
// once, owned here), and, for work that needs the user, the stored sign-in restored. The first use of
// a profile file's extra CA is announced once (CaFileNotice); how it is shown is the front end's part.
#pragma once

#include "common/usererror.h"
#include "config/profile.h"
#include "config/profileselection.h"

#include <functional>
#include <memory>
#include <optional>

class QObject;

namespace fedsync {

class ProfileContext;
class ProfileStore;
class SecretStore;

class ProfileOpener final
{
public:
    // `store` and `secrets` must outlive the opener; `request` is what the command line asked for.
    ProfileOpener(const ProfileStore &store, SecretStore *secrets, ProfileSelection::Request request);
    ~ProfileOpener();

    const ProfileSelection::Request &request() const { return m_request; }
    // The command line named the profile (--profile-file or --profile), rather than leaving it to the
    // saved current one.
    bool isExplicit() const { return !m_request.profileFile.isEmpty() || !m_request.profileId.isEmpty(); }

    // The selected profile as loaded, not validated (the setup doctor looks at broken ones too); nullopt
    // with `error` set when there is none (ProfileSelection's errors, a profile file's own). Selected
    // once: later calls return the same profile.
    std::optional<Profile> profile(UserError *error) const;
    // The notice about the extra CA of the profile file in use, when it was not shown before; empty for
    // a saved profile, a profile without a CA file, or one already shown. Mark it shown once it was.
    QString pendingCaNotice(const Profile &profile) const;
    void markCaNoticeShown(const Profile &profile) const;

    // The selected profile's ProfileContext (checked by ProfileValidator, its CA file loaded), built on
    // the first call; null with `error` set when it cannot be.
    ProfileContext *context(UserError *error);
    // The context built by context(); null before, or when it failed.
    ProfileContext *openedContext() const { return m_context.get(); }

    // Restores the selected profile's stored sign-in. Calls `signedIn`, or `failed` with the reason: no
    // usable profile, nobody signed in (errorcode::SessionNone), the keychain's or the provider's error.
    // Both are tied to `receiver` (not called once it is gone).
    void restore(QObject *receiver, std::function<void(ProfileContext &)> signedIn,
                 std::function<void(const UserError &reason)> failed);

private:
    const ProfileStore &m_store;
    SecretStore *m_secrets;
    ProfileSelection::Request m_request;
    mutable std::optional<Profile> m_selected;
    std::unique_ptr<ProfileContext> m_context;
};

} // namespace fedsync

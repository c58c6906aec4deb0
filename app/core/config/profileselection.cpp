#include "profileselection.h"

#include "config/profilefile.h"
#include "config/profilestore.h"

#include <QCoreApplication>

namespace fedsync {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("fedsync::ProfileSelection", text);
}
} // namespace

const QString ProfileSelection::NoProfile = QStringLiteral("profile.none");
const QString ProfileSelection::UnknownProfile = QStringLiteral("profile.unknown");

ProfileSelection::ProfileSelection(const ProfileStore &store)
    : m_store(store)
{}

std::optional<Profile> ProfileSelection::select(const Request &request, UserError *error) const
{
    if (!request.profileFile.isEmpty()) {
        std::optional<Profile> profile = ProfileFile::load(request.profileFile, error);
        if (profile)
            profile->sourceFile = request.profileFile; // its own keychain namespace (SessionEntry)
        return profile;
    }
    const QString id = request.profileId.isEmpty() ? m_store.currentProfileId() : request.profileId;
    if (id.isEmpty()) {
        *error = UserError::make(NoProfile, tr("No profile is selected"),
                                 tr("Fedsync needs your Auth0 (and Cognito) settings"),
                                 tr("Pass --profile-file PATH, or create a profile in the Fedsync app"));
        return std::nullopt;
    }
    std::optional<Profile> profile = m_store.profile(id);
    if (!profile)
        *error = UserError::make(UnknownProfile, tr("There is no profile \"%1\"").arg(id), {},
                                 tr("Check the name (the Fedsync app lists your profiles), or pass "
                                    "--profile-file"));
    return profile;
}

} // namespace fedsync

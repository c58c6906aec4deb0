#include "usecases/profileopener.h"

#include "config/cafilenotice.h"
#include "log/logcategories.h"
#include "session/profilecontext.h"
#include "session/signinstate.h"

#include <QObject>

namespace fedsync {

ProfileOpener::ProfileOpener(const ProfileStore &store, SecretStore *secrets,
                             ProfileSelection::Request request)
    : m_store(store)
    , m_secrets(secrets)
    , m_request(std::move(request))
{}

ProfileOpener::~ProfileOpener() = default;

std::optional<Profile> ProfileOpener::profile(UserError *error) const
{
    if (m_selected)
        return m_selected;
    m_selected = ProfileSelection(m_store).select(m_request, error);
    if (!m_selected)
        qCInfo(lcUsecases) << "no profile to open:" << error->code;
    return m_selected;
}

QString ProfileOpener::pendingCaNotice(const Profile &profile) const
{
    if (m_request.profileFile.isEmpty() || CaFileNotice::wasShown(m_request.profileFile, profile))
        return {};
    return CaFileNotice::text(profile);
}

void ProfileOpener::markCaNoticeShown(const Profile &profile) const
{
    if (!m_request.profileFile.isEmpty())
        CaFileNotice::markShown(m_request.profileFile, profile);
}

ProfileContext *ProfileOpener::context(UserError *error)
{
    if (m_context)
        return m_context.get();
    const std::optional<Profile> selected = profile(error);
    if (!selected)
        return nullptr;
    m_context = ProfileContext::create(*selected, m_secrets, error);
    if (m_context)
        qCDebug(lcUsecases) << "opened profile" << selected->id;
    else
        qCInfo(lcUsecases) << "profile" << selected->id << "not usable:" << error->code;
    return m_context.get();
}

void ProfileOpener::restore(QObject *receiver, std::function<void(ProfileContext &)> signedIn,
                            std::function<void(const UserError &)> failed)
{
    UserError error;
    ProfileContext *opened = context(&error);
    if (!opened) {
        failed(error);
        return;
    }
    QObject::connect(opened->session(), &SignInState::signedIn, receiver,
                     [opened, signedIn = std::move(signedIn)] { signedIn(*opened); });
    QObject::connect(opened->session(), &SignInState::restoreFailed, receiver, std::move(failed));
    opened->session()->restore(/*useCachedIdToken=*/true);
}

} // namespace fedsync

#include "appshell.h"

#include "config/profileselection.h"
#include "config/profilestore.h"
#include "mainwindow.h"
#include "profilesdialog.h"
#include "session/rememberedsessions.h"
#include "session/profilecontext.h"

namespace fedsync::ui {

AppShell::AppShell(ProfileStore &store, SecretStore *secrets, std::optional<Profile> fixedProfile,
                   QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_fixed(std::move(fixedProfile))
{
    // A deleted profile takes its keychain entries and remembered sessions with it.
    connect(&m_store, &ProfileStore::profileRemoved, this,
            [this](const QString &id) { RememberedSessions::forgetProfile(id, m_secrets, this); });
}

AppShell::~AppShell()
{
    m_window.reset(); // the window refers to the context
    m_context.reset();
}

ProfilesDialog *AppShell::profilesDialog() const
{
    return m_profiles;
}

void AppShell::start()
{
    if (m_fixed) {
        rebuild(m_fixed);
        return;
    }
    // The saved current profile; with none, the window offers the profiles dialog.
    UserError none;
    rebuild(ProfileSelection(m_store).select({}, &none));
}

void AppShell::rebuild(std::optional<Profile> profile)
{
    QRect geometry;
    if (m_window) {
        geometry = m_window->geometry();
        m_window.reset();
    }
    m_context.reset();
    m_problem = {};
    if (profile)
        m_context = ProfileContext::create(*profile, m_secrets, &m_problem);
    m_window = std::make_unique<MainWindow>(m_context.get());
    m_window->setSignInPageProgram(m_signInPageProgram);
    if (m_problem.isError())
        m_window->showProblem(m_problem);
    if (geometry.isValid())
        m_window->setGeometry(geometry);
    connect(m_window.get(), &MainWindow::profilesRequested, this, &AppShell::openProfiles);
    m_window->show();
    m_window->startSilentSignIn();
    Q_EMIT windowReplaced(m_window.get());
}

void AppShell::openProfiles()
{
    if (m_profiles) {
        m_profiles->raise();
        return;
    }
    m_profiles = new ProfilesDialog(m_store, m_window.get());
    m_profiles->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_profiles, &ProfilesDialog::profileChosen, this, &AppShell::useProfile);
    connect(m_profiles, &ProfilesDialog::profileEdited, this, [this](const QString &id) {
        // The profile in use changed under the session: start over with what is stored now.
        if (!m_fixed && m_context && m_context->profile().id == id)
            QMetaObject::invokeMethod(
                this, [this] { start(); }, Qt::QueuedConnection);
    });
    m_profiles->open();
}

void AppShell::useProfile(const QString &id)
{
    if (!m_store.setCurrentProfileId(id))
        return;
    m_fixed.reset(); // an explicit choice replaces --profile-file for this run
    // After the dialog (a child of the old window) has finished closing.
    QMetaObject::invokeMethod(
        this, [this] { start(); }, Qt::QueuedConnection);
}

} // namespace fedsync::ui

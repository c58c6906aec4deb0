// The desktop app's top level: the ProfileContext of the profile in use and its main window, rebuilt
// when the user switches profile or edits the one in use (File > Profiles…). main() only parses the
// command line and hands over the profile store, the secret store and an optional fixed profile.
#pragma once

#include "common/usererror.h"
#include "config/profile.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

namespace fedsync {
class ProfileStore;
class SecretStore;
class ProfileContext;
} // namespace fedsync

namespace fedsync::ui {

class MainWindow;
class ProfilesDialog;

class AppShell final : public QObject
{
    Q_OBJECT
public:
    // `fixedProfile`: the one from --profile-file (not in the store); otherwise the store's current one.
    AppShell(ProfileStore &store, SecretStore *secrets, std::optional<Profile> fixedProfile = std::nullopt,
             QObject *parent = nullptr);
    ~AppShell() override;

    // Shows the main window for the profile and starts the silent sign-in.
    void start();
    MainWindow *window() const { return m_window.get(); }
    ProfileContext *context() const { return m_context.get(); }
    ProfilesDialog *profilesDialog() const;
    // Why the profile could not be used (shown in the window too); empty when it could.
    const UserError &problem() const { return m_problem; }

    // Passed to every main window (MainWindow::setSignInPageProgram).
    void setSignInPageProgram(const QString &program) { m_signInPageProgram = program; }

    void openProfiles();
    void useProfile(const QString &id);

Q_SIGNALS:
    void windowReplaced(fedsync::ui::MainWindow *window);

private:
    void rebuild(std::optional<Profile> profile);

    ProfileStore &m_store;
    SecretStore *m_secrets;
    std::optional<Profile> m_fixed;
    std::unique_ptr<MainWindow> m_window; // before the context: it refers to it
    std::unique_ptr<ProfileContext> m_context;
    QPointer<ProfilesDialog> m_profiles;
    UserError m_problem;
    QString m_signInPageProgram;
};

} // namespace fedsync::ui

// The main window: who is signed in (name, email, picture), the account actions, the Cognito identity
// with its credentials' countdown, and (once signed in) the dataset editor. It receives the profile's
// ProfileContext from main() (null when no profile is set up yet) and reaches for no global.
#pragma once

#include "common/usererror.h"

#include <QMainWindow>
#include <QPointer>
#include <QUrl>

#include <functional>

#include <memory>
#include <vector>

namespace Ui {
class MainWindow;
}

namespace fedsync {
class AvatarFetch;
class UserDatasets;
class ProfileContext;
class SignInFlow;
class SignInPageProcess;
class SyncController;
} // namespace fedsync

namespace fedsync::ui {

class DatasetEditor;
class IdentityPanel;
class LoginDialog;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(ProfileContext *context = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Silent sign-in with the stored refresh token (no WebEngine); falls back to the login window with
    // the reason when the stored sign-in is refused. The window shows "Signing in…" at once and starts
    // the work once it has been painted (or on the next turn of the event loop when it is hidden).
    void startSilentSignIn();
    // Opens the login window; `explanation` says why (e.g. the saved sign-in expired).
    void signIn(const UserError &explanation = {});
    // Asks first: with edits not yet sent, whether to synchronize them first; otherwise a confirmation with
    // "also delete my data on this computer". Then signs out.
    void confirmSignOut(bool everywhere);
    // Revokes the refresh token at the provider, forgets the tokens, and with `forgetData` deletes the
    // user's local data (the core SignOut use case, as `fedsync-cli logout`).
    void signOut(bool everywhere, bool forgetData = false);
    void showAbout();
    // Why the profile could not be used (a bad CA file, an invalid saved profile), on the signed-out page.
    void showProblem(const UserError &problem);

    LoginDialog *loginWindow() const;     // the embedded sign-in window while it is open
    IdentityPanel *identityPanel() const; // null without a profile
    DatasetEditor *datasetEditor() const; // null until signed in with a Cognito side
    SyncController *syncController() const { return m_sync.get(); }
    // True while the window works on the local data without a sign-in (the provider could not be reached).
    bool isWorkingOffline() const { return m_workingOffline; }

    // The question before signing out with edits the server does not have yet. Tests replace it.
    enum class PendingEditsChoice { SyncFirst, SignOutAnyway, Cancel };
    using PendingEditsPrompt =
        std::function<void(QWidget *parent, int pendingChanges, std::function<void(PendingEditsChoice)> answer)>;
    void setPendingEditsPrompt(PendingEditsPrompt prompt) { m_askPendingEdits = std::move(prompt); }

    // How pages are opened in the system browser (sign-in with `browser: system`, logout). Defaults to
    // QDesktopServices; tests put a scripted browser here.
    void setUrlOpener(std::function<void(const QUrl &)> opener) { m_openUrl = std::move(opener); }
    // The embedded sign-in page runs in `program --sign-in-page` (fedsync itself; SignInPageProcess), so
    // this process never maps WebEngine. Empty (the default, and what the page process itself uses):
    // the login window opens in this process.
    void setSignInPageProgram(const QString &program) { m_signInPageProgram = program; }
    // The page process of the sign-in under way, or the last one; null when the page is in this process.
    SignInPageProcess *signInPageProcess() const;
    // The sign-out question: answer(confirmed, forgetData). A window-modal box by default; tests answer it.
    using SignOutPrompt = std::function<void(QWidget *parent, bool everywhere,
                                             std::function<void(bool confirmed, bool forgetData)>)>;
    void setSignOutPrompt(SignOutPrompt prompt) { m_signOutPrompt = std::move(prompt); }

Q_SIGNALS:
    void signInFinished(bool signedIn);
    // A sign-out finished (the revocation answered or failed; local data deleted when asked).
    void signOutFinished();
    // The dataset editor is open for the signed-in user (after the credentials revealed the identity).
    void datasetsOpened();
    // File > Profiles…: the application shell opens the profiles dialog (it owns the profile store).
    void profilesRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    bool event(QEvent *event) override;

private:
    void updateAccountView();
    // What a sign-in or a sync freed goes back to the system (common/heaprelease.h).
    void releaseMemory();
    void openDatasets();
    void closeDatasets();
    void showEditor(std::unique_ptr<UserDatasets> datasets);
    bool openOffline(const UserError &reason);
    void restoreFailed(const UserError &reason);
    void loadPicture(const QUrl &url);
    void signInInPageProcess(SignInFlow *flow, const UserError &explanation);
    bool isSigningIn() const;
    // Runs `work` once the window has been painted (queued when it is hidden, or already painted).
    void whenOnScreen(std::function<void()> work);
    void runWhenOnScreen();
    static constexpr int OnScreenFallbackMs = 1000;

    std::unique_ptr<Ui::MainWindow> m_ui;
    ProfileContext *m_context;
    QPointer<QDialog> m_signInDialog;
    QPointer<LoginDialog> m_login;
    QString m_signInPageProgram;
    QPointer<SignInPageProcess> m_pageProcess;
    bool m_pageSignIn = false; // a sign-in in the page process is under way
    IdentityPanel *m_identity = nullptr;
    AvatarFetch *m_avatar = nullptr;
    std::unique_ptr<UserDatasets> m_datasets;
    std::unique_ptr<SyncController> m_sync;
    QPointer<DatasetEditor> m_editor;
    bool m_readyToClose = false;
    bool m_keychainIdle = false; // closing waits for pending keychain work
    bool m_workingOffline = false;
    bool m_opening = false;
    bool m_restorePending = false; // startSilentSignIn() waits for the window to be on screen
    bool m_painted = false;
    std::vector<std::function<void()>> m_whenOnScreen;
    PendingEditsPrompt m_askPendingEdits;
    std::function<void(const QUrl &)> m_openUrl;
    SignOutPrompt m_signOutPrompt;
};

} // namespace fedsync::ui

#include "authcommands.h"

#include "cliapp.h"
#include "common/errorcodes.h"
#include "session/signinstate.h"
#include "session/profilecontext.h"
#include "session/signinflow.h"
#include "session/signout.h"
#include "session/userdatasets.h"
#include "sync/localstore.h"
#include "usecases/signinpageprocess.h"
#include "usecases/systembrowsersignin.h"
#include "usecases/userdisplay.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QFileInfo>
#include <QProcess>

#include <memory>

namespace fedsync::cli {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("fedsync-cli", text);
}

// Once the flow signed in: says who, or that the tokens could not be kept.
void reportSignedIn(CliApp &app, SignInState *session)
{
    if (!session->isPersisted() && session->hasRefreshToken()) {
        app.fail(UserError::make(QStringLiteral("cli.not_stored"),
                                 tr("Signed in, but the tokens could not be stored in the keychain"),
                                 tr("No usable Secret Service (GNOME Keyring, KWallet) answered"),
                                 tr("Start and unlock your keyring, then run fedsync-cli login again")));
        return;
    }
    app.out() << tr("Signed in as %1").arg(UserDisplay::nameWithEmail(session->claims())) << Qt::endl;
    if (!session->hasRefreshToken())
        app.err() << tr("Note: no refresh token was issued (add offline_access to the profile's scopes), so "
                        "the next command will ask you to sign in again.")
                  << Qt::endl;
    app.finish(Ok);
}

// The embedded window is the desktop app's: the sign-in runs here, as with the other modes, and the page is
// shown by `fedsync --sign-in-page` (SignInPageProcess), as the desktop app shows it.
void loginEmbedded(CliApp &app, SignInFlow *flow, SignInState *session, const Profile &profile)
{
    const QString program = QCoreApplication::applicationDirPath() + QStringLiteral("/fedsync");
    if (!QFileInfo(program).isExecutable()) {
        app.fail(UserError::make(QStringLiteral("cli.gui_missing"),
                                 tr("The embedded sign-in window could not be opened"),
                                 tr("The desktop app \"fedsync\" was not found next to fedsync-cli"),
                                 tr("Use --browser system or --browser none")));
        return;
    }
    auto *page = new SignInPageProcess(flow, profile, {}, program, &app);
    // Said at once, not only when the window closes: the window offers Try again meanwhile.
    QObject::connect(page, &SignInPageProcess::attemptFailed, &app, [&app](const UserError &error) {
        app.err() << error.text() << Qt::endl
                  << tr("Try again in the sign-in window, or close it to stop.") << Qt::endl;
    });
    QObject::connect(page, &SignInPageProcess::finished, &app,
                     [&app, session](bool signedIn, const UserError &problem) {
                         if (signedIn)
                             reportSignedIn(app, session);
                         else if (problem.isError())
                             app.fail(problem);
                         else
                             app.fail(UserError::make(QStringLiteral("cli.login.cancelled"),
                                                      tr("The sign-in window was closed before you signed in"),
                                                      {}, tr("Run fedsync-cli login again to sign in")));
                     });
    app.err() << tr("Sign in in the window that opens.") << Qt::endl;
    page->start();
}
} // namespace

LoginCommand::LoginCommand()
    : Command(QStringLiteral("login"), tr("Sign in with Auth0"))
{
    setDescription(tr("Sign in with Auth0 and keep the sign-in in the keychain. With --browser none the "
                      "authorization URL is printed on its own line and fedsync-cli waits for the browser's "
                      "answer on a loopback address (for headless machines)."));
    addOption({QStringLiteral("browser"),
               tr("Where the sign-in page opens: embedded (the desktop app's window), system or none "
                  "(default: system with a display, none without)."),
               tr("mode")});
}

void LoginCommand::run(CliApp &app)
{
    UserError error;
    ProfileContext *context = app.context(&error);
    if (!context) {
        app.fail(error);
        return;
    }
    QString mode = app.parser().value(QStringLiteral("browser"));
    if (mode.isEmpty())
        mode = qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
                   ? QStringLiteral("none")
                   : QStringLiteral("system");
    if (mode != QStringLiteral("embedded") && mode != QStringLiteral("system") && mode != QStringLiteral("none")) {
        app.fail(UserError::make(errorcode::Usage, tr("Unknown browser mode \"%1\"").arg(mode), {},
                                 tr("Use --browser embedded, system or none")),
                 Usage);
        return;
    }

    SignInState *session = context->session();
    auto *flow = new SignInFlow(session, &app);
    if (mode == QStringLiteral("embedded")) {
        loginEmbedded(app, flow, session, context->profile());
        return;
    }
    auto *signIn = new SystemBrowserSignIn(flow, &app);
    QObject::connect(
        signIn, &SystemBrowserSignIn::pageReady, &app, [&app, mode](const QUrl &start, const QUrl &url) {
            if (mode == QStringLiteral("system")) {
                app.err() << tr("Opening the sign-in page in your browser. If nothing opens, visit:")
                          << Qt::endl;
                QProcess::startDetached(QStringLiteral("xdg-open"), {start.toString(QUrl::FullyEncoded)});
            } else {
                app.err() << tr("Open this address in a browser on this computer to sign in:") << Qt::endl;
            }
            app.err().flush();
            app.out() << url.toString(QUrl::FullyEncoded) << Qt::endl;
        });
    QObject::connect(signIn, &SystemBrowserSignIn::failed, &app, [&app](const UserError &e) { app.fail(e); });
    QObject::connect(signIn, &SystemBrowserSignIn::succeeded, &app,
                     [&app, session] { reportSignedIn(app, session); });
    signIn->start();
}

LogoutCommand::LogoutCommand()
    : Command(QStringLiteral("logout"), tr("Sign out and forget the stored tokens"))
{
    setDescription(tr("Sign out: revoke the refresh token and forget the stored tokens. Refuses while edits "
                      "on this device are not yet sent, unless --force."));
    addOption({QStringLiteral("everywhere"), tr("Also sign out of the upstream identity provider.")});
    addOption({QStringLiteral("force"), tr("Sign out even though edits on this device are not yet sent.")});
    addOption({QStringLiteral("forget-data"), tr("Also delete your local data on this computer.")});
}

void LogoutCommand::run(CliApp &app)
{
    UserError error;
    ProfileContext *context = app.context(&error);
    if (!context) {
        app.fail(error);
        return;
    }
    if (!app.parser().isSet(QStringLiteral("force"))) {
        // Edits not yet sent stay in this device's store, but nobody can send them while signed out.
        UserError openError;
        const std::unique_ptr<UserDatasets> datasets =
            UserDatasets::openLastIdentity(*context, &openError);
        const StoreResult<qint64> pending =
            datasets ? datasets->store().pendingChangeCount() : StoreResult<qint64>{};
        if (pending.value > 0) {
            app.fail(UserError::make(
                QStringLiteral("cli.logout.pending"),
                tr("%1 change(s) on this device are not sent yet").arg(pending.value),
                tr("Signed out, this device cannot send them until you sign in again as the same user"),
                app.parser().isSet(QStringLiteral("forget-data"))
                    ? tr("Run fedsync-cli sync first, or pass --force to sign out anyway (with "
                         "--forget-data they are deleted with your local data)")
                    : tr("Run fedsync-cli sync first, or pass --force to sign out anyway (they stay on "
                         "this device)")));
            return;
        }
    }
    SignOut::Options options;
    options.federated = app.parser().isSet(QStringLiteral("everywhere"));
    options.forgetData = app.parser().isSet(QStringLiteral("forget-data"));
    auto *signOut = new SignOut(*context, options, &app);
    QObject::connect(signOut, &SignOut::finished, &app, [&app, options](const SignOut::Outcome &outcome) {
        app.out() << tr("Signed out; the stored tokens were removed.") << Qt::endl;
        if (outcome.revoked)
            app.out() << tr("The sign-in was revoked at the identity provider.") << Qt::endl;
        else if (outcome.hadRefreshToken)
            app.err() << tr("Note: the sign-in could not be revoked at the identity provider (%1); it stays "
                            "valid there until it expires.")
                             .arg(outcome.revokeProblem.what)
                      << Qt::endl;
        if (options.forgetData) {
            if (outcome.dataProblem.isError())
                app.err() << outcome.dataProblem.text() << Qt::endl;
            app.out() << (outcome.removedFiles.isEmpty()
                              ? tr("There was no local data to delete.")
                              : tr("Your local data on this computer was deleted."))
                      << Qt::endl;
        }
        app.err() << tr("To end the browser session at Auth0 as well, open:") << Qt::endl
                  << outcome.logoutUrl.toString(QUrl::FullyEncoded) << Qt::endl;
        app.finish(outcome.dataProblem.isError() ? int(Failed) : int(Ok));
    });
    signOut->start();
}

WhoamiCommand::WhoamiCommand()
    : Command(QStringLiteral("whoami"), tr("Show the signed-in user's verified ID-token claims"))
{
    setJsonHelp(tr("Print the ID token's claims as JSON."));
}

void WhoamiCommand::run(CliApp &app)
{
    const bool json = app.parser().isSet(QStringLiteral("json"));
    app.withSession([&app, json](ProfileContext &context) {
        const IdTokenClaims &claims = context.session()->claims();
        if (json) {
            app.out() << QString::fromUtf8(QJsonDocument(claims.raw()).toJson(QJsonDocument::Indented));
        } else {
            app.out() << tr("%1\n  sub: %2\n  issuer: %3\n  token valid until: %4")
                             .arg(UserDisplay::nameWithEmail(claims), claims.sub, claims.iss,
                                  claims.exp.toLocalTime().toString(Qt::ISODate))
                      << Qt::endl;
        }
        app.finish(Ok);
    });
}

} // namespace fedsync::cli

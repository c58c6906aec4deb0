// fedsync: the desktop application. Parses the command line, builds the core objects for the selected
// profile, hands them to the application shell. No logic of its own.
#include "appicon.h"
#include "appshell.h"
#include "config/appidentity.h"
#include "config/profilestore.h"
#include "log/logcategories.h"
#include "log/loghandler.h"
#include "mainwindow.h"
#include "platform/owneronly.h"
#include "platform/processhardening.h"
#include "secrets/keychainsecretstore.h"
#include "secrets/sessionfallbacksecretstore.h"
#include "session/profilecontext.h"
#include "signinpagemain.h"
#include "support/supportconsole.h"
#include "usecases/profileopener.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

#include <cstdio>
#include <cstring>
#include <memory>

namespace {

// --version and --help must work without a display, so they are answered by a QCoreApplication.
bool wantsInfoOnly(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *flag : {"--version", "-v", "--help", "-h", "--help-all"})
            if (std::strcmp(argv[i], flag) == 0)
                return true;
    }
    return false;
}

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Desktop client for the Auth0 to Amazon Cognito federation."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("profile-file"),
         QCoreApplication::translate("main", "Use the profile in this file (as the sandbox writes one)."),
         QCoreApplication::translate("main", "path")},
        {QStringLiteral("profile"), QCoreApplication::translate("main", "Use this saved profile."),
         QCoreApplication::translate("main", "id")},
        {QStringLiteral("support"),
         QCoreApplication::translate("main", "Open the support console (with your own AWS credentials from the "
                                             "AWS credential chain).")},
    });
    QCommandLineOption page(QStringLiteral("sign-in-page"),
                            QCoreApplication::translate("main", "Show the sign-in page for a running Fedsync or "
                                                                "fedsync-cli login --browser embedded (which "
                                                                "start it this way)."));
    page.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(page);
}

fedsync::ProfileSelection::Request profileRequest(const QCommandLineParser &parser)
{
    return {parser.value(QStringLiteral("profile-file")), parser.value(QStringLiteral("profile"))};
}

// A profile that cannot be used ends the run: the message on stderr (for a start from a terminal) and in a
// message box.
int refuse(const fedsync::UserError &error)
{
    qCWarning(lcApp) << "the profile cannot be used:" << error.code;
    std::fprintf(stderr, "fedsync: %s\n", qPrintable(error.text()));
    QMessageBox::critical(nullptr, QCoreApplication::translate("main", "Fedsync"), error.text());
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    fedsync::hardenProcess();
    fedsync::installLogHandler();

    if (wantsInfoOnly(argc, argv)) {
        QCoreApplication app(argc, argv);
        fedsync::applyApplicationIdentity();
        QCommandLineParser parser;
        addOptions(parser);
        parser.process(app); // prints and exits
        return 0;
    }

    // The login window (Qt WebEngine) is a plugin loaded when a page is first shown; it registers the
    // custom redirect scheme itself (ui/loginplugin/loginwindowplugin.cpp). Qt::AA_ShareOpenGLContexts is
    // deliberately not set: it would create an OpenGL context at every start (Mesa and LLVM mapped, 40+ MiB)
    // for WebEngine's GPU compositing, and the sign-in page renders fine with software compositing.
    QApplication app(argc, argv);
    fedsync::applyApplicationIdentity();
    fedsync::restrictApplicationFilesToOwner();
    QApplication::setWindowIcon(fedsync::ui::appIcon());
    QApplication::setDesktopFileName(QStringLiteral("org.fedsync.Fedsync"));

    QCommandLineParser parser;
    addOptions(parser);
    parser.process(app);

    if (parser.isSet(QStringLiteral("sign-in-page")))
        return fedsync::ui::runSignInPage();

    fedsync::KeychainSecretStore keychain(fedsync::KeychainSecretStore::defaultServiceName());
    fedsync::SessionFallbackSecretStore secrets(&keychain);
    fedsync::ProfileStore store;
    fedsync::ProfileOpener opener(store, &secrets, profileRequest(parser));

    if (parser.isSet(QStringLiteral("support"))) {
        fedsync::UserError error;
        fedsync::ProfileContext *context = opener.context(&error);
        if (!context)
            return refuse(error);
        fedsync::ui::SupportConsole *console = fedsync::ui::SupportConsole::open(*context);
        if (!console) {
            // The message saying what is needed is up; quit when it closes.
            QApplication::setQuitOnLastWindowClosed(true);
        }
        return QApplication::exec();
    }

    // A profile file that cannot be read, or a --profile that names no saved profile, is fatal (the user
    // asked for it); a bad saved profile is shown in the window, where the profiles dialog can fix it.
    std::optional<fedsync::Profile> fixed;
    if (opener.isExplicit()) {
        fedsync::UserError error;
        std::optional<fedsync::Profile> chosen = opener.profile(&error);
        if (!chosen)
            return refuse(error);
        if (opener.request().profileFile.isEmpty())
            store.setCurrentProfileId(chosen->id); // --profile ID: the current profile from now on
        else
            fixed = std::move(chosen);
    }
    std::unique_ptr<fedsync::ui::AppShell> shell;
    const auto startShell = [&shell, &store, &secrets, &fixed] {
        shell = std::make_unique<fedsync::ui::AppShell>(store, &secrets, fixed);
        // The sign-in page runs in a process of its own (this program again): WebEngine is never mapped
        // here, and its memory is gone once the user signed in.
        shell->setSignInPageProgram(QCoreApplication::applicationFilePath());
        shell->start();
    };
    const QString caNotice = fixed ? opener.pendingCaNotice(*fixed) : QString();
    if (!caNotice.isEmpty()) {
        // First use of this file's extra CA: the user sees what it is and decides.
        auto *box = new QMessageBox(QMessageBox::Question,
                                    QCoreApplication::translate("main", "Trust this certificate authority?"),
                                    caNotice, QMessageBox::Yes | QMessageBox::Cancel);
        box->setTextFormat(Qt::PlainText);
        box->setDefaultButton(QMessageBox::Cancel);
        box->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(box, &QMessageBox::finished, box, [box, &opener, &fixed, startShell] {
            if (box->clickedButton() != box->button(QMessageBox::Yes)) {
                QCoreApplication::exit(1);
                return;
            }
            opener.markCaNoticeShown(*fixed);
            startShell();
        });
        box->open();
    } else {
        startShell();
    }
    return QApplication::exec();
}

#include "signinpagemain.h"

#include "config/profilefile.h"
#include "log/logcategories.h"
#include "logindialog.h"
#include "loginwindowloader.h"
#include "usecases/relayedsigninflow.h"

#include <QApplication>
#include <QPointer>

#include <unistd.h>

namespace fedsync::ui {

int runSignInPage()
{
    // The pipe to the app is a private copy of stdout; whatever else writes to stdout (a library's
    // message) goes to stderr instead of into the protocol.
    const int toApp = ::dup(STDOUT_FILENO);
    if (toApp < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
        return 2;
    RelayedSignInFlow flow(STDIN_FILENO, toApp);
    QPointer<LoginDialog> window;
    QObject::connect(&flow, &RelayedSignInFlow::disconnected, qApp, [&window] {
        if (window)
            window->reject();
        QCoreApplication::exit(1);
    });
    QObject::connect(&flow, &RelayedSignInFlow::helloReceived, qApp,
                     [&flow, &window](const QByteArray &profileJson, const UserError &explanation) {
                         if (window)
                             return;
                         UserError problem;
                         const std::optional<Profile> profile =
                             ProfileFile::fromJson(profileJson, {}, QStringLiteral("the app"), &problem);
                         LoginWindowFactory *factory = profile ? loadLoginWindowFactory(&problem) : nullptr;
                         if (!factory) {
                             flow.reportProblem(problem);
                             QCoreApplication::exit(2);
                             return;
                         }
                         window = factory->createLoginWindow(&flow, *profile, explanation, nullptr);
                         QObject::connect(window, &LoginDialog::pageLoaded, &flow, &RelayedSignInFlow::reportPageLoaded);
                         QObject::connect(window, &QDialog::finished, qApp, [](int result) {
                             QCoreApplication::exit(result == QDialog::Accepted ? 0 : 1);
                         });
                         window->show();
                         window->start();
                     });
    const int code = QApplication::exec();
    delete window; // the page and its profile go before WebEngine shuts down
    ::close(toApp);
    return code;
}

} // namespace fedsync::ui

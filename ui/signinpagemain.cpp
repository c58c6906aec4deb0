#include "signinpagemain.h"

#include "config/profilefile.h"
#include "log/logcategories.h"
#include "logindialog.h"
#include "loginwindowloader.h"
#include "usecases/relayedsigninflow.h"

#include <QApplication>
#include <QPointer>
#include <QWindow>

#include <memory>

#include <unistd.h>

namespace fedsync::ui {

namespace {

// Makes a window a dialog of the app's window for the window manager (WM_TRANSIENT_FOR on X11): it opens
// above the app, not behind it, and stays there. Set when the window is shown and again whenever Qt gives
// it a new native window (the page's WebEngine view makes Qt create the window again on its first show, and
// the new one has no transient parent). Only where another process's window can be named by its id (X11;
// Wayland gives no such id).
class AppWindowOwner final : public QObject
{
public:
    AppWindowOwner(QWidget *window, quint64 appWindowId)
        : QObject(window)
        , m_app(QWindow::fromWinId(WId(appWindowId)))
    {
        window->installEventFilter(this);
    }

    static void attach(QWidget *window, quint64 appWindowId)
    {
        if (appWindowId != 0 && QGuiApplication::platformName() == QLatin1String("xcb"))
            new AppWindowOwner(window, appWindowId);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if ((event->type() == QEvent::Show || event->type() == QEvent::WinIdChange) && m_app)
            if (QWindow *handle = static_cast<QWidget *>(watched)->windowHandle())
                handle->setTransientParent(m_app.get());
        return false;
    }

private:
    std::unique_ptr<QWindow> m_app; // a foreign window: deleting it leaves the app's window alone
};

} // namespace

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
    QObject::connect(
        &flow, &RelayedSignInFlow::helloReceived, qApp,
        [&flow, &window](const QByteArray &profileJson, const UserError &explanation, quint64 parentWindow) {
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
            QObject::connect(window, &QDialog::finished, qApp,
                             [](int result) { QCoreApplication::exit(result == QDialog::Accepted ? 0 : 1); });
            AppWindowOwner::attach(window, parentWindow);
            window->show();
            window->start();
        });
    const int code = QApplication::exec();
    delete window; // the page and its profile go before WebEngine shuts down
    ::close(toApp);
    return code;
}

} // namespace fedsync::ui
